// Helpers for the tests of protocols over TCP: a shared capture dissected the way the CLI's -2
// does (first pass, then the output pass) next to tshark's stored columns for it, hand-built TCP
// conversations as raw IPv4 frames, and the property that random payload on a port never makes
// a dissector throw. Test-only: nothing in the product imports it.

import fc from 'fast-check';
import { expect } from 'vitest';
import { Dissection } from './index.js';
import type { Packet } from './packet.js';
import { LINKTYPE } from './linktypes.js';
import { readCaptureBytes } from '../capture/reader.js';
import { recordTcpFinals, showTcpFinals, tcpFinalsOf } from '../analysis/tcp.js';
import type { CaptureFrame } from '../capture/frame.js';

export interface Row {
  frame: number;
  protocols: string;
  protocol: string;
  info: string;
}

const CAPTURES = '../shared/captures/';
const EXPECTED = '../shared/oracle/expected/';

/** Dissects frames in two passes as `synack -2` does; `look` reads each output-pass packet. */
export function twoPass(frames: CaptureFrame[], look: (p: Packet) => void, full = false): void {
  const first = new Dissection({ full: false, columns: false });
  recordTcpFinals(first.session);
  for (const f of frames) first.dissect(f);
  const shown = new Dissection({ full });
  showTcpFinals(shown.session, tcpFinalsOf(first.session));
  shown.session.firstPass = first.session;
  for (const f of frames) look(shown.dissect(f));
}

/** Reads a file (the test passes node:fs's readFileSync: src/core itself stays free of node:). */
export type ReadFile = (path: string) => Uint8Array;

/** The frames of a shared capture. */
export function captureFrames(read: ReadFile, capture: string): CaptureFrame[] {
  const frames: CaptureFrame[] = [];
  readCaptureBytes(new Uint8Array(read(CAPTURES + capture)), (frame) => {
    // The reader reuses its frame objects: keep copies.
    frames.push({ ...frame, data: frame.data.slice() });
  });
  return frames;
}

/** frame.protocols, Protocol and Info of every frame of a shared capture, dissected with -2. */
export function captureRows(read: ReadFile, capture: string): Row[] {
  const rows: Row[] = [];
  twoPass(captureFrames(read, capture), (p) =>
    rows.push({ frame: p.meta.number, protocols: p.protocols(), protocol: p.protocolCol, info: p.infoCol }),
  );
  return rows;
}

/** tshark 4.0's frame.protocols, Protocol and Info for a shared capture (its stored TSV). */
export function expectedRows(read: ReadFile, capture: string): Row[] {
  const lines = new TextDecoder().decode(read(EXPECTED + capture + '.tsv')).split('\n');
  const header = lines[0].split('\t');
  const col = (name: string): number => header.indexOf(name);
  const [num, protos, proto, info] = [
    col('frame.number'),
    col('frame.protocols'),
    col('_ws.col.Protocol'),
    col('_ws.col.Info'),
  ];
  const rows: Row[] = [];
  for (const line of lines.slice(1)) {
    if (line === '') continue;
    const c = line.split('\t');
    rows.push({ frame: Number(c[num]), protocols: c[protos], protocol: c[proto], info: c[info] });
  }
  return rows;
}

/**
 * The rows where tshark shows one of `protocols` in the Protocol column, and synack's rows for
 * the same frames: for `expect(got).toEqual(want)`.
 */
export function compareWithTshark(
  read: ReadFile,
  capture: string,
  protocols: readonly string[],
): { want: Row[]; got: Row[] } {
  const want = expectedRows(read, capture).filter((r) => protocols.includes(r.protocol));
  const byFrame = new Map(captureRows(read, capture).map((r) => [r.frame, r]));
  const got = want.map((r) => byFrame.get(r.frame) ?? { frame: r.frame, protocols: '', protocol: '', info: '' });
  return { want, got };
}

// ---------------------------------------------------------------------------------------------
// Hand-built conversations (raw IPv4, 10.0.0.1:40000 → 10.0.0.2:port, a handshake first)

const FIN = 0x01;
const SYN = 0x02;
const ACK = 0x10;
const PSH = 0x08;

export const enc = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);

function ipTcp(
  src: number,
  dst: number,
  sport: number,
  dport: number,
  seq: number,
  ack: number,
  flags: number,
  payload: Uint8Array,
): Uint8Array {
  const total = 40 + payload.length;
  const f = new Uint8Array(total);
  const v = new DataView(f.buffer);
  v.setUint8(0, 0x45);
  v.setUint16(2, total);
  v.setUint8(8, 64);
  v.setUint8(9, 6);
  v.setUint32(12, src);
  v.setUint32(16, dst);
  v.setUint16(20, sport);
  v.setUint16(22, dport);
  v.setUint32(24, seq >>> 0);
  v.setUint32(28, ack >>> 0);
  v.setUint8(32, 5 << 4);
  v.setUint8(33, flags);
  v.setUint16(34, 65535);
  f.set(payload, 40);
  return f;
}

/** One segment: 'c' from the client, 's' from the server. */
export interface Seg {
  dir: 'c' | 's';
  data: Uint8Array | string;
  /** TCP flags (default PSH, ACK); a FIN takes one sequence number. */
  flags?: number;
}

/** The frames of a TCP conversation on `port`: the handshake, then the segments in order. */
export function conversation(port: number, segs: Seg[]): CaptureFrame[] {
  const client = 0x0a000001;
  const server = 0x0a000002;
  let cseq = 1000;
  let sseq = 5000;
  const out = [
    ipTcp(client, server, 40000, port, cseq++, 0, SYN, new Uint8Array(0)),
    ipTcp(server, client, port, 40000, sseq++, cseq, SYN | ACK, new Uint8Array(0)),
    ipTcp(client, server, 40000, port, cseq, sseq, ACK, new Uint8Array(0)),
  ];
  for (const s of segs) {
    const data = typeof s.data === 'string' ? enc(s.data) : s.data;
    const flags = s.flags ?? PSH | ACK;
    if (s.dir === 'c') {
      out.push(ipTcp(client, server, 40000, port, cseq, sseq, flags, data));
      cseq += data.length + (flags & FIN ? 1 : 0);
    } else {
      out.push(ipTcp(server, client, port, 40000, sseq, cseq, flags, data));
      sseq += data.length + (flags & FIN ? 1 : 0);
    }
  }
  return out.map((data, i) => ({
    data,
    tsSec: 1000 + i,
    tsNsec: 0,
    capLen: data.length,
    origLen: data.length,
    linkType: LINKTYPE.RAW,
    interfaceId: 0,
  }));
}

/** Rows (from the 4th frame on: the segments) of a hand-built conversation dissected with -2. */
export function conversationRows(port: number, segs: Seg[], full = false): Row[] {
  const rows: Row[] = [];
  twoPass(
    conversation(port, segs),
    (p) => {
      if (p.meta.number > 3)
        rows.push({ frame: p.meta.number, protocols: p.protocols(), protocol: p.protocolCol, info: p.infoCol });
    },
    full,
  );
  return rows;
}

/**
 * Random segments in both directions on `port` (after `prefix` segments, so that state machines
 * get past their start), cut anywhere by the snapshot length, never make a dissector throw.
 */
export function neverThrowsOnPort(port: number, prefix: Seg[] = [], runs = 150): void {
  fc.assert(
    fc.property(
      fc.array(fc.record({ dir: fc.constantFrom<'c' | 's'>('c', 's'), data: fc.uint8Array({ maxLength: 120 }) }), {
        maxLength: 5,
      }),
      fc.nat(200),
      (segs, cut) => {
        const frames = conversation(port, [...prefix, ...segs]).map((f) => {
          const data = f.data.subarray(0, Math.max(40, Math.min(f.data.length, cut)));
          return { ...f, data, capLen: data.length };
        });
        twoPass(
          frames,
          (p) => {
            expect(p.experts.some((e) => e.message.startsWith('Dissector error'))).toBe(false);
          },
          true,
        );
      },
    ),
    { numRuns: runs },
  );
}
