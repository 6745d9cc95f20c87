// Reading a capture from chunks, whatever they come from (a file, stdin, a browser File, a live
// capture): the format is found by its magic number (never the file name), gzip is decompressed
// on the way, and frames come out one at a time while only the unconsumed tail stays buffered.

import { ByteQueue } from './byte-queue.js';
import { CaptureError } from './capture-error.js';
import { describeContent } from './content-hint.js';
import type { CaptureFrame } from './frame.js';
import { gunzip, isGzip } from './gunzip.js';
import { isPcapMagic, PcapParser, type PcapFileHeader } from './pcap.js';
import {
  BLOCK_SHB,
  PcapngParser,
  type CaptureInterface,
  type DecryptionSecrets,
  type NameRecord,
  type PcapngSection,
} from './pcapng.js';

export { CaptureError, formatCaptureError, type CaptureErrorKind } from './capture-error.js';
export type { CaptureFrame } from './frame.js';
export type { CaptureInterface, DecryptionSecrets, NameRecord, PcapngSection } from './pcapng.js';
export type { PcapFileHeader } from './pcap.js';

export type CaptureFormat = 'pcap' | 'pcapng';

/** Called for every frame; the frame is only valid during the call. Return false to stop. */
export type FrameCallback = (frame: CaptureFrame) => void | boolean;

export interface CaptureSummary {
  /** Undefined when the data was not recognised as a capture. */
  format?: CaptureFormat;
  compression?: 'gzip';
  /** Frames delivered (records, including pcapng custom blocks, as tshark numbers them). */
  frames: number;
  /** Bytes of capture data consumed (after decompression). */
  bytes: number;
  /** True when the callback returned false. */
  stopped: boolean;
  /** Why reading ended early; the frames before it were all delivered. */
  error?: CaptureError;
  /** The pcap file header (pcap only). */
  pcap?: PcapFileHeader;
  /** pcapng sections, with their SHB options (comments, hardware, os, application) and interfaces. */
  sections: PcapngSection[];
  /** Every interface in file order (index = frame.interfaceId); one for a pcap file. */
  interfaces: CaptureInterface[];
  nameRecords: NameRecord[];
  secrets: DecryptionSecrets[];
}

/** Bytes to look at before calling something "not a capture" (enough to describe it). */
const SNIFF_LENGTH = 512;

/**
 * A push parser: push() chunks as they arrive, then take frames with next() (or drain()) until it
 * returns null; end() when the input is over. The returned frame object is reused: it is only
 * valid until the next call. Errors are CaptureError, thrown after every whole frame before them.
 */
export class CaptureReader {
  /** Set when the chunks were decompressed, so that "not a capture" says what was inside. */
  compressed = false;
  private readonly queue = new ByteQueue();
  private pcap: PcapParser | undefined;
  private pcapng: PcapngParser | undefined;
  private failure: CaptureError | undefined;

  get format(): CaptureFormat | undefined {
    return this.pcap ? 'pcap' : this.pcapng ? 'pcapng' : undefined;
  }

  /** Frames returned so far. */
  get frames(): number {
    return this.pcap ? this.pcap.frames : this.pcapng ? this.pcapng.frames : 0;
  }

  /** Byte offset of the next unread byte. */
  get offset(): number {
    return this.queue.offset;
  }

  /** The error that ended reading, if any. */
  get error(): CaptureError | undefined {
    return this.failure;
  }

  push(chunk: Uint8Array): void {
    this.queue.push(chunk);
  }

  /** No more chunks: the next next() reports a record cut short, or null when the data ended cleanly. */
  end(): void {
    this.queue.end();
  }

  /** The next frame, or null when more chunks are needed (or, after end(), when the capture is done). */
  next(): CaptureFrame | null {
    if (this.failure !== undefined) throw this.failure;
    try {
      const pcap = this.pcap;
      if (pcap !== undefined) return pcap.next(this.queue);
      const pcapng = this.pcapng;
      if (pcapng !== undefined) return pcapng.next(this.queue);
      return this.detect() ? this.next() : null;
    } catch (error) {
      if (error instanceof CaptureError) this.failure = error;
      throw error;
    }
  }

  /**
   * Calls onFrame for every frame the pushed chunks hold, in one synchronous loop. Returns false
   * when onFrame asked to stop. Throws CaptureError like next().
   */
  drain(onFrame: FrameCallback): boolean {
    if (this.failure !== undefined) throw this.failure;
    try {
      if (this.pcap === undefined && this.pcapng === undefined && !this.detect()) return true;
      return this.pcap !== undefined
        ? this.pcap.drain(this.queue, onFrame)
        : (this.pcapng as PcapngParser).drain(this.queue, onFrame);
    } catch (error) {
      if (error instanceof CaptureError) this.failure = error;
      throw error;
    }
  }

  /** What has been read so far: format, counts, headers, sections and interfaces. */
  summary(stopped = false): CaptureSummary {
    const pcapng = this.pcapng;
    const header = this.pcap?.header;
    return {
      format: this.format,
      compression: this.compressed ? 'gzip' : undefined,
      frames: this.frames,
      bytes: this.queue.offset,
      stopped,
      error: this.failure,
      pcap: header,
      sections: pcapng ? pcapng.sections : [],
      interfaces: pcapng ? pcapng.interfaces : header ? [pcapInterface(header)] : [],
      nameRecords: pcapng ? pcapng.nameRecords : [],
      secrets: pcapng ? pcapng.secrets : [],
    };
  }

  /** Records an error that happened around the reader (e.g. in decompression) as its failure. */
  fail(error: CaptureError): CaptureError {
    const placed =
      error.frame === undefined && this.format !== undefined
        ? new CaptureError({
            kind: error.kind,
            detail: error.detail,
            frame: this.frames + 1,
            offset: this.queue.offset,
            hint: error.hint,
          })
        : error;
    this.failure ??= placed;
    return this.failure;
  }

  /** Chooses the parser by the magic number; false while too few bytes have arrived. */
  private detect(): boolean {
    const q = this.queue;
    if (q.avail < 4 && !q.ended) return false;
    const head = q.peek(4);
    if (isPcapMagic(head)) {
      this.pcap = new PcapParser();
      return true;
    }
    if (head.length === 4 && ((head[0] << 24) | (head[1] << 16) | (head[2] << 8) | head[3]) >>> 0 === BLOCK_SHB) {
      this.pcapng = new PcapngParser();
      return true;
    }
    // Not a capture: wait for enough bytes to say what it is.
    if (q.avail < SNIFF_LENGTH && !q.ended) return false;
    const sample = q.peek(SNIFF_LENGTH);
    let hint = describeContent(sample);
    if (this.compressed)
      hint = sample.length === 0 ? 'an empty gzip-compressed file' : `${hint}, inside gzip compression`;
    else if (isGzip(sample)) hint = 'gzip-compressed data (CaptureReader needs it decompressed; readCapture does that)';
    throw new CaptureError({ kind: 'not-a-capture', detail: 'no pcap or pcapng magic number', offset: 0, hint });
  }
}

function pcapInterface(h: PcapFileHeader): CaptureInterface {
  return {
    id: 0,
    section: 0,
    linkType: h.linkType,
    snaplen: h.snaplen,
    comments: [],
    unitsPerSecond: h.nanosecond ? 1e9 : 1e6,
    tsPrecision: h.nanosecond ? 9 : 6,
    tsOffset: 0,
    fcsLength: h.fcsLength,
  };
}

export interface ReadCaptureOptions {
  /** The file name, for error messages. */
  file?: string;
}

/**
 * Reads a whole capture from chunks (gzip-compressed or not), calling onFrame for each frame
 * (valid only during the call; return false to stop early). Capture problems do not throw: they
 * end the reading and come back in `summary.error`, after every frame before them. Errors of the
 * chunk source and of onFrame itself are thrown.
 */
export async function readCapture(
  chunks: AsyncIterable<Uint8Array>,
  onFrame: FrameCallback,
  options: ReadCaptureOptions = {},
): Promise<CaptureSummary> {
  const reader = new CaptureReader();
  let stopped = false;
  try {
    const source = await decompressed(chunks);
    reader.compressed = source.compressed;
    for await (const chunk of source.chunks) {
      reader.push(chunk);
      if (!reader.drain(onFrame)) {
        stopped = true;
        break;
      }
    }
    if (!stopped) {
      reader.end();
      stopped = !reader.drain(onFrame);
    }
  } catch (error) {
    if (!(error instanceof CaptureError)) throw error;
    reader.fail(error);
  }
  const summary = reader.summary(stopped);
  if (summary.error && options.file !== undefined) summary.error = summary.error.withFile(options.file);
  return summary;
}

/**
 * Reads a capture that is already in memory (not compressed), synchronously. Same contract as
 * readCapture: capture problems come back in `summary.error`.
 */
export function readCaptureBytes(bytes: Uint8Array, onFrame: FrameCallback): CaptureSummary {
  const reader = new CaptureReader();
  let stopped = false;
  try {
    reader.push(bytes);
    reader.end();
    stopped = !reader.drain(onFrame);
  } catch (error) {
    if (!(error instanceof CaptureError)) throw error;
  }
  return reader.summary(stopped);
}

/** The chunks, passed through gunzip when they start with the gzip magic. */
async function decompressed(
  chunks: AsyncIterable<Uint8Array>,
): Promise<{ compressed: boolean; chunks: AsyncIterable<Uint8Array> }> {
  const it = chunks[Symbol.asyncIterator]();
  const head: Uint8Array[] = [];
  let length = 0;
  let done = false;
  while (length < 2) {
    const r = await it.next();
    if (r.done) {
      done = true;
      break;
    }
    head.push(r.value);
    length += r.value.byteLength;
  }
  const replay = replayed(head, done ? undefined : it);
  const first = head.length === 1 ? head[0] : concat(head, 2);
  if (isGzip(first)) return { compressed: true, chunks: gunzip(replay) };
  return { compressed: false, chunks: replay };
}

/** The chunks already taken from an iterator, then the rest of it (closing it when stopped early). */
async function* replayed(head: Uint8Array[], rest: AsyncIterator<Uint8Array> | undefined): AsyncGenerator<Uint8Array> {
  let finished = false;
  try {
    yield* head;
    if (rest !== undefined) {
      for (;;) {
        const r = await rest.next();
        if (r.done) break;
        yield r.value;
      }
    }
    finished = true;
  } finally {
    if (!finished && rest !== undefined) await rest.return?.();
  }
}

function concat(parts: Uint8Array[], limit: number): Uint8Array {
  const out = new Uint8Array(
    Math.min(
      limit,
      parts.reduce((n, p) => n + p.byteLength, 0),
    ),
  );
  let o = 0;
  for (const p of parts) {
    if (o >= out.length) break;
    const take = Math.min(p.byteLength, out.length - o);
    out.set(p.subarray(0, take), o);
    o += take;
  }
  return out;
}
