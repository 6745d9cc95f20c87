import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeUtf8, uintWidth, writeUint } from './utf8.js';

/** What encodeUtf8 writes for `text`, from a buffer filled with 0xee past the text. */
function encoded(text: string, at = 3): Uint8Array {
  const out = new Uint8Array(at + text.length * 3 + 4).fill(0xee);
  const end = encodeUtf8(text, out, at);
  expect([...out.subarray(end)].every((b) => b === 0xee)).toBe(true);
  return out.subarray(at, end);
}

describe('encodeUtf8', () => {
  it("writes Node's UTF-8 for any text, short (its own loop) or long (the platform's encoder)", () => {
    // Strings of UTF-16 code units, lone surrogates included (both ways give U+FFFD for them).
    const units = fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 80 });
    fc.assert(
      fc.property(units, (codes) => {
        const text = String.fromCharCode(...codes);
        expect(Buffer.from(encoded(text))).toEqual(Buffer.from(text, 'utf8'));
      }),
      { numRuns: 2000 },
    );
  });

  it('handles text at both sides of the length where the encoder takes over', () => {
    for (const n of [0, 1, 23, 24, 25, 26, 100]) {
      const text = 'a→\u{1f600}'.repeat(n).slice(0, n);
      expect(Buffer.from(encoded(text))).toEqual(Buffer.from(text, 'utf8'));
    }
  });
});

describe('writeUint', () => {
  it('writes the decimal digits of numbers up to 2^32 - 1', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (v) => {
        const out = new Uint8Array(12);
        const end = writeUint(out, 1, v);
        expect(end - 1).toBe(uintWidth(v));
        expect(Buffer.from(out.subarray(1, end)).toString()).toBe(String(v));
      }),
    );
  });
});
