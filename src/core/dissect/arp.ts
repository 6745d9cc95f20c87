// ARP and RARP (RFC 826, RFC 903, Inverse ARP RFC 2390): the header, the sender and target
// addresses, Wireshark's Info texts (gratuitous ARP, ARP probe and announcement) and its
// detection of an IPv4 address claimed by two MAC addresses across the capture.

import { defineFields, valueStrings } from './fields.js';
import { ethertypeTable } from './tables.js';
import type { Packet } from './packet.js';
import { formatBytesHex, formatIPv4, formatMac, u16, u32 } from './bytes.js';
import { ETHERTYPE_NAMES } from './ethertype.js';
import { GENERATED } from './tree.js';

/** ARP hardware types (also Linux's ARPHRD_ values, which the cooked capture headers carry). */
export const ARP_HARDWARE_NAMES = valueStrings({
  0: 'NET/ROM pseudo',
  1: 'Ethernet',
  2: 'Experimental Ethernet',
  3: 'AX.25',
  4: 'ProNET',
  5: 'Chaos',
  6: 'IEEE 802',
  7: 'ARCNET',
  8: 'Hyperchannel',
  9: 'Lanstar',
  10: 'Autonet Short Address',
  11: 'Localtalk',
  12: 'LocalNet',
  13: 'Ultra link',
  14: 'SMDS',
  15: 'Frame Relay DLCI',
  16: 'ATM',
  17: 'HDLC',
  18: 'Fibre Channel',
  19: 'ATM (RFC 2225)',
  20: 'Serial Line',
  21: 'ATM',
  22: 'MIL-STD-188-220',
  23: 'Metricom STRIP',
  24: 'IEEE 1394.1995',
  25: 'MAPOS',
  26: 'Twinaxial',
  27: 'EUI-64',
  28: 'HIPARP',
  29: 'IP and ARP over ISO 7816-3',
  30: 'ARPSec',
  31: 'IPsec tunnel',
  32: 'InfiniBand',
  33: 'TIA-102 Project 25 CAI',
  34: 'Wiegand Interface',
  35: 'Pure IP',
  36: 'Experimental 1',
  37: 'HFI',
  256: 'Experimental 2',
  257: 'AEthernet',
  260: 'Notional KISS type',
  264: 'ADAPT',
  270: 'ROSE',
  271: 'CCITT X.25',
  272: 'Boards with X.25 in firmware',
  280: 'Controller Area Network',
  512: 'PPP',
  513: 'Cisco HDLC',
  516: 'LAPB',
  517: "Digital's DDCMP protocol",
  518: 'Raw HDLC',
  519: 'Raw IP',
  768: 'IPIP tunnel',
  769: 'IP6IP6 tunnel',
  770: 'Frame Relay Access Device',
  771: 'SKIP vif',
  772: 'Loopback',
  774: 'Fiber Distributed Data Interface',
  775: 'AP1000 BIF',
  776: 'sit0 device - IPv6-in-IPv4',
  777: 'IP over DDP tunneller',
  778: 'GRE over IP',
  779: 'PIMSM register interface',
  780: 'High Performance Parallel Interface',
  781: 'Nexus 64Mbps Ash',
  782: 'Acorn Econet',
  783: 'Linux-IrDA',
  784: 'Point to point fibrechannel',
  785: 'Fibrechannel arbitrated loop',
  786: 'Fibrechannel public loop',
  787: 'Fibrechannel fabric',
  800: 'Magic type ident for TR',
  801: 'IEEE 802.11',
  802: 'IEEE 802.11 + Prism2 header',
  803: 'IEEE 802.11 + radiotap header',
  804: 'IEEE 802.15.4',
  805: 'IEEE 802.15.4 network monitor',
  820: 'PhoNet media type',
  821: 'PhoNet pipe header',
  822: 'CAIF media type',
  823: 'GRE over IPv6',
  824: 'Netlink',
  825: 'IPv6 over LoWPAN',
  826: 'Vsock monitor header',
  65534: 'zero header length',
  65535: 'Void type, nothing is known',
});

const OPCODE_NAMES = valueStrings({
  0: 'reserved',
  1: 'request',
  2: 'reply',
  3: 'reverse request',
  4: 'reverse reply',
  5: 'drarp request',
  6: 'drarp reply',
  7: 'drarp error',
  8: 'inverse request',
  9: 'inverse reply',
  10: 'arp nak',
  11: 'mars request',
  12: 'mars multi',
  13: 'mars mserv',
  14: 'mars join',
  15: 'mars leave',
  16: 'mars nak',
  17: 'mars unserv',
  18: 'mars sjoin',
  19: 'mars sleave',
  20: 'mars grouplist request',
  21: 'mars grouplist reply',
  22: 'mars redirect map',
  23: 'mapos unarp',
  24: 'experimental 1',
  25: 'experimental 2',
  65535: 'reserved',
});

const DRARP_ERROR_NAMES = valueStrings({ 1: 'restricted', 2: 'no address', 3: 'serverdown', 4: 'moved', 5: 'failure' });
const TRUE_FALSE: readonly [string, string] = ['True', 'False'];

export const arpFields = defineFields({
  arp: { abbrev: 'arp', name: 'Address Resolution Protocol', type: 'protocol' },
  hwType: {
    abbrev: 'arp.hw.type',
    name: 'Hardware type',
    type: 'uint',
    bits: 16,
    base: 'dec',
    strings: ARP_HARDWARE_NAMES,
  },
  protoType: {
    abbrev: 'arp.proto.type',
    name: 'Protocol type',
    type: 'uint',
    bits: 16,
    base: 'hex',
    strings: ETHERTYPE_NAMES,
  },
  hwSize: { abbrev: 'arp.hw.size', name: 'Hardware size', type: 'uint', bits: 8, base: 'dec' },
  protoSize: { abbrev: 'arp.proto.size', name: 'Protocol size', type: 'uint', bits: 8, base: 'dec' },
  opcode: { abbrev: 'arp.opcode', name: 'Opcode', type: 'uint', bits: 16, base: 'dec', strings: OPCODE_NAMES },
  isGratuitous: { abbrev: 'arp.isgratuitous', name: 'Is gratuitous', type: 'bool', trueFalse: TRUE_FALSE },
  isProbe: { abbrev: 'arp.isprobe', name: 'Is probe', type: 'bool', trueFalse: TRUE_FALSE },
  isAnnouncement: { abbrev: 'arp.isannouncement', name: 'Is announcement', type: 'bool', trueFalse: TRUE_FALSE },
  srcHw: { abbrev: 'arp.src.hw', name: 'Sender hardware address', type: 'bytes' },
  srcHwMac: { abbrev: 'arp.src.hw_mac', name: 'Sender MAC address', type: 'ether' },
  srcProto: { abbrev: 'arp.src.proto', name: 'Sender protocol address', type: 'bytes' },
  srcProtoIpv4: { abbrev: 'arp.src.proto_ipv4', name: 'Sender IP address', type: 'ipv4' },
  dstHw: { abbrev: 'arp.dst.hw', name: 'Target hardware address', type: 'bytes' },
  dstHwMac: { abbrev: 'arp.dst.hw_mac', name: 'Target MAC address', type: 'ether' },
  dstProto: { abbrev: 'arp.dst.proto', name: 'Target protocol address', type: 'bytes' },
  dstProtoIpv4: { abbrev: 'arp.dst.proto_ipv4', name: 'Target IP address', type: 'ipv4' },
  drarpError: {
    abbrev: 'arp.dst.drarp_error_status',
    name: 'DRARP error status',
    type: 'uint',
    bits: 16,
    base: 'dec',
    strings: DRARP_ERROR_NAMES,
  },
  duplicateFrame: {
    abbrev: 'arp.duplicate-address-frame',
    name: 'Frame showing earlier use of IP address',
    type: 'framenum',
  },
  duplicateSeconds: {
    abbrev: 'arp.seconds-since-duplicate-address-frame',
    name: 'Seconds since earlier frame seen',
    type: 'uint',
    bits: 32,
    base: 'dec',
  },
});

const F = arpFields;
const HEADER_LEN = 8;
const OP_REQUEST = 1;
const OP_REPLY = 2;
const OP_RREQUEST = 3;
const OP_RREPLY = 4;
const OP_DRARP_REQUEST = 5;
const OP_DRARP_REPLY = 6;
const OP_DRARP_ERROR = 7;
const OP_IREQUEST = 8;
const OP_IREPLY = 9;
const OP_NAK = 10;

/** Where an IPv4 address was last seen bound to a MAC address (per capture). */
interface Binding {
  mac: number;
  frame: number;
  time: number;
}

/** What the duplicate check found for one frame, kept so a frame dissected again shows the same. */
interface Duplicate {
  ip: number;
  mac: number;
  earlier: Binding;
}

interface ArpState {
  bindings: Map<number, Binding>;
  duplicates: Map<number, Duplicate[]>;
  /** The highest frame number whose bindings were recorded (Wireshark's "visited" test). */
  lastFrame: number;
}

function newState(): ArpState {
  return { bindings: new Map(), duplicates: new Map(), lastFrame: 0 };
}

function isEtherHw(hrd: number, hln: number): boolean {
  return (hrd === 1 || hrd === 6) && hln === 6;
}

function isIPv4Proto(pro: number, pln: number): boolean {
  // 0xcc is AX.25's PID for IP.
  return (pro === 0x0800 || pro === 0xcc) && pln === 4;
}

function hwText(buf: Uint8Array, o: number, len: number, hrd: number): string {
  if (len === 0) return '<No address>';
  if (isEtherHw(hrd, len)) return formatMac(buf, o);
  return formatBytesHex(buf, o, len);
}

function protoText(buf: Uint8Array, o: number, len: number, pro: number): string {
  if (len === 0) return '<No address>';
  if (isIPv4Proto(pro, len)) return formatIPv4(u32(buf, o));
  return formatBytesHex(buf, o, len);
}

function macNumber(buf: Uint8Array, o: number): number {
  return u16(buf, o) * 0x100000000 + u32(buf, o + 2);
}

function macText(mac: number): string {
  let s = '';
  for (let i = 5; i >= 0; i--) {
    const b = Math.floor(mac / 2 ** (8 * i)) % 256;
    s += (i < 5 ? ':' : '') + b.toString(16).padStart(2, '0');
  }
  return s;
}

function protocolColumn(op: number): string {
  if (op === OP_RREQUEST || op === OP_RREPLY) return 'RARP';
  if (op === OP_DRARP_REQUEST || op === OP_DRARP_REPLY || op === OP_DRARP_ERROR) return 'DRARP';
  if (op === OP_IREQUEST || op === OP_IREPLY) return 'Inverse ARP';
  if (op >= 11 && op <= 22) return 'MARS';
  if (op === 23) return 'MAPOS';
  return 'ARP';
}

const MARS_INFO: Record<number, string> = {
  11: 'MARS request from',
  12: 'MARS MULTI request from',
  13: 'MARS MSERV request from',
  14: 'MARS JOIN request from',
  15: 'MARS LEAVE from',
  16: 'MARS NAK from',
  17: 'MARS UNSERV request from',
  18: 'MARS SJOIN request from',
  19: 'MARS SLEAVE from',
  20: 'MARS grouplist request from',
  21: 'MARS grouplist reply from',
  22: 'MARS redirect map from',
  23: 'MAPOS UNARP request from',
};

export function dissectArp(p: Packet, buf: Uint8Array, off: number, end: number): number | void {
  const t = p.tree;
  p.addLayer('arp');
  p.setProtocol('ARP');
  p.setInfo('');
  if (p.short('ARP', buf, off, HEADER_LEN, end)) return;
  const hrd = u16(buf, off);
  const pro = u16(buf, off + 2);
  const hln = buf[off + 4];
  const pln = buf[off + 5];
  const op = u16(buf, off + 6);
  const totLen = HEADER_LEN + 2 * hln + 2 * pln;
  p.setProtocol(protocolColumn(op));
  if (p.short('ARP', buf, off, totLen, end)) return;
  const sha = off + HEADER_LEN;
  const spa = sha + hln;
  const tha = spa + pln;
  const tpa = tha + hln;

  const etherIPv4 = isEtherHw(hrd, hln) && isIPv4Proto(pro, pln);
  let duplicateIp = -1;
  let duplicateDetected = false;
  let found: Duplicate[] | undefined;
  if ((op === OP_REQUEST || op === OP_REPLY) && etherIPv4 && !p.inErrorPacket) {
    found = checkDuplicates(p, buf, sha, spa, tha, tpa, op);
    if (found) {
      // Wireshark's quirk: the target's check, when it runs, overrides the sender's verdict.
      const last = found[found.length - 1];
      duplicateDetected = last.ip >= 0;
      duplicateIp = last.ip;
      found = found.filter((d) => d.ip >= 0);
      if (!found.length) found = undefined;
    }
  }

  // Same sender and target protocol address: a gratuitous ARP (RFC 5227 probes and announcements).
  let isGratuitous = false;
  let isProbe = false;
  let isAnnouncement = false;
  const thaZero = tha + 6 <= Math.min(end, buf.length) && allZero(buf, tha, 6);
  if (op === OP_REQUEST || op === OP_REPLY) {
    if (equalBytes(buf, spa, tpa, pln)) {
      isGratuitous = true;
      isAnnouncement = op === OP_REQUEST && thaZero;
    } else {
      isProbe = op === OP_REQUEST && thaZero && spa + 4 <= Math.min(end, buf.length) && u32(buf, spa) === 0;
    }
  }

  if (p.wantColumns) {
    p.setInfo(infoText(buf, op, hrd, pro, hln, pln, sha, spa, tha, tpa, isGratuitous, isProbe, isAnnouncement));
  }

  const top = t.add(F.arp, off, totLen);
  if (t.full) {
    let opText = OPCODE_NAMES.get(op);
    if (opText !== undefined) {
      if (isGratuitous) opText = op === OP_REQUEST ? 'request/gratuitous ARP' : 'reply/gratuitous ARP';
      if (isProbe) opText = 'ARP Probe';
      if (isAnnouncement) opText = 'ARP Announcement';
      t.setLabel(top, `Address Resolution Protocol (${opText})`);
    } else {
      t.setLabel(top, `Address Resolution Protocol (opcode 0x${op.toString(16).padStart(4, '0')})`);
    }
  }
  t.open(top);
  t.add(F.hwType, off, 2, hrd);
  t.add(F.protoType, off + 2, 2, pro);
  t.add(F.hwSize, off + 4, 1, hln);
  t.add(F.protoSize, off + 5, 1, pln);
  t.add(F.opcode, off + 6, 2, op);
  if (isGratuitous) t.add(F.isGratuitous, 0, 0, 1, GENERATED);
  if (isProbe) t.add(F.isProbe, 0, 0, 1, GENERATED);
  if (isAnnouncement) t.add(F.isAnnouncement, 0, 0, 1, GENERATED);
  const ether = isEtherHw(hrd, hln);
  const ipv4 = isIPv4Proto(pro, pln);
  if (hln) t.add(ether ? F.srcHwMac : F.srcHw, sha, hln);
  if (pln) t.add(ipv4 ? F.srcProtoIpv4 : F.srcProto, spa, pln, ipv4 ? u32(buf, spa) : 0);
  if (hln) t.add(ether ? F.dstHwMac : F.dstHw, tha, hln);
  if (pln && op !== OP_DRARP_ERROR) t.add(ipv4 ? F.dstProtoIpv4 : F.dstProto, tpa, pln, ipv4 ? u32(buf, tpa) : 0);
  else if (pln) t.add(F.drarpError, tpa, 1, buf[tpa]);
  t.close();

  if (found) for (const d of found) duplicateItems(p, d);
  if (duplicateDetected && p.wantColumns) p.appendInfo(` (duplicate use of ${formatIPv4(duplicateIp)} detected!)`);
  return off + totLen;
}

function infoText(
  buf: Uint8Array,
  op: number,
  hrd: number,
  pro: number,
  hln: number,
  pln: number,
  sha: number,
  spa: number,
  tha: number,
  tpa: number,
  isGratuitous: boolean,
  isProbe: boolean,
  isAnnouncement: boolean,
): string {
  switch (op) {
    case OP_REQUEST:
      if (isGratuitous) {
        return isAnnouncement
          ? `ARP Announcement for ${protoText(buf, tpa, pln, pro)}`
          : `Gratuitous ARP for ${protoText(buf, tpa, pln, pro)} (Request)`;
      }
      if (isProbe) return `Who has ${protoText(buf, tpa, pln, pro)}? (ARP Probe)`;
      return `Who has ${protoText(buf, tpa, pln, pro)}? Tell ${protoText(buf, spa, pln, pro)}`;
    case OP_REPLY:
      if (isGratuitous) return `Gratuitous ARP for ${protoText(buf, spa, pln, pro)} (Reply)`;
      return `${protoText(buf, spa, pln, pro)} is at ${hwText(buf, sha, hln, hrd)}`;
    case OP_RREQUEST:
    case OP_IREQUEST:
    case OP_DRARP_REQUEST:
      return `Who is ${hwText(buf, tha, hln, hrd)}? Tell ${hwText(buf, sha, hln, hrd)}`;
    case OP_RREPLY:
    case OP_DRARP_REPLY:
      return `${hwText(buf, tha, hln, hrd)} is at ${protoText(buf, tpa, pln, pro)}`;
    case OP_DRARP_ERROR:
      return 'DRARP Error';
    case OP_IREPLY:
      return `${hwText(buf, sha, hln, hrd)} is at ${protoText(buf, spa, pln, pro)}`;
    case OP_NAK:
      return 'ARP NAK';
    case 24:
    case 25:
      return `Experimental ${op - 23} ( opcode ${op} )`;
    case 0:
    case 65535:
      return `Reserved opcode ${op}`;
    default: {
      const mars = MARS_INFO[op];
      if (mars) return `${mars} ${hwText(buf, sha, hln, hrd)} at ${protoText(buf, spa, pln, pro)}`;
      return `Unknown ARP opcode 0x${op.toString(16).padStart(4, '0')}`;
    }
  }
}

/**
 * Wireshark's duplicate-address check for the sender (and, except in requests, the target)
 * binding. Returns one entry per check that ran (ip -1 when it found nothing), or undefined.
 */
function checkDuplicates(
  p: Packet,
  buf: Uint8Array,
  sha: number,
  spa: number,
  tha: number,
  tpa: number,
  op: number,
): Duplicate[] | undefined {
  const state = p.session.protocolState('arp', newState);
  const frame = p.meta.number;
  const revisit = frame <= state.lastFrame;
  if (!revisit) state.lastFrame = frame;
  let out: Duplicate[] | undefined;
  let duplicateIp = -1;
  for (let k = 0; k < 2; k++) {
    const ha = k === 0 ? sha : tha;
    const ip = u32(buf, k === 0 ? spa : tpa);
    // Broadcast/multicast and all-zero MACs and the zero address say nothing about a binding.
    if ((buf[ha] & 1) !== 0 || allZero(buf, ha, 6) || ip === 0) continue;
    if (k === 1 && (op === OP_REQUEST || ip === duplicateIp)) continue;
    const mac = macNumber(buf, ha);
    let result: Duplicate | undefined;
    if (revisit) {
      result = state.duplicates.get(frame)?.find((d) => d.ip === ip);
    } else {
      const known = state.bindings.get(ip);
      if (known === undefined) state.bindings.set(ip, { mac, frame, time: p.meta.tsSec });
      else if (frame > known.frame) {
        if (known.mac === mac) {
          known.frame = frame;
          known.time = p.meta.tsSec;
        } else {
          result = { ip, mac, earlier: { ...known } };
          const list = state.duplicates.get(frame);
          if (list) list.push(result);
          else state.duplicates.set(frame, [result]);
        }
      }
    }
    if (result) duplicateIp = ip;
    (out ??= []).push(result ?? { ip: -1, mac, earlier: { mac: 0, frame: 0, time: 0 } });
  }
  return out;
}

function duplicateItems(p: Packet, d: Duplicate): void {
  const t = p.tree;
  const ipText = formatIPv4(d.ip);
  const s = t.full
    ? t.addText(
        0,
        0,
        `Duplicate IP address detected for ${ipText} (${macText(d.mac)}) - also in use by ${macText(d.earlier.mac)} (frame ${d.earlier.frame})`,
        GENERATED,
      )
    : -1;
  t.open(s);
  const fi = t.add(F.duplicateFrame, 0, 0, d.earlier.frame, GENERATED);
  t.open(fi);
  p.expert('arp', 'arp.duplicate-address-detected', 'warn', 'sequence', `Duplicate IP address configured (${ipText})`);
  t.close();
  t.add(F.duplicateSeconds, 0, 0, Math.max(0, p.meta.tsSec - d.earlier.time), GENERATED);
  t.close();
}

function allZero(buf: Uint8Array, o: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (buf[o + i] !== 0) return false;
  return true;
}

function equalBytes(buf: Uint8Array, a: number, b: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (buf[a + i] !== buf[b + i]) return false;
  return true;
}

ethertypeTable.add(0x0806, dissectArp);
ethertypeTable.add(0x8035, dissectArp);
