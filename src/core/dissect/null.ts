// BSD loopback encapsulations: LINKTYPE_NULL (0), a 4-byte address family in the capturing
// host's byte order, and LINKTYPE_LOOP (108, OpenBSD), the family in network byte order.
// The byte order of a NULL header is guessed as Wireshark's packet-null.c does.

import { defineFields, valueStrings } from './fields.js';
import { ethertypeTable, linkTypeTable, nullFamilyTable, type Dissector } from './tables.js';
import type { Packet } from './packet.js';
import { u16, u32, u32le } from './bytes.js';
import { ETHERTYPE_NAMES } from './ethertype.js';
import { dissectData } from './data.js';
import { dissectPppHdlc } from './ppp.js';
import { LINKTYPE } from './linktypes.js';

const BSD_AF_INET = 2;
const BSD_AF_INET6_BSD = 24; // NetBSD, OpenBSD, BSD/OS
const BSD_AF_INET6_FREEBSD = 28;
const BSD_AF_INET6_DARWIN = 30;

const FAMILY_NAMES = valueStrings({
  [BSD_AF_INET]: 'IP',
  7: 'OSI',
  16: 'Appletalk',
  23: 'Netware IPX/SPX',
  [BSD_AF_INET6_BSD]: 'IPv6',
  [BSD_AF_INET6_FREEBSD]: 'IPv6',
  [BSD_AF_INET6_DARWIN]: 'IPv6',
});

export const nullFields = defineFields({
  null: { abbrev: 'null', name: 'Null/Loopback', type: 'protocol' },
  type: { abbrev: 'null.type', name: 'Type', type: 'uint', bits: 16, base: 'hex', strings: ETHERTYPE_NAMES },
  family: { abbrev: 'null.family', name: 'Family', type: 'uint', bits: 32, base: 'dec', strings: FAMILY_NAMES },
});

const F = nullFields;
const HEADER_LEN = 4;
/** Values above this are EtherTypes (old Linux loopback captures), not address families. */
const IEEE_802_3_MAX_LEN = 1500;

/** The dissector for BSD address family `family`: a registered one, or IPv4/IPv6. */
function familyDissector(family: number): Dissector | undefined {
  const next = nullFamilyTable.get(family);
  if (next) return next;
  if (family === BSD_AF_INET) return ethertypeTable.get(0x0800);
  if (family === BSD_AF_INET6_BSD || family === BSD_AF_INET6_FREEBSD || family === BSD_AF_INET6_DARWIN) {
    return ethertypeTable.get(0x86dd);
  }
  return undefined;
}

/**
 * The NULL header as a family (or EtherType). AF_ values are small: read little-endian (as
 * Wireshark on a little-endian host), a value with its upper 16 bits set was written by a
 * big-endian host and is byte-swapped, except IRIX/UNICOS snoop headers, which hold a 16-bit
 * family in the first two bytes.
 */
function nullHeaderValue(buf: Uint8Array, off: number): number {
  let v = u32le(buf, off);
  if ((v & 0xffff0000) !== 0) {
    if ((v & 0xff000000) === 0 && (v & 0x00ff0000) >>> 0 < 0x00060000) v >>>= 16;
    else v = u32(buf, off);
  } else if ((v & 0xff) === 0 && (v & 0xff00) < 0x0600) {
    v = ((v & 0xff) << 8) | ((v >> 8) & 0xff);
  }
  return v >>> 0;
}

function begin(p: Packet): void {
  p.setAddresses('N/A', 'N/A');
  p.setProtocol('N/A');
  p.setInfo('Null/Loopback');
}

export function dissectNull(p: Packet, buf: Uint8Array, off: number, end: number): void {
  p.addLayer('null');
  if (p.short('Null', buf, off, 2, end)) return;
  // FreeBSD's ISDN driver wrote PPP in HDLC-like framing under this link type.
  if (u16(buf, off) === 0xff03) {
    dissectPppHdlc(p, buf, off, end);
    return;
  }
  begin(p);
  if (p.short('Null', buf, off, HEADER_LEN, end)) return;
  const v = nullHeaderValue(buf, off);
  const t = p.tree;
  const top = t.add(F.null, off, HEADER_LEN);
  t.open(top);
  if (v > IEEE_802_3_MAX_LEN) {
    const type = v & 0xffff;
    t.add(F.type, off, HEADER_LEN, type);
    t.close();
    // Old Linux loopback captures: an EtherType, handed straight to its dissector.
    const next = ethertypeTable.get(type);
    if (next) next(p, buf, off + HEADER_LEN, end);
    else dissectData(p, buf, off + HEADER_LEN, end);
    return;
  }
  family(p, buf, off, end, v);
}

export function dissectLoop(p: Packet, buf: Uint8Array, off: number, end: number): void {
  p.addLayer('null');
  begin(p);
  if (p.short('Null', buf, off, HEADER_LEN, end)) return;
  const t = p.tree;
  const top = t.add(F.null, off, HEADER_LEN);
  t.open(top);
  family(p, buf, off, end, u32(buf, off));
}

/** The family item (under the open null item) and the payload. */
function family(p: Packet, buf: Uint8Array, off: number, end: number, value: number): void {
  const t = p.tree;
  t.add(F.family, off, HEADER_LEN, value);
  t.close();
  const next = familyDissector(value);
  if (next) next(p, buf, off + HEADER_LEN, end);
  else dissectData(p, buf, off + HEADER_LEN, end);
}

linkTypeTable.add(LINKTYPE.NULL, dissectNull);
linkTypeTable.add(LINKTYPE.LOOP, dissectLoop);
