// PNG images (Wireshark's png dissector, packet-png.c): the signature and the chunk list (length,
// type, CRC). Registered for image/png and as a heuristic for HTTP bodies that start with the
// PNG signature.

import { defineFields } from './fields.js';
import type { Packet } from './packet.js';
import { mediaTypeTable, NOT_MINE } from './tables.js';
import { httpHeuristics } from './http.js';
import { u32 } from './bytes.js';

export const pngFields = defineFields({
  png: { abbrev: 'png', name: 'Portable Network Graphics', type: 'protocol' },
  signature: { abbrev: 'png.signature', name: 'PNG Signature', type: 'bytes' },
  chunk: { abbrev: 'png.chunk', name: 'Chunk', type: 'none' },
  chunkLen: { abbrev: 'png.chunk.len', name: 'Len', type: 'uint', bits: 32, base: 'dec' },
  chunkType: { abbrev: 'png.chunk.type', name: 'Chunk', type: 'string' },
  chunkData: { abbrev: 'png.chunk.data', name: 'Data', type: 'none' },
  chunkCrc: { abbrev: 'png.chunk.crc', name: 'CRC', type: 'uint', bits: 32, base: 'hex' },
});

const F = pngFields;
const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Chunks listed at most. */
const MAX_CHUNKS = 10_000;

function hasSignature(buf: Uint8Array, off: number, capEnd: number): boolean {
  if (capEnd - off < 8) return false;
  for (let k = 0; k < 8; k++) if (buf[off + k] !== SIGNATURE[k]) return false;
  return true;
}

/** Dissects buf[off..end) as a PNG image; NOT_MINE without the signature. */
export function dissectPng(p: Packet, buf: Uint8Array, off: number, end: number): number {
  const capEnd = Math.min(end, buf.length);
  if (!hasSignature(buf, off, capEnd)) return NOT_MINE;
  p.addLayer('png');
  p.appendInfo(' (PNG)');
  const t = p.tree;
  const top = t.add(F.png, off, capEnd - off);
  t.open(top);
  t.add(F.signature, off, 8);
  let o = off + 8;
  for (let n = 0; n < MAX_CHUNKS && o + 8 <= capEnd; n++) {
    const len = u32(buf, o);
    const type = String.fromCharCode(buf[o + 4], buf[o + 5], buf[o + 6], buf[o + 7]);
    const total = 12 + len;
    const ci = t.add(F.chunk, o, Math.min(total, capEnd - o));
    if (t.full) t.setLabel(ci, `${type}`);
    t.open(ci);
    t.add(F.chunkLen, o, 4, len);
    t.addValue(F.chunkType, o + 4, 4, type);
    if (o + total > capEnd) {
      t.close();
      break;
    }
    t.add(F.chunkCrc, o + 8 + len, 4, u32(buf, o + 8 + len));
    t.close();
    o += total;
    if (type === 'IEND') break;
  }
  t.close();
  return end;
}

function pngHeuristic(p: Packet, buf: Uint8Array, off: number, end: number): boolean {
  return dissectPng(p, buf, off, end) !== NOT_MINE;
}

mediaTypeTable.add('image/png', dissectPng);
httpHeuristics.add('png', pngHeuristic);
