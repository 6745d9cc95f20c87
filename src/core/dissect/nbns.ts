// NetBIOS Name Service (RFC 1001/1002, UDP 137): a DNS-shaped message whose names are NetBIOS
// names in "first-level encoding", as Wireshark 4.0's packet-nbns.c shows it, plus the NetBIOS
// name-type descriptions that the datagram service (NBDGM) shares.

import { defineFields, valueStrings } from './fields.js';
import { udpPortTable } from './tables.js';
import type { Packet } from './packet.js';
import { formatIPv4, hex4, u16, u32 } from './bytes.js';
import { DnsBoundsError, readRawDnsName, timeSecsText } from './dns.js';

const OPCODES = valueStrings({
  0: 'Name query',
  5: 'Registration',
  6: 'Release',
  7: 'Wait for acknowledgment',
  8: 'Refresh',
  9: 'Refresh (alternate opcode)',
  15: 'Multi-homed registration',
});

const RCODES = valueStrings({
  0: 'No error',
  1: 'Request was invalidly formatted',
  2: 'Server failure',
  3: 'Requested name does not exist',
  4: 'Request is not implemented',
  5: 'Request was refused',
  6: 'Name is owned by another node',
  7: 'Name is in conflict',
});

const TYPES = valueStrings({ 32: 'NB', 33: 'NBSTAT' });
const CLASSES = valueStrings({ 1: 'IN', 2: 'CS', 3: 'CH', 4: 'HS', 254: 'NONE', 255: 'ANY' });
const ONT = valueStrings({ 0: 'B-node', 1: 'P-node', 2: 'M-node', 3: 'H-node' });

/** What the last byte of a NetBIOS name says the name is for (Wireshark's netbios_name_type_descr). */
const NAME_TYPES = valueStrings({
  0x00: 'Workstation/Redirector',
  0x01: 'Browser',
  0x02: 'Workstation/Redirector',
  0x03: 'Messenger service/Main name',
  0x05: 'Forwarded name',
  0x06: 'RAS Server service',
  0x1b: 'Domain Master Browser',
  0x1c: 'Domain Controllers',
  0x1d: 'Local Master Browser',
  0x1e: 'Browser Election Service',
  0x1f: 'Net DDE Service',
  0x20: 'Server service',
  0x21: 'RAS client service',
  0x22: 'Exchange Interchange (MSMail Connector)',
  0x23: 'Exchange Store',
  0x24: 'Exchange Directory',
  0x2b: 'Lotus Notes Server service',
  0x30: 'Modem sharing server service',
  0x31: 'Modem sharing client service',
  0x43: 'SMS Clients Remote Control',
  0x44: 'SMS Administrators Remote Control Tool',
  0x45: 'SMS Clients Remote Chat',
  0x46: 'SMS Clients Remote Transfer',
  0x4c: 'DEC Pathworks TCP/IP Service on Windows NT',
  0x52: 'DEC Pathworks TCP/IP Service on Windows NT',
  0x6a: 'Microsoft Exchange IMC',
  0x87: 'Microsoft Exchange MTA',
  0xbe: 'Network Monitor Agent',
  0xbf: 'Network Monitor Analyzer',
});

/** The description of a NetBIOS name type ("Unknown" for the others). */
export function netbiosNameTypeText(type: number): string {
  return NAME_TYPES.get(type) ?? 'Unknown';
}

const flag = (abbrev: string, name: string, mask: number, tf: readonly [string, string]) =>
  ({ abbrev, name, type: 'bool', bits: 16, mask, trueFalse: tf }) as const;

export const nbnsFields = defineFields({
  nbns: { abbrev: 'nbns', name: 'NetBIOS Name Service', type: 'protocol' },
  id: { abbrev: 'nbns.id', name: 'Transaction ID', type: 'uint', bits: 16, base: 'hex' },
  flags: { abbrev: 'nbns.flags', name: 'Flags', type: 'uint', bits: 16, base: 'hex' },
  response: flag('nbns.flags.response', 'Response', 0x8000, ['Message is a response', 'Message is a query']),
  opcode: {
    abbrev: 'nbns.flags.opcode',
    name: 'Opcode',
    type: 'uint',
    bits: 16,
    base: 'dec',
    mask: 0x7800,
    strings: OPCODES,
  },
  authoritative: flag('nbns.flags.authoritative', 'Authoritative', 0x0400, [
    'Server is an authority for domain',
    'Server is not an authority for domain',
  ]),
  truncated: flag('nbns.flags.truncated', 'Truncated', 0x0200, ['Message is truncated', 'Message is not truncated']),
  recdesired: flag('nbns.flags.recdesired', 'Recursion desired', 0x0100, [
    'Do query recursively',
    "Don't do query recursively",
  ]),
  recavail: flag('nbns.flags.recavail', 'Recursion available', 0x0080, [
    'Server can do recursive queries',
    "Server can't do recursive queries",
  ]),
  broadcast: flag('nbns.flags.broadcast', 'Broadcast', 0x0010, ['Broadcast packet', 'Not a broadcast packet']),
  rcode: {
    abbrev: 'nbns.flags.rcode',
    name: 'Reply code',
    type: 'uint',
    bits: 16,
    base: 'dec',
    mask: 0x000f,
    strings: RCODES,
  },
  countQueries: { abbrev: 'nbns.count.queries', name: 'Questions', type: 'uint', bits: 16, base: 'dec' },
  countAnswers: { abbrev: 'nbns.count.answers', name: 'Answer RRs', type: 'uint', bits: 16, base: 'dec' },
  countAuth: { abbrev: 'nbns.count.auth_rr', name: 'Authority RRs', type: 'uint', bits: 16, base: 'dec' },
  countAdd: { abbrev: 'nbns.count.add_rr', name: 'Additional RRs', type: 'uint', bits: 16, base: 'dec' },
  name: { abbrev: 'nbns.name', name: 'Name', type: 'string' },
  type: { abbrev: 'nbns.type', name: 'Type', type: 'uint', bits: 16, base: 'dec', strings: TYPES },
  class: { abbrev: 'nbns.class', name: 'Class', type: 'uint', bits: 16, base: 'dec', strings: CLASSES },
  ttl: { abbrev: 'nbns.ttl', name: 'Time to live', type: 'uint', bits: 32, base: 'dec' },
  dataLength: { abbrev: 'nbns.data_length', name: 'Data length', type: 'uint', bits: 16, base: 'dec' },
  nbFlags: { abbrev: 'nbns.nb_flags', name: 'Name flags', type: 'uint', bits: 16, base: 'hex' },
  nbFlagsGroup: flag('nbns.nb_flags.group', 'Name type', 0x8000, ['Group name', 'Unique name']),
  nbFlagsOnt: {
    abbrev: 'nbns.nb_flags.ont',
    name: 'ONT',
    type: 'uint',
    bits: 16,
    base: 'dec',
    mask: 0x6000,
    strings: ONT,
  },
  addr: { abbrev: 'nbns.addr', name: 'Addr', type: 'ipv4' },
  numberOfNames: { abbrev: 'nbns.number_of_names', name: 'Number of names', type: 'uint', bits: 8, base: 'dec' },
  netbiosName: { abbrev: 'nbns.netbios_name', name: 'Name', type: 'string' },
  unitId: { abbrev: 'nbns.unit_id', name: 'Unit ID', type: 'ether' },
  data: { abbrev: 'nbns.data', name: 'Data', type: 'bytes' },
});

const F = nbnsFields;

/** A decoded NetBIOS name: its text ("WORKGROUP<1e>", or Wireshark's complaint) and type (-1: bad). */
export interface NetbiosName {
  text: string;
  type: number;
}

/**
 * Wireshark's process_netbios_name: the 15 name characters with unprintable ones as "<xx>" and
 * trailing spaces removed; returns the text and the 16th byte (the name type).
 */
export function netbiosNameText(bytes: ArrayLike<number>): NetbiosName {
  let s = '';
  for (let i = 0; i < 15; i++) {
    const c = bytes[i];
    s += c >= 0x20 && c <= 0x7e ? String.fromCharCode(c) : `<${(c >> 4).toString(16)}${(c & 15).toString(16)}>`;
  }
  return { text: s.replace(/ +$/, ''), type: bytes[15] };
}

/**
 * Reads a NetBIOS name in DNS encoding (RFC 1001 §14.1: each half-byte as a letter 'A'..'P'),
 * as Wireshark's get_nbns_name: "NAME<xx>" plus any scope, or the reason it is not a legal name.
 * Throws DnsBoundsError past the data.
 */
export function readNetbiosName(
  buf: Uint8Array,
  o: number,
  start: number,
  end: number,
): NetbiosName & { used: number } {
  const { used, raw } = readRawDnsName(buf, o, start, end);
  const out: number[] = [];
  let i = 0;
  let bad: string | undefined;
  let scope = '';
  for (;;) {
    const hi = raw.charCodeAt(i);
    if (i >= raw.length) break;
    if (hi === 0x2e) {
      scope = raw.slice(i);
      break;
    }
    if (hi < 0x41 || hi > 0x5a) {
      bad = 'Illegal NetBIOS name (1st character not between A and Z in first-level encoding)';
      break;
    }
    const lo = raw.charCodeAt(i + 1);
    if (i + 1 >= raw.length || lo === 0x2e) {
      bad = 'Illegal NetBIOS name (odd number of bytes)';
      break;
    }
    if (lo < 0x41 || lo > 0x5a) {
      bad = 'Illegal NetBIOS name (2nd character not between A and Z in first-level encoding)';
      break;
    }
    if (out.length < 16) out.push((((hi - 0x41) << 4) | (lo - 0x41)) & 0xff);
    i += 2;
  }
  if (bad === undefined && out.length !== 16) bad = `Illegal NetBIOS name (${out.length} bytes long)`;
  if (bad !== undefined) return { text: bad, type: -1, used };
  const n = netbiosNameText(out);
  return { text: `${n.text}<${(n.type >> 4).toString(16)}${(n.type & 15).toString(16)}>${scope}`, type: n.type, used };
}

/** Sizes of the node statistics after the unit ID: jumpers, test result, version ... session size. */
const NBSTAT_STATISTICS = [1, 1, 2, 2, 2, 2, 2, 2, 4, 4, 2, 2, 2, 2, 2, 2, 2];

const T_NB = 32;
const T_NBSTAT = 33;
const OPCODE_WACK = 7;

/** The NBNS dissector (UDP 137). */
export function dissectNbns(p: Packet, buf: Uint8Array, off: number, end: number): void {
  const t = p.tree;
  const capEnd = Math.min(end, buf.length);
  const info = p.wantColumns && !p.inErrorPacket;
  p.addLayer('nbns');
  if (info) p.setProtocol('NBNS');
  const top = t.add(F.nbns, off, Math.max(0, capEnd - off));
  t.open(top);
  const need = (o: number, n: number): void => {
    if (o + n > end) throw new DnsBoundsError(false);
    if (o + n > capEnd) throw new DnsBoundsError(true);
  };
  try {
    need(off, 4);
    const id = u16(buf, off);
    const flags = u16(buf, off + 2);
    const opcode = (flags >> 11) & 0xf;
    const isResponse = (flags & 0x8000) !== 0;
    const rcode = flags & 0xf;
    if (info) {
      p.setInfo(`${OPCODES.get(opcode) ?? `Unknown operation (${opcode})`}${isResponse ? ' response' : ''}`);
      if (isResponse && opcode !== OPCODE_WACK && rcode !== 0)
        p.appendInfo(`, ${RCODES.get(rcode) ?? 'Unknown error'}`);
    }
    t.add(F.id, off, 2, id);
    const fi = t.add(F.flags, off + 2, 2, flags);
    if (t.full) t.setLabel(fi, flagsLabel(flags, false));
    t.open(fi);
    addFlagItems(p, off + 2, flags, false);
    t.close();
    need(off + 4, 8);
    const quest = u16(buf, off + 4);
    const ans = u16(buf, off + 6);
    const auth = u16(buf, off + 8);
    const add = u16(buf, off + 10);
    t.add(F.countQueries, off + 4, 2, quest);
    t.add(F.countAnswers, off + 6, 2, ans);
    t.add(F.countAuth, off + 8, 2, auth);
    t.add(F.countAdd, off + 10, 2, add);
    let cur = off + 12;
    // Queries go to Info in requests, answers in responses; other sections never (RFC 1002 §4.2).
    if (quest > 0) cur = section(p, buf, off, end, cur, quest, 'Queries', info && !isResponse, true, opcode, need);
    if (ans > 0) cur = section(p, buf, off, end, cur, ans, 'Answers', info && isResponse, false, opcode, need);
    if (auth > 0) cur = section(p, buf, off, end, cur, auth, 'Authoritative nameservers', false, false, opcode, need);
    if (add > 0) section(p, buf, off, end, cur, add, 'Additional records', false, false, opcode, need);
  } catch (e) {
    if (!(e instanceof DnsBoundsError)) throw e;
    if (e.truncatedCapture) p.truncated('NBNS');
    else p.malformed('NBNS');
  }
  t.closeAll();
}

/** The flags item's text: the value, the opcode and the flags that are set (a bitmask summary). */
function flagsLabel(flags: number, wack: boolean): string {
  const isResponse = (flags & 0x8000) !== 0;
  let s = `Flags: 0x${hex4(flags)}`;
  if (isResponse) s += ', Response';
  s += `, Opcode: ${OPCODES.get((flags >> 11) & 0xf) ?? 'Unknown'}`;
  if (isResponse && flags & 0x0400) s += ', Authoritative';
  if (flags & 0x0200) s += ', Truncated';
  if (flags & 0x0100) s += ', Recursion desired';
  if (isResponse && flags & 0x0080) s += ', Recursion available';
  if (flags & 0x0010) s += ', Broadcast';
  if (isResponse && !wack) s += `, Reply code: ${RCODES.get(flags & 0xf) ?? 'Unknown'}`;
  return s;
}

function addFlagItems(p: Packet, at: number, flags: number, wack: boolean): void {
  const t = p.tree;
  const isResponse = (flags & 0x8000) !== 0;
  const bit = (mask: number) => ((flags & mask) !== 0 ? 1 : 0);
  t.add(F.response, at, 2, bit(0x8000));
  t.add(F.opcode, at, 2, (flags >> 11) & 0xf);
  if (isResponse) t.add(F.authoritative, at, 2, bit(0x0400));
  t.add(F.truncated, at, 2, bit(0x0200));
  t.add(F.recdesired, at, 2, bit(0x0100));
  if (isResponse) t.add(F.recavail, at, 2, bit(0x0080));
  t.add(F.broadcast, at, 2, bit(0x0010));
  if (isResponse && !wack) t.add(F.rcode, at, 2, flags & 0xf);
}

function section(
  p: Packet,
  buf: Uint8Array,
  start: number,
  end: number,
  o: number,
  count: number,
  title: string,
  info: boolean,
  questions: boolean,
  opcode: number,
  need: (o: number, n: number) => void,
): number {
  const t = p.tree;
  const si = t.addText(o, 0, title);
  t.open(si);
  const s0 = o;
  for (let i = 0; i < count; i++)
    o += questions ? question(p, buf, start, end, o, info, need) : record(p, buf, start, end, o, info, opcode, need);
  t.setLength(si, o - s0);
  t.close();
  return o;
}

function question(
  p: Packet,
  buf: Uint8Array,
  start: number,
  end: number,
  o: number,
  info: boolean,
  need: (o: number, n: number) => void,
): number {
  const t = p.tree;
  const n = readNetbiosName(buf, o, start, end);
  need(o + n.used, 4);
  const type = u16(buf, o + n.used);
  const cls = u16(buf, o + n.used + 2);
  const typeName = TYPES.get(type) ?? 'unknown';
  if (info) p.appendInfo(` ${typeName} ${n.text}`);
  const qi = t.addText(o, n.used + 4, `${n.text}: type ${typeName}, class ${CLASSES.get(cls) ?? 'Unknown'}`);
  t.open(qi);
  const ni = t.addValue(F.name, o, n.used, n.text);
  if (t.full && n.type >= 0) t.setLabel(ni, `Name: ${n.text} (${netbiosNameTypeText(n.type)})`);
  t.add(F.type, o + n.used, 2, type);
  t.add(F.class, o + n.used + 2, 2, cls);
  t.close();
  return n.used + 4;
}

function record(
  p: Packet,
  buf: Uint8Array,
  start: number,
  end: number,
  o: number,
  info: boolean,
  opcode: number,
  need: (o: number, n: number) => void,
): number {
  const t = p.tree;
  const n = readNetbiosName(buf, o, start, end);
  need(o + n.used, 10);
  const type = u16(buf, o + n.used);
  const cls = u16(buf, o + n.used + 2);
  const ttl = u32(buf, o + n.used + 4);
  let dataLen = u16(buf, o + n.used + 8);
  let cur = o + n.used + 10;
  const typeName = TYPES.get(type) ?? 'unknown';
  const ri = t.addText(o, n.used + 10 + dataLen, `${n.text}: type ${typeName}, class ${CLASSES.get(cls) ?? 'Unknown'}`);
  t.open(ri);
  // Wireshark shows an NB record's name with its type description inside the value.
  const nameValue = type === T_NB ? `${n.text} (${netbiosNameTypeText(n.type)})` : n.text;
  t.addValue(F.name, o, n.used, nameValue);
  t.add(F.type, o + n.used, 2, type);
  t.add(F.class, o + n.used + 2, 2, cls);
  const ti = t.add(F.ttl, o + n.used + 4, 4, ttl);
  if (t.full) t.setLabel(ti, `Time to live: ${timeSecsText(ttl)}`);
  t.add(F.dataLength, o + n.used + 8, 2, dataLen);
  if (type === T_NB) {
    if (info && opcode !== OPCODE_WACK) {
      need(cur + 2, 4);
      p.appendInfo(` ${typeName} ${formatIPv4(u32(buf, cur + 2))}`);
    }
    while (dataLen > 0) {
      if (dataLen < 2) {
        t.addText(cur, dataLen, '(incomplete entry)');
        break;
      }
      need(cur, 2);
      const fl = u16(buf, cur);
      if (opcode === OPCODE_WACK) {
        const fi = t.add(F.flags, cur, 2, fl);
        if (t.full) t.setLabel(fi, flagsLabel(fl, true));
        t.open(fi);
        addFlagItems(p, cur, fl, true);
        t.close();
        cur += 2;
        dataLen -= 2;
        continue;
      }
      const fi = t.add(F.nbFlags, cur, 2, fl);
      if (t.full)
        t.setLabel(
          fi,
          `Name flags: 0x${hex4(fl)}, Name type, ONT: ${ONT.get((fl >> 13) & 3) ?? 'Unknown'} (${ONT.get((fl >> 13) & 3) ?? 'Unknown'}, ${fl & 0x8000 ? 'group' : 'unique'})`,
        );
      t.open(fi);
      t.add(F.nbFlagsGroup, cur, 2, fl & 0x8000 ? 1 : 0);
      t.add(F.nbFlagsOnt, cur, 2, (fl >> 13) & 3);
      t.close();
      cur += 2;
      dataLen -= 2;
      if (dataLen < 4) {
        t.addText(cur, dataLen, '(incomplete entry)');
        break;
      }
      need(cur, 4);
      t.add(F.addr, cur, 4, u32(buf, cur));
      cur += 4;
      dataLen -= 4;
    }
  } else if (type === T_NBSTAT) {
    if (info) p.appendInfo(` ${typeName}`);
    if (dataLen >= 1) {
      need(cur, 1);
      let names = buf[cur];
      t.add(F.numberOfNames, cur, 1, names);
      cur++;
      while (names > 0 && dataLen >= 16) {
        need(cur, 18);
        const nn = netbiosNameText(buf.subarray(cur, cur + 16));
        const text = `${nn.text}<${(nn.type >> 4).toString(16)}${(nn.type & 15).toString(16)}>`;
        const ni = t.addValue(F.netbiosName, cur, 16, text);
        if (t.full) t.setLabel(ni, `Name: ${text} (${netbiosNameTypeText(nn.type)})`);
        cur += 18;
        dataLen -= 18;
        names--;
      }
      if (dataLen >= 6 && names === 0) {
        need(cur, 6);
        t.add(F.unitId, cur, 6);
        cur += 6;
        dataLen -= 6;
        // RFC 1002 §4.2.18 statistics: Wireshark reads each while the data length allows it.
        for (const size of NBSTAT_STATISTICS) {
          if (dataLen < size) break;
          need(cur, size);
          cur += size;
          dataLen -= size;
        }
      }
    }
  } else {
    if (info) p.appendInfo(` ${typeName}`);
    if (dataLen > 0) t.add(F.data, cur, Math.max(0, Math.min(dataLen, Math.min(end, buf.length) - cur)));
  }
  t.close();
  return n.used + 10 + u16(buf, o + n.used + 8);
}

udpPortTable.add(137, dissectNbns);
