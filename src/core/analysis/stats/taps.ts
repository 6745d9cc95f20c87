// What tshark's conversation and endpoint taps see of a packet: for each Ethernet or IP layer its
// two addresses, for TCP and UDP the addresses and ports of the segment (and tcp.stream), each as
// text. Ethernet and IP are read from the tree, one event per occurrence (a tunnel fires twice, as
// each header queues its own tap in Wireshark); TCP and UDP from the packet's transport state.

import { fieldByAbbrev } from '../../dissect/fields.js';
import type { Packet } from '../../dissect/packet.js';
import { formatIPv4, formatIPv6, formatMac } from '../../dissect/bytes.js';
import { itemBytes } from '../../output/format.js';

export type TapKind = 'eth' | 'ip' | 'ipv6' | 'tcp' | 'udp';

/** One tap event: a layer's source and destination (ports -1 for eth and ip; stream -1 unless TCP). */
export interface TapEvent {
  src: string;
  dst: string;
  srcPort: number;
  dstPort: number;
  stream: number;
}

function fieldId(abbrev: string): number {
  const f = fieldByAbbrev(abbrev);
  if (!f) throw new Error(`statistics need the field ${abbrev}`);
  return f.id;
}

const PAIRS: Record<'eth' | 'ip' | 'ipv6', readonly [string, string]> = {
  eth: ['eth.src', 'eth.dst'],
  ip: ['ip.src', 'ip.dst'],
  ipv6: ['ipv6.src', 'ipv6.dst'],
};

/** The tree fields a tap of `kind` reads (the dissection must keep them). */
export function tapFields(kind: TapKind): string[] {
  if (kind === 'tcp') return ['tcp.stream'];
  if (kind === 'udp') return ['udp.srcport'];
  return [...PAIRS[kind]];
}

/** The tap events of `kind` in packet p, in the order Wireshark's dissectors queue them. */
export function tapEvents(p: Packet, kind: TapKind): TapEvent[] {
  if (kind === 'tcp' || kind === 'udp') {
    const event = transportEvent(p, kind);
    return event ? [event] : [];
  }
  const [srcAbbrev, dstAbbrev] = PAIRS[kind];
  const srcId = fieldId(srcAbbrev);
  const dstId = fieldId(dstAbbrev);
  const t = p.tree;
  const events: TapEvent[] = [];
  // Ethernet adds the destination first, IP the source: a layer's event is complete with both.
  let src: string | undefined;
  let dst: string | undefined;
  for (let i = 0; i < t.count; i++) {
    const f = t.field[i];
    if (f === srcId) src = addressText(p, i, kind);
    else if (f === dstId) dst = addressText(p, i, kind);
    else continue;
    if (src !== undefined && dst !== undefined) {
      events.push({ src, dst, srcPort: -1, dstPort: -1, stream: -1 });
      src = dst = undefined;
    }
  }
  return events;
}

function addressText(p: Packet, i: number, kind: 'eth' | 'ip' | 'ipv6'): string {
  const t = p.tree;
  if (kind === 'ip') return formatIPv4(t.num[i]);
  const bytes = itemBytes(p, i);
  return kind === 'eth' ? formatMac(bytes, t.start[i]) : formatIPv6(bytes, t.start[i]);
}

/** The network addresses of the packet's transport layer as text, or undefined. */
export function networkAddresses(p: Packet): [string, string] | undefined {
  if (p.netType === 4) return [formatIPv4(p.netSrc4), formatIPv4(p.netDst4)];
  if (p.netType === 6 && p.netSrc6 && p.netDst6) return [formatIPv6(p.netSrc6, 0), formatIPv6(p.netDst6, 0)];
  return undefined;
}

function transportEvent(p: Packet, kind: 'tcp' | 'udp'): TapEvent | undefined {
  if (p.ipProto !== (kind === 'tcp' ? 6 : 17) || p.srcPort < 0) return undefined;
  if (!transportHeaderWhole(p, kind)) return undefined;
  let stream = -1;
  if (kind === 'tcp') {
    // Wireshark queues the TCP tap once the header is whole; tcp.stream is set exactly then.
    const i = p.tree.find(fieldId('tcp.stream'));
    if (i < 0) return undefined;
    stream = p.tree.num[i];
  } else if (p.tree.find(fieldId('udp.srcport')) < 0) return undefined;
  const addresses = networkAddresses(p);
  if (!addresses) return undefined;
  return { src: addresses[0], dst: addresses[1], srcPort: p.srcPort, dstPort: p.dstPort, stream };
}

/** False when the packet's TCP or UDP header was cut short or malformed (Wireshark stops before its taps). */
export function transportHeaderWhole(p: Packet, kind: 'tcp' | 'udp'): boolean {
  return p.malformedCount + p.truncatedCount === 0 || p.layers[p.layerCount - 1] !== kind;
}
