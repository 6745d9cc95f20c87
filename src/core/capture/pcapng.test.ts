// pcapng on hand-built blocks: byte orders and sections, interface time stamp resolutions and
// offsets without precision loss, every packet block type, options, and the errors (with their
// offsets) for blocks that are too short, too long or inconsistent.

import { describe, expect, it } from 'vitest';
import type { CaptureFrame } from './frame.js';
import { readCaptureBytes, type CaptureSummary } from './reader.js';

/** Little helpers writing pcapng in one byte order. */
class Builder {
  constructor(readonly le: boolean) {}

  u16(n: number): Uint8Array {
    const b = new Uint8Array(2);
    new DataView(b.buffer).setUint16(0, n, this.le);
    return b;
  }

  u32(n: number): Uint8Array {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, n >>> 0, this.le);
    return b;
  }

  u64(n: bigint): Uint8Array {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, n), this.le);
    return b;
  }

  option(code: number, value: Uint8Array | string): Uint8Array {
    const v = typeof value === 'string' ? new TextEncoder().encode(value) : value;
    return cat(this.u16(code), this.u16(v.length), pad(v));
  }

  options(...opts: Uint8Array[]): Uint8Array {
    return opts.length ? cat(...opts, this.u32(0)) : new Uint8Array(0);
  }

  block(type: number, ...body: Uint8Array[]): Uint8Array {
    const content = cat(...body);
    return cat(this.u32(type), this.u32(12 + content.length), content, this.u32(12 + content.length));
  }

  shb(options: Uint8Array = new Uint8Array(0), major = 1, minor = 0): Uint8Array {
    return this.block(0x0a0d0d0a, this.u32(0x1a2b3c4d), this.u16(major), this.u16(minor), this.u64(-1n), options);
  }

  idb(linkType: number, snaplen: number, options: Uint8Array = new Uint8Array(0)): Uint8Array {
    return this.block(1, this.u16(linkType), this.u16(0), this.u32(snaplen), options);
  }

  epb(
    ifId: number,
    ticks: bigint,
    data: Uint8Array,
    orig = data.length,
    options: Uint8Array = new Uint8Array(0),
  ): Uint8Array {
    return this.block(
      6,
      this.u32(ifId),
      this.u32(Number(ticks >> 32n)),
      this.u32(Number(ticks & 0xffffffffn)),
      this.u32(data.length),
      this.u32(orig),
      pad(data),
      options,
    );
  }

  spb(orig: number, data: Uint8Array): Uint8Array {
    return this.block(3, this.u32(orig), pad(data));
  }
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

function pad(b: Uint8Array): Uint8Array {
  const out = new Uint8Array((b.length + 3) & ~3);
  out.set(b);
  return out;
}

function bytes(n: number, fill = 0x5a): Uint8Array {
  return new Uint8Array(n).fill(fill);
}

function read(file: Uint8Array): { frames: CaptureFrame[]; summary: CaptureSummary } {
  const frames: CaptureFrame[] = [];
  const summary = readCaptureBytes(file, (f) => {
    frames.push({ ...f, data: f.data.slice() });
  });
  return { frames, summary };
}

const LE = new Builder(true);
const BE = new Builder(false);

describe('pcapng', () => {
  it.each([
    ['little-endian', LE],
    ['big-endian', BE],
  ])('reads a %s section with an EPB (default microsecond resolution)', (_label, b) => {
    const file = cat(b.shb(), b.idb(1, 65535), b.epb(0, 1700000000123456n, bytes(60), 1514));
    const { frames, summary } = read(file);
    expect(summary.error).toBeUndefined();
    expect(summary.sections[0].byteOrder).toBe(b.le ? 'little' : 'big');
    const f = frames[0];
    expect([f.tsSec, f.tsNsec, f.capLen, f.origLen, f.linkType, f.interfaceId, f.tsPrecision]).toEqual([
      1700000000, 123456000, 60, 1514, 1, 0, 6,
    ]);
    expect(f.fileOffset).toBe(file.length - (32 + 60));
  });

  it('restarts interface ids in every section (mixed byte orders) and numbers interfaces file-wide', () => {
    const file = cat(
      LE.shb(),
      LE.idb(1, 0),
      LE.idb(0, 0),
      LE.epb(1, 1n, bytes(4)),
      BE.shb(),
      BE.idb(101, 0),
      BE.epb(0, 2n, bytes(4)),
      LE.shb(),
      LE.idb(113, 0),
      LE.epb(0, 3n, bytes(4)),
    );
    const { frames, summary } = read(file);
    expect(frames.map((f) => [f.linkType, f.interfaceId, f.section])).toEqual([
      [0, 1, 1],
      [101, 2, 2],
      [113, 3, 3],
    ]);
    expect(summary.sections.map((s) => s.interfaces.map((i) => i.id))).toEqual([[0, 1], [2], [3]]);
  });

  it('converts nanosecond ticks beyond 2^53 without losing precision', () => {
    const ticks = 1700000000123456789n; // > 2^53
    const file = cat(LE.shb(), LE.idb(1, 0, LE.options(LE.option(9, new Uint8Array([9])))), LE.epb(0, ticks, bytes(4)));
    const f = read(file).frames[0];
    expect([f.tsSec, f.tsNsec, f.tsPrecision]).toEqual([1700000000, 123456789, 9]);
  });

  it.each([
    // if_tsresol, ticks, seconds, nanoseconds, digits
    [3, 1700000000123n, 1700000000, 123000000, 3],
    [0x88, 1519128000n * 256n + 50n, 1519128000, 195312500, 2], // 2^-8 (gopacket test902): 256/s -> 2 digits
    [0x94, 1700000000n * 2n ** 20n + 2n ** 19n, 1700000000, 500000000, 6], // 2^-20
    [0xa0, 1n * 2n ** 32n + 1n, 1, 0, 9], // 2^-32: 1 tick = 0.23 ns
    [0xa8, 3n * 2n ** 40n + 2n ** 39n, 3, 500000000, 9], // 2^-40: BigInt path
    [12, 1700000000123456789012n % 2n ** 64n, 0, 0, 9], // 10^-12: BigInt path, checked below
    [0, 42n, 42, 0, 0], // whole seconds
  ])('if_tsresol 0x%s: ticks %s -> %s s %s ns', (resol, ticks, sec, nsec, digits) => {
    const file = cat(
      LE.shb(),
      LE.idb(1, 0, LE.options(LE.option(9, new Uint8Array([resol])))),
      LE.epb(0, ticks, bytes(4)),
    );
    const f = read(file).frames[0];
    if (resol === 12) {
      const perSecond = 10n ** 12n;
      expect([BigInt(f.tsSec), BigInt(f.tsNsec)]).toEqual([
        ticks / perSecond,
        ((ticks % perSecond) * 1000000000n) / perSecond,
      ]);
    } else {
      expect([f.tsSec, f.tsNsec]).toEqual([sec, nsec]);
    }
    expect(f.tsPrecision).toBe(digits);
  });

  it('rejects time stamp resolutions Wireshark cannot represent', () => {
    const file = cat(LE.shb(), LE.idb(1, 0, LE.options(LE.option(9, new Uint8Array([20])))));
    expect(read(file).summary.error?.detail).toBe('pcapng: IDB power-of-10 time stamp resolution 20 > 19');
  });

  it('adds if_tsoffset seconds', () => {
    const file = cat(
      LE.shb(),
      LE.idb(1, 0, LE.options(LE.option(14, LE.u64(1000000000n)))),
      LE.epb(0, 5000001n, bytes(4)),
    );
    const f = read(file).frames[0];
    expect([f.tsSec, f.tsNsec]).toEqual([1000000005, 1000]);
  });

  it('gives an SPB no time stamp and min(original length, snaplen of interface 0) bytes', () => {
    const file = cat(
      LE.shb(),
      LE.idb(1, 96, LE.options(LE.option(2, 'eth0'))),
      LE.idb(0, 0),
      LE.spb(314, bytes(96)),
      LE.spb(60, bytes(60)),
    );
    const { frames } = read(file);
    expect(
      frames.map((f) => [f.capLen, f.origLen, f.hasTimestamp, f.tsSec, f.tsNsec, f.interfaceId, f.interfaceName]),
    ).toEqual([
      [96, 314, false, 0, 0, 0, 'eth0'],
      [60, 60, false, 0, 0, 0, 'eth0'],
    ]);
  });

  it('calls an SPB before any IDB corrupt', () => {
    const { summary } = read(cat(LE.shb(), LE.spb(10, bytes(10))));
    expect(summary.error?.detail).toBe('pcapng: SPB appeared before any IDBs in the section');
  });

  it('reads the obsolete Packet Block (type 2)', () => {
    const pb = LE.block(2, LE.u16(0), LE.u16(0), LE.u32(0), LE.u32(7000000), LE.u32(5), LE.u32(50), pad(bytes(5)));
    const f = read(cat(LE.shb(), LE.idb(1, 0), pb)).frames[0];
    expect([f.tsSec, f.tsNsec, f.capLen, f.origLen]).toEqual([7, 0, 5, 50]);
  });

  it('exposes packet comments and epb_flags, and the SHB comment, hardware, os and application', () => {
    const shbOptions = LE.options(
      LE.option(1, 'made by hand'),
      LE.option(2, 'x86'),
      LE.option(3, 'Linux'),
      LE.option(4, 'test\0junk'),
    );
    const epbOptions = LE.options(LE.option(1, 'first'), LE.option(2, LE.u32(1)), LE.option(1, 'second'));
    const { frames, summary } = read(
      cat(LE.shb(shbOptions), LE.idb(1, 0), LE.epb(0, 0n, bytes(3), 3, epbOptions), LE.epb(0, 0n, bytes(3))),
    );
    expect(frames[0].comments).toEqual(['first', 'second']);
    expect(frames[0].packetFlags).toBe(1);
    expect(frames[1].comments).toBeUndefined();
    expect(frames[1].packetFlags).toBeUndefined();
    const s = summary.sections[0];
    expect([s.comments, s.hardware, s.os, s.application]).toEqual([['made by hand'], 'x86', 'Linux', 'test']);
  });

  it('reads NRB, ISB and DSB blocks and skips unknown ones by their length', () => {
    const ip4 = cat(
      LE.u16(1),
      LE.u16(4 + 11),
      pad(cat(new Uint8Array([10, 0, 0, 1]), new TextEncoder().encode('host\0alias\0'))),
    );
    const nrb = LE.block(4, ip4, LE.u32(0));
    const isb = LE.block(5, LE.u32(0), LE.u32(0), LE.u32(0), LE.options(LE.option(1, 'stats')));
    const dsb = LE.block(0x0a, LE.u32(0x544c534b), LE.u32(5), pad(new TextEncoder().encode('keys!')));
    const unknown = LE.block(0x12345678, bytes(20));
    const { frames, summary } = read(cat(LE.shb(), LE.idb(1, 0), nrb, isb, dsb, unknown, LE.epb(0, 0n, bytes(8))));
    expect(summary.error).toBeUndefined();
    expect(frames).toHaveLength(1);
    expect(summary.nameRecords).toEqual([
      { version: 4, address: new Uint8Array([10, 0, 0, 1]), names: ['host', 'alias'] },
    ]);
    expect(summary.secrets[0].secretsType).toBe(0x544c534b);
    expect(new TextDecoder().decode(summary.secrets[0].data)).toBe('keys!');
  });

  it('returns custom blocks as records: data after the PEN, no time stamp, copy flag', () => {
    const cb = LE.block(0x0bad, LE.u32(32473), pad(new TextEncoder().encode('custom!')));
    const dcb = LE.block(0x40000bad, LE.u32(99), bytes(8));
    const { frames } = read(cat(LE.shb(), cb, dcb));
    expect(frames.map((f) => [f.custom?.pen, f.custom?.copyAllowed, f.capLen, f.hasTimestamp])).toEqual([
      [32473, true, 8, false],
      [99, false, 8, false],
    ]);
  });

  it('accepts SHB version 1.2 and rejects others after the frames before them', () => {
    expect(read(cat(LE.shb(undefined, 1, 2), LE.idb(1, 0), LE.epb(0, 0n, bytes(4)))).frames).toHaveLength(1);
    const file = cat(
      LE.shb(),
      LE.idb(1, 0),
      LE.epb(0, 0n, bytes(4)),
      LE.shb(undefined, 2, 0),
      LE.idb(1, 0),
      LE.epb(0, 0n, bytes(4)),
    );
    const { frames, summary } = read(file);
    expect(frames).toHaveLength(1);
    expect(summary.error?.kind).toBe('unsupported');
    expect(summary.error?.detail).toBe('pcapng: unknown SHB version 2.0');
  });

  describe('damaged files', () => {
    const head = cat(LE.shb(), LE.idb(1, 0));
    const good = LE.epb(0, 0n, bytes(4));

    function errorOf(tail: Uint8Array): {
      frames: number;
      kind?: string;
      detail?: string;
      offset?: number;
      frame?: number;
    } {
      const { frames, summary } = read(cat(head, good, tail));
      return {
        frames: frames.length,
        kind: summary.error?.kind,
        detail: summary.error?.detail,
        offset: summary.error?.offset,
        frame: summary.error?.frame,
      };
    }
    const at = head.length + good.length;

    it('a block length below 12 is corrupt, naming the offset', () => {
      expect(errorOf(cat(LE.u32(6), LE.u32(8), bytes(8)))).toEqual({
        frames: 1,
        kind: 'corrupt',
        detail: 'pcapng: total block length 8 of block is less than the minimum block size 12',
        offset: at,
        frame: 2,
      });
    });

    it('a block running past the end of the data is truncated, naming the offset', () => {
      const epb = LE.epb(0, 0n, bytes(40));
      expect(errorOf(epb.subarray(0, 30))).toMatchObject({ frames: 1, kind: 'truncated', offset: at, frame: 2 });
    });

    it('a trailer length that differs from the header is corrupt', () => {
      const epb = LE.epb(0, 0n, bytes(4)).slice();
      new DataView(epb.buffer).setUint32(epb.length - 4, 40, true);
      expect(errorOf(epb)).toMatchObject({
        kind: 'corrupt',
        detail: "pcapng: total block lengths (first 36 and second 40) don't match",
        offset: at,
      });
    });

    it('an EPB on an interface the section does not have is corrupt', () => {
      expect(errorOf(LE.epb(3, 0n, bytes(4)))).toMatchObject({
        kind: 'corrupt',
        detail: 'pcapng: interface index 3 is not less than section interface count 1',
      });
    });

    it('an EPB whose captured length exceeds its block is corrupt', () => {
      const epb = LE.epb(0, 0n, bytes(4)).slice();
      new DataView(epb.buffer).setUint32(20, 100, true);
      expect(errorOf(epb)).toMatchObject({
        kind: 'corrupt',
        detail: 'pcapng: block content length 24 of an EPB is too small for 100 bytes of packet data',
      });
    });

    it('an option longer than the options area is corrupt', () => {
      const bad = cat(LE.u16(1), LE.u16(200), bytes(4));
      expect(errorOf(LE.epb(0, 0n, bytes(4), 4, bad))).toMatchObject({
        kind: 'corrupt',
        detail: 'pcapng: Not enough data to handle option of length 200',
      });
    });

    it('a first SHB without a byte-order magic is not a capture', () => {
      const shb = LE.shb().slice();
      shb.set([1, 2, 3, 4], 8);
      const { summary } = read(shb);
      expect(summary.error?.kind).toBe('not-a-capture');
    });

    it('a later SHB without a byte-order magic is corrupt', () => {
      const shb = LE.shb().slice();
      shb.set([1, 2, 3, 4], 8);
      expect(errorOf(shb)).toMatchObject({
        kind: 'corrupt',
        detail: 'pcapng: unknown byte-order magic number 0x04030201',
        offset: at,
      });
    });
  });
});
