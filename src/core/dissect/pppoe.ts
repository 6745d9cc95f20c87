// PPP over Ethernet (RFC 2516): the session stage (EtherType 0x8864, a 6-byte header then PPP)
// and the discovery stage (0x8863: PADI/PADO/PADR/PADS/PADT with their tags), as Wireshark's
// packet-pppoe.c shows them.

import { defineFields, valueStrings } from './fields.js';
import { ethertypeTable } from './tables.js';
import type { Packet } from './packet.js';
import { u16, u32 } from './bytes.js';
import { dissectPpp } from './ppp.js';

const CODE_NAMES = valueStrings({
  0x00: 'Session Data',
  0x07: 'Active Discovery Offer (PADO)',
  0x09: 'Active Discovery Initiation (PADI)',
  0x0a: 'Active Discovery Session-Grant (PADG)',
  0x0b: 'Active Discovery Session-Credit Resp.(PADC)',
  0x0c: 'Active Discovery Quality (PADQ)',
  0x19: 'Active Discovery Request (PADR)',
  0x65: 'Active Discovery Session-confirmation (PADS)',
  0xa7: 'Active Discovery Terminate (PADT)',
  0xd3: 'Active Discovery Message (PADM)',
  0xd4: 'Active Discovery Network (PADN)',
});

export const pppoeFields = defineFields({
  pppoes: { abbrev: 'pppoes', name: 'PPP-over-Ethernet Session', type: 'protocol' },
  pppoed: { abbrev: 'pppoed', name: 'PPP-over-Ethernet Discovery', type: 'protocol' },
  version: { abbrev: 'pppoe.version', name: 'Version', type: 'uint', bits: 8, base: 'dec', mask: 0xf0 },
  type: { abbrev: 'pppoe.type', name: 'Type', type: 'uint', bits: 8, base: 'dec', mask: 0x0f },
  code: { abbrev: 'pppoe.code', name: 'Code', type: 'uint', bits: 8, base: 'hex', strings: CODE_NAMES },
  sessionId: { abbrev: 'pppoe.session_id', name: 'Session ID', type: 'uint', bits: 16, base: 'hex' },
  payloadLength: { abbrev: 'pppoe.payload_length', name: 'Payload Length', type: 'uint', bits: 16, base: 'dec' },
  tags: { abbrev: 'pppoed.tags', name: 'PPPoE Tags', type: 'none' },
  tag: { abbrev: 'pppoed.tag', name: 'Tag', type: 'uint', bits: 16, base: 'hex' },
  tagLength: { abbrev: 'pppoed.tag_length', name: 'Tag Length', type: 'uint', bits: 16, base: 'dec' },
  unknownData: { abbrev: 'pppoed.tag.unknown_data', name: 'Unknown Data', type: 'bytes' },
  serviceName: { abbrev: 'pppoed.tags.service_name', name: 'Service-Name', type: 'string' },
  acName: { abbrev: 'pppoed.tags.ac_name', name: 'AC-Name', type: 'string' },
  hostUniq: { abbrev: 'pppoed.tags.host_uniq', name: 'Host-Uniq', type: 'bytes' },
  acCookie: { abbrev: 'pppoed.tags.ac_cookie', name: 'AC-Cookie', type: 'bytes' },
  vendorId: { abbrev: 'pppoed.tags.vendor_id', name: 'Vendor id', type: 'uint', bits: 32, base: 'dec' },
  vendorUnspecified: { abbrev: 'pppoed.tags.vendor_unspecified', name: 'Vendor unspecified', type: 'bytes' },
  relaySessionId: { abbrev: 'pppoed.tags.relay_session_id', name: 'Relay-Session-Id', type: 'bytes' },
  maxPayload: { abbrev: 'pppoed.tags.max_payload', name: 'PPP-Max-Payload', type: 'bytes' },
  serviceNameError: { abbrev: 'pppoed.tags.service_name_error', name: 'Service-Name-Error', type: 'string' },
  acSystemError: { abbrev: 'pppoed.tags.ac_system_error', name: 'AC-System-Error', type: 'string' },
  genericError: { abbrev: 'pppoed.tags.generic_error', name: 'Generic-Error', type: 'string' },
});

const F = pppoeFields;
const HEADER_LEN = 6;
/** Wireshark warns about a payload length that disagrees with the frame only beyond this much data. */
const MIN_PAYLOAD_CHECKED = 40;

const TAG_END_OF_LIST = 0x0000;
const TAG_SERVICE_NAME = 0x0101;
const TAG_AC_NAME = 0x0102;
const TAG_HOST_UNIQ = 0x0103;
const TAG_AC_COOKIE = 0x0104;
const TAG_VENDOR = 0x0105;
const TAG_RELAY_SESSION_ID = 0x0110;
const TAG_MAX_PAYLOAD = 0x0120;
const TAG_SERVICE_NAME_ERROR = 0x0201;
const TAG_AC_SYSTEM_ERROR = 0x0202;
const TAG_GENERIC_ERROR = 0x0203;

/** The common 6-byte header; returns the payload length field. */
function header(p: Packet, buf: Uint8Array, off: number): number {
  const t = p.tree;
  t.add(F.version, off, 1, buf[off] >> 4);
  t.add(F.type, off, 1, buf[off] & 0x0f);
  t.add(F.code, off + 1, 1, buf[off + 1]);
  t.add(F.sessionId, off + 2, 2, u16(buf, off + 2));
  return u16(buf, off + 4);
}

export function dissectPppoeSession(p: Packet, buf: Uint8Array, off: number, end: number): void {
  const t = p.tree;
  p.addLayer('pppoes');
  p.setProtocol('PPPoES');
  p.setInfo('');
  if (p.short('PPPoES', buf, off, 2, end)) return;
  const code = buf[off + 1];
  if (p.wantColumns) p.setInfo(CODE_NAMES.get(code) ?? 'Unknown');
  if (p.short('PPPoES', buf, off, HEADER_LEN, end)) return;
  const top = t.add(F.pppoes, off, HEADER_LEN);
  t.open(top);
  const length = header(p, buf, off);
  const actual = end - (off + HEADER_LEN);
  const li = t.add(F.payloadLength, off + 4, 2, length);
  if (length !== actual && actual > MIN_PAYLOAD_CHECKED) {
    if (t.full) t.setLabel(li, `Payload Length: ${length} [incorrect, should be ${actual}]`);
    t.open(li);
    p.expert(
      'pppoes',
      'pppoe.payload_length.bad',
      'warn',
      'malformed',
      `Possible bad payload length ${length} != ${actual}`,
      off + 4,
      2,
    );
    t.close();
  }
  t.close();
  // The payload length rules over what the frame holds (the rest is Ethernet padding).
  const payloadEnd = length < actual ? off + HEADER_LEN + length : end;
  dissectPpp(p, buf, off + HEADER_LEN, payloadEnd);
}

export function dissectPppoeDiscovery(p: Packet, buf: Uint8Array, off: number, end: number): void {
  const t = p.tree;
  p.addLayer('pppoed');
  p.setProtocol('PPPoED');
  p.setInfo('');
  if (p.short('PPPoED', buf, off, 2, end)) return;
  const code = buf[off + 1];
  if (p.wantColumns) p.setInfo(CODE_NAMES.get(code) ?? 'Unknown');
  const capEnd = Math.min(end, buf.length);
  const top = t.add(F.pppoed, off, Math.min(HEADER_LEN, capEnd - off));
  t.open(top);
  if (p.short('PPPoED', buf, off, HEADER_LEN, end)) return;
  const length = header(p, buf, off);
  t.add(F.payloadLength, off + 4, 2, length);
  const tagsEnd = Math.min(end, off + HEADER_LEN + length);
  t.setLength(top, Math.min(tagsEnd, capEnd) - off);
  if (length > 0) tags(p, buf, off + HEADER_LEN, tagsEnd, end);
  t.close();
}

function tags(p: Packet, buf: Uint8Array, off: number, tagsEnd: number, end: number): void {
  const t = p.tree;
  const ti = t.add(F.tags, off, tagsEnd - off);
  t.open(ti);
  let o = off;
  while (o + 4 <= tagsEnd) {
    if (p.short('PPPoED', buf, o, 4, end)) return;
    const type = u16(buf, o);
    const len = u16(buf, o + 2);
    if (type === TAG_END_OF_LIST) break;
    const v = o + 4;
    if (len > 0) {
      if (p.short('PPPoED', buf, v, len, end)) return;
      tagValue(p, buf, type, v, len);
    }
    o = v + len;
  }
  t.close();
}

function tagValue(p: Packet, buf: Uint8Array, type: number, v: number, len: number): void {
  const t = p.tree;
  switch (type) {
    case TAG_SERVICE_NAME:
      if (t.keeps(F.serviceName)) t.addValue(F.serviceName, v, len, text(buf, v, len));
      break;
    case TAG_AC_NAME: {
      if (!t.keeps(F.acName) && !p.wantColumns) break;
      const name = text(buf, v, len);
      t.addValue(F.acName, v, len, name);
      p.appendInfo(` AC-Name='${name}'`);
      break;
    }
    case TAG_HOST_UNIQ:
      t.add(F.hostUniq, v, len);
      break;
    case TAG_AC_COOKIE:
      t.add(F.acCookie, v, len);
      break;
    case TAG_VENDOR:
      if (len >= 4) {
        t.add(F.vendorId, v, 4, u32(buf, v));
        if (len > 4) t.add(F.vendorUnspecified, v + 4, len - 4);
      } else t.add(F.unknownData, v, len);
      break;
    case TAG_RELAY_SESSION_ID:
      t.add(F.relaySessionId, v, len);
      break;
    case TAG_MAX_PAYLOAD:
      t.add(F.maxPayload, v, len);
      break;
    case TAG_SERVICE_NAME_ERROR:
      if (t.keeps(F.serviceNameError)) t.addValue(F.serviceNameError, v, len, text(buf, v, len));
      break;
    case TAG_AC_SYSTEM_ERROR:
      if (t.keeps(F.acSystemError)) t.addValue(F.acSystemError, v, len, text(buf, v, len));
      break;
    case TAG_GENERIC_ERROR:
      if (t.keeps(F.genericError)) t.addValue(F.genericError, v, len, text(buf, v, len));
      break;
    default:
      t.add(F.unknownData, v, len);
  }
}

/** Tag text as Latin-1 characters (tags are ASCII in practice). */
function text(buf: Uint8Array, o: number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(buf[o + i]);
  return s;
}

ethertypeTable.add(0x8864, dissectPppoeSession);
ethertypeTable.add(0x8863, dissectPppoeDiscovery);
