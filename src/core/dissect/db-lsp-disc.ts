// Dropbox LAN sync Discovery Protocol (UDP port 17500): a broadcast whose payload is a JSON
// object (host_int, version, displayname, port, namespaces). As Wireshark 4.0's packet-db-lsp.c
// does, it names itself in the columns and hands the payload to the JSON dissector, which makes
// the Protocol column "DB-LSP-DISC/JSON".

import { defineFields } from './fields.js';
import type { Packet } from './packet.js';
import { mediaTypeTable, udpPortTable } from './tables.js';
import { mediaMatch } from './media.js';

export const dbLspDiscFields = defineFields({
  dbLspDisc: { abbrev: 'db-lsp-disc', name: 'Dropbox LAN sync Discovery Protocol', type: 'protocol' },
  text: { abbrev: 'db-lsp.text', name: 'Text', type: 'string' },
});

const F = dbLspDiscFields;

export function dissectDbLspDisc(p: Packet, buf: Uint8Array, off: number, end: number): void {
  const t = p.tree;
  p.addLayer('db-lsp-disc');
  p.setProtocol('DB-LSP-DISC');
  p.setInfo('Dropbox LAN sync Discovery Protocol');
  const capEnd = Math.min(end, buf.length);
  const top = t.add(F.dbLspDisc, off, Math.max(0, capEnd - off));
  t.open(top);
  // The JSON dissector is called directly, without a media type (call_dissector_with_data).
  const json = mediaTypeTable.get('application/json');
  if (json) {
    mediaMatch.type = '';
    mediaMatch.parameters = '';
    json(p, buf, off, end);
  } else if (capEnd > off) {
    let s = '';
    for (let i = off; i < capEnd; i++) s += String.fromCharCode(buf[i]);
    t.addValue(F.text, off, capEnd - off, s);
  }
  t.close();
}

udpPortTable.add(17500, dissectDbLspDisc);
