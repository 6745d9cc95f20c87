// What every statistic (-z) is: it names the tree fields it reads, takes every dissected packet in
// order, and prints its table at the end of the capture as tshark does.

import type { Packet } from '../../dissect/packet.js';

export interface Statistic {
  /** Tree fields the statistic reads (the dissection must keep them). */
  fields(): string[];
  /** Takes one packet; `firstTime` is the first frame's time (seconds, nanoseconds). */
  add(p: Packet, firstTime: readonly [number, number]): void;
  /** The statistic as tshark prints it. */
  text(): string;
}

/** Seconds since the capture's first frame as a double, as Wireshark's nstime_to_sec(rel_ts). */
export function relativeSeconds(p: Packet, firstTime: readonly [number, number]): number {
  let sec = p.meta.tsSec - firstTime[0];
  let nsec = p.meta.tsNsec - firstTime[1];
  // nstime_delta keeps seconds and nanoseconds of the same sign.
  if (sec > 0 && nsec < 0) {
    sec--;
    nsec += 1e9;
  } else if (sec < 0 && nsec > 0) {
    sec++;
    nsec -= 1e9;
  }
  return sec + nsec / 1e9;
}

/** Rows by a total, largest first, keeping the order of appearance among equals (tshark's draw loops). */
export function byTotalDescending<T>(rows: readonly T[], total: (row: T) => number): T[] {
  return rows
    .map((row, i) => ({ row, i, total: total(row) }))
    .sort((x, y) => y.total - x.total || x.i - y.i)
    .map((x) => x.row);
}
