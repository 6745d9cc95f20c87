// IPv6 (RFC 8200): the fixed header, the extension headers Wireshark 4.0 shows as their own
// protocols (hop-by-hop and destination options, routing, fragment), fragment reassembly,
// and the hand-off of the payload by next-header number.

import { defineFields, valueStrings, YES_NO } from './fields.js';
import { ethertypeTable, ipProtoTable } from './tables.js';
import type { Packet } from './packet.js';
import { formatIPv6, HEX2, u16, u32 } from './bytes.js';
import { GENERATED, HIDDEN } from './tree.js';
import { dissectData } from './data.js';
import { IP_PROTOCOL_NAMES, ipProtocolName } from './ipprotos.js';
import { DSCP_NAMES, dsSummary, ECN_NAMES, ipFields } from './ipv4.js';
import {
  FRAGMENT_COMPLETED,
  FRAGMENT_DONE,
  FRAGMENT_PENDING,
  FragmentTable,
  addReassemblyItems,
  firstPassReassembledIn,
} from './ip-reassembly.js';
import { bitsLabel } from './bitlabel.js';

const OPTION_NAMES = valueStrings({
  0x00: 'Pad1',
  0x01: 'PadN',
  0x04: 'Tunnel Encapsulation Limit',
  0x05: 'Router Alert',
  0x07: 'CALIPSO',
  0x08: 'SMF_DPD',
  0x0f: 'Performance and Diagnostic Metrics',
  0x1e: 'Experimental (0x1E)',
  0x26: 'Quick-Start',
  0x30: 'Path MTU Option',
  0x31: 'IOAM Option',
  0x3e: 'Experimental (0x3E)',
  0x41: 'Tunnel Payload Forwarding (TPF) Information',
  0x5e: 'Experimental (0x5E)',
  0x63: 'RPL Option',
  0x6d: 'MPL Option',
  0x7e: 'Experimental (0x7E)',
  0x8a: 'Endpoint Identification',
  0x8b: 'ILNP Nonce',
  0x8c: 'Line-Identification Option',
  0x9e: 'Experimental (0x9E)',
  0xbe: 'Experimental (0xBE)',
  0xc2: 'Jumbo Payload',
  0xc9: 'Home Address',
  0xde: 'Experimental (0xDE)',
  0xee: 'IP_DFF',
  0xfe: 'Experimental (0xFE)',
});

const OPTION_ACTIONS = valueStrings({
  0: 'Skip and continue',
  1: 'Discard',
  2: 'Discard and send ICMP Parameter Problem',
  3: 'Discard and send ICMP if not multicast',
});

const ROUTER_ALERTS = valueStrings({ 0: 'MLD', 1: 'RSVP', 2: 'Active Network' });

const ROUTING_TYPES = valueStrings({
  0: 'Source Route',
  1: 'Nimrod',
  2: 'Type 2 Routing',
  3: 'RPL Source Route',
  4: 'Segment Routing',
  5: 'Compact Routing Header 16',
  6: 'Compact Routing Header 32',
  253: 'Experiment 1',
  254: 'Experiment 2',
});

export const ipv6Fields = defineFields({
  ipv6: { abbrev: 'ipv6', name: 'Internet Protocol Version 6', type: 'protocol' },
  version: { abbrev: 'ipv6.version', name: 'Version', type: 'uint', bits: 8, base: 'dec', mask: 0xf0 },
  tclass: { abbrev: 'ipv6.tclass', name: 'Traffic Class', type: 'uint', bits: 32, base: 'hex', mask: 0x0ff00000 },
  dscp: {
    abbrev: 'ipv6.tclass.dscp',
    name: 'Differentiated Services Codepoint',
    type: 'uint',
    bits: 32,
    base: 'dec',
    mask: 0x0fc00000,
    strings: DSCP_NAMES,
  },
  ecn: {
    abbrev: 'ipv6.tclass.ecn',
    name: 'Explicit Congestion Notification',
    type: 'uint',
    bits: 32,
    base: 'dec',
    mask: 0x00300000,
    strings: ECN_NAMES,
  },
  flow: { abbrev: 'ipv6.flow', name: 'Flow Label', type: 'uint', bits: 24, base: 'hex', mask: 0x0fffff },
  plen: { abbrev: 'ipv6.plen', name: 'Payload Length', type: 'uint', bits: 16, base: 'dec' },
  nxt: { abbrev: 'ipv6.nxt', name: 'Next Header', type: 'uint', bits: 8, base: 'dec', strings: IP_PROTOCOL_NAMES },
  hlim: { abbrev: 'ipv6.hlim', name: 'Hop Limit', type: 'uint', bits: 8, base: 'dec' },
  src: { abbrev: 'ipv6.src', name: 'Source Address', type: 'ipv6' },
  addr: { abbrev: 'ipv6.addr', name: 'Source or Destination Address', type: 'ipv6' },
  srcHost: { abbrev: 'ipv6.src_host', name: 'Source Host', type: 'string' },
  host: { abbrev: 'ipv6.host', name: 'Source or Destination Host', type: 'string' },
  dst: { abbrev: 'ipv6.dst', name: 'Destination Address', type: 'ipv6' },
  dstHost: { abbrev: 'ipv6.dst_host', name: 'Destination Host', type: 'string' },
  src6to4Gw: { abbrev: 'ipv6.src_6to4_gw_ipv4', name: 'Source 6to4 Gateway IPv4', type: 'ipv4' },
  src6to4Sla: { abbrev: 'ipv6.src_6to4_sla_id', name: 'Source 6to4 SLA ID', type: 'uint', bits: 16, base: 'dec' },
  dst6to4Gw: { abbrev: 'ipv6.dst_6to4_gw_ipv4', name: 'Destination 6to4 Gateway IPv4', type: 'ipv4' },
  dst6to4Sla: { abbrev: 'ipv6.dst_6to4_sla_id', name: 'Destination 6to4 SLA ID', type: 'uint', bits: 16, base: 'dec' },
  gw6to4: { abbrev: 'ipv6.6to4_gw_ipv4', name: '6to4 Gateway IPv4', type: 'ipv4' },
  sla6to4: { abbrev: 'ipv6.6to4_sla_id', name: '6to4 SLA ID', type: 'uint', bits: 16, base: 'dec' },
  srcTeredoServer: { abbrev: 'ipv6.src_ts_ipv4', name: 'Source Teredo Server IPv4', type: 'ipv4' },
  srcTeredoPort: { abbrev: 'ipv6.src_tc_port', name: 'Source Teredo Port', type: 'uint', bits: 16, base: 'dec' },
  srcTeredoClient: { abbrev: 'ipv6.src_tc_ipv4', name: 'Source Teredo Client IPv4', type: 'ipv4' },
  dstTeredoServer: { abbrev: 'ipv6.dst_ts_ipv4', name: 'Destination Teredo Server IPv4', type: 'ipv4' },
  dstTeredoPort: { abbrev: 'ipv6.dst_tc_port', name: 'Destination Teredo Port', type: 'uint', bits: 16, base: 'dec' },
  dstTeredoClient: { abbrev: 'ipv6.dst_tc_ipv4', name: 'Destination Teredo Client IPv4', type: 'ipv4' },
  teredoServer: { abbrev: 'ipv6.ts_ipv4', name: 'Teredo Server IPv4', type: 'ipv4' },
  teredoPort: { abbrev: 'ipv6.tc_port', name: 'Teredo Port', type: 'uint', bits: 16, base: 'dec' },
  teredoClient: { abbrev: 'ipv6.tc_ipv4', name: 'Teredo Client IPv4', type: 'ipv4' },
  srcIsatap: { abbrev: 'ipv6.src_isatap_ipv4', name: 'Source ISATAP IPv4', type: 'ipv4' },
  dstIsatap: { abbrev: 'ipv6.dst_isatap_ipv4', name: 'Destination ISATAP IPv4', type: 'ipv4' },
  isatap: { abbrev: 'ipv6.isatap_ipv4', name: 'ISATAP IPv4', type: 'ipv4' },
  // Options (hop-by-hop and destination options headers)
  opt: { abbrev: 'ipv6.opt', name: 'IPv6 Option', type: 'none' },
  optType: { abbrev: 'ipv6.opt.type', name: 'Type', type: 'uint', bits: 8, base: 'hex', strings: OPTION_NAMES },
  optAction: {
    abbrev: 'ipv6.opt.type.action',
    name: 'Action',
    type: 'uint',
    bits: 8,
    base: 'dec',
    mask: 0xc0,
    strings: OPTION_ACTIONS,
  },
  optChange: {
    abbrev: 'ipv6.opt.type.change',
    name: 'May Change',
    type: 'bool',
    bits: 8,
    mask: 0x20,
    trueFalse: YES_NO,
  },
  optRest: { abbrev: 'ipv6.opt.type.rest', name: 'Low-Order Bits', type: 'uint', bits: 8, base: 'hex', mask: 0x1f },
  optLength: { abbrev: 'ipv6.opt.length', name: 'Length', type: 'uint', bits: 8, base: 'dec' },
  optPad1: { abbrev: 'ipv6.opt.pad1', name: 'Pad1', type: 'none' },
  optPadN: { abbrev: 'ipv6.opt.padn', name: 'PadN', type: 'bytes' },
  optRouterAlert: {
    abbrev: 'ipv6.opt.router_alert',
    name: 'Router Alert',
    type: 'uint',
    bits: 16,
    base: 'dec',
    strings: ROUTER_ALERTS,
  },
  optTel: { abbrev: 'ipv6.opt.tel', name: 'Tunnel Encapsulation Limit', type: 'uint', bits: 8, base: 'dec' },
  optJumbo: { abbrev: 'ipv6.opt.jumbo', name: 'Payload Length', type: 'uint', bits: 32, base: 'dec' },
  optHomeAddress: { abbrev: 'ipv6.opt.mipv6.home_address', name: 'MIPv6 Home Address', type: 'ipv6' },
  optExperimental: { abbrev: 'ipv6.opt.experimental', name: 'Experimental Option', type: 'bytes' },
  optUnknown: { abbrev: 'ipv6.opt.unknown', name: 'Unknown Option Payload', type: 'bytes' },
  // Hop-by-hop options header
  hopopts: { abbrev: 'ipv6.hopopts', name: 'IPv6 Hop-by-Hop Option', type: 'protocol' },
  hopoptsNxt: {
    abbrev: 'ipv6.hopopts.nxt',
    name: 'Next Header',
    type: 'uint',
    bits: 8,
    base: 'dec',
    strings: IP_PROTOCOL_NAMES,
  },
  hopoptsLen: { abbrev: 'ipv6.hopopts.len', name: 'Length', type: 'uint', bits: 8, base: 'dec' },
  hopoptsLenOct: { abbrev: 'ipv6.hopopts.len_oct', name: 'Length', type: 'uint', bits: 16, base: 'dec' },
  // Destination options header
  dstopts: { abbrev: 'ipv6.dstopts', name: 'Destination Options for IPv6', type: 'protocol' },
  dstoptsNxt: {
    abbrev: 'ipv6.dstopts.nxt',
    name: 'Next Header',
    type: 'uint',
    bits: 8,
    base: 'dec',
    strings: IP_PROTOCOL_NAMES,
  },
  dstoptsLen: { abbrev: 'ipv6.dstopts.len', name: 'Length', type: 'uint', bits: 8, base: 'dec' },
  dstoptsLenOct: { abbrev: 'ipv6.dstopts.len_oct', name: 'Length', type: 'uint', bits: 16, base: 'dec' },
  // Routing header
  routing: { abbrev: 'ipv6.routing', name: 'Routing Header for IPv6', type: 'protocol' },
  routingNxt: {
    abbrev: 'ipv6.routing.nxt',
    name: 'Next Header',
    type: 'uint',
    bits: 8,
    base: 'dec',
    strings: IP_PROTOCOL_NAMES,
  },
  routingLen: { abbrev: 'ipv6.routing.len', name: 'Length', type: 'uint', bits: 8, base: 'dec' },
  routingLenOct: { abbrev: 'ipv6.routing.len_oct', name: 'Length', type: 'uint', bits: 16, base: 'dec' },
  routingType: {
    abbrev: 'ipv6.routing.type',
    name: 'Type',
    type: 'uint',
    bits: 8,
    base: 'dec',
    strings: ROUTING_TYPES,
  },
  routingSegleft: { abbrev: 'ipv6.routing.segleft', name: 'Segments Left', type: 'uint', bits: 8, base: 'dec' },
  routingUnknownData: { abbrev: 'ipv6.routing.unknown_data', name: 'Type-Specific Data', type: 'bytes' },
  routingSrcReserved: { abbrev: 'ipv6.routing.src.reserved', name: 'Reserved', type: 'bytes' },
  routingSrcAddr: { abbrev: 'ipv6.routing.src.addr', name: 'Address', type: 'ipv6' },
  routingMipv6Reserved: { abbrev: 'ipv6.routing.mipv6.reserved', name: 'Reserved', type: 'bytes' },
  routingMipv6HomeAddress: { abbrev: 'ipv6.routing.mipv6.home_address', name: 'Home Address', type: 'ipv6' },
  routingSrhLastEntry: {
    abbrev: 'ipv6.routing.srh.last_entry',
    name: 'Last Entry',
    type: 'uint',
    bits: 8,
    base: 'dec',
  },
  routingSrhFlags: { abbrev: 'ipv6.routing.srh.flags', name: 'Flags', type: 'uint', bits: 8, base: 'hex' },
  routingSrhTag: { abbrev: 'ipv6.routing.srh.tag', name: 'Tag', type: 'bytes' },
  routingSrhAddr: { abbrev: 'ipv6.routing.srh.addr', name: 'Address', type: 'ipv6' },
  // Fragment header
  fraghdr: { abbrev: 'ipv6.fraghdr', name: 'Fragment Header for IPv6', type: 'protocol' },
  fraghdrNxt: {
    abbrev: 'ipv6.fraghdr.nxt',
    name: 'Next header',
    type: 'uint',
    bits: 8,
    base: 'dec',
    strings: IP_PROTOCOL_NAMES,
  },
  fraghdrReservedOctet: {
    abbrev: 'ipv6.fraghdr.reserved_octet',
    name: 'Reserved octet',
    type: 'uint',
    bits: 8,
    base: 'hex',
  },
  fraghdrOffset: { abbrev: 'ipv6.fraghdr.offset', name: 'Offset', type: 'uint', bits: 16, base: 'dec', mask: 0xfff8 },
  fraghdrReservedBits: {
    abbrev: 'ipv6.fraghdr.reserved_bits',
    name: 'Reserved bits',
    type: 'uint',
    bits: 16,
    base: 'dec',
    mask: 0x0006,
  },
  fraghdrMore: {
    abbrev: 'ipv6.fraghdr.more',
    name: 'More Fragments',
    type: 'bool',
    bits: 16,
    mask: 0x0001,
    trueFalse: YES_NO,
  },
  fraghdrIdent: { abbrev: 'ipv6.fraghdr.ident', name: 'Identification', type: 'uint', bits: 32, base: 'hex' },
  // Reassembly
  fragments: { abbrev: 'ipv6.fragments', name: 'IPv6 Fragments', type: 'none' },
  fragment: { abbrev: 'ipv6.fragment', name: 'IPv6 Fragment', type: 'framenum' },
  fragmentCount: { abbrev: 'ipv6.fragment.count', name: 'Fragment count', type: 'uint', bits: 32, base: 'dec' },
  reassembledIn: { abbrev: 'ipv6.reassembled.in', name: 'Reassembled IPv6 in frame', type: 'framenum' },
  reassembledLength: {
    abbrev: 'ipv6.reassembled.length',
    name: 'Reassembled IPv6 length',
    type: 'uint',
    bits: 32,
    base: 'dec',
  },
  reassembledData: { abbrev: 'ipv6.reassembled.data', name: 'Reassembled IPv6 data', type: 'bytes' },
});

const F = ipv6Fields;

const IPV6_HEADER = 40;
const NH_HOPOPTS = 0;
const NH_ROUTING = 43;
const NH_FRAGMENT = 44;
const NH_NONE = 59;
const NH_DSTOPTS = 60;
const OPT_PAD1 = 0x00;
const OPT_PADN = 0x01;
const OPT_TEL = 0x04;
const OPT_ROUTER_ALERT = 0x05;
const OPT_JUMBO = 0xc2;
const OPT_HOME_ADDRESS = 0xc9;

interface ReassemblyState {
  table: FragmentTable;
}

const ipv6ReassemblyFields = {
  protocol: 'IPv6',
  fragments: F.fragments,
  fragment: F.fragment,
  count: F.fragmentCount,
  length: F.reassembledLength,
  data: F.reassembledData,
};

/** Where an IPv6 datagram stands while its headers are walked. */
interface Walk {
  buf: Uint8Array;
  /** Start of the next header. */
  o: number;
  /** Reported end of the datagram in `buf`. */
  end: number;
  nxt: number;
  /** Final destination per a routing header (offset into `buf`), or -1. */
  finalDst: number;
  /** Set when the payload is a fragment that is shown as data. */
  showData: boolean;
  /** Set when dissection must stop (malformed or truncated). */
  stop: boolean;
  /** Headers walked so far (the hop-by-hop header must be the first). */
  count: number;
}

const walk: Walk = {
  buf: new Uint8Array(0),
  o: 0,
  end: 0,
  nxt: 0,
  finalDst: -1,
  showData: false,
  stop: false,
  count: 0,
};

export function dissectIPv6(p: Packet, buf: Uint8Array, off: number, end: number): number | void {
  const t = p.tree;
  const capEnd = Math.min(end, buf.length);
  if (off < capEnd && buf[off] >> 4 !== 6) {
    // Wireshark's IPv6 dissector rejects the packet: the EtherType's payload becomes data.
    const version = buf[off] >> 4;
    const top = t.add(F.ipv6, off, 1);
    t.open(top);
    const v = t.add(F.version, off, 1, version);
    t.add(ipFields.version, off, 1, version, HIDDEN);
    t.open(v);
    p.expert('ipv6', 'ipv6.bogus_ipv6_version', 'error', 'malformed', 'Bogus IPv6 version', off, 1);
    t.close();
    t.close();
    p.setProtocol('0x86dd');
    p.setInfo('IPv6');
    dissectData(p, buf, off, end);
    return;
  }
  p.addLayer('ipv6');
  p.setProtocol('IPv6');
  p.setInfo('');
  const top = t.add(F.ipv6, off, Math.max(0, Math.min(IPV6_HEADER, capEnd - off)));
  t.open(top);
  if (p.short('IPv6', buf, off, 1, end)) return;
  t.add(F.version, off, 1, 6);
  const iv = t.add(ipFields.version, off, 1, 6, HIDDEN);
  if (t.full)
    t.setLabel(iv, '0110 .... = Version: 6 [This field makes the filter match on "ip.version == 6" possible]');

  if (p.short('IPv6', buf, off, 4, end)) return;
  const first = u32(buf, off);
  const tclass = (first >>> 20) & 0xff;
  const ti = t.add(F.tclass, off, 4, tclass);
  if (t.full) t.setLabel(ti, bitsLabel(tclass, 20, 32, 8, 'Traffic Class', `0x${HEX2[tclass]} ${dsSummary(tclass)}`));
  t.open(ti);
  t.add(F.dscp, off, 4, tclass >> 2);
  t.add(F.ecn, off, 4, tclass & 3);
  t.close();
  const flow = first & 0xfffff;
  const fl = t.add(F.flow, off + 1, 3, flow);
  if (t.full) t.setLabel(fl, bitsLabel(flow, 0, 24, 20, 'Flow Label', `0x${flow.toString(16).padStart(5, '0')}`));

  if (p.short('IPv6', buf, off, 7, end)) return;
  const plen = u16(buf, off + 4);
  const plenItem = t.add(F.plen, off + 4, 2, plen);
  const nxt = buf[off + 6];
  // Wireshark judges the payload length once the header is read; doing it now puts its notes
  // under the Payload Length item, where Wireshark shows them.
  if (off + IPV6_HEADER <= Math.min(end, capEnd)) {
    t.open(plenItem);
    end = datagramEnd(p, buf, off, end, plen, nxt, plenItem);
    t.close();
  }
  const ni = t.add(F.nxt, off + 6, 1, nxt);
  if (t.full && !IP_PROTOCOL_NAMES.has(nxt)) t.setLabel(ni, `Next Header: Unknown (${nxt})`);
  if (p.short('IPv6', buf, off, 8, end)) return;
  const hlim = buf[off + 7];
  t.add(F.hlim, off + 7, 1, hlim);

  if (p.short('IPv6', buf, off, 24, end)) return;
  const srcText =
    t.full || (p.wantColumns && !p.inErrorPacket) || t.keeps(F.srcHost) || t.keeps(F.host)
      ? formatIPv6(buf, off + 8)
      : '';
  t.add(F.src, off + 8, 16);
  t.add(F.addr, off + 8, 16, 0, HIDDEN);
  if (t.keeps(F.srcHost)) t.addValue(F.srcHost, off + 8, 16, srcText, GENERATED | HIDDEN);
  if (t.keeps(F.host)) t.addValue(F.host, off + 8, 16, srcText, GENERATED | HIDDEN);
  if (!p.inErrorPacket) {
    p.netType = 6;
    p.netSrc6 = buf.subarray(off + 8, off + 24);
    if (p.wantColumns) p.srcCol = srcText;
  }
  if (t.full) t.setLabel(top, `Internet Protocol Version 6, Src: ${srcText}`);

  if (p.short('IPv6', buf, off, IPV6_HEADER, end)) return;
  const dstText =
    t.full || (p.wantColumns && !p.inErrorPacket) || t.keeps(F.dstHost) || t.keeps(F.host)
      ? formatIPv6(buf, off + 24)
      : '';
  t.add(F.dst, off + 24, 16);
  t.add(F.addr, off + 24, 16, 0, HIDDEN);
  if (t.keeps(F.dstHost)) t.addValue(F.dstHost, off + 24, 16, dstText, GENERATED | HIDDEN);
  if (t.keeps(F.host)) t.addValue(F.host, off + 24, 16, dstText, GENERATED | HIDDEN);
  // The addresses embedded in both follow them, as in Wireshark.
  embeddedAddresses(p, buf, off + 8, true);
  embeddedAddresses(p, buf, off + 24, false);
  if (t.full) t.setLabel(top, `Internet Protocol Version 6, Src: ${srcText}, Dst: ${dstText}`);
  if (!p.inErrorPacket) {
    p.netDst6 = buf.subarray(off + 24, off + 40);
    p.ipTtl = hlim;
    if (p.wantColumns) p.dstCol = dstText;
  }

  const reportedEnd = end;

  // One walk state for all packets: the walk never re-enters this function, and the state is
  // read before the payload (which may hold another IPv6 packet) is dissected.
  const w = walk;
  w.buf = buf;
  w.o = off + IPV6_HEADER;
  w.end = end;
  w.nxt = nxt;
  w.finalDst = -1;
  w.showData = false;
  w.stop = false;
  w.count = 0;
  const saveSource = t.currentSource;
  const saveFragmented = p.fragmented;
  walkHeaders(p, w, off);
  if (w.buf === buf) t.setLength(top, Math.min(w.o, capEnd) - off);
  t.close();
  if (w.finalDst >= 0 && !p.inErrorPacket) {
    // A routing header with segments left: the packet's final destination is in the header.
    p.netDst6 = w.buf.subarray(w.finalDst, w.finalDst + 16);
    if (p.wantColumns) p.dstCol = formatIPv6(w.buf, w.finalDst);
  }
  if (!w.stop) {
    const { buf: payload, o: start, end: payloadEnd, nxt: proto } = w;
    if (!p.inErrorPacket) p.ipProto = proto;
    if (w.showData) dissectData(p, payload, start, payloadEnd);
    else {
      const next = ipProtoTable.get(proto);
      if (next) next(p, payload, start, payloadEnd);
      else {
        if (p.wantColumns) p.setInfo(`Unknown IP Protocol: ${ipProtocolName(proto)} (${proto})`);
        dissectData(p, payload, start, payloadEnd);
      }
    }
  }
  t.currentSource = saveSource;
  p.fragmented = saveFragmented;
  return reportedEnd;
}

/**
 * The reported end of the datagram from its payload length: a jumbogram's comes from its
 * hop-by-hop option (RFC 2675); zero otherwise means TSO, which Wireshark's ipv6.tso_support
 * (off by default) does not assume. The notes go under the Payload Length item, which is open.
 */
function datagramEnd(
  p: Packet,
  buf: Uint8Array,
  off: number,
  end: number,
  plen: number,
  nxt: number,
  plenItem: number,
): number {
  const t = p.tree;
  const capEnd = Math.min(end, buf.length);
  let payloadLength = plen;
  if (plen === 0) {
    if (nxt === NH_HOPOPTS) {
      const jumbo = jumboLength(buf, off + IPV6_HEADER, capEnd);
      if (jumbo >= 65536) {
        payloadLength = jumbo;
        if (t.full) t.setLabel(plenItem, 'Payload Length: 0 (Jumbogram)');
      } else {
        p.setInfo('Invalid IPv6 payload length');
        p.expert(
          'ipv6',
          'ipv6.opt.jumbo.missing',
          'error',
          'malformed',
          'IPv6 payload length equals 0 and Hop-By-Hop present and Jumbo Payload option missing',
          off + 4,
          2,
        );
      }
    } else {
      p.expert(
        'ipv6',
        'ipv6.plen_zero',
        'chat',
        'protocol',
        'IPv6 payload length equals 0 (maybe because of "TCP segmentation offload" (TSO))',
        off + 4,
        2,
      );
    }
  }
  const reported = end - off - IPV6_HEADER;
  if (payloadLength <= reported) return off + IPV6_HEADER + payloadLength;
  if (!p.inErrorPacket)
    p.expert(
      'ipv6',
      'ipv6.plen_exceeds_framing',
      'warn',
      'protocol',
      `IPv6 payload length exceeds framing length (${reported} bytes)`,
      off + 4,
      2,
    );
  return end;
}

/** Walks the extension headers from w.o; leaves w at the upper-layer payload. */
function walkHeaders(p: Packet, w: Walk, ipOff: number): void {
  while (!w.stop && !w.showData) {
    switch (w.nxt) {
      case NH_HOPOPTS:
      case NH_DSTOPTS:
        optionsHeader(p, w, w.nxt === NH_HOPOPTS);
        break;
      case NH_ROUTING:
        routingHeader(p, w);
        break;
      case NH_FRAGMENT:
        fragmentHeader(p, w, ipOff);
        break;
      case NH_NONE:
        p.setInfo('IPv6 no next header');
        w.showData = true;
        return;
      default:
        return;
    }
    w.count++;
  }
}

/** extensionStart's result when the header's first two bytes are missing (the packet is marked). */
const MISSING = -2;

/**
 * The common start of an extension header: its protocol item (returned; -1 when not kept),
 * next header and lengths.
 */
function extensionStart(
  p: Packet,
  w: Walk,
  layer: string,
  top: number,
  nxtField: number,
  lenField: number,
  lenOctField: number,
  notFirst = false,
): number {
  const t = p.tree;
  const { buf, o } = w;
  p.addLayer(layer);
  // Wireshark reads the length before adding the header's item.
  if (p.short(layer, buf, o, 2, w.end)) return MISSING;
  const capEnd = Math.min(w.end, buf.length);
  const length = (buf[o + 1] + 1) * 8;
  const item = t.add(top, o, Math.min(length, capEnd - o));
  t.open(item);
  if (notFirst) {
    p.expert(
      'ipv6',
      'ipv6.hopopts.not_first',
      'error',
      'protocol',
      'IPv6 Hop-by-Hop extension header must appear immediately after IPv6 header',
      o,
      1,
    );
  }
  if (p.short(layer, buf, o, 2, w.end)) return MISSING;
  const ni = t.add(nxtField, o, 1, buf[o]);
  if (t.full && !IP_PROTOCOL_NAMES.has(buf[o])) t.setLabel(ni, `Next Header: Unknown (${buf[o]})`);
  t.add(lenField, o + 1, 1, buf[o + 1]);
  const oct = t.add(lenOctField, o + 1, 1, length, GENERATED);
  if (t.full) t.setLabel(oct, `[Length: ${length} bytes]`);
  return item;
}

/** Wireshark's col_append_sep_str(COL_INFO, " , ", text) of the extension headers. */
function appendInfo(p: Packet, text: string): void {
  if (p.wantColumns) p.appendInfo(p.infoCol === '' ? text : ` , ${text}`);
}

/** Hop-by-hop or destination options header (RFC 8200 4.3, 4.6). */
function optionsHeader(p: Packet, w: Walk, hopByHop: boolean): void {
  const t = p.tree;
  const { buf } = w;
  const layer = hopByHop ? 'ipv6.hopopts' : 'ipv6.dstopts';
  const protocolName = hopByHop ? 'IPv6 Hop-by-Hop' : 'IPv6 Destination';
  appendInfo(p, hopByHop ? 'IPv6 hop-by-hop options' : 'IPv6 destination options');
  const item = hopByHop
    ? extensionStart(p, w, layer, F.hopopts, F.hopoptsNxt, F.hopoptsLen, F.hopoptsLenOct, w.count > 0)
    : extensionStart(p, w, layer, F.dstopts, F.dstoptsNxt, F.dstoptsLen, F.dstoptsLenOct);
  if (item === MISSING) {
    w.stop = true;
    return;
  }
  const o = w.o;
  const length = (buf[o + 1] + 1) * 8;
  const hdrEnd = o + length;
  const nxt = buf[o];
  if (!options(p, buf, o + 2, hdrEnd, w.end, hopByHop, protocolName)) {
    w.stop = true;
    return;
  }
  t.close();
  w.o = hdrEnd;
  w.nxt = nxt;
}

/**
 * The options of buf[o..hdrEnd). Returns false when the header runs past the datagram or the
 * capture (the packet is then marked).
 */
function options(
  p: Packet,
  buf: Uint8Array,
  o: number,
  hdrEnd: number,
  end: number,
  hopByHop: boolean,
  protocolName: string,
): boolean {
  const t = p.tree;
  const capEnd = Math.min(end, buf.length);
  while (o < hdrEnd) {
    if (p.short(protocolName, buf, o, 1, end)) return false;
    const type = buf[o];
    if (type === OPT_PAD1) {
      // Wireshark sizes the Pad1 item as if the next byte were a length, so it needs that byte
      // (a Pad1 ending the datagram is malformed to it).
      if (p.short(protocolName, buf, o, 2, end)) return false;
      const item = t.add(F.opt, o, Math.min(buf[o + 1] + 2, capEnd - o));
      t.setLabel(item, 'Pad1');
      t.open(item);
      const ti = t.add(F.optType, o, 1, type);
      if (t.full) t.setLabel(ti, 'Type: Pad1 (0x00)');
      t.add(F.optPad1, o, 1);
      t.close();
      o++;
      continue;
    }
    const name = OPTION_NAMES.get(type);
    const len = o + 1 < capEnd ? buf[o + 1] : 0;
    const item = t.add(F.opt, o, Math.min(len + 2, capEnd - o));
    if (t.full) t.setLabel(item, name ?? `Unknown IPv6 Option (${type})`);
    t.open(item);
    const ti = t.add(F.optType, o, 1, type);
    if (t.full) t.setLabel(ti, `Type: ${name ?? 'Unknown'} (0x${HEX2[type]})`);
    t.open(ti);
    if (hopByHop && type === OPT_TEL) {
      p.expert(
        'ipv6',
        'ipv6.opt.header_mismatch',
        'warn',
        'protocol',
        'Tunnel Encapsulation Limit must use a destination options header',
        o,
        1,
      );
    }
    t.add(F.optAction, o, 1, type >> 6);
    t.add(F.optChange, o, 1, (type >> 5) & 1);
    t.add(F.optRest, o, 1, type & 0x1f);
    t.close();
    if (p.short(protocolName, buf, o, 2, end)) return false;
    t.add(F.optLength, o + 1, 1, len);
    const data = o + 2;
    if (p.short(protocolName, buf, data, len, end)) return false;
    switch (type) {
      case OPT_PADN: {
        const pi = t.add(F.optPadN, data, len);
        if (len === 0 && t.full) t.setLabel(pi, 'PadN: <none>');
        break;
      }
      case OPT_ROUTER_ALERT:
        if (len >= 2) t.add(F.optRouterAlert, data, 2, u16(buf, data));
        break;
      case OPT_TEL:
        if (len >= 1) t.add(F.optTel, data, 1, buf[data]);
        break;
      case OPT_JUMBO:
        if (len >= 4) t.add(F.optJumbo, data, 4, u32(buf, data));
        break;
      case OPT_HOME_ADDRESS:
        if (len >= 16) t.add(F.optHomeAddress, data, 16);
        break;
      default:
        if ((type & 0x1f) === 0x1e) t.add(F.optExperimental, data, len);
        else {
          const ui = t.add(F.optUnknown, data, len);
          if (len === 0 && t.full) t.setLabel(ui, 'Unknown Option Payload: <MISSING>');
          t.open(ui);
          p.expert(
            'ipv6',
            'ipv6.opt.unknown_data.expert',
            'note',
            'undecoded',
            'Unknown Data (not interpreted)',
            data,
            len,
          );
          t.close();
        }
    }
    t.close();
    o = data + len;
  }
  return true;
}

/** The Jumbo Payload option's length in a hop-by-hop header at o, or 0. */
function jumboLength(buf: Uint8Array, o: number, capEnd: number): number {
  if (o + 2 > capEnd) return 0;
  const end = Math.min(o + (buf[o + 1] + 1) * 8, capEnd);
  for (let q = o + 2; q < end;) {
    const type = buf[q];
    if (type === OPT_PAD1) {
      q++;
      continue;
    }
    if (q + 2 > end) return 0;
    const len = buf[q + 1];
    if (type === OPT_JUMBO && len === 4 && q + 6 <= end) return u32(buf, q + 2);
    q += 2 + len;
  }
  return 0;
}

/** Routing header (RFC 8200 4.4): source route (deprecated), type 2 (Mobile IPv6), segment routing. */
function routingHeader(p: Packet, w: Walk): void {
  const t = p.tree;
  const { buf } = w;
  appendInfo(p, 'IPv6 routing');
  const item = extensionStart(p, w, 'ipv6.routing', F.routing, F.routingNxt, F.routingLen, F.routingLenOct);
  const o = w.o;
  if (item === MISSING) {
    w.stop = true;
    return;
  }
  if (p.short('IPv6 Routing', buf, o, 4, w.end)) {
    w.stop = true;
    return;
  }
  const length = (buf[o + 1] + 1) * 8;
  const type = buf[o + 2];
  const segleft = buf[o + 3];
  if (t.full) t.setLabel(item, `Routing Header for IPv6 (${ROUTING_TYPES.get(type) ?? `Unknown type ${type}`})`);
  const ti = t.add(F.routingType, o + 2, 1, type);
  if (t.full && !ROUTING_TYPES.has(type)) t.setLabel(ti, `Type: Unknown (${type})`);
  if (type === 0) {
    t.open(ti);
    p.expert('ipv6', 'ipv6.routing.deprecated', 'note', 'deprecated', 'Routing header type is deprecated', o + 2, 1);
    t.close();
  }
  t.add(F.routingSegleft, o + 3, 1, segleft);
  if (p.short('IPv6 Routing', buf, o, length, w.end)) {
    w.stop = true;
    return;
  }
  const hdrEnd = o + length;
  if (type === 0 || type === 2) {
    t.add(type === 0 ? F.routingSrcReserved : F.routingMipv6Reserved, o + 4, 4);
    let n = 1;
    for (let a = o + 8; a + 16 <= hdrEnd; a += 16, n++) {
      const ai = t.add(type === 0 ? F.routingSrcAddr : F.routingMipv6HomeAddress, a, 16);
      if (t.full) t.setLabel(ai, `Address[${n}]: ${formatIPv6(buf, a)}`);
      // The last address is where the packet finally goes (while segments are left).
      if (segleft > 0) w.finalDst = a;
    }
  } else if (type === 4 && length >= 8) {
    t.add(F.routingSrhLastEntry, o + 4, 1, buf[o + 4]);
    t.add(F.routingSrhFlags, o + 5, 1, buf[o + 5]);
    t.add(F.routingSrhTag, o + 6, 2);
    let n = 0;
    for (let a = o + 8; a + 16 <= hdrEnd; a += 16, n++) {
      const ai = t.add(F.routingSrhAddr, a, 16);
      if (t.full) t.setLabel(ai, `Address[${n}]: ${formatIPv6(buf, a)}`);
    }
    // Segment list entry 0 is the final segment.
    if (segleft > 0 && o + 24 <= hdrEnd) w.finalDst = o + 8;
  } else if (length > 4) {
    const ui = t.add(F.routingUnknownData, o + 4, length - 4);
    if (!ROUTING_TYPES.has(type)) {
      t.open(ui);
      p.expert(
        'ipv6',
        'ipv6.routing.undecoded',
        'note',
        'undecoded',
        'Undecoded IPv6 routing header field',
        o + 4,
        length - 4,
      );
      t.close();
    }
  }
  t.close();
  w.nxt = buf[o];
  w.o = hdrEnd;
}

/** Fragment header (RFC 8200 4.5): reassembled as Wireshark does unless atomic (offset 0, M clear). */
function fragmentHeader(p: Packet, w: Walk, ipOff: number): void {
  const t = p.tree;
  const { buf } = w;
  const o = w.o;
  p.addLayer('ipv6.fraghdr');
  // Wireshark reads the whole header before adding its item.
  if (p.short('IPv6 Fragment', buf, o, 8, w.end)) {
    w.stop = true;
    return;
  }
  const item = t.add(F.fraghdr, o, 8);
  t.open(item);
  const nxt = buf[o];
  const offlg = u16(buf, o + 2);
  const fragOffset = offlg & 0xfff8;
  const more = (offlg & 1) !== 0;
  const ident = u32(buf, o + 4);
  if (p.wantColumns)
    p.setInfo(
      `IPv6 fragment (off=${fragOffset} more=${more ? 'y' : 'n'} ident=0x${ident.toString(16).padStart(8, '0')} nxt=${nxt})`,
    );
  const ni = t.add(F.fraghdrNxt, o, 1, nxt);
  if (t.full && !IP_PROTOCOL_NAMES.has(nxt)) t.setLabel(ni, `Next header: Unknown (${nxt})`);
  t.add(F.fraghdrReservedOctet, o + 1, 1, buf[o + 1]);
  const oi = t.add(F.fraghdrOffset, o + 2, 2, offlg >> 3);
  if (t.full) t.setLabel(oi, bitsLabel(offlg >> 3, 3, 16, 13, 'Offset', `${offlg >> 3} (${fragOffset} bytes)`));
  t.add(F.fraghdrReservedBits, o + 2, 2, (offlg >> 1) & 3);
  t.add(F.fraghdrMore, o + 2, 2, offlg & 1);
  const idi = t.add(F.fraghdrIdent, o + 4, 4, ident);
  if (t.full) t.setLabel(idi, `Identification: 0x${ident.toString(16).padStart(8, '0')}`);
  t.close();
  w.o = o + 8;
  w.nxt = nxt;
  if (fragOffset === 0 && !more) return;

  const start = w.o;
  const length = w.end - start;
  if (length <= 0 || start + length > buf.length) {
    // Not all of the fragment is there: a first fragment is dissected as it is.
    if (fragOffset === 0) p.fragmented = true;
    else w.showData = true;
    return;
  }
  const state = p.session.protocolState<ReassemblyState>('ipv6.reassembly', () => ({ table: new FragmentTable() }));
  // Wireshark keys IPv6 datagrams by addresses and identification.
  const key = `${formatIPv6(buf, ipOff + 8)}>${formatIPv6(buf, ipOff + 24)}#${ident}`;
  const r = state.table.add(key, p.meta.number, p.meta.tsSec, buf, start, length, fragOffset, more);
  const whole = r === FRAGMENT_COMPLETED ? state.table.result : undefined;
  if (!whole) {
    const reassembledIn =
      r === FRAGMENT_DONE
        ? state.table.reassembledIn
        : r === FRAGMENT_PENDING
          ? firstPassReassembledIn(p, 'ipv6.reassembly', p.meta.number)
          : 0;
    if (reassembledIn) t.add(F.reassembledIn, ipOff, 0, reassembledIn, GENERATED);
    w.showData = true;
    return;
  }
  const source = p.addSource('Reassembled IPv6', whole.data);
  addReassemblyItems(p, source, whole, ipOff, ipv6ReassemblyFields);
  t.currentSource = source;
  w.buf = whole.data;
  w.o = 0;
  w.end = whole.data.length;
}

/** Addresses embedded in 6to4, Teredo and ISATAP addresses (generated, as Wireshark adds them). */
function embeddedAddresses(p: Packet, buf: Uint8Array, a: number, isSource: boolean): void {
  const t = p.tree;
  if (u16(buf, a) === 0x2002) {
    // RFC 3056: 2002:V4ADDR:SLA::/48
    t.add(isSource ? F.src6to4Gw : F.dst6to4Gw, a + 2, 4, u32(buf, a + 2), GENERATED);
    t.add(isSource ? F.src6to4Sla : F.dst6to4Sla, a + 6, 2, u16(buf, a + 6), GENERATED);
    t.add(F.gw6to4, a + 2, 4, u32(buf, a + 2), GENERATED | HIDDEN);
    t.add(F.sla6to4, a + 6, 2, u16(buf, a + 6), GENERATED | HIDDEN);
  } else if (u32(buf, a) === 0x20010000) {
    // RFC 4380: Teredo, with the client's port and address obfuscated.
    const port = u16(buf, a + 10) ^ 0xffff;
    const client = (u32(buf, a + 12) ^ 0xffffffff) >>> 0;
    t.add(isSource ? F.srcTeredoServer : F.dstTeredoServer, a + 4, 4, u32(buf, a + 4), GENERATED);
    t.add(isSource ? F.srcTeredoPort : F.dstTeredoPort, a + 10, 2, port, GENERATED);
    t.add(isSource ? F.srcTeredoClient : F.dstTeredoClient, a + 12, 4, client, GENERATED);
    t.add(F.teredoServer, a + 4, 4, u32(buf, a + 4), GENERATED | HIDDEN);
    t.add(F.teredoPort, a + 10, 2, port, GENERATED | HIDDEN);
    t.add(F.teredoClient, a + 12, 4, client, GENERATED | HIDDEN);
  }
  if (buf[a + 8] & 0x02 && buf[a + 11] === 0xff && buf[a + 12] === 0xfe) {
    // RFC 4291 appendix A: a modified EUI-64 interface identifier holds the MAC address.
    if (t.full) {
      const mac = `${HEX2[buf[a + 8] & 0xfd]}:${HEX2[buf[a + 9]]}:${HEX2[buf[a + 10]]}:${HEX2[buf[a + 13]]}:${HEX2[buf[a + 14]]}:${HEX2[buf[a + 15]]}`;
      t.addText(a + 8, 8, `[${isSource ? 'Source' : 'Destination'} SLAAC MAC: ${mac}]`, GENERATED);
    }
  } else if ((u32(buf, a + 8) & 0xfcffffff) >>> 0 === 0x00005efe) {
    // RFC 5214: ISATAP
    t.add(isSource ? F.srcIsatap : F.dstIsatap, a + 12, 4, u32(buf, a + 12), GENERATED);
    t.add(F.isatap, a + 12, 4, u32(buf, a + 12), GENERATED | HIDDEN);
  }
}

ethertypeTable.add(0x86dd, dissectIPv6);
ipProtoTable.add(41, dissectIPv6);
