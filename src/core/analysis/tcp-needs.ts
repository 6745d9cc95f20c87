// Whether a consumer needs the TCP stream analysis. tshark always runs it; synack skips it when
// every field asked for reads the same with or without it (header fields below TCP's sequence
// analysis), no column is built and no full tree is wanted: then the analysis would be pure cost.
// tcp-needs.test.ts checks on the shared captures that these fields are indeed unaffected.

import { fieldById } from '../dissect/fields.js';

/**
 * Protocols whose fields never depend on the TCP analysis: the link and network layers, ICMP
 * and UDP (also those below TCP and UDP's payload: see dissect/payload-needs.ts).
 */
export const INDEPENDENT_PROTOCOLS: ReadonlySet<string> = new Set([
  'frame',
  'eth',
  'vlan',
  'ieee8021ad',
  'sll',
  'null',
  'ppp',
  'pppoe',
  'pppoes',
  'llc',
  'stp',
  'arp',
  'ip',
  'ipv6',
  'icmp',
  'icmpv6',
  'udp',
]);

/** Fields of the UDP conversation analysis, which runs with the TCP one (see udp.ts). */
const CONVERSATION_FIELDS = new Set(['udp.stream', 'udp.time_relative', 'udp.time_delta']);

/**
 * TCP header fields read straight from the segment (not relative, scaled or stream-dependent).
 * The AE/CWR/ECE bits are left out: after an AccECN handshake they are shown as the ACE counter.
 */
export const TCP_HEADER_FIELDS = new Set([
  'tcp',
  'tcp.srcport',
  'tcp.dstport',
  'tcp.port',
  'tcp.seq_raw',
  'tcp.ack_raw',
  'tcp.hdr_len',
  'tcp.flags',
  'tcp.flags.res',
  'tcp.flags.urg',
  'tcp.flags.ack',
  'tcp.flags.push',
  'tcp.flags.reset',
  'tcp.flags.syn',
  'tcp.flags.fin',
  'tcp.window_size_value',
  'tcp.checksum',
  'tcp.urgent_pointer',
  'tcp.len',
  'tcp.options.mss_val',
  'tcp.options.wscale.shift',
  'tcp.options.wscale.multiplier',
  'tcp.options.timestamp.tsval',
  'tcp.options.timestamp.tsecr',
  'tcp.options.sack_perm',
]);

/** True unless every wanted field is independent of the analysis and nothing else is built. */
export function needsTcpAnalysis(wanted: Iterable<number>, options: { full: boolean; columns: boolean }): boolean {
  if (options.full || options.columns) return true;
  for (const id of wanted) {
    const f = fieldById(id);
    if (f.abbrev === 'frame.protocols' || CONVERSATION_FIELDS.has(f.abbrev)) return true;
    if (INDEPENDENT_PROTOCOLS.has(f.protocol)) continue;
    if (!TCP_HEADER_FIELDS.has(f.abbrev)) return true;
  }
  return false;
}
