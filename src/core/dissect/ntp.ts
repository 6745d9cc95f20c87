// NTP (RFC 5905, UDP 123): the header of the standard modes with its four timestamps, and the
// "NTP Version 4, client" Info and protocol label of Wireshark 4.0's packet-ntp.c. Control
// (mode 6) and private (mode 7) messages get their Info and flags only.

import { defineFields, valueStrings } from './fields.js';
import { udpPortTable } from './tables.js';
import type { Packet } from './packet.js';
import { formatIPv4, hex4, u16, u32 } from './bytes.js';
import { GENERATED } from './tree.js';
import { conversationKey } from './dns.js';

const VERSIONS = valueStrings({
  0: 'reserved',
  1: 'NTP Version 1',
  2: 'NTP Version 2',
  3: 'NTP Version 3',
  4: 'NTP Version 4',
  5: 'reserved',
  6: 'reserved',
  7: 'reserved',
});

const MODES = valueStrings({
  0: 'reserved',
  1: 'symmetric active',
  2: 'symmetric passive',
  3: 'client',
  4: 'server',
  5: 'broadcast',
  6: 'reserved for NTP control message',
  7: 'reserved for private use',
});

/** Mode names in the Info column and the protocol label (Wireshark's info_mode_types). */
const INFO_MODES = valueStrings({
  0: 'reserved',
  1: 'symmetric active',
  2: 'symmetric passive',
  3: 'client',
  4: 'server',
  5: 'broadcast',
  6: 'control',
  7: 'private',
});

const LEAP = valueStrings({
  0: 'no warning',
  1: 'last minute of the day has 61 seconds',
  2: 'last minute of the day has 59 seconds',
  3: 'unknown (clock unsynchronized)',
});

export const ntpFields = defineFields({
  ntp: { abbrev: 'ntp', name: 'Network Time Protocol', type: 'protocol' },
  flags: { abbrev: 'ntp.flags', name: 'Flags', type: 'uint', bits: 8, base: 'hex' },
  li: { abbrev: 'ntp.flags.li', name: 'Leap Indicator', type: 'uint', bits: 8, base: 'dec', mask: 0xc0, strings: LEAP },
  vn: {
    abbrev: 'ntp.flags.vn',
    name: 'Version number',
    type: 'uint',
    bits: 8,
    base: 'dec',
    mask: 0x38,
    strings: VERSIONS,
  },
  mode: { abbrev: 'ntp.flags.mode', name: 'Mode', type: 'uint', bits: 8, base: 'dec', mask: 0x07, strings: MODES },
  stratum: { abbrev: 'ntp.stratum', name: 'Peer Clock Stratum', type: 'uint', bits: 8, base: 'dec' },
  ppoll: { abbrev: 'ntp.ppoll', name: 'Peer Polling Interval', type: 'uint', bits: 8, base: 'dec' },
  precision: { abbrev: 'ntp.precision', name: 'Peer Clock Precision', type: 'uint', bits: 8, base: 'dec' },
  rootDelay: { abbrev: 'ntp.rootdelay', name: 'Root Delay', type: 'uint', bits: 32, base: 'dec' },
  rootDispersion: { abbrev: 'ntp.rootdispersion', name: 'Root Dispersion', type: 'uint', bits: 32, base: 'dec' },
  refid: { abbrev: 'ntp.refid', name: 'Reference ID', type: 'bytes' },
  reftime: { abbrev: 'ntp.reftime', name: 'Reference Timestamp', type: 'abstime' },
  org: { abbrev: 'ntp.org', name: 'Origin Timestamp', type: 'abstime' },
  rec: { abbrev: 'ntp.rec', name: 'Receive Timestamp', type: 'abstime' },
  xmt: { abbrev: 'ntp.xmt', name: 'Transmit Timestamp', type: 'abstime' },
  keyid: { abbrev: 'ntp.keyid', name: 'Key ID', type: 'bytes' },
  mac: { abbrev: 'ntp.mac', name: 'Message Authentication Code', type: 'bytes' },
  responseIn: { abbrev: 'ntp.response_in', name: 'Response In', type: 'framenum' },
  requestIn: { abbrev: 'ntp.request_in', name: 'Request In', type: 'framenum' },
  deltaTime: { abbrev: 'ntp.delta_time', name: 'Delta Time', type: 'reltime', unit: ' seconds' },
});

const F = ntpFields;

/** Seconds between the NTP era 0 epoch (1900) and the Unix epoch (RFC 5905 §6). */
const NTP_UNIX_OFFSET = 2208988800;

/** The NTP dissector (UDP 123). */
export function dissectNtp(p: Packet, buf: Uint8Array, off: number, end: number): void {
  const t = p.tree;
  const capEnd = Math.min(end, buf.length);
  const info = p.wantColumns && !p.inErrorPacket;
  p.addLayer('ntp');
  if (info) p.setProtocol('NTP');
  if (off >= capEnd) {
    p.short('NTP', buf, off, 1, end);
    return;
  }
  const flags = buf[off];
  const version = (flags >> 3) & 7;
  const mode = flags & 7;
  const summary = `${VERSIONS.get(version)}, ${INFO_MODES.get(mode)}`;
  if (info) p.setInfo(summary);
  const top = t.add(F.ntp, off, capEnd - off);
  if (t.full) t.setLabel(top, `Network Time Protocol (${summary})`);
  t.open(top);
  const fi = t.add(F.flags, off, 1, flags);
  if (t.full)
    t.setLabel(
      fi,
      `Flags: 0x${hex4(flags).slice(2)}, Leap Indicator: ${LEAP.get(flags >> 6)}, Version number: ${VERSIONS.get(version)}, Mode: ${MODES.get(mode)}`,
    );
  t.open(fi);
  t.add(F.li, off, 1, flags >> 6);
  t.add(F.vn, off, 1, version);
  t.add(F.mode, off, 1, mode);
  t.close();
  if (!p.inErrorPacket && (mode === 3 || mode === 4)) linkExchange(p, mode === 3);
  // Control and private messages (modes 6 and 7) have their own layouts, not decoded here.
  if (mode === 6 || mode === 7) {
    t.close();
    return;
  }
  if (p.short('NTP', buf, off + 1, 47, end)) return;
  const stratum = buf[off + 1];
  const si = t.add(F.stratum, off + 1, 1, stratum);
  if (t.full) t.setLabel(si, `Peer Clock Stratum: ${stratumText(stratum)} (${stratum})`);
  const ppoll = buf[off + 2];
  const pi = t.add(F.ppoll, off + 2, 1, ppoll);
  if (t.full) t.setLabel(pi, `Peer Polling Interval: ${ppoll} (${2 ** ppoll} seconds)`);
  const precision = (buf[off + 3] << 24) >> 24;
  const ci = t.add(F.precision, off + 3, 1, buf[off + 3]);
  if (t.full) t.setLabel(ci, `Peer Clock Precision: ${(2 ** precision).toFixed(6)} seconds`);
  const delay = u32(buf, off + 4);
  const di = t.add(F.rootDelay, off + 4, 4, delay);
  if (t.full) t.setLabel(di, `Root Delay: ${shortFormatSeconds(buf, off + 4).toFixed(6)} seconds`);
  const disp = u32(buf, off + 8);
  const ri = t.add(F.rootDispersion, off + 8, 4, disp);
  if (t.full) t.setLabel(ri, `Root Dispersion: ${shortFormatSeconds(buf, off + 8).toFixed(6)} seconds`);
  const idi = t.add(F.refid, off + 12, 4);
  if (t.full) t.setLabel(idi, `Reference ID: ${refidText(buf, off + 12, stratum)}`);
  const stamps = [F.reftime, F.org, F.rec, F.xmt];
  for (let k = 0; k < 4; k++) {
    const o = off + 16 + 8 * k;
    const sec = u32(buf, o);
    const frac = u32(buf, o + 4);
    // Wireshark maps a zero timestamp to the Unix epoch and truncates the fraction to nanoseconds.
    t.addTime(stamps[k], o, 8, sec === 0 ? 0 : sec - NTP_UNIX_OFFSET, Math.floor(frac / (4294967296 / 1e9)));
  }
  // RFC 5905 §7.3: an optional key identifier and message digest follow the header.
  const rest = Math.min(end, capEnd) - (off + 48);
  if (rest >= 4) {
    t.add(F.keyid, off + 48, 4);
    if (rest > 4) t.add(F.mac, off + 52, rest - 4);
  }
  t.close();
}

interface Exchange {
  reqFrame: number;
  respFrame: number;
  reqSec: number;
  reqNsec: number;
}

/** Client requests per conversation, in frame order; bounded like DNS's table. */
class NtpState {
  readonly byConversation = new Map<string, Exchange[]>();
  count = 0;

  latest(key: string, frame: number): Exchange | undefined {
    const list = this.byConversation.get(key);
    if (list === undefined) return undefined;
    for (let i = list.length - 1; i >= 0; i--) if (list[i].reqFrame <= frame) return list[i];
    return undefined;
  }
}

const MAX_EXCHANGES = 100_000;
const newState = () => new NtpState();

/**
 * Request/response linking as Wireshark 4.0 does it: a server reply answers the latest client
 * request of its conversation. The links show only in a two-pass run's output pass, as in tshark.
 */
function linkExchange(p: Packet, isRequest: boolean): void {
  const key = conversationKey(p);
  const frame = p.meta.number;
  const state = p.session.protocolState('ntp', newState);
  if (isRequest) {
    let list = state.byConversation.get(key);
    if (list === undefined) state.byConversation.set(key, (list = []));
    list.push({ reqFrame: frame, respFrame: 0, reqSec: p.meta.tsSec, reqNsec: p.meta.tsNsec });
    if (++state.count > MAX_EXCHANGES) {
      // Forget everything rather than track the age of each entry: links are a convenience.
      state.byConversation.clear();
      state.count = 0;
    }
  } else {
    const ex = state.latest(key, frame);
    if (ex !== undefined && ex.respFrame === 0) ex.respFrame = frame;
  }
  const first = p.session.firstPass?.protocolState('ntp', newState);
  if (first === undefined) return;
  const ex = first.latest(key, frame);
  if (ex === undefined) return;
  const t = p.tree;
  if (isRequest) {
    if (ex.respFrame !== 0) t.add(F.responseIn, 0, 0, ex.respFrame, GENERATED);
  } else if (ex.respFrame === frame) {
    t.add(F.requestIn, 0, 0, ex.reqFrame, GENERATED);
    t.addInterval(F.deltaTime, 0, 0, p.meta.tsSec - ex.reqSec, p.meta.tsNsec - ex.reqNsec, GENERATED);
  }
}

function stratumText(s: number): string {
  if (s === 0) return 'unspecified or invalid';
  if (s === 1) return 'primary reference';
  if (s <= 15) return 'secondary reference';
  if (s === 16) return 'unsynchronized';
  return 'reserved';
}

/** An NTP short-format value (16.16 fixed point) in seconds. */
function shortFormatSeconds(b: Uint8Array, o: number): number {
  return u16(b, o) + u16(b, o + 2) / 65536;
}

/** RFC 5905 §7.3: a stratum-1 reference ID is an ASCII source code, else an IPv4 address. */
function refidText(b: Uint8Array, o: number, stratum: number): string {
  if (stratum <= 1) {
    let s = '';
    for (let k = 0; k < 4 && b[o + k] !== 0; k++) s += String.fromCharCode(b[o + k]);
    return `Unidentified reference source '${s}'`;
  }
  return formatIPv4(u32(b, o));
}

udpPortTable.add(123, dissectNtp);
