// PPP Link Control Protocol (RFC 1661 section 5, PPP protocol 0xc021): code, identifier, length
// and the configuration options, with Wireshark 4.0's "PPP LCP" Protocol and the code's name as
// Info ("Configuration Request").

import { defineFields, valueStrings } from './fields.js';
import type { Packet } from './packet.js';
import { pppProtoTable } from './tables.js';
import { u16, u32 } from './bytes.js';

const CODES = valueStrings({
  1: 'Configuration Request',
  2: 'Configuration Ack',
  3: 'Configuration Nak',
  4: 'Configuration Reject',
  5: 'Termination Request',
  6: 'Termination Ack',
  7: 'Code Reject',
  8: 'Protocol Reject',
  9: 'Echo Request',
  10: 'Echo Reply',
  11: 'Discard Request',
  12: 'Identification',
  13: 'Time Remaining',
});

const OPTIONS = valueStrings({
  0: 'Vendor Specific',
  1: 'Maximum Receive Unit',
  2: 'Async Control Character Map',
  3: 'Authentication Protocol',
  4: 'Quality Protocol',
  5: 'Magic Number',
  7: 'Protocol Field Compression',
  8: 'Address and Control Field Compression',
  9: 'FCS-Alternatives',
  10: 'Self Describing Pad',
  11: 'Numbered Mode',
  13: 'Callback',
  17: 'Multilink MRRU',
  18: 'Multilink Short Sequence Number Header',
  19: 'Multilink Endpoint Discriminator',
  21: 'DCE-Identifier',
  22: 'Multi-Link-Plus-Procedure',
  23: 'Link Discriminator for BACP',
  26: 'Prefix Elision',
  27: 'Multilink header format',
  28: 'Internationalization',
  29: 'Simple Data Link on SONET/SDH',
});

/** RFC 1570 section 2.3: what the callback message means. */
const CALLBACK_OPERATIONS = valueStrings({
  0: 'Location determined by user authentication',
  1: 'Message is dialing string',
  2: 'Message is location identifier',
  3: 'Message is E.164',
  4: 'Message is distinguished name',
  5: 'unassigned',
  6: 'Location is determined during CBCP negotiation',
});

/** RFC 1990 section 5.1.3: endpoint discriminator classes. */
const DISCRIMINATOR_CLASSES = valueStrings({
  0: 'Null',
  1: 'Locally assigned address',
  2: 'Internet Protocol (IP) address',
  3: 'IEEE 802.1 globally assigned MAC address',
  4: 'PPP magic-number block',
  5: 'Public switched network directory number',
});

const CONFIGURE_REQUEST = 1;
const CONFIGURE_REJECT = 4;
const ECHO_REQUEST = 9;
const DISCARD_REQUEST = 11;

export const lcpFields = defineFields({
  lcp: { abbrev: 'lcp', name: 'PPP Link Control Protocol', type: 'protocol' },
  code: { abbrev: 'ppp.code', name: 'Code', type: 'uint', bits: 8, base: 'dec', strings: CODES },
  identifier: { abbrev: 'ppp.identifier', name: 'Identifier', type: 'uint', bits: 8, base: 'dec_hex' },
  length: { abbrev: 'ppp.length', name: 'Length', type: 'uint', bits: 16, base: 'dec' },
  magicNumber: { abbrev: 'ppp.magic_number', name: 'Magic Number', type: 'uint', bits: 32, base: 'hex' },
  optType: { abbrev: 'lcp.opt.type', name: 'Type', type: 'uint', bits: 8, base: 'dec', strings: OPTIONS },
  optLength: { abbrev: 'lcp.opt.length', name: 'Length', type: 'uint', bits: 8, base: 'dec' },
  optMru: { abbrev: 'lcp.opt.mru', name: 'Maximum Receive Unit', type: 'uint', bits: 16, base: 'dec' },
  optAsyncmap: { abbrev: 'lcp.opt.asyncmap', name: 'Async Control Character Map', type: 'uint', bits: 32, base: 'hex' },
  optMagicNumber: { abbrev: 'lcp.opt.magic_number', name: 'Magic Number', type: 'uint', bits: 32, base: 'hex' },
  optMrru: { abbrev: 'lcp.opt.mrru', name: 'MRRU', type: 'uint', bits: 16, base: 'dec' },
  optData: { abbrev: 'lcp.opt.data', name: 'Data', type: 'bytes' },
  optOperation: {
    abbrev: 'lcp.opt.operation',
    name: 'Operation',
    type: 'uint',
    bits: 8,
    base: 'dec',
    strings: CALLBACK_OPERATIONS,
  },
  optMessage: { abbrev: 'lcp.opt.message', name: 'Message', type: 'bytes' },
  optEpDiscClass: {
    abbrev: 'lcp.opt.ep_disc_class',
    name: 'Class',
    type: 'uint',
    bits: 8,
    base: 'dec',
    strings: DISCRIMINATOR_CLASSES,
  },
  data: { abbrev: 'lcp.data', name: 'Data', type: 'bytes' },
});

const F = lcpFields;

export function dissectLcp(p: Packet, buf: Uint8Array, off: number, end: number): void {
  const t = p.tree;
  p.addLayer('lcp');
  p.setProtocol('PPP LCP');
  p.setInfo('');
  const capEnd = Math.min(end, buf.length);
  const top = t.add(F.lcp, off, Math.max(0, capEnd - off));
  t.open(top);
  if (p.short('PPP LCP', buf, off, 4, end)) return;
  const code = buf[off];
  const length = u16(buf, off + 2);
  if (p.wantColumns) p.setInfo(CODES.get(code) ?? 'Unknown');
  t.add(F.code, off, 1, code);
  t.add(F.identifier, off + 1, 1, buf[off + 1]);
  t.add(F.length, off + 2, 2, length);
  if (length < 4) {
    p.malformed('PPP LCP');
    return;
  }
  t.setLength(top, Math.min(length, capEnd - off));
  const stop = off + length;
  if (p.short('PPP LCP', buf, off, length, end)) return;
  let o = off + 4;
  if (code >= CONFIGURE_REQUEST && code <= CONFIGURE_REJECT) {
    options(p, buf, o, stop);
  } else if (code >= ECHO_REQUEST && code <= DISCARD_REQUEST && stop - o >= 4) {
    t.add(F.magicNumber, o, 4, u32(buf, o));
    o += 4;
    if (o < stop) t.add(F.data, o, stop - o);
  } else if (o < stop) {
    t.add(F.data, o, stop - o);
  }
  t.close();
}

/** Type-length-value options (RFC 1661 section 6); a length below 2 or past the end stops them. */
function options(p: Packet, buf: Uint8Array, o: number, stop: number): void {
  const t = p.tree;
  if (o >= stop) return;
  // One "Options" item whose label lists the options (Wireshark's dissect_cp options subtree).
  const all = t.full ? t.addText(o, stop - o, '') : -1;
  const bytes = stop - o;
  let names = '';
  t.open(all);
  while (o + 2 <= stop) {
    const type = buf[o];
    const len = buf[o + 1];
    if (len < 2 || o + len > stop) {
      p.expert('PPP LCP', 'ppp.opt.len.invalid', 'error', 'protocol', 'Invalid length for option', o, stop - o);
      break;
    }
    const name = OPTIONS.get(type) ?? `Unknown option (${type})`;
    if (t.full) names += `, ${name}`;
    const oi = t.full ? t.addText(o, len, name) : -1;
    t.open(oi);
    t.add(F.optType, o, 1, type);
    t.add(F.optLength, o + 1, 1, len);
    const v = o + 2;
    const n = len - 2;
    if (type === 1 && n === 2) {
      t.add(F.optMru, v, 2, u16(buf, v));
      t.setLabel(oi, `${name}: ${u16(buf, v)}`);
    } else if (type === 2 && n === 4) {
      t.add(F.optAsyncmap, v, 4, u32(buf, v));
    } else if (type === 5 && n === 4) {
      t.add(F.optMagicNumber, v, 4, u32(buf, v));
      t.setLabel(oi, `${name}: 0x${u32(buf, v).toString(16).padStart(8, '0')}`);
    } else if (type === 13 && n >= 1) {
      const op = buf[v];
      t.add(F.optOperation, v, 1, op);
      if (n > 1) t.add(F.optMessage, v + 1, n - 1);
      t.setLabel(oi, `${name}: ${CALLBACK_OPERATIONS.get(op) ?? 'Unknown'}`);
    } else if (type === 19 && n >= 1) {
      const c = buf[v];
      t.add(F.optEpDiscClass, v, 1, c);
      if (n > 1) t.add(F.optData, v + 1, n - 1);
      t.setLabel(oi, `${name}: Class: ${DISCRIMINATOR_CLASSES.get(c) ?? 'Unknown'}`);
    } else if (type === 17 && n === 2) {
      t.add(F.optMrru, v, 2, u16(buf, v));
      t.setLabel(oi, `${name}: ${u16(buf, v)}`);
    } else if (n > 0) {
      t.add(F.optData, v, n);
    }
    t.close();
    o += len;
  }
  t.close();
  t.setLabel(all, `Options: (${bytes} bytes)${names}`);
}

pppProtoTable.add(0xc021, dissectLcp);
