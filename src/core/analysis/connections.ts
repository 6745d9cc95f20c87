// The connection report: one record per TCP connection (who connected to whom, how the
// handshake went, options each side offered, how it closed, bytes and packets each way) with
// Zeek's conn_state and history, built in one pass over dissected packets.
//
// It reads only the tree fields it asks for (CONNECTION_FIELDS), so it works on the summary path.
// Streams follow tcp.stream when the TCP analysis provides it; otherwise a 4-tuple starts a new
// connection when a SYN arrives after the previous one closed.

import { fieldByAbbrev } from '../dissect/fields.js';
import type { Packet } from '../dissect/packet.js';
import { formatIPv4, formatIPv6 } from '../dissect/bytes.js';

export type HandshakeStatus =
  'complete' | 'refused' | 'unanswered' | 'reset' | 'syn_ack_only' | 'incomplete' | 'not_seen' | 'simultaneous_open';

export type CloseHow = 'fin' | 'rst_client' | 'rst_server' | 'open' | 'half_closed';

export interface SideOptions {
  mss: number | null;
  window_scale: number | null;
  sack_perm: boolean;
  timestamps: boolean;
  /** ECN negotiated from this side's SYN (ECE+CWR) or SYN-ACK (ECE). */
  ecn: boolean;
}

export interface Connection {
  stream: number;
  client: string;
  server: string;
  handshake: {
    status: HandshakeStatus;
    syn_frame: number | null;
    syn_ack_frame: number | null;
    ack_frame: number | null;
    /** SYN to SYN-ACK, seconds (the client's view of the network round trip). */
    rtt_client: number | null;
    /** SYN-ACK to the handshake's ACK, seconds. */
    rtt_server: number | null;
    rtt: number | null;
    syn_retransmissions: number;
    /** Initial sequence numbers (raw, as on the wire; Wireshark shows them as relative 0). */
    isn_client: number | null;
    isn_server: number | null;
    /** Times of every SYN the client sent (first one and its retransmissions), seconds from the first. */
    syn_times: number[];
  };
  options: { client: SideOptions; server: SideOptions };
  /** How it ended; `frames` are all its FIN and RST frames in order. */
  close: { how: CloseHow; frames: number[]; fin_frames: number[]; rst_frames: number[] };
  bytes: { client_to_server: number; server_to_client: number };
  packets: { client_to_server: number; server_to_client: number };
  /** Seconds since the epoch of the first packet, and the time to the last one. */
  start: number;
  duration: number;
  retransmissions: number;
  /** Zeek's conn_state. */
  state: string;
  /** Zeek's history letters (upper case: client; lower case: server). */
  history: string;
  first_frame: number;
  last_frame: number;
  /** The first payload each way: its frame and up to 200 bytes of it (for the explanation). */
  first_data: { client: DataPeek | null; server: DataPeek | null };
}

export interface DataPeek {
  frame: number;
  /** The first bytes, as text with non-printable bytes escaped. */
  text: string;
}

/** Fields the report reads; the dissection must keep them (Dissection.configure wanted). */
export const CONNECTION_FIELDS = [
  'tcp.flags',
  'tcp.seq_raw',
  'tcp.ack_raw',
  'tcp.len',
  'tcp.window_size_value',
  'tcp.options.mss_val',
  'tcp.options.wscale.shift',
  'tcp.options.sack_perm',
  'tcp.options.timestamp.tsval',
  'tcp.stream',
  'tcp.analysis.retransmission',
  'tcp.analysis.fast_retransmission',
  'tcp.analysis.spurious_retransmission',
  'tcp.payload',
];

// Zeek's TCP endpoint states (see conn_state in Zeek's conn/main.zeek).
const INACTIVE = 0;
const SYN_SENT = 1;
const SYN_ACK_SENT = 2;
const PARTIAL = 3;
const ESTABLISHED = 4;
const CLOSED = 5;
const RESET = 6;

const FIN = 0x01;
const SYN = 0x02;
const RST = 0x04;
const ACK = 0x10;
const ECE = 0x40;
const CWR = 0x80;

interface Side {
  address: string;
  /** The IPv4 address as a number (side 0 of a connection; -1 otherwise), to match packets fast. */
  address4: number;
  port: number;
  state: number;
  packets: number;
  /** Payload bytes counted once: the highest sequence number reached beyond the first. */
  bytes: number;
  nextSeq: number;
  seqKnown: boolean;
  options: SideOptions;
  /**
   * Last sequence number of each repeatable history flag, by its index in SEQ_LETTERS (Zeek
   * records s/h/f/r again when it differs). Fixed fields, not Maps: a report holds one per
   * connection, and Maps cost a few hundred bytes each.
   */
  lastFlagSeq: number[];
  /** Counts of logarithmic history letters, by index in LOG_LETTERS. */
  counts: number[];
  /** Letters recorded once (bits by index in ONCE_LETTERS). */
  once: number;
}

const SEQ_LETTERS = 'SHFR';
const LOG_LETTERS = 'GTW';
const ONCE_LETTERS = 'IQDA';

interface Tracked {
  stream: number;
  sides: [Side, Side];
  /** Index of the client side in `sides`, decided by the first SYN, else the SYN-ACK, else ports. */
  client: 0 | 1;
  clientKnown: boolean;
  firstFrame: number;
  lastFrame: number;
  firstTime: number;
  lastTime: number;
  synFrame: number | null;
  synTime: number;
  synSeq: number;
  synTimes: number[];
  synRetransmissions: number;
  /** Sides that sent a SYN without ACK: bit 1 << side. */
  synSenders: number;
  synAckFrame: number | null;
  synAckTime: number;
  synAckSeq: number;
  ackFrame: number | null;
  ackTime: number;
  rstBeforeHandshake: number | null;
  finFrames: number[];
  rstFrames: number[];
  firstRstSide: number;
  firstData: [DataPeek | null, DataPeek | null];
  retransmissions: number;
  history: string;
  closed: boolean;
}

interface Ids {
  flags: number;
  seq: number;
  ack: number;
  len: number;
  win: number;
  mss: number;
  ws: number;
  sackPerm: number;
  tsval: number;
  stream: number;
  retrans: number[];
  payload: number;
}

export class ConnectionTable {
  private readonly byKey = new Map<string, Tracked>();
  /** The connection of each tcp.stream (when the TCP analysis numbers them). */
  private readonly byStream: Tracked[] = [];
  private readonly all: Tracked[] = [];
  private readonly ids: Ids;

  constructor() {
    const id = (name: string) => fieldByAbbrev(name)?.id ?? -1;
    this.ids = {
      flags: id('tcp.flags'),
      seq: id('tcp.seq_raw'),
      ack: id('tcp.ack_raw'),
      len: id('tcp.len'),
      win: id('tcp.window_size_value'),
      mss: id('tcp.options.mss_val'),
      ws: id('tcp.options.wscale.shift'),
      payload: id('tcp.payload'),
      sackPerm: id('tcp.options.sack_perm'),
      tsval: id('tcp.options.timestamp.tsval'),
      stream: id('tcp.stream'),
      retrans: [
        'tcp.analysis.retransmission',
        'tcp.analysis.fast_retransmission',
        'tcp.analysis.spurious_retransmission',
      ]
        .map(id)
        .filter((x) => x >= 0),
    };
  }

  /** Field ids the dissection must keep for add() to work. */
  static fieldIds(): number[] {
    return CONNECTION_FIELDS.map((n) => fieldByAbbrev(n)?.id ?? -1).filter((x) => x >= 0);
  }

  /** Takes one dissected packet into account (packets that are not TCP are ignored). */
  add(p: Packet): void {
    if (p.ipProto !== 6 || p.srcPort < 0 || p.netType === 0) return;
    const t = p.tree;
    const ids = this.ids;
    let flags = -1;
    let seq = 0;
    let len = 0;
    let win = -1;
    let mss = -1;
    let ws = -1;
    let sackPerm = false;
    let ts = false;
    let stream = -1;
    let retrans = false;
    let payload = -1;
    for (let i = 0; i < t.count; i++) {
      const f = t.field[i];
      const v = t.num[i];
      if (f === ids.flags) flags = v;
      else if (f === ids.seq) seq = v;
      else if (f === ids.len) len = v;
      else if (f === ids.win) win = v;
      else if (f === ids.mss) mss = v;
      else if (f === ids.ws) ws = v;
      else if (f === ids.sackPerm) sackPerm = true;
      else if (f === ids.tsval) ts = true;
      else if (f === ids.stream && stream < 0) stream = v;
      else if (f === ids.payload) payload = i;
      else if (ids.retrans.includes(f)) retrans = true;
    }
    if (flags < 0) return; // the header could not be read
    const time = p.meta.tsSec + p.meta.tsNsec / 1e9;
    const frame = p.meta.number;

    // With the TCP analysis, tcp.stream says which connection: no address text per packet.
    let c = stream >= 0 ? this.byStream[stream] : undefined;
    if (c === undefined) {
      const src = addressText(p, true);
      const dst = addressText(p, false);
      const a = endpoint(src, p.srcPort, p.netType);
      const b = endpoint(dst, p.dstPort, p.netType);
      const key = a < b ? `${a}|${b}` : `${b}|${a}`;
      if (stream < 0) {
        c = this.byKey.get(key);
        // Without stream numbers, a SYN after the connection closed starts a new one.
        if (c !== undefined && c.closed && (flags & (SYN | ACK)) === SYN) c = undefined;
      }
      if (c === undefined) {
        c = this.open(stream >= 0 ? stream : this.all.length, src, p.srcPort, dst, p.dstPort, frame, time);
        c.sides[0].address4 = p.netType === 4 ? p.netSrc4 : -1;
        // Found again by tcp.stream when the TCP analysis numbers streams, else by the 4-tuple.
        if (stream >= 0) this.byStream[stream] = c;
        else this.byKey.set(key, c);
      }
    }
    const first = c.sides[0];
    const fromFirst =
      first.port === p.srcPort &&
      (first.address4 >= 0 ? p.netType === 4 && first.address4 === p.netSrc4 : first.address === addressText(p, true));
    const from = fromFirst ? 0 : 1;
    this.update(c, from, { flags, seq, len, win, mss, ws, sackPerm, ts, retrans }, frame, time);
    // Keep a peek at the first payload each way (the request, the response) for the explanation.
    if (payload >= 0 && c.firstData[from] === null && t.length[payload] > 0) {
      const bytes = p.sources[t.source[payload]]?.data ?? p.data;
      c.firstData[from] = { frame, text: peek(bytes, t.start[payload], Math.min(t.length[payload], 200)) };
    }
  }

  private open(
    stream: number,
    src: string,
    sport: number,
    dst: string,
    dport: number,
    frame: number,
    time: number,
  ): Tracked {
    const side = (address: string, port: number): Side => ({
      address,
      address4: -1,
      port,
      state: INACTIVE,
      packets: 0,
      bytes: 0,
      nextSeq: 0,
      seqKnown: false,
      options: { mss: null, window_scale: null, sack_perm: false, timestamps: false, ecn: false },
      lastFlagSeq: [NaN, NaN, NaN, NaN],
      counts: [0, 0, 0],
      once: 0,
    });
    const c: Tracked = {
      stream,
      sides: [side(src, sport), side(dst, dport)],
      client: sport >= dport ? 0 : 1,
      clientKnown: false,
      firstFrame: frame,
      lastFrame: frame,
      firstTime: time,
      lastTime: time,
      synFrame: null,
      synTime: 0,
      synSeq: 0,
      synTimes: [],
      synRetransmissions: 0,
      synSenders: 0,
      synAckFrame: null,
      synAckTime: 0,
      synAckSeq: 0,
      ackFrame: null,
      ackTime: 0,
      rstBeforeHandshake: null,
      finFrames: [],
      rstFrames: [],
      firstRstSide: -1,
      firstData: [null, null],
      retransmissions: 0,
      history: '',
      closed: false,
    };
    this.all.push(c);
    return c;
  }

  private update(
    c: Tracked,
    from: 0 | 1,
    s: {
      flags: number;
      seq: number;
      len: number;
      win: number;
      mss: number;
      ws: number;
      sackPerm: boolean;
      ts: boolean;
      retrans: boolean;
    },
    frame: number,
    time: number,
  ): void {
    const me = c.sides[from];
    const peer = c.sides[1 - from];
    const { flags } = s;
    c.lastFrame = frame;
    c.lastTime = time;
    me.packets++;

    const syn = (flags & SYN) !== 0;
    const ack = (flags & ACK) !== 0;
    const fin = (flags & FIN) !== 0;
    const rst = (flags & RST) !== 0;

    // Who is the client: the first SYN's sender; else the receiver of the first SYN-ACK.
    if (!c.clientKnown && syn) {
      c.client = ack ? ((1 - from) as 0 | 1) : from;
      c.clientKnown = true;
    }
    const fromClient = from === c.client;

    // Sequence-based sizes and retransmissions (Zeek counts payload bytes by sequence numbers).
    const span = s.len + (syn ? 1 : 0) + (fin ? 1 : 0);
    let retransmitted = s.retrans;
    if (!me.seqKnown) {
      me.seqKnown = true;
      me.nextSeq = (s.seq + span) >>> 0;
      me.bytes += s.len;
    } else if (s.len > 0 || syn || fin) {
      const ahead = (((s.seq + span) >>> 0) - me.nextSeq) | 0;
      const gap = ((s.seq - me.nextSeq) | 0) > 0;
      if (gap && s.len > 0) this.historyLog(c, fromClient, me, 'G');
      if (ahead > 0) {
        me.bytes += Math.min(s.len, ahead);
        me.nextSeq = (s.seq + span) >>> 0;
      } else if (s.len > 0 && !s.retrans) retransmitted = true;
    }
    if (retransmitted && s.len > 0) {
      c.retransmissions++;
      this.historyLog(c, fromClient, me, 'T');
    }

    // Handshake bookkeeping.
    if (syn && !ack) {
      c.synSenders |= 1 << from;
      if (c.synFrame === null) {
        c.synFrame = frame;
        c.synTime = time;
        c.synSeq = s.seq;
        c.synTimes.push(time);
      } else if (fromClient && c.synAckFrame === null && s.seq === c.synSeq) {
        c.synRetransmissions++;
        c.synTimes.push(time);
      }
      me.options = sideOptions(s, (flags & (ECE | CWR)) === (ECE | CWR));
      if (me.state === INACTIVE || me.state === CLOSED || me.state === RESET) me.state = SYN_SENT;
    } else if (syn && ack) {
      if (c.synAckFrame === null) {
        c.synAckFrame = frame;
        c.synAckTime = time;
        c.synAckSeq = s.seq;
        me.options = sideOptions(s, (flags & ECE) !== 0);
      }
      if (me.state === INACTIVE || me.state === SYN_SENT) me.state = SYN_ACK_SENT;
    }
    if (rst) {
      c.rstFrames.push(frame);
      if (c.firstRstSide < 0) c.firstRstSide = from;
      if (c.ackFrame === null && c.rstBeforeHandshake === null) c.rstBeforeHandshake = frame;
      me.state = RESET;
      c.closed = true;
    } else if (fin) {
      c.finFrames.push(frame);
      if (me.state !== RESET) me.state = CLOSED;
      if (peer.state === CLOSED || peer.state === RESET) c.closed = true;
    } else if (!syn && ack) {
      // The client's ACK of the SYN-ACK completes the handshake.
      if (c.ackFrame === null && c.synAckFrame !== null && fromClient && c.rstBeforeHandshake === null) {
        c.ackFrame = frame;
        c.ackTime = time;
      }
      if (me.state === INACTIVE) me.state = PARTIAL;
      else if (me.state === SYN_SENT || me.state === SYN_ACK_SENT) me.state = ESTABLISHED;
      if (peer.state === SYN_ACK_SENT || (peer.state === SYN_SENT && me.state === ESTABLISHED))
        peer.state = ESTABLISHED;
    } else if (!syn && !ack && me.state === INACTIVE) me.state = PARTIAL;

    // History letters, as Zeek's update_history: a packet with two of SYN/FIN/RST gets only Q or I;
    // one of them gets S/H/F/R (again when its sequence number differs from the last of that
    // letter; FIN compares seq + len); none gets D (payload) or A (pure ACK). a/d/i/q are kept once
    // per direction; t/w/g logarithmically.
    const control = (syn ? 1 : 0) + (fin ? 1 : 0) + (rst ? 1 : 0);
    if (control > 1) this.historyOnce(c, fromClient, me, fin && rst ? 'I' : 'Q');
    else if (syn) this.historySeq(c, fromClient, me, ack ? 'H' : 'S', s.seq);
    else if (fin) this.historySeq(c, fromClient, me, 'F', (s.seq + s.len) >>> 0);
    else if (rst) this.historySeq(c, fromClient, me, 'R', s.seq);
    else if (s.len > 0) this.historyOnce(c, fromClient, me, 'D');
    else if (ack) this.historyOnce(c, fromClient, me, 'A');
    if (s.win === 0 && !syn && !rst) this.historyLog(c, fromClient, me, 'W');
  }

  private letter(fromClient: boolean, l: string): string {
    return fromClient ? l : l.toLowerCase();
  }

  private historyOnce(c: Tracked, fromClient: boolean, me: Side, l: string): void {
    const bit = 1 << ONCE_LETTERS.indexOf(l);
    if (me.once & bit) return;
    me.once |= bit;
    c.history += this.letter(fromClient, l);
  }

  private historySeq(c: Tracked, fromClient: boolean, me: Side, l: string, seq: number): void {
    const k = SEQ_LETTERS.indexOf(l);
    if (me.lastFlagSeq[k] === seq) return;
    me.lastFlagSeq[k] = seq;
    c.history += this.letter(fromClient, l);
  }

  private historyLog(c: Tracked, fromClient: boolean, me: Side, l: string): void {
    const k = LOG_LETTERS.indexOf(l);
    const n = ++me.counts[k];
    // Recorded at the 1st, 10th, 100th ... occurrence.
    if (n === 1 || Number.isInteger(Math.log10(n))) c.history += this.letter(fromClient, l);
  }

  /** The report, in stream order. */
  connections(): Connection[] {
    return this.all.map((c) => report(c)).sort((x, y) => x.stream - y.stream);
  }
}

/** Bytes as text: printable ASCII kept, CR/LF/tab shown as \r \n \t, others as \xHH. */
function peek(b: Uint8Array, start: number, n: number): string {
  // Character codes first, one string at the end: a string grown a character at a time is a
  // chain of hundreds of pieces in V8, kept as such for every connection of the report (about
  // 6 KB per peek instead of 200 bytes).
  const codes: number[] = [];
  const end = Math.min(start + n, b.length);
  for (let i = start; i < end; i++) {
    const c = b[i];
    if (c === 0x0d) codes.push(0x5c, 0x72);
    else if (c === 0x0a) codes.push(0x5c, 0x6e);
    else if (c === 0x09) codes.push(0x5c, 0x74);
    else if (c === 0x5c) codes.push(0x5c, 0x5c);
    else if (c >= 0x20 && c < 0x7f) codes.push(c);
    else codes.push(0x5c, 0x78, HEX[c >> 4], HEX[c & 15]);
  }
  return String.fromCharCode(...codes);
}

/** Lowercase hex digits' character codes. */
const HEX = Array.from('0123456789abcdef', (d) => d.charCodeAt(0));

/** The packet's source (or destination) address as text. */
function addressText(p: Packet, source: boolean): string {
  if (p.netType === 4) return formatIPv4(source ? p.netSrc4 : p.netDst4);
  return formatIPv6((source ? p.netSrc6 : p.netDst6) ?? new Uint8Array(16), 0);
}

function endpoint(address: string, port: number, netType: number): string {
  return netType === 6 ? `[${address}]:${port}` : `${address}:${port}`;
}

function sideOptions(s: { mss: number; ws: number; sackPerm: boolean; ts: boolean }, ecn: boolean): SideOptions {
  return {
    mss: s.mss >= 0 ? s.mss : null,
    window_scale: s.ws >= 0 ? s.ws : null,
    sack_perm: s.sackPerm,
    timestamps: s.ts,
    ecn,
  };
}

function round(x: number): number {
  return Math.round(x * 1e9) / 1e9;
}

function report(c: Tracked): Connection {
  const client = c.sides[c.client];
  const server = c.sides[1 - c.client];
  const status = handshakeStatus(c);
  const rttClient = c.synFrame !== null && c.synAckFrame !== null ? round(c.synAckTime - c.synTime) : null;
  const rttServer = c.synAckFrame !== null && c.ackFrame !== null ? round(c.ackTime - c.synAckTime) : null;
  let how: CloseHow;
  if (c.firstRstSide >= 0) how = c.firstRstSide === c.client ? 'rst_client' : 'rst_server';
  else if (client.state === CLOSED && server.state === CLOSED) how = 'fin';
  else if (client.state === CLOSED || server.state === CLOSED) how = 'half_closed';
  else how = 'open';
  // Zeek writes the history from the originator's point of view; '^' marks a flipped direction.
  const flipped = c.history !== '' && startsLower(c.history);
  return {
    stream: c.stream,
    client: endpoint(client.address, client.port, client.address.includes(':') ? 6 : 4),
    server: endpoint(server.address, server.port, server.address.includes(':') ? 6 : 4),
    handshake: {
      status,
      syn_frame: c.synFrame,
      syn_ack_frame: c.synAckFrame,
      ack_frame: c.ackFrame,
      rtt_client: rttClient,
      rtt_server: rttServer,
      rtt: rttClient !== null && rttServer !== null ? round(rttClient + rttServer) : null,
      syn_retransmissions: c.synRetransmissions,
      isn_client: c.synFrame !== null ? c.synSeq : null,
      isn_server: c.synAckFrame !== null ? c.synAckSeq : null,
      syn_times: c.synTimes.map((t) => round(t - c.synTimes[0])),
    },
    options: { client: client.options, server: server.options },
    close: {
      how,
      frames: [...c.finFrames, ...c.rstFrames].sort((x, y) => x - y),
      fin_frames: c.finFrames,
      rst_frames: c.rstFrames,
    },
    bytes: { client_to_server: client.bytes, server_to_client: server.bytes },
    packets: { client_to_server: client.packets, server_to_client: server.packets },
    start: round(c.firstTime),
    duration: round(c.lastTime - c.firstTime),
    retransmissions: c.retransmissions,
    state: connState(client, server, flipped ? '^' + c.history : c.history),
    history: flipped ? '^' + c.history : c.history,
    first_data: { client: c.firstData[c.client], server: c.firstData[1 - c.client] },
    first_frame: c.firstFrame,
    last_frame: c.lastFrame,
  };
}

function startsLower(h: string): boolean {
  return h[0] !== h[0].toUpperCase();
}

function handshakeStatus(c: Tracked): HandshakeStatus {
  if (c.synSenders === 3) return 'simultaneous_open';
  if (c.synFrame === null) return c.synAckFrame !== null ? 'syn_ack_only' : 'not_seen';
  if (c.synAckFrame === null)
    return c.rstBeforeHandshake !== null && c.firstRstSide !== c.client ? 'refused' : 'unanswered';
  if (c.ackFrame !== null) return 'complete';
  return c.rstBeforeHandshake !== null ? 'reset' : 'incomplete';
}

/** Zeek's conn_state from the two endpoint states (conn/main.zeek). */
function connState(orig: Side, resp: Side, history: string): string {
  const os = orig.state;
  const rs = resp.state;
  const oInactive = os === INACTIVE || os === PARTIAL;
  const rInactive = rs === INACTIVE || rs === PARTIAL;
  if (rs === RESET) {
    if (os === SYN_SENT || os === SYN_ACK_SENT || (os === RESET && orig.bytes === 0 && resp.bytes === 0)) return 'REJ';
    return oInactive ? 'RSTRH' : 'RSTR';
  }
  if (os === RESET) {
    if (rInactive) return /^\^?S[^HAFGIQ]*R/.test(history) ? 'RSTOS0' : 'OTH';
    return 'RSTO';
  }
  if (rs === CLOSED && os === CLOSED) return 'SF';
  if (os === CLOSED) return rInactive ? 'SH' : 'S2';
  if (rs === CLOSED) return oInactive ? 'SHR' : 'S3';
  if (os === SYN_SENT && rs === INACTIVE) return 'S0';
  if (os === ESTABLISHED && rs === ESTABLISHED) return 'S1';
  return 'OTH';
}
