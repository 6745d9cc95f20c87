import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { asciiValue, formatText } from './format-text.js';

const bytes = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);

describe('formatText (format_text)', () => {
  it('escapes control characters as tshark labels show them, keeps backslashes and UTF-8', () => {
    expect(formatText(bytes('GET / HTTP/1.1\r\n'), 0, 16)).toBe('GET / HTTP/1.1\\r\\n');
    expect(formatText(bytes('a\tb\x01c\\d'), 0, 7)).toBe('a\\tb\\001c\\d');
    expect(formatText(bytes('/a\xc3\xa9b\xff'), 0, 6)).toBe('/aéb\uFFFD');
  });

  it('shows DEL and other control bytes in octal, quotes and a lone backslash as they are', () => {
    expect(formatText(Uint8Array.of(0x01, 0x7f, 0xc3, 0xa9, 0xff, 0x5c, 0x20, 0x22, 0x0a, 0x0d, 0x09), 0, 11)).toBe(
      '\\001\\177é\ufffd\\ "\\n\\r\\t',
    );
  });

  it('stops at the captured end', () => {
    expect(formatText(bytes('abc'), 0, 10)).toBe('abc');
  });
});

describe('asciiValue (ENC_ASCII)', () => {
  it('stops at a NUL and shows bytes above 0x7f as U+FFFD', () => {
    expect(asciiValue(bytes('x\x00y'), 0, 3)).toBe('x');
    expect(asciiValue(bytes('/a\xc3\xa9b'), 0, 5)).toBe('/a\uFFFD\uFFFDb');
    expect(asciiValue(bytes('a'.repeat(100)), 0, 100)).toBe('a'.repeat(100));
  });

  it('never throws and keeps one character per byte before the first NUL', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(320), (b, cut) => {
        const v = asciiValue(b, 0, cut);
        const nul = b.subarray(0, cut).indexOf(0);
        expect(v.length).toBe(nul >= 0 ? nul : Math.min(cut, b.length));
        expect(typeof formatText(b, 0, cut)).toBe('string');
      }),
    );
  });
});
