// The RPKI-to-Router protocol (RFC 6810, RFC 8210) on TCP 323: PDUs split by the length in their
// 8-byte header, each with its version, type and type-specific fields, and Wireshark 4.0's Info
// column (the PDU types, comma-separated; a PDU whose length does not fit its type stops there).

import { defineFields, valueStrings } from './fields.js';
import { tcpPortTable } from './tables.js';
import type { Packet } from './packet.js';
import { u16, u32 } from './bytes.js';
import { asciiValue } from './format-text.js';
import { tcpDissectPdus } from './tcp-pdus.js';

const TYPES = valueStrings({
  0: 'Serial Notify',
  1: 'Serial Query',
  2: 'Reset Query',
  3: 'Cache Response',
  4: 'IPv4 Prefix',
  6: 'IPv6 Prefix',
  7: 'End of Data',
  8: 'Cache Reset',
  9: 'Router Key',
  10: 'Error Report',
});

export const rpkirtrFields = defineFields({
  rpkirtr: { abbrev: 'rpkirtr', name: 'RPKI-Router Protocol', type: 'protocol' },
  version: { abbrev: 'rpki-rtr.version', name: 'Version', type: 'uint', bits: 8, base: 'dec' },
  pduType: { abbrev: 'rpki-rtr.pdu_type', name: 'PDU Type', type: 'uint', bits: 8, base: 'dec', strings: TYPES },
  sessionId: { abbrev: 'rpki-rtr.session_id', name: 'Session ID', type: 'uint', bits: 16, base: 'dec' },
  length: { abbrev: 'rpki-rtr.length', name: 'Length', type: 'uint', bits: 32, base: 'dec' },
  serialNumber: { abbrev: 'rpki-rtr.serial_number', name: 'Serial Number', type: 'uint', bits: 32, base: 'dec' },
  prefixLength: { abbrev: 'rpki-rtr.prefix_length', name: 'Prefix Length', type: 'uint', bits: 8, base: 'dec' },
  maxLength: { abbrev: 'rpki-rtr.max_length', name: 'Max length', type: 'uint', bits: 8, base: 'dec' },
  ipv4Prefix: { abbrev: 'rpki-rtr.ipv4_prefix', name: 'IPv4 Prefix', type: 'ipv4' },
  ipv6Prefix: { abbrev: 'rpki-rtr.ipv6_prefix', name: 'IPv6 Prefix', type: 'ipv6' },
  asNumber: { abbrev: 'rpki-rtr.as_number', name: 'AS Number', type: 'uint', bits: 32, base: 'dec' },
  errorCode: { abbrev: 'rpki-rtr.error_code', name: 'Error Code', type: 'uint', bits: 16, base: 'dec' },
  lengthPdu: { abbrev: 'rpki-rtr.length_pdu', name: 'Length of Encapsulated PDU', type: 'uint', bits: 32, base: 'dec' },
  errorPdu: { abbrev: 'rpki-rtr.error_pdu', name: 'Erroneous PDU', type: 'bytes' },
  lengthText: { abbrev: 'rpki-rtr.length_text', name: 'Length of text', type: 'uint', bits: 32, base: 'dec' },
  errorText: { abbrev: 'rpki-rtr.error_text', name: 'Erroneous Text', type: 'string' },
});

const F = rpkirtrFields;

const MALFORMED = { kind: 'malformed' };
const TRUNCATED = { kind: 'truncated' };

function need(buf: Uint8Array, at: number, len: number, end: number): void {
  if (len < 0 || at + len > end) throw MALFORMED;
  if (at + len > buf.length) throw TRUNCATED;
}

function pduLength(_p: Packet, buf: Uint8Array, at: number): number {
  return u32(buf, at + 4);
}

function dissectRpkiRtr(p: Packet, buf: Uint8Array, off: number, end: number): number {
  p.addLayer('rpkirtr');
  p.setInfo('');
  tcpDissectPdus(p, buf, off, end, 8, pduLength, dissectPdu, 'RPKI-Router Protocol');
  return Math.min(end, buf.length);
}

/** One PDU; an exception marks it and the next PDU is still read (tcp_dissect_pdus catches it). */
function dissectPdu(p: Packet, buf: Uint8Array, start: number, end: number): void {
  p.setProtocol('RPKI-RTR');
  try {
    pduBody(p, buf, start, end);
  } catch (e) {
    p.tree.closeAll();
    if (e === MALFORMED) p.malformed('RPKI-Router Protocol');
    else if (e === TRUNCATED) p.truncated('RPKI-Router Protocol');
    else throw e;
  }
}

function pduBody(p: Packet, buf: Uint8Array, start: number, end: number): void {
  const t = p.tree;
  let at = start;
  while (at < end) {
    const top = t.add(F.rpkirtr, start, Math.min(end, buf.length) - start);
    t.open(top);
    need(buf, at, 2, end);
    const version = buf[at];
    const type = buf[at + 1];
    t.add(F.version, at, 1, version);
    const typeItem = t.add(F.pduType, at + 1, 1, type);
    if (p.wantColumns) {
      const name = TYPES.get(type) ?? `Unknown (${type})`;
      p.appendInfo(p.infoCol.length > 0 ? ', ' + name : name);
    }
    if (t.full) t.setLabel(top, `RPKI-Router Protocol (${TYPES.get(type) ?? `Unknown ${type}`})`);
    if (!TYPES.has(type)) {
      // An unknown type: Wireshark 4.0 checks the 4 bytes after the type as a length; past the
      // PDU it gives up on it, else it reads on from there.
      need(buf, at + 2, 4, end);
      if (u32(buf, at + 2) > end - start) {
        t.open(typeItem);
        p.expert('RPKI-Router Protocol', 'rpkirtr.bad_length', 'error', 'malformed', 'Invalid length field', at + 1, 1);
        t.close();
        t.close();
        return;
      }
    }
    at = pduFields(p, buf, at, end, version, type);
    t.close();
  }
}

/** The fields of one PDU at `at`; returns where the next one starts (2 bytes on for unknown types, as Wireshark). */
function pduFields(p: Packet, buf: Uint8Array, at: number, end: number, version: number, type: number): number {
  const t = p.tree;
  switch (type) {
    case 0:
    case 1:
      need(buf, at + 2, 10, end);
      t.add(F.sessionId, at + 2, 2, u16(buf, at + 2));
      t.add(F.length, at + 4, 4, u32(buf, at + 4));
      t.add(F.serialNumber, at + 8, 4, u32(buf, at + 8));
      return at + 12;
    case 2:
    case 8:
    case 3:
      need(buf, at + 2, 6, end);
      if (type === 3) t.add(F.sessionId, at + 2, 2, u16(buf, at + 2));
      t.add(F.length, at + 4, 4, u32(buf, at + 4));
      return at + 8;
    case 4:
    case 6: {
      const prefixBytes = type === 4 ? 4 : 16;
      need(buf, at + 2, 14 + prefixBytes, end);
      t.add(F.length, at + 4, 4, u32(buf, at + 4));
      t.add(F.prefixLength, at + 9, 1, buf[at + 9]);
      t.add(F.maxLength, at + 10, 1, buf[at + 10]);
      if (type === 4) t.add(F.ipv4Prefix, at + 12, 4, u32(buf, at + 12));
      else t.add(F.ipv6Prefix, at + 12, 16);
      t.add(F.asNumber, at + 12 + prefixBytes, 4, u32(buf, at + 12 + prefixBytes));
      return at + 16 + prefixBytes;
    }
    case 7: {
      // Version 1 adds the refresh, retry and expire intervals (RFC 8210 section 5.8).
      const size = version >= 1 ? 24 : 12;
      need(buf, at + 2, size - 2, end);
      t.add(F.sessionId, at + 2, 2, u16(buf, at + 2));
      t.add(F.length, at + 4, 4, u32(buf, at + 4));
      t.add(F.serialNumber, at + 8, 4, u32(buf, at + 8));
      return at + size;
    }
    case 9: {
      if (version === 0) {
        // Router Key PDUs exist from version 1 on.
        p.expert(
          'RPKI-Router Protocol',
          'rpkirtr.router_key.wrong_version',
          'warn',
          'protocol',
          'Wrong version for Router Key type',
          at,
          1,
        );
        return at + 2;
      }
      need(buf, at + 2, 30, end);
      const length = u32(buf, at + 4);
      t.add(F.length, at + 4, 4, length);
      t.add(F.asNumber, at + 28, 4, u32(buf, at + 28));
      // The subject public key info (DER) fills the rest: Wireshark's BER reader throws when its
      // tag and length are missing or its content runs past the data.
      berElement(buf, at + 32, end);
      return at + length;
    }
    case 10: {
      need(buf, at + 2, 10, end);
      t.add(F.errorCode, at + 2, 2, u16(buf, at + 2));
      t.add(F.length, at + 4, 4, u32(buf, at + 4));
      const pduBytes = u32(buf, at + 8);
      t.add(F.lengthPdu, at + 8, 4, pduBytes);
      let o = at + 12;
      need(buf, o, pduBytes, end);
      t.add(F.errorPdu, o, pduBytes);
      o += pduBytes;
      need(buf, o, 4, end);
      const textBytes = u32(buf, o);
      t.add(F.lengthText, o, 4, textBytes);
      o += 4;
      need(buf, o, textBytes, end);
      if (t.keeps(F.errorText)) t.addValue(F.errorText, o, textBytes, asciiValue(buf, o, o + textBytes));
      return o + textBytes;
    }
    default:
      return at + 2;
  }
}

/** Checks one BER element's header and content at `at` (throws as Wireshark's BER reader). */
function berElement(buf: Uint8Array, at: number, end: number): void {
  need(buf, at, 2, end);
  let o = at + 1;
  if ((buf[at] & 0x1f) === 0x1f) {
    while (buf[o] & 0x80) {
      o++;
      need(buf, o, 1, end);
    }
    o++;
    need(buf, o, 1, end);
  }
  let length = buf[o++];
  if (length & 0x80) {
    const n = length & 0x7f;
    need(buf, o, n, end);
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + buf[o + i];
    o += n;
  }
  need(buf, o, length, end);
}

// Wireshark 4.0: RPKI-RTR on TCP 323 (324 is RPKI-RTR over TLS).
tcpPortTable.add(323, dissectRpkiRtr);
