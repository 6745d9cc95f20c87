// IPv4 (RFC 791): the header and its options, fragment reassembly, and the hand-off of the
// payload by protocol number, with Wireshark 4.0's fields, Info texts and expert items
// (checksum not verified, as its ip.check_checksum preference is off by default).

import { defineFields, SET_NOT_SET, valueStrings, YES_NO } from './fields.js';
import { ethertypeTable, ipProtoTable } from './tables.js';
import type { Packet } from './packet.js';
import { formatIPv4, HEX2, u16, u32, hex4 } from './bytes.js';
import { FieldGroup, GENERATED, HIDDEN } from './tree.js';
import { dissectData } from './data.js';
import { IP_PROTOCOL_NAMES, ipProtocolName } from './ipprotos.js';
import {
  FRAGMENT_COMPLETED,
  FRAGMENT_DONE,
  FRAGMENT_PENDING,
  FragmentTable,
  addReassemblyItems,
  firstPassReassembledIn,
  type Reassembled,
} from './ip-reassembly.js';
import { bitsLabel } from './bitlabel.js';
import { CHECKSUM, CHECKSUM_STATUS } from './checksum.js';

export const DSCP_NAMES = valueStrings({
  0: 'Default',
  1: 'Lower Effort',
  8: 'Class Selector 1',
  10: 'Assured Forwarding 11',
  12: 'Assured Forwarding 12',
  14: 'Assured Forwarding 13',
  16: 'Class Selector 2',
  18: 'Assured Forwarding 21',
  20: 'Assured Forwarding 22',
  22: 'Assured Forwarding 23',
  24: 'Class Selector 3',
  26: 'Assured Forwarding 31',
  28: 'Assured Forwarding 32',
  30: 'Assured Forwarding 33',
  32: 'Class Selector 4',
  34: 'Assured Forwarding 41',
  36: 'Assured Forwarding 42',
  38: 'Assured Forwarding 43',
  40: 'Class Selector 5',
  44: 'Voice Admit',
  46: 'Expedited Forwarding',
  48: 'Class Selector 6',
  56: 'Class Selector 7',
});

/** The short DSCP names of the DS field's summary ("DSCP: CS0"). */
const DSCP_SHORT = valueStrings({
  0: 'CS0',
  1: 'LE',
  8: 'CS1',
  10: 'AF11',
  12: 'AF12',
  14: 'AF13',
  16: 'CS2',
  18: 'AF21',
  20: 'AF22',
  22: 'AF23',
  24: 'CS3',
  26: 'AF31',
  28: 'AF32',
  30: 'AF33',
  32: 'CS4',
  34: 'AF41',
  36: 'AF42',
  38: 'AF43',
  40: 'CS5',
  44: 'VOICE-ADMIT',
  46: 'EF PHB',
  48: 'CS6',
  56: 'CS7',
});

export const ECN_NAMES = valueStrings({
  0: 'Not ECN-Capable Transport',
  1: "ECN-Capable Transport codepoint '01'",
  2: "ECN-Capable Transport codepoint '10'",
  3: 'Congestion Experienced',
});
const ECN_SHORT = ['Not-ECT', 'ECT(1)', 'ECT(0)', 'CE'];

/** "(DSCP: CS0, ECN: Not-ECT)", the summary Wireshark appends to the DS field and traffic class. */
export function dsSummary(ds: number): string {
  return `(DSCP: ${DSCP_SHORT.get(ds >> 2) ?? 'Unknown'}, ECN: ${ECN_SHORT[ds & 3]})`;
}

/** Wireshark's proto_checksum_vals (the *.checksum.status fields). */

const OPTION_CLASSES = valueStrings({
  0: 'Control',
  1: 'Reserved for future use',
  2: 'Debugging and measurement',
  3: 'Reserved for future use',
});

const OPTION_NUMBERS = valueStrings({
  0: 'End of Option List (EOL)',
  1: 'No-Operation (NOP)',
  2: 'Security',
  3: 'Loose source route',
  4: 'Time stamp',
  5: 'Extended security',
  6: 'Commercial IP security option',
  7: 'Record route',
  8: 'Stream identifier',
  9: 'Strict source route',
  10: 'Experimental Measurement',
  11: 'MTU probe',
  12: 'MTU Reply',
  13: 'Experimental Flow Control',
  14: 'Experimental Access Control',
  15: 'Ask Estrin',
  16: 'IMI Traffic Descriptor',
  17: 'Extended Internet Protocol',
  18: 'Traceroute',
  19: 'Address Extension',
  20: 'Router Alert',
  21: 'Selective Directed Broadcast',
  22: 'Unassigned',
  23: 'Dynamic Packet State',
  24: 'Upstream Multicast Packet',
  25: 'Quick-Start',
  30: 'RFC 3692-style experiment',
});

const TIMESTAMP_FLAGS = valueStrings({
  0: 'Time stamps only',
  1: 'Time stamp and address',
  3: 'Time stamps for prespecified addresses',
});

export const ipFields = defineFields({
  ip: { abbrev: 'ip', name: 'Internet Protocol Version 4', type: 'protocol' },
  version: { abbrev: 'ip.version', name: 'Version', type: 'uint', bits: 8, base: 'dec' },
  hdrLen: { abbrev: 'ip.hdr_len', name: 'Header Length', type: 'uint', bits: 8, base: 'dec' },
  dsfield: { abbrev: 'ip.dsfield', name: 'Differentiated Services Field', type: 'uint', bits: 8, base: 'hex' },
  dscp: {
    abbrev: 'ip.dsfield.dscp',
    name: 'Differentiated Services Codepoint',
    type: 'uint',
    bits: 8,
    base: 'dec',
    mask: 0xfc,
    strings: DSCP_NAMES,
  },
  ecn: {
    abbrev: 'ip.dsfield.ecn',
    name: 'Explicit Congestion Notification',
    type: 'uint',
    bits: 8,
    base: 'dec',
    mask: 0x03,
    strings: ECN_NAMES,
  },
  len: { abbrev: 'ip.len', name: 'Total Length', type: 'uint', bits: 16, base: 'dec' },
  id: { abbrev: 'ip.id', name: 'Identification', type: 'uint', bits: 16, base: 'hex_dec' },
  flags: { abbrev: 'ip.flags', name: 'Flags', type: 'uint', bits: 8, base: 'hex', mask: 0xe0 },
  rb: { abbrev: 'ip.flags.rb', name: 'Reserved bit', type: 'bool', bits: 8, mask: 0x80, trueFalse: SET_NOT_SET },
  df: { abbrev: 'ip.flags.df', name: "Don't fragment", type: 'bool', bits: 8, mask: 0x40, trueFalse: SET_NOT_SET },
  mf: { abbrev: 'ip.flags.mf', name: 'More fragments', type: 'bool', bits: 8, mask: 0x20, trueFalse: SET_NOT_SET },
  fragOffset: { abbrev: 'ip.frag_offset', name: 'Fragment Offset', type: 'uint', bits: 16, base: 'dec', mask: 0x1fff },
  ttl: { abbrev: 'ip.ttl', name: 'Time to Live', type: 'uint', bits: 8, base: 'dec' },
  proto: { abbrev: 'ip.proto', name: 'Protocol', type: 'uint', bits: 8, base: 'dec', strings: IP_PROTOCOL_NAMES },
  checksum: { abbrev: 'ip.checksum', name: 'Header Checksum', type: 'uint', bits: 16, base: 'hex' },
  checksumStatus: {
    abbrev: 'ip.checksum.status',
    name: 'Header checksum status',
    type: 'uint',
    bits: 8,
    base: 'none',
    strings: CHECKSUM_STATUS,
  },
  src: { abbrev: 'ip.src', name: 'Source Address', type: 'ipv4' },
  addr: { abbrev: 'ip.addr', name: 'Source or Destination Address', type: 'ipv4' },
  srcHost: { abbrev: 'ip.src_host', name: 'Source Host', type: 'string' },
  host: { abbrev: 'ip.host', name: 'Source or Destination Host', type: 'string' },
  dst: { abbrev: 'ip.dst', name: 'Destination Address', type: 'ipv4' },
  dstHost: { abbrev: 'ip.dst_host', name: 'Destination Host', type: 'string' },
  curRt: { abbrev: 'ip.cur_rt', name: 'Current Route', type: 'ipv4' },
  curRtHost: { abbrev: 'ip.cur_rt_host', name: 'Current Route Host', type: 'string' },
  // Options
  optType: { abbrev: 'ip.opt.type', name: 'Type', type: 'uint', bits: 8, base: 'dec' },
  optCopy: {
    abbrev: 'ip.opt.type.copy',
    name: 'Copy on fragmentation',
    type: 'bool',
    bits: 8,
    mask: 0x80,
    trueFalse: YES_NO,
  },
  optClass: {
    abbrev: 'ip.opt.type.class',
    name: 'Class',
    type: 'uint',
    bits: 8,
    base: 'dec',
    mask: 0x60,
    strings: OPTION_CLASSES,
  },
  optNumber: {
    abbrev: 'ip.opt.type.number',
    name: 'Number',
    type: 'uint',
    bits: 8,
    base: 'dec',
    mask: 0x1f,
    strings: OPTION_NUMBERS,
  },
  optLen: { abbrev: 'ip.opt.len', name: 'Length', type: 'uint', bits: 8, base: 'dec' },
  optPtr: { abbrev: 'ip.opt.ptr', name: 'Pointer', type: 'uint', bits: 8, base: 'dec' },
  optSid: { abbrev: 'ip.opt.sid', name: 'Stream Identifier', type: 'uint', bits: 16, base: 'dec' },
  optMtu: { abbrev: 'ip.opt.mtu', name: 'MTU', type: 'uint', bits: 16, base: 'dec' },
  optIdNumber: { abbrev: 'ip.opt.id_number', name: 'ID Number', type: 'uint', bits: 16, base: 'dec' },
  optOhc: { abbrev: 'ip.opt.ohc', name: 'Outbound Hop Count', type: 'uint', bits: 16, base: 'dec' },
  optRhc: { abbrev: 'ip.opt.rhc', name: 'Return Hop Count', type: 'uint', bits: 16, base: 'dec' },
  optOriginator: { abbrev: 'ip.opt.originator', name: 'Originator IP Address', type: 'ipv4' },
  optRa: { abbrev: 'ip.opt.ra', name: 'Router Alert', type: 'uint', bits: 16, base: 'dec' },
  recRt: { abbrev: 'ip.rec_rt', name: 'Recorded Route', type: 'ipv4' },
  recRtHost: { abbrev: 'ip.rec_rt_host', name: 'Recorded Route Host', type: 'string' },
  srcRt: { abbrev: 'ip.src_rt', name: 'Source Route', type: 'ipv4' },
  srcRtHost: { abbrev: 'ip.src_rt_host', name: 'Source Route Host', type: 'string' },
  emptyRt: { abbrev: 'ip.empty_rt', name: 'Empty Route', type: 'ipv4' },
  emptyRtHost: { abbrev: 'ip.empty_rt_host', name: 'Empty Route Host', type: 'string' },
  optOverflow: { abbrev: 'ip.opt.overflow', name: 'Overflow', type: 'uint', bits: 8, base: 'dec', mask: 0xf0 },
  optFlag: {
    abbrev: 'ip.opt.flag',
    name: 'Flag',
    type: 'uint',
    bits: 8,
    base: 'hex',
    mask: 0x0f,
    strings: TIMESTAMP_FLAGS,
  },
  optTimeStamp: { abbrev: 'ip.opt.time_stamp', name: 'Time stamp', type: 'uint', bits: 32, base: 'dec' },
  optTimeStampAddr: { abbrev: 'ip.opt.time_stamp_addr', name: 'Address', type: 'ipv4' },
  optEol: { abbrev: 'ip.options.eol', name: 'IP Option - End of Options List (EOL)', type: 'protocol' },
  optNop: { abbrev: 'ip.options.nop', name: 'IP Option - No-Operation (NOP)', type: 'protocol' },
  optSecurity: { abbrev: 'ip.options.security', name: 'IP Option - Security', type: 'protocol' },
  optLooseRoute: { abbrev: 'ip.options.route', name: 'IP Option - Loose Source Route', type: 'protocol' },
  optTimestamp: { abbrev: 'ip.options.timestamp', name: 'IP Option - Time Stamp', type: 'protocol' },
  optExtSecurity: { abbrev: 'ip.options.ext_security', name: 'IP Option - Extended Security', type: 'protocol' },
  optCipso: { abbrev: 'ip.options.cipso', name: 'IP Option - Commercial Security', type: 'protocol' },
  optRecordRoute: { abbrev: 'ip.options.record_route', name: 'IP Option - Record Route', type: 'protocol' },
  optStreamId: { abbrev: 'ip.options.sid', name: 'IP Option - Stream ID', type: 'protocol' },
  optStrictRoute: { abbrev: 'ip.options.source_route', name: 'IP Option - Strict Source Route', type: 'protocol' },
  optMtuProbe: { abbrev: 'ip.options.mtu_probe', name: 'IP Option - MTU Probe', type: 'protocol' },
  optMtuReply: { abbrev: 'ip.options.mtu_reply', name: 'IP Option - MTU Reply', type: 'protocol' },
  optTraceroute: { abbrev: 'ip.options.traceroute', name: 'IP Option - Traceroute', type: 'protocol' },
  optRouterAlert: { abbrev: 'ip.options.routeralert', name: 'IP Option - Router Alert', type: 'protocol' },
  optSdb: { abbrev: 'ip.options.sdb', name: 'IP Option - Selective Directed Broadcast', type: 'protocol' },
  optQs: { abbrev: 'ip.options.qs', name: 'IP Option - Quick-Start', type: 'protocol' },
  // Reassembly
  fragments: { abbrev: 'ip.fragments', name: 'IPv4 Fragments', type: 'bytes' },
  fragment: { abbrev: 'ip.fragment', name: 'IPv4 Fragment', type: 'framenum' },
  fragmentCount: { abbrev: 'ip.fragment.count', name: 'Fragment count', type: 'uint', bits: 32, base: 'dec' },
  reassembledIn: { abbrev: 'ip.reassembled_in', name: 'Reassembled IPv4 in frame', type: 'framenum' },
  reassembledLength: {
    abbrev: 'ip.reassembled.length',
    name: 'Reassembled IPv4 length',
    type: 'uint',
    bits: 32,
    base: 'dec',
  },
  reassembledData: { abbrev: 'ip.reassembled.data', name: 'Reassembled IPv4 data', type: 'bytes' },
});

const F = ipFields;
/** The fixed header's items from Version to the checksum status (skipped together when none is kept). */
const HEADER_ITEMS = new FieldGroup([
  F.version,
  F.hdrLen,
  F.dsfield,
  F.dscp,
  F.ecn,
  F.len,
  F.id,
  F.flags,
  F.rb,
  F.df,
  F.mf,
  F.fragOffset,
  F.ttl,
  F.proto,
  F.checksum,
  F.checksumStatus,
]);
/** The host-name items (also decide whether the address texts are needed; full mode keeps all). */
const HOST_ITEMS = new FieldGroup([F.srcHost, F.dstHost, F.host]);

const IPV4_HEADER = 20;
const ETHERTYPE_IPV6 = 0x86dd;
const PROTO_IGMP = 2;
const PROTO_OSPF = 89;
const PROTO_PIM = 103;
const IP_MF = 0x2000;
const IP_OFFSET = 0x1fff;

// Option types (RFC 791 and IANA's ip-parameters).
const OPT_EOL = 0;
const OPT_NOP = 1;
const OPT_SEC = 130;
const OPT_LSR = 131;
const OPT_TS = 68;
const OPT_ESEC = 133;
const OPT_CIPSO = 134;
const OPT_RR = 7;
const OPT_SID = 136;
const OPT_SSR = 137;
const OPT_MTUP = 11;
const OPT_MTUR = 12;
const OPT_TR = 82;
const OPT_RTRALT = 148;
const OPT_SDB = 149;
const OPT_QS = 25;
/** Longest option (the whole option area of a 60-byte header). */
const OPT_MAX_LEN = 40;

/** The option types Wireshark dissects, with their protocol item and short name. */
const OPTION_PROTOCOLS = new Map<number, [number, string]>([
  [OPT_SEC, [F.optSecurity, 'Security']],
  [OPT_LSR, [F.optLooseRoute, 'Loose Source Route']],
  [OPT_TS, [F.optTimestamp, 'Time Stamp']],
  [OPT_ESEC, [F.optExtSecurity, 'Extended Security']],
  [OPT_CIPSO, [F.optCipso, 'Commercial Security']],
  [OPT_RR, [F.optRecordRoute, 'Record Route']],
  [OPT_SID, [F.optStreamId, 'Stream ID']],
  [OPT_SSR, [F.optStrictRoute, 'Strict Source Route']],
  [OPT_MTUP, [F.optMtuProbe, 'MTU Probe']],
  [OPT_MTUR, [F.optMtuReply, 'MTU Reply']],
  [OPT_TR, [F.optTraceroute, 'Traceroute']],
  [OPT_RTRALT, [F.optRouterAlert, 'Router Alert']],
  [OPT_SDB, [F.optSdb, 'Selective Directed Broadcast']],
  [OPT_QS, [F.optQs, 'Quick-Start']],
]);

/** Fixed lengths of the options that have one. */
const OPTION_FIXED_LENGTH = new Map<number, number>([
  [OPT_SID, 4],
  [OPT_MTUP, 4],
  [OPT_MTUR, 4],
  [OPT_TR, 12],
  [OPT_RTRALT, 4],
  [OPT_QS, 8],
]);

interface ReassemblyState {
  table: FragmentTable;
}

/**
 * Dissects an IP packet by its version nibble, as Wireshark's "ip" dissector does for payloads
 * that can be either (ICMP error quotes, tunnels, raw link types).
 */
export function dissectIp(p: Packet, buf: Uint8Array, off: number, end: number): number | void {
  const capEnd = Math.min(end, buf.length);
  if (off < capEnd) {
    const version = buf[off] >> 4;
    if (version === 4) return dissectIPv4(p, buf, off, end);
    if (version === 6) {
      const ipv6 = ethertypeTable.get(ETHERTYPE_IPV6);
      if (ipv6) return ipv6(p, buf, off, end);
    }
  }
  p.addLayer('ip');
  p.setProtocol('IP');
  const t = p.tree;
  if (off >= capEnd) {
    p.short('IP', buf, off, 1, end);
    return;
  }
  const version = buf[off] >> 4;
  if (p.wantColumns) p.setInfo(`Bogus IP version (${version})`);
  const top = t.add(F.ip, off, 1);
  if (t.full) t.setLabel(top, `Internet Protocol, bogus version (${version})`);
  t.open(top);
  const v = t.add(F.version, off, 1, version);
  if (t.full) t.setLabel(v, bitsLabel(version, 4, 8, 4, 'Version', String(version)));
  t.open(v);
  p.expert('ip', 'ip.bogus_ip_version', 'error', 'protocol', 'Bogus IP version', off, 1);
  t.close();
  t.close();
}

/**
 * Address texts of recent packets: a capture's packets keep coming from the same few hosts, and
 * a looked-up text (flat, already encoded once) is cheaper than building the dotted quad for the
 * Source and Destination columns of every packet. Emptied when full, so it stays small.
 */
const addressTexts = new Map<number, string>();
const ADDRESS_TEXTS_MAX = 4096;

function addressText(a: number): string {
  let text = addressTexts.get(a);
  if (text === undefined) {
    if (addressTexts.size >= ADDRESS_TEXTS_MAX) addressTexts.clear();
    text = formatIPv4(a);
    addressTexts.set(a, text);
  }
  return text;
}

export function dissectIPv4(p: Packet, buf: Uint8Array, off: number, end: number): number | void {
  const t = p.tree;
  // Summary path: the header items are added only when one of them is kept (one check, not 17 calls).
  const h = t.keepsAny(HEADER_ITEMS);
  // The usual case, 20 header bytes captured and reported, skips the field-by-field checks below
  // (the reported end only moves to off + total length, which is at least 20 then).
  const fixedHeader = off + IPV4_HEADER <= end && off + IPV4_HEADER <= buf.length;
  p.addLayer('ip');
  p.setProtocol('IPv4');
  p.setInfo('');
  // Wireshark reads the first byte before adding the protocol item.
  if (!fixedHeader && p.short('IPv4', buf, off, 1, end)) return;
  const top = t.add(F.ip, off, 0);
  t.open(top);

  const version = buf[off] >> 4;
  const hlen = (buf[off] & 15) * 4;
  t.setLength(top, Math.min(hlen, Math.min(end, buf.length) - off));
  const vi = h ? t.add(F.version, off, 1, version) : -1;
  if (t.full) t.setLabel(vi, bitsLabel(version, 4, 8, 4, 'Version', String(version)));
  if (version !== 4) {
    if (p.wantColumns) p.setInfo(`Bogus IPv4 version (${version}, must be 4)`);
    t.open(vi);
    p.expert('ip', 'ip.bogus_ip_version', 'error', 'protocol', 'Bogus IPv4 version', off, 1);
    t.close();
    t.close();
    // Wireshark goes on with IPv6 when a link layer says IPv4 but the packet is version 6.
    if (version === 6) {
      const ipv6 = ethertypeTable.get(ETHERTYPE_IPV6);
      if (ipv6) return ipv6(p, buf, off, end);
    }
    return;
  }
  const hl = h ? t.add(F.hdrLen, off, 1, hlen) : -1;
  if (t.full) t.setLabel(hl, bitsLabel(hlen >> 2, 0, 8, 4, 'Header Length', `${hlen} bytes (${hlen >> 2})`));
  if (hlen < IPV4_HEADER) {
    const message = `Bogus IP header length (${hlen}, must be at least ${IPV4_HEADER})`;
    p.setInfo(message);
    t.open(hl);
    p.expert('ip', 'ip.bogus_header_length', 'error', 'protocol', message, off, 1);
    t.close();
    t.close();
    return;
  }

  if (!fixedHeader && p.short('IPv4', buf, off, 2, end)) return;
  const ds = buf[off + 1];
  if (h) {
    const dsi = t.add(F.dsfield, off + 1, 1, ds);
    if (t.full) t.setLabel(dsi, `Differentiated Services Field: 0x${HEX2[ds]} ${dsSummary(ds)}`);
    t.open(dsi);
    t.add(F.dscp, off + 1, 1, ds >> 2);
    t.add(F.ecn, off + 1, 1, ds & 3);
    t.close();
  }

  if (!fixedHeader && p.short('IPv4', buf, off, 4, end)) return;
  let totalLength = u16(buf, off + 2);
  if (totalLength < hlen) {
    if (totalLength === 0) {
      // TSO: the NIC fills in the length later; Wireshark (ip.tso_support, on by default) uses the frame's.
      totalLength = end - off;
      const li = t.add(F.len, off + 2, 2, totalLength, GENERATED);
      if (t.full)
        t.setLabel(
          li,
          `[Total Length: ${totalLength} bytes (reported as 0, presumed to be because of "TCP segmentation offload" (TSO))]`,
        );
    } else {
      if (p.wantColumns) p.setInfo(`Bogus IP length (${totalLength}, less than header length ${hlen})`);
      const li = t.add(F.len, off + 2, 2, totalLength);
      if (t.full) t.setLabel(li, `Total Length: ${totalLength} bytes (bogus, less than header length ${hlen})`);
      t.open(li);
      p.expert('ip', 'ip.bogus_ip_length', 'error', 'protocol', 'Bogus IP length', off + 2, 2);
      t.close();
      t.close();
      return;
    }
  } else {
    const li = h ? t.add(F.len, off + 2, 2, totalLength) : -1;
    if (totalLength > end - off) {
      if (!p.inErrorPacket) {
        t.open(li);
        p.expert(
          'ip',
          'ip.bogus_ip_length',
          'error',
          'protocol',
          `IPv4 total length exceeds packet length (${end - off} bytes)`,
          off + 2,
          2,
        );
        t.close();
      }
    } else {
      // The datagram ends where its total length says; what follows is the link layer's trailer.
      end = off + totalLength;
    }
  }

  if (!fixedHeader && p.short('IPv4', buf, off, 6, end)) return;
  const id = u16(buf, off + 4);
  if (h) t.add(F.id, off + 4, 2, id);

  if (!fixedHeader && p.short('IPv4', buf, off, 8, end)) return;
  const frag = u16(buf, off + 6);
  const flags = frag >> 13;
  if (h) {
    const fi = t.add(F.flags, off + 6, 1, flags);
    if (t.full) t.setLabel(fi, bitsLabel(flags, 5, 8, 3, 'Flags', flagsSummary(flags)));
    t.open(fi);
    t.add(F.rb, off + 6, 1, (flags >> 2) & 1);
    t.add(F.df, off + 6, 1, (flags >> 1) & 1);
    t.add(F.mf, off + 6, 1, flags & 1);
    t.close();
    const fragOffset = frag & IP_OFFSET;
    const fo = t.add(F.fragOffset, off + 6, 2, fragOffset);
    if (t.full) t.setLabel(fo, bitsLabel(fragOffset, 0, 16, 13, 'Fragment Offset', String(fragOffset * 8)));
  }

  if (!fixedHeader && p.short('IPv4', buf, off, 9, end)) return;
  const ttl = buf[off + 8];
  const ttlItem = h ? t.add(F.ttl, off + 8, 1, ttl) : -1;

  if (!fixedHeader && p.short('IPv4', buf, off, 10, end)) return;
  const proto = buf[off + 9];
  // The TTL checks need the destination, which a source route option may move (see below).
  const dstOffset =
    hlen > IPV4_HEADER
      ? sourceRouteDestination(buf, off + IPV4_HEADER, hlen - IPV4_HEADER, Math.min(end, buf.length))
      : 0;
  if (off + 16 + dstOffset + 4 <= Math.min(end, buf.length))
    ttlExpert(p, ttlItem, ttl, proto, u32(buf, off + 16 + dstOffset), off + 8);
  if (h) {
    const pi = t.add(F.proto, off + 9, 1, proto);
    if (t.full && !IP_PROTOCOL_NAMES.has(proto)) t.setLabel(pi, `Protocol: Unknown (${proto})`);
  }

  if (!fixedHeader && p.short('IPv4', buf, off, 12, end)) return;
  if (h) {
    const checksum = u16(buf, off + 10);
    const ci = t.add(F.checksum, off + 10, 2, checksum);
    if (t.full) t.setLabel(ci, `Header Checksum: 0x${hex4(checksum)} [validation disabled]`);
    const cs = t.add(F.checksumStatus, off + 10, 0, CHECKSUM.UNVERIFIED, GENERATED);
    if (t.full) t.setLabel(cs, '[Header checksum status: Unverified]');
  }

  if (!fixedHeader && p.short('IPv4', buf, off, 16, end)) return;
  const src = u32(buf, off + 12);
  t.add(F.src, off + 12, 4, src);
  t.add(F.addr, off + 12, 4, src, HIDDEN);
  const hosts = t.keepsAny(HOST_ITEMS);
  let srcText = '';
  if (hosts || (p.wantColumns && !p.inErrorPacket)) srcText = addressText(src);
  if (hosts && t.keeps(F.srcHost)) t.addValue(F.srcHost, off + 12, 4, srcText, GENERATED | HIDDEN);
  if (hosts && t.keeps(F.host)) t.addValue(F.host, off + 12, 4, srcText, GENERATED | HIDDEN);
  if (!p.inErrorPacket) {
    p.netType = 4;
    p.netSrc4 = src;
    if (p.wantColumns) p.srcCol = srcText;
  }
  if (t.full) t.setLabel(top, `Internet Protocol Version 4, Src: ${srcText}`);

  if (!fixedHeader && p.short('IPv4', buf, off, 20, end)) return;
  const dst = u32(buf, off + 16 + dstOffset);
  const dstText = hosts || (p.wantColumns && !p.inErrorPacket) ? addressText(dst) : '';
  if (dstOffset) {
    // A source route in progress: the header's destination is the current hop.
    const cur = u32(buf, off + 16);
    t.add(F.curRt, off + 16, 4, cur);
    if (t.keeps(F.curRtHost)) t.addValue(F.curRtHost, off + 16, 4, formatIPv4(cur), GENERATED | HIDDEN);
    if (t.full)
      t.setLabel(top, `Internet Protocol Version 4, Src: ${srcText}, Dst: ${dstText}, Via: ${formatIPv4(cur)}`);
  } else {
    t.add(F.dst, off + 16, 4, dst);
    t.add(F.addr, off + 16, 4, dst, HIDDEN);
    if (hosts && t.keeps(F.dstHost)) t.addValue(F.dstHost, off + 16, 4, dstText, GENERATED | HIDDEN);
    if (hosts && t.keeps(F.host)) t.addValue(F.host, off + 16, 4, dstText, GENERATED | HIDDEN);
    if (t.full) t.setLabel(top, `Internet Protocol Version 4, Src: ${srcText}, Dst: ${dstText}`);
  }
  if (!p.inErrorPacket) {
    p.netDst4 = dst;
    p.ipProto = proto;
    p.ipTtl = ttl;
    if (p.wantColumns) p.dstCol = dstText;
  }

  if (hlen > IPV4_HEADER) {
    const optLength = hlen - IPV4_HEADER;
    const capEnd = Math.min(end, buf.length);
    const oi = t.addText(off + IPV4_HEADER, Math.min(optLength, Math.max(0, capEnd - off - IPV4_HEADER)), '');
    t.open(oi);
    const names = dissectOptions(p, buf, off + IPV4_HEADER, optLength, end, off);
    t.close();
    if (t.full) t.setLabel(oi, `Options: (${optLength} bytes)${names}`);
    if (names === undefined) return;
  }

  return handOff(p, buf, off, end, hlen, totalLength, id, frag, proto, src, dst);
}

/** The payload: reassembled, shown as a fragment, or handed to the protocol's dissector. */
function handOff(
  p: Packet,
  buf: Uint8Array,
  off: number,
  end: number,
  hlen: number,
  totalLength: number,
  id: number,
  frag: number,
  proto: number,
  src: number,
  dst: number,
): number {
  const t = p.tree;
  const start = off + hlen;
  const reportedEnd = off + totalLength;
  const payloadLength = totalLength - hlen;
  const fragOffset = (frag & IP_OFFSET) * 8;
  const more = (frag & IP_MF) !== 0;
  const saveFragmented = p.fragmented;
  let payload = buf;
  let payloadStart = start;
  let payloadEnd = end;
  let whole: Reassembled | undefined;
  let isFragment = false;
  let reassembledIn = 0;

  if ((frag & (IP_MF | IP_OFFSET)) !== 0 && payloadLength > 0 && start + payloadLength <= Math.min(end, buf.length)) {
    // Wireshark keys IPv4 datagrams by addresses, identification and protocol.
    const state = p.session.protocolState<ReassemblyState>('ip.reassembly', () => ({ table: new FragmentTable() }));
    const key = `${src}>${dst}#${id}/${proto}`;
    const r = state.table.add(key, p.meta.number, p.meta.tsSec, buf, start, payloadLength, fragOffset, more);
    if (r === FRAGMENT_COMPLETED && state.table.result) {
      whole = state.table.result;
    } else {
      isFragment = true;
      if (r === FRAGMENT_DONE) reassembledIn = state.table.reassembledIn;
      else if (r === FRAGMENT_PENDING) reassembledIn = firstPassReassembledIn(p, 'ip.reassembly', p.meta.number);
    }
  } else if (fragOffset !== 0) {
    isFragment = true;
  } else {
    // A first fragment that is not reassembled (cut short by the capture) is shown as it is.
    p.fragmented = more;
  }

  if (isFragment) {
    if (reassembledIn) t.add(F.reassembledIn, off, 0, reassembledIn, GENERATED);
    t.close();
    if (p.wantColumns) {
      let info = `Fragmented IP protocol (proto=${ipProtocolName(proto)} ${proto}, off=${fragOffset}, ID=${hex4(id)})`;
      if (reassembledIn && reassembledIn !== p.meta.number) info += ` [Reassembled in #${reassembledIn}]`;
      p.setInfo(info);
    }
    dissectData(p, buf, start, end);
    return reportedEnd;
  }

  const saveSource = t.currentSource;
  if (whole) {
    const source = p.addSource('Reassembled IPv4', whole.data);
    addReassemblyItems(p, source, whole, off, ipReassemblyFields);
    payload = whole.data;
    payloadStart = 0;
    payloadEnd = whole.data.length;
    t.currentSource = source;
  }
  t.close();

  if (payloadEnd > payloadStart) {
    const next = ipProtoTable.get(proto);
    if (next) next(p, payload, payloadStart, payloadEnd);
    else {
      if (p.wantColumns) p.setInfo(`${ipProtocolName(proto)} (${proto})`);
      dissectData(p, payload, payloadStart, payloadEnd);
    }
  }
  t.currentSource = saveSource;
  p.fragmented = saveFragmented;
  return reportedEnd;
}

const ipReassemblyFields = {
  protocol: 'IPv4',
  fragments: F.fragments,
  fragment: F.fragment,
  count: F.fragmentCount,
  length: F.reassembledLength,
  data: F.reassembledData,
};

/** "0x1, More fragments": the flags' value and the names of the set ones. */
function flagsSummary(flags: number): string {
  let s = `0x${flags.toString(16)}`;
  if (flags & 4) s += ', Reserved bit';
  if (flags & 2) s += ", Don't fragment";
  if (flags & 1) s += ', More fragments';
  return s;
}

/** Wireshark's TTL notes: RFC 3171 link-local multicast must have TTL 1; low TTLs elsewhere are suspicious. */
function ttlExpert(p: Packet, item: number, ttl: number, proto: number, dst: number, at: number): void {
  const t = p.tree;
  if (dst >>> 8 === 0xe00000) {
    // 224.0.0.0/24, the Local Network Control Block; VRRP, GLBP and mDNS use TTL 255, LLMNR any.
    let valid = 1;
    if (proto !== PROTO_IGMP) {
      if (dst === 0xe0000012 || dst === 0xe0000066 || dst === 0xe00000fb) valid = 255;
      else if (dst === 0xe00000fc) return;
    }
    if (ttl !== valid) {
      t.open(item);
      p.expert(
        'ip',
        'ip.ttl.lncb',
        'note',
        'sequence',
        `"Time To Live" != ${valid} for a packet sent to the Local Network Control Block (see RFC 3171)`,
        at,
        1,
      );
      t.close();
    }
  } else if (ttl < 5 && dst >>> 28 !== 0xe && proto !== PROTO_PIM && proto !== PROTO_OSPF) {
    t.open(item);
    p.expert('ip', 'ip.ttl.too_small', 'note', 'sequence', `"Time To Live" only ${ttl}`, at, 1);
    t.close();
  }
}

/**
 * With a loose or strict source route whose pointer is still inside the option, the final
 * destination is the route's last address: its offset from the header's destination field.
 */
function sourceRouteDestination(buf: Uint8Array, o: number, length: number, capEnd: number): number {
  const start = o;
  const end = o + length;
  while (o < end && o < capEnd) {
    const type = buf[o];
    if (type === OPT_EOL) return 0;
    if (type === OPT_NOP) {
      o++;
      continue;
    }
    if (o + 1 >= end || o + 1 >= capEnd) return 0;
    const len = buf[o + 1];
    if (len < 2 || o + len > end) return 0;
    if (type === OPT_SSR || type === OPT_LSR) {
      if (o + 2 >= capEnd) return 0;
      const ptr = buf[o + 2];
      if (ptr < 4 || ptr & 3 || ptr > len) return 0;
      return o - start + 4 + (len - 4);
    }
    o += len;
  }
  return 0;
}

/**
 * The options area buf[o..o+length): one item per option. Returns the short names of the
 * options dissected (for the "Options:" label), or undefined when the capture ended inside.
 */
function dissectOptions(
  p: Packet,
  buf: Uint8Array,
  o: number,
  length: number,
  end: number,
  ipOff: number,
): string | undefined {
  const t = p.tree;
  const full = t.full;
  let names = '';
  let nopCount = 0;
  while (length > 0) {
    if (p.short('IPv4', buf, o, 1, end)) return undefined;
    const type = buf[o];
    length--;
    if (type === OPT_EOL || type === OPT_NOP) {
      if (type === OPT_NOP) {
        // Four NOPs in a row within one 32-bit word hint that a router removed options.
        if (nopCount === 0 || (o - ipOff) % 4) {
          if (++nopCount === 4) {
            p.expert(
              'ip',
              'ip.nop',
              'warn',
              'protocol',
              '4 NOP in a row - a router may have removed some options',
              o,
              1,
            );
          }
        } else nopCount = 0;
      }
      const item = t.add(type === OPT_EOL ? F.optEol : F.optNop, o, 1);
      t.open(item);
      optionType(p, buf, o);
      t.close();
      o++;
      if (type === OPT_EOL) break;
      continue;
    }
    const known = OPTION_PROTOCOLS.get(type);
    const name = known ? known[1] : `Unknown (0x${HEX2[type]})`;
    if (length === 0) {
      optionLengthExpert(p, `${name} (length byte past end of options)`, o, 1);
      return names;
    }
    if (p.short('IPv4', buf, o, 2, end)) return undefined;
    const optLen = buf[o + 1];
    length--;
    if (optLen < 2) {
      optionLengthExpert(p, `${name} (with too-short option length = ${optLen} byte${optLen === 1 ? '' : 's'})`, o, 2);
      return names;
    }
    if (optLen - 2 > length) {
      optionLengthExpert(
        p,
        `${name} (option length = ${optLen} byte${optLen === 1 ? '' : 's'} says option goes past end of options)`,
        o,
        length,
      );
      return names;
    }
    if (!known) {
      t.addText(o, optLen, `${name} (${optLen} byte${optLen === 1 ? '' : 's'})`);
    } else {
      if (p.short('IPv4', buf, o, optLen, end)) return undefined;
      dissectOption(p, buf, o, type, optLen, known[0]);
      if (full) names += `, ${name}`;
    }
    o += optLen;
    length -= optLen - 2;
  }
  return names;
}

function optionLengthExpert(p: Packet, message: string, o: number, length: number): void {
  const t = p.tree;
  const i = t.addText(o, length, message);
  t.open(i);
  p.expert('ip', 'ip.opt.len.invalid', 'warn', 'protocol', message, o, length);
  t.close();
}

/** Type and its three parts (copy flag, class, number). */
function optionType(p: Packet, buf: Uint8Array, o: number): void {
  const t = p.tree;
  const type = buf[o];
  const ti = t.add(F.optType, o, 1, type);
  t.open(ti);
  t.add(F.optCopy, o, 1, type >> 7);
  t.add(F.optClass, o, 1, (type >> 5) & 3);
  t.add(F.optNumber, o, 1, type & 0x1f);
  t.close();
}

/** One option with a length (already checked to lie within the options and the capture). */
function dissectOption(
  p: Packet,
  buf: Uint8Array,
  o: number,
  type: number,
  optLen: number,
  protocolField: number,
): void {
  const t = p.tree;
  const item = t.add(protocolField, o, optLen);
  const fixed = OPTION_FIXED_LENGTH.get(type);
  let label = t.full ? `${OPTION_PROTOCOLS.get(type)?.[1] ?? ''}` : '';
  if (t.full) label = `IP Option - ${label} (${fixed ?? optLen} bytes)`;
  t.open(item);
  optionType(p, buf, o);
  const li = t.add(F.optLen, o + 1, 1, optLen);
  if ((fixed !== undefined && fixed !== optLen) || (fixed === undefined && optLen > OPT_MAX_LEN)) {
    t.open(li);
    const message =
      fixed !== undefined
        ? `${OPTION_PROTOCOLS.get(type)?.[1]} (with option length = ${optLen} byte${optLen === 1 ? '' : 's'}; should be ${fixed})`
        : 'Invalid length for option';
    p.expert('ip', 'ip.opt.len.invalid', 'warn', 'protocol', message, o + 1, 1);
    t.close();
  }
  switch (type) {
    case OPT_RR:
    case OPT_LSR:
    case OPT_SSR:
      routeOption(p, buf, o, optLen, type);
      break;
    case OPT_TS:
      timestampOption(p, buf, o, optLen);
      break;
    case OPT_RTRALT:
      if (optLen >= 4) {
        const value = u16(buf, o + 2);
        const text = value === 0 ? `Router shall examine packet (${value})` : `Reserved (${value})`;
        const ri = t.add(F.optRa, o + 2, 2, value);
        if (t.full) {
          t.setLabel(ri, `Router Alert: ${text}`);
          label += `: ${text}`;
        }
      }
      break;
    case OPT_SID:
      if (optLen >= 4) t.add(F.optSid, o + 2, 2, u16(buf, o + 2));
      break;
    case OPT_MTUP:
    case OPT_MTUR:
      if (optLen >= 4) t.add(F.optMtu, o + 2, 2, u16(buf, o + 2));
      break;
    case OPT_TR:
      if (optLen >= 12) {
        t.add(F.optIdNumber, o + 2, 2, u16(buf, o + 2));
        t.add(F.optOhc, o + 4, 2, u16(buf, o + 4));
        t.add(F.optRhc, o + 6, 2, u16(buf, o + 6));
        t.add(F.optOriginator, o + 8, 4, u32(buf, o + 8));
      }
      break;
  }
  t.close();
  t.setLabel(item, label);
}

/** Record route, loose and strict source route: the pointer and the addresses by their role. */
function routeOption(p: Packet, buf: Uint8Array, o: number, optLen: number, type: number): void {
  const t = p.tree;
  if (optLen < 3) return;
  const ptr = buf[o + 2];
  const pi = t.add(F.optPtr, o + 2, 1, ptr);
  if (ptr < 4 || ptr & 3) {
    t.open(pi);
    if (ptr < 4)
      p.expert('ip', 'ip.opt.ptr.before_address', 'warn', 'protocol', 'Pointer points before first address', o + 2, 1);
    else
      p.expert('ip', 'ip.opt.ptr.middle_address', 'warn', 'protocol', 'Pointer points to middle of address', o + 2, 1);
    t.close();
    return;
  }
  const record = type === OPT_RR;
  for (let at = 3, left = optLen - 3; left > 0; left -= 4, at += 4) {
    if (left < 4) {
      t.open(pi);
      p.expert('ip', 'ip.subopt_too_long', 'warn', 'protocol', 'Suboption would go past end of option', o + 2, 1);
      t.close();
      break;
    }
    const a = o + at;
    if (ptr > optLen || at + 1 < ptr) routeAddress(p, buf, a, F.recRt, F.recRtHost, false);
    else if (!record && at === optLen - 4) {
      // A source route's last address is the datagram's final destination.
      const addr = u32(buf, a);
      t.add(F.dst, a, 4, addr);
      t.add(F.addr, a, 4, addr, HIDDEN);
      if (t.keeps(F.dstHost)) t.addValue(F.dstHost, a, 4, formatIPv4(addr), GENERATED | HIDDEN);
      if (t.keeps(F.host)) t.addValue(F.host, a, 4, formatIPv4(addr), GENERATED | HIDDEN);
    } else if (at + 1 === ptr) {
      if (record) routeAddress(p, buf, a, F.emptyRt, F.emptyRtHost, true);
      else routeAddress(p, buf, a, F.srcRt, F.srcRtHost, true);
    } else if (record) routeAddress(p, buf, a, F.emptyRt, F.emptyRtHost, false);
    else routeAddress(p, buf, a, F.srcRt, F.srcRtHost, false);
  }
}

function routeAddress(p: Packet, buf: Uint8Array, a: number, field: number, hostField: number, next: boolean): void {
  const t = p.tree;
  const addr = u32(buf, a);
  const i = t.add(field, a, 4, addr);
  if (next && t.full) t.setLabel(i, `${fieldName(field)}: ${formatIPv4(addr)} <- (next)`);
  if (t.keeps(hostField)) t.addValue(hostField, a, 4, formatIPv4(addr), GENERATED | HIDDEN);
}

function fieldName(field: number): string {
  return field === F.recRt ? 'Recorded Route' : field === F.emptyRt ? 'Empty Route' : 'Source Route';
}

function timestampOption(p: Packet, buf: Uint8Array, o: number, optLen: number): void {
  const t = p.tree;
  if (optLen < 3) return;
  const ptr = buf[o + 2];
  const pi = t.add(F.optPtr, o + 2, 1, ptr);
  if (t.full) {
    const note =
      ptr === 1
        ? ' (header is full)'
        : ptr < 5
          ? ' (points before first address)'
          : (ptr - 1) & 3
            ? ' (points to middle of field)'
            : '';
    t.setLabel(pi, `Pointer: ${ptr}${note}`);
  }
  if (optLen < 4) return;
  const flagByte = buf[o + 3];
  t.add(F.optOverflow, o + 3, 1, flagByte >> 4);
  const flag = flagByte & 15;
  const fl = t.add(F.optFlag, o + 3, 1, flag);
  if (t.full)
    t.setLabel(
      fl,
      bitsLabel(flag, 0, 8, 4, 'Flag', `${TIMESTAMP_FLAGS.get(flag) ?? 'Unknown'} (0x${flag.toString(16)})`),
    );
  const withAddress = flag === 1 || flag === 3;
  for (let at = o + 4, left = optLen - 4; left > 0;) {
    if (left < (withAddress ? 8 : 4)) {
      const i = t.addText(at, left, 'Suboption would go past end of option');
      t.open(i);
      p.expert('ip', 'ip.subopt_too_long', 'warn', 'protocol', 'Suboption would go past end of option', at, left);
      t.close();
      break;
    }
    if (withAddress) {
      const addr = u32(buf, at);
      const ai = t.add(F.optTimeStampAddr, at, 4, addr);
      if (t.full) t.setLabel(ai, `Address: ${addr === 0 ? '-' : formatIPv4(addr)}`);
      at += 4;
      left -= 4;
    }
    t.add(F.optTimeStamp, at, 4, u32(buf, at));
    at += 4;
    left -= 4;
  }
}

ethertypeTable.add(0x0800, dissectIPv4);
ipProtoTable.add(4, dissectIPv4);
