// The packet-list columns (No., Time, Source, Destination, Protocol, Length, Info) as tshark
// prints them by default, and the column pseudo-fields `_ws.col.*` for -T fields.

import type { Packet } from '../dissect/packet.js';
import { formatInterval } from './format.js';
import { decimalText } from '../dissect/bytes.js';

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
