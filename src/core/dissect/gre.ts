// GRE (IP protocol 47; RFC 2784/2890, and the enhanced GRE version 1 of PPTP, RFC 2637 section
// 4.1): flags and version, protocol type, the optional checksum, key (PPTP's payload length and
// call ID), sequence and acknowledgment numbers, then the payload by its EtherType (PPP for PPTP).

import { defineFields, valueStrings } from './fields.js';
import type { Packet } from './packet.js';
import { ethertypeTable, ipProtoTable } from './tables.js';
import { u16, u32 } from './bytes.js';
import { dissectData } from './data.js';

const GRE_TYPES = valueStrings({
  0x0800: 'IP',
  0x0806: 'ARP',
  0x6558: 'Transparent Ethernet bridging',
  0x86dd: 'IPv6',
  0x880b: 'PPP',
  0x8847: 'MPLS label switched packet',
  0x8848: 'MPLS multicast label switched packet',
  0x88be: 'ERSPAN',
  0x22eb: 'ERSPAN',
  0x883e: 'WCCP',
  0x0000: 'Reserved',
});

const F_CHECKSUM = 0x8000;
const F_ROUTING = 0x4000;
const F_KEY = 0x2000;
const F_SEQUENCE = 0x1000;
const F_ACK = 0x0080;

export const greFields = defineFields({
  gre: { abbrev: 'gre', name: 'Generic Routing Encapsulation', type: 'protocol' },
  flagsAndVersion: { abbrev: 'gre.flags_and_version', name: 'Flags and Version', type: 'uint', bits: 16, base: 'hex' },
  flagChecksum: {
    abbrev: 'gre.flags.checksum',
    name: 'Checksum Bit',
    type: 'bool',
    bits: 16,
    mask: F_CHECKSUM,
    trueFalse: ['Yes', 'No'],
  },
  flagRouting: {
    abbrev: 'gre.flags.routing',
    name: 'Routing Bit',
    type: 'bool',
    bits: 16,
    mask: F_ROUTING,
    trueFalse: ['Yes', 'No'],
  },
  flagKey: { abbrev: 'gre.flags.key', name: 'Key Bit', type: 'bool', bits: 16, mask: F_KEY, trueFalse: ['Yes', 'No'] },
  flagSequence: {
    abbrev: 'gre.flags.sequence_number',
    name: 'Sequence Number Bit',
    type: 'bool',
    bits: 16,
    mask: F_SEQUENCE,
    trueFalse: ['Yes', 'No'],
  },
  flagStrictSourceRoute: {
    abbrev: 'gre.flags.strict_source_route',
    name: 'Strict Source Route Bit',
    type: 'bool',
    bits: 16,
    mask: 0x0800,
    trueFalse: ['Yes', 'No'],
  },
  recursionControl: {
    abbrev: 'gre.flags.recursion_control',
    name: 'Recursion control',
    type: 'uint',
    bits: 16,
    base: 'dec',
    mask: 0x0700,
  },
  flagsReserved: {
    abbrev: 'gre.flags.reserved',
    name: 'Flags (Reserved)',
    type: 'uint',
    bits: 16,
    base: 'dec',
    mask: 0x00f8,
  },
  flagAck: {
    abbrev: 'gre.flags.ack',
    name: 'Acknowledgment',
    type: 'bool',
    bits: 16,
    mask: F_ACK,
    trueFalse: ['Yes', 'No'],
  },
  version: {
    abbrev: 'gre.flags.version',
    name: 'Version',
    type: 'uint',
    bits: 16,
    base: 'dec',
    mask: 0x0007,
    strings: valueStrings({ 0: 'GRE', 1: 'Enhanced GRE' }),
  },
  proto: { abbrev: 'gre.proto', name: 'Protocol Type', type: 'uint', bits: 16, base: 'hex', strings: GRE_TYPES },
  checksum: { abbrev: 'gre.checksum', name: 'Checksum', type: 'uint', bits: 16, base: 'hex' },
  offset: { abbrev: 'gre.offset', name: 'Offset', type: 'uint', bits: 16, base: 'dec' },
  key: { abbrev: 'gre.key', name: 'Key', type: 'uint', bits: 32, base: 'hex' },
  payloadLength: { abbrev: 'gre.key.payload_length', name: 'Payload Length', type: 'uint', bits: 16, base: 'dec' },
  callId: { abbrev: 'gre.key.call_id', name: 'Call ID', type: 'uint', bits: 16, base: 'dec' },
  sequenceNumber: { abbrev: 'gre.sequence_number', name: 'Sequence Number', type: 'uint', bits: 32, base: 'dec' },
  ackNumber: { abbrev: 'gre.ack_number', name: 'Acknowledgment Number', type: 'uint', bits: 32, base: 'dec' },
});

const F = greFields;

export function dissectGre(p: Packet, buf: Uint8Array, off: number, end: number): void {
  const t = p.tree;
  p.addLayer('gre');
  p.setProtocol('GRE');
  if (p.short('GRE', buf, off, 4, end)) return;
  const flags = u16(buf, off);
  const type = u16(buf, off + 2);
  const version = flags & 7;
  const typeName = GRE_TYPES.get(type) ?? `0x${type.toString(16).toUpperCase().padStart(4, '0')} (unknown)`;
  if (p.wantColumns) p.setInfo(`Encapsulated ${typeName}`);
  let len = 4;
  if (flags & (F_CHECKSUM | F_ROUTING)) len += 4;
  if (flags & F_KEY) len += 4;
  if (flags & F_SEQUENCE) len += 4;
  if (version === 1 && flags & F_ACK) len += 4;
  const top = t.add(F.gre, off, Math.min(len, Math.max(0, Math.min(end, buf.length) - off)));
  if (t.full) t.setLabel(top, `Generic Routing Encapsulation (${typeName})`);
  t.open(top);
  const fi = t.add(F.flagsAndVersion, off, 2, flags);
  t.open(fi);
  t.add(F.flagChecksum, off, 2, (flags >> 15) & 1);
  t.add(F.flagRouting, off, 2, (flags >> 14) & 1);
  t.add(F.flagKey, off, 2, (flags >> 13) & 1);
  t.add(F.flagSequence, off, 2, (flags >> 12) & 1);
  t.add(F.flagStrictSourceRoute, off, 2, (flags >> 11) & 1);
  t.add(F.recursionControl, off, 2, (flags >> 8) & 7);
  // Version 1 takes the top reserved bit for the acknowledgment flag (its other reserved bits
  // are not shown here: the registry keeps one gre.flags.reserved, the version 0 one).
  if (version === 1) t.add(F.flagAck, off, 2, (flags >> 7) & 1);
  else t.add(F.flagsReserved, off, 2, (flags >> 3) & 0x1f);
  t.add(F.version, off, 2, version);
  t.close();
  t.add(F.proto, off + 2, 2, type);
  if (p.short('GRE', buf, off, len, end)) return;
  let o = off + 4;
  if (flags & (F_CHECKSUM | F_ROUTING)) {
    t.add(F.checksum, o, 2, u16(buf, o));
    t.add(F.offset, o + 2, 2, u16(buf, o + 2));
    o += 4;
  }
  if (flags & F_KEY) {
    if (version === 1) {
      // PPTP splits the key into the payload length and the peer's call ID.
      t.add(F.payloadLength, o, 2, u16(buf, o));
      t.add(F.callId, o + 2, 2, u16(buf, o + 2));
    } else {
      t.add(F.key, o, 4, u32(buf, o));
    }
    o += 4;
  }
  if (flags & F_SEQUENCE) {
    t.add(F.sequenceNumber, o, 4, u32(buf, o));
    o += 4;
  }
  if (version === 1 && flags & F_ACK) {
    t.add(F.ackNumber, o, 4, u32(buf, o));
    o += 4;
  }
  t.close();
  if (flags & F_ROUTING) {
    // Source route entries (RFC 1701) are not decoded: the rest is shown as data.
    dissectData(p, buf, o, end);
    return;
  }
  const next = ethertypeTable.get(type);
  if (next) next(p, buf, o, end);
  else dissectData(p, buf, o, end);
}

ipProtoTable.add(47, dissectGre);
