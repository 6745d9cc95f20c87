// The ethertype pseudo-layer (as in Wireshark: "eth:ethertype:ip"): hands a payload to the
// dissector registered for its EtherType, and shows what the payload did not use as a trailer.

import { defineFields, valueStrings } from './fields.js';
import { ethertypeTable } from './tables.js';
import type { Packet } from './packet.js';
import { dissectData } from './data.js';

export const ETHERTYPE_NAMES = valueStrings({
  0x0800: 'IPv4',
  0x0806: 'ARP',
  0x0842: 'Wake on LAN',
  0x8035: 'RARP',
  0x809b: 'AppleTalk',
  0x8100: '802.1Q Virtual LAN',
  0x8137: 'Netware IPX/SPX',
  0x86dd: 'IPv6',
  0x8808: 'MAC Control',
  0x8847: 'MPLS label switched packet',
  0x8848: 'MPLS multicast label switched packet',
  0x8863: 'PPPoE Discovery',
  0x8864: 'PPPoE Session',
  0x888e: '802.1X Authentication',
  0x88a8: '802.1ad Provider Bridge (Q-in-Q)',
  0x88cc: '802.1 Link Layer Discovery Protocol (LLDP)',
  0x88e5: '802.1AE (MACsec)',
  0x88f7: 'PTPv2 over Ethernet (IEEE1588)',
  0x8906: 'Fibre Channel over Ethernet',
  0x9000: 'Configuration Test Protocol (loopback)',
  0x9100: 'QinQ: old non-standard 802.1ad',
});

export const ethertypeFields = defineFields({
  trailer: { abbrev: 'eth.trailer', name: 'Trailer', type: 'bytes' },
  padding: { abbrev: 'eth.padding', name: 'Padding', type: 'bytes' },
});

/**
 * Dissects buf[off..end) as the payload of EtherType `type`. `minFrame` > 0 marks an Ethernet
 * frame, whose unused tail up to 60 bytes is padding and the rest a trailer. `trailerField` is
 * the parent's trailer field (eth.trailer, vlan.trailer, sll.trailer), as Wireshark's
 * ethertype_data.trailer_id.
 */
export function dissectEthertype(
  p: Packet,
  type: number,
  buf: Uint8Array,
  off: number,
  end: number,
  minFrame = 0,
  trailerField = ethertypeFields.trailer,
): void {
  p.addLayer('ethertype');
  const next = ethertypeTable.get(type);
  if (!next) {
    dissectData(p, buf, off, end);
    return;
  }
  const used = next(p, buf, off, end);
  if (typeof used !== 'number' || used >= end) return;
  addEthernetTrailer(p, buf, used, end, minFrame, trailerField);
}

/**
 * Shows buf[used..end) (the captured part) as padding and trailer, as Wireshark's
 * add_ethernet_trailer: padding fills the frame up to `minFrame` only when the frame reaches
 * that size and the padding bytes are all zero (its "Zeros" default); the rest is a trailer.
 */
export function addEthernetTrailer(
  p: Packet,
  buf: Uint8Array,
  used: number,
  end: number,
  minFrame = 0,
  trailerField = ethertypeFields.trailer,
): void {
  const capEnd = Math.min(end, buf.length);
  if (used >= capEnd) return;
  const t = p.tree;
  let padEnd = used;
  if (minFrame > 0 && end >= minFrame && used < minFrame) {
    padEnd = Math.min(capEnd, minFrame);
    for (let i = used; i < padEnd; i++) {
      if (buf[i] !== 0) {
        padEnd = used;
        break;
      }
    }
  }
  if (padEnd > used) t.add(ethertypeFields.padding, used, padEnd - used);
  if (capEnd > padEnd) t.add(trailerField, padEnd, capEnd - padEnd);
}
