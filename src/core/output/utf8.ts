// Writing text and numbers as UTF-8 bytes into a caller's buffer, for the output paths that
// build each line as bytes (-T fields, the packet list) instead of a string Node must encode.

const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];

/** How many decimal digits an unsigned integer below 2^32 has. */
export function uintWidth(v: number): number {
  let width = 1;
  while (width < 10 && v >= POW10[width]) width++;
  return width;
}

/** The decimal digits of an unsigned integer below 2^32 at out[at..]; returns the end. */
export function writeUint(out: Uint8Array, at: number, v: number): number {
  const width = uintWidth(v);
  let rest = v;
  let k = at + width - 1;
  // Above 2^31 the first digit comes from a float division; the rest fit in int32 arithmetic.
  if (rest > 0x7fffffff) {
    const q = Math.floor(rest / 10);
    out[k--] = 0x30 + (rest - q * 10);
    rest = q;
  }
  for (; k >= at; k--) {
    const q = (rest / 10) | 0;
    out[k] = 0x30 + (rest - q * 10);
    rest = q;
  }
  return at + width;
}

const encoder = new TextEncoder();

/**
 * Long texts (Info, most of a summary line) go to the platform's encoder, which outruns a loop
 * of charCodeAt on the strings dissectors build by concatenation (half the cost of the packet
 * list's encoding on 1M packets); short ones stay here, where the call would cost more.
 */
const NATIVE_FROM = 24;

/** `text` as UTF-8 at out[at..] (room for 3 bytes per code unit); returns the end. */
export function encodeUtf8(text: string, out: Uint8Array, at: number): number {
  const n = text.length;
  if (n > NATIVE_FROM) return at + encoder.encodeInto(text, out.subarray(at)).written;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) out[at++] = c;
    else if (c < 0x800) {
      out[at++] = 0xc0 | (c >> 6);
      out[at++] = 0x80 | (c & 0x3f);
    } else if (c >= 0xd800 && c < 0xdc00 && i + 1 < n && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      const cp = 0x10000 + ((c - 0xd800) << 10) + (text.charCodeAt(++i) - 0xdc00);
      out[at++] = 0xf0 | (cp >> 18);
      out[at++] = 0x80 | ((cp >> 12) & 0x3f);
      out[at++] = 0x80 | ((cp >> 6) & 0x3f);
      out[at++] = 0x80 | (cp & 0x3f);
    } else {
      // A lone surrogate becomes U+FFFD, as Node's UTF-8 encoding does.
      const u = c >= 0xd800 && c < 0xe000 ? 0xfffd : c;
      out[at++] = 0xe0 | (u >> 12);
      out[at++] = 0x80 | ((u >> 6) & 0x3f);
      out[at++] = 0x80 | (u & 0x3f);
    }
  }
  return at;
}
