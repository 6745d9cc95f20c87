// Messages between the capture worker (the coordinator, which reads the capture and keeps the
// packet-list index) and its shards (which do every dissection of the packets given to them: the
// load pass, filters and the details of one packet). Every shard gets every block of capture
// bytes (shared memory where the page allows it, so one copy for all), and index jobs that say
// where its packets are in those blocks.

import type { DataSourceBytes, TreeItem } from '../protocol.js';

/** Numbers per frame in an index job's `meta`. */
export const META_FIELDS = 17;
/** Offsets in a frame's `meta` record. */
export const M = {
  index: 0,
  /** The block the frame's bytes are in (blocks are numbered in the order they were sent). */
  block: 1,
  offset: 2,
  capLen: 3,
  origLen: 4,
  tsSec: 5,
  tsNsec: 6,
  linkType: 7,
  interfaceId: 8,
  hasTimestamp: 9,
  tsPrecision: 10,
  prevSec: 11,
  prevNsec: 12,
  /** pcapng epb_flags and epb_dropcount; -1 when the record has none. */
  packetFlags: 13,
  dropCount: 14,
  /** pcapng section number (-1: a pcap record) and the interface's name (index in the job's `names`, -1: none). */
  section: 15,
  interfaceName: 16,
} as const;

export type ToShard =
  /** The first message: how to index (see Indexer's firstPassRecords). */
  | { type: 'start'; firstPassRecords: boolean }
  /** About how many packets this shard will get (so its columns are not copied as they grow). */
  | { type: 'reserve'; packets: number }
  /** Capture bytes: the next block (shared memory, or a copy for each shard). */
  | { type: 'block'; bytes: Uint8Array }
  | {
      type: 'index';
      job: number;
      /** A record of META_FIELDS numbers per frame: where its bytes are, its times and lengths. */
      meta: Float64Array;
      comments: [number, string[]][];
      /** Interface names the records point to. */
      names: string[];
      firstSec: number;
      firstNsec: number;
    }
  /** The capture is read: drop spare capacity. */
  | { type: 'loaded' }
  | { type: 'filter'; id: number; text: string }
  /** `stream`, `udpStream`: the packet's tcp.stream and udp.stream in the whole capture (-1: none). */
  | {
      type: 'details';
      id: number;
      index: number;
      stream: number;
      udpStream: number;
      /** Time of the previous displayed packet under the page's filter (NaN: none). */
      prevDisplayedSec: number;
      prevDisplayedNsec: number;
    };

export type FromShard =
  | {
      type: 'indexed';
      job: number;
      shard: number;
      /** Strings the shard interned since its previous answer, in id order. */
      strings: string[];
      protocol: Uint32Array;
      source: Uint32Array;
      destination: Uint32Array;
      info: Uint8Array;
      /** End of each frame's Info in `info`. */
      infoEnd: Uint32Array;
      colour: Uint8Array;
      /** The shard's own stream numbers (-1: none); the coordinator renumbers them. */
      stream: Int32Array;
      /** The same for udp.stream. */
      udpStream: Int32Array;
      ms: number;
    }
  | { type: 'filtered'; id: number; shard: number; matches: Uint32Array; error?: string }
  | { type: 'details'; id: number; items: TreeItem[]; sources: DataSourceBytes[] }
  | { type: 'failed'; message: string };
