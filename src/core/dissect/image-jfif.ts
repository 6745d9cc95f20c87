// JPEG images (Wireshark's image-jfif dissector, packet-image-jfif.c): the
// marker segments up to the start of scan. Registered for image/jpeg and as a heuristic for
// HTTP bodies that start with a JFIF or Exif header; Info gains " (JPEG JFIF image)".

import { defineFields, valueStrings } from './fields.js';
import type { Packet } from './packet.js';
import { mediaTypeTable, NOT_MINE } from './tables.js';
import { httpHeuristics } from './http.js';
import { u16 } from './bytes.js';

/** Marker names (ITU-T T.81 table B.1) as Wireshark labels them. */
const MARKERS = new Map<number, string>([
  [0xffc0, 'Start of Frame (non-differential, Huffman coding) - Baseline DCT'],
  [0xffc1, 'Start of Frame (non-differential, Huffman coding) - Extended sequential DCT'],
  [0xffc2, 'Start of Frame (non-differential, Huffman coding) - Progressive DCT'],
  [0xffc3, 'Start of Frame (non-differential, Huffman coding) - Lossless (sequential)'],
  [0xffc4, 'Define Huffman table(s)'],
  [0xffd8, 'Start of Image'],
  [0xffd9, 'End of Image'],
  [0xffda, 'Start of Scan'],
  [0xffdb, 'Define quantization table(s)'],
  [0xffdc, 'Define number of lines'],
  [0xffdd, 'Define restart interval'],
  [0xfffe, 'Comment'],
]);
for (let k = 0; k < 16; k++) MARKERS.set(0xffe0 + k, `Reserved for application segments - ${k}`);

export const jfifFields = defineFields({
  jfif: { abbrev: 'image-jfif', name: 'JPEG File Interchange Format', type: 'protocol' },
  marker: {
    abbrev: 'image-jfif.marker',
    name: 'Marker',
    type: 'uint',
    bits: 16,
    base: 'hex',
    strings: valueStrings([...MARKERS.entries()]),
  },
  remaining: { abbrev: 'image-jfif.remain_seg_data', name: 'Remaining segment data', type: 'bytes' },
  markerSegment: { abbrev: 'image-jfif.marker_segment', name: 'Marker segment', type: 'none' },
  length: { abbrev: 'image-jfif.length', name: 'Length', type: 'uint', bits: 16, base: 'dec' },
  identifier: { abbrev: 'image-jfif.identifier', name: 'Identifier', type: 'string' },
});

const F = jfifFields;
/** Marker segments listed at most. */
const MAX_SEGMENTS = 1000;

/** JFIF (ISO/IEC 10918-5) wants an APP0 "JFIF" segment first; Wireshark warns when it is not. */
function appMissing(p: Packet, start: number, length: number): void {
  p.expert(
    'JFIF (JPEG) image',
    'image-jfif.app0-jfif_missing',
    'warn',
    'protocol',
    'Initial App0 segment with "JFIF" Identifier not found',
    start,
    length,
  );
}

/** Dissects buf[off..end) as a JPEG image; NOT_MINE without the start-of-image marker. */
export function dissectJfif(p: Packet, buf: Uint8Array, off: number, end: number): number {
  const capEnd = Math.min(end, buf.length);
  if (capEnd - off < 2 || buf[off] !== 0xff || buf[off + 1] !== 0xd8) return NOT_MINE;
  p.addLayer('image-jfif');
  p.appendInfo(' (JPEG JFIF image)');
  const t = p.tree;
  const top = t.add(F.jfif, off, capEnd - off);
  t.open(top);
  t.add(F.marker, off, 2, 0xffd8);
  let o = off + 2;
  for (let n = 0; n < MAX_SEGMENTS && o + 4 <= capEnd && buf[o] === 0xff; n++) {
    const marker = u16(buf, o);
    const len = u16(buf, o + 2);
    const si = t.add(F.markerSegment, o, Math.min(2 + len, capEnd - o));
    if (t.full) {
      const name = MARKERS.get(marker) ?? 'Unknown';
      const hexText = marker.toString(16).toUpperCase();
      const kind =
        marker >= 0xffc0 && marker <= 0xffc3
          ? 'Start of Frame header'
          : marker === 0xffda
            ? 'Start of Segment header'
            : 'Marker segment';
      t.setLabel(si, `${kind}: ${name} (0x${hexText})`);
    }
    t.open(si);
    t.add(F.marker, o, 2, marker);
    t.add(F.length, o + 2, 2, len);
    if ((marker === 0xffe0 || marker === 0xffe1) && len >= 7) {
      let k = o + 4;
      const idEnd = Math.min(capEnd, o + 2 + len);
      let id = '';
      while (k < idEnd && buf[k] !== 0) id += String.fromCharCode(buf[k++]);
      const ii = t.addValue(F.identifier, o + 4, Math.min(k + 1, idEnd) - (o + 4), id);
      if (n === 0 && (marker !== 0xffe0 || id !== 'JFIF')) {
        t.open(ii);
        appMissing(p, o + 4, Math.min(k + 1, idEnd) - (o + 4));
        t.close();
      }
    } else {
      if (n === 0) appMissing(p, o, 2);
      // Segments read no further show their data as one item (not SOF/SOS, which Wireshark parses).
      const dataLen = Math.min(len - 2, capEnd - (o + 4));
      if (dataLen > 0 && !(marker >= 0xffc0 && marker <= 0xffc3) && marker !== 0xffda) {
        const ri = t.add(F.remaining, o + 4, dataLen);
        if (t.full) t.setLabel(ri, `Remaining segment data: ${dataLen} bytes`);
      }
    }
    t.close();
    // Start of scan: entropy-coded data follows.
    if (marker === 0xffda) break;
    o += 2 + len;
  }
  t.close();
  return end;
}

/** The heuristic: a start-of-image marker followed by a JFIF (APP0) or Exif (APP1) segment. */
function jfifHeuristic(p: Packet, buf: Uint8Array, off: number, end: number): boolean {
  const capEnd = Math.min(end, buf.length);
  if (capEnd - off < 11 || buf[off] !== 0xff || buf[off + 1] !== 0xd8 || buf[off + 2] !== 0xff) return false;
  const app = buf[off + 3];
  const id = String.fromCharCode(buf[off + 6], buf[off + 7], buf[off + 8], buf[off + 9], buf[off + 10]);
  if (!((app === 0xe0 && id === 'JFIF\0') || (app === 0xe1 && id === 'Exif\0'))) return false;
  return dissectJfif(p, buf, off, end) !== NOT_MINE;
}

mediaTypeTable.add('image/jpeg', dissectJfif);
mediaTypeTable.add('image/jpg', dissectJfif);
mediaTypeTable.add('image/pjpeg', dissectJfif);
httpHeuristics.add('image-jfif', jfifHeuristic);
