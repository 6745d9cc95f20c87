// ICMPv6 (RFC 4443, 4861, 2710, 3810): errors with the quoted packet, echo with request/reply
// matching, neighbour discovery (RS, RA, NS, NA, redirect) and its options, MLD v1 and v2,
// with Wireshark 4.0's fields and Info texts; the checksum is verified over the pseudo-header.

import { defineFields, SET_NOT_SET, valueStrings } from './fields.js';
import { ipProtoTable } from './tables.js';
import type { Packet } from './packet.js';
import { formatIPv6, formatMac, HEX2, u16, u32, hex4 } from './bytes.js';
import { GENERATED, HIDDEN } from './tree.js';
import { dissectData } from './data.js';
import { CHECKSUM_STATUS, addChecksumResult, transportChecksum } from './checksum.js';
import { dissectIPv6 } from './ipv6.js';
import { EchoMatcher, checksumKey, responseTimeMs } from './echo-matcher.js';
import { maskLabel } from './bitlabel.js';

const TYPE_NAMES = valueStrings({
  1: 'Destination Unreachable',
  2: 'Packet Too Big',
  3: 'Time Exceeded',
  4: 'Parameter Problem',
  100: 'Private experimentation',
  101: 'Private experimentation',
  127: 'Reserved for expansion of ICMPv6 error messages',
  128: 'Echo (ping) request',
  129: 'Echo (ping) reply',
  130: 'Multicast Listener Query',
  131: 'Multicast Listener Report',
  132: 'Multicast Listener Done',
  133: 'Router Solicitation',
  134: 'Router Advertisement',
  135: 'Neighbor Solicitation',
  136: 'Neighbor Advertisement',
  137: 'Redirect',
  138: 'Router Renumbering',
  139: 'Node Information Query',
  140: 'Node Information Reply',
  141: 'Inverse Neighbor Discovery Solicitation',
  142: 'Inverse Neighbor Discovery Advertisement',
  143: 'Multicast Listener Report Message v2',
  144: 'Home Agent Address Discovery Request',
  145: 'Home Agent Address Discovery Reply',
  146: 'Mobile Prefix Solicitation',
  147: 'Mobile Prefix Advertisement',
  148: 'Certification Path Solicitation',
  149: 'Certification Path Advertisement',
  150: 'Experimental Mobility',
  151: 'Multicast Router Advertisement',
  152: 'Multicast Router Solicitation',
  153: 'Multicast Router Termination',
  154: 'FMIPv6',
  155: 'RPL Control',
  156: 'Locator Update',
  157: 'Duplicate Address Request',
  158: 'Duplicate Address Confirmation',
  159: 'MPL Control Message',
  160: 'Extended Echo request',
  161: 'Extended Echo reply',
  200: 'Private experimentation',
  201: 'Private experimentation',
  255: 'Reserved for expansion of ICMPv6 informational messages',
});

const UNREACH_CODES = valueStrings({
  0: 'no route to destination',
  1: 'Administratively prohibited',
  2: 'Beyond scope of source address',
  3: 'Address unreachable',
  4: 'Port unreachable',
  5: 'Source address failed ingress/egress policy',
  6: 'Reject route to destination',
  7: 'Error in Source Routing Header',
});
const TIME_EXCEEDED_CODES = valueStrings({
  0: 'hop limit exceeded in transit',
  1: 'fragment reassembly time exceeded',
});
const PARAM_PROBLEM_CODES = valueStrings({
  0: 'erroneous header field encountered',
  1: 'unrecognized Next Header type encountered',
  2: 'unrecognized IPv6 option encountered',
  3: 'IPv6 First Fragment has incomplete IPv6 Header Chain',
});
const RENUMBERING_CODES = valueStrings({ 0: 'Command', 1: 'Result', 255: 'Sequence number reset' });
const NI_QUERY_CODES = valueStrings({
  0: 'Query subject = IPv6 addresses',
  1: 'Query subject = DNS name or empty',
  2: 'Query subject = IPv4 addresses',
});
const NI_REPLY_CODES = valueStrings({ 0: 'Successful', 1: 'Refused', 2: 'Unknown query type' });

const OPTION_NAMES = valueStrings({
  1: 'Source link-layer address',
  2: 'Target link-layer address',
  3: 'Prefix information',
  4: 'Redirected header',
  5: 'MTU',
  6: 'NBMA Shortcut Limit Option',
  7: 'Advertisement Interval',
  8: 'Home Agent Information',
  9: 'Source Address List',
  10: 'Target Address List',
  11: 'CGA',
  12: 'RSA Signature',
  13: 'Timestamp',
  14: 'Nonce',
  15: 'Trust Anchor',
  16: 'Certificate',
  17: 'IP Address/Prefix Option',
  18: 'New Router Prefix Information',
  19: 'Link-layer Address',
  20: 'Neighbor Advertisement Acknowledgment',
  23: 'MAP',
  24: 'Route Information',
  25: 'Recursive DNS Server',
  26: 'RA Flags Extension',
  27: 'Handover Key Request',
  28: 'Handover Key Reply',
  29: 'Handover Assist Information',
  30: 'Mobile Node Identifier Option',
  31: 'DNS Search List Option',
  32: 'Proxy Signature (PS)',
  33: 'Address Registration Option',
  34: '6LoWPAN Context Option',
  35: 'Authoritative Border Router',
  36: '6LoWPAN Capability Indication Option',
  37: 'DHCP Captive-Portal',
  38: 'PREF64 Option',
  138: 'CARD Request',
  139: 'CARD Reply',
  253: 'RFC3692-style Experiment 1',
  254: 'RFC3692-style Experiment 2',
});

const ROUTER_PREFERENCES = valueStrings({ 0: 'Medium', 1: 'High', 2: 'Reserved', 3: 'Low' });
const RECORD_TYPES = valueStrings({
  1: 'Include',
  2: 'Exclude',
  3: 'Changed to include',
  4: 'Changed to exclude',
  5: 'Allow new sources',
  6: 'Block old sources',
});
const TRUE_FALSE: readonly [string, string] = ['True', 'False'];

export const icmpv6Fields = defineFields({
  icmpv6: { abbrev: 'icmpv6', name: 'Internet Control Message Protocol v6', type: 'protocol' },
  type: { abbrev: 'icmpv6.type', name: 'Type', type: 'uint', bits: 8, base: 'dec', strings: TYPE_NAMES },
  code: { abbrev: 'icmpv6.code', name: 'Code', type: 'uint', bits: 8, base: 'dec' },
  checksum: { abbrev: 'icmpv6.checksum', name: 'Checksum', type: 'uint', bits: 16, base: 'hex' },
  checksumStatus: {
    abbrev: 'icmpv6.checksum.status',
    name: 'Checksum Status',
    type: 'uint',
    bits: 8,
    base: 'none',
    strings: CHECKSUM_STATUS,
  },
  reserved: { abbrev: 'icmpv6.reserved', name: 'Reserved', type: 'bytes' },
  data: { abbrev: 'icmpv6.data', name: 'Data', type: 'bytes' },
  length: { abbrev: 'icmpv6.length', name: 'Length of original datagram', type: 'uint', bits: 8, base: 'dec' },
  mtu: { abbrev: 'icmpv6.mtu', name: 'MTU', type: 'uint', bits: 32, base: 'dec' },
  pointer: { abbrev: 'icmpv6.pointer', name: 'Pointer', type: 'uint', bits: 32, base: 'dec' },
  echoIdentifier: { abbrev: 'icmpv6.echo.identifier', name: 'Identifier', type: 'uint', bits: 16, base: 'hex' },
  echoSequence: { abbrev: 'icmpv6.echo.sequence_number', name: 'Sequence', type: 'uint', bits: 16, base: 'dec' },
  respIn: { abbrev: 'icmpv6.resp_in', name: 'Response In', type: 'framenum' },
  respTo: { abbrev: 'icmpv6.resp_to', name: 'Response To', type: 'framenum' },
  noResp: { abbrev: 'icmpv6.no_resp', name: 'No response seen', type: 'none' },
  respTime: { abbrev: 'icmpv6.resptime', name: 'Response Time', type: 'float' },
  // Router advertisement
  raCurHopLimit: { abbrev: 'icmpv6.nd.ra.cur_hop_limit', name: 'Cur hop limit', type: 'uint', bits: 8, base: 'dec' },
  raFlag: { abbrev: 'icmpv6.nd.ra.flag', name: 'Flags', type: 'uint', bits: 8, base: 'hex' },
  raFlagM: {
    abbrev: 'icmpv6.nd.ra.flag.m',
    name: 'Managed address configuration',
    type: 'bool',
    bits: 8,
    mask: 0x80,
    trueFalse: SET_NOT_SET,
  },
  raFlagO: {
    abbrev: 'icmpv6.nd.ra.flag.o',
    name: 'Other configuration',
    type: 'bool',
    bits: 8,
    mask: 0x40,
    trueFalse: SET_NOT_SET,
  },
  raFlagH: {
    abbrev: 'icmpv6.nd.ra.flag.h',
    name: 'Home Agent',
    type: 'bool',
    bits: 8,
    mask: 0x20,
    trueFalse: SET_NOT_SET,
  },
  raFlagPrf: {
    abbrev: 'icmpv6.nd.ra.flag.prf',
    name: 'Prf (Default Router Preference)',
    type: 'uint',
    bits: 8,
    base: 'dec',
    mask: 0x18,
    strings: ROUTER_PREFERENCES,
  },
  raFlagP: { abbrev: 'icmpv6.nd.ra.flag.p', name: 'Proxy', type: 'bool', bits: 8, mask: 0x04, trueFalse: SET_NOT_SET },
  raFlagRsv: { abbrev: 'icmpv6.nd.ra.flag.rsv', name: 'Reserved', type: 'uint', bits: 8, base: 'dec', mask: 0x03 },
  raRouterLifetime: {
    abbrev: 'icmpv6.nd.ra.router_lifetime',
    name: 'Router lifetime (s)',
    type: 'uint',
    bits: 16,
    base: 'dec',
  },
  raReachableTime: {
    abbrev: 'icmpv6.nd.ra.reachable_time',
    name: 'Reachable time (ms)',
    type: 'uint',
    bits: 32,
    base: 'dec',
  },
  raRetransTimer: {
    abbrev: 'icmpv6.nd.ra.retrans_timer',
    name: 'Retrans timer (ms)',
    type: 'uint',
    bits: 32,
    base: 'dec',
  },
  // Neighbor solicitation and advertisement, redirect
  nsTargetAddress: { abbrev: 'icmpv6.nd.ns.target_address', name: 'Target Address', type: 'ipv6' },
  naFlag: { abbrev: 'icmpv6.nd.na.flag', name: 'Flags', type: 'uint', bits: 32, base: 'hex' },
  naFlagR: {
    abbrev: 'icmpv6.nd.na.flag.r',
    name: 'Router',
    type: 'bool',
    bits: 32,
    mask: 0x80000000,
    trueFalse: SET_NOT_SET,
  },
  naFlagS: {
    abbrev: 'icmpv6.nd.na.flag.s',
    name: 'Solicited',
    type: 'bool',
    bits: 32,
    mask: 0x40000000,
    trueFalse: SET_NOT_SET,
  },
  naFlagO: {
    abbrev: 'icmpv6.nd.na.flag.o',
    name: 'Override',
    type: 'bool',
    bits: 32,
    mask: 0x20000000,
    trueFalse: SET_NOT_SET,
  },
  naFlagRsv: {
    abbrev: 'icmpv6.nd.na.flag.rsv',
    name: 'Reserved',
    type: 'uint',
    bits: 32,
    base: 'dec',
    mask: 0x1fffffff,
  },
  naTargetAddress: { abbrev: 'icmpv6.nd.na.target_address', name: 'Target Address', type: 'ipv6' },
  rdTargetAddress: { abbrev: 'icmpv6.nd.rd.target_address', name: 'Target Address', type: 'ipv6' },
  rdDestinationAddress: { abbrev: 'icmpv6.rd.na.destination_address', name: 'Destination Address', type: 'ipv6' },
  // Options
  opt: { abbrev: 'icmpv6.opt', name: 'ICMPv6 Option', type: 'none' },
  optType: { abbrev: 'icmpv6.opt.type', name: 'Type', type: 'uint', bits: 8, base: 'dec', strings: OPTION_NAMES },
  optLength: { abbrev: 'icmpv6.opt.length', name: 'Length', type: 'uint', bits: 8, base: 'dec' },
  optReserved: { abbrev: 'icmpv6.opt.reserved', name: 'Reserved', type: 'none' },
  optPadding: { abbrev: 'icmpv6.opt.padding', name: 'Padding', type: 'none' },
  // The MAC forms of these (Wireshark's *_mac variants share the abbrev); other lengths are not shown.
  optLinkaddr: { abbrev: 'icmpv6.opt.linkaddr', name: 'Link-layer address', type: 'ether' },
  optSrcLinkaddr: { abbrev: 'icmpv6.opt.src_linkaddr', name: 'Source Link-layer address', type: 'ether' },
  optTargetLinkaddr: { abbrev: 'icmpv6.opt.target_linkaddr', name: 'Target Link-layer address', type: 'ether' },
  optPrefixLength: { abbrev: 'icmpv6.opt.prefix.length', name: 'Prefix Length', type: 'uint', bits: 8, base: 'dec' },
  optPrefixFlag: { abbrev: 'icmpv6.opt.prefix.flag', name: 'Flag', type: 'uint', bits: 8, base: 'hex' },
  optPrefixFlagL: {
    abbrev: 'icmpv6.opt.prefix.flag.l',
    name: 'On-link flag(L)',
    type: 'bool',
    bits: 8,
    mask: 0x80,
    trueFalse: SET_NOT_SET,
  },
  optPrefixFlagA: {
    abbrev: 'icmpv6.opt.prefix.flag.a',
    name: 'Autonomous address-configuration flag(A)',
    type: 'bool',
    bits: 8,
    mask: 0x40,
    trueFalse: SET_NOT_SET,
  },
  optPrefixFlagR: {
    abbrev: 'icmpv6.opt.prefix.flag.r',
    name: 'Router address flag(R)',
    type: 'bool',
    bits: 8,
    mask: 0x20,
    trueFalse: SET_NOT_SET,
  },
  optPrefixFlagReserved: {
    abbrev: 'icmpv6.opt.prefix.flag.reserved',
    name: 'Reserved',
    type: 'uint',
    bits: 8,
    base: 'dec',
    mask: 0x1f,
  },
  optPrefixValidLifetime: {
    abbrev: 'icmpv6.opt.prefix.valid_lifetime',
    name: 'Valid Lifetime',
    type: 'uint',
    bits: 32,
    base: 'dec',
  },
  optPrefixPreferredLifetime: {
    abbrev: 'icmpv6.opt.prefix.preferred_lifetime',
    name: 'Preferred Lifetime',
    type: 'uint',
    bits: 32,
    base: 'dec',
  },
  optPrefix: { abbrev: 'icmpv6.opt.prefix', name: 'Prefix', type: 'ipv6' },
  optRedirectedPacket: { abbrev: 'icmpv6.opt.redirected_packet', name: 'Redirected Packet', type: 'none' },
  optMtu: { abbrev: 'icmpv6.opt.mtu', name: 'MTU', type: 'uint', bits: 32, base: 'dec' },
  optAdvertisementInterval: {
    abbrev: 'icmpv6.opt.advertisement_interval',
    name: 'Advertisement Interval',
    type: 'uint',
    bits: 32,
    base: 'dec',
  },
  optHomeAgentPreference: {
    abbrev: 'icmpv6.opt.home_agent_preference',
    name: 'Home Agent Preference',
    type: 'uint',
    bits: 16,
    base: 'dec',
  },
  optHomeAgentLifetime: {
    abbrev: 'icmpv6.opt.home_agent_lifetime',
    name: 'Home Agent Preference',
    type: 'uint',
    bits: 16,
    base: 'dec',
  },
  optIpv6Address: { abbrev: 'icmpv6.opt.ipv6_address', name: 'IPv6 Address', type: 'ipv6' },
  optNonce: { abbrev: 'icmpv6.opt.nonce', name: 'Nonce', type: 'bytes' },
  optRouteInfoFlag: { abbrev: 'icmpv6.opt.route_info.flag', name: 'Flag', type: 'uint', bits: 8, base: 'hex' },
  optRouteInfoPreference: {
    abbrev: 'icmpv6.opt.route_info.flag.route_preference',
    name: 'Route Preference',
    type: 'uint',
    bits: 8,
    base: 'dec',
    mask: 0x18,
    strings: ROUTER_PREFERENCES,
  },
  optRouteInfoReserved: {
    abbrev: 'icmpv6.opt.route_info.flag.reserved',
    name: 'Reserved',
    type: 'uint',
    bits: 8,
    base: 'dec',
    mask: 0xe7,
  },
  optRouteLifetime: {
    abbrev: 'icmpv6.opt.route_lifetime',
    name: 'Route Lifetime',
    type: 'uint',
    bits: 32,
    base: 'dec',
  },
  optRdnssLifetime: { abbrev: 'icmpv6.opt.rdnss.lifetime', name: 'Lifetime', type: 'uint', bits: 32, base: 'dec' },
  optRdnss: { abbrev: 'icmpv6.opt.rdnss', name: 'Recursive DNS Servers', type: 'ipv6' },
  optDnsslLifetime: { abbrev: 'icmpv6.opt.dnssl.lifetime', name: 'Lifetime', type: 'uint', bits: 32, base: 'dec' },
  optDnssl: { abbrev: 'icmpv6.opt.dnssl', name: 'Domain Names', type: 'string' },
  // MLD
  mldMaxResponseDelay: {
    abbrev: 'icmpv6.mld.maximum_response_delay',
    name: 'Maximum Response Delay [ms]',
    type: 'uint',
    bits: 16,
    base: 'dec',
  },
  mldMulticastAddress: { abbrev: 'icmpv6.mld.multicast_address', name: 'Multicast Address', type: 'ipv6' },
  mldMaxResponseCode: {
    abbrev: 'icmpv6.mld.maximum_response_code',
    name: 'Maximum Response Code',
    type: 'uint',
    bits: 16,
    base: 'dec',
  },
  mldFlag: { abbrev: 'icmpv6.mld.flag', name: 'Flags', type: 'uint', bits: 8, base: 'hex' },
  mldFlagS: {
    abbrev: 'icmpv6.mld.flag.s',
    name: 'Suppress Router-Side Processing',
    type: 'bool',
    bits: 8,
    mask: 0x08,
    trueFalse: TRUE_FALSE,
  },
  mldFlagQrv: {
    abbrev: 'icmpv6.mld.flag.qrv',
    name: "QRV (Querier's Robustness Variable)",
    type: 'uint',
    bits: 8,
    base: 'dec',
    mask: 0x07,
  },
  mldFlagReserved: {
    abbrev: 'icmpv6.mld.flag.reserved',
    name: 'Reserved',
    type: 'uint',
    bits: 8,
    base: 'dec',
    mask: 0xf0,
  },
  mldQqi: {
    abbrev: 'icmpv6.mld.qqi',
    name: "QQIC (Querier's Query Interval Code)",
    type: 'uint',
    bits: 8,
    base: 'dec',
  },
  mldNbSources: { abbrev: 'icmpv6.mld.nb_sources', name: 'Number of Sources', type: 'uint', bits: 16, base: 'dec' },
  mldSourceAddress: { abbrev: 'icmpv6.mld.source_address', name: 'Source Address', type: 'ipv6' },
  mldrNbMcastRecords: {
    abbrev: 'icmpv6.mldr.nb_mcast_records',
    name: 'Number of Multicast Address Records',
    type: 'uint',
    bits: 16,
    base: 'dec',
  },
  mldrMar: { abbrev: 'icmpv6.mldr.mar', name: 'Multicast Address Record', type: 'none' },
  mldrRecordType: {
    abbrev: 'icmpv6.mldr.mar.record_type',
    name: 'Record Type',
    type: 'uint',
    bits: 8,
    base: 'dec',
    strings: RECORD_TYPES,
  },
  mldrAuxDataLen: { abbrev: 'icmpv6.mldr.mar.aux_data_len', name: 'Aux Data Len', type: 'uint', bits: 8, base: 'dec' },
  mldrNbSources: {
    abbrev: 'icmpv6.mldr.mar.nb_sources',
    name: 'Number of Sources',
    type: 'uint',
    bits: 16,
    base: 'dec',
  },
  mldrMulticastAddress: { abbrev: 'icmpv6.mldr.mar.multicast_address', name: 'Multicast Address', type: 'ipv6' },
  mldrSourceAddress: { abbrev: 'icmpv6.mldr.mar.source_address', name: 'Source Address', type: 'ipv6' },
  mldrAuxiliaryData: { abbrev: 'icmpv6.mldr.mar.auxiliary_data', name: 'Auxiliary Data', type: 'bytes' },
});

const F = icmpv6Fields;
const CHECKSUM_ITEM_FIELDS = { checksum: F.checksum, status: F.checksumStatus };

const DST_UNREACH = 1;
const PACKET_TOO_BIG = 2;
const TIME_EXCEEDED = 3;
const PARAM_PROBLEM = 4;
const ECHO_REQUEST = 128;
const ECHO_REPLY = 129;
const MLD_QUERY = 130;
const MLD_REPORT = 131;
const MLD_DONE = 132;
const ROUTER_SOLICIT = 133;
const ROUTER_ADVERT = 134;
const NEIGHBOR_SOLICIT = 135;
const NEIGHBOR_ADVERT = 136;
const REDIRECT = 137;
const IND_SOLICIT = 141;
const IND_ADVERT = 142;
const MLDV2_REPORT = 143;
/** A query this long or longer is MLDv2 (RFC 3810 8.1). */
const MLDV2_QUERY_MIN = 28;

export function dissectIcmpv6(p: Packet, buf: Uint8Array, off: number, end: number): number | void {
  const t = p.tree;
  p.addLayer('icmpv6');
  p.setProtocol('ICMPv6');
  p.setInfo('');
  const capEnd = Math.min(end, buf.length);
  const top = t.add(F.icmpv6, off, Math.max(0, capEnd - off));
  t.open(top);
  if (p.short('ICMPv6', buf, off, 1, end)) return;
  const type = buf[off];
  t.add(F.type, off, 1, type);
  if (p.wantColumns) p.setInfo(TYPE_NAMES.get(type) ?? `Unknown (${type})`);
  if (p.short('ICMPv6', buf, off, 2, end)) return;
  const code = buf[off + 1];
  let codeName: string | undefined;
  switch (type) {
    case DST_UNREACH:
      codeName = UNREACH_CODES.get(code) ?? 'Unknown';
      break;
    case TIME_EXCEEDED:
      codeName = TIME_EXCEEDED_CODES.get(code) ?? `Unknown (${code})`;
      break;
    case PARAM_PROBLEM:
      codeName = PARAM_PROBLEM_CODES.get(code) ?? `Unknown (${code})`;
      break;
    case 138:
      codeName = RENUMBERING_CODES.get(code) ?? `Unknown (${code})`;
      break;
    case 139:
      codeName = NI_QUERY_CODES.get(code) ?? `Unknown (${code})`;
      break;
    case 140:
      codeName = NI_REPLY_CODES.get(code) ?? `Unknown (${code})`;
      break;
  }
  if (codeName !== undefined && p.wantColumns) p.appendInfo(` (${codeName})`);
  const ci = t.add(F.code, off + 1, 1, code);
  if (codeName !== undefined && t.full) t.setLabel(ci, `Code: ${code} (${codeName})`);

  if (p.short('ICMPv6', buf, off, 4, end)) return;
  const checksum = u16(buf, off + 2);
  checksumItems(p, buf, off, end, checksum);
  const o = off + 4;

  switch (type) {
    case ECHO_REQUEST:
    case ECHO_REPLY: {
      if (p.short('ICMPv6', buf, o, 2, end)) return;
      const ident = u16(buf, o);
      t.add(F.echoIdentifier, o, 2, ident);
      if (p.short('ICMPv6', buf, o + 2, 2, end)) return;
      const seq = u16(buf, o + 2);
      t.add(F.echoSequence, o + 2, 2, seq);
      if (p.wantColumns) {
        p.appendInfo(` id=0x${hex4(ident)}, seq=${seq}`);
        if (p.ipTtl >= 0 && p.netType === 6) p.appendInfo(`, hop limit=${p.ipTtl}`);
      }
      if (!p.inErrorPacket) echoTransaction(p, type, checksum, ident, seq, off);
      dissectData(p, buf, o + 4, end);
      break;
    }
    case DST_UNREACH:
    case TIME_EXCEEDED: {
      if (p.short('ICMPv6', buf, o, 4, end)) return;
      // RFC 4884: the length of the quoted datagram in 64-bit words.
      const originalLength = buf[o];
      if (originalLength) {
        t.add(F.length, o, 1, originalLength);
        t.add(F.reserved, o + 1, 3);
      } else t.add(F.reserved, o, 4);
      containedPacket(p, buf, o + 4, originalLength ? Math.min(end, o + 4 + originalLength * 8) : end);
      break;
    }
    case PACKET_TOO_BIG:
    case PARAM_PROBLEM:
      if (p.short('ICMPv6', buf, o, 4, end)) return;
      t.add(type === PACKET_TOO_BIG ? F.mtu : F.pointer, o, 4, u32(buf, o));
      containedPacket(p, buf, o + 4, end);
      break;
    case MLD_QUERY:
    case MLD_REPORT:
    case MLD_DONE:
      mld(p, buf, o, end, type === MLD_QUERY && end - off >= MLDV2_QUERY_MIN);
      break;
    case ROUTER_SOLICIT:
    case IND_SOLICIT:
    case IND_ADVERT:
      if (p.short('ICMPv6', buf, o, 4, end)) return;
      t.add(F.reserved, o, 4);
      ndOptions(p, buf, o + 4, end);
      break;
    case ROUTER_ADVERT:
      if (p.short('ICMPv6', buf, o, 12, end)) return;
      routerAdvertisement(p, buf, o);
      ndOptions(p, buf, o + 12, end);
      break;
    case NEIGHBOR_SOLICIT:
      if (p.short('ICMPv6', buf, o, 4, end)) return;
      t.add(F.reserved, o, 4);
      if (p.short('ICMPv6', buf, o + 4, 16, end)) return;
      t.add(F.nsTargetAddress, o + 4, 16);
      if (p.wantColumns) p.appendInfo(` for ${formatIPv6(buf, o + 4)}`);
      ndOptions(p, buf, o + 20, end);
      break;
    case NEIGHBOR_ADVERT: {
      if (p.short('ICMPv6', buf, o, 4, end)) return;
      const flags = u32(buf, o);
      const fi = t.add(F.naFlag, o, 4, flags);
      if (t.full) {
        let s = `Flags: 0x${flags.toString(16).padStart(8, '0')}`;
        if (flags & 0x80000000) s += ', Router';
        if (flags & 0x40000000) s += ', Solicited';
        if (flags & 0x20000000) s += ', Override';
        t.setLabel(fi, s);
      }
      t.open(fi);
      t.add(F.naFlagR, o, 4, flags >>> 31);
      t.add(F.naFlagS, o, 4, (flags >>> 30) & 1);
      t.add(F.naFlagO, o, 4, (flags >>> 29) & 1);
      t.add(F.naFlagRsv, o, 4, flags & 0x1fffffff);
      t.close();
      if (p.short('ICMPv6', buf, o + 4, 16, end)) return;
      t.add(F.naTargetAddress, o + 4, 16);
      if (p.wantColumns) {
        const names: string[] = [];
        if (flags & 0x80000000) names.push('rtr');
        if (flags & 0x40000000) names.push('sol');
        if (flags & 0x20000000) names.push('ovr');
        p.appendInfo(` ${formatIPv6(buf, o + 4)} (${names.length ? names.join(', ') : 'none'})`);
      }
      ndOptions(p, buf, o + 20, end);
      break;
    }
    case REDIRECT:
      if (p.short('ICMPv6', buf, o, 4, end)) return;
      t.add(F.reserved, o, 4);
      if (p.short('ICMPv6', buf, o + 4, 32, end)) return;
      t.add(F.rdTargetAddress, o + 4, 16);
      t.add(F.rdDestinationAddress, o + 20, 16);
      ndOptions(p, buf, o + 36, end);
      break;
    case MLDV2_REPORT:
      mldv2Report(p, buf, o, end);
      break;
    default:
      // Types Wireshark 4.0 does not decode either (or that synack does not decode yet).
      if (o < end) {
        p.expert(
          'icmpv6',
          'icmpv6.undecoded.type',
          'note',
          'undecoded',
          `Dissector for ICMPv6 Type (${type}) code not implemented, Contact Wireshark developers if you want this supported`,
          o,
          end - o,
        );
        if (o < capEnd) t.add(F.data, o, capEnd - o);
      }
  }
  t.close();
}

/** The checksum over the pseudo-header and the message (RFC 4443 2.3). */
function checksumItems(p: Packet, buf: Uint8Array, off: number, end: number, checksum: number): void {
  const verifiable =
    !p.fragmented &&
    Math.min(end, buf.length) >= end &&
    !p.inErrorPacket &&
    p.netType === 6 &&
    !!p.netSrc6 &&
    !!p.netDst6;
  const computed = verifiable ? transportChecksum(p, 58, buf, off, end - off) : null;
  const why = p.inErrorPacket ? 'in ICMP error packet' : 'fragmented datagram';
  const expert = { protocol: 'icmpv6', name: 'icmpv6.checksum_bad.expert' };
  addChecksumResult(p, CHECKSUM_ITEM_FIELDS, off + 2, checksum, computed, expert, why);
}

/** The invoking packet quoted in an error message, dissected as IPv6 without touching the columns. */
function containedPacket(p: Packet, buf: Uint8Array, o: number, end: number): void {
  const capEnd = Math.min(end, buf.length);
  if (o >= capEnd) return;
  const saveError = p.inErrorPacket;
  const saveColumns = p.wantColumns;
  p.inErrorPacket = true;
  p.wantColumns = false;
  if (buf[o] >> 4 === 6) dissectIPv6(p, buf, o, end);
  else dissectData(p, buf, o, end);
  p.inErrorPacket = saveError;
  p.wantColumns = saveColumns;
}

function echoTransaction(p: Packet, type: number, checksum: number, ident: number, seq: number, off: number): void {
  const t = p.tree;
  const matcher = p.session.protocolState('icmpv6.echo', () => new EchoMatcher('icmpv6.echo'));
  const key1 = ident * 65536 + seq;
  if (type === ECHO_REQUEST) {
    const [trans, seen] = matcher.request(p, checksum === 0xffff ? 0 : checksum, key1);
    if (!seen || !trans) return;
    if (trans.replyFrame) {
      t.add(F.respIn, off, 0, trans.replyFrame, GENERATED);
      if (p.wantColumns) p.appendInfo(` (reply in ${trans.replyFrame})`);
    } else if (p.netDst6 && p.netDst6[0] === 0xff) {
      if (p.wantColumns) p.appendInfo(' (multicast)');
    } else {
      const ni = t.add(F.noResp, off, 0, 0, GENERATED);
      if (t.full) t.setLabel(ni, '[No response seen]');
      t.open(ni);
      p.expert(
        'icmpv6',
        'icmpv6.resp_not_found',
        'warn',
        'sequence',
        `No response seen to ICMPv6 request in frame ${p.meta.number}`,
        off,
        0,
      );
      t.close();
      if (p.wantColumns) p.appendInfo(' (no response found!)');
    }
    return;
  }
  // The request's checksum differs by the type byte (129 -> 128).
  const trans = matcher.reply(p, checksumKey(checksum, 0x0100), key1);
  if (!trans) return;
  t.add(F.respTo, off, 0, trans.requestFrame, GENERATED);
  const ms = responseTimeMs(trans, p.meta.tsSec, p.meta.tsNsec);
  const ri = t.add(F.respTime, off, 0, ms, GENERATED);
  if (t.full) t.setLabel(ri, `[Response Time: ${ms.toFixed(3)} ms]`);
  if (p.wantColumns) p.appendInfo(` (request in ${trans.requestFrame})`);
}

function routerAdvertisement(p: Packet, buf: Uint8Array, o: number): void {
  const t = p.tree;
  t.add(F.raCurHopLimit, o, 1, buf[o]);
  const flags = buf[o + 1];
  const prf = (flags >> 3) & 3;
  const fi = t.add(F.raFlag, o + 1, 1, flags);
  if (t.full) {
    let s = `Flags: 0x${HEX2[flags]}`;
    if (flags & 0x80) s += ', Managed address configuration';
    if (flags & 0x40) s += ', Other configuration';
    if (flags & 0x20) s += ', Home Agent';
    s += `, Prf (Default Router Preference): ${ROUTER_PREFERENCES.get(prf)}`;
    if (flags & 0x04) s += ', Proxy';
    t.setLabel(fi, s);
  }
  t.open(fi);
  t.add(F.raFlagM, o + 1, 1, flags >> 7);
  t.add(F.raFlagO, o + 1, 1, (flags >> 6) & 1);
  t.add(F.raFlagH, o + 1, 1, (flags >> 5) & 1);
  t.add(F.raFlagPrf, o + 1, 1, prf);
  t.add(F.raFlagP, o + 1, 1, (flags >> 2) & 1);
  t.add(F.raFlagRsv, o + 1, 1, flags & 3);
  t.close();
  t.add(F.raRouterLifetime, o + 2, 2, u16(buf, o + 2));
  t.add(F.raReachableTime, o + 4, 4, u32(buf, o + 4));
  t.add(F.raRetransTimer, o + 8, 4, u32(buf, o + 8));
}

/** Neighbour discovery options (RFC 4861 4.6 and later), each "ICMPv6 Option (Name : value)". */
function ndOptions(p: Packet, buf: Uint8Array, o: number, end: number): void {
  const t = p.tree;
  const full = t.full;
  while (o < end) {
    if (p.short('ICMPv6', buf, o, 2, end)) return;
    const type = buf[o];
    const optLen = buf[o + 1] * 8;
    const name = OPTION_NAMES.get(type) ?? `Unknown ${type}`;
    const capEnd = Math.min(end, buf.length);
    const item = t.add(F.opt, o, Math.min(optLen, capEnd - o));
    let label = full ? `ICMPv6 Option (${name}` : '';
    t.open(item);
    const ti = t.add(F.optType, o, 1, type);
    if (full && !OPTION_NAMES.has(type)) t.setLabel(ti, `Type: Unknown (${type})`);
    const li = t.add(F.optLength, o + 1, 1, buf[o + 1]);
    if (full) t.setLabel(li, `Length: ${buf[o + 1]} (${optLen} bytes)`);
    if (optLen === 0) {
      t.open(li);
      p.expert(
        'icmpv6',
        'icmpv6.invalid_option_length',
        'error',
        'malformed',
        'Invalid option length (Zero)',
        o + 1,
        1,
      );
      t.close();
      t.close();
      t.setLabel(item, label);
      return;
    }
    if (p.short('ICMPv6', buf, o, optLen, end)) return;
    const d = o + 2;
    const optEnd = o + optLen;
    switch (type) {
      case 1:
      case 2:
        label += linkAddress(p, buf, d, optLen, type === 1);
        break;
      case 3:
        if (optLen >= 32) label += prefixInformation(p, buf, d);
        break;
      case 4:
        t.add(F.optReserved, d, 6);
        if (optLen > 8) {
          t.add(F.optRedirectedPacket, o + 8, optLen - 8);
          containedPacket(p, buf, o + 8, optEnd);
        }
        break;
      case 5:
        t.add(F.optReserved, d, 2);
        if (optLen >= 8) {
          t.add(F.optMtu, d + 2, 4, u32(buf, d + 2));
          if (full) label += ` : ${u32(buf, d + 2)}`;
        }
        break;
      case 7:
        t.add(F.optReserved, d, 2);
        if (optLen >= 8) {
          t.add(F.optAdvertisementInterval, d + 2, 4, u32(buf, d + 2));
          if (full) label += ` : ${u32(buf, d + 2)}`;
        }
        break;
      case 8:
        t.add(F.optReserved, d, 2);
        if (optLen >= 8) {
          t.add(F.optHomeAgentPreference, d + 2, 2, u16(buf, d + 2));
          t.add(F.optHomeAgentLifetime, d + 4, 2, u16(buf, d + 4));
        }
        break;
      case 9:
      case 10:
        t.add(F.optReserved, d, 6);
        for (let a = o + 8; a + 16 <= optEnd; a += 16) {
          t.add(F.optIpv6Address, a, 16);
          if (full) label += ` ${formatIPv6(buf, a)}`;
        }
        break;
      case 14:
        t.add(F.optNonce, d, optLen - 2);
        break;
      case 24:
        label += routeInformation(p, buf, d, optLen);
        break;
      case 25:
        t.add(F.optReserved, d, 2);
        if (optLen >= 8) t.add(F.optRdnssLifetime, d + 2, 4, u32(buf, d + 2));
        for (let a = o + 8; a + 16 <= optEnd; a += 16) {
          t.add(F.optRdnss, a, 16);
          if (full) label += ` ${formatIPv6(buf, a)}`;
        }
        break;
      case 31:
        t.add(F.optReserved, d, 2);
        if (optLen >= 8) t.add(F.optDnsslLifetime, d + 2, 4, u32(buf, d + 2));
        label += domainNames(p, buf, o + 8, optEnd);
        break;
      default:
        t.open(ti);
        p.expert(
          'icmpv6',
          'icmpv6.undecoded.option',
          'note',
          'undecoded',
          `Dissector for ICMPv6 Option (${type}) code not implemented, Contact Wireshark developers if you want this supported`,
          o,
          1,
        );
        t.close();
        if (optLen > 2) t.add(F.data, d, optLen - 2);
    }
    t.close();
    t.setLabel(item, label + ')');
    o = optEnd;
  }
}

/** Source or target link-layer address: " : xx:xx:..." for a MAC (the Info gets " from"/" is at"). */
function linkAddress(p: Packet, buf: Uint8Array, d: number, optLen: number, source: boolean): string {
  const t = p.tree;
  if (optLen !== 8) return '';
  t.add(F.optLinkaddr, d, 6);
  t.add(source ? F.optSrcLinkaddr : F.optTargetLinkaddr, d, 6, 0, HIDDEN);
  if (!p.wantColumns && !t.full) return '';
  const mac = formatMac(buf, d);
  if (p.wantColumns) p.appendInfo(source ? ` from ${mac}` : ` is at ${mac}`);
  return ` : ${mac}`;
}

function prefixInformation(p: Packet, buf: Uint8Array, d: number): string {
  const t = p.tree;
  const prefixLength = buf[d];
  t.add(F.optPrefixLength, d, 1, prefixLength);
  const flags = buf[d + 1];
  const fi = t.add(F.optPrefixFlag, d + 1, 1, flags);
  if (t.full) {
    let s = `Flag: 0x${HEX2[flags]}`;
    if (flags & 0x80) s += ', On-link flag(L)';
    if (flags & 0x40) s += ', Autonomous address-configuration flag(A)';
    if (flags & 0x20) s += ', Router address flag(R)';
    t.setLabel(fi, s);
  }
  t.open(fi);
  t.add(F.optPrefixFlagL, d + 1, 1, flags >> 7);
  t.add(F.optPrefixFlagA, d + 1, 1, (flags >> 6) & 1);
  t.add(F.optPrefixFlagR, d + 1, 1, (flags >> 5) & 1);
  t.add(F.optPrefixFlagReserved, d + 1, 1, flags & 0x1f);
  t.close();
  t.add(F.optPrefixValidLifetime, d + 2, 4, u32(buf, d + 2));
  t.add(F.optPrefixPreferredLifetime, d + 6, 4, u32(buf, d + 6));
  t.add(F.optReserved, d + 10, 4);
  t.add(F.optPrefix, d + 14, 16);
  return t.full ? ` : ${formatIPv6(buf, d + 14)}/${prefixLength}` : '';
}

/** RFC 4191 route information: the prefix is 0, 8 or 16 bytes (option length 1, 2 or 3). */
function routeInformation(p: Packet, buf: Uint8Array, d: number, optLen: number): string {
  const t = p.tree;
  if (optLen < 8) return '';
  const prefixLength = buf[d];
  t.add(F.optPrefixLength, d, 1, prefixLength);
  const flags = buf[d + 1];
  const preference = (flags >> 3) & 3;
  const fi = t.add(F.optRouteInfoFlag, d + 1, 1, flags);
  if (t.full) t.setLabel(fi, `Flag: 0x${HEX2[flags]}, Route Preference: ${ROUTER_PREFERENCES.get(preference)}`);
  t.open(fi);
  t.add(F.optRouteInfoPreference, d + 1, 1, preference);
  const ri = t.add(F.optRouteInfoReserved, d + 1, 1, flags & 0xe7);
  if (t.full) t.setLabel(ri, maskLabel(flags, 0xe7, 8, 'Reserved', String(flags & 0xe7)));
  t.close();
  t.add(F.optRouteLifetime, d + 2, 4, u32(buf, d + 2));
  const prefixBytes = optLen - 8;
  if (prefixBytes <= 0) return t.full ? ` : ${ROUTER_PREFERENCES.get(preference)} ::/${prefixLength}` : '';
  // A shorter prefix is padded with zeros to a full address; its value is not in the bytes, so
  // it is shown as text (the registry's IPv6 values are read from the item's bytes).
  let text = '';
  if (prefixBytes >= 16) {
    t.add(F.optPrefix, d + 6, 16);
    if (t.full) text = formatIPv6(buf, d + 6);
  } else if (t.full) {
    const address = new Uint8Array(16);
    address.set(buf.subarray(d + 6, d + 6 + prefixBytes));
    text = formatIPv6(address, 0);
    t.addText(d + 6, prefixBytes, `Prefix: ${text}`);
  }
  return t.full ? ` : ${ROUTER_PREFERENCES.get(preference)} ${text}/${prefixLength}` : '';
}

/** RFC 8106 DNS search list: domain names in DNS wire format, then zero padding. */
function domainNames(p: Packet, buf: Uint8Array, o: number, end: number): string {
  const t = p.tree;
  let label = '';
  while (o < end && buf[o] !== 0) {
    const start = o;
    let name = '';
    while (o < end && buf[o] !== 0) {
      const n = buf[o];
      if (o + 1 + n > end) return label;
      let part = '';
      for (let i = 0; i < n; i++) part += String.fromCharCode(buf[o + 1 + i]);
      name += (name ? '.' : '') + part;
      o += 1 + n;
    }
    if (o < end) o++;
    t.addValue(F.optDnssl, start, o - start, name);
    label += ` ${name}`;
  }
  if (o < end) t.add(F.optPadding, o, end - o);
  return label;
}

/** MLDv1 (RFC 2710) or, for a long enough query, MLDv2 (RFC 3810 5.1). */
function mld(p: Packet, buf: Uint8Array, o: number, end: number, v2: boolean): void {
  const t = p.tree;
  if (p.short('ICMPv6', buf, o, 20, end)) return;
  if (v2) {
    // The Maximum Response Code's floating-point form (RFC 3810 5.1.3).
    let mrc = u16(buf, o);
    if (mrc >= 32768) mrc = ((mrc & 0x0fff) | 0x1000) * 2 ** (((mrc & 0x7000) >> 12) + 3);
    t.add(F.mldMaxResponseCode, o, 2, mrc);
  } else t.add(F.mldMaxResponseDelay, o, 2, u16(buf, o));
  t.add(F.reserved, o + 2, 2);
  t.add(F.mldMulticastAddress, o + 4, 16);
  if (!v2) return;
  if (p.short('ICMPv6', buf, o + 20, 4, end)) return;
  const flags = buf[o + 20];
  const fi = t.add(F.mldFlag, o + 20, 1, flags);
  if (t.full) t.setLabel(fi, `Flags: 0x${HEX2[flags]}${flags & 0x08 ? ', Suppress Router-Side Processing' : ''}`);
  t.open(fi);
  t.add(F.mldFlagS, o + 20, 1, (flags >> 3) & 1);
  t.add(F.mldFlagQrv, o + 20, 1, flags & 7);
  t.add(F.mldFlagReserved, o + 20, 1, flags >> 4);
  t.close();
  let qqi = buf[o + 21];
  if (qqi >= 128) qqi = ((qqi & 0x0f) | 0x10) << (((qqi & 0x70) >> 4) + 3);
  t.add(F.mldQqi, o + 21, 1, qqi);
  const count = u16(buf, o + 22);
  t.add(F.mldNbSources, o + 22, 2, count);
  for (let i = 0, a = o + 24; i < count; i++, a += 16) {
    if (p.short('ICMPv6', buf, a, 16, end)) return;
    t.add(F.mldSourceAddress, a, 16);
  }
}

/** MLDv2 report (RFC 3810 5.2): multicast address records. */
function mldv2Report(p: Packet, buf: Uint8Array, o: number, end: number): void {
  const t = p.tree;
  if (p.short('ICMPv6', buf, o, 4, end)) return;
  t.add(F.reserved, o, 2);
  const count = u16(buf, o + 2);
  t.add(F.mldrNbMcastRecords, o + 2, 2, count);
  let r = o + 4;
  for (let i = 0; i < count; i++) {
    if (p.short('ICMPv6', buf, r, 20, end)) return;
    const recordType = buf[r];
    const auxLength = buf[r + 1] * 4;
    const sources = u16(buf, r + 2);
    const length = 20 + sources * 16 + auxLength;
    const capEnd = Math.min(end, buf.length);
    const item = t.add(F.mldrMar, r, Math.min(length, capEnd - r));
    if (t.full)
      t.setLabel(
        item,
        `Multicast Address Record ${RECORD_TYPES.get(recordType) ?? 'Unknown'}: ${formatIPv6(buf, r + 4)}`,
      );
    t.open(item);
    t.add(F.mldrRecordType, r, 1, recordType);
    t.add(F.mldrAuxDataLen, r + 1, 1, buf[r + 1]);
    t.add(F.mldrNbSources, r + 2, 2, sources);
    t.add(F.mldrMulticastAddress, r + 4, 16);
    let a = r + 20;
    for (let k = 0; k < sources; k++, a += 16) {
      if (p.short('ICMPv6', buf, a, 16, end)) return;
      t.add(F.mldrSourceAddress, a, 16);
    }
    if (auxLength) {
      if (p.short('ICMPv6', buf, a, auxLength, end)) return;
      t.add(F.mldrAuxiliaryData, a, auxLength);
    }
    t.close();
    r += length;
  }
}

ipProtoTable.add(58, dissectIcmpv6);
