// The capture reader against tshark: every shared capture gives the frames (number, epoch time,
// lengths) tshark printed and, for the files tshark rejects, the same frames then an error of the
// right kind; the same frames whatever the chunking; gzip; and hostile bytes only ever produce
// CaptureError.

import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CaptureError, CaptureReader, readCapture, readCaptureBytes, type CaptureSummary } from './reader.js';
import type { CaptureFrame } from './frame.js';

const capturesDir = new URL('../../../../shared/captures/', import.meta.url);
const expectedDir = new URL('../../../../shared/oracle/expected/', import.meta.url);
const captureNames = readdirSync(capturesDir)
  .filter((n) => /\.pcap(ng)?$/.test(n))
  .sort();

function capture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(name, capturesDir)));
}

/** tshark's columns frame.number, frame.time_epoch, frame.len, frame.cap_len for a capture. */
function oracleRows(name: string): string[] {
  const text = readFileSync(new URL(`${name}.tsv`, expectedDir), 'utf8');
  const lines = text.split('\n').filter((l) => l !== '');
  if (lines.length === 0) return []; // tshark printed nothing, not even the header
  const header = lines[0].split('\t');
  const col = (f: string) => header.indexOf(f);
  const [num, epoch, len, capLen] = ['frame.number', 'frame.time_epoch', 'frame.len', 'frame.cap_len'].map(col);
  return lines.slice(1).map((l) => {
    const c = l.split('\t');
    return `${c[num]}\t${c[epoch]}\t${c[len]}\t${c[capLen]}`;
  });
}

function oracleStderr(name: string): string | undefined {
  try {
    return readFileSync(new URL(`${name}.stderr`, expectedDir), 'utf8');
  } catch {
    return undefined;
  }
}

/** frame.time_epoch as tshark prints it: seconds, a dot, nine digits (empty without a time stamp). */
function epoch(f: CaptureFrame): string {
  return f.hasTimestamp === false ? '' : `${f.tsSec}.${String(f.tsNsec).padStart(9, '0')}`;
}

function rowsOf(bytes: Uint8Array): { rows: string[]; summary: CaptureSummary } {
  const rows: string[] = [];
  const summary = readCaptureBytes(bytes, (f) => {
    rows.push(`${rows.length + 1}\t${epoch(f)}\t${f.origLen}\t${f.capLen}`);
  });
  return { rows, summary };
}

/** Everything about a frame, including a digest of its bytes, for comparing two readings. */
function fingerprint(f: CaptureFrame): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < f.data.length; i++) h = Math.imul(h ^ f.data[i], 0x01000193);
  return [
    f.tsSec,
    f.tsNsec,
    f.capLen,
    f.origLen,
    f.data.length,
    f.linkType,
    f.interfaceId,
    f.fileOffset,
    f.hasTimestamp,
    f.tsPrecision,
    (f.comments ?? []).join('|'),
    h >>> 0,
  ].join(',');
}

/** Reads bytes pushed in the given chunk sizes (cycled), returning fingerprints and the error. */
function readChunked(bytes: Uint8Array, sizes: number[]): { prints: string[]; error?: CaptureError } {
  const reader = new CaptureReader();
  const prints: string[] = [];
  const onFrame = (f: CaptureFrame) => {
    prints.push(fingerprint(f));
  };
  try {
    let i = 0;
    for (let off = 0; off < bytes.length; i++) {
      const n = sizes[i % sizes.length];
      reader.push(bytes.subarray(off, off + n));
      off += n;
      reader.drain(onFrame);
    }
    reader.end();
    reader.drain(onFrame);
  } catch (e) {
    if (!(e instanceof CaptureError)) throw e;
    return { prints, error: e };
  }
  return { prints };
}

/** Deterministic pseudo-random chunk sizes from 1 byte to 64 KiB, log-uniform so small ones are common. */
function chunkSizes(seed: number, count: number): number[] {
  let s = seed >>> 0 || 1;
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    const r = (s >>> 0) / 4294967296;
    out.push(Math.max(1, Math.floor(2 ** (r * 16))));
  }
  return out;
}

async function* chunksOf(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let off = 0; off < bytes.length; off += size) yield bytes.subarray(off, off + size);
}

async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

describe('shared captures against tshark', () => {
  it.each(captureNames)('%s: frame numbers, epoch times and lengths match tshark', (name) => {
    const { rows, summary } = rowsOf(capture(name));
    expect(rows).toEqual(oracleRows(name));
    const stderr = oracleStderr(name);
    if (stderr === undefined) {
      expect(summary.error).toBeUndefined();
    } else {
      // tshark's second line is the detail in parentheses: synack reports the same detail and kind.
      const detail = stderr.split('\n')[1].replace(/^\(|\)$/g, '');
      expect(summary.error?.detail).toBe(detail);
      const kind = /doesn't support/.test(stderr)
        ? 'unsupported'
        : /damaged or corrupt/.test(stderr)
          ? 'corrupt'
          : 'truncated';
      expect(summary.error?.kind).toBe(kind);
    }
  });

  it('finds pcapng inside a file named .pcap (by magic, not by name)', () => {
    const { summary } = rowsOf(capture('pcapplusplus__BgpPackets.pcap'));
    expect(summary.format).toBe('pcapng');
  });

  it('keeps tshark frame numbering after an unsupported second section (le_test901)', () => {
    const { rows, summary } = rowsOf(capture('gopacket__le_test901.pcapng'));
    expect(rows).toHaveLength(1);
    expect(summary.error?.kind).toBe('unsupported');
    expect(summary.error?.frame).toBe(2);
    expect(summary.error?.offset).toBe(480);
    expect(summary.error?.message).toMatch(/unknown SHB version 2\.0.*frame 2, byte offset 480/);
  });

  it('yields every whole packet before a too-big record, then says which frame and where', () => {
    const { rows, summary } = rowsOf(capture('suricata__tls_DER-incomplete-content.pcap'));
    expect(rows).toHaveLength(6);
    expect(summary.error?.message).toMatch(/4325376-byte packet.*frame 7, byte offset 5035/);
  });

  it('reads an empty pcap (header only) as zero frames', () => {
    const { rows, summary } = rowsOf(capture('tcpdump__empty.pcap'));
    expect(rows).toEqual([]);
    expect(summary.error).toBeUndefined();
    expect(summary.format).toBe('pcap');
  });

  it('exposes section and interface information of pcapng files', () => {
    const { summary } = rowsOf(capture('pcapngtg__le_test202.pcapng'));
    expect(summary.sections.map((s) => s.byteOrder)).toEqual(['little', 'big', 'little']);
    expect(summary.sections[0].comments.length).toBeGreaterThan(0);
    expect(summary.interfaces.length).toBe(summary.sections.reduce((n, s) => n + s.interfaces.length, 0));
    const example = rowsOf(capture('pcapplusplus__pcapng-example.pcapng')).summary;
    expect(example.sections[0].os ?? example.sections[0].application ?? example.sections[0].hardware).toBeTruthy();
  });

  it('reports pcapng custom blocks as timeless records with their PEN, like tshark', () => {
    const frames: { pen?: number; time: boolean; len: number }[] = [];
    readCaptureBytes(capture('pcapngtg__le_test018.pcapng'), (f) => {
      frames.push({ pen: f.custom?.pen, time: f.hasTimestamp !== false, len: f.capLen });
    });
    expect(frames[0]).toEqual({ pen: 32473, time: false, len: 24 });
    expect(frames.filter((f) => f.pen !== undefined)).toHaveLength(4);
  });

  it('exposes packet comments (opt_comment)', () => {
    const comments: (string[] | undefined)[] = [];
    readCaptureBytes(capture('pcapngtg__be_test009.pcapng'), (f) => {
      comments.push(f.comments?.slice());
    });
    expect(comments.every((c) => c !== undefined && c.length > 0)).toBe(true);
  });
});

describe('chunking', () => {
  it.each(captureNames)('%s: the same frames and error in random chunks from 1 byte to 64 KiB', (name) => {
    const bytes = capture(name);
    const whole = readChunked(bytes, [bytes.length || 1]);
    const sizes =
      bytes.length > 300_000
        ? chunkSizes(name.length * 7919, 64).map((n) => Math.max(n, 64))
        : chunkSizes(name.length * 7919, 64);
    const chunked = readChunked(bytes, sizes);
    expect(chunked.prints).toEqual(whole.prints);
    expect(chunked.error?.message).toBe(whole.error?.message);
  });

  it('reads a capture fed one byte at a time', () => {
    const bytes = capture('ppa__tcp_handshake.pcapng');
    expect(readChunked(bytes, [1]).prints).toEqual(readChunked(bytes, [bytes.length]).prints);
    const pcap = capture('zeek__syn.pcap');
    expect(readChunked(pcap, [1]).prints).toEqual(readChunked(pcap, [pcap.length]).prints);
  });

  it('hands out views of the pushed chunks (zero copy) when a record lies in one chunk', () => {
    const bytes = capture('zeek__syn.pcap');
    const reader = new CaptureReader();
    reader.push(bytes);
    reader.end();
    const f = reader.next();
    expect(f?.data.buffer).toBe(bytes.buffer);
    expect(f?.fileOffset).toBe(24);
  });

  it('keeps only the unconsumed tail buffered', () => {
    const bytes = capture('zeek__206_example_b.pcap');
    const reader = new CaptureReader();
    let frames = 0;
    for (let off = 0; off < bytes.length; off += 4096) {
      reader.push(bytes.subarray(off, off + 4096));
      reader.drain(() => {
        frames++;
      });
      // Whatever is left is less than one record plus one chunk.
      expect(bytes.length - reader.offset).toBeGreaterThanOrEqual(0);
      expect(Math.min(off + 4096, bytes.length) - reader.offset).toBeLessThan(65536 + 4096);
    }
    reader.end();
    reader.drain(() => {
      frames++;
    });
    expect(frames).toBe(oracleRows('zeek__206_example_b.pcap').length);
  });
});

describe('readCapture', () => {
  it('reads async chunks and returns a summary', async () => {
    const bytes = capture('pcapplusplus__many_interfaces-1.pcapng');
    let frames = 0;
    const summary = await readCapture(chunksOf(bytes, 1000), () => {
      frames++;
    });
    expect(summary.frames).toBe(frames);
    expect(frames).toBe(oracleRows('pcapplusplus__many_interfaces-1.pcapng').length);
    expect(summary.bytes).toBe(bytes.length);
    expect(summary.stopped).toBe(false);
    expect(summary.interfaces.length).toBeGreaterThan(1);
  });

  it('stops when the callback returns false', async () => {
    const bytes = capture('zeek__206_example_b.pcap');
    let frames = 0;
    const summary = await readCapture(chunksOf(bytes, 65536), () => ++frames < 5);
    expect(frames).toBe(5);
    expect(summary.stopped).toBe(true);
    expect(summary.frames).toBe(5);
  });

  it('decompresses gzip (detected by magic) and reads the same frames', async () => {
    const bytes = capture('pcapplusplus__pcapng-example.pcapng');
    const plain: string[] = [];
    readCaptureBytes(bytes, (f) => {
      plain.push(fingerprint(f));
    });
    const gz = await gzip(bytes);
    const prints: string[] = [];
    const summary = await readCapture(chunksOf(gz, 777), (f) => {
      prints.push(fingerprint(f));
    });
    expect(summary.compression).toBe('gzip');
    expect(summary.error).toBeUndefined();
    expect(prints).toEqual(plain);
  });

  it('stops a gzip stream early and closes the source', async () => {
    const gz = await gzip(capture('zeek__206_example_b.pcap'));
    let closed = false;
    async function* source(): AsyncGenerator<Uint8Array> {
      try {
        yield* chunksOf(gz, 1024);
      } finally {
        closed = true;
      }
    }
    let frames = 0;
    const summary = await readCapture(source(), () => ++frames < 3);
    expect([frames, summary.stopped, summary.error]).toEqual([3, true, undefined]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(closed).toBe(true);
  });

  it('passes an exception of the callback through, for gzip input too', async () => {
    const gz = await gzip(capture('zeek__syn.pcap'));
    const boom = () => {
      throw new Error('callback failed');
    };
    await expect(readCapture(chunksOf(gz, 16), boom)).rejects.toThrow('callback failed');
    await expect(readCapture(chunksOf(capture('zeek__syn.pcap'), 16), boom)).rejects.toThrow('callback failed');
  });

  it('reports a cut gzip file as truncated after the frames before the cut', async () => {
    const bytes = capture('zeek__206_example_b.pcap');
    const gz = await gzip(bytes);
    let frames = 0;
    const summary = await readCapture(chunksOf(gz.subarray(0, gz.length >> 1), 4096), () => {
      frames++;
    });
    expect(frames).toBeGreaterThan(0);
    expect(summary.error?.kind).toBe('truncated');
    expect(summary.error?.frame).toBe(frames + 1);
  });

  it('says what a gzip file of something else holds', async () => {
    const gz = await gzip(new TextEncoder().encode('hello, this is just some text\n'));
    const summary = await readCapture(chunksOf(gz, 10), () => {});
    expect(summary.error?.kind).toBe('not-a-capture');
    expect(summary.error?.message).toMatch(/text .*inside gzip/);
  });

  it('reports a cut file: whole frames first, then truncated with frame number and offset', async () => {
    const bytes = capture('zeek__syn.pcap');
    const cut = bytes.subarray(0, bytes.length - 10);
    let frames = 0;
    const summary = await readCapture(chunksOf(cut, 50), () => {
      frames++;
    });
    expect(frames).toBe(oracleRows('zeek__syn.pcap').length - 1);
    expect(summary.error?.kind).toBe('truncated');
    expect(summary.error?.message).toMatch(/cut short in the middle of a packet.*frame \d+, byte offset \d+/);
  });

  it('puts the file name in the message when given', async () => {
    const summary = await readCapture(chunksOf(new TextEncoder().encode('<!DOCTYPE html><html>'), 5), () => {}, {
      file: 'page.pcap',
    });
    expect(summary.error?.message).toMatch(/^The file "page\.pcap" isn't a capture file.*HTML/);
  });

  it('passes errors of the chunk source through', async () => {
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield capture('zeek__syn.pcap').subarray(0, 30);
      throw new Error('disk on fire');
    }
    await expect(readCapture(failing(), () => {})).rejects.toThrow('disk on fire');
  });
});

describe('not a capture', () => {
  const cases: [string, Uint8Array | string, RegExp][] = [
    ['empty', '', /empty file/],
    ['text', 'hello world\nthis is text\n', /text \("hello world/],
    ['HTML', '<!doctype html>\n<html><body>404</body></html>', /HTML/],
    ['JSON', '{"packets": [1, 2, 3]}', /JSON/],
    ['tcpdump output', '12:34:56.789012 IP 10.0.0.1.22 > 10.0.0.2.5555: Flags [P.]', /tcpdump -w/],
    ['ELF', new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0]), /ELF executable/],
    ['zip', new Uint8Array([0x50, 0x4b, 0x03, 0x04, 20, 0, 0, 0, 8, 0]), /zip archive/],
    ['binary', new Uint8Array([0xde, 0xad, 0xbe, 0xef, 0, 1, 2, 3, 0xff]), /binary data starting with de ad be ef/],
  ];
  it.each(cases)('describes %s', (_label, content, hint) => {
    const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
    const { summary } = rowsOf(bytes);
    expect(summary.error?.kind).toBe('not-a-capture');
    expect(summary.error?.message).toMatch(/isn't a capture file/);
    expect(summary.error?.hint).toMatch(hint);
  });
});

describe('hostile input (fast-check)', () => {
  const shared = captureNames.map(capture).filter((b) => b.length < 200_000);

  /** Reads in chunks; returns the frame count; only CaptureError may come out. */
  function survive(bytes: Uint8Array, chunk: number): number {
    const r = readChunked(bytes, [chunk]);
    return r.prints.length;
  }

  it('random bytes never throw anything but CaptureError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), fc.integer({ min: 1, max: 4096 }), (bytes, chunk) => {
        survive(bytes, chunk);
      }),
      { numRuns: 500 },
    );
  });

  it('random bytes after a pcap or pcapng header never throw anything but CaptureError', () => {
    const pcapHeader = capture('zeek__syn.pcap').subarray(0, 24);
    const pcapngHeader = capture('ppa__tcp_handshake.pcapng').subarray(0, 48);
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.uint8Array({ maxLength: 4096 }),
        fc.integer({ min: 1, max: 512 }),
        (ng, tail, chunk) => {
          const head = ng ? pcapngHeader : pcapHeader;
          const bytes = new Uint8Array(head.length + tail.length);
          bytes.set(head);
          bytes.set(tail, head.length);
          survive(bytes, chunk);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('truncated real captures give the whole frames before the cut, then truncated (or nothing)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: shared.length - 1 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (i, where) => {
          const bytes = shared[i];
          const full = readChunked(bytes, [bytes.length || 1]);
          const cut = bytes.subarray(0, Math.floor(bytes.length * where));
          const r = readChunked(cut, [cut.length || 1]);
          expect(full.prints.slice(0, r.prints.length)).toEqual(r.prints);
          if (!full.error && r.prints.length < full.prints.length) {
            // A cut that falls exactly between two records leaves a shorter, whole capture.
            const nextRecord = Number(full.prints[r.prints.length].split(',')[7]);
            if (r.error === undefined && cut.length >= 4) expect(nextRecord).toBeGreaterThanOrEqual(cut.length);
            else expect(r.error?.kind).toBe(cut.length < 4 ? 'not-a-capture' : 'truncated');
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('bit-flipped real captures only ever produce CaptureError, and finish', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: shared.length - 1 }),
        fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 7 })), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.integer({ min: 1, max: 70000 }),
        (i, flips, chunk) => {
          const bytes = shared[i].slice();
          for (const [where, bit] of flips) {
            const at = Math.floor(where * (bytes.length - 1));
            bytes[at] ^= 1 << bit;
          }
          const started = Date.now();
          survive(bytes, chunk);
          expect(Date.now() - started).toBeLessThan(5000);
        },
      ),
      { numRuns: 300 },
    );
  });
});
