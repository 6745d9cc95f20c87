// Classic pcap (libpcap) files: microsecond and nanosecond magics in both byte orders and
// Kuznetzov's "modified" pcap with 24-byte record headers. Mirrors Wireshark's wiretap/libpcap.c
// in what it accepts and in its error texts.

import type { ByteQueue } from './byte-queue.js';
import { CaptureError } from './capture-error.js';
import { emptyFrame, type CaptureFrame } from './frame.js';

export const PCAP_MAGIC_USEC = 0xa1b2c3d4;
export const PCAP_MAGIC_NSEC = 0xa1b23c4d;
/** Alexey Kuznetzov's patched libpcap: record headers carry ifindex, protocol and packet type. */
export const PCAP_MAGIC_MODIFIED = 0xa1b2cd34;

/** The largest packet Wireshark accepts for most link types (WTAP_MAX_PACKET_SIZE_STANDARD). */
export const MAX_PACKET_SIZE_STANDARD = 262144;
/** Link types for which Wireshark allows bigger packets (D-Bus, USBPcap: 128 MiB; EBHSCR: 8 MiB). */
const LARGE_PACKET_LINK_TYPES = new Map<number, number>([
  [231, 128 * 1024 * 1024],
  [249, 128 * 1024 * 1024],
  [279, 8 * 1024 * 1024],
]);
/** Never buffer more than this for one record, whatever the header claims. */
const MAX_RECORD_HARD = 256 * 1024 * 1024;

export interface PcapFileHeader {
  byteOrder: 'little' | 'big';
  nanosecond: boolean;
  /** Kuznetzov's modified format (magic a1b2cd34). */
  modified: boolean;
  versionMajor: number;
  versionMinor: number;
  /** GMT-to-local correction in seconds (always 0 in practice). */
  thisZone: number;
  snaplen: number;
  /** LINKTYPE_* with the FCS bits masked off. */
  linkType: number;
  /** FCS length in bytes from the upper bits of the link type field, if its F bit is set. */
  fcsLength?: number;
  /** Size of each record header: 16, or 24 in the modified format. */
  recordHeaderLength: number;
}

/** Whether the 4 bytes at the start of a file are a pcap magic number, in either byte order. */
export function isPcapMagic(b: Uint8Array): boolean {
  if (b.length < 4) return false;
  const be = ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0;
  const le = ((b[3] << 24) | (b[2] << 16) | (b[1] << 8) | b[0]) >>> 0;
  return isMagic(be) || isMagic(le);
}

function isMagic(m: number): boolean {
  return m === PCAP_MAGIC_USEC || m === PCAP_MAGIC_NSEC || m === PCAP_MAGIC_MODIFIED;
}

/** Parses the 24-byte file header at view[off..]; throws CaptureError for versions other than 2.x. */
export function parsePcapHeader(view: DataView, off: number): PcapFileHeader {
  let littleEndian = true;
  let magic = view.getUint32(off, true);
  if (!isMagic(magic)) {
    littleEndian = false;
    magic = view.getUint32(off, false);
  }
  if (!isMagic(magic)) {
    throw new CaptureError({ kind: 'not-a-capture', detail: 'pcap: bad magic number', offset: off });
  }
  const versionMajor = view.getUint16(off + 4, littleEndian);
  const versionMinor = view.getUint16(off + 6, littleEndian);
  if (versionMajor !== 2) {
    // Wireshark's libpcap.c: "We only support version 2.0 and later"; libpcap itself also rejects 3.x and up.
    throw new CaptureError({
      kind: 'unsupported',
      detail: `pcap: major version ${versionMajor} unsupported`,
      offset: off + 4,
    });
  }
  const linkField = view.getUint32(off + 20, littleEndian);
  // LINKTYPE field: bits 0-15 the link type, 16-25 reserved, bit 26 "FCS length present", 28-31 the FCS length
  // (libpcap's LT_LINKTYPE / LT_FCS_LENGTH_PRESENT / LT_FCS_LENGTH).
  const fcsPresent = (linkField & 0x04000000) !== 0;
  return {
    byteOrder: littleEndian ? 'little' : 'big',
    nanosecond: magic === PCAP_MAGIC_NSEC,
    modified: magic === PCAP_MAGIC_MODIFIED,
    versionMajor,
    versionMinor,
    thisZone: view.getInt32(off + 8, littleEndian),
    snaplen: view.getUint32(off + 16, littleEndian),
    linkType: linkField & 0x03ffffff,
    fcsLength: fcsPresent ? linkField >>> 28 : undefined,
    recordHeaderLength: magic === PCAP_MAGIC_MODIFIED ? 24 : 16,
  };
}

/** The largest record data length accepted before the file is called corrupt. */
export function maxPcapRecordLength(snaplen: number, linkType: number): number {
  const encapMax = LARGE_PACKET_LINK_TYPES.get(linkType) ?? MAX_PACKET_SIZE_STANDARD;
  return Math.min(MAX_RECORD_HARD, Math.max(encapMax, snaplen));
}

/** Reads pcap records from a ByteQueue; next() returns one reused frame at a time. */
export class PcapParser {
  header: PcapFileHeader | undefined;
  /** Frames returned so far. */
  frames = 0;
  private readonly frame: CaptureFrame = emptyFrame();
  private le = true;
  /**
   * Wireshark computes nsecs = ts_usec * 1000 in 32-bit arithmetic into a signed int: Math.imul
   * gives the same value for out-of-range fields (1,000,000 us -> 1e9 ns; 2^31 us -> 0).
   */
  private nsecMultiplier = 1000;
  private hlen = 16;
  private maxLength = MAX_PACKET_SIZE_STANDARD;

  /**
   * The next frame, or null when more bytes are needed (or, once the queue has ended, when the
   * file is done). Throws CaptureError; every whole frame before a problem is returned first.
   */
  next(q: ByteQueue): CaptureFrame | null {
    const hlen = this.hlen;
    const cur = q.cur;
    const pos = q.pos;
    // Fast path: the whole record lies in the current chunk.
    if (this.header !== undefined && cur.length - pos >= hlen) {
      const v = q.view;
      const le = this.le;
      const capLen = v.getUint32(pos + 8, le);
      const next = pos + hlen + capLen;
      if (capLen <= this.maxLength && next <= cur.length) {
        const f = this.frame;
        f.tsSec = v.getUint32(pos, le);
        f.tsNsec = Math.imul(v.getUint32(pos + 4, le), this.nsecMultiplier);
        f.capLen = capLen;
        f.origLen = v.getUint32(pos + 12, le);
        f.data = new Uint8Array(cur.buffer, cur.byteOffset + pos + hlen, capLen);
        f.fileOffset = q.base + pos;
        q.pos = next;
        q.avail -= hlen + capLen;
        this.frames++;
        return f;
      }
    }
    return this.nextSlow(q);
  }

  /**
   * Calls onFrame for every frame the queue holds, in one loop over each chunk. Returns false
   * when onFrame returned false, true when more bytes are needed or the file is done.
   */
  drain(q: ByteQueue, onFrame: (frame: CaptureFrame) => void | boolean): boolean {
    const f = this.frame;
    for (;;) {
      if (this.header !== undefined) {
        // The records that lie whole in the current chunk, without leaving the loop.
        const cur = q.cur;
        const v = q.view;
        const buffer = cur.buffer;
        const byteOffset = cur.byteOffset;
        const length = cur.length;
        const base = q.base;
        const hlen = this.hlen;
        const le = this.le;
        const max = this.maxLength;
        const multiplier = this.nsecMultiplier;
        let pos = q.pos;
        while (length - pos >= hlen) {
          const capLen = v.getUint32(pos + 8, le);
          const next = pos + hlen + capLen;
          if (capLen > max || next > length) break;
          f.tsSec = v.getUint32(pos, le);
          f.tsNsec = Math.imul(v.getUint32(pos + 4, le), multiplier);
          f.capLen = capLen;
          f.origLen = v.getUint32(pos + 12, le);
          f.data = new Uint8Array(buffer, byteOffset + pos + hlen, capLen);
          f.fileOffset = base + pos;
          q.avail -= next - pos;
          q.pos = pos = next;
          this.frames++;
          if (onFrame(f) === false) return false;
        }
      }
      const g = this.nextSlow(q);
      if (g === null) return true;
      if (onFrame(g) === false) return false;
    }
  }

  private nextSlow(q: ByteQueue): CaptureFrame | null {
    if (this.header === undefined) {
      if (!q.ensure(24)) return this.needMore(q, 24, 'the file header');
      this.setHeader(parsePcapHeader(q.bufView, q.off));
      q.consume(24);
    }
    const hlen = this.hlen;
    if (!q.ensure(hlen)) return this.needMore(q, hlen, 'the record header');
    const capLen = q.bufView.getUint32(q.off + 8, this.le);
    if (capLen > this.maxLength) {
      throw new CaptureError({
        kind: 'corrupt',
        detail: `pcap: File has ${capLen}-byte packet, bigger than maximum of ${this.maxLength}`,
        frame: this.frames + 1,
        offset: q.offset,
      });
    }
    if (!q.ensure(hlen + capLen)) return this.needMore(q, hlen + capLen, 'the record');
    const v = q.bufView;
    const off = q.off;
    const f = this.frame;
    f.tsSec = v.getUint32(off, this.le);
    f.tsNsec = Math.imul(v.getUint32(off + 4, this.le), this.nsecMultiplier);
    f.capLen = capLen;
    f.origLen = v.getUint32(off + 12, this.le);
    f.data = q.bytes(off + hlen, capLen);
    f.fileOffset = q.offset;
    q.consume(hlen + capLen);
    this.frames++;
    return f;
  }

  private setHeader(h: PcapFileHeader): void {
    this.header = h;
    this.le = h.byteOrder === 'little';
    this.nsecMultiplier = h.nanosecond ? 1 : 1000;
    this.hlen = h.recordHeaderLength;
    this.maxLength = maxPcapRecordLength(h.snaplen, h.linkType);
    const f = this.frame;
    f.linkType = h.linkType;
    f.interfaceId = 0;
    f.tsPrecision = h.nanosecond ? 9 : 6;
  }

  private needMore(q: ByteQueue, need: number, what: string): null {
    if (q.ended && q.avail > 0) {
      throw new CaptureError({
        kind: 'truncated',
        detail: `${what} needs ${need} bytes, only ${q.avail} are there`,
        frame: this.frames + 1,
        offset: q.offset,
      });
    }
    return null;
  }
}
