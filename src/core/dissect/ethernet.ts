// Ethernet II and IEEE 802.3 framing (LINKTYPE_ETHERNET): addresses, EtherType or length,
// then the payload by EtherType, or LLC for 802.3 length frames.

import { defineFields } from './fields.js';
import { linkTypeTable } from './tables.js';
import type { Packet } from './packet.js';
import { formatMac, u16 } from './bytes.js';
import { ETHERTYPE_NAMES, dissectEthertype } from './ethertype.js';
import { dissectLlc } from './llc.js';
import { LINKTYPE } from './linktypes.js';
import { FieldGroup, HIDDEN } from './tree.js';

const LG: readonly [string, string] = [
  'Locally administered address (this is NOT the factory default)',
  'Globally unique address (factory default)',
];
const IG: readonly [string, string] = ['Group address (multicast/broadcast)', 'Individual address (unicast)'];

export const ethFields = defineFields({
  eth: { abbrev: 'eth', name: 'Ethernet', type: 'protocol' },
  dst: { abbrev: 'eth.dst', name: 'Destination', type: 'ether' },
  dstOui: { abbrev: 'eth.dst.oui', name: 'Destination OUI', type: 'uint', bits: 24, base: 'hex' },
  dstLg: { abbrev: 'eth.dst.lg', name: 'LG bit', type: 'bool', bits: 24, mask: 0x020000, trueFalse: LG },
  dstIg: { abbrev: 'eth.dst.ig', name: 'IG bit', type: 'bool', bits: 24, mask: 0x010000, trueFalse: IG },
  src: { abbrev: 'eth.src', name: 'Source', type: 'ether' },
  srcOui: { abbrev: 'eth.src.oui', name: 'Source OUI', type: 'uint', bits: 24, base: 'hex' },
  srcLg: { abbrev: 'eth.src.lg', name: 'LG bit', type: 'bool', bits: 24, mask: 0x020000, trueFalse: LG },
  srcIg: { abbrev: 'eth.src.ig', name: 'IG bit', type: 'bool', bits: 24, mask: 0x010000, trueFalse: IG },
  addr: { abbrev: 'eth.addr', name: 'Address', type: 'ether' },
  lg: { abbrev: 'eth.lg', name: 'LG bit', type: 'bool', bits: 24, mask: 0x020000, trueFalse: LG },
  ig: { abbrev: 'eth.ig', name: 'IG bit', type: 'bool', bits: 24, mask: 0x010000, trueFalse: IG },
  type: { abbrev: 'eth.type', name: 'Type', type: 'uint', bits: 16, base: 'hex', strings: ETHERTYPE_NAMES },
  len: { abbrev: 'eth.len', name: 'Length', type: 'uint', bits: 16, base: 'dec' },
});

const F = ethFields;
/** The address items (7 per address), skipped together on the summary path when none is kept. */
const ADDRESS_ITEMS = new FieldGroup([
  F.dst,
  F.dstOui,
  F.dstLg,
  F.dstIg,
  F.src,
  F.srcOui,
  F.srcLg,
  F.srcIg,
  F.addr,
  F.lg,
  F.ig,
]);
const ETH_HEADER = 14;

/** Ethernet whose frames may or may not end with an FCS (pcap and pcapng captures: Wireshark's "maybe"). */
export function dissectEthernet(p: Packet, buf: Uint8Array, off: number, end: number): void {
  dissectEthernetFrame(p, buf, off, end, -1);
}

/** Ethernet frames without an FCS (the sampled headers of sFlow: Wireshark's eth_withoutfcs). */
export function dissectEthernetWithoutFcs(p: Packet, buf: Uint8Array, off: number, end: number): void {
  dissectEthernetFrame(p, buf, off, end, 0);
}

function dissectEthernetFrame(p: Packet, buf: Uint8Array, off: number, end: number, fcsLen: number): void {
  const t = p.tree;
  p.addLayer('eth');
  p.setProtocol('Ethernet');
  const capEnd = Math.min(end, buf.length);
  const top = t.add(F.eth, off, Math.min(ETH_HEADER, capEnd - off));
  t.open(top);
  if (capEnd - off < ETH_HEADER) {
    // Wireshark checks the whole header before adding any field; only the columns are set.
    p.setMacAddresses(buf, capEnd - off >= 12 ? off + 6 : -1, capEnd - off >= 6 ? off : -1);
    t.setLabel(top, 'Ethernet II');
    p.short('Ethernet', buf, off, ETH_HEADER, end);
    return;
  }
  if (t.keepsAny(ADDRESS_ITEMS)) {
    address(p, buf, off, F.dst, F.dstOui, F.dstLg, F.dstIg, 'Destination');
    address(p, buf, off + 6, F.src, F.srcOui, F.srcLg, F.srcIg, 'Source');
  } else if (buf[off + 6] & 1) sourceIsGroup(p, off + 6);
  // The columns are formatted only when read (an IP layer usually replaces them).
  p.setMacAddresses(buf, off + 6, off);
  const type = u16(buf, off + 12);
  if (type <= 1500) {
    // IEEE 802.3: a length, then LLC (RFC 1042 / 802.2).
    // Wireshark 4.0's label for 802.3 frames ends with a space and names no address.
    if (t.full) t.setLabel(top, 'IEEE 802.3 Ethernet ');
    t.add(F.len, off + 12, 2, type);
    t.close();
    const payloadEnd = Math.min(end, off + ETH_HEADER + type);
    dissectLlc(p, buf, off + ETH_HEADER, payloadEnd);
    return;
  }
  if (t.full) t.setLabel(top, `Ethernet II, Src: ${formatMac(buf, off + 6)}, Dst: ${formatMac(buf, off)}`);
  t.add(F.type, off + 12, 2, type);
  t.close();
  dissectEthertype(p, type, buf, off + ETH_HEADER, end, {
    minFrame: off + 60,
    parent: top,
    fcsLen,
    frameStart: off,
  });
}

/** IEEE 802.3-2002 3.2.3(b): a source address is never a group address (Wireshark's warning). */
function sourceIsGroup(p: Packet, o: number): void {
  const text = 'Source MAC must not be a group address: IEEE 802.3-2002, Section 3.2.3(b)';
  p.expert('Ethernet', 'eth.src_not_group', 'warn', 'protocol', text, o, 6);
}

function address(
  p: Packet,
  buf: Uint8Array,
  o: number,
  f: number,
  oui: number,
  lg: number,
  ig: number,
  what: string,
): void {
  const t = p.tree;
  const i = t.add(f, o, 6);
  if (t.full) t.setLabel(i, `${what}: ${formatMac(buf, o)}`);
  t.open(i);
  if (what === 'Source' && buf[o] & 1) sourceIsGroup(p, o);
  t.add(F.addr, o, 6);
  t.add(oui, o, 3, (buf[o] << 16) | (buf[o + 1] << 8) | buf[o + 2], HIDDEN);
  t.add(lg, o, 3, (buf[o] >> 1) & 1);
  t.add(ig, o, 3, buf[o] & 1);
  t.add(F.lg, o, 3, (buf[o] >> 1) & 1, HIDDEN);
  t.add(F.ig, o, 3, buf[o] & 1, HIDDEN);
  t.close();
}

linkTypeTable.add(LINKTYPE.ETHERNET, dissectEthernet);
