import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { StatsTree, displayName, printfFixed } from './stats-tree.js';
import { IoStat } from './io-stat.js';

describe('printfFixed', () => {
  it('rounds exact ties to even as C printf does', () => {
    expect(printfFixed(0.125, 2)).toBe('0.12');
    expect(printfFixed(0.375, 2)).toBe('0.38');
    expect(printfFixed(2.5, 0)).toBe('2');
    expect(printfFixed(130.281998, 2)).toBe('130.28');
  });
  it('agrees with toFixed away from ties', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e9 }), (n) => {
        const x = n / 997;
        expect(Number(printfFixed(x, 4))).toBeCloseTo(x, 3);
      }),
    );
  });
});

describe('stats_tree', () => {
  it('shows the last part of a group path, with // as a slash', () => {
    expect(displayName('HTTP/Packet Counter')).toBe('Packet Counter');
    expect(displayName('a//b')).toBe('a/b');
  });

  it('sorts children by count then name, descending, and leaves root children in order', () => {
    const t = new StatsTree('T');
    const top = t.createNode('Total', 0, true);
    const pivot = t.createPivot('Methods', top);
    t.createNode('zzz', 0, false);
    for (const [ms, m] of [
      [0, 'GET'],
      [10, 'POST'],
      [20, 'GET'],
      [30, 'get'],
    ] as const) {
      t.packet(ms);
      t.tick('Total', 0);
      t.tickPivot(pivot, m);
    }
    const lines = t.text().split('\n');
    const names = lines.slice(5, 11).map((l) => l.trim().split(/\s{2,}/)[0]);
    expect(names).toEqual(['Total', 'Methods', 'GET', 'get', 'POST', 'zzz']);
    // Four events within 100 ms: burst rate 4/100 from the first bucket.
    expect(lines[5]).toMatch(/^Total +4 +0\.1333 +100% +0\.0400 +0\.000 +$/);
  });

  it('averages integer values in float arithmetic and keeps min and max', () => {
    const t = new StatsTree('DNS');
    t.createNode('Payload size', 0, false);
    t.packet(0);
    t.addValue('Payload size', 0, 56);
    t.packet(130);
    t.addValue('Payload size', 0, 224);
    expect(t.text()).toContain('Payload size  2             140.00        56            224           0.0154');
  });
});

describe('io,stat', () => {
  it('prints the whole capture as one interval for interval 0', () => {
    const io = new IoStat(0, []);
    const text = io.text();
    expect(text).toContain('| IO Statistics');
    expect(text).toContain('Col 1: Frames and bytes');
  });
});
