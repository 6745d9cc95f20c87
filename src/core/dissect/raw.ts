// Raw IP link types: LINKTYPE_RAW (101, and the BSD DLT_RAW values 12 and 14), where the IP
// version nibble picks IPv4 or IPv6 under a "raw" layer, and LINKTYPE_IPV4 (228) and
// LINKTYPE_IPV6 (229), which Wireshark hands to IPv4/IPv6 directly with no layer of their own.

import { defineFields } from './fields.js';
import { ethertypeTable, linkTypeTable, type Dissector } from './tables.js';
import type { Packet } from './packet.js';
import { u16 } from './bytes.js';
import { dissectData } from './data.js';
import { dissectPppHdlc } from './ppp.js';
import { LINKTYPE } from './linktypes.js';

export const rawFields = defineFields({
  raw: { abbrev: 'raw', name: 'Raw packet data', type: 'protocol' },
});

function dispatch(p: Packet, next: Dissector | undefined, buf: Uint8Array, off: number, end: number): void {
  if (next) next(p, buf, off, end);
  else dissectData(p, buf, off, end);
}

function allZero(buf: Uint8Array, off: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (buf[off + i] !== 0) return false;
  return true;
}

export function dissectRaw(p: Packet, buf: Uint8Array, off: number, end: number): void {
  const t = p.tree;
  p.addLayer('raw');
  p.setAddresses('N/A', 'N/A');
  p.setProtocol('N/A');
  p.setInfo('Raw packet data');
  const capEnd = Math.min(end, buf.length);
  t.add(rawFields.raw, off, Math.max(0, capEnd - off));
  // Wireshark's heuristics, in its order: Linux PPP drivers that left their PPP header on
  // (at 0, after a 6-byte fake MAC address, or after one byte), the ISDN driver's 10 zero bytes,
  // then the IP version nibble.
  if (p.short('Raw', buf, off, 2, end)) return;
  if (u16(buf, off) === 0xff03) {
    dissectPppHdlc(p, buf, off, end);
    return;
  }
  if (p.short('Raw', buf, off, 8, end)) return;
  if (u16(buf, off + 6) === 0xff03) {
    dissectPppHdlc(p, buf, off + 6, end);
    return;
  }
  if (u16(buf, off + 1) === 0xff03) {
    dissectPppHdlc(p, buf, off + 1, end);
    return;
  }
  if (capEnd - off >= 10 && allZero(buf, off, 10)) {
    dispatch(p, ethertypeTable.get(0x0800), buf, off + 10, end);
    return;
  }
  const version = buf[off] >> 4;
  const next = version === 4 ? ethertypeTable.get(0x0800) : version === 6 ? ethertypeTable.get(0x86dd) : undefined;
  dispatch(p, next, buf, off, end);
}

/** LINKTYPE_IPV4: IPv4 alone, no link-layer item. */
function dissectRawIPv4(p: Packet, buf: Uint8Array, off: number, end: number): void {
  dispatch(p, ethertypeTable.get(0x0800), buf, off, end);
}

/** LINKTYPE_IPV6: IPv6 alone, no link-layer item. */
function dissectRawIPv6(p: Packet, buf: Uint8Array, off: number, end: number): void {
  dispatch(p, ethertypeTable.get(0x86dd), buf, off, end);
}

linkTypeTable.add(LINKTYPE.RAW, dissectRaw);
linkTypeTable.add(LINKTYPE.RAW_12, dissectRaw);
linkTypeTable.add(LINKTYPE.RAW_14, dissectRaw);
linkTypeTable.add(LINKTYPE.IPV4, dissectRawIPv4);
linkTypeTable.add(LINKTYPE.IPV6, dissectRawIPv6);
