// Fragment reassembly for IPv4 and IPv6, as Wireshark's reassembly tables do it by default:
// fragments are kept per datagram (source, destination, identification, protocol) until the
// whole payload from offset 0 to the last fragment's end is there, then the final frame
// carries the reassembled payload. Memory is bounded: per-datagram size, pending bytes and
// datagram count, and datagrams that stay incomplete for a minute of capture time expire.
// What each frame turned out to be is remembered by frame number, so a frame dissected again
// (a second pass, or the web UI opening one packet) shows what Wireshark's second pass shows:
// "[Reassembled in #N]" on the fragments and the reassembled payload on the final one.

import type { Packet } from './packet.js';
import { GENERATED } from './tree.js';

/** One fragment's place in the reassembled payload. */
export interface FragmentPiece {
  frame: number;
  offset: number;
  length: number;
}

/** A complete datagram payload and where its bytes came from. */
export interface Reassembled {
  /** The frame that completed it (Wireshark's reassembled_in). */
  frame: number;
  data: Uint8Array;
  /** Pieces in payload order. */
  pieces: FragmentPiece[];
}

interface Pending {
  pieces: FragmentPiece[];
  chunks: Uint8Array[];
  /** Payload length once the last fragment (more fragments = 0) is known, else -1. */
  total: number;
  bytes: number;
  startSec: number;
}

// What a fragment is, as far as the frames seen so far tell (FragmentTable.add's result).
/** Kept; the datagram is not complete (yet). */
export const FRAGMENT_PENDING = 0;
/** This frame completed the datagram: `result` holds the payload. */
export const FRAGMENT_COMPLETED = 1;
/** A fragment of a datagram completed in frame `reassembledIn`. */
export const FRAGMENT_DONE = 2;
/** Not kept (too large, or over the memory bounds). */
export const FRAGMENT_DROPPED = 3;

/** Largest reassembled payload (IPv4 total length and IPv6 payload length are 16-bit). */
const MAX_DATAGRAM = 65535;
/** Bytes held in incomplete datagrams at most. */
const MAX_PENDING_BYTES = 16 * 1024 * 1024;
/** Incomplete datagrams at most. */
const MAX_PENDING_DATAGRAMS = 4096;
/** Bytes of completed payloads kept for frames dissected again. */
const MAX_DONE_BYTES = 32 * 1024 * 1024;
/** Fragment frames whose reassembling frame is remembered. */
const MAX_REMEMBERED_FRAMES = 1 << 21;
/** Capture seconds after which an incomplete datagram is given up (Linux's ipfrag_time is 30). */
const EXPIRY_SECONDS = 60;

export class FragmentTable {
  private readonly pending = new Map<string, Pending>();
  private pendingBytes = 0;
  /** Completed payloads by the frame that completed them, oldest first. */
  private readonly done = new Map<number, Reassembled>();
  private doneBytes = 0;
  /** For each fragment frame of a completed datagram: the frame that completed it. */
  private readonly completedIn = new Map<number, number>();
  /** Fragment frames still waiting in `pending`, with their datagram key. */
  private readonly waiting = new Map<number, string>();

  /** Result of the last add(). */
  result: Reassembled | undefined;
  reassembledIn = 0;

  /**
   * Adds the fragment payload buf[off..off+length) at `offset` of datagram `key`, seen in
   * frame `frame` at capture time `sec`. `more` is the more-fragments flag.
   */
  add(
    key: string,
    frame: number,
    sec: number,
    buf: Uint8Array,
    off: number,
    length: number,
    offset: number,
    more: boolean,
  ): number {
    this.result = undefined;
    this.reassembledIn = 0;
    // A frame dissected again: answer from what the first time found.
    const completed = this.done.get(frame);
    if (completed) {
      this.result = completed;
      this.reassembledIn = frame;
      return FRAGMENT_COMPLETED;
    }
    const finalFrame = this.completedIn.get(frame);
    if (finalFrame !== undefined) {
      this.reassembledIn = finalFrame;
      return FRAGMENT_DONE;
    }
    if (this.waiting.has(frame)) return FRAGMENT_PENDING;

    if (offset + length > MAX_DATAGRAM) return FRAGMENT_DROPPED;
    this.expire(sec);
    let d = this.pending.get(key);
    if (!d) {
      if (this.pending.size >= MAX_PENDING_DATAGRAMS) this.dropOldest();
      d = { pieces: [], chunks: [], total: -1, bytes: 0, startSec: sec };
      this.pending.set(key, d);
    }
    while (this.pendingBytes + length > MAX_PENDING_BYTES && this.pending.size > 1) this.dropOldest(d);
    if (this.pendingBytes + length > MAX_PENDING_BYTES) return FRAGMENT_DROPPED;

    d.pieces.push({ frame, offset, length });
    d.chunks.push(buf.slice(off, off + length));
    d.bytes += length;
    this.pendingBytes += length;
    this.waiting.set(frame, key);
    // The first tail seen fixes the payload length (Wireshark flags later, different tails).
    if (!more && d.total < 0) d.total = offset + length;
    if (d.total < 0 || !this.covers(d)) return FRAGMENT_PENDING;

    const whole = this.assemble(d, frame);
    this.forget(key, d);
    for (const piece of whole.pieces) if (piece.frame !== frame) this.completedIn.set(piece.frame, frame);
    if (this.completedIn.size > MAX_REMEMBERED_FRAMES) {
      // Forget the oldest frames' answers: dissected again, they show as plain fragments.
      let n = this.completedIn.size - MAX_REMEMBERED_FRAMES;
      for (const f of this.completedIn.keys()) {
        this.completedIn.delete(f);
        if (--n === 0) break;
      }
    }
    this.keepDone(whole);
    this.result = whole;
    this.reassembledIn = frame;
    return FRAGMENT_COMPLETED;
  }

  /** The frame that completed the datagram fragment `frame` belongs to, as far as known (0: none). */
  completedFrameOf(frame: number): number {
    return this.completedIn.get(frame) ?? 0;
  }

  /** Whether the pieces cover [0, total) without a gap. */
  private covers(d: Pending): boolean {
    const order = d.pieces.map((_, i) => i).sort((a, b) => d.pieces[a].offset - d.pieces[b].offset);
    let reach = 0;
    for (const i of order) {
      const piece = d.pieces[i];
      if (piece.offset > reach) return false;
      reach = Math.max(reach, piece.offset + piece.length);
      if (reach >= d.total) return true;
    }
    return reach >= d.total;
  }

  private assemble(d: Pending, frame: number): Reassembled {
    const data = new Uint8Array(d.total);
    const order = d.pieces.map((_, i) => i).sort((a, b) => d.pieces[a].offset - d.pieces[b].offset || a - b);
    const pieces: FragmentPiece[] = [];
    for (const i of order) {
      const piece = d.pieces[i];
      if (piece.offset >= d.total) continue;
      // Bytes past the tail's end are dropped (Wireshark's "fragment too long").
      const n = Math.min(piece.length, d.total - piece.offset);
      data.set(d.chunks[i].subarray(0, n), piece.offset);
      pieces.push({ frame: piece.frame, offset: piece.offset, length: n });
    }
    return { frame, data, pieces };
  }

  private forget(key: string, d: Pending): void {
    this.pending.delete(key);
    this.pendingBytes -= d.bytes;
    for (const piece of d.pieces) this.waiting.delete(piece.frame);
  }

  private dropOldest(keep?: Pending): void {
    for (const [key, d] of this.pending) {
      if (d === keep) continue;
      this.forget(key, d);
      return;
    }
  }

  /** Gives up datagrams that started more than EXPIRY_SECONDS before `sec` (oldest first). */
  private expire(sec: number): void {
    for (const [key, d] of this.pending) {
      if (sec - d.startSec <= EXPIRY_SECONDS) return;
      this.forget(key, d);
    }
  }

  private keepDone(whole: Reassembled): void {
    this.done.set(whole.frame, whole);
    this.doneBytes += whole.data.length;
    for (const [frame, old] of this.done) {
      if (this.doneBytes <= MAX_DONE_BYTES || old === whole) break;
      this.done.delete(frame);
      this.doneBytes -= old.data.length;
    }
  }
}

/** The fields one protocol uses to show a reassembled datagram. */
export interface ReassemblyFields {
  /** "IPv4" or "IPv6", as in "11 IPv4 Fragments". */
  protocol: string;
  fragments: number;
  fragment: number;
  count: number;
  length: number;
  data: number;
}

/**
 * Adds Wireshark's reassembly summary under the open item: the fragments (each with its frame
 * and its place in the payload), their count, and the payload's length and bytes. The items
 * point into data source `source` (the reassembled payload); `at` anchors the generated counts.
 */
export function addReassemblyItems(
  p: Packet,
  source: number,
  whole: Reassembled,
  at: number,
  f: ReassemblyFields,
): void {
  const t = p.tree;
  const saveSource = t.currentSource;
  const n = whole.data.length;
  t.currentSource = source;
  const top = t.add(f.fragments, 0, n, 0, GENERATED);
  if (t.full) {
    let label = `[${whole.pieces.length} ${f.protocol} Fragments (${n} bytes): `;
    whole.pieces.forEach((piece, i) => (label += `${i ? ', ' : ''}#${piece.frame}(${piece.length})`));
    t.setAppendedLabel(top, label + ']');
  }
  t.open(top);
  for (const piece of whole.pieces) {
    const i = t.add(f.fragment, piece.offset, piece.length, piece.frame, GENERATED);
    if (t.full)
      t.setLabel(
        i,
        `[Frame: ${piece.frame}, payload: ${piece.offset}-${piece.offset + piece.length - 1} (${piece.length} bytes)]`,
      );
  }
  t.currentSource = saveSource;
  t.add(f.count, at, 0, whole.pieces.length, GENERATED);
  t.add(f.length, at, 0, n, GENERATED);
  t.currentSource = source;
  t.add(f.data, 0, n, 0, GENERATED);
  t.currentSource = saveSource;
  t.close();
}

/**
 * For a fragment whose datagram is not complete yet in this pass: the frame that completed it
 * in the first pass of -2 (Session.firstPass), which tshark's second pass shows as
 * "Reassembled in"; 0 when unknown. `stateName` is the protocol's Session.protocolState key.
 */
export function firstPassReassembledIn(p: Packet, stateName: string, frame: number): number {
  const first = p.session.firstPass?.protocolState<{ table: FragmentTable }>(stateName, () => ({
    table: new FragmentTable(),
  }));
  return first ? first.table.completedFrameOf(frame) : 0;
}
