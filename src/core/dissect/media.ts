// The media pseudo-protocol (Wireshark's "media"): a message body whose media type no dissector
// knows, shown as bytes with its type. It also holds the media type of the body being handed on
// (pinfo->match_string and the type's parameters) for the media-type dissectors to read.

import { defineFields } from './fields.js';
import type { Packet } from './packet.js';
import { dissectData } from './data.js';
import { mediaTypeTable } from './tables.js';

export const mediaFields = defineFields({
  media: { abbrev: 'media', name: 'Media Type', type: 'protocol' },
  type: { abbrev: 'media.type', name: 'Media type', type: 'bytes' },
});

/**
 * The media type of the body being dissected, as the caller looked it up in mediaTypeTable
 * (lower case, without parameters) and its parameters ("charset=utf-8"), or '' when the caller
 * gave none. Set by the caller (HTTP) around the call and cleared after it.
 */
export const mediaMatch = { type: '', parameters: '' };

/** Appends `text` to Info after `sep` when Info is not empty (col_append_sep_str). */
export function appendInfoSep(p: Packet, sep: string, text: string): void {
  if (!p.wantColumns) return;
  p.appendInfo(p.infoCol.length > 0 ? sep + text : text);
}

/** Appends "/NAME" to the Protocol column (col_append_sep_str(COL_PROTOCOL, "/", ...)). */
export function appendProtocolSep(p: Packet, name: string): void {
  if (!p.wantColumns) return;
  p.setProtocol(p.protocolCol.length > 0 ? p.protocolCol + '/' + name : name);
}

/** Shows buf[off..end) as an undissected body of media type mediaMatch.type (packet-media.c). */
export function dissectMedia(p: Packet, buf: Uint8Array, off: number, end: number): number {
  p.addLayer('media');
  const type = mediaMatch.type;
  if (p.wantColumns) p.appendInfo(` (${type})`);
  const capEnd = Math.min(end, buf.length);
  const n = end - off;
  if (n <= 0) return end;
  const t = p.tree;
  const top = t.add(mediaFields.media, off, Math.max(0, capEnd - off));
  t.open(top);
  const i = t.add(mediaFields.type, off, Math.max(0, capEnd - off));
  if (t.full) {
    const params = mediaMatch.parameters;
    t.setLabel(i, `Media type: ${type}${params ? '; ' + params : ''} (${n} byte${n === 1 ? '' : 's'})`);
  }
  t.close();
  return end;
}

/** application/octet-stream: plain bytes, shown as data (Wireshark registers the data dissector for it). */
function dissectOctetStream(p: Packet, buf: Uint8Array, off: number, end: number): number {
  dissectData(p, buf, off, end);
  return end;
}

mediaTypeTable.add('application/octet-stream', dissectOctetStream);
