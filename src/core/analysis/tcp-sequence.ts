// The sequence analysis of one segment, as Wireshark 4.0's tcp_analyze_sequence_number: which
// expert flags it earns (in Wireshark's order and precedence), what it acknowledges and with which
// RTT, the bytes in flight, and the flow state the next segments are compared with.
// `f` is the flow of the segment's sender, `r` the opposite one; numbers are raw (32-bit).

import type { Packet } from '../dissect/packet.js';
import { TH, type TcpSegment } from '../dissect/tcp.js';
import {
  POW2,
  ANALYSIS,
  MAX_UNACKED_SEGMENTS,
  type Conversation,
  type Flow,
  type SegmentAnalysis,
  type Unacked,
} from './tcp-state.js';

/** Sequence-space comparisons (RFC 9293 §3.4: modulo 2^32). */
export function seqGt(a: number, b: number): boolean {
  return ((a - b) | 0) > 0;
}
export function seqLt(a: number, b: number): boolean {
  return ((a - b) | 0) < 0;
}
export function seqLe(a: number, b: number): boolean {
  return ((a - b) | 0) <= 0;
}

/** Nanoseconds from (bSec, bNsec) to (aSec, aNsec); exact for the spans that matter here. */
function nsBetween(aSec: number, aNsec: number, bSec: number, bNsec: number): number {
  return (aSec - bSec) * 1e9 + (aNsec - bNsec);
}

/** Records of acknowledged segments, reused for new ones (fewer allocations on the hot path). */
const spare: Unacked[] = [];
const MAX_SPARE = 4096;

/** Fast retransmissions follow the duplicate ACKs within this many nanoseconds. */
const FAST_RETRANSMISSION_NS = 20_000_000;
/** Out-of-order threshold before the handshake RTT is known. */
const OUT_OF_ORDER_DEFAULT_NS = 3_000_000;

/** Analyses one segment with a known length; fills `ta` and updates both flows. */
export function analyzeSequence(
  p: Packet,
  conv: Conversation,
  f: Flow,
  r: Flow,
  seg: TcpSegment,
  ta: SegmentAnalysis,
): void {
  const frame = p.meta.number;
  const sec = p.meta.tsSec;
  const nsec = p.meta.tsNsec;
  const seq = seg.seqRaw;
  const ack = seg.ackRaw;
  const seglen = seg.segLen;
  const flags = seg.flags;
  const window = seg.windowRaw;
  const synFinRst = (flags & (TH.SYN | TH.FIN | TH.RST)) !== 0;

  // The base of each direction: the ISN from a SYN, else one before the first number seen, so
  // a capture that starts mid-stream still counts from 1 (Wireshark bug 1542). The peer's base
  // comes from the first ACK, since a SYN's ACK field may hold anything.
  if (!f.baseSet) {
    f.baseSeq = flags & TH.SYN ? seq : (seq - 1) >>> 0;
    f.baseSet = true;
  }
  if (!r.baseSet && flags & TH.ACK) {
    r.baseSeq = (ack - 1) >>> 0;
    r.baseSet = true;
  }
  if (flags & TH.ACK) r.validBif = true;

  checks: {
    // Zero window probe: one byte at the next expected number while the peer's window is 0.
    if (seglen === 1 && seq === f.nextseq && r.window === 0) {
      ta.flags |= ANALYSIS.ZERO_WINDOW_PROBE;
      ta.exists = true;
      break checks;
    }
    if (window === 0 && !synFinRst) {
      ta.flags |= ANALYSIS.ZERO_WINDOW;
      ta.exists = true;
    }
    // A segment beyond the highest next sequence number seen: something before it was missed.
    if (f.nextseq && seqGt(seq, f.nextseq) && (flags & TH.RST) === 0) {
      ta.flags |= ANALYSIS.LOST_PACKET;
      ta.exists = true;
      f.validBif = false;
    }
    // Keep-alive: 0 or 1 byte starting one before the next expected number.
    if ((seglen === 0 || seglen === 1) && seq === (f.nextseq - 1) >>> 0 && !synFinRst) {
      ta.flags |= ANALYSIS.KEEP_ALIVE;
      ta.exists = true;
    }
    // Window update: no data, same seq/ack as before, a new non-zero window.
    if (seglen === 0 && window && window !== f.window && seq === f.nextseq && ack === f.lastack && !synFinRst) {
      ta.flags |= ANALYSIS.WINDOW_UPDATE;
      ta.exists = true;
    }
    // Window full: the data reaches the right edge of the window the peer advertised.
    if (seglen > 0 && r.winScale !== -1 && !synFinRst) {
      const shift = r.isFirstAck || r.winScale === -2 ? 0 : r.winScale;
      const edge = (r.lastack + r.window * POW2[shift]) >>> 0;
      if ((seq + seglen) >>> 0 === edge) {
        ta.flags |= ANALYSIS.WINDOW_FULL;
        ta.exists = true;
      }
    }
    const repeatsAck = seglen === 0 && seq === f.nextseq && ack === f.lastack && !synFinRst;
    // Keep-alive ACK: repeats the last ACK right after a keep-alive from the peer.
    if (repeatsAck && window && window === f.window && r.lastsegmentflags & ANALYSIS.KEEP_ALIVE) {
      ta.flags |= ANALYSIS.KEEP_ALIVE_ACK;
      ta.exists = true;
      break checks;
    }
    // Zero window probe ACK: repeats the last ACK and the zero window after a probe.
    if (repeatsAck && window === 0 && window === f.window && r.lastsegmentflags & ANALYSIS.ZERO_WINDOW_PROBE) {
      ta.flags |= ANALYSIS.ZERO_WINDOW_PROBE_ACK;
      ta.exists = true;
      break checks;
    }
    // Duplicate ACK: no data, same seq, ack and window as the previous segment.
    if (repeatsAck && window && window === f.window) {
      // -1 marks a pending "ACKed unseen segment": the duplicate count restarts at 1.
      f.dupacknum = f.dupacknum === -1 ? 1 : f.dupacknum + 1;
      ta.flags |= ANALYSIS.DUPLICATE_ACK;
      ta.exists = true;
      ta.dupackNum = f.dupacknum;
      ta.dupackFrame = f.lastnondupack;
    }
  }

  // A new ACK number resets the duplicate count.
  if (ack !== f.lastack) {
    f.lastnondupack = frame;
    f.dupacknum = 0;
  }

  // ACKed unseen segment: the ACK goes beyond what the peer was seen sending. When the peer has
  // sent more since, the bound moves up to its next number (so one gap is reported once);
  // otherwise the peer is stalled: report once until it sends a new ACK, the peer's duplicate-ACK
  // count at -1 (unsigned: "many", so a following retransmission counts as fast).
  if (r.maxseqtobeacked && seqGt(ack, r.maxseqtobeacked) && flags & TH.ACK) {
    ta.exists = true;
    if (seqLt(r.maxseqtobeacked, r.nextseq)) {
      r.maxseqtobeacked = r.nextseq;
      ta.flags |= ANALYSIS.ACK_LOST_PACKET;
    } else {
      if (r.dupacknum === 0) ta.flags |= ANALYSIS.ACK_LOST_PACKET;
      r.dupacknum = -1;
    }
  }

  // Retransmission, fast retransmission, spurious retransmission, out-of-order: data (or SYN/FIN)
  // that does not advance the sequence number.
  retransmission: if (seglen > 0 || flags & (TH.SYN | TH.FIN)) {
    let notAdvanced = f.nextseq !== 0 && seqLt(seq, f.nextseq);
    if (ta.flags & ANALYSIS.KEEP_ALIVE) break retransmission;
    // More than one byte starting one before nextseq follows a zero window probe: new data.
    if (seglen > 1 && (f.nextseq - 1) >>> 0 === seq) notAdvanced = false;
    // Data the peer has already acknowledged: a spurious retransmission.
    if (seglen > 0 && r.lastack && seqLe((seq + seglen) >>> 0, r.lastack)) {
      ta.flags |= ANALYSIS.SPURIOUS_RETRANSMISSION;
      ta.exists = true;
      break retransmission;
    }
    // Fast retransmission (takes precedence over out-of-order, Wireshark's default): at least two
    // duplicate ACKs from the peer for this number, within 20 ms.
    if (
      notAdvanced &&
      r.dupacknum >>> 0 >= 2 &&
      r.lastack === seq &&
      nsBetween(sec, nsec, r.lastackSec, r.lastackNsec) < FAST_RETRANSMISSION_NS
    ) {
      ta.flags |= ANALYSIS.FAST_RETRANSMISSION;
      ta.exists = true;
      break retransmission;
    }
    // Out-of-order: soon (within the handshake RTT, else 3 ms) after the highest segment.
    const threshold = conv.hasFirstRtt ? conv.firstRttSec * 1e9 + conv.firstRttNsec : OUT_OF_ORDER_DEFAULT_NS;
    if (
      notAdvanced &&
      nsBetween(sec, nsec, f.nextseqSec, f.nextseqNsec) < threshold &&
      f.nextseq !== (seq + seglen + (flags & (TH.SYN | TH.FIN) ? 1 : 0)) >>> 0
    ) {
      ta.flags |= ANALYSIS.OUT_OF_ORDER;
      ta.exists = true;
      break retransmission;
    }
    if (notAdvanced) {
      ta.flags |= ANALYSIS.RETRANSMISSION;
      ta.exists = true;
      // The RTO is measured from the oldest unacknowledged segment (else the highest one).
      ta.rtoSec = sec - f.nextseqSec;
      ta.rtoNsec = nsec - f.nextseqNsec;
      ta.rtoFrame = f.nextseqFrame;
      if (f.segments.length) {
        const oldest = f.segments[0];
        ta.rtoSec = sec - oldest.sec;
        ta.rtoNsec = nsec - oldest.nsec;
        ta.rtoFrame = oldest.frame;
      }
    }
  }

  let nextseq = (seq + seglen) >>> 0;
  if ((seglen || flags & (TH.SYN | TH.FIN)) && f.segments.length < MAX_UNACKED_SEGMENTS) {
    // SYN and FIN take one sequence number each.
    if (flags & (TH.SYN | TH.FIN)) nextseq = (nextseq + 1) >>> 0;
    const u = spare.pop();
    if (u === undefined) f.segments.push({ frame, seq, nextseq, sec, nsec });
    else {
      u.frame = frame;
      u.seq = seq;
      u.nextseq = nextseq;
      u.sec = sec;
      u.nsec = nsec;
      f.segments.push(u);
    }
  }

  // The highest next sequence number (zero window probes do not advance it).
  if (seqGt(nextseq, f.nextseq) || !f.nextseq) {
    if (!(ta.flags & ANALYSIS.ZERO_WINDOW_PROBE)) {
      f.nextseq = nextseq;
      f.nextseqFrame = frame;
      f.nextseqSec = sec;
      f.nextseqNsec = nsec;
    }
  }
  // The highest contiguous number, the bound for "ACKed unseen segment".
  if (seq === f.maxseqtobeacked || !f.maxseqtobeacked) {
    if (!(ta.flags & ANALYSIS.ZERO_WINDOW_PROBE)) f.maxseqtobeacked = f.nextseq;
  }

  f.window = window;
  f.lastack = ack;
  f.lastackSec = sec;
  f.lastackNsec = nsec;
  f.lastsegmentflags = ta.flags;

  // Segments of the peer this ACK covers: an exact match gives the RTT; older ones are dropped,
  // partly acknowledged ones shrink. Wireshark walks newest first, so the oldest match wins.
  const list = r.segments;
  let kept = 0;
  let matched = false;
  for (let i = 0; i < list.length; i++) {
    const u = list[i];
    if (ack === u.nextseq) {
      if (!matched) {
        matched = true;
        ta.exists = true;
        ta.frameAcked = u.frame;
        ta.rttSec = sec - u.sec;
        ta.rttNsec = nsec - u.nsec;
      }
      if (spare.length < MAX_SPARE) spare.push(u);
      continue; // acknowledged: dropped
    }
    if (seqGt(ack, u.seq) && seqLe(ack, u.nextseq)) u.seq = ack;
    else if (!seqGt(u.nextseq, ack)) {
      if (spare.length < MAX_SPARE) spare.push(u);
      continue; // older than the ACK: dropped
    }
    list[kept++] = u;
  }
  list.length = kept;

  // Bytes in flight after this segment (from the unacknowledged payload, less SACKed bytes).
  if (seglen !== 0 && f.segments.length && f.validBif) {
    const base = f.baseSeq;
    let first = (f.segments[f.segments.length - 1].seq - base) >>> 0;
    let last = (f.segments[f.segments.length - 1].nextseq - base) >>> 0;
    for (let i = f.segments.length - 1; i >= 0; i--) {
      const u = f.segments[i];
      const n = (u.nextseq - base) >>> 0;
      const s = (u.seq - base) >>> 0;
      if (n > last) last = n;
      if (s < first) first = s;
    }
    let inFlight = (last - first) >>> 0;
    if (r.sackRanges > 0) inFlight = (inFlight - r.sackDelivered) >>> 0;
    if (inFlight > 0 && inFlight < 2000000000) {
      ta.exists = true;
      ta.bytesInFlight = inFlight;
      // SYN and FIN are virtual bytes.
      if (flags & (TH.SYN | TH.FIN)) ta.bytesInFlight -= 1;
    }
    // Bytes sent since the last segment with PSH (the PSH segment's own bytes included).
    if (flags & TH.PUSH) {
      f.pushBytesSent = f.pushSetLast ? seglen : f.pushBytesSent + seglen;
      f.pushSetLast = true;
    } else if (f.pushSetLast) {
      f.pushBytesSent = seglen;
      f.pushSetLast = false;
    } else {
      f.pushBytesSent += seglen;
    }
    ta.exists = true;
    ta.pushBytesSent = f.pushBytesSent;
  }
}
