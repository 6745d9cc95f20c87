// IEEE 802.1Q VLAN tags (EtherType 0x8100, and the old QinQ 0x9100) and IEEE 802.1ad provider
// tags (0x88a8): the tag control information, then the payload by EtherType, or LLC when the
// tag carries an 802.3 length, as Wireshark's packet-vlan.c and packet-ieee8021ah.c do.

import { defineFields, valueStrings } from './fields.js';
import { ethertypeTable } from './tables.js';
import type { Packet } from './packet.js';
import { u16 } from './bytes.js';
import { ETHERTYPE_NAMES, addEthernetTrailer, dissectEthertype } from './ethertype.js';
import { dissectLlc } from './llc.js';
import { dissectData } from './data.js';

// 802.1Q-2005 priority names (Wireshark's default "802.1Q-2005" priority table).
const PRIORITY_NAMES = valueStrings({
  0: 'Best Effort (default)',
  1: 'Background',
  2: 'Excellent Effort',
  3: 'Critical Applications',
  4: 'Video, < 100ms latency and jitter',
  5: 'Voice, < 10ms latency and jitter',
  6: 'Internetwork Control',
  7: 'Network Control',
});

export const vlanFields = defineFields({
  vlan: { abbrev: 'vlan', name: '802.1Q Virtual LAN', type: 'protocol' },
  priority: {
    abbrev: 'vlan.priority',
    name: 'Priority',
    type: 'uint',
    bits: 16,
    base: 'dec',
    mask: 0xe000,
    strings: PRIORITY_NAMES,
  },
  cfi: {
    abbrev: 'vlan.cfi',
    name: 'CFI',
    type: 'bool',
    bits: 16,
    mask: 0x1000,
    trueFalse: ['Non-canonical', 'Canonical'],
  },
  dei: { abbrev: 'vlan.dei', name: 'DEI', type: 'bool', bits: 16, mask: 0x1000, trueFalse: ['Eligible', 'Ineligible'] },
  id: { abbrev: 'vlan.id', name: 'ID', type: 'uint', bits: 16, base: 'dec', mask: 0x0fff },
  etype: { abbrev: 'vlan.etype', name: 'Type', type: 'uint', bits: 16, base: 'hex', strings: ETHERTYPE_NAMES },
  len: { abbrev: 'vlan.len', name: 'Length', type: 'uint', bits: 16, base: 'dec' },
  trailer: { abbrev: 'vlan.trailer', name: 'Trailer', type: 'bytes' },
});

export const ieee8021adFields = defineFields({
  ieee8021ad: { abbrev: 'ieee8021ad', name: 'IEEE 802.1ad', type: 'protocol' },
  priority: { abbrev: 'ieee8021ad.priority', name: 'Priority', type: 'uint', bits: 16, base: 'dec', mask: 0xe000 },
  dei: { abbrev: 'ieee8021ad.dei', name: 'DEI', type: 'uint', bits: 16, base: 'dec', mask: 0x1000 },
  id: { abbrev: 'ieee8021ad.id', name: 'ID', type: 'uint', bits: 16, base: 'dec', mask: 0x0fff },
  etype: { abbrev: 'ieee8021ah.etype', name: 'Type', type: 'uint', bits: 16, base: 'hex', strings: ETHERTYPE_NAMES },
  trailer: { abbrev: 'ieee8021ah.trailer', name: 'Trailer', type: 'bytes' },
});

const F = vlanFields;
const AD = ieee8021adFields;
const TAG_LEN = 4;
/** Wireshark stops after this many nested 802.1Q tags ("Too many nested VLAN tags"). */
const MAX_VLAN_NESTING = 20;
/** Wireshark pads up to the frame's 60th byte, counted from the start of the frame. */
const MIN_FRAME = 60;

export function dissectVlan(p: Packet, buf: Uint8Array, off: number, end: number): void {
  const t = p.tree;
  p.addLayer('vlan');
  p.setProtocol('VLAN');
  p.setInfo('');
  const capEnd = Math.min(end, buf.length);
  if (p.short('VLAN', buf, off, 2, end)) return;
  const tci = u16(buf, off);
  const pri = tci >> 13;
  const dei = (tci >> 12) & 1;
  const id = tci & 0x0fff;
  if (p.wantColumns) p.setInfo(`PRI: ${pri}  DEI: ${dei}  ID: ${id}`);
  const top = t.add(F.vlan, off, Math.min(TAG_LEN, capEnd - off));
  t.open(top);
  if (nesting(p) > MAX_VLAN_NESTING) {
    p.expert('vlan', 'vlan.too_many_tags', 'warn', 'undecoded', 'Too many nested VLAN tags', off, TAG_LEN);
    t.close();
    return;
  }
  if (t.full) t.setLabel(top, `802.1Q Virtual LAN, PRI: ${pri}, DEI: ${dei}, ID: ${id}`);
  t.add(F.priority, off, 2, pri);
  t.add(F.dei, off, 2, dei);
  t.add(F.id, off, 2, id);
  if (p.short('VLAN', buf, off, TAG_LEN, end)) return;
  const type = u16(buf, off + 2);
  if (type <= 1500) {
    dissect8023(p, buf, off + TAG_LEN, end, type, F.len, F.trailer, 'vlan');
    return;
  }
  t.add(F.etype, off + 2, 2, type);
  t.close();
  dissectEthertype(p, type, buf, off + TAG_LEN, end, { minFrame: MIN_FRAME, field: F.trailer, parent: top });
}

/** Number of "vlan" layers so far, this one included. */
function nesting(p: Packet): number {
  let n = 0;
  for (let i = 0; i < p.layerCount; i++) if (p.layers[i] === 'vlan') n++;
  return n;
}

/**
 * The 802.3 length case (Wireshark's dissect_802_3): the payload is `length` bytes of LLC (or
 * of raw IPX when it starts with 0xffff), the rest a trailer. Called with the tag's subtree open.
 */
function dissect8023(
  p: Packet,
  buf: Uint8Array,
  off: number,
  end: number,
  length: number,
  lenField: number,
  trailerField: number,
  protocol: string,
): void {
  const t = p.tree;
  const li = t.add(lenField, off - 2, 2, length);
  if (length > end - off) {
    length = Math.max(0, end - off);
    t.open(li);
    p.expert(
      protocol,
      `${protocol}.len.past_end`,
      'error',
      'malformed',
      'Length field value goes past the end of the payload',
      off - 2,
      2,
    );
    t.close();
  }
  t.close();
  const payloadEnd = off + length;
  // Raw Novell 802.3 (IPX without LLC) starts with a 0xffff checksum.
  const raw = Math.min(payloadEnd, buf.length) - off >= 2 && u16(buf, off) === 0xffff;
  if (raw) dissectData(p, buf, off, payloadEnd);
  else dissectLlc(p, buf, off, payloadEnd);
  // A payload that broke off still leaves the trailer to show, as Wireshark catches the exception.
  addEthernetTrailer(p, buf, payloadEnd, end, { minFrame: MIN_FRAME, field: trailerField });
}

/** IEEE 802.1ad service tag (S-tag), which Wireshark dissects as its own protocol. */
export function dissectIeee8021ad(p: Packet, buf: Uint8Array, off: number, end: number): void {
  const t = p.tree;
  p.addLayer('ieee8021ad');
  p.setProtocol('802.1ad');
  p.setInfo('');
  const capEnd = Math.min(end, buf.length);
  if (p.short('802.1ad', buf, off, TAG_LEN, end)) return;
  const tci = u16(buf, off);
  const pri = tci >> 13;
  const dei = (tci >> 12) & 1;
  const id = tci & 0x0fff;
  // Wireshark's own spacing: two spaces, then one.
  if (p.wantColumns) p.setInfo(`PRI: ${pri}  DROP: ${dei} ID: ${id}`);
  const top = t.add(AD.ieee8021ad, off, Math.min(TAG_LEN, capEnd - off));
  if (t.full) t.setLabel(top, `IEEE 802.1ad, ID: ${id}`);
  t.open(top);
  t.add(AD.priority, off, 2, pri);
  t.add(AD.dei, off, 2, dei);
  t.add(AD.id, off, 2, id);
  const type = u16(buf, off + 2);
  t.add(AD.etype, off + 2, 2, type);
  t.close();
  dissectEthertype(p, type, buf, off + TAG_LEN, end, { minFrame: MIN_FRAME, field: AD.trailer, parent: top });
}

ethertypeTable.add(0x8100, dissectVlan);
ethertypeTable.add(0x9100, dissectVlan);
ethertypeTable.add(0x88a8, dissectIeee8021ad);
