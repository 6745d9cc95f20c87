// MIME multipart bodies (Wireshark's mime_multipart, packet-multipart.c, RFC 2046 §5.1): the
// parts between "--boundary" lines, each with its headers and its body handed to the dissector
// of the part's media type (data when it has none). Form uploads and 206 byte ranges use it.

import { defineFields } from './fields.js';
import type { Packet } from './packet.js';
import { mediaTypeTable, NOT_MINE } from './tables.js';
import { dissectData } from './data.js';
import { dissectMedia, mediaMatch } from './media.js';
import { asciiValue, formatText } from './format-text.js';

export const multipartFields = defineFields({
  multipart: { abbrev: 'mime_multipart', name: 'MIME Multipart Media Encapsulation', type: 'protocol' },
  type: { abbrev: 'mime_multipart.type', name: 'Type', type: 'string' },
  part: { abbrev: 'mime_multipart.part', name: 'Encapsulated multipart part', type: 'string' },
  firstBoundary: { abbrev: 'mime_multipart.first_boundary', name: 'First boundary', type: 'none' },
  boundary: { abbrev: 'mime_multipart.boundary', name: 'Boundary', type: 'none' },
  lastBoundary: { abbrev: 'mime_multipart.last_boundary', name: 'Last boundary', type: 'none' },
  contentType: { abbrev: 'mime_multipart.header.content-type', name: 'Content-Type', type: 'string' },
  contentDisposition: {
    abbrev: 'mime_multipart.header.content-disposition',
    name: 'Content-Disposition',
    type: 'string',
  },
});

const F = multipartFields;
/** Parts read at most. */
const MAX_PARTS = 1000;

/** The boundary parameter of a Content-Type's parameters (quoted or not), or undefined. */
function boundaryOf(parameters: string): string | undefined {
  for (const raw of parameters.split(';')) {
    const param = raw.trim();
    const eq = param.indexOf('=');
    if (eq < 0 || param.slice(0, eq).trim().toLowerCase() !== 'boundary') continue;
    let v = param.slice(eq + 1).trim();
    if (v.startsWith('"')) {
      const close = v.indexOf('"', 1);
      v = close > 0 ? v.slice(1, close) : v.slice(1);
    }
    return v.length > 0 ? v : undefined;
  }
  return undefined;
}

/** The offset of "--boundary" at a line start from `from` (at `from` itself or after CRLF/LF), or -1. */
function findDelimiter(buf: Uint8Array, from: number, end: number, delim: Uint8Array): number {
  outer: for (let i = from; i + delim.length <= end; i++) {
    if (i !== from && buf[i - 1] !== 0x0a) continue;
    for (let k = 0; k < delim.length; k++) if (buf[i + k] !== delim[k]) continue outer;
    return i;
  }
  return -1;
}

/** Dissects buf[off..end) as a multipart body whose type and parameters are in mediaMatch. */
export function dissectMultipart(p: Packet, buf: Uint8Array, off: number, end: number): number {
  const type = mediaMatch.type;
  const boundary = boundaryOf(mediaMatch.parameters);
  const capEnd = Math.min(end, buf.length);
  const t = p.tree;
  p.addLayer('mime_multipart');
  if (boundary === undefined) {
    // Wireshark takes the body anyway: an error note, then the bytes as data.
    const ni = t.addText(off, 0, 'The multipart dissector could not find a required parameter.');
    t.open(ni);
    p.expert(
      'MIME multipart',
      'mime_multipart.no_required_parameter',
      'error',
      'protocol',
      'The multipart dissector could not find a required parameter.',
      off,
      0,
    );
    t.close();
    dissectData(p, buf, off, end);
    return end;
  }
  const delim = Uint8Array.from('--' + boundary, (c) => c.charCodeAt(0) & 0xff);
  const top = t.add(F.multipart, off, capEnd - off);
  if (t.full) t.setLabel(top, `MIME Multipart Media Encapsulation, Type: ${type}, Boundary: "${boundary}"`);
  t.open(top);
  t.addValue(F.type, off, 0, type, 1);
  const first = findDelimiter(buf, off, capEnd, delim);
  if (first < 0) {
    dissectData(p, buf, off, end);
    t.close();
    return end;
  }
  const savedType = mediaMatch.type;
  const savedParameters = mediaMatch.parameters;
  let at = first + delim.length;
  let lineEnd = lineEndAfter(buf, at, capEnd);
  const fb = t.add(F.firstBoundary, first, lineEnd - first);
  if (t.full) t.setLabel(fb, `First boundary: ${formatText(buf, first, lineEnd)}`);
  at = lineEnd;
  for (let n = 0; n < MAX_PARTS && at < capEnd; n++) {
    const next = findDelimiter(buf, at, capEnd, delim);
    // The part ends before the CRLF that precedes the next delimiter.
    let partEnd = next < 0 ? capEnd : next;
    if (next >= 0 && partEnd - 2 >= at && buf[partEnd - 2] === 0x0d && buf[partEnd - 1] === 0x0a) partEnd -= 2;
    else if (next >= 0 && partEnd - 1 >= at && buf[partEnd - 1] === 0x0a) partEnd -= 1;
    dissectPart(p, buf, at, partEnd);
    if (next < 0) break;
    const last =
      next + delim.length + 1 < capEnd && buf[next + delim.length] === 0x2d && buf[next + delim.length + 1] === 0x2d;
    lineEnd = lineEndAfter(buf, next + delim.length, capEnd);
    const bi = t.add(last ? F.lastBoundary : F.boundary, partEnd, lineEnd - partEnd);
    if (t.full) t.setLabel(bi, `${last ? 'Last boundary' : 'Boundary'}: ${formatText(buf, partEnd, lineEnd)}`);
    at = lineEnd;
    if (last) break;
  }
  t.close();
  mediaMatch.type = savedType;
  mediaMatch.parameters = savedParameters;
  return end;
}

/** The offset after the line end that follows `from` (or the end). */
function lineEndAfter(buf: Uint8Array, from: number, capEnd: number): number {
  for (let i = from; i < capEnd; i++) if (buf[i] === 0x0a) return i + 1;
  return capEnd;
}

/** One part buf[from..to): headers, a blank line, then the body to its media type's dissector. */
function dissectPart(p: Packet, buf: Uint8Array, from: number, to: number): void {
  const t = p.tree;
  const pi = t.addValue(F.part, from, to - from, '');
  t.open(pi);
  let o = from;
  let contentType: string | undefined;
  let parameters = '';
  while (o < to) {
    let e = o;
    while (e < to && buf[e] !== 0x0a) e++;
    const next = Math.min(to, e + 1);
    const lineEnd = e > o && buf[e - 1] === 0x0d ? e - 1 : e;
    if (lineEnd === o) {
      o = next;
      break;
    }
    const line = asciiValue(buf, o, lineEnd);
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon).trim().toLowerCase() : '';
    const value = colon > 0 ? line.slice(colon + 1).trim() : '';
    // Wireshark shows the blank line after the last header in that header's label.
    let shownEnd = next;
    if (shownEnd < to && (buf[shownEnd] === 0x0d || buf[shownEnd] === 0x0a)) {
      shownEnd =
        buf[shownEnd] === 0x0d && shownEnd + 1 < to && buf[shownEnd + 1] === 0x0a ? shownEnd + 2 : shownEnd + 1;
    }
    const field = name === 'content-type' ? F.contentType : name === 'content-disposition' ? F.contentDisposition : -1;
    if (field >= 0) {
      const hi = t.addValue(field, o, shownEnd - o, value);
      if (t.full) t.setLabel(hi, formatText(buf, o, shownEnd));
    } else t.addText(o, shownEnd - o, formatText(buf, o, shownEnd));
    if (name === 'content-type') {
      const semi = value.indexOf(';');
      contentType = (semi < 0 ? value : value.slice(0, semi)).trim().toLowerCase();
      parameters = semi < 0 ? '' : value.slice(semi + 1).trim();
    }
    o = next;
  }
  if (t.full && contentType !== undefined) t.setLabel(pi, `Encapsulated multipart part:  (${contentType})`);
  else if (t.full) t.setLabel(pi, 'Encapsulated multipart part: ');
  if (o < to) {
    const handler = contentType !== undefined ? mediaTypeTable.get(contentType) : undefined;
    mediaMatch.type = contentType ?? '';
    mediaMatch.parameters = parameters;
    if (handler === undefined || handler(p, buf, o, to) === NOT_MINE) {
      if (contentType !== undefined) dissectMedia(p, buf, o, to);
      else dissectData(p, buf, o, to);
    }
  }
  t.close();
}

for (const type of [
  'multipart/mixed',
  'multipart/related',
  'multipart/alternative',
  'multipart/form-data',
  'multipart/report',
  'multipart/signed',
  'multipart/encrypted',
  'multipart/byteranges',
  'multipart/x-mixed-replace',
  'multipart/',
])
  mediaTypeTable.add(type, dissectMultipart);
