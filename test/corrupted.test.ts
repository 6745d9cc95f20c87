// Hostile input: randomly corrupted copies of the shared captures (bit flips, overwritten bytes,
// cuts) must never make the reader, a dissector or an output formatter throw. The engine turns a
// dissector exception into a "Dissector error" malformed mark, so the test looks for that too.

import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCaptureBytes } from '../src/core/capture/reader.js';
import { Dissection } from '../src/core/dissect/index.js';
import { detailsText } from '../src/core/output/details.js';
import { packetJson } from '../src/core/output/json.js';
import { summaryLine } from '../src/core/output/columns.js';
import { allFields } from '../src/core/dissect/fields.js';
import { FieldsWriter, defaultFieldsOptions } from '../src/core/output/fields-writer.js';

const dir = new URL('../../shared/captures/', import.meta.url).pathname;
const captures = readdirSync(dir)
  .filter((n) => /\.pcap(ng)?$/.test(n) && statSync(join(dir, n)).size < 64 * 1024)
  .map((n) => ({ name: n, bytes: new Uint8Array(readFileSync(join(dir, n))) }));

/** A small deterministic PRNG (mulberry32), so a failure can be replayed from its seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function corrupt(bytes: Uint8Array, random: () => number): Uint8Array {
  const copy = bytes.slice();
  const edits = 1 + Math.floor(random() * 16);
  for (let k = 0; k < edits; k++) {
    // Mostly past the file header, where the packets are; sometimes anywhere.
    const from = random() < 0.9 ? Math.min(24, copy.length) : 0;
    const at = from + Math.floor(random() * Math.max(1, copy.length - from));
    const r = random();
    if (r < 0.5) copy[at] ^= 1 << Math.floor(random() * 8);
    else if (r < 0.8) copy[at] = Math.floor(random() * 256);
    else copy[at] = random() < 0.5 ? 0 : 0xff;
  }
  return random() < 0.2 ? copy.subarray(0, Math.floor(random() * copy.length)) : copy;
}

describe('corrupted captures', () => {
  it('has captures to corrupt', () => {
    expect(captures.length).toBeGreaterThan(50);
  });

  it('1,000 corrupted copies crash neither the reader, nor a dissector, nor an output', () => {
    const everyField = allFields().map((f) => f.abbrev);
    const failures: string[] = [];
    for (let seed = 1; seed <= 1000; seed++) {
      const random = rng(seed);
      const { name, bytes } = captures[seed % captures.length];
      const input = corrupt(bytes, random);
      // Half the copies go through the full tree and every formatter, half through the summary path.
      const full = seed % 2 === 0;
      const dissection = new Dissection({ full, columns: true });
      const writer = full ? undefined : new FieldsWriter(everyField, defaultFieldsOptions);
      if (writer) dissection.configure({ wanted: writer.wantedIds(), columns: true });
      try {
        readCaptureBytes(input, (frame) => {
          const p = dissection.dissect(frame);
          if (p.experts.some((e) => e.message.startsWith('Dissector error'))) {
            failures.push(
              `seed ${seed} (${name}) frame ${p.meta.number}: ${p.experts.map((e) => e.message).join('; ')}`,
            );
          }
          summaryLine(p, 6);
          if (full) {
            detailsText(p);
            packetJson(p);
          } else writer?.line(p);
        });
      } catch (err) {
        failures.push(`seed ${seed} (${name}): ${err instanceof Error ? err.stack : String(err)}`);
      }
    }
    expect(failures.slice(0, 10).join('\n')).toBe('');
  });
});
