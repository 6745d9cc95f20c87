// Dissector tables: how a layer hands its payload to the next one, by a number it carries
// (link type, ethertype, IP protocol, port) as in Wireshark's dissector tables. Each protocol
// file registers itself here with one line; lower layers look the next dissector up.

import type { Packet } from './packet.js';

/**
 * A dissector reads `buf` from `off`; `end` is where its data ends according to the layer below
 * (the reported length). The captured bytes stop at min(end, buf.length): anything needed
 * beyond that is truncation (Packet.truncated), anything beyond `end` is malformation.
 * A dissector never throws: it marks the packet and returns. It may return the reported end of
 * what it used when that is less than `end` (IP's total length inside a padded Ethernet frame),
 * so the layer below can show the rest as a trailer.
 */
export type Dissector = (p: Packet, buf: Uint8Array, off: number, end: number) => number | void;

export class DissectorTable {
  private readonly entries = new Map<number, Dissector>();
  constructor(
    readonly name: string,
    readonly description: string,
  ) {}

  add(key: number, dissector: Dissector): void {
    this.entries.set(key, dissector);
  }

  get(key: number): Dissector | undefined {
    return this.entries.get(key);
  }

  keys(): number[] {
    return [...this.entries.keys()];
  }
}

/** Link types (LINKTYPE_* values, as stored in pcap and pcapng). */
export const linkTypeTable = new DissectorTable('wtap_encap', 'Link type');
/** EtherType values (Ethernet, VLAN, SLL protocol field). */
export const ethertypeTable = new DissectorTable('ethertype', 'Ethertype');
/** IP protocol numbers (IPv4 protocol, IPv6 next header). */
export const ipProtoTable = new DissectorTable('ip.proto', 'IP protocol');
/** TCP ports. */
export const tcpPortTable = new DissectorTable('tcp.port', 'TCP port');
/** UDP ports. */
export const udpPortTable = new DissectorTable('udp.port', 'UDP port');
/** PPP protocol numbers. */
export const pppProtoTable = new DissectorTable('ppp.protocol', 'PPP protocol');
/** BSD loopback address families (null/loop link types). */
export const nullFamilyTable = new DissectorTable('null.type', 'BSD AF_ value');
