// A small, defensive BER/DER reader for the ASN.1 protocols (X.509 certificates, OCSP, CRLs) and
// the "ber.oid" dissector table of Wireshark's packet-ber.c: values whose type is given by an
// OBJECT IDENTIFIER are handed to the protocol registered for it, which is what puts x509sat,
// x509ce, pkcs-1, ... into frame.protocols in the order their dissectors are entered.

import { decodeText } from '../capture/decode-text.js';
import type { Packet } from './packet.js';
import { defineFields } from './fields.js';

export const berFields = defineFields({
  bitstringPadding: { abbrev: 'ber.bitstring.padding', name: 'Padding', type: 'uint', bits: 8, base: 'dec' },
});

/** Tag classes (the two high bits of the identifier octet). */
export const BER_CLASS = { UNI: 0, APP: 1, CON: 2, PRI: 3 } as const;

/** Universal tags used here. */
export const BER_TAG = {
  BOOLEAN: 1,
  INTEGER: 2,
  BITSTRING: 3,
  OCTETSTRING: 4,
  NULL: 5,
  OID: 6,
  ENUMERATED: 10,
  UTF8String: 12,
  SEQUENCE: 16,
  SET: 17,
  NumericString: 18,
  PrintableString: 19,
  TeletexString: 20,
  IA5String: 22,
  UTCTime: 23,
  GeneralizedTime: 24,
  VisibleString: 26,
  UniversalString: 28,
  BMPString: 30,
} as const;

/** Deepest nesting any ASN.1 walker here follows (hostile data can nest without end). */
export const BER_MAX_DEPTH = 40;

/** One TLV, read in place: offsets are absolute in the buffer. Reused by the caller. */
export class Tlv {
  cls = 0;
  constructed = false;
  tag = 0;
  /** Offset of the identifier octet. */
  start = 0;
  /** Offset of the contents. */
  contentStart = 0;
  /** Length of the contents. */
  length = 0;
  /** Offset just past the contents. */
  get end(): number {
    return this.contentStart + this.length;
  }
  is(cls: number, tag: number): boolean {
    return this.cls === cls && this.tag === tag;
  }
}

/**
 * The end of the data the current ASN.1 value came in (Wireshark's tvb): a length that runs past
 * it raises Wireshark's bounds exception, which ends the dissection of the whole PDU as
 * malformed. Callers set `end` before walking a value and read `exceeded` after it.
 */
export const berBounds = { end: Number.MAX_SAFE_INTEGER, exceeded: false };

/**
 * Reads the TLV at buf[off..] that must end at or before `limit` (the end of the enclosing value,
 * reported bytes). False when the header is cut, uses the indefinite form (DER forbids it, and
 * following it would mean scanning for end-of-contents), or claims more than `limit`. The
 * contents may still run past buf.length (a capture cut short): callers check before reading.
 */
export function readTlv(buf: Uint8Array, off: number, limit: number, out: Tlv): boolean {
  const cap = Math.min(limit, buf.length);
  if (off + 2 > cap) return false;
  let o = off;
  const id = buf[o++];
  out.cls = id >> 6;
  out.constructed = (id & 0x20) !== 0;
  let tag = id & 0x1f;
  if (tag === 0x1f) {
    // High tag number form: base-128 digits; more than 4 is no tag anyone uses.
    tag = 0;
    for (let n = 0; ; n++) {
      if (o >= cap || n === 4) return false;
      const b = buf[o++];
      tag = tag * 128 + (b & 0x7f);
      if ((b & 0x80) === 0) break;
    }
  }
  out.tag = tag;
  if (o >= cap) return false;
  let len = buf[o++];
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || o + n > cap) return false;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[o++];
  }
  if (o + len > limit) {
    if (o + len > berBounds.end) berBounds.exceeded = true;
    return false;
  }
  out.start = off;
  out.contentStart = o;
  out.length = len;
  return true;
}

/** The dotted text of an OBJECT IDENTIFIER's contents buf[from..to) ('' when malformed). */
export function oidText(buf: Uint8Array, from: number, to: number): string {
  if (to > buf.length || from >= to || to - from > 128) return '';
  let s = '';
  let v = 0;
  let first = true;
  for (let i = from; i < to; i++) {
    const b = buf[i];
    v = v * 128 + (b & 0x7f);
    if (v > Number.MAX_SAFE_INTEGER / 256) return '';
    if (b & 0x80) continue;
    if (first) {
      // X.690 8.19.4: the first subidentifier packs the first two arcs.
      const a = v < 40 ? 0 : v < 80 ? 1 : 2;
      s = `${a}.${v - a * 40}`;
      first = false;
    } else {
      s += '.' + v;
    }
    v = 0;
  }
  // A last octet with the continuation bit set is malformed.
  return (buf[to - 1] & 0x80) !== 0 ? '' : s;
}

/** Unsigned big-endian value of at most 6 content octets (INTEGER, BOOLEAN, ENUMERATED). */
export function berUint(buf: Uint8Array, from: number, to: number): number {
  let v = 0;
  const stop = Math.min(to, buf.length, from + 6);
  for (let i = from; i < stop; i++) v = v * 256 + buf[i];
  return v;
}

/** Signed INTEGER of at most 6 content octets. */
export function berInt(buf: Uint8Array, from: number, to: number): number {
  if (from >= to || from >= buf.length) return 0;
  const v = berUint(buf, from, to);
  const n = Math.min(to, buf.length, from + 6) - from;
  return buf[from] & 0x80 ? v - 2 ** (8 * n) : v;
}

const utf8 = new TextDecoder('utf-8');
const latin1 = new TextDecoder('latin1');

/** A string value's text, decoded as Wireshark does for its ASN.1 string type (tag). */
export function berString(buf: Uint8Array, from: number, to: number, tag: number): string {
  const stop = Math.min(to, buf.length);
  if (stop <= from) return '';
  const bytes = buf.subarray(from, stop);
  if (tag === BER_TAG.BMPString) {
    let s = '';
    for (let i = 0; i + 1 < bytes.length; i += 2) s += String.fromCharCode((bytes[i] << 8) | bytes[i + 1]);
    return s;
  }
  if (tag === BER_TAG.UniversalString) {
    let s = '';
    for (let i = 0; i + 3 < bytes.length; i += 4) {
      const c = ((bytes[i] << 24) | (bytes[i + 1] << 16) | (bytes[i + 2] << 8) | bytes[i + 3]) >>> 0;
      s += c <= 0x10ffff ? String.fromCodePoint(c) : '\ufffd';
    }
    return s;
  }
  if (tag === BER_TAG.UTF8String) return decodeText(utf8, bytes);
  if (tag === BER_TAG.TeletexString) return decodeText(latin1, bytes);
  // Printable, IA5, Visible, Numeric: ASCII; other bytes show as the replacement character.
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += bytes[i] < 0x80 ? String.fromCharCode(bytes[i]) : '\ufffd';
  return s;
}

/**
 * UTCTime / GeneralizedTime contents as Wireshark shows them: "2014-12-10 11:33:37 (UTC)";
 * the raw text when it is not of the usual form.
 */
export function berTime(buf: Uint8Array, from: number, to: number, tag: number): string {
  const raw = berString(buf, from, to, BER_TAG.IA5String);
  const m =
    tag === BER_TAG.UTCTime
      ? /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)?Z$/.exec(raw)
      : /^(\d\d\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)?(\.\d+)?Z$/.exec(raw);
  if (!m) return raw;
  let year = m[1];
  // X.509 (RFC 5280 4.1.2.5.1): a two-digit year below 50 is 20YY.
  if (tag === BER_TAG.UTCTime) year = (Number(year) < 50 ? '20' : '19') + year;
  const frac = tag === BER_TAG.GeneralizedTime && m[7] ? m[7] : '';
  return `${year}-${m[2]}-${m[3]} ${m[4]}:${m[5]}:${m[6] ?? '00'}${frac} (UTC)`;
}

/**
 * UTCTime / GeneralizedTime contents as seconds since the epoch and nanoseconds (for Wireshark's
 * FT_ABSOLUTE_TIME fields); undefined when not of the usual form.
 */
export function berTimeEpoch(buf: Uint8Array, from: number, to: number, tag: number): [number, number] | undefined {
  const raw = berString(buf, from, to, BER_TAG.IA5String);
  const m =
    tag === BER_TAG.UTCTime
      ? /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)?Z$/.exec(raw)
      : /^(\d\d\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)?(\.\d+)?Z$/.exec(raw);
  if (!m) return undefined;
  let year = Number(m[1]);
  if (tag === BER_TAG.UTCTime) year += year < 50 ? 2000 : 1900;
  const ms = Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? '0'));
  const frac = tag === BER_TAG.GeneralizedTime && m[7] ? Math.round(Number('0' + m[7]) * 1e9) : 0;
  return [Math.floor(ms / 1000), frac];
}

/**
 * What a protocol registered for an OID does with the value that follows it. `end` is the end of
 * the enclosing value (the value may be shorter); `depth` the nesting so far.
 */
export type BerOidDissector = (p: Packet, buf: Uint8Array, off: number, end: number, depth: number) => void;

interface OidEntry {
  /** Wireshark's name for the OID ("id-at-commonName"). */
  name: string;
  /** frame.protocols name of the registering protocol; '' for a dissector that returns 0. */
  protocol: string;
  dissect: BerOidDissector | undefined;
}

const oidTable = new Map<string, OidEntry>();
const oidNames = new Map<string, string>();

/**
 * Registers the protocol for values identified by `oid` (register_ber_oid_dissector). A
 * `protocol` of '' stands for Wireshark's dissect_ber_oid_NULL_callback, which accepts nothing:
 * its layer is taken back, so it never shows in frame.protocols.
 */
export function registerBerOid(oid: string, name: string, protocol: string, dissect?: BerOidDissector): void {
  oidTable.set(oid, { name, protocol, dissect });
  oidNames.set(oid, name);
}

/** Names an OID without a dissector (oid_add_from_string), e.g. hash algorithms, curves. */
export function nameOid(oid: string, name: string): void {
  if (!oidNames.has(oid)) oidNames.set(oid, name);
}

/** Wireshark's name of an OID, or undefined. */
export function oidName(oid: string): string | undefined {
  return oidNames.get(oid);
}

const OID_ROOTS = ['itu-t', 'iso', 'joint-iso-itu-t'];

/**
 * Wireshark's resolved form of an OID (oid_resolved): its name, else the name of its nearest named
 * prefix followed by the remaining arcs ("iso.3.6.1.4.1.11129.2.5.1").
 */
export function oidResolved(oid: string): string {
  const exact = oidNames.get(oid);
  if (exact !== undefined) return exact;
  for (let cut = oid.lastIndexOf('.'); cut > 0; cut = oid.lastIndexOf('.', cut - 1)) {
    const name = oidNames.get(oid.slice(0, cut));
    if (name !== undefined) return name + oid.slice(cut);
  }
  const dot = oid.indexOf('.');
  const root = OID_ROOTS[Number(dot < 0 ? oid : oid.slice(0, dot))];
  return root === undefined ? oid : root + (dot < 0 ? '' : oid.slice(dot));
}

/** "2.5.4.3 (id-at-commonName)" as Wireshark labels an OID value. */
export function oidLabel(oid: string): string {
  return oid === '' ? oid : `${oid} (${oidResolved(oid)})`;
}

const OID_NOT_IMPLEMENTED =
  'BER: Dissector for OID not implemented. Contact Wireshark developers if you want this supported';

/**
 * Hands the value at buf[off..end) to the protocol registered for `oid` (call_ber_oid_callback):
 * its layer is added first, as Wireshark adds a protocol when its dissector is entered. Returns
 * false when no dissector is registered (Wireshark then shows the value as unknown BER).
 */
export function callBerOid(p: Packet, oid: string, buf: Uint8Array, off: number, end: number, depth: number): boolean {
  const e = oidTable.get(oid);
  if (e === undefined) {
    // Wireshark marks the value undecoded, unless it is a NULL (05 00).
    const isNull = off + 2 <= buf.length && buf[off] === 0x05 && buf[off + 1] === 0x00;
    if (!isNull && off < end) {
      const t = p.tree;
      const i = t.addText(off, end - off, OID_NOT_IMPLEMENTED);
      t.open(i);
      p.expert('ber', 'ber.error.oid_not_implemented', 'warn', 'undecoded', OID_NOT_IMPLEMENTED, off, end - off);
      t.close();
    }
    return false;
  }
  if (e.protocol === '') return true;
  p.addLayer(e.protocol);
  if (e.dissect !== undefined && depth < BER_MAX_DEPTH) e.dissect(p, buf, off, end, depth + 1);
  return true;
}
