// The packet-list columns (No., Time, Source, Destination, Protocol, Length, Info) as tshark
// prints them by default, and the column pseudo-fields `_ws.col.*` for -T fields.

import type { Packet } from '../dissect/packet.js';
import { formatInterval } from './format.js';
import { decimalText } from '../dissect/bytes.js';
import { encodeUtf8, uintWidth, writeUint } from './utf8.js';

export const COLUMN_FIELDS = [
  '_ws.col.No.',
  '_ws.col.number',
  '_ws.col.Time',
  '_ws.col.cls_time',
  '_ws.col.Source',
  '_ws.col.def_src',
  '_ws.col.Destination',
  '_ws.col.def_dst',
  '_ws.col.Protocol',
  '_ws.col.protocol',
  '_ws.col.Length',
  '_ws.col.packet_length',
  '_ws.col.Info',
  '_ws.col.info',
] as const;

export function isColumnField(name: string): boolean {
  return (COLUMN_FIELDS as readonly string[]).includes(name);
}

/** Relative time of the packet with `digits` decimals (tshark's default time column). */
export function relativeTime(p: Packet, digits: number): string {
  const s = p.session;
  let sec = p.meta.tsSec - s.firstSec;
  let nsec = p.meta.tsNsec - s.firstNsec;
  if (sec > 0 && nsec < 0) {
    sec -= 1;
    nsec += 1e9;
  } else if (sec < 0 && nsec > 0) {
    sec += 1;
    nsec -= 1e9;
  }
  if (sec >= 0 && nsec >= 0 && digits >= 1 && digits < 9) {
    // The usual case without the 9-digit text and its slice: the fraction cut to `digits`.
    const fraction = String(Math.floor(nsec / SCALE[digits]));
    return decimalText(sec) + '.' + ZEROS.slice(0, digits - fraction.length) + fraction;
  }
  const full = formatInterval(sec, nsec);
  return digits >= 9 ? full : full.slice(0, full.length - (9 - digits));
}

/** 10^(9 - digits): nanoseconds per unit of the last shown digit. */
const SCALE = [1e9, 1e8, 1e7, 1e6, 1e5, 1e4, 1e3, 100, 10, 1];
const ZEROS = '000000000';

/** The text of a column pseudo-field for this packet. */
export function columnValue(p: Packet, name: string, timeDigits: number): string {
  switch (name) {
    case '_ws.col.No.':
    case '_ws.col.number':
      return String(p.meta.number);
    case '_ws.col.Time':
    case '_ws.col.cls_time':
      return relativeTime(p, timeDigits);
    case '_ws.col.Source':
    case '_ws.col.def_src':
      return p.srcCol;
    case '_ws.col.Destination':
    case '_ws.col.def_dst':
      return p.dstCol;
    case '_ws.col.Protocol':
    case '_ws.col.protocol':
      return p.protocolCol;
    case '_ws.col.Length':
    case '_ws.col.packet_length':
      return String(p.meta.origLen);
    default:
      return p.infoCol;
  }
}

/**
 * One packet-list line in tshark's layout: number right-aligned in 5, time right-aligned in 10,
 * source right-aligned in 12, an arrow, destination left-aligned in 12, then protocol, length, info.
 */
export function summaryLine(p: Packet, timeDigits: number): string {
  const no = String(p.meta.number);
  const time = relativeTime(p, timeDigits);
  const src = p.srcCol;
  const dst = p.dstCol;
  let line = (no.length < 5 ? '     '.slice(no.length) + no : no) + ' ';
  line += (time.length < 10 ? '          '.slice(time.length) + time : time) + ' ';
  if (src !== '' || dst !== '') {
    line += (src.length < 12 ? '            '.slice(src.length) + src : src) + ' → ';
    line += (dst.length < 12 ? dst + '            '.slice(dst.length) : dst) + ' ';
  }
  return line + p.protocolCol + ' ' + p.meta.origLen + ' ' + p.infoCol;
}

/** The arrow between Source and Destination, " → ", as UTF-8. */
const ARROW = [0x20, 0xe2, 0x86, 0x92, 0x20];

/**
 * summaryLine() as UTF-8 bytes in `bytes`, for the CLI's packet list: no line string to build and
 * no two-byte text (the arrow) for Node to encode, which was a large share of the default output.
 * The bytes are exactly those of summaryLine(p, timeDigits) encoded as UTF-8.
 */
export class SummaryWriter {
  bytes = new Uint8Array(4096);

  /** Writes the line for `p` into `bytes` and returns its length. */
  line(p: Packet, timeDigits: number): number {
    const src = p.srcCol;
    const dst = p.dstCol;
    const protocol = p.protocolCol;
    const info = p.infoCol;
    // The number, time, padding, arrow and length take well under 200 bytes; text at most 3
    // bytes per UTF-16 code unit.
    const out = this.room(200 + 3 * (src.length + dst.length + protocol.length + info.length));
    let at = padUint(out, 0, p.meta.number, 5);
    out[at++] = 0x20;
    at = this.time(out, at, p, timeDigits);
    out[at++] = 0x20;
    if (src !== '' || dst !== '') {
      for (let k = src.length; k < 12; k++) out[at++] = 0x20;
      at = encodeUtf8(src, out, at);
      for (let k = 0; k < 5; k++) out[at++] = ARROW[k];
      at = encodeUtf8(dst, out, at);
      for (let k = dst.length; k < 12; k++) out[at++] = 0x20;
      out[at++] = 0x20;
    }
    at = encodeUtf8(protocol, out, at);
    out[at++] = 0x20;
    const len = p.meta.origLen;
    if (len >= 0 && len <= 0xffffffff && Math.floor(len) === len) at = writeUint(out, at, len);
    else at = encodeUtf8(String(len), out, at);
    out[at++] = 0x20;
    return encodeUtf8(info, out, at);
  }

  /** The time column right-aligned in 10, as relativeTime() gives it. */
  private time(out: Uint8Array, at: number, p: Packet, digits: number): number {
    const s = p.session;
    let sec = p.meta.tsSec - s.firstSec;
    let nsec = p.meta.tsNsec - s.firstNsec;
    if (sec > 0 && nsec < 0) {
      sec -= 1;
      nsec += 1e9;
    }
    // The usual case (a later packet, a short fraction) as digits; the rest through the text.
    if (sec >= 0 && nsec >= 0 && sec <= 0xffffffff && Math.floor(sec) === sec && digits >= 1 && digits < 9) {
      const fraction = Math.floor(nsec / SCALE[digits]);
      for (let k = uintWidth(sec) + 1 + digits; k < 10; k++) out[at++] = 0x20;
      at = writeUint(out, at, sec);
      out[at++] = 0x2e;
      return padZeros(out, at, fraction, digits);
    }
    const time = relativeTime(p, digits);
    for (let k = time.length; k < 10; k++) out[at++] = 0x20;
    return encodeUtf8(time, out, at);
  }

  /** `bytes` with room for `more` bytes (the line starts at 0, so nothing needs copying). */
  private room(more: number): Uint8Array {
    if (more > this.bytes.length) this.bytes = new Uint8Array(Math.max(this.bytes.length * 2, more));
    return this.bytes;
  }
}

/** An unsigned number right-aligned in `width` (wider numbers as they are). */
function padUint(out: Uint8Array, at: number, v: number, width: number): number {
  if (!(v >= 0 && v <= 0xffffffff && Math.floor(v) === v)) {
    const text = String(v);
    for (let k = text.length; k < width; k++) out[at++] = 0x20;
    return encodeUtf8(text, out, at);
  }
  for (let k = uintWidth(v); k < width; k++) out[at++] = 0x20;
  return writeUint(out, at, v);
}

/** An unsigned number as exactly `digits` digits with leading zeros (it has no more digits). */
function padZeros(out: Uint8Array, at: number, v: number, digits: number): number {
  for (let k = uintWidth(v); k < digits; k++) out[at++] = 0x30;
  return writeUint(out, at, v);
}
