import { describe, expect, it } from 'vitest';
import { Dissection } from '../dissect/index.js';
import type { Packet } from '../dissect/packet.js';
import { LINKTYPE } from '../dissect/linktypes.js';
import { fieldText as field, labelText as label } from '../dissect/test-support.js';
import { recordTcpFinals, showTcpFinals, tcpFinalsOf } from './tcp.js';
import { TcpConversations } from './tcp-state.js';

// Hand-built conversations between A = 10.0.0.1:40000 (client) and B = 10.0.0.2:80 (server),
// as raw IPv4 frames (link type 101). Each segment is given by its side, raw numbers, flags,
// window, payload length and options; times are in milliseconds.
// Example, the SYN of `handshake()` below:
// IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [S], seq 1000, win 64240, options [mss 1460,wscale 7]

const FIN = 0x01;
const SYN = 0x02;
const RST = 0x04;
const PSH = 0x08;
const ACK = 0x10;

interface Seg {
  from: 'A' | 'B';
  seq: number;
  ack?: number;
  flags: number;
  win?: number;
  len?: number;
  /** Window scale shift to offer (SYN and SYN-ACK). */
  ws?: number;
  /** SACK blocks [left, right] (raw numbers). */
  sack?: [number, number][];
  /** Milliseconds since the start. */
  ms: number;
  /** Client port (default 40000). */
  port?: number;
  /** Server port (default 80). */
  server?: number;
}

function segmentBytes(s: Seg): Uint8Array {
  const opts: number[] = [];
  if (s.ws !== undefined) opts.push(1, 3, 3, s.ws);
  if (s.sack) {
    opts.push(1, 1, 5, 2 + 8 * s.sack.length);
    for (const [l, r] of s.sack) opts.push(...u32(l), ...u32(r));
  }
  const hdr = 20 + opts.length;
  const len = s.len ?? 0;
  const total = 20 + hdr + len;
  const out = new Uint8Array(total);
  const a = [10, 0, 0, 1];
  const b = [10, 0, 0, 2];
  const [src, dst] = s.from === 'A' ? [a, b] : [b, a];
  const client = s.port ?? 40000;
  const server = s.server ?? 80;
  const [sport, dport] = s.from === 'A' ? [client, server] : [server, client];
  out.set([0x45, 0, total >> 8, total & 0xff, 0, 1, 0x40, 0, 64, 6, 0, 0, ...src, ...dst], 0);
  out.set([sport >> 8, sport & 0xff, dport >> 8, dport & 0xff, ...u32(s.seq), ...u32(s.ack ?? 0)], 20);
  out.set([(hdr / 4) << 4, s.flags, (s.win ?? 1000) >> 8, (s.win ?? 1000) & 0xff, 0, 0, 0, 0, ...opts], 32);
  for (let i = 0; i < len; i++) out[20 + hdr + i] = 0x41;
  return out;
}

function u32(v: number): number[] {
  return [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
}

/** What one frame showed: the fields the tests look at, read while the packet is current. */
interface Shown {
  info: string;
  get(abbrev: string): string;
  label(abbrev: string): string;
  packet: Packet;
}

/** Dissects the segments in order with one session (the analysis sees them as one capture). */
function run(segs: Seg[], d = new Dissection({ full: true })): Shown[] {
  return segs.map((s) => {
    const data = segmentBytes(s);
    const p = d.dissect({
      data,
      tsSec: 1_700_000_000 + Math.floor(s.ms / 1000),
      tsNsec: Math.round((s.ms % 1000) * 1e6),
      capLen: data.length,
      origLen: data.length,
      linkType: LINKTYPE.RAW,
      interfaceId: 0,
    });
    const values = new Map<string, string>();
    const labels = new Map<string, string>();
    return {
      info: p.infoCol,
      packet: p,
      get(abbrev: string) {
        return values.get(abbrev) ?? '';
      },
      label(abbrev: string) {
        return labels.get(abbrev) ?? '';
      },
      ...capture(p, values, labels),
    };
  });
}

const WATCHED = [
  'tcp.stream',
  'tcp.seq',
  'tcp.ack',
  'tcp.nxtseq',
  'tcp.window_size',
  'tcp.window_size_scalefactor',
  'tcp.completeness',
  'tcp.time_relative',
  'tcp.time_delta',
  'tcp.options.sack_le',
  'tcp.analysis.initial_rtt',
  'tcp.analysis.ack_rtt',
  'tcp.analysis.acks_frame',
  'tcp.analysis.bytes_in_flight',
  'tcp.analysis.push_bytes_sent',
  'tcp.analysis.duplicate_ack_num',
  'tcp.analysis.duplicate_ack_frame',
  'tcp.analysis.retransmission',
  'tcp.analysis.fast_retransmission',
  'tcp.analysis.spurious_retransmission',
  'tcp.analysis.out_of_order',
  'tcp.analysis.lost_segment',
  'tcp.analysis.ack_lost_segment',
  'tcp.analysis.duplicate_ack',
  'tcp.analysis.zero_window',
  'tcp.analysis.zero_window_probe',
  'tcp.analysis.zero_window_probe_ack',
  'tcp.analysis.window_update',
  'tcp.analysis.window_full',
  'tcp.analysis.keep_alive',
  'tcp.analysis.keep_alive_ack',
  'tcp.analysis.reused_ports',
];

function capture(p: Packet, values: Map<string, string>, labels: Map<string, string>): object {
  for (const f of WATCHED) {
    values.set(f, field(p, f));
    labels.set(f, label(p, f));
  }
  return {};
}

/** The flags (tcp.analysis.* expert fields) a frame carries, short names. */
function flags(s: Shown): string[] {
  return WATCHED.filter((f) => f.startsWith('tcp.analysis.') && !f.includes('_rtt') && s.get(f) !== '')
    .filter((f) => !/acks_frame|bytes_in_flight|push_bytes|duplicate_ack_(num|frame)/.test(f))
    .map((f) => f.slice('tcp.analysis.'.length));
}

const ISN_A = 1000;
const ISN_B = 5000;

/** A three-way handshake with window scaling (A: shift 2, B: shift 3) at 0, 10 and 20 ms. */
function handshake(ms = 0, port?: number, isnA = ISN_A): Seg[] {
  return [
    { from: 'A', seq: isnA, flags: SYN, win: 64240, ws: 2, ms, port },
    { from: 'B', seq: ISN_B, ack: isnA + 1, flags: SYN | ACK, win: 65160, ws: 3, ms: ms + 10, port },
    { from: 'A', seq: isnA + 1, ack: ISN_B + 1, flags: ACK, win: 500, ms: ms + 20, port },
  ];
}

describe('TCP streams and relative numbers', () => {
  it('numbers a handshake from 0, scales windows after it and measures the iRTT', () => {
    const f = run([...handshake(), { from: 'A', seq: ISN_A + 1, ack: ISN_B + 1, flags: PSH | ACK, len: 100, ms: 30 }]);
    expect(f.map((s) => s.get('tcp.stream'))).toEqual(['0', '0', '0', '0']);
    expect(f.map((s) => s.get('tcp.seq'))).toEqual(['0', '0', '1', '1']);
    expect(f[1].get('tcp.ack')).toBe('1');
    expect(f[3].get('tcp.nxtseq')).toBe('101');
    expect(f[0].info).toBe('40000 \u2192 80 [SYN] Seq=0 Win=64240 Len=0 WS=4');
    expect(f[2].info).toBe('40000 \u2192 80 [ACK] Seq=1 Ack=1 Win=2000 Len=0');
    // SYNs are never scaled and show no factor; then A's window is × 4.
    expect(f[0].get('tcp.window_size_scalefactor')).toBe('');
    expect(f[2].get('tcp.window_size')).toBe('2000');
    expect(f[2].get('tcp.window_size_scalefactor')).toBe('4');
    expect(f[1].get('tcp.analysis.acks_frame')).toBe('1');
    expect(f[1].get('tcp.analysis.ack_rtt')).toBe('0.010000000');
    expect(f[2].get('tcp.analysis.initial_rtt')).toBe('0.020000000');
    expect(f[3].get('tcp.time_relative')).toBe('0.030000000');
    expect(f[3].get('tcp.time_delta')).toBe('0.010000000');
    expect(f[3].get('tcp.analysis.bytes_in_flight')).toBe('100');
    expect(f[3].get('tcp.analysis.push_bytes_sent')).toBe('100');
    expect(f[3].label('tcp.seq')).toBe('Sequence Number: 1    (relative sequence number)');
    expect(f[3].label('tcp.stream')).toBe('[Stream index: 0]');
  });

  it('shows -2 when the SYN offered no window scaling and -1 when the handshake was not seen', () => {
    const noWs = run([
      { from: 'A', seq: ISN_A, flags: SYN, win: 64240, ms: 0 },
      { from: 'B', seq: ISN_B, ack: ISN_A + 1, flags: SYN | ACK, win: 65160, ws: 3, ms: 10 },
      { from: 'A', seq: ISN_A + 1, ack: ISN_B + 1, flags: ACK, win: 500, ms: 20 },
      { from: 'B', seq: ISN_B + 1, ack: ISN_A + 1, flags: ACK, win: 500, ms: 30 },
    ]);
    expect(noWs[2].get('tcp.window_size_scalefactor')).toBe('-2');
    expect(noWs[3].get('tcp.window_size')).toBe('500');
    expect(noWs[2].label('tcp.window_size_scalefactor')).toBe(
      '[Window size scaling factor: -2 (no window scaling used)]',
    );
    const midStream = run([{ from: 'A', seq: 777, ack: 888, flags: ACK, win: 500, len: 10, ms: 0 }]);
    expect(midStream[0].get('tcp.window_size_scalefactor')).toBe('-1');
    expect(midStream[0].get('tcp.seq')).toBe('1');
    expect(midStream[0].get('tcp.ack')).toBe('1');
  });

  it('starts a new stream on a new SYN with another ISN, flagged as reusing the ports', () => {
    const f = run([
      ...handshake(),
      { from: 'A', seq: ISN_A + 1, ack: ISN_B + 1, flags: FIN | ACK, ms: 30 },
      { from: 'B', seq: ISN_B + 1, ack: ISN_A + 2, flags: FIN | ACK, ms: 40 },
      { from: 'A', seq: 90000, flags: SYN, win: 64240, ms: 1000 },
    ]);
    expect(f[5].get('tcp.stream')).toBe('1');
    expect(f[5].get('tcp.seq')).toBe('0');
    expect(flags(f[5])).toEqual(['reused_ports']);
    expect(f[5].info.startsWith('[TCP Port numbers reused] 40000 \u2192 80 [SYN]')).toBe(true);
  });

  it('keeps a retransmitted SYN (same ISN) in its stream, as a retransmission', () => {
    const f = run([
      { from: 'A', seq: ISN_A, flags: SYN, win: 64240, ms: 0 },
      { from: 'A', seq: ISN_A, flags: SYN, win: 64240, ms: 1000 },
    ]);
    expect(f[1].get('tcp.stream')).toBe('0');
    expect(flags(f[1])).toEqual(['retransmission']);
    expect(f[1].info.startsWith('[TCP Retransmission] ')).toBe(true);
  });

  it('tells streams apart by the 4-tuple, in order of first appearance', () => {
    const f = run([...handshake(0, 40001), ...handshake(5, 40002), ...handshake(50, 40001, 7)]);
    expect(f.map((s) => s.get('tcp.stream'))).toEqual(['0', '0', '0', '1', '1', '1', '2', '2', '2']);
  });

  it('keeps apart the conversations of one endpoint with several peers', () => {
    const f = run([
      { from: 'A', seq: 1, flags: SYN, ms: 0 },
      { from: 'A', seq: 7, flags: SYN, ms: 1, server: 81 },
      { from: 'B', seq: 9, ack: 2, flags: SYN | ACK, ms: 2 },
      { from: 'B', seq: 5, ack: 8, flags: SYN | ACK, ms: 3, server: 81 },
    ]);
    expect(f.map((s) => s.get('tcp.stream'))).toEqual(['0', '1', '0', '1']);
    expect(f.map((s) => s.get('tcp.ack'))).toEqual(['0', '0', '1', '1']);
  });

  it('accumulates the completeness bits: SYN, SYN-ACK, ACK, data, FIN', () => {
    const f = run([
      ...handshake(),
      { from: 'A', seq: ISN_A + 1, ack: ISN_B + 1, flags: PSH | ACK, len: 10, ms: 30 },
      { from: 'A', seq: ISN_A + 11, ack: ISN_B + 1, flags: FIN | ACK, ms: 40 },
      { from: 'A', seq: ISN_A + 12, ack: ISN_B + 1, flags: ACK, ms: 50 },
    ]);
    // One pass shows the value before each frame's own bits.
    expect(f.map((s) => s.get('tcp.completeness'))).toEqual(['0', '1', '3', '7', '15', '31']);
    expect(f[5].label('tcp.completeness')).toBe('[Conversation completeness: Complete, WITH_DATA (31)]');
  });

  it('with -2 shows the final completeness and iRTT on every frame of the stream', () => {
    const segs = [...handshake(), { from: 'A' as const, seq: ISN_A + 1, ack: ISN_B + 1, flags: RST, ms: 30 }];
    const first = new Dissection({ full: false, columns: false });
    recordTcpFinals(first.session);
    run(segs, first);
    const second = new Dissection({ full: true });
    showTcpFinals(second.session, tcpFinalsOf(first.session));
    const f = run(segs, second);
    expect(f.map((s) => s.get('tcp.completeness'))).toEqual(['39', '39', '39', '39']);
    expect(f[1].get('tcp.analysis.initial_rtt')).toBe('0.020000000');
  });
});

describe('TCP expert flags', () => {
  const data = (ms: number, rel: number, len = 100, extra: Partial<Seg> = {}): Seg => ({
    from: 'A',
    seq: ISN_A + rel,
    ack: ISN_B + 1,
    flags: ACK,
    win: 500,
    len,
    ms,
    ...extra,
  });
  const ackB = (ms: number, relAck: number, extra: Partial<Seg> = {}): Seg => ({
    from: 'B',
    seq: ISN_B + 1,
    ack: ISN_A + relAck,
    flags: ACK,
    win: 500,
    ms,
    ...extra,
  });

  it('marks data sent again after the iRTT as a retransmission, with its RTO', () => {
    const f = run([...handshake(), data(30, 1), data(500, 1)]);
    expect(flags(f[4])).toEqual(['retransmission']);
    expect(f[4].info.startsWith('[TCP Retransmission] 40000 \u2192 80 [ACK] Seq=1')).toBe(true);
    expect(field(f[4].packet, 'tcp.analysis.rto_frame')).toBe('4');
  });

  it('marks an earlier segment arriving within the iRTT as out-of-order', () => {
    const f = run([...handshake(), data(30, 101), data(31, 1)]);
    expect(flags(f[3])).toEqual(['lost_segment']);
    expect(f[3].info.startsWith('[TCP Previous segment not captured] ')).toBe(true);
    expect(flags(f[4])).toEqual(['out_of_order']);
    expect(f[4].info.startsWith('[TCP Out-Of-Order] ')).toBe(true);
  });

  it('marks an ACK of bytes never seen as ACKed unseen segment', () => {
    const f = run([...handshake(), data(30, 1), ackB(40, 301)]);
    expect(flags(f[4])).toEqual(['ack_lost_segment']);
    expect(f[4].info.startsWith('[TCP ACKed unseen segment] ')).toBe(true);
  });

  it('reports an ACK of unseen bytes once while the peer sends nothing new', () => {
    const f = run([...handshake(), data(30, 1), ackB(40, 301), ackB(41, 301, { win: 600 })]);
    expect(flags(f[4])).toEqual(['ack_lost_segment']);
    expect(flags(f[5])).toEqual(['window_update']);
  });

  it('counts duplicate ACKs and marks the fast retransmission that follows them', () => {
    const f = run([
      ...handshake(),
      data(30, 1),
      data(31, 101),
      data(32, 201),
      ackB(40, 101),
      ackB(41, 101),
      ackB(42, 101),
      data(45, 101),
    ]);
    expect(flags(f[7])).toEqual(['duplicate_ack']);
    expect(f[7].get('tcp.analysis.duplicate_ack_num')).toBe('1');
    expect(f[7].get('tcp.analysis.duplicate_ack_frame')).toBe('7');
    expect(f[7].info.startsWith('[TCP Dup ACK 7#1] 80 \u2192 40000 [ACK]')).toBe(true);
    expect(f[8].info.startsWith('[TCP Dup ACK 7#2] ')).toBe(true);
    expect(flags(f[9])).toEqual(['retransmission', 'fast_retransmission']);
    expect(f[9].info.startsWith('[TCP Fast Retransmission] ')).toBe(true);
  });

  it('marks data the peer had already acknowledged as a spurious retransmission', () => {
    const f = run([...handshake(), data(30, 1), ackB(40, 101), data(500, 1)]);
    expect(flags(f[5])).toEqual(['retransmission', 'spurious_retransmission']);
    expect(f[5].info.startsWith('[TCP Spurious Retransmission] ')).toBe(true);
  });

  it('marks a zero window, the one-byte probe into it and the probe ACK', () => {
    const f = run([
      ...handshake(),
      data(30, 1),
      ackB(40, 101, { win: 0 }),
      data(50, 101, 1),
      ackB(60, 101, { win: 0 }),
    ]);
    expect(flags(f[4])).toEqual(['zero_window']);
    expect(f[4].info.startsWith('[TCP ZeroWindow] ')).toBe(true);
    expect(flags(f[5])).toEqual(['zero_window_probe']);
    expect(f[5].info.startsWith('[TCP ZeroWindowProbe] ')).toBe(true);
    expect(flags(f[6]).sort()).toEqual(['zero_window', 'zero_window_probe_ack']);
    expect(f[6].info.startsWith('[TCP ZeroWindowProbeAck] [TCP ZeroWindow] ')).toBe(true);
  });

  it('marks a window update and data that fills the advertised window', () => {
    const f = run([
      ...handshake(),
      ackB(30, 1, { win: 25 }), // B's window: 25 << 3 = 200 bytes
      data(40, 1, 200),
      ackB(50, 1, { win: 40 }),
    ]);
    expect(flags(f[4])).toEqual(['window_full']);
    expect(f[4].info.startsWith('[TCP Window Full] ')).toBe(true);
    expect(flags(f[5])).toEqual(['window_update']);
    expect(f[5].info.startsWith('[TCP Window Update] ')).toBe(true);
  });

  it('marks a keep-alive (one byte before nextseq) and the ACK that answers it', () => {
    const f = run([...handshake(), data(30, 1), ackB(40, 101), data(5000, 100, 1), ackB(5010, 101)]);
    expect(flags(f[5])).toEqual(['keep_alive']);
    expect(f[5].info.startsWith('[TCP Keep-Alive] ')).toBe(true);
    expect(flags(f[6])).toEqual(['keep_alive_ack']);
    expect(f[6].info.startsWith('[TCP Keep-Alive ACK] ')).toBe(true);
  });

  it('subtracts SACKed bytes from the bytes in flight', () => {
    const f = run([
      ...handshake(),
      data(30, 1),
      data(31, 101),
      data(32, 201),
      ackB(40, 1, { sack: [[ISN_A + 101, ISN_A + 201]] }),
      data(41, 301),
    ]);
    expect(f[6].get('tcp.options.sack_le')).toBe('101');
    expect(f[7].get('tcp.analysis.bytes_in_flight')).toBe('300');
  });
});

describe('TCP analysis memory', () => {
  it('releases a closed stream once idle, and still sees a later SYN there as port reuse', () => {
    const d = new Dissection({ full: true });
    const f = run(
      [
        ...handshake(),
        { from: 'A', seq: ISN_A + 1, ack: ISN_B + 1, flags: RST, ms: 30 },
        // Another stream's segment 10 minutes later makes the sweep release the first one.
        ...handshake(600_000, 40001),
        { from: 'A', seq: 424242, flags: SYN, win: 64240, ms: 601_000 },
      ],
      d,
    );
    const state = d.session.protocolState('tcp.analysis', () => new TcpConversations());
    expect(state.released).toBe(1);
    expect(f[7].get('tcp.stream')).toBe('2');
    expect(f[7].info.startsWith('[TCP Port numbers reused] ')).toBe(true);
  });

  it('lets a late segment of a released stream carry on in it, with its relative numbers', () => {
    const d = new Dissection({ full: true });
    const f = run(
      [
        ...handshake(),
        { from: 'A', seq: ISN_A + 1, ack: ISN_B + 1, flags: FIN | ACK, ms: 30 },
        { from: 'B', seq: ISN_B + 1, ack: ISN_A + 2, flags: FIN | ACK, ms: 40 },
        ...handshake(120_000, 40001),
        { from: 'B', seq: ISN_B + 1, ack: ISN_A + 2, flags: FIN | ACK, ms: 121_000 },
      ],
      d,
    );
    const state = d.session.protocolState('tcp.analysis', () => new TcpConversations());
    expect(state.released).toBe(1);
    expect(state.revived).toBe(1);
    expect(f[8].get('tcp.stream')).toBe('0');
    expect(f[8].get('tcp.seq')).toBe('1');
    expect(f[8].get('tcp.ack')).toBe('2');
    expect(f[8].get('tcp.window_size_scalefactor')).toBe('8');
    expect(flags(f[8])).toEqual(['retransmission']);
  });
});
