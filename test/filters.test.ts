// Display-filter conformance: every filter of test/filters/filters.txt on every capture of
// ../shared/captures must select exactly the frames tshark 4.0 selected (recorded in
// test/filters/expected.json by make-expected.mjs), and every filter tshark rejects
// (rejected.txt) must be rejected. Runs synack in-process: one dissection per capture, every
// filter applied to each frame.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCapture } from '../src/core/capture/reader.js';
import { Dissection } from '../src/core/dissect/index.js';
import { compileFilter, type DisplayFilter } from '../src/core/filter/index.js';

const here = new URL('.', import.meta.url).pathname;
const captures = join(here, '..', '..', 'shared', 'captures');

interface Expected {
  tshark: string;
  filters: string[];
  rejected: string[];
  captures: Record<string, { frames: number; answers: string[]; selected: number[] }>;
}

const expected = JSON.parse(readFileSync(join(here, 'filters', 'expected.json'), 'utf8')) as Expected;

function list(file: string): string[] {
  return readFileSync(join(here, 'filters', file), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'));
}

/** Decodes make-expected.mjs's compact answers: "1-3 7", "!2 5-6" (all but), "=base64 bitmap". */
function decode(answer: string, frames: number): string {
  const out: number[] = [];
  if (answer.startsWith('=')) {
    const bits = Buffer.from(answer.slice(1), 'base64');
    for (let n = 1; n <= frames; n++) if (bits[(n - 1) >> 3] & (1 << ((n - 1) & 7))) out.push(n);
    return out.join(' ');
  }
  const negated = answer.startsWith('!');
  const set = new Set<number>();
  for (const part of (negated ? answer.slice(1) : answer).split(' ').filter(Boolean)) {
    const [a, b] = part.split('-').map(Number);
    for (let n = a; n <= (b ?? a); n++) set.add(n);
  }
  if (!negated) return [...set].join(' ');
  for (let n = 1; n <= frames; n++) if (!set.has(n)) out.push(n);
  return out.join(' ');
}

/** Frames not compared for some filters (known-differences.txt): capture -> [frames or all, pattern]. */
const known = list('known-differences.txt').map((line) => {
  const [capture, frames, pattern] = line.replace(/\s+#.*$/, '').split(/\s+/);
  const set = new Set<number>();
  if (frames !== '*')
    for (const part of frames.split(',')) {
      const [a, b] = part.split('-').map(Number);
      for (let n = a; n <= (b ?? a); n++) set.add(n);
    }
  return { capture, all: frames === '*', frames: set, pattern: new RegExp(pattern) };
});

/** `frames` ("1 2 3") without those known-differences.txt excludes for this capture and filter. */
function comparable(capture: string, filter: string, frames: string): string {
  const skip = known.filter((k) => k.capture === capture && k.pattern.test(filter));
  if (!skip.length) return frames;
  if (skip.some((k) => k.all)) return '(not compared)';
  return frames
    .split(' ')
    .filter((n) => n && !skip.some((k) => k.frames.has(Number(n))))
    .join(' ');
}

const accepted = list('filters.txt');
const rejected = list('rejected.txt');

/** Per capture, per accepted filter: the frame numbers synack selects ("1 2 3"). */
const actual = new Map<string, Map<string, string>>();

async function run(file: string, filters: Map<string, DisplayFilter>): Promise<Map<string, string>> {
  const wanted = new Set<number>();
  for (const f of filters.values()) for (const id of f.fieldIds) wanted.add(id);
  const dissection = new Dissection({ wanted, columns: false });
  const hits = new Map<string, number[]>([...filters.keys()].map((k) => [k, []]));
  const entries = [...filters.entries()].map(([k, f]) => [hits.get(k)!, f] as const);
  const data = readFileSync(join(captures, file));
  async function* chunks() {
    yield new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  }
  await readCapture(chunks(), (frame) => {
    const p = dissection.dissect(frame);
    for (const [h, f] of entries) if (f.matches(p)) h.push(p.meta.number);
    return true;
  });
  return new Map([...hits].map(([k, v]) => [k, v.join(' ')]));
}

const compiled = new Map<string, DisplayFilter>();
for (const f of accepted) {
  const r = compileFilter(f);
  if (r.ok) compiled.set(f, r.filter);
}

beforeAll(async () => {
  for (const file of Object.keys(expected.captures)) actual.set(file, await run(file, compiled));
});

describe('display filters select the frames tshark 4.0 selects', () => {
  it('lists at least 200 filters tshark accepts', () => {
    expect(accepted.filter((f) => !expected.rejected.includes(f)).length).toBeGreaterThanOrEqual(200);
    expect(accepted.filter((f) => !expected.filters.includes(f))).toEqual([]);
  });

  it.each(accepted)('%s', (filter) => {
    expect(expected.rejected).not.toContain(filter);
    const r = compileFilter(filter);
    expect(r.ok ? [] : r.errors.map((e) => e.code)).toEqual([]);
    const wrong: string[] = [];
    const index = expected.filters.indexOf(filter);
    for (const [file, answers] of Object.entries(expected.captures)) {
      const k = answers.selected[index];
      const want = comparable(file, filter, k === 0 ? '' : decode(answers.answers[k - 1], answers.frames));
      const got = comparable(file, filter, actual.get(file)?.get(filter) ?? '');
      if (got !== want) wrong.push(`${file}: tshark [${want.slice(0, 200)}] synack [${got.slice(0, 200)}]`);
    }
    expect(wrong).toEqual([]);
  });
});

describe('a filter needs only its own fields', () => {
  // The CLI keeps only the filter's fields (fieldIds); the conformance run above keeps the union of
  // all filters'. Both must select the same frames.
  const small = ['ppa__tcp_retransmissions.pcapng', 'ppa__icmp_echo.pcapng', 'pcapplusplus__VlanPackets.pcap'];
  it.each(small)('%s', async (file) => {
    const wrong: string[] = [];
    for (const [filter, f] of compiled) {
      const alone = (await run(file, new Map([[filter, f]]))).get(filter);
      if (alone !== actual.get(file)?.get(filter)) wrong.push(filter);
    }
    expect(wrong).toEqual([]);
  });
});

describe('display filters tshark 4.0 rejects are rejected', () => {
  it.each(rejected)('%s', (filter) => {
    expect(expected.rejected).toContain(filter);
    const r = compileFilter(filter);
    expect(r.ok).toBe(false);
  });
});
