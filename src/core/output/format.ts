// Turns tree items into text: the value as tshark's -T fields prints it, and the label the
// details tree shows (Wireshark's "Name: value" forms, bitmask pictures, value strings).

import { fieldById, type FieldInfo } from '../dissect/fields.js';
import type { Packet } from '../dissect/packet.js';
import { APPENDED, GENERATED } from '../dissect/tree.js';
import { decimalText, formatBytesHex, formatIPv4, formatIPv6, formatMac, HEX2 } from '../dissect/bytes.js';

/** The bytes an item points into. */
export function itemBytes(p: Packet, i: number): Uint8Array {
  return p.sources[p.tree.source[i]]?.data ?? p.data;
}

function pad9(n: number): string {
  const s = String(n);
  return '000000000'.slice(s.length) + s;
}

/** seconds + nanoseconds of the same sign as "s.nnnnnnnnn". */
export function formatInterval(sec: number, nsec: number): string {
  if (sec < 0 || nsec < 0) return `-${Math.abs(sec)}.${pad9(Math.abs(nsec))}`;
  return `${sec}.${pad9(nsec)}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Wireshark's absolute time text in UTC: "Jan  7, 2010 19:38:34.341715000 UTC". */
export function formatAbsoluteUtc(sec: number, nsec: number): string {
  if (!Number.isFinite(sec)) return `${sec}.${pad9(nsec)}`;
  // The proleptic Gregorian calendar by arithmetic (days from civil, inverted), as glibc's gmtime
  // gives tshark: JavaScript's Date stops at the year 275760, pcapng time stamps do not.
  const days = Math.floor(sec / 86400);
  const inDay = sec - days * 86400;
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const two = (n: number) => String(n).padStart(2, '0');
  const time = `${two(Math.floor(inDay / 3600))}:${two(Math.floor(inDay / 60) % 60)}:${two(inDay % 60)}`;
  return `${MONTHS[month - 1]} ${String(day).padStart(2, ' ')}, ${year} ${time}.${pad9(nsec)} UTC`;
}

export function hexDigits(info: FieldInfo): number {
  return Math.max(1, Math.ceil((info.bits ?? 32) / 4));
}

// Hex texts of 16-bit values (flags), made once on first use: most -T fields values are small
// numbers that repeat, and a table read is cheaper than a number-to-string conversion.
const hexTexts: (string | undefined)[][] = [0, 1, 2, 3, 4].map(() =>
  new Array<string | undefined>(65536).fill(undefined),
);

function hex(v: number, digits: number): string {
  if ((v & 0xffff) === v && digits <= 4) {
    const cache = hexTexts[digits];
    const known = cache[v];
    if (known !== undefined) return known;
  }
  const s = (v >>> 0).toString(16);
  const text = '0x' + (s.length >= digits ? s : '0'.repeat(digits - s.length) + s);
  if ((v & 0xffff) === v && digits <= 4) hexTexts[digits][v] = text;
  return text;
}

/** A numeric value in the field's base, as tshark -T fields prints it. */
function formatInteger(info: FieldInfo, v: number): string {
  switch (info.base) {
    case 'hex':
    case 'hex_dec':
      return v < 0 ? String(v) : hex(v, hexDigits(info));
    case 'oct':
      return '0' + v.toString(8);
    default:
      return decimalText(v);
  }
}

/** How fieldText formats a field: the common cases without the general switch. */
export const TEXT_GENERAL = 0;
export const TEXT_DECIMAL = 1;
export const TEXT_IPV4 = 2;
export const TEXT_HEX = 3;
export const TEXT_STRING = 4;

/** The formatting case of a field for fieldText (decided once per field, not per value). */
export function fieldTextKind(info: FieldInfo): number {
  const narrow = (info.bits ?? 32) <= 32;
  if (info.type === 'ipv4') return TEXT_IPV4;
  if ((info.type === 'uint' || info.type === 'int') && narrow) {
    if (info.base === 'hex' || info.base === 'hex_dec') return TEXT_HEX;
    if (info.base !== 'oct') return TEXT_DECIMAL;
  }
  if (info.type === 'string') return TEXT_STRING;
  return TEXT_GENERAL;
}

const CONTROL_ESCAPES: Record<number, string> = {
  0x08: '\\b',
  0x09: '\\t',
  0x0a: '\\n',
  0x0c: '\\f',
  0x0d: '\\r',
};

/**
 * A string value as tshark's -T fields prints it: backspace, tab, newline, form feed and carriage
 * return as \b \t \n \f \r, so a value never breaks the line or the columns; other
 * characters (backslash, BEL, VT, ESC, DEL) as they are, as tshark 4.0 writes them.
 */
export function escapeControls(s: string): string {
  let out = '';
  let run = 0;
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c > 0x0d) continue;
    const e = CONTROL_ESCAPES[c];
    if (e === undefined) continue;
    out += s.slice(run, k) + e;
    run = k + 1;
  }
  return run === 0 ? s : out + s.slice(run);
}

/**
 * formatValue for a field whose fieldTextKind is `kind` (-T fields' per-item call): integers of
 * at most 32 bits and IPv4 addresses straight from the number, everything else as formatValue.
 */
export function fieldText(p: Packet, i: number, kind: number): string {
  const v = p.tree.num[i];
  switch (kind) {
    case TEXT_DECIMAL:
      return decimalText(v);
    case TEXT_IPV4:
      return formatIPv4(v);
    case TEXT_HEX:
      return v < 0 ? String(v) : hex(v, hexDigits(fieldById(p.tree.field[i])));
    case TEXT_STRING:
      return escapeControls(formatValue(p, i));
    default:
      return formatValue(p, i);
  }
}

/** The value of item i as tshark's -T fields prints it. */
export function formatValue(p: Packet, i: number): string {
  const t = p.tree;
  const fid = t.field[i];
  if (fid < 0) return '';
  const info = fieldById(fid);
  const v = t.num[i];
  switch (info.type) {
    case 'none':
    case 'protocol':
      // tshark prints "1" for a present label field (e.g. tcp.analysis.retransmission).
      return t.obj[i] !== undefined ? String(t.obj[i]) : '1';
    case 'bool':
      return v ? '1' : '0';
    case 'uint':
    case 'int':
      if (typeof t.obj[i] === 'bigint') return (t.obj[i] as bigint).toString(info.base === 'hex' ? 16 : 10);
      return formatInteger(info, v);
    case 'framenum':
      return String(v);
    case 'float':
      return String(v);
    case 'abstime':
      if (info.abbrev.endsWith('_epoch') || info.base === 'dec') return formatInterval(v, (t.obj[i] as number) ?? 0);
      return formatAbsoluteUtc(v, (t.obj[i] as number) ?? 0);
    case 'reltime':
      return formatInterval(v, (t.obj[i] as number) ?? 0);
    case 'string':
      return t.obj[i] === undefined ? '' : String(t.obj[i]);
    case 'ipv4':
      return formatIPv4(v);
    case 'ether':
      return formatMac(itemBytes(p, i), t.start[i]);
    case 'ipv6':
      return formatIPv6(itemBytes(p, i), t.start[i]);
    case 'bytes':
      if (t.obj[i] instanceof Uint8Array) {
        const b = t.obj[i] as Uint8Array;
        return formatBytesHex(b, 0, b.length);
      }
      return formatBytesHex(itemBytes(p, i), t.start[i], t.length[i]);
  }
}

/** Wireshark's bitmask picture: ".... ..1. .... ...." for `mask` within a `bits`-wide integer. */
export function bitPicture(mask: number, bits: number, value: number): string {
  const shift = lowestBit(mask);
  const raw = value * 2 ** shift;
  let s = '';
  for (let b = bits - 1; b >= 0; b--) {
    const bit = 2 ** b;
    const inMask = Math.floor(mask / bit) % 2 === 1;
    s += inMask ? (Math.floor(raw / bit) % 2 === 1 ? '1' : '0') : '.';
    if (b > 0 && b % 4 === 0) s += ' ';
  }
  return s;
}

function lowestBit(mask: number): number {
  let shift = 0;
  while (mask > 0 && Math.floor(mask / 2 ** shift) % 2 === 0) shift++;
  return shift;
}

/** The details-tree text of item i (its custom label, or "Name: value"). */
export function formatLabel(p: Packet, i: number): string {
  const t = p.tree;
  const generated = (t.flags[i] & GENERATED) !== 0;
  const custom = t.label[i];
  const fid = t.field[i];
  let text: string;
  // Where " [truncated]" goes in a label too long (label_mark_truncated): after the field name,
  // or in front of a formatted text; -1 for a label with an appended summary (APPENDED), cut
  // without a mark.
  let namePos = 0;
  if (custom !== undefined) {
    text = custom;
    if (t.flags[i] & APPENDED) namePos = -1;
  } else {
    if (fid < 0) return '';
    const info = fieldById(fid);
    text = defaultLabel(p, i, info);
    const at = text.indexOf(info.name + ':');
    namePos = at >= 0 ? at + info.name.length : 0;
  }
  // Wireshark shows computed items in brackets; some custom labels carry them already.
  if (text.length * 3 >= LABEL_MAX) {
    if (generated && text.startsWith('[') && text.endsWith(']')) {
      return `[${truncateLabel(text.slice(1, -1), namePos > 0 ? namePos - 1 : namePos)}]`;
    }
    text = truncateLabel(text, namePos);
  }
  return generated && !text.startsWith('[') ? `[${text}]` : text;
}

/** Wireshark's label buffer (ITEM_LABEL_LENGTH): a label of this many UTF-8 bytes or more is cut. */
const LABEL_MAX = 240;
const labelEncoder = new TextEncoder();
const labelDecoder = new TextDecoder();

/**
 * A label as Wireshark cuts one that does not fit its buffer: with `namePos` >= 0,
 * label_mark_truncated's " [truncated]" inserted there (after the field name, or at the start
 * of a text) and the whole cut to 238 bytes; with -1, text appended to a label that fit is cut
 * at 239 bytes without a mark. Cuts fall on character boundaries.
 */
export function truncateLabel(text: string, namePos: number): string {
  if (labelEncoder.encode(text).length < LABEL_MAX) return text;
  const marked = labelEncoder.encode(
    namePos < 0 ? text : text.slice(0, namePos) + ' [truncated]' + text.slice(namePos),
  );
  let cut = namePos < 0 ? LABEL_MAX - 1 : LABEL_MAX - 2;
  while (cut > 0 && (marked[cut] & 0xc0) === 0x80) cut--;
  return labelDecoder.decode(marked.subarray(0, cut));
}

function defaultLabel(p: Packet, i: number, info: FieldInfo): string {
  const t = p.tree;
  const v = t.num[i];
  const unit = info.unit ?? '';
  const prefix = info.mask !== undefined && info.bits ? bitPicture(info.mask, info.bits, v) + ' = ' : '';
  switch (info.type) {
    case 'none':
    case 'protocol':
      return info.name;
    case 'bool': {
      const tf = info.trueFalse ?? ['True', 'False'];
      return `${prefix}${info.name}: ${v ? tf[0] : tf[1]}`;
    }
    case 'uint':
    case 'int': {
      const raw = formatValue(p, i);
      const name = info.strings?.get(v);
      if (name !== undefined && info.base === 'none') return `${prefix}${info.name}: ${name}`;
      if (name !== undefined) return `${prefix}${info.name}: ${name} (${raw})`;
      // Wireshark labels a value its value strings do not know as "Unknown".
      if (info.strings !== undefined) return `${prefix}${info.name}: Unknown (${raw})`;
      if (info.base === 'dec_hex') return `${prefix}${info.name}: ${raw} (${hex(v, hexDigits(info))})`;
      if (info.base === 'hex_dec') return `${prefix}${info.name}: ${raw} (${v})`;
      return `${prefix}${info.name}: ${raw}${unit}`;
    }
    case 'abstime':
      if (info.abbrev.endsWith('_epoch')) return `${info.name}: ${formatValue(p, i)}${unit}`;
      return `${info.name}: ${formatAbsoluteUtc(v, (t.obj[i] as number) ?? 0)}`;
    case 'reltime':
      return `${info.name}: ${formatValue(p, i)}${unit}`;
    case 'bytes': {
      const b = itemBytes(p, i);
      const n = t.length[i];
      // Wireshark shows at most 36 bytes of a byte field in its label, then an ellipsis.
      let s = '';
      for (let k = 0; k < Math.min(n, 36); k++) s += HEX2[b[t.start[i] + k]];
      return `${info.name}: ${s}${n > 36 ? '…' : ''}`;
    }
    default:
      return `${prefix}${info.name}: ${formatValue(p, i)}${unit}`;
  }
}
