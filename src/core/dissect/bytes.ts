// Reading integers and formatting addresses from captured bytes, without allocation on reads.
// Callers check bounds first; these functions do not.

export function u16(b: Uint8Array, o: number): number {
  return (b[o] << 8) | b[o + 1];
}

export function u24(b: Uint8Array, o: number): number {
  return (b[o] << 16) | (b[o + 1] << 8) | b[o + 2];
}

export function u32(b: Uint8Array, o: number): number {
  return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}

export function u16le(b: Uint8Array, o: number): number {
  return b[o] | (b[o + 1] << 8);
}

export function u32le(b: Uint8Array, o: number): number {
  return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
}

const hex2: string[] = [];
for (let i = 0; i < 256; i++) hex2.push(i.toString(16).padStart(2, '0'));
/** Two lowercase hex digits for each byte value. */
export const HEX2: readonly string[] = hex2;

const dec: string[] = [];
for (let i = 0; i < 256; i++) dec.push(String(i));
/** The decimal text of each byte value (no number-to-string conversion on the hot path). */
export const DEC: readonly string[] = dec;

// Filled on first use, but allocated whole: an array written at scattered indexes would turn
// into a slow dictionary.
const decimalTexts: (string | undefined)[] = new Array<string | undefined>(65536).fill(undefined);

/**
 * The decimal text of a number, from a table for 16-bit values (ports, lengths, windows), which
 * repeat from packet to packet: cheaper than a number-to-string conversion on the summary path.
 */
export function decimalText(v: number): string {
  if ((v & 0xffff) !== v) return String(v);
  let s = decimalTexts[v];
  if (s === undefined) decimalTexts[v] = s = String(v);
  return s;
}

/** Four lowercase hex digits of a 16-bit value ("0800"). */
export function hex4(v: number): string {
  return HEX2[(v >> 8) & 255] + HEX2[v & 255];
}

export function formatIPv4(a: number): string {
  return DEC[a >>> 24] + '.' + DEC[(a >>> 16) & 255] + '.' + DEC[(a >>> 8) & 255] + '.' + DEC[a & 255];
}

export function formatMac(b: Uint8Array, o: number): string {
  return `${HEX2[b[o]]}:${HEX2[b[o + 1]]}:${HEX2[b[o + 2]]}:${HEX2[b[o + 3]]}:${HEX2[b[o + 4]]}:${HEX2[b[o + 5]]}`;
}

/** Colon-separated hex bytes ("01:02:03"), as Wireshark shows FT_BYTES in fields. */
export function formatBytesColon(b: Uint8Array, o: number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += (i ? ':' : '') + HEX2[b[o + i]];
  return s;
}

/** Plain hex ("010203"), as tshark's -T fields prints FT_BYTES. */
export function formatBytesHex(b: Uint8Array, o: number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += HEX2[b[o + i]];
  return s;
}

/** RFC 5952 text form of the IPv6 address at b[o..o+16]. */
export function formatIPv6(b: Uint8Array, o: number): string {
  const w: number[] = [];
  for (let i = 0; i < 8; i++) w.push((b[o + 2 * i] << 8) | b[o + 2 * i + 1]);
  // IPv4-mapped and IPv4-compatible forms keep the dotted quad, as inet_ntop does.
  if (
    w[0] === 0 &&
    w[1] === 0 &&
    w[2] === 0 &&
    w[3] === 0 &&
    w[4] === 0 &&
    (w[5] === 0xffff || (w[5] === 0 && w[6] !== 0))
  ) {
    const v4 = `${b[o + 12]}.${b[o + 13]}.${b[o + 14]}.${b[o + 15]}`;
    if (w[5] === 0xffff) return `::ffff:${v4}`;
    if (w[6] > 0 || w[7] > 1) return `::${v4}`;
  }
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (w[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && w[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  let s = '';
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      s += '::';
      i += bestLen - 1;
      continue;
    }
    if (s.length && !s.endsWith(':')) s += ':';
    s += w[i].toString(16);
  }
  return s;
}

/** Internet checksum (RFC 1071) over b[o..o+n], folded with an initial partial sum. */
export function onesComplementSum(b: Uint8Array, o: number, n: number, initial = 0): number {
  let sum = initial;
  const end = o + n - 1;
  let i = o;
  for (; i < end; i += 2) sum += (b[i] << 8) | b[i + 1];
  if (i === end) sum += b[i] << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}
