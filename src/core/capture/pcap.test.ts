// Classic pcap on hand-built files: magics and byte orders, the modified format, versions, the
// link type's FCS bits, record size limits, tshark's handling of odd time stamps, truncation.

import { describe, expect, it } from 'vitest';
import type { CaptureFrame } from './frame.js';
import { readCaptureBytes, type CaptureSummary } from './reader.js';

interface PcapOptions {
  magic?: number;
  bigEndian?: boolean;
  major?: number;
  minor?: number;
  snaplen?: number;
  linkType?: number;
}

interface RecordSpec {
  sec: number;
  frac: number;
  data: Uint8Array;
  orig?: number;
}

/** A pcap file: 24-byte header, then 16-byte (24 with the modified magic) record headers and data. */
function pcapFile(o: PcapOptions, records: RecordSpec[]): Uint8Array {
  const magic = o.magic ?? 0xa1b2c3d4;
  const le = !o.bigEndian;
  const hlen = magic === 0xa1b2cd34 ? 24 : 16;
  const size = 24 + records.reduce((n, r) => n + hlen + r.data.length, 0);
  const out = new Uint8Array(size);
  const v = new DataView(out.buffer);
  v.setUint32(0, magic, le);
  v.setUint16(4, o.major ?? 2, le);
  v.setUint16(6, o.minor ?? 4, le);
  v.setUint32(16, o.snaplen ?? 65535, le);
  v.setUint32(20, o.linkType ?? 1, le);
  let p = 24;
  for (const r of records) {
    v.setUint32(p, r.sec, le);
    v.setUint32(p + 4, r.frac, le);
    v.setUint32(p + 8, r.data.length, le);
    v.setUint32(p + 12, r.orig ?? r.data.length, le);
    if (hlen === 24) v.setUint32(p + 16, 7, le); // ifindex, ignored
    out.set(r.data, p + hlen);
    p += hlen + r.data.length;
  }
  return out;
}

function bytes(n: number, fill = 0xab): Uint8Array {
  return new Uint8Array(n).fill(fill);
}

function read(file: Uint8Array): { frames: CaptureFrame[]; summary: CaptureSummary } {
  const frames: CaptureFrame[] = [];
  // The reader reuses its frame object: copy what the test keeps.
  const summary = readCaptureBytes(file, (f) => {
    frames.push({ ...f, data: f.data.slice() });
  });
  return { frames, summary };
}

const twoRecords: RecordSpec[] = [
  { sec: 1700000000, frac: 123456, data: bytes(60, 1), orig: 1514 },
  { sec: 1700000001, frac: 999999, data: bytes(42, 2) },
];

describe('pcap', () => {
  it.each([
    ['little-endian', false],
    ['big-endian', true],
  ])('reads microsecond files in %s byte order', (_label, bigEndian) => {
    const { frames, summary } = read(pcapFile({ bigEndian }, twoRecords));
    expect(summary.error).toBeUndefined();
    expect(summary.pcap?.byteOrder).toBe(bigEndian ? 'big' : 'little');
    expect(frames.map((f) => [f.tsSec, f.tsNsec, f.capLen, f.origLen, f.tsPrecision])).toEqual([
      [1700000000, 123456000, 60, 1514, 6],
      [1700000001, 999999000, 42, 42, 6],
    ]);
    expect(frames[0].data).toEqual(bytes(60, 1));
    expect(frames[1].fileOffset).toBe(24 + 16 + 60);
  });

  it.each([
    ['little-endian', false],
    ['big-endian', true],
  ])('reads nanosecond files in %s byte order', (_label, bigEndian) => {
    const file = pcapFile({ magic: 0xa1b23c4d, bigEndian }, [{ sec: 1, frac: 999999999, data: bytes(10) }]);
    const { frames, summary } = read(file);
    expect(summary.pcap?.nanosecond).toBe(true);
    expect([frames[0].tsSec, frames[0].tsNsec, frames[0].tsPrecision]).toEqual([1, 999999999, 9]);
  });

  it("reads Kuznetzov's modified pcap with 24-byte record headers", () => {
    const { frames, summary } = read(pcapFile({ magic: 0xa1b2cd34 }, twoRecords));
    expect(summary.pcap?.modified).toBe(true);
    expect(frames.map((f) => f.capLen)).toEqual([60, 42]);
    expect(frames[1].data).toEqual(bytes(42, 2));
  });

  it.each([1, 3])('rejects major version %i like tshark', (major) => {
    const { frames, summary } = read(pcapFile({ major }, twoRecords));
    expect(frames).toEqual([]);
    expect(summary.error?.kind).toBe('unsupported');
    expect(summary.error?.detail).toBe(`pcap: major version ${major} unsupported`);
  });

  it('masks the FCS bits off the link type field and reports the FCS length', () => {
    const { frames, summary } = read(pcapFile({ linkType: 0x34000001 }, twoRecords));
    expect(frames[0].linkType).toBe(1);
    expect(summary.pcap?.linkType).toBe(1);
    expect(summary.pcap?.fcsLength).toBe(3);
    expect(read(pcapFile({ linkType: 0x30000001 }, twoRecords)).frames[0].linkType).toBe(1);
  });

  it('calls a record bigger than max(snaplen, 262144) corrupt, after the packets before it', () => {
    const file = pcapFile({ snaplen: 65535 }, [...twoRecords, { sec: 5, frac: 0, data: bytes(262145) }]);
    const { frames, summary } = read(file);
    expect(frames).toHaveLength(2);
    expect(summary.error?.kind).toBe('corrupt');
    expect(summary.error?.detail).toBe('pcap: File has 262145-byte packet, bigger than maximum of 262144');
    expect(summary.error?.frame).toBe(3);
    expect(summary.error?.offset).toBe(24 + 16 + 60 + 16 + 42);
  });

  it('accepts records up to a snaplen above 262144', () => {
    const { frames, summary } = read(pcapFile({ snaplen: 400000 }, [{ sec: 5, frac: 0, data: bytes(300000) }]));
    expect(summary.error).toBeUndefined();
    expect(frames[0].capLen).toBe(300000);
  });

  it('reads seconds as unsigned 32-bit (2106)', () => {
    const { frames } = read(pcapFile({}, [{ sec: 0xffffffff, frac: 0, data: bytes(4) }]));
    expect(frames[0].tsSec).toBe(4294967295);
  });

  it('keeps out-of-range microseconds the way tshark prints them', () => {
    // tshark: 1,000,000 us -> "sec.1000000000"; Wireshark's 32-bit usec * 1000 makes 2^31 us -> 0.
    const { frames } = read(
      pcapFile({}, [
        { sec: 10, frac: 1000000, data: bytes(4) },
        { sec: 10, frac: 0x80000000, data: bytes(4) },
      ]),
    );
    expect(frames.map((f) => f.tsNsec)).toEqual([1000000000, 0]);
  });

  it('reads a header-only file as zero frames', () => {
    const { frames, summary } = read(pcapFile({}, []));
    expect(frames).toEqual([]);
    expect(summary.error).toBeUndefined();
    expect(summary.interfaces).toHaveLength(1);
  });

  it('reports a file cut in its header as truncated at frame 1, offset 0', () => {
    const { summary } = read(pcapFile({}, []).subarray(0, 20));
    expect(summary.error?.kind).toBe('truncated');
    expect(summary.error?.frame).toBe(1);
    expect(summary.error?.offset).toBe(0);
  });

  it('reports a file cut in a record header or in packet data, naming the frame and offset', () => {
    const file = pcapFile({}, twoRecords);
    for (const cut of [24 + 16 + 60 + 5, file.length - 1]) {
      const { frames, summary } = read(file.subarray(0, cut));
      expect(frames).toHaveLength(1);
      expect(summary.error?.kind).toBe('truncated');
      expect(summary.error?.frame).toBe(2);
      expect(summary.error?.offset).toBe(24 + 16 + 60);
      expect(summary.error?.message).toMatch(/cut short in the middle of a packet .* at frame 2, byte offset 100\.$/);
    }
  });
});
