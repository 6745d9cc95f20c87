// NetBIOS Datagram Service (RFC 1002 section 4.4, UDP port 138): the datagram header, the
// first-level-encoded NetBIOS names, and the hand-off of the user data to the NetBIOS payload
// heuristics (SMB registers there), as Wireshark 4.0's packet-nbns.c does.

import { defineFields, valueStrings, YES_NO } from './fields.js';
import { HeuristicTable, udpPortTable } from './tables.js';
import type { Packet } from './packet.js';
import { formatIPv4, u16, u32 } from './bytes.js';
import { dissectData } from './data.js';
import { netbiosNameText, netbiosNameTypeText } from './nbns.js';

const MESSAGE_TYPES = valueStrings({
  0x10: 'Direct_unique datagram',
  0x11: 'Direct_group datagram',
  0x12: 'Broadcast datagram',
  0x13: 'Datagram error',
  0x14: 'Datagram query request',
  0x15: 'Datagram positive query response',
  0x16: 'Datagram negative query response',
});

const NODE_TYPES = valueStrings({ 0: 'B node', 1: 'P node', 2: 'M node', 3: 'NBDD' });

const ERROR_CODES = valueStrings({
  0x82: 'Destination name not present',
  0x83: 'Invalid source name format',
  0x84: 'Invalid destination name format',
});

export const nbdgmFields = defineFields({
  nbdgm: { abbrev: 'nbdgm', name: 'NetBIOS Datagram Service', type: 'protocol' },
  type: { abbrev: 'nbdgm.type', name: 'Message Type', type: 'uint', bits: 8, base: 'dec', strings: MESSAGE_TYPES },
  flags: { abbrev: 'nbdgm.flags', name: 'Flags', type: 'uint', bits: 8, base: 'hex' },
  next: { abbrev: 'nbdgm.next', name: 'More fragments follow', type: 'bool', bits: 8, mask: 0x01, trueFalse: YES_NO },
  first: {
    abbrev: 'nbdgm.first',
    name: 'This is first fragment',
    type: 'bool',
    bits: 8,
    mask: 0x02,
    trueFalse: YES_NO,
  },
  nodeType: {
    abbrev: 'nbdgm.node_type',
    name: 'Node Type',
    type: 'uint',
    bits: 8,
    base: 'dec',
    mask: 0x0c,
    strings: NODE_TYPES,
  },
  dgramId: { abbrev: 'nbdgm.dgram_id', name: 'Datagram ID', type: 'uint', bits: 16, base: 'hex' },
  srcIp: { abbrev: 'nbdgm.src.ip', name: 'Source IP', type: 'ipv4' },
  srcPort: { abbrev: 'nbdgm.src.port', name: 'Source Port', type: 'uint', bits: 16, base: 'dec' },
  dgramLen: { abbrev: 'nbdgm.dgram_len', name: 'Datagram length', type: 'uint', bits: 16, base: 'dec', unit: ' bytes' },
  pktOffset: { abbrev: 'nbdgm.pkt_offset', name: 'Packet offset', type: 'uint', bits: 16, base: 'dec', unit: ' bytes' },
  errorCode: {
    abbrev: 'nbdgm.error_code',
    name: 'Error code',
    type: 'uint',
    bits: 8,
    base: 'hex',
    strings: ERROR_CODES,
  },
  sourceName: { abbrev: 'nbdgm.source_name', name: 'Source name', type: 'string' },
  destinationName: { abbrev: 'nbdgm.destination_name', name: 'Destination name', type: 'string' },
});

const F = nbdgmFields;

/** Payload heuristics of NetBIOS (Wireshark's "netbios" list): SMB adds itself here. */
export const netbiosHeuristics = new HeuristicTable('netbios');

/** A NetBIOS name read from the bytes: its text ("USER-PC<20>", scope appended), type and length. */
export interface NetbiosName {
  text: string;
  /** The 16th byte (name type), or -1 when the name is not a proper 32-byte encoded name. */
  type: number;
  /** Bytes the name takes in the packet (length bytes and terminating zero included). */
  length: number;
}

/**
 * Reads the DNS-style name at buf[o] whose first label is a 32-byte first-level encoded NetBIOS
 * name (RFC 1001 section 14.1); the other labels are the scope. Returns undefined when the bytes
 * run out before the terminating zero label (or past 255 bytes). No compression in datagrams.
 */
export function readNetbiosName(buf: Uint8Array, o: number, end: number, wantText = true): NetbiosName | undefined {
  const stop = Math.min(end, buf.length);
  let at = o;
  let first = '';
  let type = -1;
  let scope = '';
  let labels = 0;
  while (at < stop) {
    const len = buf[at];
    if (len === 0) {
      at++;
      let text: string;
      if (!wantText) text = '';
      else if (labels === 0) text = '<Root>';
      else if (type >= 0) text = `${first}<${type.toString(16).padStart(2, '0')}>${scope}`;
      else text = `Illegal NetBIOS name (${first})${scope}`;
      return { text, type, length: at - o };
    }
    // Compression pointers and long labels are not NetBIOS datagram names.
    if (len > 63 || at + 1 + len > stop || at + 1 + len - o > 255) return undefined;
    if (!wantText) {
      // Only the length is needed: the bytes are walked, not decoded.
      if (labels === 0 && len === 32 && isEncodedName(buf, at + 1)) type = decodePair(buf, at + 1 + 30);
    } else if (labels === 0) {
      if (len === 32 && isEncodedName(buf, at + 1)) {
        type = decodePair(buf, at + 1 + 30);
        first = decodeName(buf, at + 1);
      } else {
        first = asciiLabel(buf, at + 1, len);
      }
    } else {
      scope += '.' + asciiLabel(buf, at + 1, len);
    }
    labels++;
    at += 1 + len;
  }
  return undefined;
}

function isEncodedName(buf: Uint8Array, o: number): boolean {
  for (let i = 0; i < 32; i++) {
    const c = buf[o + i];
    if (c < 0x41 || c > 0x50) return false;
  }
  return true;
}

function decodePair(buf: Uint8Array, o: number): number {
  return ((buf[o] - 0x41) << 4) | (buf[o + 1] - 0x41);
}

/** The decoded name as process_netbios_name shows it (nbns.ts): "<hh>" for unprintable bytes, no trailing spaces. */
function decodeName(buf: Uint8Array, o: number): string {
  const bytes: number[] = [];
  for (let i = 0; i < 16; i++) bytes.push(decodePair(buf, o + 2 * i));
  return netbiosNameText(bytes).text;
}

function asciiLabel(buf: Uint8Array, o: number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) {
    const c = buf[o + i];
    s += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '.';
  }
  return s;
}

function nameItem(p: Packet, field: number, buf: Uint8Array, o: number, name: NetbiosName): void {
  const t = p.tree;
  const i = t.addValue(field, o, name.length, name.text);
  if (t.full) {
    const what = name.type >= 0 ? ` (${netbiosNameTypeText(name.type)})` : '';
    t.setLabel(i, `${field === F.sourceName ? 'Source' : 'Destination'} name: ${name.text}${what}`);
  }
}

/** The NBDGM dissector (udpPortTable 138). */
export function dissectNbdgm(p: Packet, buf: Uint8Array, off: number, end: number): void {
  const t = p.tree;
  p.addLayer('nbdgm');
  p.setProtocol('NBDGM');
  if (p.short('NBDGM', buf, off, 1, end)) return;
  const type = buf[off];
  if (p.wantColumns) {
    p.setInfo(
      MESSAGE_TYPES.get(type) ?? `Unknown message type (0x${type.toString(16).toUpperCase().padStart(2, '0')})`,
    );
  }
  const top = t.add(F.nbdgm, off, Math.min(end, buf.length) - off);
  t.open(top);
  t.add(F.type, off, 1, type);
  if (p.short('NBDGM', buf, off, 10, end)) return;
  const flags = buf[off + 1];
  const fi = t.add(F.flags, off + 1, 1, flags);
  if (t.full) {
    let label = `Flags: 0x${flags.toString(16).padStart(2, '0')}`;
    if (flags & 1) label += ', More fragments follow';
    if (flags & 2) label += ', This is first fragment';
    label += `, Node Type: ${NODE_TYPES.get((flags >> 2) & 3)}`;
    t.setLabel(fi, label);
  }
  t.open(fi);
  t.add(F.next, off + 1, 1, flags & 1);
  t.add(F.first, off + 1, 1, (flags >> 1) & 1);
  t.add(F.nodeType, off + 1, 1, (flags >> 2) & 3);
  t.close();
  t.add(F.dgramId, off + 2, 2, u16(buf, off + 2));
  const ip = u32(buf, off + 4);
  const ipi = t.add(F.srcIp, off + 4, 4, ip);
  if (t.full) t.setLabel(ipi, `Source IP: ${formatIPv4(ip)}`);
  t.add(F.srcPort, off + 8, 2, u16(buf, off + 8));
  let o = off + 10;
  const names = t.full || t.keeps(F.sourceName) || t.keeps(F.destinationName);
  if (type >= 0x10 && type <= 0x12) {
    if (p.short('NBDGM', buf, o, 4, end)) return;
    t.add(F.dgramLen, o, 2, u16(buf, o));
    t.add(F.pktOffset, o + 2, 2, u16(buf, o + 2));
    o += 4;
    const src = readNetbiosName(buf, o, end, names);
    if (!src) return void missingName(p, buf, o, end);
    nameItem(p, F.sourceName, buf, o, src);
    o += src.length;
    const dst = readNetbiosName(buf, o, end, names);
    if (!dst) return void missingName(p, buf, o, end);
    nameItem(p, F.destinationName, buf, o, dst);
    o += dst.length;
    t.setLength(top, o - off);
    t.close();
    if (!netbiosHeuristics.try(p, buf, o, end)) dissectData(p, buf, o, end);
    return;
  }
  if (type === 0x13) {
    if (p.short('NBDGM', buf, o, 1, end)) return;
    t.add(F.errorCode, o, 1, buf[o]);
    t.setLength(top, o + 1 - off);
  } else if (type >= 0x14 && type <= 0x16) {
    const dst = readNetbiosName(buf, o, end, names);
    if (!dst) return void missingName(p, buf, o, end);
    nameItem(p, F.destinationName, buf, o, dst);
    t.setLength(top, o + dst.length - off);
  }
  t.close();
}

/** A name that runs past the bytes: truncated or malformed as the bounds say. */
function missingName(p: Packet, buf: Uint8Array, o: number, end: number): void {
  if (end > buf.length) p.truncated('NBDGM');
  else p.malformed('NBDGM');
}

udpPortTable.add(138, dissectNbdgm);
