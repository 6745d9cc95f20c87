// PPP (RFC 1661) as a link layer (LINKTYPE_PPP, HDLC-like framing per RFC 1662), inside PPPoE
// sessions and GRE tunnels: the optional address/control bytes, the protocol field (possibly
// compressed to one byte, RFC 1661 section 6.5) and the hand-off by protocol number.

import { defineFields, valueStrings } from './fields.js';
import { ethertypeTable, linkTypeTable, pppProtoTable, type Dissector } from './tables.js';
import type { Packet } from './packet.js';
import { u16 } from './bytes.js';
import { dissectData } from './data.js';
import { LINKTYPE } from './linktypes.js';

/** PPP protocol numbers (Wireshark's ppp_vals). */
export const PPP_PROTOCOL_NAMES = valueStrings({
  0x0001: 'Padding Protocol',
  0x0003: 'ROHC small-CID',
  0x0005: 'ROHC large-CID',
  0x0021: 'Internet Protocol version 4',
  0x0023: 'OSI Network Layer',
  0x0025: 'Xerox NS IDP',
  0x0027: 'DECnet Phase IV',
  0x0029: 'Appletalk',
  0x002b: 'Novell IPX',
  0x002d: 'Van Jacobson Compressed TCP/IP',
  0x002f: 'Van Jacobson Uncompressed TCP/IP',
  0x0031: 'Bridging PDU',
  0x0033: 'Stream Protocol (ST-II)',
  0x0035: 'Banyan Vines',
  0x0039: 'AppleTalk EDDP',
  0x003b: 'AppleTalk SmartBuffered',
  0x003d: 'Multi-Link',
  0x003f: 'NETBIOS Framing',
  0x0041: 'Cisco Systems',
  0x0043: 'Ascom Timeplex',
  0x0045: 'Fujitsu Link Backup and Load Balancing (LBLB)',
  0x0047: 'DCA Remote Lan',
  0x0049: 'Serial Data Transport Protocol (PPP-SDTP)',
  0x004b: 'SNA over 802.2',
  0x004d: 'SNA',
  0x004f: 'IPv6 Header Compression ',
  0x0051: 'KNX Bridging Data',
  0x0053: 'Encryption',
  0x0055: 'Individual Link Encryption',
  0x0057: 'Internet Protocol version 6',
  0x0059: 'PPP Muxing',
  0x005b: 'Vendor-Specific Network Protocol (VSNP)',
  0x005d: 'TRILL Network Protocol (TNP)',
  0x0061: 'RTP IPHC Full Header',
  0x0063: 'RTP IPHC Compressed TCP',
  0x0065: 'RTP IPHC Compressed Non TCP',
  0x0067: 'RTP IPHC Compressed UDP 8',
  0x0069: 'RTP IPHC Compressed RTP 8',
  0x006f: 'Stampede Bridging',
  0x0073: 'MP+ Protocol',
  0x00c1: 'NTCITS IPI',
  0x00fb: 'Single link compression in multilink',
  0x00fd: 'Compressed datagram',
  0x0201: '802.1d Hello Packets',
  0x0203: 'IBM Source Routing BPDU',
  0x0205: 'DEC LANBridge100 Spanning Tree',
  0x0207: 'Cisco Discovery Protocol',
  0x0209: 'Netcs Twin Routing',
  0x020b: 'STP - Scheduled Transfer Protocol',
  0x020d: 'EDP - Extreme Discovery Protocol',
  0x0211: 'Optical Supervisory Channel Protocol (OSCP)',
  0x0213: 'Optical Supervisory Channel Protocol (OSCP)',
  0x0231: 'Luxcom',
  0x0233: 'Sigma Network Systems',
  0x0235: 'Apple Client Server Protocol',
  0x0281: 'MPLS Unicast',
  0x0283: 'MPLS Multicast',
  0x0285: 'IEEE p1284.4 standard - data packets',
  0x0287: 'ETSI TETRA Network Protocol Type 1',
  0x0289: 'Multichannel Flow Treatment Protocol',
  0x2063: 'RTP IPHC Compressed TCP No Delta',
  0x2065: 'RTP IPHC Context State',
  0x2067: 'RTP IPHC Compressed UDP 16',
  0x2069: 'RTP IPHC Compressed RTP 16',
  0x4001: 'Cray Communications Control Protocol',
  0x4003: 'CDPD Mobile Network Registration Protocol',
  0x4005: 'Expand accelerator protocol',
  0x4007: 'ODSICP NCP',
  0x4009: 'DOCSIS DLL',
  0x400b: 'Cetacean Network Detection Protocol',
  0x4021: 'Stacker LZS',
  0x4023: 'RefTek Protocol',
  0x4025: 'Fibre Channel',
  0x4027: 'EMIT Protocols',
  0x405b: 'Vendor-Specific Protocol (VSP)',
  0x405d: 'TRILL Link State Protocol (TLSP)',
  0x8021: 'Internet Protocol Control Protocol',
  0x8023: 'OSI Network Layer Control Protocol',
  0x8025: 'Xerox NS IDP Control Protocol',
  0x8027: 'DECnet Phase IV Control Protocol',
  0x8029: 'AppleTalk Control Protocol',
  0x802b: 'Novell IPX Control Protocol',
  0x8031: 'Bridging NCP',
  0x8033: 'Stream Protocol Control Protocol',
  0x8035: 'Banyan Vines Control Protocol',
  0x803d: 'Multi-Link Control Protocol',
  0x803f: 'NETBIOS Framing Control Protocol',
  0x8041: 'Cisco Systems Control Protocol',
  0x8043: 'Ascom Timeplex',
  0x8045: 'Fujitsu LBLB Control Protocol',
  0x8047: 'DCA Remote Lan Network Control Protocol (RLNCP)',
  0x8049: 'Serial Data Control Protocol (PPP-SDCP)',
  0x804b: 'SNA over 802.2 Control Protocol',
  0x804d: 'SNA Control Protocol',
  0x804f: 'IP6 Header Compression Control Protocol',
  0x8051: 'KNX Bridging Control Protocol',
  0x8053: 'Encryption Control Protocol',
  0x8055: 'Individual Link Encryption Control Protocol',
  0x8057: 'IPv6 Control Protocol',
  0x8059: 'PPP Muxing Control Protocol',
  0x805b: 'Vendor-Specific Network Control Protocol (VSNCP)',
  0x805d: 'TRILL Network Control Protocol',
  0x806f: 'Stampede Bridging Control Protocol',
  0x8073: 'MP+ Control Protocol',
  0x80c1: 'NTCITS IPI Control Protocol',
  0x80fb: 'Single link compression in multilink control',
  0x80fd: 'Compression Control Protocol',
  0x8207: 'Cisco Discovery Protocol Control Protocol',
  0x8209: 'Netcs Twin Routing',
  0x820b: 'STP - Control Protocol',
  0x820d: 'EDPCP - Extreme Discovery Protocol Control Protocol',
  0x8235: 'Apple Client Server Protocol Control',
  0x8281: 'MPLS Control Protocol',
  0x8285: 'IEEE p1284.4 standard - Protocol Control',
  0x8287: 'ETSI TETRA TNP1 Control Protocol',
  0x8289: 'Multichannel Flow Treatment Protocol',
  0xc021: 'Link Control Protocol',
  0xc023: 'Password Authentication Protocol',
  0xc025: 'Link Quality Report',
  0xc027: 'Shiva Password Authentication Protocol',
  0xc029: 'Callback Control Protocol (CBCP)',
  0xc02b: 'BACP Bandwidth Allocation Control Protocol',
  0xc02d: 'BAP Bandwidth Allocation Protocol',
  0xc05b: 'Vendor-Specific Authentication Protocol (VSAP)',
  0xc081: 'Container Control Protocol',
  0xc223: 'Challenge Handshake Authentication Protocol',
  0xc225: 'RSA Authentication Protocol',
  0xc227: 'Extensible Authentication Protocol',
  0xc229: 'Mitsubishi Security Information Exchange Protocol (SIEP)',
  0xc26f: 'Stampede Bridging Authorization Protocol',
  0xc281: 'Proprietary Authentication Protocol',
  0xc283: 'Proprietary Authentication Protocol',
  0xc481: 'Proprietary Node ID Authentication Protocol',
});

export const pppFields = defineFields({
  ppp: { abbrev: 'ppp', name: 'Point-to-Point Protocol', type: 'protocol' },
  address: { abbrev: 'ppp.address', name: 'Address', type: 'uint', bits: 8, base: 'hex' },
  control: { abbrev: 'ppp.control', name: 'Control', type: 'uint', bits: 8, base: 'hex' },
  protocol: {
    abbrev: 'ppp.protocol',
    name: 'Protocol',
    type: 'uint',
    bits: 16,
    base: 'hex',
    strings: PPP_PROTOCOL_NAMES,
  },
});

const F = pppFields;
const PPP_IP = 0x0021;
const PPP_IPV6 = 0x0057;

/** The dissector for PPP protocol `proto`: a registered one, or IPv4/IPv6 by their EtherTypes. */
function pppNext(proto: number): Dissector | undefined {
  const next = pppProtoTable.get(proto);
  if (next) return next;
  if (proto === PPP_IP) return ethertypeTable.get(0x0800);
  if (proto === PPP_IPV6) return ethertypeTable.get(0x86dd);
  return undefined;
}

/**
 * The protocol field at buf[o] (one byte when its low bit is set, i.e. compressed), under the
 * open PPP item `top`, then the payload.
 */
function pppCommon(p: Packet, buf: Uint8Array, off: number, o: number, end: number, top: number): void {
  const t = p.tree;
  if (p.short('PPP', buf, o, 1, end)) return;
  const compressed = (buf[o] & 1) === 1;
  const len = compressed ? 1 : 2;
  if (p.short('PPP', buf, o, len, end)) return;
  const proto = compressed ? buf[o] : u16(buf, o);
  t.add(F.protocol, o, len, proto);
  t.setLength(top, o + len - off);
  t.close();
  const payload = o + len;
  const next = pppNext(proto);
  if (next) {
    next(p, buf, payload, end);
    return;
  }
  if (p.wantColumns) {
    const hex = proto.toString(16).padStart(4, '0');
    p.setProtocol(`0x${hex}`);
    p.setInfo(`PPP ${PPP_PROTOCOL_NAMES.get(proto) ?? 'Unknown'} (0x${hex})`);
  }
  dissectData(p, buf, payload, end);
}

/** PPP without address and control bytes (PPPoE sessions). */
export function dissectPpp(p: Packet, buf: Uint8Array, off: number, end: number): void {
  const t = p.tree;
  p.addLayer('ppp');
  const top = t.add(F.ppp, off, 0);
  t.open(top);
  pppCommon(p, buf, off, off, end, top);
}

/** PPP in HDLC-like framing: 0xff 0x03 (address, control) unless compressed away (RFC 1662). */
export function dissectPppHdlc(p: Packet, buf: Uint8Array, off: number, end: number): void {
  const t = p.tree;
  p.addLayer('ppp');
  p.setProtocol('PPP');
  if (p.short('PPP', buf, off, 1, end)) return;
  const framed = buf[off] === 0xff;
  const top = t.add(F.ppp, off, 0);
  t.open(top);
  let o = off;
  if (framed) {
    t.add(F.address, off, 1, 0xff);
    if (p.short('PPP', buf, off + 1, 1, end)) return;
    t.add(F.control, off + 1, 1, buf[off + 1]);
    o += 2;
  }
  pppCommon(p, buf, off, o, end, top);
}

/** LINKTYPE_PPP: no link-layer addresses, so the address columns say N/A as Wireshark's do. */
function dissectPppLink(p: Packet, buf: Uint8Array, off: number, end: number): void {
  p.setAddresses('N/A', 'N/A');
  dissectPppHdlc(p, buf, off, end);
}

linkTypeTable.add(LINKTYPE.PPP, dissectPppLink);
// LINKTYPE_PPP_HDLC (50): PPP in HDLC-like framing (RFC 1662), with the same header.
linkTypeTable.add(50, dissectPppLink);
// EtherType 0x880b: PPP carried by GRE (PPTP) and the like.
ethertypeTable.add(0x880b, dissectPppHdlc);
