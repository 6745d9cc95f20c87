// Text from captured bytes the way Wireshark shows it: format_text() for labels and the Info
// column (escapes for control characters, UTF-8 kept, invalid bytes as U+FFFD) and ENC_ASCII
// string values (stop at NUL, bytes above 0x7f become U+FFFD).

import { decodeText } from '../capture/decode-text.js';

const ESCAPES: Record<number, string> = {
  0x07: '\\a',
  0x08: '\\b',
  0x09: '\\t',
  0x0a: '\\n',
  0x0b: '\\v',
  0x0c: '\\f',
  0x0d: '\\r',
};

/** Length of the valid UTF-8 sequence at buf[i] (to < limit), or 0 when it is not one. */
function utf8Length(buf: Uint8Array, i: number, limit: number): number {
  const b = buf[i];
  let n: number;
  let min: number;
  if (b >= 0xc2 && b <= 0xdf) {
    n = 2;
    min = 0x80;
  } else if (b >= 0xe0 && b <= 0xef) {
    n = 3;
    min = 0x800;
  } else if (b >= 0xf0 && b <= 0xf4) {
    n = 4;
    min = 0x10000;
  } else return 0;
  if (i + n > limit) return 0;
  let cp = b & (0xff >> (n + 1));
  for (let k = 1; k < n; k++) {
    const c = buf[i + k];
    if ((c & 0xc0) !== 0x80) return 0;
    cp = (cp << 6) | (c & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  return n;
}

// For pure ASCII bytes every single-byte decoder gives the same text; it is the fast path for
// long strings (a loop of string concatenations for short ones).
const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder();

/** buf[from..to) as text; every byte must be below 0x80. */
function plainAscii(buf: Uint8Array, from: number, to: number): string {
  if (to - from > 48) return decodeText(latin1, buf.subarray(from, to));
  let s = '';
  for (let k = from; k < to; k++) s += String.fromCharCode(buf[k]);
  return s;
}

/**
 * Wireshark's format_text over buf[from..to) (clipped to the captured bytes): printable ASCII and
 * valid UTF-8 as they are (a backslash too), C escapes for \a\b\t\n\v\f\r, other control bytes as
 * three octal digits, invalid bytes as U+FFFD.
 */
export function formatText(buf: Uint8Array, from: number, to: number): string {
  const limit = Math.min(to, buf.length);
  let s = '';
  let run = from;
  const flush = (i: number): void => {
    if (i > run) s += plainAscii(buf, run, i);
  };
  let i = from;
  while (i < limit) {
    const b = buf[i];
    if (b >= 0x20 && b < 0x7f) {
      i++;
      continue;
    }
    flush(i);
    if (b < 0x80) {
      s += ESCAPES[b] ?? '\\' + b.toString(8).padStart(3, '0');
      i++;
    } else {
      const n = utf8Length(buf, i, limit);
      if (n > 0) {
        s += decodeText(utf8, buf.subarray(i, i + n));
        i += n;
      } else {
        s += '\uFFFD';
        i++;
      }
    }
    run = i;
  }
  flush(i);
  return s;
}

/** An ENC_ASCII string value of buf[from..to) (clipped to the captured bytes): up to a NUL, bytes above 0x7f as U+FFFD. */
export function asciiValue(buf: Uint8Array, from: number, to: number): string {
  const limit = Math.min(to, buf.length);
  let i = from;
  let plain = true;
  for (; i < limit; i++) {
    const b = buf[i];
    if (b === 0) break;
    if (b > 0x7f) plain = false;
  }
  if (plain) return plainAscii(buf, from, i);
  let s = '';
  for (let k = from; k < i; k++) s += buf[k] > 0x7f ? '\uFFFD' : String.fromCharCode(buf[k]);
  return s;
}
