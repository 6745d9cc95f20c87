// Matching of ICMP and ICMPv6 echo requests with their replies, as Wireshark's ICMP
// transactions do: per pair of addresses, keyed by identifier, sequence number and the
// checksum the reply must carry (same payload). What each frame turned out to be is kept by
// frame number, so a frame dissected again (a second pass, or the web UI opening one packet)
// can say "(reply in N)" or "(no response found!)" as tshark's second pass does.

import type { Packet } from './packet.js';

export interface EchoTransaction {
  requestFrame: number;
  requestSec: number;
  requestNsec: number;
  /** 0 until a reply is seen. */
  replyFrame: number;
}

interface Pending {
  /** The two addresses, in a canonical order (IPv4 as numbers, IPv6 as 16-byte copies). */
  a4: number;
  b4: number;
  a6: Uint8Array | undefined;
  b6: Uint8Array | undefined;
  trans: EchoTransaction;
}

/** Frames remembered at most (a ping flood must not grow memory without bound). */
const MAX_FRAMES = 1 << 20;

export class EchoMatcher {
  /** `name`: the Session.protocolState key the matcher is kept under (to find the first pass's). */
  constructor(readonly name: string) {}

  private readonly pending = new Map<number, Pending[]>();
  /** Echo frames seen: their transaction, or null for a reply that matched nothing. */
  private readonly byFrame = new Map<number, EchoTransaction | null>();

  /**
   * An echo request in the current packet. Returns its transaction, and whether the frame was
   * seen before (only then is "no response" known).
   */
  request(p: Packet, key0: number, key1: number): [EchoTransaction | null, boolean] {
    const frame = p.meta.number;
    if (this.byFrame.has(frame)) return [this.byFrame.get(frame) ?? null, true];
    const trans: EchoTransaction = {
      requestFrame: frame,
      requestSec: p.meta.tsSec,
      requestNsec: p.meta.tsNsec,
      replyFrame: 0,
    };
    const entry = this.entry(p, trans);
    const key = key1 * 65536 + key0;
    const list = this.pending.get(key);
    if (!list) this.pending.set(key, [entry]);
    else {
      // A new request with the same key replaces the older one, as in Wireshark's table.
      const i = list.findIndex((e) => sameAddresses(e, entry));
      if (i >= 0) list[i] = entry;
      else list.push(entry);
    }
    this.remember(frame, trans);
    // In the output pass of -2, the first pass knows whether (and where) it was answered.
    const first = p.session.firstPass?.protocolState(this.name, () => new EchoMatcher(this.name));
    const earlier = first?.byFrame.get(frame);
    if (earlier) return [earlier, true];
    return [trans, false];
  }

  /** An echo reply in the current packet: the request's transaction, if one matches. */
  reply(p: Packet, key0: number, key1: number): EchoTransaction | null {
    const frame = p.meta.number;
    if (this.byFrame.has(frame)) return this.byFrame.get(frame) ?? null;
    const probe = this.entry(p, undefined);
    const key = key1 * 65536 + key0;
    const list = this.pending.get(key);
    const i = list ? list.findIndex((e) => sameAddresses(e, probe)) : -1;
    let trans: EchoTransaction | null = null;
    if (list && i >= 0) {
      trans = list[i].trans;
      trans.replyFrame = frame;
      // Answered: a second reply matches nothing, as in Wireshark ("already seen").
      list.splice(i, 1);
      if (list.length === 0) this.pending.delete(key);
    }
    this.remember(frame, trans);
    return trans;
  }

  private entry(p: Packet, trans: EchoTransaction | undefined): Pending {
    const e: Pending = { a4: 0, b4: 0, a6: undefined, b6: undefined, trans: trans as EchoTransaction };
    if (p.netType === 6 && p.netSrc6 && p.netDst6) {
      const swap = compareBytes(p.netSrc6, p.netDst6) > 0;
      e.a6 = (swap ? p.netDst6 : p.netSrc6).slice();
      e.b6 = (swap ? p.netSrc6 : p.netDst6).slice();
    } else {
      e.a4 = Math.min(p.netSrc4, p.netDst4);
      e.b4 = Math.max(p.netSrc4, p.netDst4);
    }
    return e;
  }

  private remember(frame: number, trans: EchoTransaction | null): void {
    if (this.byFrame.size >= MAX_FRAMES) {
      // Forget the oldest tenth, and the requests that can no longer be answered from them.
      let n = MAX_FRAMES / 10;
      for (const f of this.byFrame.keys()) {
        this.byFrame.delete(f);
        if (--n === 0) break;
      }
      if (this.pending.size > MAX_FRAMES) this.pending.clear();
    }
    this.byFrame.set(frame, trans);
  }
}

function sameAddresses(x: Pending, y: Pending): boolean {
  if (x.a6 || y.a6)
    return !!x.a6 && !!y.a6 && !!x.b6 && !!y.b6 && compareBytes(x.a6, y.a6) === 0 && compareBytes(x.b6, y.b6) === 0;
  return x.a4 === y.a4 && x.b4 === y.b4;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length && i < b.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/** Response time in milliseconds, as Wireshark computes it (nstime_to_msec). */
export function responseTimeMs(trans: EchoTransaction, sec: number, nsec: number): number {
  let ds = sec - trans.requestSec;
  let dn = nsec - trans.requestNsec;
  if (dn < 0 && ds > 0) {
    ds -= 1;
    dn += 1e9;
  }
  return ds * 1000 + dn / 1e6;
}

/** One's-complement helper: the checksum key Wireshark derives from a checksum and a type difference. */
export function checksumKey(checksum: number, difference: number): number {
  let sum = (~checksum & 0xffff) + (~difference & 0xffff);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}
