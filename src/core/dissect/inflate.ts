// DEFLATE (RFC 1951) decompression with the zlib (RFC 1950) and gzip (RFC 1952) wrappers, done
// synchronously so HTTP can show a Content-Encoding: gzip/deflate body as Wireshark does
// (tvb_child_uncompress). Output is bounded: a body that would inflate past the limit fails.

/** Largest decompressed body (bytes) and ratio to the compressed size. */
export const INFLATE_LIMIT = 16 * 1024 * 1024;
const MAX_RATIO = 1100;

class BitReader {
  pos: number;
  bitBuf = 0;
  bitCount = 0;
  constructor(
    readonly data: Uint8Array,
    start: number,
  ) {
    this.pos = start;
  }
  /** `n` bits (n <= 24), least significant first; throws at the end of the data. */
  bits(n: number): number {
    while (this.bitCount < n) {
      if (this.pos >= this.data.length) throw new Error('end of data');
      this.bitBuf |= this.data[this.pos++] << this.bitCount;
      this.bitCount += 8;
    }
    const v = this.bitBuf & ((1 << n) - 1);
    this.bitBuf >>>= n;
    this.bitCount -= n;
    return v;
  }
  alignToByte(): void {
    this.bitBuf = 0;
    this.bitCount = 0;
  }
}

/** A canonical Huffman code: counts per length and symbols in code order (as zlib's puff). */
class Huffman {
  readonly count = new Uint16Array(16);
  readonly symbol: Uint16Array;
  constructor(lengths: Uint8Array, n: number) {
    this.symbol = new Uint16Array(n);
    for (let s = 0; s < n; s++) this.count[lengths[s]]++;
    this.count[0] = 0;
    const offs = new Uint16Array(16);
    for (let len = 1; len < 16; len++) offs[len] = offs[len - 1] + this.count[len - 1];
    for (let s = 0; s < n; s++) if (lengths[s] !== 0) this.symbol[offs[lengths[s]]++] = s;
  }
  decode(r: BitReader): number {
    let code = 0;
    let first = 0;
    let index = 0;
    for (let len = 1; len < 16; len++) {
      code |= r.bits(1);
      const c = this.count[len];
      if (code - c < first) return this.symbol[index + (code - first)];
      index += c;
      first = (first + c) << 1;
      code <<= 1;
    }
    throw new Error('bad code');
  }
}

const LENGTH_BASE = [
  3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258,
];
const LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE = [
  1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145,
  8193, 12289, 16385, 24577,
];
const DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
const CODE_LENGTH_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

let fixedLit: Huffman | undefined;
let fixedDist: Huffman | undefined;

class Output {
  buf = new Uint8Array(1024);
  length = 0;
  constructor(readonly limit: number) {}
  ensure(extra: number): void {
    const need = this.length + extra;
    if (need > this.limit) throw new Error('too large');
    if (need <= this.buf.length) return;
    let n = this.buf.length * 2;
    while (n < need) n *= 2;
    const b = new Uint8Array(Math.min(n, this.limit));
    b.set(this.buf.subarray(0, this.length));
    this.buf = b;
  }
}

/** Inflates raw DEFLATE data from `start`; returns the output and where the data ended. */
function inflateRaw(data: Uint8Array, start: number, limit: number): { out: Uint8Array; end: number } {
  const r = new BitReader(data, start);
  const out = new Output(limit);
  let last = 0;
  while (!last) {
    last = r.bits(1);
    const type = r.bits(2);
    if (type === 0) {
      r.alignToByte();
      if (r.pos + 4 > data.length) throw new Error('end of data');
      const len = data[r.pos] | (data[r.pos + 1] << 8);
      const nlen = data[r.pos + 2] | (data[r.pos + 3] << 8);
      if ((len ^ 0xffff) !== nlen) throw new Error('bad stored block');
      r.pos += 4;
      if (r.pos + len > data.length) throw new Error('end of data');
      out.ensure(len);
      out.buf.set(data.subarray(r.pos, r.pos + len), out.length);
      out.length += len;
      r.pos += len;
      continue;
    }
    let lit: Huffman;
    let dist: Huffman;
    if (type === 1) {
      if (fixedLit === undefined || fixedDist === undefined) {
        const l = new Uint8Array(288);
        l.fill(8, 0, 144);
        l.fill(9, 144, 256);
        l.fill(7, 256, 280);
        l.fill(8, 280, 288);
        fixedLit = new Huffman(l, 288);
        fixedDist = new Huffman(new Uint8Array(30).fill(5), 30);
      }
      lit = fixedLit;
      dist = fixedDist;
    } else if (type === 2) {
      const nlen = r.bits(5) + 257;
      const ndist = r.bits(5) + 1;
      const ncode = r.bits(4) + 4;
      if (nlen > 286 || ndist > 30) throw new Error('bad counts');
      const lengths = new Uint8Array(320);
      for (let i = 0; i < ncode; i++) lengths[CODE_LENGTH_ORDER[i]] = r.bits(3);
      const lencode = new Huffman(lengths.subarray(0, 19), 19);
      const all = new Uint8Array(nlen + ndist);
      let i = 0;
      while (i < nlen + ndist) {
        const sym = lencode.decode(r);
        if (sym < 16) all[i++] = sym;
        else {
          let repeat: number;
          let value = 0;
          if (sym === 16) {
            if (i === 0) throw new Error('repeat without length');
            value = all[i - 1];
            repeat = 3 + r.bits(2);
          } else if (sym === 17) repeat = 3 + r.bits(3);
          else repeat = 11 + r.bits(7);
          if (i + repeat > nlen + ndist) throw new Error('too many lengths');
          while (repeat--) all[i++] = value;
        }
      }
      lit = new Huffman(all.subarray(0, nlen), nlen);
      dist = new Huffman(all.subarray(nlen), ndist);
    } else throw new Error('bad block type');
    for (;;) {
      const sym = lit.decode(r);
      if (sym < 256) {
        out.ensure(1);
        out.buf[out.length++] = sym;
      } else if (sym === 256) break;
      else {
        const li = sym - 257;
        if (li >= 29) throw new Error('bad length');
        const len = LENGTH_BASE[li] + r.bits(LENGTH_EXTRA[li]);
        const di = dist.decode(r);
        if (di >= 30) throw new Error('bad distance');
        const d = DIST_BASE[di] + r.bits(DIST_EXTRA[di]);
        if (d > out.length) throw new Error('distance too far');
        out.ensure(len);
        const b = out.buf;
        let from = out.length - d;
        for (let k = 0; k < len; k++) b[out.length++] = b[from++];
      }
    }
  }
  return { out: out.buf.slice(0, out.length), end: r.pos };
}

/**
 * The body decompressed as Wireshark's tvb_uncompress does for gzip and deflate content codings:
 * a gzip member, a zlib stream or raw DEFLATE, tried in that order. Undefined when it fails or
 * would be larger than the bounds (then the body is shown compressed).
 */
export function inflateBody(data: Uint8Array): Uint8Array | undefined {
  if (data.length === 0) return undefined;
  const limit = Math.min(INFLATE_LIMIT, Math.max(64 * 1024, data.length * MAX_RATIO));
  try {
    if (data.length >= 18 && data[0] === 0x1f && data[1] === 0x8b && data[2] === 8) {
      // RFC 1952 §2.3: fixed header, then optional extra, name, comment and header CRC.
      const flags = data[3];
      let at = 10;
      if (flags & 4) at += 2 + (data[at] | (data[at + 1] << 8));
      if (flags & 8) while (at < data.length && data[at++] !== 0);
      if (flags & 16) while (at < data.length && data[at++] !== 0);
      if (flags & 2) at += 2;
      if (at >= data.length) return undefined;
      return inflateRaw(data, at, limit).out;
    }
    if (data.length >= 2 && (data[0] & 0x0f) === 8 && ((data[0] << 8) | data[1]) % 31 === 0) {
      return inflateRaw(data, 2, limit).out;
    }
    return inflateRaw(data, 0, limit).out;
  } catch {
    return undefined;
  }
}
