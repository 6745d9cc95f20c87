// Helpers shared by the dissector tests: hand-written packets from hex or as raw IPv4/UDP frames,
// dissection of one frame in full mode, a capture's columns and field values per frame, reading
// a field's values and labels, and the property that random bytes never make a dissector throw.
// Test-only: nothing in the product imports it.

import fc from 'fast-check';
import { expect } from 'vitest';
import { Dissection, type DissectOptions } from './index.js';
import { FieldsWriter, defaultFieldsOptions } from '../output/fields-writer.js';
import type { Packet } from './packet.js';
import { dissectFrame } from './frame.js';
import { fieldByAbbrev } from './fields.js';
import { formatLabel, formatValue } from '../output/format.js';
import { readCaptureBytes } from '../capture/reader.js';
import type { CaptureFrame } from '../capture/frame.js';

/**
 * Checks that `names` (-T fields, every occurrence) read the same for every frame of every
 * capture whether dissected with options `a` or `b` (what a shortcut such as skipping the TCP
 * analysis must preserve); returns the number of frames compared.
 */
export function sameFieldsBothWays(
  captures: { name: string; bytes: Uint8Array }[],
  names: string[],
  a: DissectOptions,
  b: DissectOptions,
): number {
  const lines = (bytes: Uint8Array, options: DissectOptions): string[] => {
    const writer = new FieldsWriter(names, { ...defaultFieldsOptions, occurrence: 'a' });
    const d = new Dissection({ ...options, wanted: writer.wantedIds(), columns: false });
    const out: string[] = [];
    readCaptureBytes(bytes, (f) => {
      out.push(writer.line(d.dissect(f)));
    });
    return out;
  };
  let frames = 0;
  for (const { name, bytes } of captures) {
    const expected = lines(bytes, a);
    expect(lines(bytes, b), name).toEqual(expected);
    frames += expected.length;
  }
  return frames;
}

/** Bytes from hex text; spaces and newlines are ignored ("4500 0014 ..."). */
export const hex = (s: string): Uint8Array =>
  Uint8Array.from(s.replace(/\s+/g, '').match(/../g) ?? [], (b) => parseInt(b, 16));

/** The capture record of one frame of `linkType` (captured whole unless `origLen` says more; time 0 unless told). */
export function frameOf(
  linkType: number,
  bytes: Uint8Array,
  origLen = bytes.length,
  tsSec = 0,
  tsNsec = 0,
): CaptureFrame {
  return { data: bytes, tsSec, tsNsec, capLen: bytes.length, origLen, linkType, interfaceId: 0 };
}

/**
 * Dissects `frame` again as frame `number` on the Packet of `d`, as the details pane does when a
 * frame is selected after the pass that saw the whole capture (so its links to later frames show).
 */
export function redissect(d: Dissection, number: number, frame: CaptureFrame): Packet {
  const p = d.packet;
  Object.assign(p.meta, frame, { number, comments: undefined });
  p.begin(frame.data);
  dissectFrame(p);
  return p;
}

/** Dissects one frame of `linkType` with the whole tree kept. */
export function dissectBytes(linkType: number, bytes: Uint8Array, origLen = bytes.length): Packet {
  return new Dissection({ full: true }).dissect(frameOf(linkType, bytes, origLen));
}

/**
 * A LINKTYPE_RAW frame: a 20-byte IPv4 header (addresses 0.0.0.0, no checksum) and a UDP header
 * from `srcPort` to `dstPort`, both lengths covering `body`.
 */
export function rawUdpFrame(srcPort: number, dstPort: number, body: Uint8Array): Uint8Array {
  const f = new Uint8Array(28 + body.length);
  const v = new DataView(f.buffer);
  v.setUint8(0, 0x45);
  v.setUint16(2, f.length);
  v.setUint8(9, 17);
  v.setUint16(20, srcPort);
  v.setUint16(22, dstPort);
  v.setUint16(24, 8 + body.length);
  f.set(body, 28);
  return f;
}

/**
 * An Ethernet frame carrying IPv4 (TTL 64, no checksum) and UDP (no checksum) around `payload`;
 * the addresses are 6-byte MACs and 4-byte IPv4 addresses.
 */
export function etherUdpFrame(
  macs: { dst: number[]; src: number[] },
  ips: { src: number[]; dst: number[] },
  srcPort: number,
  dstPort: number,
  payload: ArrayLike<number>,
): Uint8Array {
  const f = new Uint8Array(42 + payload.length);
  f.set([...macs.dst, ...macs.src, 0x08, 0x00]);
  const ipLen = 28 + payload.length;
  f.set([0x45, 0, ipLen >> 8, ipLen & 255, 0, 0, 0, 0, 64, 17, 0, 0, ...ips.src, ...ips.dst], 14);
  const udpLen = 8 + payload.length;
  f.set([srcPort >> 8, srcPort & 255, dstPort >> 8, dstPort & 255, udpLen >> 8, udpLen & 255, 0, 0], 34);
  f.set(payload, 42);
  return f;
}

/** Reads a file (the test passes node:fs's readFileSync: src/core itself stays free of node:). */
export type ReadFile = (path: string) => Uint8Array;

/**
 * Every frame of a shared capture dissected with the whole tree kept, in one pass or (`twoPass`)
 * after a first pass as synack -2 does: frame.protocols, Protocol, Info, then each of `abbrevs`
 * as -T fields prints it, then the first label of each of `labels`.
 */
export function captureFieldRows(
  read: ReadFile,
  capture: string,
  abbrevs: string[],
  labels: string[] = [],
  twoPass = false,
): string[][] {
  const bytes = new Uint8Array(read('../shared/captures/' + capture));
  const d = new Dissection({ full: true });
  if (twoPass) {
    const first = new Dissection({ full: true });
    readCaptureBytes(bytes, (frame) => void first.dissect(frame));
    d.session.firstPass = first.session;
  }
  const out: string[][] = [];
  readCaptureBytes(bytes, (frame) => {
    const p = d.dissect(frame);
    out.push([
      p.protocols(),
      p.protocolCol,
      p.infoCol,
      ...abbrevs.map((a) => fieldText(p, a)),
      ...labels.map((a) => labelText(p, a)),
    ]);
  });
  return out;
}

/** Every occurrence of a field as tshark -T fields prints it, comma-joined ('' when absent). */
export function fieldText(p: Packet, abbrev: string): string {
  const f = fieldByAbbrev(abbrev);
  if (!f) throw new Error(`no field ${abbrev}`);
  const out: string[] = [];
  for (let i = 0; i < p.tree.count; i++) if (p.tree.field[i] === f.id) out.push(formatValue(p, i));
  return out.join(',');
}

/** The details-tree label of the nth occurrence of a field ('' when absent). */
export function labelText(p: Packet, abbrev: string, nth = 0): string {
  const f = fieldByAbbrev(abbrev);
  if (!f) throw new Error(`no field ${abbrev}`);
  for (let i = 0; i < p.tree.count; i++) if (p.tree.field[i] === f.id && nth-- === 0) return formatLabel(p, i);
  return '';
}

/** Random bytes after `prefix`, cut anywhere, never make a dissector throw. */
export function neverThrows(linkType: number, prefix: Uint8Array): void {
  const d = new Dissection({ full: true });
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 100 }), fc.nat(140), (body, cut) => {
      const f = new Uint8Array(prefix.length + body.length);
      f.set(prefix);
      f.set(body, prefix.length);
      const p = d.dissect(frameOf(linkType, f.subarray(0, Math.min(f.length, cut)), f.length));
      expect(p.experts.some((e) => e.message.startsWith('Dissector error'))).toBe(false);
    }),
  );
}
