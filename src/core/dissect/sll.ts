// Linux "cooked" capture headers (LINKTYPE_LINUX_SLL, 113), which tcpdump -i any writes: packet
// type, link-layer address type and source address, then the protocol (an EtherType, or a Linux
// protocol number for non-Ethernet payloads). SLL v2 (sll2.ts) reorders the same fields.

import { defineFields, valueStrings } from './fields.js';
import { ethertypeTable, linkTypeTable } from './tables.js';
import type { Packet } from './packet.js';
import { formatBytesHex, formatIPv4, formatMac, u16, u32 } from './bytes.js';
import { ETHERTYPE_NAMES, dissectEthertype } from './ethertype.js';
import { ARP_HARDWARE_NAMES } from './arp.js';
import { dissectLlc } from './llc.js';
import { dissectEthernet } from './ethernet.js';
import { dissectPppHdlc } from './ppp.js';
import { dissectData } from './data.js';
import { LINKTYPE } from './linktypes.js';

export const SLL_PACKET_TYPES = valueStrings({
  0: 'Unicast to us',
  1: 'Broadcast',
  2: 'Multicast',
  3: 'Unicast to another host',
  4: 'Sent by us',
});

const LINUX_PROTOCOL_NAMES = valueStrings({
  0x0001: 'Raw 802.3',
  0x0003: 'Ethernet',
  0x0004: '802.2 LLC',
  0x0007: 'PPP (HDLC)',
  0x000c: 'CAN',
  0x000d: 'CAN FD',
  0x0017: 'IrDA LAP',
  0x00f5: 'ISI',
  0x00f6: 'IEEE 802.15.4',
});

export const sllFields = defineFields({
  sll: { abbrev: 'sll', name: 'Linux cooked-mode capture', type: 'protocol' },
  pkttype: {
    abbrev: 'sll.pkttype',
    name: 'Packet type',
    type: 'uint',
    bits: 16,
    base: 'dec',
    strings: SLL_PACKET_TYPES,
  },
  hatype: {
    abbrev: 'sll.hatype',
    name: 'Link-layer address type',
    type: 'uint',
    bits: 16,
    base: 'dec',
    strings: ARP_HARDWARE_NAMES,
  },
  halen: { abbrev: 'sll.halen', name: 'Link-layer address length', type: 'uint', bits: 16, base: 'dec' },
  srcEth: { abbrev: 'sll.src.eth', name: 'Source', type: 'ether' },
  srcIpv4: { abbrev: 'sll.src.ipv4', name: 'Source', type: 'ipv4' },
  srcOther: { abbrev: 'sll.src.other', name: 'Source', type: 'bytes' },
  unused: { abbrev: 'sll.unused', name: 'Unused', type: 'bytes' },
  ltype: { abbrev: 'sll.ltype', name: 'Protocol', type: 'uint', bits: 16, base: 'hex', strings: LINUX_PROTOCOL_NAMES },
  gretype: { abbrev: 'sll.gretype', name: 'Protocol', type: 'uint', bits: 16, base: 'hex', strings: ETHERTYPE_NAMES },
  etype: { abbrev: 'sll.etype', name: 'Protocol', type: 'uint', bits: 16, base: 'hex', strings: ETHERTYPE_NAMES },
  trailer: { abbrev: 'sll.trailer', name: 'Trailer', type: 'bytes' },
  ifindex: { abbrev: 'sll.ifindex', name: 'Interface index', type: 'uint', bits: 32, base: 'dec' },
});

const F = sllFields;
const SLL_HEADER = 16;
const ADDR_LEN = 8;
const ARPHRD_IPGRE = 778;
const ARPHRD_NETLINK = 824;
/** Protocol values up to this are Linux protocol numbers (ETH_P_802_2 and friends), not EtherTypes. */
const MAX_LINUX_PROTOCOL = 1536;
const LINUX_SLL_P_802_3 = 0x0001;
const LINUX_SLL_P_ETHERNET = 0x0003;
const LINUX_SLL_P_802_2 = 0x0004;
const LINUX_SLL_P_PPPHDLC = 0x0007;

/**
 * The link-layer source address (halen bytes of the 8-byte field at `o`), then the unused rest
 * of the field; sets the Source column as Wireshark's dl_src.
 */
export function sllAddress(p: Packet, buf: Uint8Array, o: number, halen: number): void {
  const t = p.tree;
  if (halen === 6) {
    t.add(F.srcEth, o, 6);
    if (p.wantColumns) p.setAddresses(formatMac(buf, o), '');
  } else if (halen === 4) {
    const a = u32(buf, o);
    t.add(F.srcIpv4, o, 4, a);
    if (p.wantColumns) p.setAddresses(formatIPv4(a), '');
  } else if (halen !== 0) {
    const n = Math.min(halen, ADDR_LEN);
    t.add(F.srcOther, o, n);
    if (p.wantColumns) p.setAddresses(formatBytesHex(buf, o, n), '');
  }
  if (halen < ADDR_LEN) t.add(F.unused, o + halen, ADDR_LEN - halen);
}

/** The protocol field at `o`: a Linux protocol number, a GRE protocol type or an EtherType. */
export function sllProtocolItem(p: Packet, o: number, protocol: number, hatype: number): void {
  const t = p.tree;
  if (protocol <= MAX_LINUX_PROTOCOL || hatype === ARPHRD_NETLINK) t.add(F.ltype, o, 2, protocol);
  else if (hatype === ARPHRD_IPGRE) t.add(F.gretype, o, 2, protocol);
  else t.add(F.etype, o, 2, protocol);
}

/** Hands the payload at buf[payload..end) on by the protocol field (the sll tree is closed). */
export function sllDispatch(
  p: Packet,
  buf: Uint8Array,
  protocol: number,
  hatype: number,
  payload: number,
  end: number,
): void {
  if (protocol <= MAX_LINUX_PROTOCOL) {
    switch (protocol) {
      case LINUX_SLL_P_802_2:
        dissectLlc(p, buf, payload, end);
        return;
      case LINUX_SLL_P_ETHERNET:
        dissectEthernet(p, buf, payload, end);
        return;
      case LINUX_SLL_P_PPPHDLC:
        dissectPppHdlc(p, buf, payload, end);
        return;
      case LINUX_SLL_P_802_3:
      default:
        dissectData(p, buf, payload, end);
        return;
    }
  }
  if (hatype === ARPHRD_IPGRE) {
    // GRE tunnels carry the GRE protocol type, an EtherType, without the ethertype layer.
    const next = ethertypeTable.get(protocol);
    if (next) next(p, buf, payload, end);
    else dissectData(p, buf, payload, end);
    return;
  }
  if (hatype === ARPHRD_NETLINK) {
    dissectData(p, buf, payload, end);
    return;
  }
  // Wireshark's Ethernet trailer rules (padding up to the frame's 60th byte) apply here too.
  dissectEthertype(p, protocol, buf, payload, end, { minFrame: 60, field: F.trailer });
}

export function dissectSll(p: Packet, buf: Uint8Array, off: number, end: number): void {
  const t = p.tree;
  p.addLayer('sll');
  p.setProtocol('SLL');
  p.setInfo('');
  const capEnd = Math.min(end, buf.length);
  if (p.short('SLL', buf, off, 2, end)) return;
  const pkttype = u16(buf, off);
  if (p.wantColumns) p.setInfo(SLL_PACKET_TYPES.get(pkttype) ?? `Unknown (${pkttype})`);
  const top = t.add(F.sll, off, Math.min(SLL_HEADER, capEnd - off));
  t.setLabel(top, 'Linux cooked capture v1');
  t.open(top);
  t.add(F.pkttype, off, 2, pkttype);
  if (p.short('SLL', buf, off, 6, end)) return;
  const hatype = u16(buf, off + 2);
  const halen = u16(buf, off + 4);
  t.add(F.hatype, off + 2, 2, hatype);
  t.add(F.halen, off + 4, 2, halen);
  if (p.short('SLL', buf, off, SLL_HEADER, end)) return;
  sllAddress(p, buf, off + 6, halen);
  const protocol = u16(buf, off + 14);
  sllProtocolItem(p, off + 14, protocol, hatype);
  t.close();
  sllDispatch(p, buf, protocol, hatype, off + SLL_HEADER, end);
}

linkTypeTable.add(LINKTYPE.LINUX_SLL, dissectSll);
