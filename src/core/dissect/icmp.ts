// ICMP (RFC 792, 1191, 1256, 4884): type and code, the checksum (verified, as Wireshark does),
// echo identifiers and request/reply matching, the timestamp Linux ping puts in echo data,
// and the IP header quoted in error messages, dissected with p.inErrorPacket set.

import { defineFields, valueStrings } from './fields.js';
import { ipProtoTable } from './tables.js';
import type { Packet } from './packet.js';
import { onesComplementSum, u16, u16le, u32, u32le, hex4 } from './bytes.js';
import { GENERATED } from './tree.js';
import { dissectData } from './data.js';
import { dissectIp } from './ipv4.js';
import { CHECKSUM_STATUS, addChecksumResult } from './checksum.js';
import { EchoMatcher, checksumKey, responseTimeMs } from './echo-matcher.js';
import { msecsText } from './msecs-text.js';

const TYPE_NAMES = valueStrings({
  0: 'Echo (ping) reply',
  1: 'Reserved',
  2: 'Reserved',
  3: 'Destination unreachable',
  4: 'Source quench (flow control)',
  5: 'Redirect',
  6: 'Alternate host address',
  8: 'Echo (ping) request',
  9: 'Router advertisement',
  10: 'Router solicitation',
  11: 'Time-to-live exceeded',
  12: 'Parameter problem',
  13: 'Timestamp request',
  14: 'Timestamp reply',
  15: 'Information request',
  16: 'Information reply',
  17: 'Address mask request',
  18: 'Address mask reply',
  19: 'Reserved (for security)',
  30: 'Traceroute',
  31: 'Datagram Conversion Error',
  32: 'Mobile Host Redirect',
  33: 'IPv6 Where-Are-You',
  34: 'IPv6 I-Am-Here',
  35: 'Mobile Registration Request',
  36: 'Mobile Registration Reply',
  37: 'Domain Name Request',
  38: 'Domain Name Reply',
  39: 'SKIP',
  40: 'Photuris',
  41: 'Experimental mobility protocols',
  42: 'Extended Echo request',
  43: 'Extended Echo reply',
});

/** Code names by type (Wireshark names only these types' codes). */
const CODE_NAMES = new Map<number, ReadonlyMap<number, string>>([
  [
    3,
    valueStrings({
      0: 'Network unreachable',
      1: 'Host unreachable',
      2: 'Protocol unreachable',
      3: 'Port unreachable',
      4: 'Fragmentation needed',
      5: 'Source route failed',
      6: 'Destination network unknown',
      7: 'Destination host unknown',
      8: 'Source host isolated',
      9: 'Network administratively prohibited',
      10: 'Host administratively prohibited',
      11: 'Network unreachable for TOS',
      12: 'Host unreachable for TOS',
      13: 'Communication administratively filtered',
      14: 'Host precedence violation',
      15: 'Precedence cutoff in effect',
    }),
  ],
  [
    5,
    valueStrings({
      0: 'Redirect for network',
      1: 'Redirect for host',
      2: 'Redirect for TOS and network',
      3: 'Redirect for TOS and host',
    }),
  ],
  [6, valueStrings({ 0: 'Alternate address for host' })],
  [9, valueStrings({ 0: 'Normal router advertisement', 16: 'Does not route common traffic' })],
  [11, valueStrings({ 0: 'Time to live exceeded in transit', 1: 'Fragment reassembly time exceeded' })],
  [12, valueStrings({ 0: 'Pointer indicates the error', 1: 'Required option missing', 2: 'Bad length' })],
  [
    40,
    valueStrings({
      0: 'Bad SPI',
      1: 'Authentication Failed',
      2: 'Decompression Failed',
      3: 'Decryption Failed',
      4: 'Need Authentication',
      5: 'Need Authorization',
    }),
  ],
  [42, valueStrings({ 0: 'No error' })],
  [
    43,
    valueStrings({
      0: 'No error',
      1: 'Malformed Query',
      2: 'No Such Interface',
      3: 'No Such Table Entry',
      4: 'Multiple Interfaces Satisfy Query',
    }),
  ],
]);

export const icmpFields = defineFields({
  icmp: { abbrev: 'icmp', name: 'Internet Control Message Protocol', type: 'protocol' },
  type: { abbrev: 'icmp.type', name: 'Type', type: 'uint', bits: 8, base: 'dec' },
  code: { abbrev: 'icmp.code', name: 'Code', type: 'uint', bits: 8, base: 'dec' },
  checksum: { abbrev: 'icmp.checksum', name: 'Checksum', type: 'uint', bits: 16, base: 'hex' },
  checksumStatus: {
    abbrev: 'icmp.checksum.status',
    name: 'Checksum Status',
    type: 'uint',
    bits: 8,
    base: 'none',
    strings: CHECKSUM_STATUS,
  },
  checksumBad: { abbrev: 'icmp.checksum_bad', name: 'Bad checksum', type: 'none' },
  unused: { abbrev: 'icmp.unused', name: 'Unused', type: 'bytes' },
  ident: { abbrev: 'icmp.ident', name: 'Identifier (BE)', type: 'uint', bits: 16, base: 'dec_hex' },
  identLe: { abbrev: 'icmp.ident_le', name: 'Identifier (LE)', type: 'uint', bits: 16, base: 'dec_hex' },
  seq: { abbrev: 'icmp.seq', name: 'Sequence Number (BE)', type: 'uint', bits: 16, base: 'dec_hex' },
  seqLe: { abbrev: 'icmp.seq_le', name: 'Sequence Number (LE)', type: 'uint', bits: 16, base: 'dec_hex' },
  mtu: { abbrev: 'icmp.mtu', name: 'MTU of next hop', type: 'uint', bits: 16, base: 'dec' },
  numAddrs: { abbrev: 'icmp.num_addrs', name: 'Number of addresses', type: 'uint', bits: 8, base: 'dec' },
  addrEntrySize: { abbrev: 'icmp.addr_entry_size', name: 'Address entry size', type: 'uint', bits: 8, base: 'dec' },
  lifetime: { abbrev: 'icmp.lifetime', name: 'Lifetime', type: 'uint', bits: 16, base: 'dec' },
  pointer: { abbrev: 'icmp.pointer', name: 'Pointer', type: 'uint', bits: 32, base: 'dec' },
  routerAddress: { abbrev: 'icmp.router_address', name: 'Router address', type: 'ipv4' },
  prefLevel: { abbrev: 'icmp.pref_level', name: 'Preference level', type: 'int', bits: 32, base: 'dec' },
  originateTimestamp: {
    abbrev: 'icmp.originate_timestamp',
    name: 'Originate Timestamp',
    type: 'uint',
    bits: 32,
    base: 'dec',
  },
  receiveTimestamp: {
    abbrev: 'icmp.receive_timestamp',
    name: 'Receive Timestamp',
    type: 'uint',
    bits: 32,
    base: 'dec',
  },
  transmitTimestamp: {
    abbrev: 'icmp.transmit_timestamp',
    name: 'Transmit Timestamp',
    type: 'uint',
    bits: 32,
    base: 'dec',
  },
  addressMask: { abbrev: 'icmp.address_mask', name: 'Address Mask', type: 'ipv4' },
  redirGw: { abbrev: 'icmp.redir_gw', name: 'Gateway Address', type: 'ipv4' },
  length: { abbrev: 'icmp.length', name: 'Length', type: 'uint', bits: 8, base: 'dec' },
  lengthOriginal: {
    abbrev: 'icmp.length.original_datagram',
    name: 'Length of original datagram',
    type: 'uint',
    bits: 8,
    base: 'dec',
  },
  respIn: { abbrev: 'icmp.resp_in', name: 'Response frame', type: 'framenum' },
  respTo: { abbrev: 'icmp.resp_to', name: 'Request frame', type: 'framenum' },
  noResp: { abbrev: 'icmp.no_resp', name: 'No response seen', type: 'none' },
  respTime: { abbrev: 'icmp.resptime', name: 'Response time', type: 'float' },
  dataTime: { abbrev: 'icmp.data_time', name: 'Timestamp from icmp data', type: 'abstime' },
  dataTimeRelative: {
    abbrev: 'icmp.data_time_relative',
    name: 'Timestamp from icmp data (relative)',
    type: 'reltime',
    unit: ' seconds',
  },
});

const F = icmpFields;
const CHECKSUM_ITEM_FIELDS = { checksum: F.checksum, status: F.checksumStatus };

const ECHO_REPLY = 0;
const UNREACH = 3;
const SOURCE_QUENCH = 4;
const REDIRECT = 5;
const ALT_HOST = 6;
const ECHO = 8;
const ROUTER_ADVERT = 9;
const TIME_EXCEEDED = 11;
const PARAM_PROBLEM = 12;
const TIMESTAMP = 13;
const TIMESTAMP_REPLY = 14;
const INFO_REQUEST = 15;
const INFO_REPLY = 16;
const MASK_REQUEST = 17;
const MASK_REPLY = 18;
const FRAG_NEEDED = 4;
const MS_PER_DAY = 86400000;

export function dissectIcmp(p: Packet, buf: Uint8Array, off: number, end: number): number | void {
  const t = p.tree;
  p.addLayer('icmp');
  p.setProtocol('ICMP');
  p.setInfo('');
  const capEnd = Math.min(end, buf.length);
  const top = t.add(F.icmp, off, Math.max(0, capEnd - off));
  t.open(top);
  if (p.short('ICMP', buf, off, 1, end)) return;
  const type = buf[off];
  let typeName = TYPE_NAMES.get(type) ?? 'Unknown ICMP (obsolete or malformed?)';
  const typeItem = t.add(F.type, off, 1, type);
  if (p.short('ICMP', buf, off, 2, end)) {
    if (t.full) t.setLabel(typeItem, `Type: ${type} (${typeName})`);
    return;
  }
  const code = buf[off + 1];
  // RFC 4884: the length of the quoted datagram in 32-bit words (0 when not given).
  let originalLength = off + 5 < capEnd ? buf[off + 5] : 0;
  let codeName: string | undefined;
  const codes = CODE_NAMES.get(type);
  if (codes) codeName = codes.get(code) ?? `Unknown code: ${code}`;
  if (type === ALT_HOST) originalLength = 0;
  // Wireshark names code 0 and 16 router advertisements after Mobile IP.
  if (type === ROUTER_ADVERT && (code === 0 || code === 16)) typeName = 'Mobile IP Advertisement';
  if (p.wantColumns) p.setInfo(codeName === undefined ? typeName.padEnd(20) : `${typeName.padEnd(20)} (${codeName})`);
  if (t.full) t.setLabel(typeItem, `Type: ${type} (${typeName})`);
  const codeItem = t.add(F.code, off + 1, 1, code);
  if (t.full && codeName !== undefined) t.setLabel(codeItem, `Code: ${code} (${codeName})`);

  if (p.short('ICMP', buf, off, 4, end)) return;
  const checksum = u16(buf, off + 2);
  checksumItems(p, buf, off, end, checksum);

  switch (type) {
    case ECHO_REPLY:
    case ECHO:
    case TIMESTAMP:
    case TIMESTAMP_REPLY:
    case INFO_REQUEST:
    case INFO_REPLY:
    case MASK_REQUEST:
    case MASK_REPLY: {
      if (p.short('ICMP', buf, off, 6, end)) return;
      const ident = u16(buf, off + 4);
      t.add(F.ident, off + 4, 2, ident);
      t.add(F.identLe, off + 4, 2, u16le(buf, off + 4));
      if (p.short('ICMP', buf, off, 8, end)) return;
      const seq = u16(buf, off + 6);
      t.add(F.seq, off + 6, 2, seq);
      t.add(F.seqLe, off + 6, 2, u16le(buf, off + 6));
      if (p.wantColumns) {
        p.appendInfo(` id=0x${hex4(ident)}, seq=${seq}/${u16le(buf, off + 6)}`);
        if (p.ipTtl >= 0 && p.netType === 4) p.appendInfo(`, ttl=${p.ipTtl}`);
      }
      if ((type === ECHO || type === ECHO_REPLY) && !p.inErrorPacket)
        echoTransaction(p, type, checksum, ident, seq, off);
      break;
    }
    case UNREACH:
      if (p.short('ICMP', buf, off, 8, end)) return;
      if (originalLength > 0) {
        lengthItems(p, off, originalLength);
        if (code === FRAG_NEEDED) t.add(F.mtu, off + 6, 2, u16(buf, off + 6));
        else t.add(F.unused, off + 6, 2);
      } else if (code === FRAG_NEEDED) {
        t.add(F.unused, off + 4, 2);
        t.add(F.mtu, off + 6, 2, u16(buf, off + 6));
      } else t.add(F.unused, off + 4, 4);
      break;
    case ROUTER_ADVERT: {
      if (p.short('ICMP', buf, off, 8, end)) return;
      t.add(F.numAddrs, off + 4, 1, buf[off + 4]);
      t.add(F.addrEntrySize, off + 5, 1, buf[off + 5]);
      const lifetime = u16(buf, off + 6);
      const li = t.add(F.lifetime, off + 6, 2, lifetime);
      if (t.full) t.setLabel(li, `Lifetime: ${lifetime} (${msecsText(lifetime * 1000)})`);
      break;
    }
    case PARAM_PROBLEM:
      if (p.short('ICMP', buf, off, 8, end)) return;
      t.add(F.pointer, off + 4, 1, buf[off + 4]);
      if (originalLength > 0) {
        lengthItems(p, off, originalLength, true);
        t.add(F.unused, off + 6, 2);
      } else t.add(F.unused, off + 5, 3);
      break;
    case REDIRECT:
      if (p.short('ICMP', buf, off, 8, end)) return;
      t.add(F.redirGw, off + 4, 4, u32(buf, off + 4));
      break;
    case TIME_EXCEEDED:
      if (p.short('ICMP', buf, off, 8, end)) return;
      if (originalLength > 0) {
        lengthItems(p, off, originalLength);
        t.add(F.unused, off + 6, 2);
      } else t.add(F.unused, off + 4, 4);
      break;
  }

  switch (type) {
    case UNREACH:
    case TIME_EXCEEDED:
    case PARAM_PROBLEM:
    case SOURCE_QUENCH:
    case REDIRECT:
      quotedPacket(p, buf, off, end, type, originalLength);
      break;
    case ECHO_REPLY:
    case ECHO:
      if (capEnd - (off + 8) >= 8) echoData(p, buf, off + 8, end);
      else dissectData(p, buf, off + 8, end);
      break;
    case ROUTER_ADVERT:
      if (buf[off + 5] === 2) {
        const count = buf[off + 4];
        for (let i = 0, a = off + 8; i < count; i++, a += 8) {
          if (p.short('ICMP', buf, a, 8, end)) return;
          t.add(F.routerAddress, a, 4, u32(buf, a));
          t.add(F.prefLevel, a + 4, 4, u32(buf, a + 4) | 0);
        }
      } else dissectData(p, buf, off + 8, end);
      break;
    case TIMESTAMP:
    case TIMESTAMP_REPLY: {
      // Milliseconds since midnight UTC; hosts disagree on byte order, so Wireshark guesses.
      const frameMs = (p.meta.tsSec * 1000 + Math.floor(p.meta.tsNsec / 1e6)) % MS_PER_DAY;
      const fields = [F.originateTimestamp, F.receiveTimestamp, F.transmitTimestamp];
      for (let i = 0; i < 3; i++) {
        const at = off + 8 + 4 * i;
        if (p.short('ICMP', buf, at, 4, end)) return;
        const ti = t.add(fields[i], at, 4, u32(buf, at));
        if (t.full) {
          const name = i === 0 ? 'Originate' : i === 1 ? 'Receive' : 'Transmit';
          t.setLabel(
            ti,
            `${name} Timestamp: ${u32(buf, at)} (${msecsText(bestGuessMsOfDay(buf, at, frameMs))} after midnight UTC)`,
          );
        }
      }
      break;
    }
    case MASK_REQUEST:
    case MASK_REPLY:
      if (p.short('ICMP', buf, off + 8, 4, end)) return;
      t.add(F.addressMask, off + 8, 4, u32(buf, off + 8));
      break;
  }
  t.close();
}

/** icmp.checksum and its status: verified unless a fragment, cut short, or quoted in an error. */
function checksumItems(p: Packet, buf: Uint8Array, off: number, end: number, checksum: number): void {
  const verifiable = !p.fragmented && Math.min(end, buf.length) >= end && !p.inErrorPacket;
  const computed = verifiable ? ~onesComplementSum(buf, off, end - off) & 0xffff : null;
  const why = p.inErrorPacket ? 'in ICMP error packet' : 'fragmented datagram';
  addChecksumResult(
    p,
    CHECKSUM_ITEM_FIELDS,
    off + 2,
    checksum,
    computed,
    { protocol: 'icmp', name: 'icmp.checksum_bad' },
    why,
  );
}

/** RFC 4884's length of the original datagram (byte 5), and the byte before it. */
function lengthItems(p: Packet, off: number, originalLength: number, pointerFirst = false): void {
  const t = p.tree;
  if (!pointerFirst) t.add(F.unused, off + 4, 1);
  t.add(F.length, off + 5, 1, originalLength);
  const li = t.add(F.lengthOriginal, off + 5, 1, originalLength * 4, GENERATED);
  if (t.full) t.setLabel(li, `[Length of original datagram: ${originalLength * 4}]`);
}

/** The IP header and the start of the datagram that caused the error (RFC 792). */
function quotedPacket(
  p: Packet,
  buf: Uint8Array,
  off: number,
  end: number,
  type: number,
  originalLength: number,
): void {
  const start = off + 8;
  const capEnd = Math.min(end, buf.length);
  if (start >= capEnd && start >= end) return;
  let quotedEnd = end;
  if (type === REDIRECT) {
    // No length in a redirect: the IP header and 64 bits of data.
    if (start < capEnd) quotedEnd = Math.min(end, start + (buf[start] & 0x0f) * 4 + 8);
  } else if (
    originalLength &&
    end - off > 8 + originalLength * 4 &&
    start + 4 <= capEnd &&
    u16(buf, start + 2) > originalLength * 4
  ) {
    quotedEnd = Math.min(end, start + ((buf[start] & 0x0f) + originalLength) * 4);
  }
  const saveError = p.inErrorPacket;
  const saveColumns = p.wantColumns;
  // The quoted packet must not change the columns or the packet's addresses (Wireshark makes
  // the columns read-only while it dissects it).
  p.inErrorPacket = true;
  p.wantColumns = false;
  dissectIp(p, buf, start, quotedEnd);
  p.inErrorPacket = saveError;
  p.wantColumns = saveColumns;
}

/** Request/reply matching for echoes (not inside error packets). */
function echoTransaction(p: Packet, type: number, checksum: number, ident: number, seq: number, off: number): void {
  const t = p.tree;
  const matcher = p.session.protocolState('icmp.echo', () => new EchoMatcher('icmp.echo'));
  const key1 = ident * 65536 + seq;
  if (type === ECHO) {
    // The reply's checksum differs by the type byte (8 -> 0).
    const [trans, seen] = matcher.request(p, checksumKey(checksum, 0x0800), key1);
    if (!seen || !trans) return;
    if (trans.replyFrame) {
      t.add(F.respIn, off, 0, trans.replyFrame, GENERATED);
      if (p.wantColumns) p.appendInfo(` (reply in ${trans.replyFrame})`);
    } else if (p.netDst4 >>> 28 === 0xe || p.netDst4 === 0xffffffff) {
      if (p.wantColumns) p.appendInfo(p.netDst4 === 0xffffffff ? ' (broadcast)' : ' (multicast)');
    } else {
      const ni = t.add(F.noResp, off, 0, 0, GENERATED);
      if (t.full) t.setLabel(ni, '[No response seen]');
      t.open(ni);
      p.expert('icmp', 'icmp.resp_not_found', 'warn', 'sequence', 'No response seen to ICMP request', off, 0);
      t.close();
      if (p.wantColumns) p.appendInfo(' (no response found!)');
    }
    return;
  }
  const trans = matcher.reply(p, checksum === 0xffff ? 0 : checksum, key1);
  if (trans) {
    t.add(F.respTo, off, 0, trans.requestFrame, GENERATED);
    const ms = responseTimeMs(trans, p.meta.tsSec, p.meta.tsNsec);
    const ri = t.add(F.respTime, off, 0, ms, GENERATED);
    if (t.full) t.setLabel(ri, `[Response time: ${ms.toFixed(3)} ms]`);
    if (p.wantColumns) p.appendInfo(` (request in ${trans.requestFrame})`);
  }
}

/**
 * Echo data: a timestamp in the first 8 bytes (seconds and microseconds, either byte order,
 * within a day of the frame's time) as ping puts there, then the rest as data.
 */
function echoData(p: Packet, buf: Uint8Array, o: number, end: number): void {
  const t = p.tree;
  const frameSec = p.meta.tsSec;
  let sec = u32(buf, o);
  let usec = u32(buf, o + 4);
  if (Math.abs((sec - frameSec) | 0) >= 86400 || usec >= 1000000) {
    sec = u32le(buf, o);
    usec = u32le(buf, o + 4);
  }
  if (Math.abs((sec - frameSec) | 0) < 86400 && usec < 1000000) {
    t.addTime(F.dataTime, o, 8, sec, usec * 1000);
    t.addInterval(F.dataTimeRelative, o, 8, p.meta.tsSec - sec, p.meta.tsNsec - usec * 1000, GENERATED);
    dissectData(p, buf, o + 8, end);
  } else dissectData(p, buf, o, end);
}

/** Wireshark's get_best_guess_mstimeofday: the timestamp's byte order closest to the frame's time. */
function bestGuessMsOfDay(buf: Uint8Array, at: number, frameMs: number): number {
  // RFC 792 p.16: the high bit marks a non-standard time; clear it.
  let be = u32(buf, at) & 0x7fffffff;
  let le = u32le(buf, at) & 0x7fffffff;
  if (be < MS_PER_DAY && le >= MS_PER_DAY) return be;
  if (le < MS_PER_DAY && be >= MS_PER_DAY) return le;
  if (be < MS_PER_DAY && le < MS_PER_DAY) {
    const savedBe = be;
    const savedLe = le;
    if (be < frameMs && be <= MS_PER_DAY / 4 && frameMs >= MS_PER_DAY - MS_PER_DAY / 4) be += MS_PER_DAY;
    if (le < frameMs && le <= MS_PER_DAY / 4 && frameMs >= MS_PER_DAY - MS_PER_DAY / 4) le += MS_PER_DAY;
    return (be - frameMs) >>> 0 < (le - frameMs) >>> 0 ? savedBe : savedLe;
  }
  return (be - frameMs) >>> 0 < (le - frameMs) >>> 0 ? be : le;
}

ipProtoTable.add(1, dissectIcmp);
