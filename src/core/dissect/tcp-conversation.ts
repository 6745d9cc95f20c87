// The key of the TCP conversation a segment belongs to, for protocols above TCP that keep state
// per connection (Wireshark's find_or_create_conversation): the tcp.stream index when the stream
// analysis placed the segment, else the two endpoints in a canonical order.

import { currentTcpStream } from '../analysis/tcp.js';
import type { Packet } from './packet.js';

/** A number (the stream index) or a string made of both endpoints, the same in both directions. */
export function tcpConversationKey(p: Packet): number | string {
  const stream = currentTcpStream();
  if (stream >= 0) return stream;
  const a = `${endpointAddress(p, true)}:${p.srcPort}`;
  const b = `${endpointAddress(p, false)}:${p.dstPort}`;
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

function endpointAddress(p: Packet, source: boolean): string {
  if (p.netType === 4) return String(source ? p.netSrc4 : p.netDst4);
  const a = source ? p.netSrc6 : p.netDst6;
  return a === undefined ? '' : a.join('.');
}

/**
 * A map of per-conversation state with a bound: past `limit` entries the oldest conversation is
 * forgotten, so a capture with millions of connections cannot grow it without end.
 */
export class ConversationTable<T> {
  private readonly entries = new Map<number | string, T>();
  constructor(private readonly limit = 65536) {}

  get(key: number | string): T | undefined {
    return this.entries.get(key);
  }

  getOrAdd(key: number | string, make: () => T): T {
    let v = this.entries.get(key);
    if (v === undefined) {
      v = make();
      if (this.entries.size >= this.limit) {
        const oldest = this.entries.keys().next();
        if (!oldest.done) this.entries.delete(oldest.value);
      }
      this.entries.set(key, v);
    }
    return v;
  }

  get size(): number {
    return this.entries.size;
  }
}
