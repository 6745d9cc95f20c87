// HTML form data (Wireshark's urlencoded-form dissector, packet-http-urlencoded.c): the
// key=value pairs of an application/x-www-form-urlencoded body, percent-decoded with '+' as a
// space (WHATWG URL, application/x-www-form-urlencoded parsing).

import { defineFields } from './fields.js';
import type { Packet } from './packet.js';
import { mediaTypeTable } from './tables.js';
import { appendInfoSep, mediaMatch } from './media.js';

export const urlencodedFields = defineFields({
  form: { abbrev: 'urlencoded-form', name: 'HTML Form URL Encoded', type: 'protocol' },
  key: { abbrev: 'urlencoded-form.key', name: 'Key', type: 'string' },
  value: { abbrev: 'urlencoded-form.value', name: 'Value', type: 'string' },
});

const F = urlencodedFields;
/** Pairs listed at most. */
const MAX_PAIRS = 10_000;

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const l = c | 0x20;
  if (l >= 0x61 && l <= 0x66) return l - 0x61 + 10;
  return -1;
}

/** Decodes buf[from..to): %XX escapes and '+' as space; bytes above 0x7f shown as Latin-1. */
function decode(buf: Uint8Array, from: number, to: number): string {
  let s = '';
  for (let i = from; i < to; i++) {
    const c = buf[i];
    if (c === 0x2b) s += ' ';
    else if (c === 0x25 && i + 2 < to && hexValue(buf[i + 1]) >= 0 && hexValue(buf[i + 2]) >= 0) {
      s += String.fromCharCode(hexValue(buf[i + 1]) * 16 + hexValue(buf[i + 2]));
      i += 2;
    } else s += String.fromCharCode(c);
  }
  return s;
}

/** Dissects buf[off..end) as form data. */
export function dissectUrlencodedForm(p: Packet, buf: Uint8Array, off: number, end: number): number {
  p.addLayer('urlencoded-form');
  const name = mediaMatch.type;
  if (name) appendInfoSep(p, ' ', `(${name})`);
  const capEnd = Math.min(end, buf.length);
  const t = p.tree;
  const top = t.add(F.form, off, capEnd - off);
  if (t.full) t.setLabel(top, `HTML Form URL Encoded${name ? ': ' + name : ''}`);
  if (!t.full && !t.keeps(F.key) && !t.keeps(F.value)) return end;
  t.open(top);
  let o = off;
  for (let n = 0; n < MAX_PAIRS && o < capEnd; n++) {
    let amp = capEnd;
    for (let k = o; k < capEnd; k++)
      if (buf[k] === 0x26) {
        amp = k;
        break;
      }
    let eq = amp;
    for (let k = o; k < amp; k++)
      if (buf[k] === 0x3d) {
        eq = k;
        break;
      }
    const key = decode(buf, o, eq);
    const value = eq < amp ? decode(buf, eq + 1, amp) : '';
    const item = t.addText(o, amp - o, `Form item: "${key}" = "${value}"`);
    t.open(item);
    t.addValue(F.key, o, eq - o, key);
    if (eq < amp) t.addValue(F.value, eq + 1, amp - eq - 1, value);
    t.close();
    o = amp + 1;
  }
  t.close();
  return end;
}

mediaTypeTable.add('application/x-www-form-urlencoded', dissectUrlencodedForm);
