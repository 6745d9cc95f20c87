// GIF images (Wireshark's image-gif dissector, packet-imagegif.c): version and logical screen
// descriptor. Registered for image/gif and as a heuristic for HTTP bodies that start "GIF87a" or
// "GIF89a"; Info gains the version in parentheses.

import { defineFields } from './fields.js';
import type { Packet } from './packet.js';
import { mediaTypeTable, NOT_MINE } from './tables.js';
import { httpHeuristics } from './http.js';
import { u16le } from './bytes.js';

export const gifFields = defineFields({
  gif: { abbrev: 'image-gif', name: 'Compuserve GIF', type: 'protocol' },
  version: { abbrev: 'image-gif.version', name: 'Version', type: 'string' },
  screenWidth: { abbrev: 'image-gif.screen.width', name: 'Screen width', type: 'uint', bits: 16, base: 'dec' },
  screenHeight: { abbrev: 'image-gif.screen.height', name: 'Screen height', type: 'uint', bits: 16, base: 'dec' },
  backgroundIndex: {
    abbrev: 'image-gif.image_background_index',
    name: 'Background color index',
    type: 'uint',
    bits: 8,
    base: 'dec',
  },
});

const F = gifFields;
/** Wireshark refuses shorter data (a header and a screen descriptor need 13 bytes). */
const MIN_LENGTH = 20;

function version(buf: Uint8Array, off: number, capEnd: number): string | undefined {
  if (capEnd - off < 6) return undefined;
  if (buf[off] !== 0x47 || buf[off + 1] !== 0x49 || buf[off + 2] !== 0x46 || buf[off + 3] !== 0x38) return undefined;
  if ((buf[off + 4] !== 0x37 && buf[off + 4] !== 0x39) || buf[off + 5] !== 0x61) return undefined;
  return buf[off + 4] === 0x37 ? 'GIF87a' : 'GIF89a';
}

/** Dissects buf[off..end) as a GIF image; NOT_MINE without a GIF header. */
export function dissectGif(p: Packet, buf: Uint8Array, off: number, end: number): number {
  const capEnd = Math.min(end, buf.length);
  if (end - off < MIN_LENGTH) return NOT_MINE;
  const v = version(buf, off, capEnd);
  if (v === undefined) return NOT_MINE;
  p.addLayer('image-gif');
  p.appendInfo(` (${v})`);
  const t = p.tree;
  const top = t.add(F.gif, off, capEnd - off);
  if (t.full) t.setLabel(top, `Compuserve GIF, Version: ${v}`);
  t.open(top);
  t.addValue(F.version, off, 6, v);
  if (capEnd - off >= 12) {
    t.add(F.screenWidth, off + 6, 2, u16le(buf, off + 6));
    t.add(F.screenHeight, off + 8, 2, u16le(buf, off + 8));
    t.add(F.backgroundIndex, off + 11, 1, buf[off + 11]);
  }
  t.close();
  return end;
}

function gifHeuristic(p: Packet, buf: Uint8Array, off: number, end: number): boolean {
  return dissectGif(p, buf, off, end) !== NOT_MINE;
}

mediaTypeTable.add('image/gif', dissectGif);
httpHeuristics.add('image-gif', gifHeuristic);
