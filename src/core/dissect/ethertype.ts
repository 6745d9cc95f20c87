// The ethertype pseudo-layer (as in Wireshark: "eth:ethertype:ip"): hands a payload to the
// dissector registered for its EtherType, and shows what the payload did not use as a trailer.

import { defineFields, valueStrings } from './fields.js';
import { ethertypeTable } from './tables.js';
import type { Packet } from './packet.js';
import { dissectData } from './data.js';
import { CHECKSUM, CHECKSUM_STATUS } from './checksum.js';
import { GENERATED } from './tree.js';

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
  fcs: { abbrev: 'eth.fcs', name: 'Frame check sequence', type: 'uint', bits: 32, base: 'hex' },
  fcsStatus: {
    abbrev: 'eth.fcs.status',
    name: 'FCS Status',
    type: 'uint',
    bits: 8,
    base: 'none',
    strings: CHECKSUM_STATUS,
  },
});

/**
 * Where a trailer goes and what it may hold (Wireshark's ethertype_data): `minFrame` > 0 marks an
 * Ethernet frame, whose unused tail up to that offset (its 60th byte) may be padding; `field` is
 * the parent's trailer field (eth.trailer, vlan.trailer, sll.trailer); `parent` the tree item it
 * goes under (the link layer's, -1: the top level); `fcsLen` 4 when the frame ends with an FCS,
 * 0 when it has none, -1 when unknown (the Ethernet default: a trailer of 4 bytes or more on a
 * frame of 64 bytes or more is taken to end with one); `frameStart` where the frame begins.
 */
export interface TrailerPlace {
  minFrame: number;
  field: number;
  parent: number;
  fcsLen: number;
  frameStart: number;
}

const NO_TRAILER_PLACE: TrailerPlace = {
  minFrame: 0,
  field: ethertypeFields.trailer,
  parent: -1,
  fcsLen: 0,
  frameStart: 0,
};

/**
 * Dissects buf[off..end) as the payload of EtherType `type`, then shows what the payload did not
 * use as padding, trailer and FCS (see TrailerPlace).
 */
export function dissectEthertype(
  p: Packet,
  type: number,
  buf: Uint8Array,
  off: number,
  end: number,
  place: Partial<TrailerPlace> = {},
): void {
  p.addLayer('ethertype');
  const next = ethertypeTable.get(type);
  if (!next) {
    dissectData(p, buf, off, end);
    return;
  }
  const used = next(p, buf, off, end);
  if (typeof used !== 'number' || used >= end) return;
  addEthernetTrailer(p, buf, used, end, place);
}

/**
 * Shows buf[used..end) as Wireshark's add_ethernet_trailer does (with its default "padding:
 * zeros" preference): the bytes up to `minFrame` are padding if they are all zero (else the
 * whole rest is trailer, with a note that non-zero padding may hide in it); then, when the frame
 * has or is taken to have an FCS, its last 4 bytes are the FCS (unverified, as Wireshark does by
 * default); the rest is trailer. Only what was captured is shown.
 */
export function addEthernetTrailer(
  p: Packet,
  buf: Uint8Array,
  used: number,
  end: number,
  placed: Partial<TrailerPlace> = {},
): void {
  const place = { ...NO_TRAILER_PLACE, ...placed };
  const capEnd = Math.min(end, buf.length);
  if (used >= capEnd) return;
  const t = p.tree;
  let length = capEnd - used;
  let reported = end - used;
  let padding = 0;
  const maybePadded = place.minFrame > 0 && end >= place.minFrame && used < place.minFrame;
  if (maybePadded) {
    padding = Math.min(place.minFrame, capEnd) - used;
    for (let i = used; i < used + padding; i++) {
      if (buf[i] !== 0) {
        padding = 0;
        break;
      }
    }
    length -= padding;
    reported -= padding;
  }
  let fcs = false;
  if (place.fcsLen === 4 || (place.fcsLen < 0 && end - place.frameStart >= 64 && reported >= 4)) {
    reported -= 4;
    length = Math.min(length - (length >= reported + 4 ? 4 : 0), reported);
    fcs = true;
  }
  t.open(place.parent);
  if (padding > 0) t.add(ethertypeFields.padding, used, padding);
  if (length > 0) {
    const i = t.add(place.field, used + padding, length);
    if (maybePadded && padding === 0) {
      t.open(i);
      p.expert(
        'Ethertype',
        'eth.padding_bad',
        'note',
        'protocol',
        "Didn't find padding of zeros, and an undecoded trailer exists. There may be padding of non-zeros.",
        used,
        length,
      );
      t.close();
    }
  }
  const at = used + padding + length;
  if (fcs && at + 4 <= capEnd) {
    const value = ((buf[at] << 24) | (buf[at + 1] << 16) | (buf[at + 2] << 8) | buf[at + 3]) >>> 0;
    const fi = t.add(ethertypeFields.fcs, at, 4, value);
    if (t.full) t.setLabel(fi, `Frame check sequence: 0x${value.toString(16).padStart(8, '0')} [unverified]`);
    const si = t.add(ethertypeFields.fcsStatus, at, 4, CHECKSUM.UNVERIFIED, GENERATED);
    if (t.full) t.setLabel(si, '[FCS Status: Unverified]');
  }
  t.close();
}
