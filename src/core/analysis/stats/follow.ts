// `-z follow,tcp,ascii|hex|raw,N`: the payload of one TCP stream as Wireshark's Follow TCP Stream
// rebuilds it (follow_tcp_tap_listener in packet-tcp.c, 4.0): each side's bytes in sequence order,
// bytes already seen (retransmissions, overlaps) dropped, segments that arrive early held until the
// gap before them is filled, and a gap the other side acknowledges replaced by the text
// "[N bytes missing in capture file]". Node 0 is the source of the stream's first packet.

import { fieldByAbbrev } from '../../dissect/fields.js';
import type { Packet } from '../../dissect/packet.js';
import { itemBytes } from '../../output/format.js';
import { networkAddresses, transportHeaderWhole } from './taps.js';
import type { Statistic } from './statistic.js';

export type FollowMode = 'ascii' | 'hex' | 'raw';

/** One piece of a side's byte stream, in the order Wireshark shows them. */
export interface FollowChunk {
  /** False: from node 0 (the client); true: from node 1. */
  server: boolean;
  /** The frame that carried it (for a gap marker, the frame whose ACK revealed it). */
  frame: number;
  seq: number;
  data: Uint8Array;
  /** For a gap marker: how many bytes are missing (data is then Wireshark's text and a NUL). */
  missing?: number;
}

export interface FollowEndpoint {
  address: string;
  port: number;
  ipv6: boolean;
}

/** One TCP segment of the followed stream, as the follower needs it. */
export interface FollowSegment {
  frame: number;
  src: FollowEndpoint;
  dst: FollowEndpoint;
  seq: number;
  ack: number;
  syn: boolean;
  /** Reported segment length (tcp.len). */
  length: number;
  /** The captured payload (copied). */
  payload: Uint8Array;
}

/** a < b in sequence space (RFC 9293 §3.4 arithmetic modulo 2^32). */
function lt(a: number, b: number): boolean {
  return ((a - b) | 0) < 0;
}

const encoder = new TextEncoder();

/** Wireshark's follow reassembly of one TCP stream (both directions). */
export class TcpFollower {
  client: FollowEndpoint | undefined;
  server: FollowEndpoint | undefined;
  /** The chunks in order. */
  readonly chunks: FollowChunk[] = [];
  /** Next expected sequence number and bytes kept, per side (0: client, 1: server). */
  private readonly nextSeq = [0, 0];
  private readonly written = [0, 0];
  /** Segments that arrived before the bytes that precede them. */
  private readonly fragments: FollowChunk[][] = [[], []];
  /** Frames of segments dropped because every byte was seen before (retransmissions). */
  readonly duplicateFrames: number[] = [];

  segment(s: FollowSegment): void {
    if (!this.client) {
      this.client = s.src;
      this.server = s.dst;
    }
    const side = s.src.address === this.client.address && s.src.port === this.client.port ? 0 : 1;
    const other = 1 - side;
    // A segment acknowledging past what the other side's held segments start at reveals a gap.
    while (this.fragments[other].length && this.checkFragments(other, s.ack, s.frame));

    let seq = s.syn ? (s.seq + 1) >>> 0 : s.seq;
    let length = s.length;
    let data = s.payload;
    if (this.written[side] === 0 && this.nextSeq[side] === 0) this.nextSeq[side] = seq;
    const expected = this.nextSeq[side];
    if (lt(seq, expected)) {
      const end = (seq + length) >>> 0;
      if (lt(expected, end)) {
        // A retransmission with more data than before: keep the part not yet seen.
        const skip = (expected - seq) >>> 0;
        data = data.length <= skip ? data.subarray(0, 0) : data.subarray(skip);
        seq = expected;
        length = (end - expected) >>> 0;
      }
    }
    if (data.length === 0 || lt(seq, this.nextSeq[side])) {
      if (s.payload.length > 0) this.duplicateFrames.push(s.frame);
      return;
    }
    const chunk: FollowChunk = { server: side === 1, frame: s.frame, seq, data };
    if (seq === this.nextSeq[side]) {
      this.nextSeq[side] = (this.nextSeq[side] + length) >>> 0;
      this.written[side] += data.length;
      this.chunks.push(chunk);
      while (this.checkFragments(side, 0, s.frame));
    } else this.fragments[side].push(chunk);
  }

  /** check_follow_fragments: moves a held segment that now fits, or marks an acknowledged gap. */
  private checkFragments(side: number, acknowledged: number, frame: number): boolean {
    const list = this.fragments[side];
    if (!list.length) return false;
    let lowest = list[0].seq;
    for (let i = 0; i < list.length; i++) {
      const f = list[i];
      if (lt(f.seq, lowest)) lowest = f.seq;
      const expected = this.nextSeq[side];
      if (lt(f.seq, expected)) {
        const end = (f.seq + f.data.length) >>> 0;
        if (lt(expected, end)) {
          const skip = (expected - f.seq) >>> 0;
          if (f.data.length > skip) {
            const rest = f.data.subarray(skip);
            this.chunks.push({ server: f.server, frame: f.frame, seq: expected, data: rest });
          }
          this.nextSeq[side] = (expected + f.data.length - skip) >>> 0;
        }
        list.splice(i, 1);
        return true;
      }
      if (f.seq === expected) {
        if (f.data.length > 0) this.chunks.push(f);
        this.nextSeq[side] = (expected + f.data.length) >>> 0;
        list.splice(i, 1);
        return true;
      }
    }
    if (lt(lowest, acknowledged)) {
      const missing = (lowest - this.nextSeq[side]) | 0;
      // Wireshark stores the text with its terminating NUL (strlen + 1).
      const text = encoder.encode(`[${missing} bytes missing in capture file]\0`);
      this.chunks.push({ server: side === 1, frame, seq: lowest, data: text, missing });
      this.nextSeq[side] = lowest;
      return true;
    }
    return false;
  }

  /**
   * Ends the stream for synack's own view: segments still held (their gap was never acknowledged)
   * follow in sequence order, each after a marker for the bytes missing before it.
   */
  flush(): void {
    for (const side of [0, 1]) {
      const list = this.fragments[side].sort((a, b) => (lt(a.seq, b.seq) ? -1 : lt(b.seq, a.seq) ? 1 : 0));
      while (list.length) {
        const f = list[0];
        if (!lt(f.seq, this.nextSeq[side]) && f.seq !== this.nextSeq[side]) {
          const missing = (f.seq - this.nextSeq[side]) >>> 0;
          this.chunks.push({
            server: side === 1,
            frame: f.frame,
            seq: this.nextSeq[side],
            data: new Uint8Array(0),
            missing,
          });
          this.nextSeq[side] = f.seq;
        }
        while (this.checkFragments(side, 0, f.frame));
      }
    }
  }
}

const FIELDS = ['tcp.stream', 'tcp.seq', 'tcp.ack', 'tcp.flags', 'tcp.len', 'tcp.payload', 'tcp.reset_cause'];

function fieldId(abbrev: string): number {
  const f = fieldByAbbrev(abbrev);
  if (!f) throw new Error(`follow needs the field ${abbrev}`);
  return f.id;
}

/** Reads the segment of TCP stream `stream` from packet p, or undefined when p is not in it. */
export function followSegment(p: Packet, stream: number): FollowSegment | undefined {
  const t = p.tree;
  const si = t.find(fieldId('tcp.stream'));
  if (si < 0 || t.num[si] !== stream || !transportHeaderWhole(p, 'tcp')) return undefined;
  const addresses = networkAddresses(p);
  if (!addresses) return undefined;
  const value = (abbrev: string): number => {
    const i = t.find(fieldId(abbrev));
    return i < 0 ? 0 : t.num[i];
  };
  // Data on a RST is shown as the reset cause, but Follow shows it like any payload.
  let pi = t.find(fieldId('tcp.payload'));
  if (pi < 0) pi = t.find(fieldId('tcp.reset_cause'));
  const payload = pi < 0 ? new Uint8Array(0) : itemBytes(p, pi).slice(t.start[pi], t.start[pi] + t.length[pi]);
  const ipv6 = p.netType === 6;
  return {
    frame: p.meta.number,
    src: { address: addresses[0], port: p.srcPort, ipv6 },
    dst: { address: addresses[1], port: p.dstPort, ipv6 },
    // Wireshark's follow tap sees the relative numbers (tcph->th_seq after the analysis), which
    // keeps a stream whose first SYN went unanswered in step when a later handshake resets the base.
    seq: value('tcp.seq'),
    ack: value('tcp.ack'),
    syn: (value('tcp.flags') & 0x02) !== 0,
    length: value('tcp.len'),
    payload,
  };
}

const HEX = '0123456789abcdef';

function endpointText(e: FollowEndpoint | undefined): string {
  if (!e) return ':0';
  return e.ipv6 ? `[${e.address}]:${e.port}` : `${e.address}:${e.port}`;
}

/** tshark's hex dump of one chunk: offsets continue per side, 16 bytes a line, a gap after 8. */
function hexLines(prefix: string, offset: number, data: Uint8Array): string {
  let s = '';
  for (let line = 0; line < data.length; line += 16) {
    let hex = '';
    let ascii = '';
    const n = Math.min(16, data.length - line);
    for (let k = 0; k < n; k++) {
      const b = data[line + k];
      hex += HEX[b >> 4] + HEX[b & 15] + ' ';
      ascii += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
      if (k === 7) {
        hex += ' ';
        ascii += ' ';
      }
    }
    // tap-follow.c drops one trailing space from the text column, whether it was a byte or the gap.
    if (ascii.endsWith(' ')) ascii = ascii.slice(0, -1);
    const address = (offset + line).toString(16).toUpperCase().padStart(8, '0');
    s += `${prefix}${address}  ${hex.padEnd(49)} ${ascii}\n`;
  }
  return s;
}

/** The follow output of tshark 4.0 (ui/cli/tap-follow.c) for the chunks of one stream. */
export function tsharkFollowText(f: TcpFollower, mode: FollowMode, stream: number): string {
  const rule = '='.repeat(67);
  let s = `\n${rule}\nFollow: tcp,${mode}\nFilter: tcp.stream eq ${stream}\n`;
  s += `Node 0: ${endpointText(f.client)}\nNode 1: ${endpointText(f.server)}\n`;
  const offsets = [0, 0];
  for (const c of f.chunks) {
    const tab = c.server ? '\t' : '';
    const side = c.server ? 1 : 0;
    if (mode === 'hex') {
      s += hexLines(tab, offsets[side], c.data);
    } else if (mode === 'ascii') {
      let text = '';
      for (const b of c.data)
        text += b === 0x0d || b === 0x0a || (b >= 0x20 && b < 0x7f) ? String.fromCharCode(b) : '.';
      s += `${tab}${c.data.length}\n${text}\n`;
    } else {
      let hex = '';
      for (const b of c.data) hex += HEX[b >> 4] + HEX[b & 15];
      s += `${tab}${hex}\n`;
    }
    offsets[side] += c.data.length;
  }
  return s + rule + '\n';
}

/** `-z follow,tcp,MODE,N` as a statistic. */
export class FollowStatistic implements Statistic {
  readonly follower = new TcpFollower();

  constructor(
    readonly mode: FollowMode,
    readonly stream: number,
  ) {}

  fields(): string[] {
    return FIELDS;
  }

  add(p: Packet): void {
    const s = followSegment(p, this.stream);
    if (s) this.follower.segment(s);
  }

  text(): string {
    return tsharkFollowText(this.follower, this.mode, this.stream);
  }
}
