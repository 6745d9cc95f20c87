// Sorting the packet list in the worker: a permutation of the shown packets by one column, made
// with typed arrays (numeric keys, ranks of interned strings, a numeric prefix of the Info text)
// so that a million rows sort in well under a second and the page never waits on it.

import type { ColumnKey } from '../protocol.js';
import type { PacketStore } from './packet-store.js';

/** Ranks of the interned strings in text order, so comparing two ids is comparing two numbers. */
function stringRanks(s: PacketStore): Uint32Array {
  const texts = s.strings.texts;
  const order = texts.map((_, i) => i).sort((a, b) => (texts[a] < texts[b] ? -1 : texts[a] > texts[b] ? 1 : 0));
  const ranks = new Uint32Array(texts.length);
  order.forEach((id, rank) => (ranks[id] = rank));
  return ranks;
}

/** The first 6 bytes of packet i's Info text as a number: byte order is text order for UTF-8. */
function infoPrefix(s: PacketStore, i: number): number {
  const bytes = s.infoBytes;
  const start = s.infoStart(i);
  const end = s.infoEnd[i];
  let key = 0;
  for (let k = 0; k < 6; k++) key = key * 257 + (start + k < end ? bytes[start + k] + 1 : 0);
  return key;
}

function compareInfo(s: PacketStore, a: number, b: number): number {
  const bytes = s.infoBytes;
  let i = s.infoStart(a);
  let j = s.infoStart(b);
  const ea = s.infoEnd[a];
  const eb = s.infoEnd[b];
  while (i < ea && j < eb) {
    const d = bytes[i++] - bytes[j++];
    if (d !== 0) return d;
  }
  return ea - i - (eb - j);
}

/**
 * The packets of `shown` (all packets when null) ordered by `column`; equal keys keep packet
 * order, and descending order reverses the comparison of keys only (as Wireshark does).
 */
export function sortView(
  s: PacketStore,
  shown: Uint32Array | null,
  column: ColumnKey,
  ascending: boolean,
): Uint32Array {
  const n = shown === null ? s.count : shown.length;
  const order = new Uint32Array(n);
  if (shown === null) for (let k = 0; k < n; k++) order[k] = k;
  else order.set(shown);
  const sign = ascending ? 1 : -1;
  if (column === 'no') {
    if (!ascending) order.reverse();
    return order;
  }
  // One key per packet index (sparse for a filtered view, which is fine: only read at shown ones).
  const key = new Float64Array(s.count);
  if (column === 'time') {
    const sec0 = s.tsSec[0];
    for (let k = 0; k < n; k++) {
      const i = order[k];
      key[i] = (s.tsSec[i] - sec0) * 1e9 + s.tsNsec[i];
    }
  } else if (column === 'length') {
    for (let k = 0; k < n; k++) key[order[k]] = s.origLen[order[k]];
  } else if (column === 'info') {
    for (let k = 0; k < n; k++) key[order[k]] = infoPrefix(s, order[k]);
    return order.sort((a, b) => sign * (key[a] - key[b] || compareInfo(s, a, b)) || a - b);
  } else {
    const ranks = stringRanks(s);
    const ids = column === 'source' ? s.source : column === 'destination' ? s.destination : s.protocol;
    for (let k = 0; k < n; k++) key[order[k]] = ranks[ids[order[k]]];
  }
  return order.sort((a, b) => sign * (key[a] - key[b]) || a - b);
}
