// TCP stream analysis with Wireshark 4.0's semantics (packet-tcp.c): tcp.stream per conversation
// with port reuse, relative sequence numbers, window scaling, conversation completeness, per-stream
// times, and the tcp.analysis items and expert flags (tcp_analyze_sequence_number). One pass in
// frame order through the TCP dissector's TcpAnalysisHook; per-capture tables live in the Session.

import { defineFields, fieldById } from '../dissect/fields.js';
import type { Packet, Severity } from '../dissect/packet.js';
import type { Session } from '../dissect/session.js';
import { GENERATED, HIDDEN } from '../dissect/tree.js';
import { TCPOPT } from '../dissect/tcp-options.js';
import { TCP_PAYLOAD, TH, setTcpAnalysisHook, type TcpAnalysisHook, type TcpSegment } from '../dissect/tcp.js';
import {
  POW2,
  ANALYSIS,
  Conversation,
  Flow,
  SegmentAnalysis,
  TcpConversations,
  TcpStreamFinals,
  completenessText,
} from './tcp-state.js';
import { analyzeSequence } from './tcp-sequence.js';

import { reassembleAtFin, reassemblePayload, showRetransmittedData } from './tcp-reassembly.js';
export { ANALYSIS, completenessText, type TcpStreamFinals } from './tcp-state.js';

export const tcpAnalysisFields = defineFields({
  stream: { abbrev: 'tcp.stream', name: 'Stream index', type: 'uint', bits: 32, base: 'dec' },
  completeness: {
    abbrev: 'tcp.completeness',
    name: 'Conversation completeness',
    type: 'uint',
    bits: 8,
    base: 'dec',
    blurb: 'The completeness of the conversation capture',
  },
  timeRelative: {
    abbrev: 'tcp.time_relative',
    name: 'Time since first frame in this TCP stream',
    type: 'reltime',
    unit: ' seconds',
  },
  timeDelta: {
    abbrev: 'tcp.time_delta',
    name: 'Time since previous frame in this TCP stream',
    type: 'reltime',
    unit: ' seconds',
  },
  analysis: { abbrev: 'tcp.analysis', name: 'SEQ/ACK analysis', type: 'none' },
  flags: { abbrev: 'tcp.analysis.flags', name: 'TCP Analysis Flags', type: 'none' },
  acksFrame: { abbrev: 'tcp.analysis.acks_frame', name: 'This is an ACK to the segment in frame', type: 'framenum' },
  ackRtt: { abbrev: 'tcp.analysis.ack_rtt', name: 'The RTT to ACK the segment was', type: 'reltime', unit: ' seconds' },
  initialRtt: { abbrev: 'tcp.analysis.initial_rtt', name: 'iRTT', type: 'reltime', unit: ' seconds' },
  bytesInFlight: {
    abbrev: 'tcp.analysis.bytes_in_flight',
    name: 'Bytes in flight',
    type: 'uint',
    bits: 32,
    base: 'dec',
  },
  pushBytesSent: {
    abbrev: 'tcp.analysis.push_bytes_sent',
    name: 'Bytes sent since last PSH flag',
    type: 'uint',
    bits: 32,
    base: 'dec',
  },
  rto: { abbrev: 'tcp.analysis.rto', name: 'The RTO for this segment was', type: 'reltime', unit: ' seconds' },
  rtoFrame: { abbrev: 'tcp.analysis.rto_frame', name: 'RTO based on delta from frame', type: 'framenum' },
  duplicateAck: { abbrev: 'tcp.analysis.duplicate_ack', name: 'Duplicate ACK', type: 'none' },
  duplicateAckNum: {
    abbrev: 'tcp.analysis.duplicate_ack_num',
    name: 'Duplicate ACK #',
    type: 'uint',
    bits: 32,
    base: 'dec',
  },
  duplicateAckFrame: {
    abbrev: 'tcp.analysis.duplicate_ack_frame',
    name: 'Duplicate to the ACK in frame',
    type: 'framenum',
  },
  retransmission: {
    abbrev: 'tcp.analysis.retransmission',
    name: 'This frame is a (suspected) retransmission',
    type: 'none',
  },
  fastRetransmission: {
    abbrev: 'tcp.analysis.fast_retransmission',
    name: 'This frame is a (suspected) fast retransmission',
    type: 'none',
  },
  spuriousRetransmission: {
    abbrev: 'tcp.analysis.spurious_retransmission',
    name: 'This frame is a (suspected) spurious retransmission',
    type: 'none',
  },
  outOfOrder: {
    abbrev: 'tcp.analysis.out_of_order',
    name: 'This frame is a (suspected) out-of-order segment',
    type: 'none',
  },
  reusedPorts: {
    abbrev: 'tcp.analysis.reused_ports',
    name: 'A new tcp session is started with the same ports as an earlier session in this trace',
    type: 'none',
  },
  lostSegment: {
    abbrev: 'tcp.analysis.lost_segment',
    name: 'Previous segment(s) not captured (common at capture start)',
    type: 'none',
  },
  ackLostSegment: {
    abbrev: 'tcp.analysis.ack_lost_segment',
    name: "ACKed segment that wasn't captured (common at capture start)",
    type: 'none',
  },
  windowUpdate: { abbrev: 'tcp.analysis.window_update', name: 'TCP window update', type: 'none' },
  windowFull: {
    abbrev: 'tcp.analysis.window_full',
    name: 'TCP window specified by the receiver is now completely full',
    type: 'none',
  },
  keepAlive: { abbrev: 'tcp.analysis.keep_alive', name: 'TCP keep-alive segment', type: 'none' },
  keepAliveAck: { abbrev: 'tcp.analysis.keep_alive_ack', name: 'ACK to a TCP keep-alive segment', type: 'none' },
  zeroWindowProbe: { abbrev: 'tcp.analysis.zero_window_probe', name: 'TCP Zero Window Probe', type: 'none' },
  zeroWindow: { abbrev: 'tcp.analysis.zero_window', name: 'TCP Zero Window segment', type: 'none' },
  zeroWindowProbeAck: {
    abbrev: 'tcp.analysis.zero_window_probe_ack',
    name: 'ACK to a TCP Zero Window Probe',
    type: 'none',
  },
});

const F = tcpAnalysisFields;

/** The analysis state of one capture (Session.protocolState('tcp.analysis')). */
function newConversations(): TcpConversations {
  return new TcpConversations();
}

/** The per-capture TCP analysis tables of a session. */
export function tcpConversations(p: Packet): TcpConversations {
  // The session rarely changes between segments: skip its table lookup then.
  if (p.session !== lastSession || lastState === undefined) {
    lastSession = p.session;
    lastState = p.session.protocolState('tcp.analysis', newConversations);
  }
  return lastState;
}
let lastSession: Session | undefined;
let lastState: TcpConversations | undefined;

// What begin() found for the segment being dissected; end() and option() read it. Reused.
let current: Conversation | undefined;
let fwd: Flow | undefined;
let rev: Flow | undefined;
const ta = new SegmentAnalysis();

export const tcpAnalysisHook: TcpAnalysisHook = {
  begin(p: Packet, seg: TcpSegment): void {
    current = undefined;
    fwd = undefined;
    rev = undefined;
    ta.reset();
    // A quoted segment inside an ICMP error: Wireshark finds its conversation by the quoted
    // addresses, which this packet does not expose; show it unanalysed (raw numbers).
    if (p.inErrorPacket) return;
    if (p.netType !== 4 && p.netType !== 6) return;
    const state = tcpConversations(p);
    const m = p.meta;
    const flags = seg.flags;
    let conv = state.find(p, seg.srcPort, seg.dstPort);
    let created = false;
    if (conv === undefined) {
      const released = state.releasedMatch;
      if (released !== undefined) {
        // A segment on the ports of a closed conversation whose state was released: it carries
        // on in that stream (a SYN with a new ISN then starts a new one, just below).
        conv = state.revive(p, released);
      } else {
        conv = state.create(p, m.tsSec, m.tsNsec);
        created = true;
      }
    }
    let forward = state.forward(conv);
    let f = forward ? conv.flow1 : conv.flow2;
    let r = forward ? conv.flow2 : conv.flow1;

    // A SYN on a known conversation: a different ISN starts a new stream on the same ports
    // (Wireshark: "TCP Port numbers reused"); the same ISN is a retransmitted SYN, which the
    // sequence analysis flags as a retransmission.
    if ((flags & (TH.SYN | TH.ACK)) === TH.SYN && f.baseSet) {
      if (seg.seqRaw !== f.baseSeq) {
        conv = state.create(p, m.tsSec, m.tsNsec);
        forward = state.forward(conv);
        f = forward ? conv.flow1 : conv.flow2;
        r = forward ? conv.flow2 : conv.flow1;
        ta.flags |= ANALYSIS.REUSED_PORTS;
        ta.exists = true;
        conv.completeness = 1;
      } else {
        // A retransmitted SYN (Wireshark issue 17616: a RST may carry the acknowledged number
        // as its sequence number, which moved nextseq): restore nextseq. The segment gets its
        // analysis record here (so with -2 it shows the iRTT).
        f.nextseq = f.maxseqtobeacked;
        ta.exists = true;
      }
    }
    // A SYN-ACK whose ISN differs from the one known for its side: same conversation, new base.
    if ((flags & (TH.SYN | TH.ACK)) === (TH.SYN | TH.ACK) && f.baseSet && seg.seqRaw !== f.baseSeq) {
      f.baseSeq = seg.seqRaw;
      ta.flags |= ANALYSIS.REUSED_PORTS;
      ta.exists = true;
    }
    current = conv;
    fwd = f;
    rev = r;
    conv.lastSec = m.tsSec;

    const t = p.tree;
    t.add(F.stream, seg.offset, 0, conv.stream, GENERATED);
    // With -2, the final values of the first pass are shown instead of the running ones.
    const finals = state.finals;
    if (finals && conv.frames === 0) {
      // tshark's second pass starts each stream from the first pass's final value and, the
      // conversation being known by then, keeps adding bits (also those a new conversation's
      // first segment could not add in the first pass).
      conv.completeness = finals.completeness(conv.stream, conv.completeness);
      created = false;
    }
    conv.frames++;
    const ci = t.add(F.completeness, 0, 0, conv.completeness, GENERATED);
    if (t.full) t.setLabel(ci, `[Conversation completeness: ${completenessText(conv.completeness)}]`);

    // Stream times (tcp_calculate_timestamps): the delta from the previous frame of this stream.
    conv.deltaSec = m.tsSec - conv.prevSec;
    conv.deltaNsec = m.tsNsec - conv.prevNsec;
    conv.prevSec = m.tsSec;
    conv.prevNsec = m.tsNsec;
    f.sackRanges = 0;
    f.sackDelivered = 0;

    // What is shown: with -2, the stream's values at the end of the capture (a later SYN-ACK
    // can move a base; the handshake fixes the scale), as tshark's second pass shows them.
    const stream = conv.stream;
    if (seg.segLen >= 0) {
      analyzeSequence(p, conv, f, r, seg, ta);
      const base = finals ? finals.baseSeq(stream, forward, f.baseSeq) : f.baseSeq;
      seg.seq = (seg.seqRaw - base) >>> 0;
      if (flags & TH.ACK) {
        const peerBase = finals ? finals.baseSeq(stream, !forward, r.baseSeq) : r.baseSeq;
        seg.ack = (seg.ackRaw - peerBase) >>> 0;
      }
    }
    const scale = finals ? finals.winScale(stream, forward, f.winScale) : f.winScale;
    if (seg.segLen >= 0 && !(flags & TH.SYN) && scale >= 0) seg.window = seg.windowRaw * POW2[scale];
    // With analysis on, Wireshark labels seq/ack relative (and shows the raw items) even when
    // the numbers could not be made relative.
    seg.relative = true;
    seg.sackBase = finals ? finals.baseSeq(stream, !forward, r.baseSeq) : r.baseSeq;
    if (!(flags & TH.SYN)) seg.windowScaleFactor = scale >= 0 ? POW2[scale] : scale;
    if (conv.serverPort !== 0) seg.serverPort = conv.serverPort;
    // AccECN (draft-ietf-tcpm-accurate-ecn): a SYN with AE, CWR and ECE asks for it; from then on
    // Wireshark shows the three bits of the other segments as the ACE counter.
    if ((flags & (TH.SYN | TH.ACK | TH.AE | TH.CWR | TH.ECE)) === (TH.SYN | TH.AE | TH.CWR | TH.ECE))
      conv.accEcn = true;
    if (conv.accEcn && !(flags & TH.SYN)) seg.useAce = true;

    if (seg.hdrLen < 20) return; // Wireshark stops before the completeness update
    updateCompleteness(conv, created, flags, seg.segLen);

    if (flags & TH.SYN) {
      if (flags & TH.ACK) conv.serverPort = seg.srcPort;
      else {
        conv.serverPort = seg.dstPort;
        conv.synSec = m.tsSec;
        conv.synNsec = m.tsNsec;
        conv.sawSyn = true;
      }
      f.isFirstAck = true;
    }
    if (flags & TH.FIN) {
      if (!r.closingInitiator) {
        f.closingInitiator = true;
        seg.finRole = 1;
      } else {
        seg.finRole = 2;
      }
    }
    if ((flags & (TH.SYN | TH.ACK)) === TH.ACK) {
      // The first pure ACK after a SYN completes the handshake: its delay from the SYN is the iRTT.
      if (conv.sawSyn && !conv.hasFirstRtt) {
        conv.firstRttSec = m.tsSec - conv.synSec;
        conv.firstRttNsec = m.tsNsec - conv.synNsec;
      }
      f.isFirstAck = false;
    }
    if (flags & TH.FIN) f.finSeen = true;
    if (flags & TH.RST) conv.reset = true;
  },

  option(p: Packet, seg: TcpSegment, kind: number, value1: number, value2: number): void {
    const f = fwd;
    if (f === undefined) return;
    if (kind === TCPOPT.WINDOW) f.winScale = value1;
    else if (kind === TCPOPT.SACK && f.sackRanges < 3) {
      // Wireshark keeps the blocks for bytes in flight in slots 1..3 of a 4-slot array: a
      // fourth block is not counted.
      f.sackRanges++;
      f.sackDelivered += (value2 - value1) >>> 0;
    }
  },

  beforeOptions(p: Packet): void {
    const conv = current;
    if (conv === undefined) return;
    const t = p.tree;
    const m = p.meta;
    const ts = t.addText(0, 0, 'Timestamps', GENERATED);
    t.open(ts);
    p.tree.addInterval(F.timeRelative, 0, 0, m.tsSec - conv.firstSec, m.tsNsec - conv.firstNsec, GENERATED);
    p.tree.addInterval(F.timeDelta, 0, 0, conv.deltaSec, conv.deltaNsec, GENERATED);
    t.close();
  },

  end(p: Packet, seg: TcpSegment): void {
    const conv = current;
    const f = fwd;
    const r = rev;
    if (conv === undefined || f === undefined || r === undefined) return;
    const m = p.meta;

    if (ta.exists) printAnalysis(p, conv);

    if (seg.flags & TH.SYN) verifyWindowScaling((seg.flags & TH.ACK) !== 0, f, r);

    // tcp_no_subdissector_on_error: retransmitted and out-of-order data is not handed on; the
    // byte of a keep-alive is garbage, shown as data.
    // Spurious retransmissions too, as tshark shows them (no protocol above TCP).
    if (ta.flags & (ANALYSIS.RETRANSMISSION | ANALYSIS.OUT_OF_ORDER | ANALYSIS.SPURIOUS_RETRANSMISSION))
      seg.payloadMode = TCP_PAYLOAD.NONE;
    else if (ta.flags & ANALYSIS.KEEP_ALIVE) seg.payloadMode = TCP_PAYLOAD.DATA;

    const state = tcpConversations(p);
    state.maybeRelease(conv, m.tsSec);
  },

  payload(p: Packet, seg: TcpSegment, buf: Uint8Array, off: number, end: number): boolean {
    const f = fwd;
    if (f === undefined || current === undefined) return false;
    // Retransmitted data is not reassembled again (Wireshark: "Retransmitted TCP segment data");
    // an out-of-order segment may fill a gap of a message being collected.
    if (ta.flags & (ANALYSIS.RETRANSMISSION | ANALYSIS.SPURIOUS_RETRANSMISSION)) {
      // As tshark 4.0 shows them (checked on the shared captures): a plain retransmission's data
      // gets its item; a fast or spurious one's none.
      const kind =
        ta.flags & (ANALYSIS.RETRANSMISSION | ANALYSIS.FAST_RETRANSMISSION | ANALYSIS.SPURIOUS_RETRANSMISSION);
      if (kind === ANALYSIS.RETRANSMISSION) showRetransmittedData(p, seg, buf, off, end);
      return false;
    }
    const mode = seg.payloadMode;
    return reassemblePayload(p, seg, f, buf, off, end, mode === TCP_PAYLOAD.NONE, mode === TCP_PAYLOAD.DATA);
  },

  fin(p: Packet, seg: TcpSegment): void {
    if (fwd !== undefined) reassembleAtFin(p, seg, fwd);
  },
};

/** Completeness bits (Wireshark's TCP_COMPLETENESS_*): only a new conversation can take the SYN bit. */
function updateCompleteness(conv: Conversation, created: boolean, flags: number, segLen: number): void {
  let c = 0;
  const len = segLen > 0 ? segLen : 0;
  if (created) {
    if ((flags & (TH.SYN | TH.ACK)) === TH.SYN) {
      c |= 1;
      if (len > 0) c |= 8; // TCP Fast Open data on the SYN
    }
  } else {
    c = conv.completeness;
    if ((flags & (TH.SYN | TH.ACK)) === (TH.SYN | TH.ACK)) c |= 2;
    if ((flags & (TH.SYN | TH.ACK)) === TH.ACK) c |= len > 0 ? 8 : 4;
    if ((flags & (TH.FIN | TH.ACK)) === (TH.FIN | TH.ACK)) c |= 16;
    if (flags & TH.RST) c |= 32;
  }
  conv.completeness = c;
}

/**
 * verify_tcp_window_scaling: a SYN without the WS option means neither side scales (-2); a
 * SYN-ACK with WS after a SYN without it does not turn scaling on.
 */
function verifyWindowScaling(isSynAck: boolean, f: Flow, r: Flow): void {
  if (f.winScale === -1) {
    f.winScale = -2;
    r.winScale = -2;
  } else if (isSynAck && r.winScale === -2) {
    f.winScale = -2;
  }
}

/** An expert flag: the expert note and its named field (what -T fields prints as "1"). */
function flagExpert(p: Packet, field: number, severity: Severity, message: string): void {
  p.expert('TCP', fieldById(field).abbrev, severity, 'sequence', message, 0, 0);
  p.tree.add(field, 0, 0, 0, GENERATED | HIDDEN);
}

/**
 * tcp_print_sequence_number_analysis: the [SEQ/ACK analysis] subtree and the Info prefixes. Each
 * prefix goes in front of the previous ones (col_prepend_fence_fstr), so the last added shows first.
 */
function printAnalysis(p: Packet, conv: Conversation): void {
  const t = p.tree;
  const info = p.wantColumns;
  const top = t.add(F.analysis, 0, 0, 0, GENERATED);
  t.open(top);
  if (ta.frameAcked) {
    t.add(F.acksFrame, 0, 0, ta.frameAcked, GENERATED);
    if (ta.rttSec !== 0 || ta.rttNsec !== 0) p.tree.addInterval(F.ackRtt, 0, 0, ta.rttSec, ta.rttNsec, GENERATED);
  }
  const state = tcpConversations(p);
  const finals = state.finals;
  if (finals) {
    const rtt = finals.firstRtt(conv.stream);
    if (rtt) p.tree.addInterval(F.initialRtt, 0, 0, rtt[0], rtt[1], GENERATED);
  } else if (conv.hasFirstRtt) {
    p.tree.addInterval(F.initialRtt, 0, 0, conv.firstRttSec, conv.firstRttNsec, GENERATED);
  }
  if (ta.bytesInFlight) {
    t.add(F.bytesInFlight, 0, 0, ta.bytesInFlight, GENERATED);
    t.add(F.pushBytesSent, 0, 0, ta.pushBytesSent, GENERATED);
  }
  const flags = ta.flags;
  if (flags) {
    const fi = t.add(F.flags, 0, 0, 0, GENERATED);
    t.open(fi);
    if (flags & ANALYSIS.REUSED_PORTS) {
      flagExpert(
        p,
        F.reusedPorts,
        'note',
        'A new tcp session is started with the same ports as an earlier session in this trace',
      );
      if (info) p.prependFenceInfo('[TCP Port numbers reused] ');
    }
    if (flags & ANALYSIS.RETRANSMISSION) {
      flagExpert(p, F.retransmission, 'note', 'This frame is a (suspected) retransmission');
      if (info) p.prependFenceInfo('[TCP Retransmission] ');
      if (ta.rtoSec !== 0 || ta.rtoNsec !== 0) {
        p.tree.addInterval(F.rto, 0, 0, ta.rtoSec, ta.rtoNsec, GENERATED);
        t.add(F.rtoFrame, 0, 0, ta.rtoFrame, GENERATED);
      }
    }
    if (flags & ANALYSIS.FAST_RETRANSMISSION) {
      flagExpert(p, F.fastRetransmission, 'note', 'This frame is a (suspected) fast retransmission');
      flagExpert(p, F.retransmission, 'note', 'This frame is a (suspected) retransmission');
      if (info) p.prependFenceInfo('[TCP Fast Retransmission] ');
    }
    if (flags & ANALYSIS.SPURIOUS_RETRANSMISSION) {
      flagExpert(p, F.spuriousRetransmission, 'note', 'This frame is a (suspected) spurious retransmission');
      flagExpert(p, F.retransmission, 'note', 'This frame is a (suspected) retransmission');
      if (info) p.prependFenceInfo('[TCP Spurious Retransmission] ');
    }
    if (flags & ANALYSIS.OUT_OF_ORDER) {
      flagExpert(p, F.outOfOrder, 'warn', 'This frame is a (suspected) out-of-order segment');
      if (info) p.prependFenceInfo('[TCP Out-Of-Order] ');
    }
    if (flags & ANALYSIS.LOST_PACKET) {
      flagExpert(p, F.lostSegment, 'warn', 'Previous segment(s) not captured (common at capture start)');
      if (info) p.prependFenceInfo('[TCP Previous segment not captured] ');
    }
    if (flags & ANALYSIS.ACK_LOST_PACKET) {
      flagExpert(p, F.ackLostSegment, 'warn', "ACKed segment that wasn't captured (common at capture start)");
      if (info) p.prependFenceInfo('[TCP ACKed unseen segment] ');
    }
    if (flags & ANALYSIS.WINDOW_UPDATE) {
      flagExpert(p, F.windowUpdate, 'chat', 'TCP window update');
      if (info) p.prependFenceInfo('[TCP Window Update] ');
    }
    if (flags & ANALYSIS.WINDOW_FULL) {
      flagExpert(p, F.windowFull, 'warn', 'TCP window specified by the receiver is now completely full');
      if (info) p.prependFenceInfo('[TCP Window Full] ');
    }
    if (flags & ANALYSIS.KEEP_ALIVE) {
      flagExpert(p, F.keepAlive, 'note', 'TCP keep-alive segment');
      if (info) p.prependFenceInfo('[TCP Keep-Alive] ');
    }
    if (flags & ANALYSIS.KEEP_ALIVE_ACK) {
      flagExpert(p, F.keepAliveAck, 'note', 'ACK to a TCP keep-alive segment');
      if (info) p.prependFenceInfo('[TCP Keep-Alive ACK] ');
    }
    if (ta.dupackNum) {
      if (flags & ANALYSIS.DUPLICATE_ACK) {
        const di = t.add(F.duplicateAck, 0, 0, 0, GENERATED);
        if (t.full) t.setLabel(di, 'This is a TCP duplicate ack');
        if (info) p.prependFenceInfo(`[TCP Dup ACK ${ta.dupackFrame}#${ta.dupackNum}] `);
      }
      t.close();
      t.add(F.duplicateAckNum, 0, 0, ta.dupackNum, GENERATED);
      const df = t.add(F.duplicateAckFrame, 0, 0, ta.dupackFrame, GENERATED);
      t.open(df);
      flagExpert(p, F.duplicateAck, 'note', `Duplicate ACK (#${ta.dupackNum})`);
      t.close();
      t.open(fi);
    }
    if (flags & ANALYSIS.ZERO_WINDOW_PROBE) {
      flagExpert(p, F.zeroWindowProbe, 'note', 'TCP Zero Window Probe');
      if (info) p.prependFenceInfo('[TCP ZeroWindowProbe] ');
    }
    if (flags & ANALYSIS.ZERO_WINDOW) {
      flagExpert(p, F.zeroWindow, 'warn', 'TCP Zero Window segment');
      if (info) p.prependFenceInfo('[TCP ZeroWindow] ');
    }
    if (flags & ANALYSIS.ZERO_WINDOW_PROBE_ACK) {
      flagExpert(p, F.zeroWindowProbeAck, 'note', 'ACK to a TCP Zero Window Probe');
      if (info) p.prependFenceInfo('[TCP ZeroWindowProbeAck] ');
    }
    t.close();
  }
  t.close();
}

setTcpAnalysisHook(tcpAnalysisHook);

/**
 * Starts recording every stream's final values in this session: the first pass of tshark's
 * `-2`. Call before the first frame; read them with `tcpFinalsOf` after the last.
 */
export function recordTcpFinals(session: Session): void {
  session.protocolState('tcp.analysis', newConversations).recorder = new TcpStreamFinals();
}

/** The final values recorded in a session that `recordTcpFinals` prepared. */
export function tcpFinalsOf(session: Session): TcpStreamFinals {
  const state = session.protocolState('tcp.analysis', newConversations);
  state.recordAll();
  return state.recorder ?? new TcpStreamFinals();
}

/** Makes a session show these final values (the second pass of tshark's `-2`). */
export function showTcpFinals(session: Session, finals: TcpStreamFinals): void {
  session.protocolState('tcp.analysis', newConversations).finals = finals;
}

/**
 * Makes the next new TCP stream of this session take index `next`. The web UI re-dissects one
 * stream's frames in a fresh session to show a packet's analysis; this keeps the stream index
 * the whole capture gave it (tcp.stream and everything keyed by it).
 */
export function numberTcpStreamsFrom(session: Session, next: number): void {
  session.protocolState('tcp.analysis', newConversations).streamCount = next;
}

/**
 * The tcp.stream of the segment being dissected (-1 when the analysis did not place it, e.g.
 * inside an ICMP quote or with the analysis off). Protocols above TCP key their per-connection
 * state by it (HTTP's request/response matching), as Wireshark keys it by conversation.
 */
export function currentTcpStream(): number {
  return current === undefined ? -1 : current.stream;
}
