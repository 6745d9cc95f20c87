// XML bodies (Wireshark's xml dissector, packet-xml.c): the Protocol column gains "/XML" and the
// tree lists the document's tags. Only the outline is read (tags and their attributes' text);
// no DTD or namespace processing.

import { defineFields } from './fields.js';
import type { Packet } from './packet.js';
import { mediaTypeTable } from './tables.js';
import { appendProtocolSep } from './media.js';
import { formatText } from './format-text.js';

export const xmlFields = defineFields({
  xml: { abbrev: 'xml', name: 'eXtensible Markup Language', type: 'protocol' },
  tag: { abbrev: 'xml.tag', name: 'Tag', type: 'string' },
  cdata: { abbrev: 'xml.cdata', name: 'CDATA', type: 'string' },
});

/** Tags listed at most. */
const MAX_TAGS = 10_000;

/** Dissects buf[off..end) as an XML document. */
export function dissectXml(p: Packet, buf: Uint8Array, off: number, end: number): number {
  p.addLayer('xml');
  appendProtocolSep(p, 'XML');
  const capEnd = Math.min(end, buf.length);
  const t = p.tree;
  const top = t.add(xmlFields.xml, off, Math.max(0, capEnd - off));
  if (!t.keeps(xmlFields.tag)) return end;
  t.open(top);
  let tags = 0;
  for (let i = off; i < capEnd && tags < MAX_TAGS; i++) {
    if (buf[i] !== 0x3c) continue;
    let j = i + 1;
    while (j < capEnd && buf[j] !== 0x3e) j++;
    const close = Math.min(capEnd, j + 1);
    t.addValue(xmlFields.tag, i, close - i, formatText(buf, i, close));
    tags++;
    i = j;
  }
  t.close();
  return end;
}

for (const type of [
  'text/xml',
  'application/xml',
  'application/soap+xml',
  'application/atom+xml',
  'application/rss+xml',
  'application/rdf+xml',
  'application/xslt+xml',
  'application/mathml+xml',
  'image/svg+xml',
  'application/pidf+xml',
  'application/rlmi+xml',
  'application/reginfo+xml',
  'application/resource-lists+xml',
  'application/simple-filter+xml',
  'application/watcherinfo+xml',
  'application/xcap-att+xml',
  'application/xcap-caps+xml',
  'application/xcap-diff+xml',
  'application/xcap-el+xml',
  'application/xcap-error+xml',
  'application/xcap-ns+xml',
])
  mediaTypeTable.add(type, dissectXml);
