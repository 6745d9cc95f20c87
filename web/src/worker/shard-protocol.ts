// Messages between the capture worker (the coordinator, which reads the capture and keeps the
// packet-list index) and its shards (which keep the bytes of the packets given to them and do
// every dissection of those packets: the load pass, filters and the details of one packet).

import type { DataSourceBytes, TreeItem } from '../protocol.js';

/** Numbers per frame in an index job's `meta`. */
export const META_FIELDS = 12;
/** Offsets in a frame's `meta` record. */
export const M = {
  index: 0,
  offset: 1,
  capLen: 2,
  origLen: 3,
  tsSec: 4,
  tsNsec: 5,
  linkType: 6,
  interfaceId: 7,
  hasTimestamp: 8,
  tsPrecision: 9,
  prevSec: 10,
  prevNsec: 11,
} as const;

export type ToShard =
  /** The first message: how to index (see Indexer's firstPassRecords). */
  | { type: 'start'; firstPassRecords: boolean }
  | {
      type: 'index';
      job: number;
      /** The frames' bytes, one after the other; `meta` says where each is. */
      bytes: Uint8Array;
      meta: Float64Array;
      comments: [number, string[]][];
      firstSec: number;
      firstNsec: number;
    }
  /** The capture is read: drop spare capacity. */
  | { type: 'loaded' }
  | { type: 'filter'; id: number; text: string }
  | { type: 'details'; id: number; index: number; stream: number };

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
      ms: number;
    }
  | { type: 'filtered'; id: number; shard: number; matches: Uint32Array; error?: string }
  | { type: 'details'; id: number; items: TreeItem[]; sources: DataSourceBytes[] }
  | { type: 'failed'; message: string };
