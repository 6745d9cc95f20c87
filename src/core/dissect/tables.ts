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

/**
 * Returned by a dissector in a port or media-type table that looks at the data and finds it is
 * not its protocol (Wireshark's "new-style" dissectors returning 0): the caller tries the next
 * candidate (the other port, the heuristics, then data). It must not have added anything yet.
 */
export const NOT_MINE = -1;

/**
 * A heuristic dissector: it looks at the data and returns false when it is not its protocol
 * (having added nothing), else it dissects it and returns true.
 */
export type HeuristicDissector = (p: Packet, buf: Uint8Array, off: number, end: number) => boolean;

/**
 * Dissectors whose data holds whole frames or lower layers again (sFlow's sampled headers, a
 * tunnel): their inner Ethernet, IP, TCP ... fields are lower-layer fields too, so TCP and UDP
 * hand their payload on when such a dissector is registered on one of the ports, even when the
 * consumer needs no application data (Packet.payloads false).
 */
export const carriesFrames = new Set<Dissector>();

/** Whether a dissector that carries frames is registered in `table` for either port. */
export function carrierOnPorts(table: DissectorTable, a: number, b: number): boolean {
  if (carriesFrames.size === 0) return false;
  const da = table.get(a);
  const db = table.get(b);
  return (da !== undefined && carriesFrames.has(da)) || (db !== undefined && carriesFrames.has(db));
}

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

/**
 * Heuristic dissectors of one parent (Wireshark's heur_dissector_list), tried in the order they
 * were added, after the port tables found nothing (tshark's default "try heuristic first" off).
 */
export class HeuristicTable {
  private readonly entries: { name: string; dissector: HeuristicDissector }[] = [];
  constructor(readonly name: string) {}

  /** Adds a heuristic; `name` is Wireshark's short name for it (e.g. "http_tcp"). */
  add(name: string, dissector: HeuristicDissector): void {
    this.entries.push({ name, dissector });
  }

  /** Tries each heuristic in turn; true when one took the data. */
  try(p: Packet, buf: Uint8Array, off: number, end: number): boolean {
    for (const e of this.entries) if (e.dissector(p, buf, off, end)) return true;
    return false;
  }
}

/** A dissector table keyed by a string (media types, as Wireshark's "media_type" table). */
export class StringDissectorTable {
  private readonly entries = new Map<string, Dissector>();
  constructor(
    readonly name: string,
    readonly description: string,
  ) {}

  add(key: string, dissector: Dissector): void {
    this.entries.set(key.toLowerCase(), dissector);
  }

  get(key: string): Dissector | undefined {
    return this.entries.get(key.toLowerCase());
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
/** Heuristic dissectors for TCP payload (tried after the port table). */
export const tcpHeuristics = new HeuristicTable('tcp');
/** Heuristic dissectors for UDP payload (tried after the port table). */
export const udpHeuristics = new HeuristicTable('udp');
/**
 * Media types (lower-case, without parameters: "application/json") for message bodies (HTTP,
 * multipart), as Wireshark's "media_type" table.
 */
export const mediaTypeTable = new StringDissectorTable('media_type', 'Internet media type');
