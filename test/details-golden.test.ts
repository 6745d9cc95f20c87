// synack -V against tshark 4.0's -V, byte for byte, on the shared captures where they agree (the
// oracle compares fields, not the details tree). test/golden/details/make.sh stored the SHA-256 of
// `tshark -n -r CAPTURE -V`; this test makes synack's -V text in process, as the CLI prints it.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCaptureBytes } from '../src/core/capture/reader.js';
import { Dissection } from '../src/core/dissect/index.js';
import { detailsText } from '../src/core/output/details.js';

const captures = join(import.meta.dirname, '..', '..', 'shared', 'captures');
const golden = join(import.meta.dirname, 'golden', 'details', 'details.sha256');
const expected = readFileSync(golden, 'utf8')
  .split('\n')
  .filter((l) => l !== '')
  .map((l) => {
    const [sum, name] = l.split(/\s+/);
    return { sum, name };
  });

/** What `synack -r CAPTURE -V` prints, as its bytes. */
function synackDetails(bytes: Uint8Array): Buffer {
  const d = new Dissection({ full: true, columns: true });
  const parts: string[] = [];
  readCaptureBytes(bytes, (frame) => {
    parts.push(detailsText(d.dissect(frame)) + '\n');
  });
  return Buffer.from(parts.join(''), 'utf8');
}

describe("-V is tshark's, byte for byte", () => {
  it('has the stored hashes', () => {
    expect(expected.length).toBeGreaterThan(30);
  });
  for (const { sum, name } of expected) {
    it(name, () => {
      const text = synackDetails(new Uint8Array(readFileSync(join(captures, name))));
      expect(createHash('sha256').update(text).digest('hex')).toBe(sum);
    });
  }
});
