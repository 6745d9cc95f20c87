// Line-based text data (Wireshark's data-text-lines, packet-text-media.c): a text body shown line
// by line, for text/html, text/plain, text/css, JavaScript and the like. A body that starts with
// an XML declaration goes to the XML dissector instead.

import { defineFields } from './fields.js';
import type { Packet } from './packet.js';
import { mediaTypeTable } from './tables.js';
import { appendInfoSep, mediaMatch } from './media.js';
import { formatText } from './format-text.js';
import { dissectXml } from './xml.js';

export const textLinesFields = defineFields({
  textLines: { abbrev: 'data-text-lines', name: 'Line-based text data', type: 'protocol' },
});

/** Lines shown in the details tree at most (the rest is counted, not listed). */
const MAX_LINES = 100_000;

function startsWithXmlDeclaration(buf: Uint8Array, off: number): boolean {
  const s = '<?xml';
  for (let k = 0; k < 5; k++) if ((buf[off + k] | 0x20) !== s.charCodeAt(k)) return false;
  return true;
}

/** Dissects buf[off..end) as lines of text of media type mediaMatch.type. */
export function dissectTextLines(p: Packet, buf: Uint8Array, off: number, end: number): number {
  p.addLayer('data-text-lines');
  const capEnd = Math.min(end, buf.length);
  const length = capEnd - off;
  // Wireshark: more than 38 bytes starting with "<?xml" is XML whatever the media type says.
  if (length > 38 && startsWithXmlDeclaration(buf, off)) {
    dissectXml(p, buf, off, end);
    return end;
  }
  const name = mediaMatch.type;
  if (name) appendInfoSep(p, ' ', `(${name})`);
  const t = p.tree;
  const top = t.add(textLinesFields.textLines, off, Math.max(0, length));
  if (!t.full) return end;
  t.open(top);
  let lines = 0;
  let o = off;
  while (o < capEnd) {
    let next = capEnd;
    for (let i = o; i < capEnd; i++) {
      const b = buf[i];
      if (b === 0x0a) {
        next = i + 1;
        break;
      }
      if (b === 0x0d) {
        next = i + 1 < capEnd && buf[i + 1] === 0x0a ? i + 2 : i + 1;
        break;
      }
    }
    if (lines < MAX_LINES) t.addText(o, next - o, formatText(buf, o, next));
    lines++;
    o = next;
  }
  t.close();
  t.setLabel(top, `Line-based text data${name ? ': ' + name : ''} (${lines} lines)`);
  return end;
}

for (const type of [
  'text/plain', // RFC 2046
  'text/richtext', // RFC 1341
  'text/enriched', // RFC 1896
  'text/parameters',
  'text/html',
  'text/xml-external-parsed-entity',
  'text/css',
  'application/xml-external-parsed-entity',
  'text/javascript',
  'application/x-javascript',
  'application/x-tia-p25-issi',
  'application/x-tia-p25-sndcp',
  'application/x-ns-proxy-autoconfig',
  'text/vnd.sun.j2me.app-descriptor',
  'application/vnd.poc.refer-to',
  'application/vnd.drm.message',
  'application/x-wms-logplaystats',
  'application/x-rtsp-udp-packetpair',
])
  mediaTypeTable.add(type, dissectTextLines);
