// BGP-4 (RFC 4271) on TCP 179: messages found by their all-ones marker, each with its header
// (marker, length, type) and the fixed fields of OPEN, UPDATE and NOTIFICATION, and the Info
// column Wireshark 4.0 shows: the message types of the segment, comma-separated.

import { defineFields, valueStrings } from './fields.js';
import { tcpPortTable } from './tables.js';
import type { Packet } from './packet.js';
import { u16, u32 } from './bytes.js';
import { askForMore, DESEGMENT_ONE_MORE_SEGMENT } from './tcp-pdus.js';

const HEADER_SIZE = 19;
const MARKER_SIZE = 16;
const MAX_PACKET_SIZE = 4096;

const TYPES = valueStrings({
  1: 'OPEN Message',
  2: 'UPDATE Message',
  3: 'NOTIFICATION Message',
  4: 'KEEPALIVE Message',
  5: 'ROUTE-REFRESH Message',
  6: 'CAPABILITY Message',
  128: 'Cisco ROUTE-REFRESH Message',
});

export const bgpFields = defineFields({
  bgp: { abbrev: 'bgp', name: 'Border Gateway Protocol', type: 'protocol' },
  marker: { abbrev: 'bgp.marker', name: 'Marker', type: 'bytes' },
  length: { abbrev: 'bgp.length', name: 'Length', type: 'uint', bits: 16, base: 'dec' },
  type: { abbrev: 'bgp.type', name: 'Type', type: 'uint', bits: 8, base: 'dec', strings: TYPES },
  openVersion: { abbrev: 'bgp.open.version', name: 'Version', type: 'uint', bits: 8, base: 'dec' },
  openMyAs: { abbrev: 'bgp.open.myas', name: 'My AS', type: 'uint', bits: 16, base: 'dec' },
  openHoldTime: { abbrev: 'bgp.open.holdtime', name: 'Hold Time', type: 'uint', bits: 16, base: 'dec' },
  openIdentifier: { abbrev: 'bgp.open.identifier', name: 'BGP Identifier', type: 'ipv4' },
  openOptLength: {
    abbrev: 'bgp.open.opt.len',
    name: 'Optional Parameters Length',
    type: 'uint',
    bits: 8,
    base: 'dec',
  },
  withdrawnLength: {
    abbrev: 'bgp.update.withdrawn_routes.length',
    name: 'Withdrawn Routes Length',
    type: 'uint',
    bits: 16,
    base: 'dec',
  },
  pathAttributesLength: {
    abbrev: 'bgp.update.path_attributes.length',
    name: 'Total Path Attribute Length',
    type: 'uint',
    bits: 16,
    base: 'dec',
  },
  notifyMajor: {
    abbrev: 'bgp.notify.major_error',
    name: 'Major error Code',
    type: 'uint',
    bits: 8,
    base: 'dec',
    strings: valueStrings({
      1: 'Message Header Error',
      2: 'OPEN Message Error',
      3: 'UPDATE Message Error',
      4: 'Hold Timer Expired',
      5: 'Finite State Machine Error',
      6: 'Cease',
      7: 'CAPABILITY Message Error',
    }),
  },
});

const F = bgpFields;

/** Thrown when a field of one message runs past that message (Wireshark's exception in a PDU). */
const PAST_MESSAGE = { kind: 'past message' };
/** Thrown when it runs past the captured bytes only. */
const PAST_CAPTURE = { kind: 'past capture' };

function need(buf: Uint8Array, at: number, len: number, end: number, cap: number): void {
  if (at + len > end) throw PAST_MESSAGE;
  if (at + len > cap) throw PAST_CAPTURE;
}

function dissectBgp(p: Packet, buf: Uint8Array, off: number, end: number): number {
  const cap = Math.min(end, buf.length);
  p.addLayer('bgp');
  p.setProtocol('BGP');
  p.setInfo('');
  // Skip to the first marker (a segment that starts inside a message is a continuation).
  let at = off;
  while (end - at > 0) {
    const n = Math.min(end - at, MARKER_SIZE);
    if (at + n > cap) {
      // tvb_memcpy past the captured bytes.
      p.truncated('BGP');
      return cap;
    }
    let all = true;
    for (let i = 0; i < n; i++)
      if (buf[at + i] !== 0xff) {
        all = false;
        break;
      }
    if (all) break;
    at++;
  }
  const t = p.tree;
  if (at > off) {
    const top = t.add(F.bgp, off, cap - off);
    t.open(top);
    t.addText(off, at - off, 'Continuation');
    t.close();
  }
  let first = true;
  while (end - at > 0) {
    const remaining = cap - at;
    if (remaining <= 0) {
      p.truncated('BGP');
      return cap;
    }
    if (remaining < HEADER_SIZE && askForMore(p, at, DESEGMENT_ONE_MORE_SEGMENT)) return cap;
    if (p.short('BGP', buf, at + MARKER_SIZE, 2, end)) return cap;
    const length = u16(buf, at + MARKER_SIZE);
    if (length < HEADER_SIZE) {
      p.malformed('BGP');
      return cap;
    }
    if (remaining < length && askForMore(p, at, length - remaining)) return cap;
    const pduEnd = at + length;
    try {
      dissectMessage(p, buf, at, pduEnd, Math.min(pduEnd, cap), first);
    } catch (e) {
      // Wireshark 4.0 does not catch it per message: the rest of the segment is not read.
      if (e === PAST_MESSAGE) p.malformed('BGP');
      else if (e === PAST_CAPTURE) p.truncated('BGP');
      else throw e;
      return cap;
    }
    first = false;
    at = pduEnd;
  }
  return cap;
}

/** One message buf[at..end) (cap: where its captured bytes stop). */
function dissectMessage(p: Packet, buf: Uint8Array, at: number, end: number, cap: number, first: boolean): void {
  const t = p.tree;
  need(buf, at, HEADER_SIZE, end, cap);
  const length = u16(buf, at + MARKER_SIZE);
  const type = buf[at + 18];
  if (p.wantColumns) {
    const name = TYPES.get(type) ?? `Unknown message type (0x${type.toString(16).padStart(2, '0')})`;
    if (first) p.setInfo(name);
    else p.appendInfo(', ' + name);
  }
  const top = t.add(F.bgp, at, end - at);
  if (t.full) t.setLabel(top, `Border Gateway Protocol - ${TYPES.get(type) ?? 'Unknown Message'}`);
  t.open(top);
  t.add(F.marker, at, MARKER_SIZE);
  t.add(F.length, at + 16, 2, length);
  if (length > MAX_PACKET_SIZE) {
    p.expert('BGP', 'bgp.length.invalid', 'error', 'malformed', `Length is invalid ${length}`, at + 16, 2);
    t.close();
    return;
  }
  t.add(F.type, at + 18, 1, type);
  const body = at + HEADER_SIZE;
  if (type === 1) {
    // OPEN (RFC 4271 section 4.2): version, my AS, hold time, identifier, optional parameters.
    need(buf, body, 10, end, cap);
    t.add(F.openVersion, body, 1, buf[body]);
    t.add(F.openMyAs, body + 1, 2, u16(buf, body + 1));
    t.add(F.openHoldTime, body + 3, 2, u16(buf, body + 3));
    t.add(F.openIdentifier, body + 5, 4, u32(buf, body + 5));
    const optLength = buf[body + 9];
    t.add(F.openOptLength, body + 9, 1, optLength);
    need(buf, body + 10, optLength, end, cap);
  } else if (type === 2) {
    // UPDATE (section 4.3): withdrawn routes, path attributes, then NLRI to the end.
    need(buf, body, 2, end, cap);
    const withdrawn = u16(buf, body);
    t.add(F.withdrawnLength, body, 2, withdrawn);
    need(buf, body + 2, withdrawn + 2, end, cap);
    const attributes = u16(buf, body + 2 + withdrawn);
    t.add(F.pathAttributesLength, body + 2 + withdrawn, 2, attributes);
    need(buf, body + 4 + withdrawn, attributes, end, cap);
  } else if (type === 3) {
    // NOTIFICATION (section 4.5): error code, subcode, data.
    need(buf, body, 2, end, cap);
    t.add(F.notifyMajor, body, 1, buf[body]);
  }
  t.close();
}

tcpPortTable.add(179, dissectBgp);
