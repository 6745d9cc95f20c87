// PPTP control connection (RFC 2637) on TCP 1723: the common 12-byte header of a control message
// (length, message type, magic cookie, control message type) and the Info column Wireshark 4.0
// shows (the control message type's name). Each TCP payload is one message, as Wireshark reads it.

import { defineFields, valueStrings } from './fields.js';
import { tcpPortTable } from './tables.js';
import type { Packet } from './packet.js';
import { u16, u32 } from './bytes.js';
import { asciiValue } from './format-text.js';
import { dissectData } from './data.js';

const CONTROL_TYPES = valueStrings({
  1: 'Start-Control-Connection-Request',
  2: 'Start-Control-Connection-Reply',
  3: 'Stop-Control-Connection-Request',
  4: 'Stop-Control-Connection-Reply',
  5: 'Echo-Request',
  6: 'Echo-Reply',
  7: 'Outgoing-Call-Request',
  8: 'Outgoing-Call-Reply',
  9: 'Incoming-Call-Request',
  10: 'Incoming-Call-Reply',
  11: 'Incoming-Call-Connected',
  12: 'Call-Clear-Request',
  13: 'Call-Disconnect-Notify',
  14: 'WAN-Error-Notify',
  15: 'Set-Link-Info',
});

/**
 * Bytes of each control message after the common header (RFC 2637 section 2): Wireshark adds
 * every field of the body, so a message shorter than this is an exception at its last field.
 */
const BODY_LENGTHS: Record<number, number> = {
  1: 144,
  2: 144,
  3: 4,
  4: 4,
  5: 4,
  6: 8,
  7: 156,
  8: 20,
  9: 208,
  10: 12,
  11: 16,
  12: 4,
  13: 136,
  14: 28,
  15: 12,
};

export const pptpFields = defineFields({
  pptp: { abbrev: 'pptp', name: 'Point-to-Point Tunnelling Protocol', type: 'protocol' },
  length: { abbrev: 'pptp.length', name: 'Length', type: 'uint', bits: 16, base: 'dec' },
  type: {
    abbrev: 'pptp.type',
    name: 'Message type',
    type: 'uint',
    bits: 16,
    base: 'dec',
    strings: valueStrings({ 1: 'Control Message', 2: 'Management Message' }),
  },
  magicCookie: { abbrev: 'pptp.magic_cookie', name: 'Magic Cookie', type: 'uint', bits: 32, base: 'hex' },
  controlMessageType: {
    abbrev: 'pptp.control_message_type',
    name: 'Control Message Type',
    type: 'uint',
    bits: 16,
    base: 'dec',
    strings: CONTROL_TYPES,
  },
  reserved: { abbrev: 'pptp.reserved', name: 'Reserved', type: 'bytes' },
  protocolVersion: { abbrev: 'pptp.protocol_version', name: 'Protocol version', type: 'uint', bits: 16, base: 'dec' },
  hostName: { abbrev: 'pptp.host_name', name: 'Host Name', type: 'string' },
  vendorName: { abbrev: 'pptp.vendor_name', name: 'Vendor Name', type: 'string' },
  callId: { abbrev: 'pptp.call_id', name: 'Call ID', type: 'uint', bits: 16, base: 'dec' },
  peerCallId: { abbrev: 'pptp.peer_call_id', name: 'Peer Call ID', type: 'uint', bits: 16, base: 'dec' },
});

const F = pptpFields;
const MAGIC_COOKIE = 0x1a2b3c4d;

function dissectPptp(p: Packet, buf: Uint8Array, off: number, end: number): number {
  const cap = Math.min(end, buf.length);
  p.addLayer('pptp');
  p.setProtocol('PPTP');
  p.setInfo('');
  const t = p.tree;
  // The length and the control message type are read before anything is shown.
  if (p.short('PPTP', buf, off, 10, end)) return cap;
  const length = u16(buf, off);
  const control = u16(buf, off + 8);
  if (p.wantColumns) p.setInfo(CONTROL_TYPES.get(control) ?? `Unknown control type (${control})`);
  if (p.short('PPTP', buf, off, length, end)) return cap;
  const top = t.add(F.pptp, off, length);
  t.open(top);
  t.add(F.length, off, 2, length);
  t.add(F.type, off + 2, 2, u16(buf, off + 2));
  const cookie = u32(buf, off + 4);
  const c = t.add(F.magicCookie, off + 4, 4, cookie);
  if (t.full)
    t.setLabel(
      c,
      `Magic Cookie: 0x${cookie.toString(16).padStart(8, '0')} (${cookie === MAGIC_COOKIE ? 'correct' : 'incorrect'})`,
    );
  if (cookie !== MAGIC_COOKIE) {
    t.open(c);
    p.expert('PPTP', 'pptp.magic_cookie.incorrect', 'warn', 'protocol', 'Incorrect Magic Cookie', off + 4, 4);
    t.close();
  }
  t.add(F.controlMessageType, off + 8, 2, control);
  if (p.short('PPTP', buf, off + 10, 2, end)) return cap;
  t.add(F.reserved, off + 10, 2);
  const body = off + 12;
  const bodyLength = BODY_LENGTHS[control];
  if (bodyLength !== undefined && p.short('PPTP', buf, body, bodyLength, end)) return cap;
  if (control === 1 || control === 2) {
    t.add(F.protocolVersion, body, 2, u16(buf, body));
    if (t.keeps(F.hostName)) t.addValue(F.hostName, body + 16, 64, asciiValue(buf, body + 16, body + 80));
    if (t.keeps(F.vendorName)) t.addValue(F.vendorName, body + 80, 64, asciiValue(buf, body + 80, body + 144));
  } else if (control === 7 || control === 9 || control === 12) {
    t.add(F.callId, body, 2, u16(buf, body));
  } else if (control === 8 || control === 10) {
    t.add(F.callId, body, 2, u16(buf, body));
    t.add(F.peerCallId, body + 2, 2, u16(buf, body + 2));
  } else if (control === 11 || control === 14 || control === 15) {
    t.add(F.peerCallId, body, 2, u16(buf, body));
  }
  t.close();
  // An unknown control message's body goes to the data dissector.
  if (bodyLength === undefined) dissectData(p, buf, body, end);
  return cap;
}

tcpPortTable.add(1723, dissectPptp);
