// The writers round-trip with the reader: pcap (micro- and nanosecond, snaplen, batches,
// writeRecordInto as the benchmark generator uses it) and pcapng (interfaces, comments).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PcapngWriter, PcapWriter, writeRecordInto } from './pcap-writer.js';
import type { CaptureFrame } from './frame.js';
import { readCaptureBytes, type CaptureSummary } from './reader.js';

function read(file: Uint8Array): { frames: CaptureFrame[]; summary: CaptureSummary } {
  const frames: CaptureFrame[] = [];
  const summary = readCaptureBytes(file, (f) => {
    frames.push({ ...f, data: f.data.slice() });
  });
  return { frames, summary };
}

function cat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const packet = fc.record({
  tsSec: fc.integer({ min: 0, max: 0xffffffff }),
  tsMicro: fc.integer({ min: 0, max: 999999 }),
  tsSubMicro: fc.integer({ min: 0, max: 999 }),
  data: fc.uint8Array({ maxLength: 300 }),
  extra: fc.integer({ min: 0, max: 1000 }),
});

describe('PcapWriter', () => {
  it('writes the header tshark expects', () => {
    const h = new PcapWriter({ linkType: 113, snaplen: 1000, nanosecond: true }).header();
    const { summary } = read(h);
    expect(summary.error).toBeUndefined();
    expect(summary.pcap).toMatchObject({
      linkType: 113,
      snaplen: 1000,
      nanosecond: true,
      versionMajor: 2,
      versionMinor: 4,
    });
  });

  it.each([false, true])('round-trips records (nanosecond: %s)', (nanosecond) => {
    fc.assert(
      fc.property(fc.array(packet, { maxLength: 20 }), (packets) => {
        const w = new PcapWriter({ linkType: 1, nanosecond });
        const file = cat(
          w.header(),
          ...packets.map((p) =>
            w.record({
              tsSec: p.tsSec,
              tsNsec: p.tsMicro * 1000 + p.tsSubMicro,
              data: p.data,
              origLen: p.data.length + p.extra,
            }),
          ),
        );
        const { frames, summary } = read(file);
        expect(summary.error).toBeUndefined();
        expect(frames.map((f) => [f.tsSec, f.tsNsec, f.origLen, Array.from(f.data)])).toEqual(
          packets.map((p) => [
            p.tsSec,
            p.tsMicro * 1000 + (nanosecond ? p.tsSubMicro : 0),
            p.data.length + p.extra,
            Array.from(p.data),
          ]),
        );
      }),
      { numRuns: 100 },
    );
  });

  it('cuts packets to the snaplen and keeps the original length', () => {
    const w = new PcapWriter({ linkType: 1, snaplen: 10 });
    const { frames } = read(cat(w.header(), w.record({ tsSec: 1, tsNsec: 0, data: new Uint8Array(50).fill(3) })));
    expect([frames[0].capLen, frames[0].origLen]).toEqual([10, 50]);
  });

  it('batches records into a reusable buffer and says when it is full', () => {
    const w = new PcapWriter({ linkType: 1 });
    const batch = w.batch(100);
    const data = new Uint8Array(30).fill(9);
    expect(batch.add(1, 0, data)).toBe(true);
    expect(batch.add(2, 0, data)).toBe(true);
    expect(batch.add(3, 0, data)).toBe(false);
    expect(batch.length).toBe(92);
    const first = cat(w.header(), batch.bytes);
    batch.reset();
    expect(batch.add(3, 5000, data, 60)).toBe(true);
    const { frames } = read(cat(first, batch.bytes));
    expect(frames.map((f) => [f.tsSec, f.tsNsec, f.capLen, f.origLen])).toEqual([
      [1, 0, 30, 30],
      [2, 0, 30, 30],
      [3, 5000, 30, 60],
    ]);
  });

  it('writeRecordInto returns the offset after the record and refuses to overflow', () => {
    const buf = new Uint8Array(64);
    const data = new Uint8Array([1, 2, 3]);
    expect(writeRecordInto(buf, 0, 1, 2000, data, 3, false)).toBe(19);
    expect(writeRecordInto(buf, 19, 1, 2000, data, 9, true)).toBe(38);
    expect(() => writeRecordInto(buf, 50, 1, 0, data, 3, false)).toThrow(RangeError);
    const { frames } = read(cat(new PcapWriter({ linkType: 1 }).header(), buf.subarray(0, 19)));
    expect([frames[0].tsNsec, Array.from(frames[0].data)]).toEqual([2000, [1, 2, 3]]);
  });
});

describe('PcapngWriter', () => {
  it('round-trips interfaces, resolutions, comments and times', () => {
    const w = new PcapngWriter({
      interfaces: [
        { linkType: 1, name: 'eth0' },
        { linkType: 101, name: 'tun0', nanosecond: true, snaplen: 8 },
      ],
      comment: 'written by a test',
      os: 'Linux',
    });
    const data = new Uint8Array(20).fill(4);
    const file = cat(
      w.header(),
      w.record({ tsSec: 1700000000, tsNsec: 123456789, data, comments: ['hello', 'world'] }),
      w.record({ tsSec: 1700000000, tsNsec: 123456789, data: data.subarray(0, 9), interfaceId: 1 }),
    );
    const { frames, summary } = read(file);
    expect(summary.error).toBeUndefined();
    expect(summary.sections[0].comments).toEqual(['written by a test']);
    expect(summary.sections[0].os).toBe('Linux');
    expect(summary.interfaces.map((i) => [i.name, i.linkType, i.tsPrecision])).toEqual([
      ['eth0', 1, 6],
      ['tun0', 101, 9],
    ]);
    expect(frames.map((f) => [f.interfaceId, f.linkType, f.tsSec, f.tsNsec, f.capLen, f.origLen, f.comments])).toEqual([
      [0, 1, 1700000000, 123456000, 20, 20, ['hello', 'world']],
      [1, 101, 1700000000, 123456789, 8, 9, undefined],
    ]);
  });
});
