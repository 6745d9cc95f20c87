// The state the TCP analysis keeps per capture: conversations by 4-tuple (with generations for
// port reuse), each with its two flows (Wireshark's tcp_analysis and tcp_flow_t), the result for
// the segment being dissected (tcp_acked), and the final per-stream values a `-2` pass shows.

import type { Packet } from '../dissect/packet.js';
import type { FlowReassembly } from './tcp-reassembly.js';

/** Wireshark's TCP_A_* analysis flags. */
export const ANALYSIS = {
  RETRANSMISSION: 0x0001,
  LOST_PACKET: 0x0002,
  ACK_LOST_PACKET: 0x0004,
  KEEP_ALIVE: 0x0008,
  DUPLICATE_ACK: 0x0010,
  ZERO_WINDOW: 0x0020,
  ZERO_WINDOW_PROBE: 0x0040,
  ZERO_WINDOW_PROBE_ACK: 0x0080,
  KEEP_ALIVE_ACK: 0x0100,
  OUT_OF_ORDER: 0x0200,
  FAST_RETRANSMISSION: 0x0400,
  WINDOW_UPDATE: 0x0800,
  WINDOW_FULL: 0x1000,
  REUSED_PORTS: 0x2000,
  SPURIOUS_RETRANSMISSION: 0x4000,
} as const;

/** 2 ** n for a window scale shift n (0..255): a table read instead of Math.pow per segment. */
export const POW2 = Float64Array.from({ length: 256 }, (_, n) => 2 ** n);

/** Wireshark keeps at most this many unacknowledged segments per flow (TCP_MAX_UNACKED_SEGMENTS). */
export const MAX_UNACKED_SEGMENTS = 10000;

/** A segment sent but not yet acknowledged (tcp_unacked_t). */
export interface Unacked {
  frame: number;
  seq: number;
  nextseq: number;
  sec: number;
  nsec: number;
}

/** One direction of a conversation (tcp_flow_t with its tcp_analyze_seq_flow_info_t). */
export class Flow {
  baseSeq = 0;
  baseSet = false;
  /** Window scale shift; -1 unknown, -2 no scaling (the handshake said so). */
  winScale = -1;
  /** Last raw window seen (G_MAXUINT32 before any). */
  window = 0xffffffff;
  nextseq = 0;
  nextseqFrame = 0;
  nextseqSec = 0;
  nextseqNsec = 0;
  maxseqtobeacked = 0;
  lastack = 0;
  lastackSec = 0;
  lastackNsec = 0;
  lastnondupack = 0;
  dupacknum = 0;
  lastsegmentflags = 0;
  /** Unacknowledged segments, oldest first (Wireshark's list has the newest at its head). */
  segments: Unacked[] = [];
  validBif = true;
  pushBytesSent = 0;
  pushSetLast = false;
  isFirstAck = false;
  closingInitiator = false;
  finSeen = false;
  /** SACK blocks of this flow's latest segment: count (up to 4) and bytes they cover. */
  sackRanges = 0;
  sackDelivered = 0;
  /** Messages being reassembled in this direction (made on its first payload handed on). */
  reassembly: FlowReassembly | undefined = undefined;
}

/** A TCP conversation: one stream index, two flows. */
export class Conversation {
  readonly flow1 = new Flow();
  readonly flow2 = new Flow();
  completeness = 0;
  firstSec: number;
  firstNsec: number;
  prevSec: number;
  prevNsec: number;
  deltaSec = 0;
  deltaNsec = 0;
  /** Most recent SYN (ts_mru_syn) and the handshake RTT (ts_first_rtt). */
  sawSyn = false;
  synSec = 0;
  synNsec = 0;
  firstRttSec = 0;
  firstRttNsec = 0;
  serverPort = 0;
  /** The client asked for AccECN in its SYN. */
  accEcn = false;
  reset = false;
  /** Segments seen. */
  frames = 0;
  /** Capture time (seconds) of the last segment, for releasing idle closed streams. */
  lastSec = 0;
  queuedForRelease = false;

  constructor(
    readonly stream: number,
    /** Endpoint key of flow1's sender (the first segment's source). */
    readonly key1: number | string,
    readonly lo: number | string,
    readonly hi: number | string,
    sec: number,
    nsec: number,
  ) {
    this.firstSec = sec;
    this.firstNsec = nsec;
    this.prevSec = sec;
    this.prevNsec = nsec;
  }

  get hasFirstRtt(): boolean {
    return this.firstRttSec !== 0 || this.firstRttNsec !== 0;
  }

  /** Closed: reset, or a FIN each way. */
  get closed(): boolean {
    return this.reset || (this.flow1.finSeen && this.flow2.finSeen);
  }
}

/** The analysis result for the segment being dissected (Wireshark's tcp_acked). */
export class SegmentAnalysis {
  exists = false;
  flags = 0;
  frameAcked = 0;
  rttSec = 0;
  rttNsec = 0;
  bytesInFlight = 0;
  pushBytesSent = 0;
  dupackNum = 0;
  dupackFrame = 0;
  rtoSec = 0;
  rtoNsec = 0;
  rtoFrame = 0;

  reset(): void {
    this.exists = false;
    this.flags = 0;
    this.frameAcked = 0;
    this.rttSec = 0;
    this.rttNsec = 0;
    this.bytesInFlight = 0;
    this.pushBytesSent = 0;
    this.dupackNum = 0;
    this.dupackFrame = 0;
    this.rtoSec = 0;
    this.rtoNsec = 0;
    this.rtoFrame = 0;
  }
}

/**
 * Per-stream values as they stand at the end of a capture, which tshark's second pass (-2)
 * shows on every frame of the stream: completeness, the iRTT and the window scale of each flow.
 */
export class TcpStreamFinals {
  private completenessOf: Uint8Array = new Uint8Array(64);
  private known: Uint8Array = new Uint8Array(64);
  private rttSec: Float64Array = new Float64Array(64);
  private rttNsec: Float64Array = new Float64Array(64);
  private scale1: Int8Array = new Int8Array(64);
  private scale2: Int8Array = new Int8Array(64);
  private base1: Float64Array = new Float64Array(64);
  private base2: Float64Array = new Float64Array(64);
  count = 0;

  record(c: Conversation): void {
    const i = c.stream;
    while (i >= this.known.length) this.grow();
    this.known[i] = 1;
    this.completenessOf[i] = c.completeness;
    this.rttSec[i] = c.firstRttSec;
    this.rttNsec[i] = c.firstRttNsec;
    this.scale1[i] = c.flow1.winScale;
    this.scale2[i] = c.flow2.winScale;
    this.base1[i] = c.flow1.baseSeq;
    this.base2[i] = c.flow2.baseSeq;
    if (i >= this.count) this.count = i + 1;
  }

  completeness(stream: number, running: number): number {
    return stream < this.known.length && this.known[stream] ? this.completenessOf[stream] : running;
  }

  /** The iRTT [sec, nsec] of a stream, or undefined when it had none. */
  firstRtt(stream: number): [number, number] | undefined {
    if (stream >= this.known.length || !this.known[stream]) return undefined;
    const s = this.rttSec[stream];
    const n = this.rttNsec[stream];
    return s !== 0 || n !== 0 ? [s, n] : undefined;
  }

  winScale(stream: number, flow1: boolean, running: number): number {
    if (stream >= this.known.length || !this.known[stream]) return running;
    return flow1 ? this.scale1[stream] : this.scale2[stream];
  }

  baseSeq(stream: number, flow1: boolean, running: number): number {
    if (stream >= this.known.length || !this.known[stream]) return running;
    return flow1 ? this.base1[stream] : this.base2[stream];
  }

  private grow(): void {
    const n = this.known.length * 2;
    const u8 = (a: Uint8Array): Uint8Array => {
      const b = new Uint8Array(n);
      b.set(a);
      return b;
    };
    const f64 = (a: Float64Array): Float64Array => {
      const b = new Float64Array(n);
      b.set(a);
      return b;
    };
    const i8 = (a: Int8Array): Int8Array => {
      const b = new Int8Array(n);
      b.set(a);
      return b;
    };
    this.known = u8(this.known);
    this.completenessOf = u8(this.completenessOf);
    this.rttSec = f64(this.rttSec);
    this.rttNsec = f64(this.rttNsec);
    this.scale1 = i8(this.scale1);
    this.scale2 = i8(this.scale2);
    this.base1 = f64(this.base1);
    this.base2 = f64(this.base2);
  }
}

/**
 * What a conversation leaves behind once it is closed and idle and its state has been released:
 * what a late segment needs to carry on in the same stream (index, bases, window scales, the
 * highest numbers each way, completeness, times) and what tells a new connection on the same
 * ports (a SYN with another ISN: "port numbers reused"). No segment lists, no per-flow counters.
 */
export class ReleasedConversation {
  readonly stream: number;
  readonly key1: number | string;
  readonly lo: number | string;
  readonly hi: number | string;
  readonly base1: number;
  readonly base2: number;
  readonly baseSet: number; // bit 0: flow1, bit 1: flow2
  readonly scale1: number;
  readonly scale2: number;
  readonly next1: number;
  readonly next2: number;
  readonly ack1: number;
  readonly ack2: number;
  readonly completeness: number;
  readonly firstSec: number;
  readonly firstNsec: number;
  readonly prevSec: number;
  readonly prevNsec: number;
  readonly rttSec: number;
  readonly rttNsec: number;
  readonly serverPort: number;

  constructor(c: Conversation) {
    const f1 = c.flow1;
    const f2 = c.flow2;
    this.stream = c.stream;
    this.key1 = c.key1;
    this.lo = c.lo;
    this.hi = c.hi;
    this.base1 = f1.baseSeq;
    this.base2 = f2.baseSeq;
    this.baseSet = (f1.baseSet ? 1 : 0) | (f2.baseSet ? 2 : 0);
    this.scale1 = f1.winScale;
    this.scale2 = f2.winScale;
    this.next1 = f1.nextseq;
    this.next2 = f2.nextseq;
    this.ack1 = f1.lastack;
    this.ack2 = f2.lastack;
    this.completeness = c.completeness;
    this.firstSec = c.firstSec;
    this.firstNsec = c.firstNsec;
    this.prevSec = c.prevSec;
    this.prevNsec = c.prevNsec;
    this.rttSec = c.firstRttSec;
    this.rttNsec = c.firstRttNsec;
    this.serverPort = c.serverPort;
  }

  /** A conversation in the same stream that carries on from what was kept. */
  revive(lo: number | string, hi: number | string): Conversation {
    const c = new Conversation(this.stream, this.key1, lo, hi, this.firstSec, this.firstNsec);
    c.prevSec = this.prevSec;
    c.prevNsec = this.prevNsec;
    c.completeness = this.completeness;
    c.firstRttSec = this.rttSec;
    c.firstRttNsec = this.rttNsec;
    c.serverPort = this.serverPort;
    c.frames = 1;
    restoreFlow(c.flow1, this.base1, (this.baseSet & 1) !== 0, this.scale1, this.next1, this.ack1);
    restoreFlow(c.flow2, this.base2, (this.baseSet & 2) !== 0, this.scale2, this.next2, this.ack2);
    return c;
  }
}

function restoreFlow(f: Flow, base: number, set: boolean, scale: number, next: number, ack: number): void {
  f.baseSeq = base;
  f.baseSet = set;
  f.winScale = scale;
  f.nextseq = next;
  f.maxseqtobeacked = next;
  f.lastack = ack;
  f.finSeen = true;
}

/**
 * Seconds of capture time a closed conversation stays whole after its last segment (Linux keeps
 * a closed connection in TIME_WAIT for 60 s; later segments of it are rare).
 */
export const RELEASE_AFTER_SECONDS = 60;

/** What the table holds for a 4-tuple: a conversation, or what is left of a released one. */
type Entry = Conversation | ReleasedConversation;

/**
 * IPv4 4-tuples (each endpoint as address * 65536 + port, 48 bits) to entries: open addressing
 * over typed arrays. A Map keyed by such numbers (beyond V8's small integers) was a measurable
 * share of the analysis; entries are only added or replaced, never removed.
 */
class EndpointPairTable {
  private keys = new Float64Array(2 * 1024);
  private slots = new Int32Array(1024).fill(-1);
  readonly values: Entry[] = [];

  private static hash(lo: number, hi: number): number {
    const h =
      Math.imul(lo >>> 0, 0x9e3779b1) ^
      Math.imul((lo / 4294967296) | 0, 0x85ebca6b) ^
      Math.imul(hi >>> 0, 0xc2b2ae35) ^
      Math.imul((hi / 4294967296) | 0, 0x27d4eb2f);
    return (h ^ (h >>> 15)) >>> 0;
  }

  get(lo: number, hi: number): Entry | undefined {
    const mask = this.slots.length - 1;
    for (let i = EndpointPairTable.hash(lo, hi) & mask; ; i = (i + 1) & mask) {
      const v = this.slots[i];
      if (v < 0) return undefined;
      if (this.keys[2 * i] === lo && this.keys[2 * i + 1] === hi) return this.values[v];
    }
  }

  set(lo: number, hi: number, entry: Entry): void {
    const mask = this.slots.length - 1;
    for (let i = EndpointPairTable.hash(lo, hi) & mask; ; i = (i + 1) & mask) {
      const v = this.slots[i];
      if (v < 0) {
        this.slots[i] = this.values.length;
        this.keys[2 * i] = lo;
        this.keys[2 * i + 1] = hi;
        this.values.push(entry);
        if (this.values.length * 2 > this.slots.length) this.grow();
        return;
      }
      if (this.keys[2 * i] === lo && this.keys[2 * i + 1] === hi) {
        this.values[v] = entry;
        return;
      }
    }
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldSlots = this.slots;
    const n = oldSlots.length * 2;
    this.keys = new Float64Array(2 * n);
    this.slots = new Int32Array(n).fill(-1);
    const mask = n - 1;
    for (let j = 0; j < oldSlots.length; j++) {
      const v = oldSlots[j];
      if (v < 0) continue;
      const lo = oldKeys[2 * j];
      const hi = oldKeys[2 * j + 1];
      let i = EndpointPairTable.hash(lo, hi) & mask;
      while (this.slots[i] >= 0) i = (i + 1) & mask;
      this.slots[i] = v;
      this.keys[2 * i] = lo;
      this.keys[2 * i + 1] = hi;
    }
  }
}

/** The conversations of one capture, by 4-tuple; the newest generation of each 4-tuple. */
export class TcpConversations {
  streamCount = 0;
  /** Final values from a previous pass over the same capture (tshark -2), when known. */
  finals: TcpStreamFinals | undefined;
  /** When set, every conversation's final values are recorded here (the first pass of -2). */
  recorder: TcpStreamFinals | undefined;
  /** IPv4 conversations by their two endpoints. */
  private readonly v4 = new EndpointPairTable();
  private readonly v6 = new Map<string, Conversation | ReleasedConversation>();
  /** Closed conversations waiting to be released, in the order they closed. */
  private closedQueue: Conversation[] = [];
  private closedHead = 0;
  released = 0;
  revived = 0;

  // The endpoints of the segment last looked up (find() sets them for create() and forward()).
  private srcKey: number | string = 0;
  private lo: number | string = 0;
  private hi: number | string = 0;
  /** The IPv4 conversation find() returned last (valid while it is the one the map holds). */
  private lastV4: Conversation | undefined;
  /** The released conversation find() met, if any. */
  releasedMatch: ReleasedConversation | undefined;

  /** The conversation of the segment's 4-tuple (either direction), or undefined. */
  find(p: Packet, sport: number, dport: number): Conversation | undefined {
    let found: Conversation | ReleasedConversation | undefined;
    if (p.netType === 4) {
      const a = (p.netSrc4 >>> 0) * 65536 + sport;
      const b = (p.netDst4 >>> 0) * 65536 + dport;
      this.srcKey = a;
      this.lo = a < b ? a : b;
      this.hi = a < b ? b : a;
      // Consecutive segments mostly belong to one conversation: skip the map then.
      const last = this.lastV4;
      if (last !== undefined && this.lo === last.lo && this.hi === last.hi) {
        this.releasedMatch = undefined;
        return last;
      }
      found = this.get4(this.lo, this.hi);
      if (found instanceof Conversation) this.lastV4 = found;
    } else {
      const a = v6Endpoint(p.netSrc6, sport);
      const b = v6Endpoint(p.netDst6, dport);
      this.srcKey = a;
      this.lo = a < b ? a : b;
      this.hi = a < b ? b : a;
      found = this.v6.get(this.lo + '|' + this.hi);
    }
    this.releasedMatch = found instanceof ReleasedConversation ? found : undefined;
    return found instanceof Conversation ? found : undefined;
  }

  /** Starts a new conversation (a new stream index) for the 4-tuple find() looked up last. */
  create(p: Packet, sec: number, nsec: number): Conversation {
    const c = new Conversation(this.streamCount++, this.srcKey, this.lo, this.hi, sec, nsec);
    const old =
      p.netType === 4 ? this.get4(this.lo as number, this.hi as number) : this.v6.get(this.lo + '|' + this.hi);
    if (old instanceof Conversation && this.recorder) this.recorder.record(old);
    this.put(p.netType, c.lo, c.hi, c);
    return c;
  }

  /** Brings back a released conversation, in its stream, for the 4-tuple find() looked up last. */
  revive(p: Packet, r: ReleasedConversation): Conversation {
    const c = r.revive(this.lo, this.hi);
    c.queuedForRelease = true; // it was closed: it goes back to the queue below
    this.closedQueue.push(c);
    this.put(p.netType, c.lo, c.hi, c);
    this.revived++;
    return c;
  }

  /** Whether the segment's source is flow1's sender. */
  forward(c: Conversation): boolean {
    return this.srcKey === c.key1;
  }

  /** Queues a conversation that just closed; releases those closed and idle long enough. */
  maybeRelease(c: Conversation, nowSec: number): void {
    if (!c.queuedForRelease && c.closed) {
      c.queuedForRelease = true;
      this.closedQueue.push(c);
    }
    while (this.closedHead < this.closedQueue.length) {
      const old = this.closedQueue[this.closedHead];
      if (nowSec - old.lastSec < RELEASE_AFTER_SECONDS) break;
      this.closedHead++;
      this.release(old);
    }
    if (this.closedHead > 1024 && this.closedHead * 2 > this.closedQueue.length) {
      this.closedQueue = this.closedQueue.slice(this.closedHead);
      this.closedHead = 0;
    }
  }

  /** Records the final values of every conversation still held (end of a -2 first pass). */
  recordAll(): void {
    const r = this.recorder;
    if (!r) return;
    for (const x of this.v4.values) if (x instanceof Conversation) r.record(x);
    for (const c of this.v6.values()) if (c instanceof Conversation) r.record(c);
  }

  private release(c: Conversation): void {
    const netType = typeof c.lo === 'number' ? 4 : 6;
    const held = netType === 4 ? this.get4(c.lo as number, c.hi as number) : this.v6.get(c.lo + '|' + c.hi);
    if (held !== c) return; // superseded by a newer connection on the same ports
    if (this.recorder) this.recorder.record(c);
    this.put(netType, c.lo, c.hi, new ReleasedConversation(c));
    this.released++;
  }

  private get4(lo: number, hi: number): Entry | undefined {
    return this.v4.get(lo, hi);
  }

  private put(netType: number, lo: number | string, hi: number | string, c: Conversation | ReleasedConversation): void {
    this.lastV4 = undefined;
    if (netType === 4) this.v4.set(lo as number, hi as number, c);
    else this.v6.set(lo + '|' + hi, c);
  }
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function v6Endpoint(addr: Uint8Array | undefined, port: number): string {
  let s = '';
  if (addr) for (let i = 0; i < 16 && i < addr.length; i++) s += HEX[addr[i]];
  return s + ':' + port;
}

/** Wireshark's conversation_completeness_fill texts. */
export function completenessText(value: number): string {
  switch (value) {
    case 1:
      return `Incomplete, SYN_SENT (${value})`;
    case 3:
      return `Incomplete, CLIENT_ESTABLISHED (${value})`;
    case 7:
      return `Incomplete, ESTABLISHED (${value})`;
    case 15:
      return `Incomplete, DATA (${value})`;
    case 31:
    case 47:
    case 63:
      return `Complete, WITH_DATA (${value})`;
    case 23:
    case 39:
    case 55:
      return `Complete, NO_DATA (${value})`;
    default:
      return `Incomplete (${value})`;
  }
}
