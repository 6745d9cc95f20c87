// Writing captures: classic pcap (microsecond or nanosecond magic, little-endian, chosen link type
// and snaplen) record by record or batched into a reusable buffer, and a small pcapng writer.

import { PCAP_MAGIC_NSEC, PCAP_MAGIC_USEC } from './pcap.js';

export interface PcapWriterOptions {
  linkType: number;
  /** Longest data kept per packet; longer packets are cut (origLen keeps the wire length). Default 262144. */
  snaplen?: number;
  /** Nanosecond time stamps (magic a1b23c4d) instead of microseconds. */
  nanosecond?: boolean;
}

export interface WritableFrame {
  tsSec: number;
  tsNsec: number;
  data: Uint8Array;
  /** Length on the wire; defaults to data.length. */
  origLen?: number;
}

const PCAP_HEADER_LENGTH = 24;
const RECORD_HEADER_LENGTH = 16;

export class PcapWriter {
  readonly linkType: number;
  readonly snaplen: number;
  readonly nanosecond: boolean;

  constructor(opts: PcapWriterOptions) {
    this.linkType = opts.linkType;
    this.snaplen = opts.snaplen ?? 262144;
    this.nanosecond = opts.nanosecond ?? false;
  }

  /** The 24-byte file header. */
  header(): Uint8Array {
    const out = new Uint8Array(PCAP_HEADER_LENGTH);
    const v = new DataView(out.buffer);
    v.setUint32(0, this.nanosecond ? PCAP_MAGIC_NSEC : PCAP_MAGIC_USEC, true);
    v.setUint16(4, 2, true);
    v.setUint16(6, 4, true);
    v.setUint32(16, this.snaplen, true);
    v.setUint32(20, this.linkType, true);
    return out;
  }

  /** One record: its 16-byte header and the data (cut to snaplen). */
  record(frame: WritableFrame): Uint8Array {
    const data = frame.data.length > this.snaplen ? frame.data.subarray(0, this.snaplen) : frame.data;
    const out = new Uint8Array(RECORD_HEADER_LENGTH + data.length);
    writeRecordInto(out, 0, frame.tsSec, frame.tsNsec, data, frame.origLen ?? frame.data.length, this.nanosecond);
    return out;
  }

  /** A reusable buffer that records are appended to, for writing many packets fast. */
  batch(capacity = 1 << 20): PcapRecordBatch {
    return new PcapRecordBatch(this, capacity);
  }
}

/**
 * Writes one little-endian pcap record (16-byte header + data) at buf[offset] and returns the
 * offset after it. The time is written as microseconds unless `nanosecond`. Throws RangeError
 * when the buffer is too small. No allocation: the benchmark generator writes millions with it.
 */
export function writeRecordInto(
  buf: Uint8Array,
  offset: number,
  tsSec: number,
  tsNsec: number,
  data: Uint8Array,
  origLen: number,
  nanosecond: boolean,
): number {
  const capLen = data.length;
  const end = offset + RECORD_HEADER_LENGTH + capLen;
  if (offset < 0 || end > buf.length) {
    throw new RangeError(
      `pcap record of ${capLen} bytes does not fit at offset ${offset} of a ${buf.length}-byte buffer`,
    );
  }
  const frac = nanosecond ? tsNsec : Math.floor(tsNsec / 1000);
  put32(buf, offset, tsSec);
  put32(buf, offset + 4, frac);
  put32(buf, offset + 8, capLen);
  put32(buf, offset + 12, origLen);
  buf.set(data, offset + RECORD_HEADER_LENGTH);
  return end;
}

function put32(buf: Uint8Array, o: number, value: number): void {
  buf[o] = value;
  buf[o + 1] = value >>> 8;
  buf[o + 2] = value >>> 16;
  buf[o + 3] = value >>> 24;
}

/** Records appended into one reusable buffer; take `bytes`, write them out, then reset(). */
export class PcapRecordBatch {
  private readonly buf: Uint8Array;
  private used = 0;

  constructor(
    private readonly writer: PcapWriter,
    capacity: number,
  ) {
    this.buf = new Uint8Array(capacity);
  }

  /** Appends a record; false (and nothing written) when it does not fit: flush and reset first. */
  add(tsSec: number, tsNsec: number, data: Uint8Array, origLen = data.length): boolean {
    const w = this.writer;
    const d = data.length > w.snaplen ? data.subarray(0, w.snaplen) : data;
    if (this.used + RECORD_HEADER_LENGTH + d.length > this.buf.length) {
      if (this.used === 0)
        throw new RangeError(`a ${d.length}-byte record does not fit in a ${this.buf.length}-byte batch`);
      return false;
    }
    this.used = writeRecordInto(this.buf, this.used, tsSec, tsNsec, d, origLen, w.nanosecond);
    return true;
  }

  /** The records written since the last reset (a view of the reusable buffer). */
  get bytes(): Uint8Array {
    return this.buf.subarray(0, this.used);
  }

  get length(): number {
    return this.used;
  }

  reset(): void {
    this.used = 0;
  }
}

export interface PcapngInterfaceOptions {
  linkType: number;
  snaplen?: number;
  name?: string;
  /** Write if_tsresol 9 (nanoseconds); the default is microseconds. */
  nanosecond?: boolean;
}

export interface PcapngWriterOptions {
  interfaces: PcapngInterfaceOptions[];
  comment?: string;
  hardware?: string;
  os?: string;
  application?: string;
}

const textEncoder = new TextEncoder();

/** A little-endian pcapng writer: one section with the given interfaces, then Enhanced Packet Blocks. */
export class PcapngWriter {
  constructor(private readonly opts: PcapngWriterOptions) {}

  /** The Section Header Block and one Interface Description Block per interface. */
  header(): Uint8Array {
    const o = this.opts;
    const shbOptions = options([
      [1, o.comment],
      [2, o.hardware],
      [3, o.os],
      [4, o.application ?? 'synack'],
    ]);
    const blocks = [block(0x0a0d0d0a, [u32(0x1a2b3c4d), u16(1), u16(0), u32(0xffffffff), u32(0xffffffff), shbOptions])];
    for (const i of o.interfaces) {
      const idbOptions = options([
        [2, i.name],
        [9, i.nanosecond ? new Uint8Array([9]) : undefined],
      ]);
      blocks.push(block(1, [u16(i.linkType), u16(0), u32(i.snaplen ?? 262144), idbOptions]));
    }
    return join(blocks);
  }

  /** One Enhanced Packet Block, with opt_comment for each comment. */
  record(frame: WritableFrame & { interfaceId?: number; comments?: string[] }): Uint8Array {
    const ifId = frame.interfaceId ?? 0;
    const iface = this.opts.interfaces[ifId];
    if (iface === undefined) throw new RangeError(`no interface ${ifId} in this pcapng writer`);
    const snaplen = iface.snaplen ?? 262144;
    const data = snaplen !== 0 && frame.data.length > snaplen ? frame.data.subarray(0, snaplen) : frame.data;
    const perSecond = iface.nanosecond ? 1000000000n : 1000000n;
    const fraction = iface.nanosecond ? BigInt(frame.tsNsec) : BigInt(Math.floor(frame.tsNsec / 1000));
    const ticks = BigInt(frame.tsSec) * perSecond + fraction;
    const opts = options((frame.comments ?? []).map((c): [number, string] => [1, c]));
    return block(6, [
      u32(ifId),
      u32(Number(ticks >> 32n)),
      u32(Number(ticks & 0xffffffffn)),
      u32(data.length),
      u32(frame.origLen ?? frame.data.length),
      pad4(data),
      opts,
    ]);
  }
}

function u32(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n >>> 0, true);
  return b;
}

function u16(n: number): Uint8Array {
  const b = new Uint8Array(2);
  new DataView(b.buffer).setUint16(0, n, true);
  return b;
}

function pad4(data: Uint8Array): Uint8Array {
  const padded = (data.length + 3) & ~3;
  if (padded === data.length) return data;
  const out = new Uint8Array(padded);
  out.set(data);
  return out;
}

function options(list: [number, string | Uint8Array | undefined][]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const [code, value] of list) {
    if (value === undefined) continue;
    const bytes = typeof value === 'string' ? textEncoder.encode(value) : value;
    parts.push(u16(code), u16(bytes.length), pad4(bytes));
  }
  if (parts.length) parts.push(u32(0)); // opt_endofopt
  return join(parts);
}

function block(type: number, body: Uint8Array[]): Uint8Array {
  const content = join(body);
  const total = 12 + content.length;
  return join([u32(type), u32(total), content, u32(total)]);
}

function join(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
