// synack's -z output against tshark 4.0's, stored by test/golden/make.sh (run by hand with tshark):
// each golden file "CAPTURE--SPEC.txt" is what `tshark -n -r CAPTURE -q -z SPEC` printed.

import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readCaptureBytes } from '../../capture/reader.js';
import { Dissection } from '../../dissect/index.js';
import { Statistics } from './index.js';

const golden = new URL('../../../../test/golden/', import.meta.url);
const captures = new URL('../../../../../shared/captures/', import.meta.url);

/** What `synack -r CAPTURE -q -z SPEC...` prints. */
export function statisticsText(capture: string, specs: string[]): string {
  const stats = new Statistics(specs);
  const d = new Dissection({ wanted: stats.wantedIds(), columns: false });
  readCaptureBytes(new Uint8Array(readFileSync(new URL(capture, captures))), (f) => {
    stats.add(d.dissect(f));
  });
  return stats.text();
}

const cases = readdirSync(golden)
  .filter((name) => name.endsWith('.txt'))
  .map((name) => {
    const [capture, spec] = name.slice(0, -'.txt'.length).split('--');
    return { name, capture, spec };
  });

describe('statistics match tshark 4.0', () => {
  it('has golden files', () => {
    expect(cases.length).toBeGreaterThan(20);
  });
  for (const { name, capture, spec } of cases) {
    it(`-z ${spec} on ${capture}`, () => {
      expect(statisticsText(capture, [spec])).toBe(readFileSync(new URL(name, golden), 'utf8'));
    });
  }
});
