// BOOTP (RFC 951) and DHCP (RFC 2131, options RFC 2132) over UDP 67/68 (and PXE's 4011), as
// Wireshark 4.0's packet-dhcp.c shows them: the fixed header, the magic cookie, the options with
// the common ones decoded, the Protocol column "BOOTP" turned "DHCP" by option 53 and its Info.

import { defineFields, valueStrings } from './fields.js';
import { udpPortTable } from './tables.js';
import type { Packet } from './packet.js';
import { formatIPv4, formatMac, u16, u32 } from './bytes.js';
import { HIDDEN } from './tree.js';
import { timeSecsText } from './dns.js';
import { ARP_HARDWARE_NAMES } from './arp.js';

const MESSAGE_TYPES = valueStrings({
  1: 'Discover',
  2: 'Offer',
  3: 'Request',
  4: 'Decline',
  5: 'ACK',
  6: 'NAK',
  7: 'Release',
  8: 'Inform',
  9: 'Force Renew',
  10: 'Lease query',
  11: 'Lease Unassigned',
  12: 'Lease Unknown',
  13: 'Lease Active',
  14: 'Bulk Lease Query',
  15: 'Lease Query Done',
  16: 'Active LeaseQuery',
  17: 'Lease Query Status',
  18: 'TLS',
});

/** Option names (RFC 2132 and later), as the details tree shows them. */
const OPTION_NAMES = valueStrings({
  0: 'Padding',
  1: 'Subnet Mask',
  2: 'Time Offset',
  3: 'Router',
  4: 'Time Server',
  5: 'Name Server',
  6: 'Domain Name Server',
  7: 'Log Server',
  8: 'Quotes Server',
  9: 'LPR Server',
  10: 'Impress Server',
  11: 'Resource Location Server',
  12: 'Host Name',
  13: 'Boot File Size',
  14: 'Merit Dump File',
  15: 'Domain Name',
  16: 'Swap Server',
  17: 'Root Path',
  18: 'Extensions Path',
  19: 'IP Forwarding',
  23: 'Default IP Time-to-Live',
  26: 'Interface MTU',
  28: 'Broadcast Address',
  31: 'Perform Router Discover',
  33: 'Static Route',
  40: 'Network Information Service Domain',
  41: 'Network Information Service Servers',
  42: 'Network Time Protocol Servers',
  43: 'Vendor-Specific Information',
  44: 'NetBIOS over TCP/IP Name Server',
  45: 'NetBIOS over TCP/IP Datagram Distribution Name Server',
  46: 'NetBIOS over TCP/IP Node Type',
  47: 'NetBIOS over TCP/IP Scope',
  50: 'Requested IP Address',
  51: 'IP Address Lease Time',
  52: 'Option Overload',
  53: 'DHCP Message Type',
  54: 'DHCP Server Identifier',
  55: 'Parameter Request List',
  56: 'Message',
  57: 'Maximum DHCP Message Size',
  58: 'Renewal Time Value',
  59: 'Rebinding Time Value',
  60: 'Vendor class identifier',
  61: 'Client identifier',
  66: 'TFTP Server Name',
  67: 'Bootfile name',
  77: 'User Class Information',
  81: 'Client Fully Qualified Domain Name',
  82: 'Agent Information Option',
  116: 'DHCP Auto-Configuration',
  119: 'Domain Search',
  121: 'Classless Static Route',
  249: 'Private/Classless Static Route (Microsoft)',
  252: 'Private/Proxy autodiscovery',
  255: 'End',
});

export const dhcpFields = defineFields({
  dhcp: { abbrev: 'dhcp', name: 'Dynamic Host Configuration Protocol', type: 'protocol' },
  type: {
    abbrev: 'dhcp.type',
    name: 'Message type',
    type: 'uint',
    bits: 8,
    base: 'dec',
    strings: valueStrings({ 1: 'Boot Request', 2: 'Boot Reply' }),
  },
  hwType: {
    abbrev: 'dhcp.hw.type',
    name: 'Hardware type',
    type: 'uint',
    bits: 8,
    base: 'hex',
    strings: ARP_HARDWARE_NAMES,
  },
  hwLen: { abbrev: 'dhcp.hw.len', name: 'Hardware address length', type: 'uint', bits: 8, base: 'dec' },
  hops: { abbrev: 'dhcp.hops', name: 'Hops', type: 'uint', bits: 8, base: 'dec' },
  id: { abbrev: 'dhcp.id', name: 'Transaction ID', type: 'uint', bits: 32, base: 'hex' },
  secs: { abbrev: 'dhcp.secs', name: 'Seconds elapsed', type: 'uint', bits: 16, base: 'dec' },
  flags: { abbrev: 'dhcp.flags', name: 'Bootp flags', type: 'uint', bits: 16, base: 'hex' },
  flagsBc: {
    abbrev: 'dhcp.flags.bc',
    name: 'Broadcast flag',
    type: 'bool',
    bits: 16,
    mask: 0x8000,
    trueFalse: ['Broadcast', 'Unicast'],
  },
  flagsReserved: {
    abbrev: 'dhcp.flags.reserved',
    name: 'Reserved flags',
    type: 'uint',
    bits: 16,
    base: 'hex',
    mask: 0x7fff,
  },
  ipClient: { abbrev: 'dhcp.ip.client', name: 'Client IP address', type: 'ipv4' },
  ipYour: { abbrev: 'dhcp.ip.your', name: 'Your (client) IP address', type: 'ipv4' },
  ipServer: { abbrev: 'dhcp.ip.server', name: 'Next server IP address', type: 'ipv4' },
  ipRelay: { abbrev: 'dhcp.ip.relay', name: 'Relay agent IP address', type: 'ipv4' },
  hwAddr: { abbrev: 'dhcp.hw.addr', name: 'Client hardware address', type: 'bytes' },
  hwAddrPadding: { abbrev: 'dhcp.hw.addr_padding', name: 'Client hardware address padding', type: 'bytes' },
  hwMac: { abbrev: 'dhcp.hw.mac_addr', name: 'Client MAC address', type: 'ether' },
  server: { abbrev: 'dhcp.server', name: 'Server host name', type: 'string' },
  file: { abbrev: 'dhcp.file', name: 'Boot file name', type: 'string' },
  cookie: { abbrev: 'dhcp.cookie', name: 'Magic cookie', type: 'ipv4' },
  vendorOptions: { abbrev: 'dhcp.vendor_specific_options', name: 'Bootp vendor specific options', type: 'bytes' },
  optionType: { abbrev: 'dhcp.option.type', name: 'Option', type: 'uint', bits: 8, base: 'dec' },
  optionLength: { abbrev: 'dhcp.option.length', name: 'Length', type: 'uint', bits: 8, base: 'dec' },
  optionValue: { abbrev: 'dhcp.option.value', name: 'Value', type: 'bytes' },
  optionPadding: { abbrev: 'dhcp.option.padding', name: 'Padding', type: 'bytes' },
  optionEnd: { abbrev: 'dhcp.option.end', name: 'Option End', type: 'uint', bits: 8, base: 'dec' },
  messageType: { abbrev: 'dhcp.option.dhcp', name: 'DHCP', type: 'uint', bits: 8, base: 'dec', strings: MESSAGE_TYPES },
  subnetMask: { abbrev: 'dhcp.option.subnet_mask', name: 'Subnet Mask', type: 'ipv4' },
  router: { abbrev: 'dhcp.option.router', name: 'Router', type: 'ipv4' },
  dnsServer: { abbrev: 'dhcp.option.domain_name_server', name: 'Domain Name Server', type: 'ipv4' },
  ntpServer: { abbrev: 'dhcp.option.ntp_server', name: 'Network Time Protocol Server', type: 'ipv4' },
  hostname: { abbrev: 'dhcp.option.hostname', name: 'Host Name', type: 'string' },
  domainName: { abbrev: 'dhcp.option.domain_name', name: 'Domain Name', type: 'string' },
  broadcastAddress: { abbrev: 'dhcp.option.broadcast_address', name: 'Broadcast Address', type: 'ipv4' },
  requestedIp: { abbrev: 'dhcp.option.requested_ip_address', name: 'Requested IP Address', type: 'ipv4' },
  leaseTime: {
    abbrev: 'dhcp.option.ip_address_lease_time',
    name: 'IP Address Lease Time',
    type: 'uint',
    bits: 32,
    base: 'dec',
  },
  serverId: { abbrev: 'dhcp.option.dhcp_server_id', name: 'DHCP Server Identifier', type: 'ipv4' },
  requestListItem: {
    abbrev: 'dhcp.option.request_list_item',
    name: 'Parameter Request List Item',
    type: 'uint',
    bits: 8,
    base: 'dec',
    strings: OPTION_NAMES,
  },
  message: { abbrev: 'dhcp.option.message', name: 'Message', type: 'string' },
  maxMessageSize: {
    abbrev: 'dhcp.option.dhcp_max_message_size',
    name: 'Maximum DHCP Message Size',
    type: 'uint',
    bits: 16,
    base: 'dec',
  },
  renewalTime: {
    abbrev: 'dhcp.option.renewal_time_value',
    name: 'Renewal Time Value',
    type: 'uint',
    bits: 32,
    base: 'dec',
  },
  rebindingTime: {
    abbrev: 'dhcp.option.rebinding_time_value',
    name: 'Rebinding Time Value',
    type: 'uint',
    bits: 32,
    base: 'dec',
  },
  vendorClassId: { abbrev: 'dhcp.option.vendor_class_id', name: 'Vendor class identifier', type: 'string' },
  clientIdType: { abbrev: 'dhcp.client_id.type', name: 'Type', type: 'uint', bits: 8, base: 'dec' },
  clientId: { abbrev: 'dhcp.client_id', name: 'Identifier', type: 'bytes' },
  bootp: { abbrev: 'dhcp.bootp', name: 'Frame is BOOTP', type: 'bool' },
});

const F = dhcpFields;

/** A read past the data: Wireshark's bounds exceptions (one shared instance each). */
class DhcpBoundsError extends Error {
  constructor(readonly truncatedCapture: boolean) {
    super('DHCP bounds');
  }
}
const PAST_REPORTED = new DhcpBoundsError(false);
const PAST_CAPTURED = new DhcpBoundsError(true);

const COOKIE = 0x63825363; // RFC 2131 §3
const VENDOR_INFO_OFFSET = 236;

/** The BOOTP/DHCP dissector (UDP 67, 68, 4011). */
export function dissectDhcp(p: Packet, buf: Uint8Array, off: number, end: number): void {
  const capEnd = Math.min(end, buf.length);
  const need = (o: number, n: number): void => {
    if (o + n > end) throw PAST_REPORTED;
    if (o + n > capEnd) throw PAST_CAPTURED;
  };
  const info = p.wantColumns && !p.inErrorPacket;
  const t = p.tree;
  p.addLayer('dhcp');
  if (info) p.setProtocol('BOOTP');
  const top = t.add(F.dhcp, off, Math.max(0, capEnd - off));
  t.open(top);
  try {
    need(off, 3);
    const op = buf[off];
    const htype = buf[off + 1];
    const hlen = buf[off + 2];
    const ethernetLike = (htype === 1 || htype === 6) && hlen === 6;
    if (info) {
      if (op === 1) {
        need(off + 28, ethernetLike ? 6 : Math.min(hlen, 16));
        const addr = ethernetLike ? formatMac(buf, off + 28) : hardwareText(buf, off + 28, Math.min(hlen, 16));
        // Wireshark adds the resolved name in parentheses; without a vendor table it is the address.
        p.setInfo(ethernetLike ? `Boot Request from ${addr} (${addr})` : `Boot Request from ${addr}`);
      } else if (op === 2) p.setInfo('Boot Reply');
      else p.setInfo(`Unknown BOOTP message type (${op})`);
    }

    // First pass over the options: the message type decides the columns (as Wireshark does).
    let voff = off + VENDOR_INFO_OFFSET;
    const hasCookie = voff + 4 <= capEnd && voff + 4 <= end && u32(buf, voff) === COOKIE;
    voff += hasCookie ? 4 : 64;
    let dhcpType = -1;
    for (let o = voff, atEnd = false; o < end && !atEnd;) {
      need(o, 1);
      const code = buf[o];
      if (code === 0) {
        o++;
        continue;
      }
      if (code === 255) {
        atEnd = true;
        continue;
      }
      need(o + 1, 1);
      const len = buf[o + 1];
      if (code === 53 && dhcpType < 0) {
        need(o + 2, 1);
        dhcpType = buf[o + 2];
      }
      o += len + 2;
    }
    need(off + 4, 4);
    const xid = u32(buf, off + 4);
    const typeName =
      dhcpType >= 0
        ? (MESSAGE_TYPES.get(dhcpType) ?? `Unknown Message Type (0x${dhcpType.toString(16).padStart(2, '0')})`)
        : '';
    if (dhcpType >= 0 && info) {
      p.setProtocol('DHCP');
      p.setInfo(`DHCP ${typeName.padEnd(8)} - Transaction ID 0x${xid.toString(16)}`);
    }
    if (t.full)
      t.setLabel(
        top,
        dhcpType >= 0 ? `Dynamic Host Configuration Protocol (${typeName})` : 'Dynamic Host Configuration Protocol',
      );

    t.add(F.type, off, 1, op);
    t.add(F.hwType, off + 1, 1, htype);
    t.add(F.hwLen, off + 2, 1, hlen);
    need(off + 3, 1);
    t.add(F.hops, off + 3, 1, buf[off + 3]);
    const ii = t.add(F.id, off + 4, 4, xid);
    if (t.full) t.setLabel(ii, `Transaction ID: 0x${xid.toString(16).padStart(8, '0')}`);
    need(off + 8, 4);
    t.add(F.secs, off + 8, 2, u16(buf, off + 8));
    const flags = u16(buf, off + 10);
    const fi = t.add(F.flags, off + 10, 2, flags);
    if (t.full)
      t.setLabel(
        fi,
        `Bootp flags: 0x${flags.toString(16).padStart(4, '0')} (${flags & 0x8000 ? 'Broadcast' : 'Unicast'})`,
      );
    t.open(fi);
    t.add(F.flagsBc, off + 10, 2, flags & 0x8000 ? 1 : 0);
    t.add(F.flagsReserved, off + 10, 2, flags & 0x7fff);
    t.close();
    const ips = [F.ipClient, F.ipYour, F.ipServer, F.ipRelay];
    for (let k = 0; k < 4; k++) {
      need(off + 12 + 4 * k, 4);
      t.add(ips[k], off + 12 + 4 * k, 4, u32(buf, off + 12 + 4 * k));
    }
    if (hlen > 0 && hlen <= 16) {
      if (ethernetLike) {
        need(off + 28, 6);
        t.add(F.hwMac, off + 28, 6);
      } else {
        need(off + 28, 16);
        t.add(F.hwAddr, off + 28, 16);
      }
      if (16 - hlen > 0) {
        need(off + 28 + hlen, 16 - hlen);
        t.add(F.hwAddrPadding, off + 28 + hlen, 16 - hlen);
      }
    } else {
      need(off + 28, 16);
      t.addText(off + 28, 16, 'Client address not given');
    }
    fixedString(p, buf, off + 44, 64, F.server, 'Server host name not given', need);
    fixedString(p, buf, off + 108, 128, F.file, 'Boot file name not given', need);

    let o = off + VENDOR_INFO_OFFSET;
    if (hasCookie) {
      const ci = t.add(F.cookie, o, 4, COOKIE);
      if (t.full) t.setLabel(ci, 'Magic cookie: DHCP');
      o += 4;
    } else {
      need(o, 64);
      t.add(F.vendorOptions, o, 64);
      o += 64;
    }
    let atEnd = false;
    while (o < end && !atEnd) {
      const r = dissectOption(p, buf, o, end, need);
      if (r < 0) {
        atEnd = true;
        o -= r;
      } else o += r;
    }
    if (dhcpType >= 0 && !atEnd) {
      // RFC 2131 §4.1: the options end with the End option.
      t.open(top);
      p.expert('DHCP/BOOTP', 'dhcp.end_option_missing', 'error', 'protocol', 'End option missing', off, 0);
      t.close();
    }
    if (o < end) {
      t.add(F.optionPadding, o, Math.max(0, Math.min(end, capEnd) - o));
    }
  } catch (e) {
    if (!(e instanceof DhcpBoundsError)) throw e;
    if (e.truncatedCapture) p.truncated('DHCP/BOOTP');
    else p.malformed('DHCP/BOOTP');
  }
  t.closeAll();
}

/** A time option: "(3600s) 1 hour", or "infinity" for all ones (RFC 2131 §3.3). */
function secondsItem(p: Packet, field: number, name: string, o: number, v: number): void {
  const i = p.tree.add(field, o, 4, v);
  if (p.tree.full) p.tree.setLabel(i, `${name}: ${v === 0xffffffff ? 'infinity' : `(${v}s) ${timeSecsText(v)}`}`);
}

function hardwareText(buf: Uint8Array, o: number, n: number): string {
  let s = '';
  for (let k = 0; k < n; k++) s += (k ? ':' : '') + buf[o + k].toString(16).padStart(2, '0');
  return s;
}

/** A NUL-padded text field of the fixed header (sname, file). */
function fixedString(
  p: Packet,
  buf: Uint8Array,
  o: number,
  n: number,
  field: number,
  absent: string,
  need: (o: number, n: number) => void,
): void {
  const t = p.tree;
  // The item spans the whole field, so a capture cut inside it ends the dissection here.
  need(o, n);
  if (buf[o] === 0) {
    t.addText(o, n, absent);
    return;
  }
  if (t.keeps(field)) {
    let s = '';
    for (let k = 0; k < n && buf[o + k] !== 0; k++) s += String.fromCharCode(buf[o + k] < 0x80 ? buf[o + k] : 0xfffd);
    t.addValue(field, o, n, s);
  }
}

/** One option; returns its length (negated for the End option). */
function dissectOption(
  p: Packet,
  buf: Uint8Array,
  o: number,
  end: number,
  need: (o: number, n: number) => void,
): number {
  const t = p.tree;
  need(o, 1);
  const code = buf[o];
  if (code === 0) {
    // A run of pad bytes is one item in Wireshark's tree.
    let n = 1;
    while (o + n < end && o + n < buf.length && buf[o + n] === 0) n++;
    const pi = t.add(F.optionType, o, n, 0);
    if (t.full) t.setLabel(pi, 'Option: (0) Padding');
    t.open(pi);
    t.add(F.optionPadding, o, n);
    t.close();
    return n;
  }
  if (code === 255) {
    // Wireshark's End item carries the value 0 in dhcp.option.type.
    const ei = t.add(F.optionType, o, 1, 0);
    if (t.full) t.setLabel(ei, 'Option: (255) End');
    t.open(ei);
    t.add(F.optionEnd, o, 1, 255);
    t.close();
    return -1;
  }
  need(o + 1, 1);
  const len = buf[o + 1];
  const v = o + 2;
  const name = OPTION_NAMES.get(code) ?? 'Unknown';
  // The option's item is dhcp.option.type itself, covering the whole option.
  const oi = t.add(F.optionType, o, len + 2, code);
  if (t.full) t.setLabel(oi, `Option: (${code}) ${name}`);
  t.open(oi);
  t.add(F.optionLength, o + 1, 1, len);
  need(v, len);
  if (len > 0) t.add(F.optionValue, v, len, 0, HIDDEN);
  const ipList = (field: number): void => {
    for (let k = 0; k + 4 <= len; k += 4) t.add(field, v + k, 4, u32(buf, v + k));
  };
  const text = (field: number): void => {
    if (!t.keeps(field)) return;
    let s = '';
    for (let k = 0; k < len && buf[v + k] !== 0; k++) s += String.fromCharCode(buf[v + k] < 0x80 ? buf[v + k] : 0xfffd);
    t.addValue(field, v, len, s);
  };
  switch (code) {
    case 53:
      if (len >= 1) {
        t.add(F.messageType, v, 1, buf[v]);
        if (t.full) t.label[oi] = `Option: (53) DHCP Message Type (${MESSAGE_TYPES.get(buf[v]) ?? 'Unknown'})`;
      }
      break;
    case 1:
      if (len === 4) {
        t.add(F.subnetMask, v, 4, u32(buf, v));
        if (t.full) t.label[oi] = `Option: (1) Subnet Mask (${formatIPv4(u32(buf, v))})`;
      }
      break;
    case 3:
      ipList(F.router);
      break;
    case 6:
      ipList(F.dnsServer);
      break;
    case 42:
      ipList(F.ntpServer);
      break;
    case 28:
      if (len === 4) {
        t.add(F.broadcastAddress, v, 4, u32(buf, v));
        if (t.full) t.label[oi] = `Option: (28) Broadcast Address (${formatIPv4(u32(buf, v))})`;
      }
      break;
    case 50:
      if (len === 4) {
        t.add(F.requestedIp, v, 4, u32(buf, v));
        if (t.full) t.label[oi] = `Option: (50) Requested IP Address (${formatIPv4(u32(buf, v))})`;
      }
      break;
    case 54:
      if (len === 4) {
        t.add(F.serverId, v, 4, u32(buf, v));
        if (t.full) t.label[oi] = `Option: (54) DHCP Server Identifier (${formatIPv4(u32(buf, v))})`;
      }
      break;
    case 51:
      if (len === 4) secondsItem(p, F.leaseTime, 'IP Address Lease Time', v, u32(buf, v));
      break;
    case 58:
      if (len === 4) secondsItem(p, F.renewalTime, 'Renewal Time Value', v, u32(buf, v));
      break;
    case 59:
      if (len === 4) secondsItem(p, F.rebindingTime, 'Rebinding Time Value', v, u32(buf, v));
      break;
    case 57:
      if (len === 2) t.add(F.maxMessageSize, v, 2, u16(buf, v));
      break;
    case 12:
      text(F.hostname);
      break;
    case 15:
      text(F.domainName);
      break;
    case 56:
      text(F.message);
      break;
    case 60:
      text(F.vendorClassId);
      break;
    case 55:
      for (let k = 0; k < len; k++) {
        const code = buf[v + k];
        const i = t.add(F.requestListItem, v + k, 1, code);
        // Wireshark 4.0 puts the code first here: "(1) Subnet Mask".
        if (t.full) t.setLabel(i, `Parameter Request List Item: (${code}) ${OPTION_NAMES.get(code) ?? 'Unknown'}`);
      }
      break;
    case 61:
      if (len >= 1) {
        if (buf[v] === 1 && len === 7) {
          // RFC 2132 §9.14: a hardware type and address, shown with the header's fields.
          t.add(F.hwType, v, 1, 1);
          t.add(F.hwMac, v + 1, 6);
        } else {
          t.add(F.clientIdType, v, 1, buf[v]);
          if (len > 1) t.add(F.clientId, v + 1, len - 1);
        }
      }
      break;
    default:
  }
  t.close();
  return len + 2;
}

udpPortTable.add(67, dissectDhcp);
udpPortTable.add(68, dissectDhcp);
udpPortTable.add(4011, dissectDhcp);
