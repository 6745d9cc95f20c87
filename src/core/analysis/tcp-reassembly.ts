// TCP reassembly: messages of an application protocol that span segments, as Wireshark 4.0's
// desegment_tcp builds them. A dissector over TCP asks for more bytes (Packet.desegmentLen);
// the bytes from there on are kept per direction as a multi-segment PDU (MSP) until its last
// segment arrives, in sequence order, each byte taken once; the frame that completes it shows
// the whole message from a "Reassembled TCP" data source. Frames that carry only part of a
// message show "[TCP segment of a reassembled PDU]". Memory is bounded per message and in total;
// past the bounds a direction is marked and its segments are dissected one by one.

import { defineFields } from '../dissect/fields.js';
import { wsFields, type Packet } from '../dissect/packet.js';
import { FieldGroup, GENERATED } from '../dissect/tree.js';
import { dissectTcpPayload, TH, type TcpSegment } from '../dissect/tcp.js';
import { DESEGMENT_ONE_MORE_SEGMENT, DESEGMENT_UNTIL_FIN } from '../dissect/tcp-pdus.js';

export const tcpReassemblyFields = defineFields({
  segmentData: { abbrev: 'tcp.segment_data', name: 'TCP segment data', type: 'bytes' },
  reassembledIn: { abbrev: 'tcp.reassembled_in', name: 'Reassembled PDU in frame', type: 'framenum' },
  segments: { abbrev: 'tcp.segments', name: 'Reassembled TCP Segments', type: 'none' },
  segment: { abbrev: 'tcp.segment', name: 'TCP Segment', type: 'framenum' },
  segmentCount: { abbrev: 'tcp.segment.count', name: 'Segment count', type: 'uint', bits: 32, base: 'dec' },
  reassembledLength: {
    abbrev: 'tcp.reassembled.length',
    name: 'Reassembled TCP length',
    type: 'uint',
    bits: 32,
    base: 'dec',
  },
  reassembledData: { abbrev: 'tcp.reassembled.data', name: 'Reassembled TCP Data', type: 'bytes' },
});

const F = tcpReassemblyFields;

/** Reassembly settings (Wireshark's tcp.desegment_tcp_streams, on by default). */
export const tcpReassemblyPreferences = {
  enabled: true,
  /** Largest message kept for reassembly; a larger one marks its direction (bytes). */
  maxMessageBytes: 32 * 1024 * 1024,
  /** Bytes held for unfinished messages in the whole capture at most. */
  maxHeldBytes: 256 * 1024 * 1024,
  /**
   * Dissect a message whose last missing bytes came in an out-of-order segment (Wireshark's
   * tcp.reassemble_out_of_order). Off by default, as in Wireshark: such a message is collected
   * but not shown, and the segment shows as plain TCP.
   */
  outOfOrder: false,
};

/** A new message is started only when its first part in the segment is at most this long (as Wireshark). */
const MAX_FIRST_PART = 1024 * 1024;
/** Completed messages remembered per direction (for segments that fall in their range later). */
const KEEP_COMPLETED = 32;
/** Frames whose reassembling frame is remembered for a second pass. */
const MAX_REMEMBERED_FRAMES = 1 << 21;
/** Largest buffer given to a new message up front (a longer one grows as its bytes come). */
const FIRST_ALLOCATION_MAX = 1 << 20;
/** An MSP that runs until the FIN has no end before it. */
const UNTIL_FIN_END = Number.MAX_SAFE_INTEGER;

/** A segment's part of a message: which frame brought bytes [offset, offset + length). */
interface Piece {
  frame: number;
  offset: number;
  length: number;
}

/** Bytes that arrived past a gap, kept until the gap is filled. */
interface Waiting {
  offset: number;
  bytes: Uint8Array;
}

/**
 * A multi-segment PDU: bytes [seq, nxtpdu) of one direction, flow-relative. Its bytes are
 * written once, in order, into one growing buffer (so a message the dissector keeps asking
 * "one more segment" for costs linear, not quadratic, copying); bytes past a gap wait aside.
 */
class Msp {
  /** Set by a dissector asking for "one more segment": the next segment is taken whole. */
  entireSegment = false;
  /** Every piece added, in arrival order (for the segment list). */
  pieces: Piece[] = [];
  data: Uint8Array = EMPTY;
  /** Bytes [0, reach) are in `data` without a gap. */
  reach = 0;
  waiting: Waiting[] = [];
  held = 0;
  /** Message length once the piece reaching nxtpdu is there (fragment_add's last fragment), else -1. */
  total = -1;
  /** The frame that completed it (0 while incomplete). */
  reassembledIn = 0;
  constructor(
    public seq: number,
    public nxtpdu: number,
  ) {}

  /** Writes bytes at `offset`: those past `reach` extend the contiguous part; earlier ones are kept (each byte once). */
  write(bytes: Uint8Array, offset: number): number {
    const from = this.reach - offset;
    if (from >= bytes.length) return 0;
    const n = bytes.length - from;
    const need = this.reach + n;
    if (need > this.data.length) {
      const grown = new Uint8Array(Math.max(need, this.data.length * 2));
      grown.set(this.data.subarray(0, this.reach));
      this.data = grown;
    }
    this.data.set(from > 0 ? bytes.subarray(from) : bytes, this.reach);
    this.reach = need;
    return n;
  }
}

const EMPTY = new Uint8Array(0);

/** Reassembly state of one direction of a TCP stream (kept on the analysis Flow). */
export class FlowReassembly {
  /** Raw sequence number that flow-relative positions count from. */
  base = 0;
  msps: Msp[] = [];
  /** A dissector asked for everything until this direction's FIN (HTTP bodies without length). */
  untilFin = false;
  finFrame = 0;
  /** Over the bounds: segments are dissected one by one from now on. */
  limited = false;
  constructor(base: number) {
    this.base = base;
  }

  /** The message before position `seq` that covers it (Wireshark looks up seq - 1, so not one starting at seq). */
  find(seq: number): Msp | undefined {
    for (let i = this.msps.length - 1; i >= 0; i--) {
      const m = this.msps[i];
      if (m.seq < seq) return m.nxtpdu > seq ? m : undefined;
    }
    return undefined;
  }

  /** Adds a new message starting at `seq`, keeping the list ordered by position. */
  create(seq: number, nxtpdu: number): Msp {
    const m = new Msp(seq, nxtpdu);
    // Room for the whole message when its length is known (one allocation, no growing).
    const expected = nxtpdu - seq;
    if (expected > 0 && expected <= FIRST_ALLOCATION_MAX) m.data = new Uint8Array(expected);
    let i = this.msps.length;
    while (i > 0 && this.msps[i - 1].seq >= seq) i--;
    // One message per start position, as Wireshark's tree keyed by sequence number.
    if (i < this.msps.length && this.msps[i].seq === seq) this.msps[i] = m;
    else this.msps.splice(i, 0, m);
    return m;
  }

  /** Forgets old completed messages, keeping a few for segments that still fall in their range. */
  prune(): void {
    if (this.msps.length <= KEEP_COMPLETED * 2) return;
    let drop = this.msps.length - KEEP_COMPLETED;
    this.msps = this.msps.filter((m) => !(m.reassembledIn !== 0 && drop-- > 0));
  }
}

/** Per-capture reassembly state: bytes held, and which frame completed each segment's message. */
class ReassemblyState {
  held = 0;
  /** Whether `completedIn` is kept (a first pass whose output pass will show tcp.reassembled_in). */
  recordLinks = false;
  /** Segment frame -> the frame whose segment completed its message (read by a -2 output pass). */
  readonly completedIn = new Map<number, number>();
}

function stateOf(p: Packet): ReassemblyState {
  return p.session.protocolState('tcp.reassembly', () => {
    const state = new ReassemblyState();
    state.recordLinks = p.session.isFirstPass;
    return state;
  });
}

function firstPassCompletedIn(p: Packet, frame: number): number {
  const first = p.session.firstPass;
  if (first === undefined) return 0;
  return first.protocolState('tcp.reassembly', () => new ReassemblyState()).completedIn.get(frame) ?? 0;
}

/**
 * Adds a piece to a message (fragment_add): `more` false when it reaches the message's end,
 * which fixes its length. Returns the whole message when this piece completed it.
 */
function addPiece(
  state: ReassemblyState,
  msp: Msp,
  frame: number,
  buf: Uint8Array,
  off: number,
  offset: number,
  length: number,
  more: boolean,
): Uint8Array | undefined {
  if (length > 0) {
    msp.pieces.push({ frame, offset, length });
    const bytes = buf.subarray(off, off + length);
    let added = 0;
    if (offset <= msp.reach) {
      added += msp.write(bytes, offset);
      // Pieces that waited past the gap may follow on now.
      while (msp.waiting.length > 0 && msp.waiting[0].offset <= msp.reach) {
        const w = msp.waiting.shift() as Waiting;
        msp.held -= w.bytes.length;
        state.held -= w.bytes.length;
        added += msp.write(w.bytes, w.offset);
      }
    } else {
      const copy = bytes.slice();
      let i = msp.waiting.length;
      while (i > 0 && msp.waiting[i - 1].offset > offset) i--;
      msp.waiting.splice(i, 0, { offset, bytes: copy });
      added += copy.length;
    }
    msp.held += added;
    state.held += added;
  }
  if (!more && msp.total < 0) msp.total = offset + length;
  if (msp.total < 0 || msp.reach < msp.total) return undefined;
  msp.reassembledIn = frame;
  return msp.data.subarray(0, msp.total);
}

/** Drops a message's bytes once it is complete for good (they live on in the frame's data source). */
function release(state: ReassemblyState, msp: Msp): void {
  if (state.recordLinks && state.completedIn.size < MAX_REMEMBERED_FRAMES) {
    for (const piece of msp.pieces)
      if (piece.frame !== msp.reassembledIn) state.completedIn.set(piece.frame, msp.reassembledIn);
  }
  state.held -= msp.held;
  msp.held = 0;
  msp.pieces = [];
  msp.waiting = [];
  msp.data = EMPTY;
}

/** "[3 Reassembled TCP Segments (2170 bytes): #4(274), #6(1448), #8(448)]" and the segment list. */
const SEGMENT_ITEMS = new FieldGroup([F.segments, F.segment, F.segmentCount, F.reassembledLength, F.reassembledData]);

function addSegmentsTree(p: Packet, seg: TcpSegment, source: number, msp: Msp, data: Uint8Array): void {
  const t = p.tree;
  if (!t.keepsAny(SEGMENT_ITEMS)) return;
  const saveSource = t.currentSource;
  // Pieces in message order, each byte counted once (a retransmitted overlap shows its new bytes).
  const order = msp.pieces.slice().sort((a, b) => a.offset - b.offset);
  t.currentSource = source;
  const top = t.add(F.segments, 0, data.length, 0, GENERATED);
  const shown: { frame: number; offset: number; length: number }[] = [];
  let reach = 0;
  for (const piece of order) {
    const start = Math.max(piece.offset, reach);
    const stop = Math.min(piece.offset + piece.length, data.length);
    if (stop <= start) continue;
    shown.push({ frame: piece.frame, offset: start, length: stop - start });
    reach = stop;
  }
  if (t.full) {
    let label = `[${shown.length} Reassembled TCP Segments (${data.length} bytes): `;
    shown.forEach((s, i) => (label += `${i ? ', ' : ''}#${s.frame}(${s.length})`));
    t.setAppendedLabel(top, label + ']');
  }
  t.open(top);
  for (const s of shown) {
    const i = t.add(F.segment, s.offset, s.length, s.frame, GENERATED);
    if (t.full)
      t.setLabel(i, `[Frame: ${s.frame}, payload: ${s.offset}-${s.offset + s.length - 1} (${s.length} bytes)]`);
  }
  t.currentSource = saveSource;
  t.add(F.segmentCount, seg.offset, 0, shown.length, GENERATED);
  t.add(F.reassembledLength, seg.offset, 0, data.length, GENERATED);
  t.currentSource = source;
  t.add(F.reassembledData, 0, data.length, 0, GENERATED);
  t.currentSource = saveSource;
  t.close();
}

function addSegmentData(p: Packet, seg: TcpSegment, at: number, n: number, what = 'TCP segment data'): void {
  const t = p.tree;
  if (n <= 0 || !t.keeps(F.segmentData)) return;
  t.open(seg.item);
  const i = t.add(F.segmentData, at, n);
  if (t.full) t.setLabel(i, `${what} (${n} byte${n === 1 ? '' : 's'})`);
  t.close();
}

/**
 * The payload of a retransmission, which is not handed on: Wireshark shows it as "Retransmitted
 * TCP segment data" (a tcp.segment_data item) when the segment is a plain retransmission.
 */
export function showRetransmittedData(p: Packet, seg: TcpSegment, buf: Uint8Array, off: number, end: number): void {
  addSegmentData(p, seg, off, Math.min(end, buf.length) - off, 'Retransmitted TCP segment data');
}

function markSegmentOnly(p: Packet): void {
  p.setProtocol('TCP');
  if (p.wantColumns)
    p.appendInfo(p.infoCol ? ' [TCP segment of a reassembled PDU]' : '[TCP segment of a reassembled PDU]');
}

function addReassembledIn(p: Packet, seg: TcpSegment, frame: number): void {
  const t = p.tree;
  if (frame === 0 || !t.keeps(F.reassembledIn)) return;
  t.open(seg.item);
  const i = t.add(F.reassembledIn, 0, 0, frame, GENERATED);
  if (t.full) t.setLabel(i, `[Reassembled PDU in frame: ${frame}]`);
  t.close();
}

// What a subdissector call left, to undo it when it took nothing (Wireshark drops the layer of a
// dissector that returns 0 bytes; it had shown nothing yet).
let savedLayers = 0;
let savedItems = 0;
let savedProtocol = '';
let savedInfo = '';
let savedFence = 0;
/** What the dissector returned: its start offset means it used nothing (Wireshark's 0). */
let returned: number | void = undefined;

function callDissector(p: Packet, seg: TcpSegment, buf: Uint8Array, off: number, end: number, can: boolean): void {
  savedLayers = p.layerCount;
  savedItems = p.tree.count;
  if (p.wantColumns) {
    savedProtocol = p.protocolCol;
    savedInfo = p.infoCol;
    savedFence = p.infoFenceAt;
  }
  p.canDesegment = can;
  p.desegmentOffset = 0;
  p.desegmentLen = 0;
  returned = dissectTcpPayload(p, buf, off, end, seg.srcPort, seg.dstPort, seg.serverPort);
  p.canDesegment = false;
}

/**
 * Undoes a call that took none of the data. A -2 output pass shows such a frame as tshark's
 * second pass does, where the dissector is not called on it again: no trace of it. In one pass,
 * tshark's first pass shows what the dissector left (its Info text, its items), and drops its
 * layer from frame.protocols only when it returned 0 (used nothing), as call_dissector does.
 */
function undoCall(p: Packet, start: number): void {
  p.tree.closeAll();
  if (p.session.firstPass !== undefined || p.session.isFirstPass) {
    p.layerCount = savedLayers;
    p.tree.truncate(savedItems);
    p.restoreColumns(savedProtocol, savedInfo, savedFence);
  } else if (returned === start) {
    p.layerCount = savedLayers;
  }
}

/** Position of a raw sequence number in the direction (32-bit distance from its base). */
function position(r: FlowReassembly, seqRaw: number): number {
  return (seqRaw - r.base) >>> 0;
}

/**
 * Takes the payload buf[off..end) of a segment whose analysis allows handing it on, and
 * dissects it with reassembly (desegment_tcp). Returns false when reassembly does not apply
 * (then TCP hands the payload on as it is).
 */
export function reassemblePayload(
  p: Packet,
  seg: TcpSegment,
  holder: { reassembly: FlowReassembly | undefined },
  buf: Uint8Array,
  off: number,
  end: number,
  intoMessagesOnly = false,
  keepAlive = false,
): boolean {
  if (keepAlive || intoMessagesOnly) {
    // A keep-alive's byte (it repeats the last byte sent) or an out-of-order segment: inside a
    // message collected already it conflicts with it (Wireshark's reassembly throws); inside
    // one being collected it fills a gap; elsewhere TCP shows it as it does without reassembly.
    const r = holder.reassembly;
    if (r === undefined || r.limited || end > buf.length) return false;
    const m = r.find(position(r, seg.seqRaw));
    if (m === undefined) return false;
    if (m.reassembledIn !== 0) {
      reassemblyError(p, 'New fragment overlaps old data (retransmission?)');
      return true;
    }
    intoMessagesOnly = true;
  }
  if (!tcpReassemblyPreferences.enabled || p.fragmented || end > buf.length || end <= off) return false;
  let r = holder.reassembly;
  if (r === undefined) r = holder.reassembly = new FlowReassembly(seg.seqRaw);
  if (r.limited) return false;
  const state = stateOf(p);
  const frame = p.meta.number;
  const t = p.tree;
  let offset = off;
  let seq = position(r, seg.seqRaw);
  const nxtseq = seq + (end - off);

  // A FIN ends a message that runs until it (dissect_tcp, before the usual path).
  if (seg.flags & TH.FIN && finishAtFin(p, seg, r, buf, off, end)) return true;

  let locked = false;
  for (;;) {
    let anotherPduFollows = 0;
    let lastFragmentLength = 0;
    let mustDesegment = false;
    let called = false;
    let desegOffset = offset;
    let desegLen = 0;
    // Where the last call's buffer started: a request at that offset means nothing was taken.
    let callStart = -1;
    let shownIn = 0;
    const msp = r.find(seq);
    let completedData: Uint8Array | undefined;
    if (msp !== undefined) {
      const length = msp.entireSegment ? end - offset : Math.min(nxtseq, msp.nxtpdu) - seq;
      lastFragmentLength = length;
      completedData = addPiece(state, msp, frame, buf, offset, seq - msp.seq, length, nxtseq < msp.nxtpdu);
      if (msp.entireSegment) {
        msp.entireSegment = false;
        msp.nxtpdu = nxtseq;
      }
      if (msp.nxtpdu < nxtseq && msp.nxtpdu >= seq && length > 0) anotherPduFollows = msp.nxtpdu - seq;
      if (completedData === undefined) shownIn = msp.reassembledIn || firstPassCompletedIn(p, frame);
    } else if (intoMessagesOnly && offset !== off) {
      addSegmentData(p, seg, offset, end - offset);
      break;
    } else {
      callDissector(p, seg, buf, offset, end, true);
      called = true;
      callStart = offset;
      if (p.desegmentLen !== 0) {
        mustDesegment = true;
        desegOffset = p.desegmentOffset;
        desegLen = p.desegmentLen;
        if (desegOffset <= offset) {
          desegOffset = offset;
          undoCall(p, offset);
        }
      }
    }

    if (completedData !== undefined && msp !== undefined) {
      const oldLength = completedData.length - lastFragmentLength;
      const itemsBefore = t.count;
      const source = showReassembled(
        p,
        seg,
        msp,
        completedData,
        true,
        !intoMessagesOnly || tcpReassemblyPreferences.outOfOrder,
      );
      called = true;
      desegLen = p.desegmentLen;
      if (desegLen !== 0 && p.desegmentOffset <= oldLength) {
        // The dissector needs still more for the message it was given: keep collecting
        // (fragment_set_partial_reassembly); this frame shows no message.
        msp.reassembledIn = 0;
        msp.total = -1;
        const tookNothing = p.desegmentOffset <= 0;
        if (tookNothing) {
          const twoPass = p.session.firstPass !== undefined || p.session.isFirstPass;
          const dissected = savedItems;
          undoCall(p, 0);
          // The segment list is shown only with a complete message.
          t.remove(itemsBefore, dissected);
          if (twoPass) p.sources.length = source;
        }
        if (desegLen === DESEGMENT_ONE_MORE_SEGMENT) {
          msp.nxtpdu = Math.max(seq + (end - offset), msp.nxtpdu) + 1;
          msp.entireSegment = true;
        } else if (desegLen === DESEGMENT_UNTIL_FIN) {
          r.untilFin = true;
          msp.nxtpdu = UNTIL_FIN_END;
        } else if (seq + lastFragmentLength >= msp.nxtpdu) {
          msp.nxtpdu = seq + lastFragmentLength + desegLen;
        } else {
          // An out-of-order segment completed it: the request counts from the message's end.
          msp.nxtpdu += desegLen;
        }
        if (desegLen !== DESEGMENT_UNTIL_FIN && msp.nxtpdu - msp.seq > tcpReassemblyPreferences.maxMessageBytes)
          overLimit(p, state, r);
        const at = offset;
        offset += lastFragmentLength;
        seq += lastFragmentLength;
        p.desegmentOffset = 0;
        p.desegmentLen = 0;
        if (end - offset > 0 && !r.limited) continue;
        addReassembledIn(p, seg, firstPassCompletedIn(p, frame));
        if (tookNothing && at === off) markSegmentOnly(p);
        addSegmentData(p, seg, at, end - at);
        break;
      }
      addSegmentData(p, seg, offset, anotherPduFollows > 0 ? anotherPduFollows : end - offset);
      release(state, msp);
      if (desegLen !== 0) {
        mustDesegment = true;
        // The request is relative to the reassembled buffer, whose end is this segment's end.
        desegOffset = end - (completedData.length - p.desegmentOffset);
      }
    }

    if (mustDesegment && !r.limited) {
      if (desegLen === DESEGMENT_UNTIL_FIN) r.untilFin = true;
      const desegSeq = seq + (desegOffset - offset);
      if (nxtseq - desegSeq <= MAX_FIRST_PART) {
        const nxtpdu =
          desegLen === DESEGMENT_ONE_MORE_SEGMENT
            ? nxtseq + 1
            : desegLen === DESEGMENT_UNTIL_FIN
              ? UNTIL_FIN_END
              : nxtseq + desegLen;
        if (desegLen !== DESEGMENT_UNTIL_FIN && nxtpdu - desegSeq > tcpReassemblyPreferences.maxMessageBytes) {
          overLimit(p, state, r);
        } else {
          const m = r.create(desegSeq, nxtpdu);
          if (desegLen === DESEGMENT_ONE_MORE_SEGMENT) m.entireSegment = true;
          addPiece(state, m, frame, buf, desegOffset, 0, nxtseq - desegSeq, nxtseq < nxtpdu);
          if (state.held > tcpReassemblyPreferences.maxHeldBytes) overLimit(p, state, r);
          r.prune();
        }
      }
    }

    if (!called || desegLen !== 0) {
      addReassembledIn(p, seg, shownIn || firstPassCompletedIn(p, frame));
      // Nothing of the segment could be dissected: it is shown as TCP.
      if (!called || (callStart === off && desegOffset === off)) markSegmentOnly(p);
      addSegmentData(p, seg, desegOffset, end - desegOffset);
    }
    p.desegmentOffset = 0;
    p.desegmentLen = 0;

    if (anotherPduFollows > 0) {
      // Another message follows in this segment: the columns keep what the first one showed.
      p.fenceInfo();
      p.protocolLocked = true;
      locked = true;
      offset += anotherPduFollows;
      seq += anotherPduFollows;
      continue;
    }
    break;
  }
  if (locked) p.protocolLocked = false;
  return true;
}

/** A FIN without payload: completes a message that runs until the FIN. */
export function reassembleAtFin(p: Packet, seg: TcpSegment, holder: { reassembly: FlowReassembly | undefined }): void {
  const r = holder.reassembly;
  if (r !== undefined && !r.limited) finishAtFin(p, seg, r, p.data, 0, 0);
}

/**
 * The sender's FIN (its first one, or that frame seen again) ends a message that runs until the
 * FIN: the segment's payload buf[off..end) is its last piece and the message is shown whole.
 * Returns whether a message was completed.
 */
function finishAtFin(
  p: Packet,
  seg: TcpSegment,
  r: FlowReassembly,
  buf: Uint8Array,
  off: number,
  end: number,
): boolean {
  const frame = p.meta.number;
  if (!r.untilFin || (r.finFrame !== 0 && r.finFrame !== frame)) return false;
  r.finFrame = frame;
  const seq = position(r, seg.seqRaw);
  const msp = r.find(seq);
  if (msp === undefined) return false;
  const state = stateOf(p);
  const data = addPiece(state, msp, frame, buf, off, seq - msp.seq, end - off, false);
  if (data === undefined) return false;
  showReassembled(p, seg, msp, data, false);
  release(state, msp);
  return true;
}

/**
 * Shows a completed message: a "Reassembled TCP" data source, the segment list, and the
 * dissector called on the whole message. Returns the index the data source took (the caller
 * removes it again when the dissector asked for still more).
 */
function showReassembled(p: Packet, seg: TcpSegment, msp: Msp, data: Uint8Array, can: boolean, dissect = true): number {
  const t = p.tree;
  const index = p.sources.length;
  const source = p.addSource('Reassembled TCP', data);
  addSegmentsTree(p, seg, source, msp, data);
  const saveSource = t.currentSource;
  t.currentSource = source;
  // An out-of-order segment that completes a message: tcp_no_subdissector_on_error keeps the
  // message undissected (tshark shows the segment as plain TCP).
  if (dissect) callDissector(p, seg, data, 0, data.length, can);
  else p.desegmentLen = 0;
  t.closeAll();
  t.currentSource = saveSource;
  return index;
}

/** A reassembly exception as Wireshark shows it: appended to Info, and an expert note. */
function reassemblyError(p: Packet, message: string): void {
  // Wireshark's show_exception for ReassemblyError: a malformed-packet item named after the
  // error, its expert note, and the text appended to Info.
  const t = p.tree;
  p.malformedCount++;
  t.closeAll();
  const i = t.add(wsFields.malformed, 0, 0, 0, GENERATED);
  t.setLabel(i, `[Reassembly error, protocol TCP: ${message}]`);
  t.open(i);
  p.expert('TCP', '_ws.malformed.reassembly', 'error', 'malformed', message);
  t.close();
  p.appendInfo(`[Reassembly error, protocol TCP: ${message}]`);
}

function overLimit(p: Packet, state: ReassemblyState, r: FlowReassembly): void {
  if (r.limited) return;
  r.limited = true;
  for (const m of r.msps) {
    state.held -= m.held;
    m.held = 0;
    m.pieces = [];
    m.waiting = [];
    m.data = EMPTY;
  }
  r.msps = [];
  p.expert(
    'TCP',
    'tcp.reassembly.limit',
    'warn',
    'malformed',
    `Reassembly stopped for this direction: a message over ${tcpReassemblyPreferences.maxMessageBytes} bytes, or over ${tcpReassemblyPreferences.maxHeldBytes} bytes held in all; its segments are dissected one by one`,
  );
}
