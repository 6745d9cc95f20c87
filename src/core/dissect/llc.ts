// IEEE 802.2 Logical-Link Control (inside 802.3 frames, VLAN tags with a length, Linux cooked
// captures), its SNAP extension (RFC 1042: OUI + EtherType), and the Spanning Tree Protocol BPDUs
// that LLC carries on SAP 0x42, as Wireshark's packet-llc.c, xdlc.c and packet-stp.c show them.

import { defineFields, valueStrings } from './fields.js';
import { DissectorTable, ethertypeTable } from './tables.js';
import type { Packet } from './packet.js';
import { formatMac, u16, u16le, u24, u32 } from './bytes.js';
import { ETHERTYPE_NAMES } from './ethertype.js';
import { dissectData } from './data.js';

const SAP_NAMES = valueStrings({
  0x00: 'NULL LSAP',
  0x02: 'LLC Sub-Layer Management',
  0x04: 'SNA Path Control',
  0x06: 'TCP/IP',
  0x08: 'SNA',
  0x0c: 'SNA',
  0x0e: 'PROWAY (IEC955) Network Management and Initialization',
  0x10: 'NetWare (unofficial?)',
  0x14: 'ISO Network Layer (OSLAN 1)',
  0x18: 'Texas Instruments',
  0x20: 'ISO Network Layer (unofficial?)',
  0x34: 'ISO Network Layer (unofficial?)',
  0x42: 'Spanning Tree BPDU',
  0x4e: 'EIA RS-511 Manufacturing Message Service',
  0x54: 'ISO Network Layer (OSLAN 2)',
  0x7e: 'ISO 8208 (X.25 over 802.2)',
  0x80: 'XNS',
  0x82: 'BACnet',
  0x86: 'Nestar',
  0x8e: 'PROWAY (IEC955) Active Station List Maintenance',
  0x98: 'ARP',
  0xaa: 'SNAP',
  0xb4: 'HP JetDirect Printer',
  0xba: 'Banyan Vines',
  0xbc: 'Banyan Vines',
  0xe0: 'NetWare',
  0xf0: 'NetBIOS',
  0xf4: 'IBM Net Management',
  0xf8: 'HP Extended LLC',
  0xfa: 'Ungermann-Bass',
  0xfc: 'Remote Program Load',
  0xfe: 'ISO Network Layer',
});
// The DSAP/SSAP fields name the whole byte; 0x01, 0x7f and 0xff have names of their own.
const SAP_BYTE_NAMES = valueStrings([...SAP_NAMES, [0x01, 'NULL LSAP'], [0x7f, 'ISO 802.2'], [0xff, 'Global LSAP']]);

// U-frame modifiers (control & 0xec), long names as the field shows them, keyed by the value
// shifted down by two (the field's mask is 0xec); short names as the Info column shows them.
const U_CMD_NAMES = valueStrings({
  0x00: 'Unnumbered Information',
  0x08: 'Unnumbered Poll',
  0x10: 'Disconnect',
  0x18: 'Unnumbered Acknowledge',
  0x20: 'Set Normal Response Mode',
  0x38: 'Test',
  0x01: 'Set Initialization Mode',
  0x21: 'Frame reject',
  0x31: 'Configure',
  0x03: 'Set Asynchronous Response Mode',
  0x0b: 'Set Asynchronous Balanced Mode',
  0x13: 'Set Asynchronous Response Mode Extended',
  0x1b: 'Set Asynchronous Balanced Mode Extended',
  0x23: 'Reset',
  0x2b: 'Exchange identification',
  0x33: 'Set Normal Response Mode Extended',
  0x3b: 'Beacon',
});
const U_RESP_NAMES = valueStrings([
  ...U_CMD_NAMES,
  [0x10, 'Request Disconnect'],
  [0x01, 'Request Initialization Mode'],
  [0x03, 'Disconnected mode'],
]);
const U_CMD_SHORT = valueStrings({
  0x00: 'UI',
  0x20: 'UP',
  0x40: 'DISC',
  0x60: 'UA',
  0x80: 'SNRM',
  0xe0: 'TEST',
  0x04: 'SIM',
  0x84: 'FRMR',
  0xc4: 'CFG',
  0x0c: 'SARM',
  0x2c: 'SABM',
  0x4c: 'SARME',
  0x6c: 'SABME',
  0x8c: 'RESET',
  0xac: 'XID',
  0xcc: 'SNRME',
  0xec: 'BCN',
});
const U_RESP_SHORT = valueStrings([...U_CMD_SHORT, [0x40, 'RD'], [0x04, 'RIM'], [0x0c, 'DM']]);
const S_SHORT = ['RR', 'RNR', 'REJ', 'SREJ'];
const FRAME_TYPE_NAMES = valueStrings({ 0: 'Information frame', 1: 'Supervisory frame', 3: 'Unnumbered frame' });

/** Organization names for the SNAP OUIs seen in practice (Wireshark takes them from its vendor list). */
const OUI_NAMES = valueStrings({
  0x000000: 'Officially Xerox, but 0:0:0:0:0:0 is more common',
  0x000006: 'Xerox Corporation',
  0x00000c: 'Cisco Systems, Inc',
  0x00005e: 'ICANN, IANA Department',
  0x000081: 'Bay Networks',
  0x0000f8: 'Digital Equipment Corporation',
  0x0001e8: 'Force10 Networks, Inc.',
  0x00037f: 'Atheros Communications, Inc.',
  0x000b86: 'Hewlett Packard Enterprise',
  0x000ecf: 'PROFIBUS Nutzerorganisation e.V.',
  0x000fac: 'Ieee 802.11',
  0x001090: 'Cimetrics, Inc.',
  0x00120f: 'Ieee 802.3',
  0x001958: 'Bluetooth SIG, Inc.',
  0x0050f2: 'Microsoft Corp.',
  0x0080c2: 'IEEE',
  0x00805f: 'Hewlett Packard',
  0x00a03e: 'Atm Forum',
  0x00e02b: 'Extreme Networks Headquarters',
  0x080006: 'Siemens Nixdorf',
  0x080007: 'Apple, Inc.',
  0x080009: 'Hewlett Packard',
  0x506f9a: 'Wi-Fi Alliance',
});

const CISCO_PID_NAMES = valueStrings({
  0x0102: 'DRIP',
  0x0104: 'PAgP',
  0x0105: 'MLS Hello',
  0x0108: 'RLQ BPDUs (request)',
  0x0109: 'RLQ BPDUs (response)',
  0x010b: 'PVSTP+',
  0x010c: 'VLAN Bridge',
  0x0111: 'UDLD',
  0x0139: 'MCP',
  0x2000: 'CDP',
  0x2001: 'CGMP',
  0x2003: 'VTP',
  0x2004: 'DTP',
  0x200a: 'STP Uplink Fast',
});

export const llcFields = defineFields({
  llc: { abbrev: 'llc', name: 'Logical-Link Control', type: 'protocol' },
  dsap: { abbrev: 'llc.dsap', name: 'DSAP', type: 'uint', bits: 8, base: 'hex', strings: SAP_BYTE_NAMES },
  dsapSap: { abbrev: 'llc.dsap.sap', name: 'SAP', type: 'uint', bits: 8, base: 'dec', mask: 0xfe },
  dsapIg: {
    abbrev: 'llc.dsap.ig',
    name: 'IG Bit',
    type: 'bool',
    bits: 8,
    mask: 0x01,
    trueFalse: ['Group', 'Individual'],
  },
  ssap: { abbrev: 'llc.ssap', name: 'SSAP', type: 'uint', bits: 8, base: 'hex', strings: SAP_BYTE_NAMES },
  ssapSap: { abbrev: 'llc.ssap.sap', name: 'SAP', type: 'uint', bits: 8, base: 'dec', mask: 0xfe },
  ssapCr: {
    abbrev: 'llc.ssap.cr',
    name: 'CR Bit',
    type: 'bool',
    bits: 8,
    mask: 0x01,
    trueFalse: ['Response', 'Command'],
  },
  control: { abbrev: 'llc.control', name: 'Control', type: 'uint', bits: 16, base: 'hex' },
  nr: { abbrev: 'llc.control.n_r', name: 'N(R)', type: 'uint', bits: 16, base: 'dec', mask: 0xfe00 },
  ns: { abbrev: 'llc.control.n_s', name: 'N(S)', type: 'uint', bits: 16, base: 'dec', mask: 0x00fe },
  poll: { abbrev: 'llc.control.p', name: 'Poll', type: 'bool', bits: 8, mask: 0x10, trueFalse: ['Set', 'Not set'] },
  final: { abbrev: 'llc.control.f', name: 'Final', type: 'bool', bits: 8, mask: 0x10, trueFalse: ['Set', 'Not set'] },
  sFtype: {
    abbrev: 'llc.control.s_ftype',
    name: 'Supervisory frame type',
    type: 'uint',
    bits: 16,
    base: 'hex',
    mask: 0x000c,
  },
  uCmd: {
    abbrev: 'llc.control.u_modifier_cmd',
    name: 'Command',
    type: 'uint',
    bits: 8,
    base: 'hex',
    mask: 0xec,
    strings: U_CMD_NAMES,
  },
  uResp: {
    abbrev: 'llc.control.u_modifier_resp',
    name: 'Response',
    type: 'uint',
    bits: 8,
    base: 'hex',
    mask: 0xec,
    strings: U_RESP_NAMES,
  },
  // Wireshark registers three "Frame type" fields (8-bit for U frames, 16-bit for I and S);
  // the registry keeps one abbrev, so it is the U-frame one and I/S frames get custom labels.
  ftype: {
    abbrev: 'llc.control.ftype',
    name: 'Frame type',
    type: 'uint',
    bits: 8,
    base: 'hex',
    mask: 0x03,
    strings: FRAME_TYPE_NAMES,
  },
  type: { abbrev: 'llc.type', name: 'Type', type: 'uint', bits: 16, base: 'hex', strings: ETHERTYPE_NAMES },
  oui: { abbrev: 'llc.oui', name: 'Organization Code', type: 'uint', bits: 24, base: 'dec' },
  pid: { abbrev: 'llc.pid', name: 'Protocol ID', type: 'uint', bits: 16, base: 'hex' },
  ciscoPid: { abbrev: 'llc.cisco_pid', name: 'PID', type: 'uint', bits: 16, base: 'hex', strings: CISCO_PID_NAMES },
});

/** LLC payloads by DSAP (Wireshark's "llc.dsap" table). */
export const llcSapTable = new DissectorTable('llc.dsap', 'LLC SAP');
/** SNAP payloads of Cisco's OUI by PID (Wireshark's "llc.cisco_pid" table). */
export const llcCiscoPidTable = new DissectorTable('llc.cisco_pid', 'LLC SNAP PID (Cisco)');

const F = llcFields;
const SAP_SNAP = 0xaa;
const OUI_ENCAP_ETHER = 0x000000;
const OUI_CISCO = 0x00000c;
const OUI_CISCO_90 = 0x0000f8;
const OUI_APPLE_ATALK = 0x080007;

function sapText(sap: number): string {
  return SAP_NAMES.get(sap) ?? `0x${sap.toString(16).padStart(2, '0')}`;
}

function hex(v: number, digits: number): string {
  return v.toString(16).toUpperCase().padStart(digits, '0');
}

/** "0100 001." style picture of the top `count` bits of `value` in an 8-bit byte. */
function bytePicture(value: number, mask: number): string {
  let s = '';
  for (let b = 7; b >= 0; b--) {
    s += mask & (1 << b) ? (value & (1 << b) ? '1' : '0') : '.';
    if (b === 4) s += ' ';
  }
  return s;
}

/** Dissects an 802.2 LLC header at buf[off..end) and its payload. */
export function dissectLlc(p: Packet, buf: Uint8Array, off: number, end: number): void {
  const t = p.tree;
  p.addLayer('llc');
  p.setProtocol('LLC');
  p.setInfo('');
  const capEnd = Math.min(end, buf.length);
  if (p.short('LLC', buf, off, 2, end)) return;
  const dsap = buf[off];
  const ssap = buf[off + 1];
  const isResponse = (ssap & 1) === 1;
  const top = t.add(F.llc, off, Math.min(3, capEnd - off));
  t.open(top);
  sapItem(p, buf, off, F.dsap, F.dsapSap, F.dsapIg, dsap);
  sapItem(p, buf, off + 1, F.ssap, F.ssapSap, F.ssapCr, ssap);
  if (p.short('LLC', buf, off + 2, 1, end)) return;
  // I and S frames carry a 2-byte little-endian control field (802.2 type 2 uses modulo 128).
  const first = buf[off + 2];
  const controlLen = (first & 3) === 3 ? 1 : 2;
  if (p.short('LLC', buf, off + 2, controlLen, end)) return;
  const control = controlLen === 1 ? first : u16le(buf, off + 2);
  controlItems(p, off + 2, control, controlLen, isResponse);
  let headerLen = 2 + controlLen;
  // XDLC_IS_INFORMATION: an I frame, or a UI frame without the poll bit.
  const isInformation = (control & 1) === 0 || control === 0x03;
  const isSnap = dsap === SAP_SNAP && ssap === SAP_SNAP;
  if (isSnap) {
    if (p.short('LLC', buf, off + headerLen, 5, end)) return;
    headerLen += 5;
    t.setLength(top, headerLen);
    dissectSnap(p, buf, off + 3, end, isInformation);
    return;
  }
  t.setLength(top, headerLen);
  t.close();
  if (p.wantColumns) {
    p.appendInfo(
      `; DSAP ${sapText(dsap & 0xfe)} ${dsap & 1 ? 'Group' : 'Individual'}, SSAP ${sapText(ssap & 0xfe)} ${isResponse ? 'Response' : 'Command'}`,
    );
  }
  const payload = off + headerLen;
  if (payload >= end) return;
  if (isInformation) {
    const next = llcSapTable.get(dsap) ?? (dsap === 0x06 ? ethertypeTable.get(0x0800) : undefined);
    if (next) {
      next(p, buf, payload, end);
      return;
    }
  }
  dissectData(p, buf, payload, end);
}

function sapItem(
  p: Packet,
  buf: Uint8Array,
  o: number,
  field: number,
  sapField: number,
  bitField: number,
  v: number,
): void {
  const t = p.tree;
  const i = t.add(field, o, 1, v);
  t.open(i);
  const s = t.add(sapField, o, 1, v >> 1);
  if (t.full) t.setLabel(s, `${bytePicture(v, 0xfe)} = SAP: ${SAP_NAMES.get(v & 0xfe) ?? 'Unknown'}`);
  t.add(bitField, o, 1, v & 1);
  t.close();
}

/** Wireshark's dissect_xdlc_control for LLC: the control item, its parts, and the Info text. */
function controlItems(p: Packet, o: number, control: number, len: number, isResponse: boolean): void {
  const t = p.tree;
  let info: string;
  const ci = t.add(F.control, o, len, control);
  t.open(ci);
  if (len === 1) {
    // Unnumbered frame.
    const modifier = control & 0xec;
    const short = (isResponse ? U_RESP_SHORT : U_CMD_SHORT).get(modifier) ?? 'Unknown';
    const pf = (control & 0x10) !== 0;
    info = pf ? `U${isResponse ? ' F' : ' P'}, func=${short}` : `U, func=${short}`;
    if (t.full) t.setLabel(ci, `Control field: ${info} (0x${hex(control, 2)})`);
    if (pf) t.add(isResponse ? F.final : F.poll, o, 1, 1);
    t.add(isResponse ? F.uResp : F.uCmd, o, 1, modifier >> 2);
    const fi = t.add(F.ftype, o, 1, 3);
    // Wireshark sizes the hex of a masked value to the mask (two bits: one digit).
    if (t.full) t.setLabel(fi, '.... ..11 = Frame type: Unnumbered frame (0x3)');
  } else if ((control & 1) === 0) {
    // Information frame: N(S) in the first byte, N(R) and P in the second.
    const nr = control >> 9;
    const ns = (control >> 1) & 0x7f;
    const pf = (control & 0x100) !== 0;
    info = `I${pf ? ' P' : ''}, N(R)=${nr}, N(S)=${ns}`;
    if (t.full) t.setLabel(ci, `Control field: ${info} (0x${hex(control, 4)})`);
    const r = t.add(F.nr, o, 2, nr);
    const s = t.add(F.ns, o, 2, ns);
    if (t.full) {
      t.setLabel(r, `${bits16(control, 0xfe00)} = N(R): ${nr}`);
      t.setLabel(s, `${bits16(control, 0x00fe)} = N(S): ${ns}`);
    }
    if (pf) {
      const pi = t.add(F.poll, o, 2, 1);
      if (t.full) t.setLabel(pi, `${bits16(control, 0x0100)} = Poll: Set`);
    }
    const fi = t.add(F.ftype, o, 2, 0);
    if (t.full) t.setLabel(fi, `${bits16(control, 0x0001)} = Frame type: Information frame (0x0)`);
  } else {
    // Supervisory frame.
    const nr = control >> 9;
    const stype = (control >> 2) & 3;
    const pf = (control & 0x100) !== 0;
    info = `S${pf ? (isResponse ? ' F' : ' P') : ''}, func=${S_SHORT[stype]}, N(R)=${nr}`;
    if (t.full) t.setLabel(ci, `Control field: ${info} (0x${hex(control, 4)})`);
    const r = t.add(F.nr, o, 2, nr);
    if (t.full) t.setLabel(r, `${bits16(control, 0xfe00)} = N(R): ${nr}`);
    if (pf) {
      const pi = t.add(isResponse ? F.final : F.poll, o, 2, 1);
      if (t.full) t.setLabel(pi, `${bits16(control, 0x0100)} = ${isResponse ? 'Final' : 'Poll'}: Set`);
    }
    const si = t.add(F.sFtype, o, 2, stype);
    if (t.full) {
      const names = ['Receiver ready', 'Receiver not ready', 'Reject', 'Selective reject'];
      t.setLabel(si, `${bits16(control, 0x000c)} = Supervisory frame type: ${names[stype]} (0x${stype.toString(16)})`);
    }
    const fi = t.add(F.ftype, o, 2, 1);
    if (t.full) t.setLabel(fi, `${bits16(control, 0x0003)} = Frame type: Supervisory frame (0x1)`);
  }
  t.close();
  if (p.wantColumns) p.setInfo(info);
}

function bits16(value: number, mask: number): string {
  let s = '';
  for (let b = 15; b >= 0; b--) {
    s += mask & (1 << b) ? (value & (1 << b) ? '1' : '0') : '.';
    if (b > 0 && b % 4 === 0) s += ' ';
  }
  return s;
}

/** SNAP (RFC 1042): OUI and protocol ID; OUI 0 (and Cisco's and Apple's) carries an EtherType. */
function dissectSnap(p: Packet, buf: Uint8Array, off: number, end: number, isInformation: boolean): void {
  const t = p.tree;
  const oui = u24(buf, off);
  const pid = u16(buf, off + 3);
  if (p.wantColumns) {
    p.appendInfo(`; SNAP, OUI 0x${hex(oui, 6)} (${OUI_NAMES.get(oui) ?? 'Unknown'}), PID 0x${hex(pid, 4)}`);
  }
  const oi = t.add(F.oui, off, 3, oui);
  if (t.full) {
    const name = OUI_NAMES.get(oui);
    const text = `${HEX(buf[off])}:${HEX(buf[off + 1])}:${HEX(buf[off + 2])}`;
    t.setLabel(oi, `Organization Code: ${text}${name ? ` (${name})` : ''}`);
  }
  const payload = off + 5;
  switch (oui) {
    case OUI_ENCAP_ETHER:
    case OUI_CISCO_90:
    case OUI_APPLE_ATALK: {
      if (!isInformation) break;
      t.add(F.type, off + 3, 2, pid);
      t.close();
      // SNAP hands the payload straight to the EtherType table: no "ethertype" layer.
      const next = ethertypeTable.get(pid);
      if (next) next(p, buf, payload, end);
      else dissectData(p, buf, payload, end);
      return;
    }
    case OUI_CISCO: {
      t.add(F.ciscoPid, off + 3, 2, pid);
      t.close();
      const next = isInformation ? llcCiscoPidTable.get(pid) : undefined;
      if (next) next(p, buf, payload, end);
      else dissectData(p, buf, payload, end);
      return;
    }
    default:
      t.add(F.pid, off + 3, 2, pid);
  }
  t.close();
  dissectData(p, buf, payload, end);
}

function HEX(b: number): string {
  return b.toString(16).padStart(2, '0');
}

// --- Spanning Tree Protocol (IEEE 802.1D/802.1w/802.1s BPDUs) -------------------------------

const STP_VERSION_NAMES = valueStrings({
  0: 'Spanning Tree',
  2: 'Rapid Spanning Tree',
  3: 'Multiple Spanning Tree',
  4: 'Shortest Path Tree',
});
const BPDU_TYPE_NAMES = valueStrings({
  0x00: 'Configuration',
  0x02: 'Rapid/Multiple Spanning Tree',
  0x80: 'Topology Change Notification',
});
const PORT_ROLE_NAMES = valueStrings({ 0: 'Unknown', 1: 'Alternate or Backup', 2: 'Root', 3: 'Designated' });
const YES_NO: readonly [string, string] = ['Yes', 'No'];

export const stpFields = defineFields({
  stp: { abbrev: 'stp', name: 'Spanning Tree Protocol', type: 'protocol' },
  protocol: {
    abbrev: 'stp.protocol',
    name: 'Protocol Identifier',
    type: 'uint',
    bits: 16,
    base: 'hex',
    strings: valueStrings({ 0: 'Spanning Tree Protocol' }),
  },
  version: {
    abbrev: 'stp.version',
    name: 'Protocol Version Identifier',
    type: 'uint',
    bits: 8,
    base: 'dec',
    strings: STP_VERSION_NAMES,
  },
  type: { abbrev: 'stp.type', name: 'BPDU Type', type: 'uint', bits: 8, base: 'hex', strings: BPDU_TYPE_NAMES },
  flags: { abbrev: 'stp.flags', name: 'BPDU flags', type: 'uint', bits: 8, base: 'hex' },
  tcack: {
    abbrev: 'stp.flags.tcack',
    name: 'Topology Change Acknowledgment',
    type: 'bool',
    bits: 8,
    mask: 0x80,
    trueFalse: YES_NO,
  },
  agreement: { abbrev: 'stp.flags.agreement', name: 'Agreement', type: 'bool', bits: 8, mask: 0x40, trueFalse: YES_NO },
  forwarding: {
    abbrev: 'stp.flags.forwarding',
    name: 'Forwarding',
    type: 'bool',
    bits: 8,
    mask: 0x20,
    trueFalse: YES_NO,
  },
  learning: { abbrev: 'stp.flags.learning', name: 'Learning', type: 'bool', bits: 8, mask: 0x10, trueFalse: YES_NO },
  portRole: {
    abbrev: 'stp.flags.port_role',
    name: 'Port Role',
    type: 'uint',
    bits: 8,
    base: 'dec',
    mask: 0x0c,
    strings: PORT_ROLE_NAMES,
  },
  proposal: { abbrev: 'stp.flags.proposal', name: 'Proposal', type: 'bool', bits: 8, mask: 0x02, trueFalse: YES_NO },
  tc: { abbrev: 'stp.flags.tc', name: 'Topology Change', type: 'bool', bits: 8, mask: 0x01, trueFalse: YES_NO },
  rootPrio: { abbrev: 'stp.root.prio', name: 'Root Bridge Priority', type: 'uint', bits: 16, base: 'dec' },
  rootExt: { abbrev: 'stp.root.ext', name: 'Root Bridge System ID Extension', type: 'uint', bits: 16, base: 'dec' },
  rootHw: { abbrev: 'stp.root.hw', name: 'Root Bridge System ID', type: 'ether' },
  rootCost: { abbrev: 'stp.root.cost', name: 'Root Path Cost', type: 'uint', bits: 32, base: 'dec' },
  bridgePrio: { abbrev: 'stp.bridge.prio', name: 'Bridge Priority', type: 'uint', bits: 16, base: 'dec' },
  bridgeExt: { abbrev: 'stp.bridge.ext', name: 'Bridge System ID Extension', type: 'uint', bits: 16, base: 'dec' },
  bridgeHw: { abbrev: 'stp.bridge.hw', name: 'Bridge System ID', type: 'ether' },
  port: { abbrev: 'stp.port', name: 'Port identifier', type: 'uint', bits: 16, base: 'hex' },
  msgAge: { abbrev: 'stp.msg_age', name: 'Message Age', type: 'float' },
  maxAge: { abbrev: 'stp.max_age', name: 'Max Age', type: 'float' },
  hello: { abbrev: 'stp.hello', name: 'Hello Time', type: 'float' },
  forward: { abbrev: 'stp.forward', name: 'Forward Delay', type: 'float' },
  version1Length: { abbrev: 'stp.version_1_length', name: 'Version 1 Length', type: 'uint', bits: 8, base: 'dec' },
  version3Length: { abbrev: 'mstp.version_3_length', name: 'Version 3 Length', type: 'uint', bits: 16, base: 'dec' },
});

const S = stpFields;
const BPDU_TYPE_CONFIG = 0x00;
const BPDU_TYPE_RST = 0x02;
const BPDU_TYPE_TCN = 0x80;
const CONFIG_BPDU_LEN = 35;

/** A Spanning Tree BPDU at buf[off..end). */
export function dissectStp(p: Packet, buf: Uint8Array, off: number, end: number): void {
  const t = p.tree;
  p.addLayer('stp');
  p.setProtocol('STP');
  p.setInfo('');
  const capEnd = Math.min(end, buf.length);
  if (p.short('STP', buf, off, 4, end)) return;
  const version = buf[off + 2];
  const type = buf[off + 3];
  const known = type === BPDU_TYPE_CONFIG || type === BPDU_TYPE_RST || type === BPDU_TYPE_TCN;
  const need = type === BPDU_TYPE_TCN || !known ? 4 : type === BPDU_TYPE_RST ? CONFIG_BPDU_LEN + 1 : CONFIG_BPDU_LEN;
  const top = t.add(S.stp, off, Math.min(need, capEnd - off));
  t.open(top);
  t.add(S.protocol, off, 2, u16(buf, off));
  t.add(S.version, off + 2, 1, version);
  t.add(S.type, off + 3, 1, type);
  if (type === BPDU_TYPE_TCN) {
    if (p.wantColumns) p.setInfo('Topology Change Notification');
    t.close();
    return;
  }
  if (!known) {
    if (p.wantColumns) p.setInfo(`Unknown BPDU type (${type})`);
    t.close();
    return;
  }
  if (p.short('STP', buf, off, need, end)) return;
  const flags = buf[off + 4];
  const rootId = u16(buf, off + 5);
  const cost = u32(buf, off + 13);
  const port = u16(buf, off + 25);
  if (p.wantColumns) {
    const lead = type === BPDU_TYPE_CONFIG ? 'Conf. ' : version === 3 ? 'MST. ' : version === 4 ? 'SPT. ' : 'RST. ';
    p.setInfo(
      `${lead}${flags & 1 ? 'TC + ' : ''}Root = ${rootId & 0xf000}/${rootId & 0x0fff}/${formatMac(buf, off + 7)}  Cost = ${cost}  Port = 0x${port.toString(16).padStart(4, '0')}`,
    );
  }
  flagItems(p, buf[off + 4], off + 4, type === BPDU_TYPE_RST);
  bridgeId(p, buf, off + 5, 'Root Identifier', S.rootPrio, S.rootExt, S.rootHw);
  t.add(S.rootCost, off + 13, 4, cost);
  bridgeId(p, buf, off + 17, 'Bridge Identifier', S.bridgePrio, S.bridgeExt, S.bridgeHw);
  t.add(S.port, off + 25, 2, port);
  // Times are in units of 1/256 second.
  t.add(S.msgAge, off + 27, 2, u16(buf, off + 27) / 256);
  t.add(S.maxAge, off + 29, 2, u16(buf, off + 29) / 256);
  t.add(S.hello, off + 31, 2, u16(buf, off + 31) / 256);
  t.add(S.forward, off + 33, 2, u16(buf, off + 33) / 256);
  if (type === BPDU_TYPE_RST) {
    t.add(S.version1Length, off + 35, 1, buf[off + 35]);
    if (version >= 3 && !p.short('STP', buf, off + 36, 2, end)) {
      t.setLength(top, Math.min(CONFIG_BPDU_LEN + 3, capEnd - off));
      t.add(S.version3Length, off + 36, 2, u16(buf, off + 36));
    }
  }
  t.close();
}

function flagItems(p: Packet, flags: number, o: number, rapid: boolean): void {
  const t = p.tree;
  const fi = t.add(S.flags, o, 1, flags);
  if (t.full) {
    let label = `BPDU flags: 0x${flags.toString(16).padStart(2, '0')}`;
    if (flags & 0x80) label += ', Topology Change Acknowledgment';
    if (rapid) {
      if (flags & 0x40) label += ', Agreement';
      if (flags & 0x20) label += ', Forwarding';
      if (flags & 0x10) label += ', Learning';
      label += `, Port Role: ${PORT_ROLE_NAMES.get((flags >> 2) & 3)}`;
      if (flags & 0x02) label += ', Proposal';
    }
    if (flags & 0x01) label += ', Topology Change';
    t.setLabel(fi, label);
  }
  t.open(fi);
  t.add(S.tcack, o, 1, (flags >> 7) & 1);
  if (rapid) {
    t.add(S.agreement, o, 1, (flags >> 6) & 1);
    t.add(S.forwarding, o, 1, (flags >> 5) & 1);
    t.add(S.learning, o, 1, (flags >> 4) & 1);
    t.add(S.portRole, o, 1, (flags >> 2) & 3);
    t.add(S.proposal, o, 1, (flags >> 1) & 1);
  }
  t.add(S.tc, o, 1, flags & 1);
  t.close();
}

/** A bridge identifier: 4-bit priority, 12-bit system ID extension, MAC address. */
function bridgeId(p: Packet, buf: Uint8Array, o: number, what: string, prio: number, ext: number, hw: number): void {
  const t = p.tree;
  const id = u16(buf, o);
  const text = t.full ? t.addText(o, 8, `${what}: ${id & 0xf000} / ${id & 0x0fff} / ${formatMac(buf, o + 2)}`) : -1;
  t.open(text);
  t.add(prio, o, 1, id & 0xf000);
  t.add(ext, o, 2, id & 0x0fff);
  t.add(hw, o + 2, 6);
  t.close();
}

llcSapTable.add(0x42, dissectStp);
