import { deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { INFLATE_LIMIT, inflateBody } from './inflate.js';
import { hex } from './test-support.js';

const text = (b: Uint8Array | undefined): string | undefined =>
  b === undefined ? undefined : new TextDecoder().decode(b);

describe('inflateBody', () => {
  it('reads a gzip member, a zlib stream and raw DEFLATE (fixed and stored blocks)', () => {
    // Made with Python's gzip/zlib: '{"origin": "10.0.0.1"}', 'abc' * 50 at level 9, 'stored!' at level 0.
    expect(
      text(inflateBody(hex('1f8b0800000000000203ab56ca2fca4ccfcc53b252503234d0034143a55a003701a6a216000000'))),
    ).toBe('{"origin": "10.0.0.1"}');
    expect(text(inflateBody(hex('789cab56ca2fca4ccfcc53b252503234d0034143a55a004bfd05df')))).toBe(
      '{"origin": "10.0.0.1"}',
    );
    expect(text(inflateBody(hex('4b4c4a4e1c7c0800')))).toBe('abc'.repeat(50));
    expect(text(inflateBody(hex('010700f8ff73746f72656421')))).toBe('stored!');
  });

  it('gives back what zlib compressed, whatever the data and level (dynamic Huffman blocks too)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 4000 }),
        fc.integer({ min: 0, max: 9 }),
        fc.constantFrom('gzip', 'zlib', 'raw'),
        (data, level, wrapper) => {
          // Repeat part of the data so that matches (length/distance codes) occur.
          const input = new Uint8Array([...data, ...data.subarray(0, 300), ...data]);
          const packed =
            wrapper === 'gzip'
              ? gzipSync(input, { level })
              : wrapper === 'zlib'
                ? deflateSync(input, { level })
                : deflateRawSync(input, { level });
          const out = inflateBody(new Uint8Array(packed));
          if (input.length === 0 && wrapper === 'raw') return;
          expect(out).toEqual(input);
        },
      ),
      { numRuns: 120 },
    );
  });

  it('fails (undefined) on garbage and truncated streams, never throws', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (data) => {
        const out = inflateBody(data);
        expect(out === undefined || out instanceof Uint8Array).toBe(true);
      }),
    );
    const packed = new Uint8Array(gzipSync(new TextEncoder().encode('hello hello hello hello')));
    expect(inflateBody(packed.subarray(0, packed.length - 14))).toBeUndefined();
  });

  it('refuses a body that inflates past its bound (a compression bomb)', () => {
    const bomb = new Uint8Array(deflateSync(new Uint8Array(INFLATE_LIMIT + 1024)));
    expect(bomb.length).toBeLessThan(100_000);
    expect(inflateBody(bomb)).toBeUndefined();
  });
});
