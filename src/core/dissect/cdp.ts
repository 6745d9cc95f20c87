// Cisco Discovery Protocol (LLC/SNAP, Cisco OUI, PID 0x2000): the version/TTL/checksum header
// and its TLVs (device ID, addresses, port ID, capabilities, software, platform ...), with the
// "Device ID: X  Port ID: Y  " Info of Wireshark 4.0's packet-cdp.c.

import { defineFields, valueStrings, YES_NO } from './fields.js';
import type { Packet } from './packet.js';
import { llcCiscoPidTable } from './llc.js';
import { formatIPv4, hex4, onesComplementSum, u16, u32 } from './bytes.js';
import { CHECKSUM, CHECKSUM_STATUS } from './checksum.js';
import { GENERATED } from './tree.js';

const TLV_DEVICE_ID = 0x0001;
const TLV_ADDRESS = 0x0002;
const TLV_PORT_ID = 0x0003;
const TLV_CAPABILITIES = 0x0004;
const TLV_VERSION = 0x0005;
const TLV_PLATFORM = 0x0006;
const TLV_IP_PREFIX = 0x0007;
const TLV_VTP_MGMT_DOMAIN = 0x0009;
const TLV_NATIVE_VLAN = 0x000a;
const TLV_DUPLEX = 0x000b;
const TLV_MTU = 0x0011;
const TLV_TRUST_BITMAP = 0x0012;
const TLV_UNTRUSTED_COS = 0x0013;
const TLV_SYSTEM_NAME = 0x0014;
const TLV_MANAGEMENT_ADDRESS = 0x0016;

const TLV_TYPES = valueStrings({
  0x0001: 'Device ID',
  0x0002: 'Addresses',
  0x0003: 'Port ID',
  0x0004: 'Capabilities',
  0x0005: 'Software version',
  0x0006: 'Platform',
  0x0007: 'IP Prefix/Gateway (used for ODR)',
  0x0008: 'Protocol Hello',
  0x0009: 'VTP Management Domain',
  0x000a: 'Native VLAN',
  0x000b: 'Duplex',
  0x000c: 'VoIP VLAN Reply',
  0x000d: 'VoIP VLAN Query',
  0x000e: 'VoIP VLAN Reply',
  0x000f: 'VoIP VLAN Query',
  0x0010: 'Power consumption',
  0x0011: 'MTU',
  0x0012: 'Trust Bitmap',
  0x0013: 'Untrusted Port CoS',
  0x0014: 'System Name',
  0x0015: 'System Object ID (Not Decoded)',
  0x0016: 'Management Address',
  0x0017: 'Location',
  0x0018: 'External Port-ID',
  0x0019: 'Power requested',
  0x001a: 'Power available',
  0x001b: 'Port Unidirectional',
  0x001d: 'EnergyWise over CDP',
  0x001f: 'Spare Pair PoE',
  0x1003: 'Radio Channel',
  0x1004: 'Radio Mac Address',
  0x1005: 'Radio Monitored Pid',
});

const CAPABILITY_BITS: readonly [string, string][] = [
  ['Router', 'router'],
  ['Transparent Bridge', 'trans_bridge'],
  ['Source Route Bridge', 'src_bridge'],
  ['Switch', 'switch'],
  ['Host', 'host'],
  ['IGMP capable', 'igmp_capable'],
  ['Repeater', 'repeater'],
  ['VoIP Phone', 'voip_phone'],
  ['Remotely Managed Device', 'remote'],
  ['CVTA/STP Dispute Resolution/Cisco VT Camera', 'cvta'],
  ['Two Port Mac Relay', 'mac_relay'],
];

export const cdpFields = defineFields({
  cdp: { abbrev: 'cdp', name: 'Cisco Discovery Protocol', type: 'protocol' },
  version: { abbrev: 'cdp.version', name: 'Version', type: 'uint', bits: 8, base: 'dec' },
  ttl: { abbrev: 'cdp.ttl', name: 'TTL', type: 'uint', bits: 8, base: 'dec', unit: ' seconds' },
  checksum: { abbrev: 'cdp.checksum', name: 'Checksum', type: 'uint', bits: 16, base: 'hex' },
  checksumStatus: {
    abbrev: 'cdp.checksum.status',
    name: 'Checksum Status',
    type: 'uint',
    bits: 8,
    base: 'none',
    strings: CHECKSUM_STATUS,
  },
  tlvType: { abbrev: 'cdp.tlv.type', name: 'Type', type: 'uint', bits: 16, base: 'hex', strings: TLV_TYPES },
  tlvLen: { abbrev: 'cdp.tlv.len', name: 'Length', type: 'uint', bits: 16, base: 'dec' },
  deviceId: { abbrev: 'cdp.deviceid', name: 'Device ID', type: 'string' },
  platform: { abbrev: 'cdp.platform', name: 'Platform', type: 'string' },
  portId: { abbrev: 'cdp.portid', name: 'Sent through Interface', type: 'string' },
  capabilities: { abbrev: 'cdp.capabilities', name: 'Capabilities', type: 'uint', bits: 32, base: 'hex' },
  softwareVersion: { abbrev: 'cdp.software_version', name: 'Software version', type: 'string' },
  numberOfAddresses: {
    abbrev: 'cdp.number_of_addresses',
    name: 'Number of addresses',
    type: 'uint',
    bits: 32,
    base: 'dec',
  },
  vtpDomain: { abbrev: 'cdp.vtp_management_domain', name: 'VTP Management Domain', type: 'string' },
  nativeVlan: { abbrev: 'cdp.native_vlan', name: 'Native VLAN', type: 'uint', bits: 16, base: 'dec' },
  duplex: {
    abbrev: 'cdp.duplex',
    name: 'Duplex',
    type: 'bool',
    bits: 8,
    trueFalse: ['Full', 'Half'],
  },
  data: { abbrev: 'cdp.data', name: 'Data', type: 'bytes' },
  odrDefaultGateway: { abbrev: 'cdp.odr_default_gateway', name: 'ODR Default gateway', type: 'ipv4' },
  ipPrefix: { abbrev: 'cdp.ip_prefix', name: 'IP Prefix', type: 'ipv4' },
  trustBitmap: { abbrev: 'cdp.trust_bitmap', name: 'Trust Bitmap', type: 'uint', bits: 8, base: 'hex' },
  untrustedPortCos: {
    abbrev: 'cdp.untrusted_port_cos',
    name: 'Untrusted port CoS',
    type: 'uint',
    bits: 8,
    base: 'hex',
  },
  systemName: { abbrev: 'cdp.system_name', name: 'System Name', type: 'string' },
  mtu: { abbrev: 'cdp.mtu', name: 'MTU', type: 'uint', bits: 32, base: 'dec' },
  protocolType: {
    abbrev: 'cdp.protocol_type',
    name: 'Protocol type',
    type: 'uint',
    bits: 8,
    base: 'hex',
    strings: valueStrings({ 1: 'NLPID', 2: '802.2' }),
  },
  protocolLength: { abbrev: 'cdp.protocol_length', name: 'Protocol length', type: 'uint', bits: 8, base: 'dec' },
  protocol: { abbrev: 'cdp.protocol', name: 'Protocol', type: 'bytes' },
  addressLength: { abbrev: 'cdp.address_length', name: 'Address length', type: 'uint', bits: 16, base: 'dec' },
  address: { abbrev: 'cdp.address', name: 'Address', type: 'bytes' },
  ipAddress: { abbrev: 'cdp.nrgyz.ip_address', name: 'IP Address', type: 'ipv4' },
});

const capabilityFields: number[] = CAPABILITY_BITS.map(
  ([name, suffix], bit) =>
    defineFields({
      f: { abbrev: `cdp.capabilities.${suffix}`, name, type: 'bool', bits: 32, mask: 2 ** bit, trueFalse: YES_NO },
    }).f,
);

const F = cdpFields;

/** Bytes [o, o+n) as text (Wireshark shows them as a string of that length, stopping at a NUL). */
function text(buf: Uint8Array, o: number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) {
    const c = buf[o + i];
    if (c === 0) break;
    s += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : c === 0x0a ? '\n' : '\\x' + c.toString(16).padStart(2, '0');
  }
  return s;
}

/**
 * CDP's checksum sum (0xffff when correct): the Internet checksum, except that Cisco IOS puts an
 * odd last byte in the low half of the last word, and sign-extends it with an off-by-one when
 * its top bit is set (Wireshark's packet-cdp.c compensates the same way).
 */
function cdpChecksumSum(buf: Uint8Array, off: number, len: number): number {
  if (len % 2 === 0) return onesComplementSum(buf, off, len);
  const last = buf[off + len - 1];
  const word = last & 0x80 ? ((0xff00 | last) - 1) & 0xffff : last;
  let sum = onesComplementSum(buf, off, len - 1) + word;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

/**
 * An address list (CDP addresses and management addresses): a count, then entries of protocol
 * type, protocol (NLPID 0xcc is IP), address length and address.
 */
function addresses(p: Packet, buf: Uint8Array, o: number, stop: number): void {
  const t = p.tree;
  const count = u32(buf, o);
  t.add(F.numberOfAddresses, o, 4, count);
  let a = o + 4;
  for (let i = 0; i < count && a + 2 <= stop; i++) {
    const protoLen = buf[a + 1];
    const lenAt = a + 2 + protoLen;
    if (lenAt + 2 > stop) return;
    const addrLen = u16(buf, lenAt);
    const addrAt = lenAt + 2;
    if (addrAt + addrLen > stop) return;
    const ip = buf[a] === 1 && protoLen === 1 && buf[a + 2] === 0xcc && addrLen === 4;
    const ei = t.addText(a, addrAt + addrLen - a, ip ? `IP address: ${formatIPv4(u32(buf, addrAt))}` : 'Address');
    t.open(ei);
    t.add(F.protocolType, a, 1, buf[a]);
    t.add(F.protocolLength, a + 1, 1, protoLen);
    const pi = t.add(F.protocol, a + 2, protoLen);
    if (t.full && ip) t.setLabel(pi, 'Protocol: IP');
    t.add(F.addressLength, lenAt, 2, addrLen);
    if (ip) t.add(F.ipAddress, addrAt, 4, u32(buf, addrAt));
    else t.add(F.address, addrAt, addrLen);
    t.close();
    a = addrAt + addrLen;
  }
}

export function dissectCdp(p: Packet, buf: Uint8Array, off: number, end: number): void {
  const t = p.tree;
  p.addLayer('cdp');
  p.setProtocol('CDP');
  p.setInfo('');
  const capEnd = Math.min(end, buf.length);
  const top = t.add(F.cdp, off, Math.max(0, capEnd - off));
  t.open(top);
  if (p.short('CDP', buf, off, 4, end)) return;
  t.add(F.version, off, 1, buf[off]);
  t.add(F.ttl, off + 1, 1, buf[off + 1]);
  const field = u16(buf, off + 2);
  const ci = t.add(F.checksum, off + 2, 2, field);
  if (capEnd === end) {
    const good = cdpChecksumSum(buf, off, end - off) === 0xffff;
    if (t.full) t.setLabel(ci, `Checksum: 0x${hex4(field)} [${good ? 'correct' : 'incorrect'}]`);
    t.add(F.checksumStatus, off + 2, 0, good ? CHECKSUM.GOOD : CHECKSUM.BAD, GENERATED);
  } else {
    if (t.full) t.setLabel(ci, `Checksum: 0x${hex4(field)} [unverified]`);
    t.add(F.checksumStatus, off + 2, 0, CHECKSUM.UNVERIFIED, GENERATED);
  }
  let o = off + 4;
  while (o < end) {
    if (p.short('CDP', buf, o, 4, end)) return;
    const type = u16(buf, o);
    const len = u16(buf, o + 2);
    if (len < 4) {
      // A length that does not even cover the TLV header ends the packet.
      p.malformed('CDP');
      return;
    }
    const ti = t.addText(o, len, '');
    t.open(ti);
    t.add(F.tlvType, o, 2, type);
    t.add(F.tlvLen, o + 2, 2, len);
    if (p.short('CDP', buf, o, len, end)) return;
    tlv(p, buf, o, len, type, ti);
    t.close();
    o += len;
  }
  t.close();
}

function tlv(p: Packet, buf: Uint8Array, o: number, len: number, type: number, ti: number): void {
  const t = p.tree;
  const v = o + 4;
  const n = len - 4;
  // Texts are built only for what is shown: the Info column, the tree, or a wanted field.
  let label = '';
  switch (type) {
    case TLV_DEVICE_ID: {
      if (!p.wantColumns && !(t.full || t.keeps(F.deviceId))) break;
      const s = text(buf, v, n);
      if (p.wantColumns) p.appendInfo(`Device ID: ${s}  `);
      t.addValue(F.deviceId, v, n, s);
      label = `Device ID: ${s}`;
      break;
    }
    case TLV_PORT_ID: {
      if (!p.wantColumns && !(t.full || t.keeps(F.portId))) break;
      const s = text(buf, v, n);
      if (p.wantColumns) p.appendInfo(`Port ID: ${s}  `);
      t.addValue(F.portId, v, n, s);
      label = `Port ID: ${s}`;
      break;
    }
    case TLV_PLATFORM: {
      if (!(t.full || t.keeps(F.platform))) break;
      const s = text(buf, v, n);
      t.addValue(F.platform, v, n, s);
      label = `Platform: ${s}`;
      break;
    }
    case TLV_VERSION: {
      if (!(t.full || t.keeps(F.softwareVersion))) break;
      // One item per line of the version text.
      let start = v;
      for (let i = v; i <= v + n; i++) {
        if (i === v + n || buf[i] === 0x0a) {
          if (i > start) t.addValue(F.softwareVersion, start, i - start, text(buf, start, i - start));
          start = i + 1;
        }
      }
      label = 'Software Version';
      break;
    }
    case TLV_CAPABILITIES: {
      if (n < 4) break;
      const caps = u32(buf, v);
      const i = t.add(F.capabilities, v, 4, caps);
      t.open(i);
      for (let bit = 0; bit < capabilityFields.length; bit++) t.add(capabilityFields[bit], v, 4, (caps >>> bit) & 1);
      t.close();
      label = 'Capabilities';
      break;
    }
    case TLV_ADDRESS:
    case TLV_MANAGEMENT_ADDRESS:
      if (n >= 4) addresses(p, buf, v, v + n);
      label = type === TLV_ADDRESS ? 'Addresses' : 'Management Addresses';
      break;
    case TLV_IP_PREFIX:
      // 5-byte prefix/length pairs, or one 4-byte default gateway (ODR).
      if (n === 4) {
        t.add(F.odrDefaultGateway, v, 4, u32(buf, v));
        label = `ODR Default gateway: ${formatIPv4(u32(buf, v))}`;
      } else {
        for (let k = v; k + 5 <= v + n; k += 5) {
          const pi = t.add(F.ipPrefix, k, 5, u32(buf, k));
          if (t.full) t.setLabel(pi, `IP Prefix: ${formatIPv4(u32(buf, k))}/${buf[k + 4]}`);
        }
        label = `IP Prefixes: ${Math.floor(n / 5)}`;
      }
      break;
    case TLV_TRUST_BITMAP:
    case TLV_UNTRUSTED_COS:
      if (n >= 1) {
        const f = type === TLV_TRUST_BITMAP ? F.trustBitmap : F.untrustedPortCos;
        t.add(f, v, 1, buf[v]);
        const what = type === TLV_TRUST_BITMAP ? 'Trust Bitmap' : 'Untrusted port CoS';
        label = `${what}: 0x${buf[v].toString(16).padStart(2, '0')}`;
      }
      break;
    case TLV_SYSTEM_NAME: {
      if (!(t.full || t.keeps(F.systemName))) break;
      const s = text(buf, v, n);
      t.addValue(F.systemName, v, n, s);
      label = `System Name: ${s}`;
      break;
    }
    case TLV_MTU:
      if (n >= 4) {
        t.add(F.mtu, v, 4, u32(buf, v));
        label = `MTU: ${u32(buf, v)}`;
      }
      break;
    case TLV_VTP_MGMT_DOMAIN: {
      if (!(t.full || t.keeps(F.vtpDomain))) break;
      const s = text(buf, v, n);
      t.addValue(F.vtpDomain, v, n, s);
      label = `VTP Management Domain: ${s}`;
      break;
    }
    case TLV_NATIVE_VLAN:
      if (n >= 2) {
        t.add(F.nativeVlan, v, 2, u16(buf, v));
        label = `Native VLAN: ${u16(buf, v)}`;
      }
      break;
    case TLV_DUPLEX:
      if (n >= 1) {
        t.add(F.duplex, v, 1, buf[v] ? 1 : 0);
        label = `Duplex: ${buf[v] ? 'Full' : 'Half'}`;
      }
      break;
    default:
      if (n > 0) t.add(F.data, v, n);
      label = TLV_TYPES.get(type) ?? `Type: Unknown (0x${hex4(type)})`;
  }
  if (t.full) t.setLabel(ti, label || (TLV_TYPES.get(type) ?? 'Unknown'));
}

llcCiscoPidTable.add(0x2000, dissectCdp);
