// UDP (RFC 768, IP protocol 17): ports, length and checksum as Wireshark 4.0's packet-udp.c shows
// them, the "srcport → dstport Len=N" Info, and the hand-off of the payload by port. Also home of
// the pseudo-header checksum that TCP shares (RFC 768 defined it first).

import { defineFields } from './fields.js';
import { carrierOnPorts, ipProtoTable, NOT_MINE, udpHeuristics, udpPortTable } from './tables.js';
import type { Packet } from './packet.js';
import { GENERATED, HIDDEN } from './tree.js';
import { u16, hex4 } from './bytes.js';
import { dissectData } from './data.js';
import { CHECKSUM, CHECKSUM_STATUS, checksumShouldBe, transportChecksum } from './checksum.js';

/** Wireshark's proto_checksum_vals (udp.checksum.status, tcp.checksum.status). */

export const udpFields = defineFields({
  udp: { abbrev: 'udp', name: 'User Datagram Protocol', type: 'protocol' },
  srcport: { abbrev: 'udp.srcport', name: 'Source Port', type: 'uint', bits: 16, base: 'dec' },
  dstport: { abbrev: 'udp.dstport', name: 'Destination Port', type: 'uint', bits: 16, base: 'dec' },
  port: { abbrev: 'udp.port', name: 'Source or Destination Port', type: 'uint', bits: 16, base: 'dec' },
  length: { abbrev: 'udp.length', name: 'Length', type: 'uint', bits: 16, base: 'dec' },
  checksum: { abbrev: 'udp.checksum', name: 'Checksum', type: 'uint', bits: 16, base: 'hex' },
  checksumCalculated: {
    abbrev: 'udp.checksum_calculated',
    name: 'Calculated Checksum',
    type: 'uint',
    bits: 16,
    base: 'hex',
  },
  checksumStatus: {
    abbrev: 'udp.checksum.status',
    name: 'Checksum Status',
    type: 'uint',
    bits: 8,
    base: 'none',
    strings: CHECKSUM_STATUS,
  },
  payload: { abbrev: 'udp.payload', name: 'Payload', type: 'bytes' },
  stream: { abbrev: 'udp.stream', name: 'Stream index', type: 'uint', bits: 32, base: 'dec' },
  timeRelative: { abbrev: 'udp.time_relative', name: 'Time since first frame', type: 'reltime', unit: ' seconds' },
  timeDelta: { abbrev: 'udp.time_delta', name: 'Time since previous frame', type: 'reltime', unit: ' seconds' },
});

const F = udpFields;

/** UDP preferences (Wireshark's udp.* preferences that change dissection). */
export const udpPreferences = {
  /** Verify checksums (udp.check_checksum; off by default in Wireshark 4.0). */
  checkChecksum: false,
  /** Accept a zero checksum over IPv6 (udp.ignore_ipv6_zero_checksum; RFC 8200 §8.1 forbids it, off by default). */
  ignoreIpv6ZeroChecksum: false,
};

/**
 * Bytes [o, o+n) missing: marks the packet as Wireshark's bounds exceptions would (truncated when
 * the capture cut it, malformed when past the reported length, nothing for the latter inside an
 * ICMP error quote) and returns true.
 */
function bytesMissing(p: Packet, buf: Uint8Array, o: number, n: number, end: number): boolean {
  const stop = o + n;
  if (stop <= end && stop <= buf.length) return false;
  if (stop > end) {
    if (!p.inErrorPacket) p.malformed('UDP');
  } else {
    p.truncated('UDP');
  }
  return true;
}

/** The UDP dissector (ipProtoTable 17). */
export function dissectUdp(p: Packet, buf: Uint8Array, off: number, end: number): void {
  const t = p.tree;
  const info = p.wantColumns && !p.inErrorPacket;
  p.addLayer('udp');
  if (bytesMissing(p, buf, off, 2, end) || bytesMissing(p, buf, off + 2, 2, end)) return;
  const sport = u16(buf, off);
  const dport = u16(buf, off + 2);
  if (info) {
    p.setProtocol('UDP');
    p.setInfo(`${sport} \u2192 ${dport}`);
  }
  const reportedLen = end - off;
  // A protocol item never needs its bytes (Wireshark clips it to what was captured).
  const top = t.add(F.udp, off, Math.max(0, Math.min(8, Math.min(end, buf.length) - off)));
  if (t.full) t.setLabel(top, `User Datagram Protocol, Src Port: ${sport}, Dst Port: ${dport}`);
  t.open(top);
  const si = t.add(F.srcport, off, 2, sport);
  possibleTraceroute(p, si, sport, off);
  const di = t.add(F.dstport, off + 2, 2, dport);
  possibleTraceroute(p, di, dport, off + 2);
  t.add(F.port, off, 2, sport, HIDDEN);
  t.add(F.port, off + 2, 2, dport, HIDDEN);

  if (bytesMissing(p, buf, off + 4, 2, end)) return;
  let ulen = u16(buf, off + 4);
  const li = t.add(F.length, off + 4, 2, ulen);
  let jumbogram = false;
  if (ulen === 0 && p.netType === 6) {
    // RFC 2675 §4: a zero length over IPv6 is a jumbogram; the length is the IP payload's.
    ulen = reportedLen;
    jumbogram = true;
  }
  if (ulen < 8) {
    if (t.full) t.setLabel(li, `Length: ${ulen} (bogus, must be >= 8)`);
    t.open(li);
    p.expert('UDP', 'udp.length.bad', 'error', 'malformed', `Bad length value ${ulen} < 8`, off + 4, 2);
    t.close();
    if (info) p.appendInfo(` [BAD UDP LENGTH ${ulen} < 8]`);
    t.close();
    return;
  }
  if (ulen > reportedLen && !p.fragmented && !p.inErrorPacket) {
    if (t.full) t.setLabel(li, `Length: ${ulen} (bogus, payload length ${reportedLen})`);
    t.open(li);
    p.expert('UDP', 'udp.length.bad', 'error', 'malformed', `Bad length value ${ulen} > IP payload length`, off + 4, 2);
    t.close();
    if (info) p.appendInfo(` [BAD UDP LENGTH ${ulen} > IP PAYLOAD LENGTH]`);
  }
  if (jumbogram && ulen < 65536) {
    t.open(li);
    p.expert('UDP', 'udp.length.bad_zero', 'warn', 'protocol', 'Length is zero but payload < 65536', off + 4, 2);
    t.close();
  }
  if (info) p.appendInfo(jumbogram ? ` Len=${ulen - 8} [Jumbogram]` : ` Len=${ulen - 8}`);

  if (bytesMissing(p, buf, off + 6, 2, end)) return;
  checksum(p, buf, off, end, ulen, reportedLen, info);

  if (!p.inErrorPacket) {
    p.ipProto = 17;
    p.srcPort = sport;
    p.dstPort = dport;
  }
  // The conversation analysis (with the TCP one): udp.stream, and the times within the stream.
  // The UDP quoted in an ICMP error is left out (synack keeps no state from error packets).
  const conv = p.tcpAnalysis && !p.inErrorPacket ? udpConversation(p, sport, dport) : undefined;
  if (conv !== undefined) t.add(F.stream, off + 8, 0, conv.stream, GENERATED);
  const capEnd = Math.min(end, buf.length);
  const payloadOff = off + 8;
  if (ulen === 8 || (p.inErrorPacket && capEnd <= payloadOff)) {
    t.close();
    return;
  }
  if (conv !== undefined) udpTimestamps(p, conv);
  // The payload item runs to the end of the captured bytes, so it needs at least one of them.
  if (bytesMissing(p, buf, payloadOff, 1, end)) return;
  // The payload ends where the UDP length says, unless the IP payload ends first.
  const payloadEnd = ulen < reportedLen ? off + ulen : end;
  const shown = Math.min(capEnd, payloadEnd) - payloadOff;
  const pi = t.add(F.payload, payloadOff, capEnd - payloadOff);
  if (t.full) t.setLabel(pi, `UDP payload (${shown} byte${shown === 1 ? '' : 's'})`);
  t.close();
  // Skipped when no output needs it, unless it may carry lower layers again (sFlow, a tunnel).
  if (p.payloads || carrierOnPorts(udpPortTable, sport, dport))
    dissectUdpPayload(p, buf, payloadOff, payloadEnd, sport, dport);
}

/** A UDP conversation (two endpoints, either way), as Wireshark's udp_analysis: its stream and times. */
class UdpConversation {
  constructor(
    readonly stream: number,
    readonly firstSec: number,
    readonly firstNsec: number,
    public prevSec: number,
    public prevNsec: number,
  ) {}
}

/** The capture's UDP conversations, numbered in order of first appearance (udp_stream_count). */
class UdpConversations {
  count = 0;
  /** IPv4: endpoint (address * 65536 + port) of the lower side, then of the other. */
  readonly v4 = new Map<number, Map<number, UdpConversation>>();
  /** Other networks: by text. */
  readonly other = new Map<string, UdpConversation>();
}

const newConversations = (): UdpConversations => new UdpConversations();

/**
 * The packet's UDP conversation, made on its first packet. A conversation never ends, as in
 * Wireshark: the same addresses and ports later are the same stream.
 */
function udpConversation(p: Packet, sport: number, dport: number): UdpConversation | undefined {
  const all = p.session.protocolState('udp.conversations', newConversations);
  const m = p.meta;
  const made = (): UdpConversation => new UdpConversation(all.count++, m.tsSec, m.tsNsec, m.tsSec, m.tsNsec);
  if (p.netType === 4) {
    const a = p.netSrc4 * 65536 + sport;
    const b = p.netDst4 * 65536 + dport;
    const lo = a < b ? a : b;
    const hi = a < b ? b : a;
    let inner = all.v4.get(lo);
    if (inner === undefined) all.v4.set(lo, (inner = new Map()));
    let c = inner.get(hi);
    if (c === undefined) inner.set(hi, (c = made()));
    return c;
  }
  if (p.netType !== 6 || p.netSrc6 === undefined || p.netDst6 === undefined) return undefined;
  const a = `${p.netSrc6.join('.')}/${sport}`;
  const b = `${p.netDst6.join('.')}/${dport}`;
  const key = a < b ? `${a}|${b}` : `${b}|${a}`;
  let c = all.other.get(key);
  if (c === undefined) all.other.set(key, (c = made()));
  return c;
}

/**
 * Makes the next new UDP conversation of this session number `next` (a replay of one
 * conversation, numbered as the whole capture numbers it: the web UI's details).
 */
export function numberUdpStreamsFrom(session: Packet['session'], next: number): void {
  session.protocolState('udp.conversations', newConversations).count = next;
}

/** "[Timestamps]": time since the stream's first frame and since its previous one. */
function udpTimestamps(p: Packet, c: UdpConversation): void {
  const t = p.tree;
  const m = p.meta;
  const ts = t.addText(0, 0, 'Timestamps', GENERATED);
  t.open(ts);
  t.addInterval(F.timeRelative, 0, 0, m.tsSec - c.firstSec, m.tsNsec - c.firstNsec, GENERATED);
  t.addInterval(F.timeDelta, 0, 0, m.tsSec - c.prevSec, m.tsNsec - c.prevNsec, GENERATED);
  t.close();
  c.prevSec = m.tsSec;
  c.prevNsec = m.tsNsec;
}

/**
 * Hands UDP payload to the dissector registered for its ports (decode_udp_ports with "try
 * heuristic first" off): the lower port, then the higher one (port 0 is never looked up), then
 * the heuristics, else data. A port dissector that finds the data is not its protocol returns
 * NOT_MINE and the next candidate is tried.
 */
export function dissectUdpPayload(
  p: Packet,
  buf: Uint8Array,
  off: number,
  end: number,
  srcPort: number,
  dstPort: number,
): void {
  const low = srcPort > dstPort ? dstPort : srcPort;
  const high = srcPort > dstPort ? srcPort : dstPort;
  if (low !== 0 && tryPort(p, buf, off, end, low)) return;
  if (high !== 0 && high !== low && tryPort(p, buf, off, end, high)) return;
  if (udpHeuristics.try(p, buf, off, end)) return;
  dissectData(p, buf, off, end);
}

function tryPort(p: Packet, buf: Uint8Array, off: number, end: number, port: number): boolean {
  const d = udpPortTable.get(port);
  return d !== undefined && d(p, buf, off, end) !== NOT_MINE;
}

// LBL traceroute sends to ports 33435.. (32768 + 666 + 1), three probes per hop.
function possibleTraceroute(p: Packet, item: number, port: number, at: number): void {
  if (port <= 32768 + 666 || port > 32768 + 666 + 30) return;
  const n = port - 32768 - 666 - 1;
  p.tree.open(item);
  p.expert(
    'UDP',
    'udp.possible_traceroute',
    'chat',
    'sequence',
    `Possible traceroute: hop #${Math.floor(n / 3) + 1}, attempt #${(n % 3) + 1}`,
    at,
    2,
  );
  p.tree.close();
}

function checksum(
  p: Packet,
  buf: Uint8Array,
  off: number,
  end: number,
  ulen: number,
  reportedLen: number,
  info: boolean,
): void {
  const t = p.tree;
  const field = u16(buf, off + 6);
  const at = off + 6;
  if (field === 0) {
    // RFC 768: zero means "no checksum" over IPv4; RFC 8200 §8.1 makes it illegal over IPv6.
    const ci = t.add(F.checksum, at, 2, 0);
    const ignored = p.netType === 4 || (p.netType === 6 && udpPreferences.ignoreIpv6ZeroChecksum) || p.inErrorPacket;
    if (t.full) t.setLabel(ci, `Checksum: 0x0000 [zero-value ${ignored ? 'ignored' : 'illegal'}]`);
    t.open(ci);
    if (!ignored) {
      p.expert('UDP', 'udp.checksum.zero', 'error', 'checksum', 'Illegal checksum value (0)', at, 2);
      if (info) p.appendInfo(' [ILLEGAL CHECKSUM (0)]');
    }
    t.add(F.checksumStatus, at, 2, ignored ? CHECKSUM.NOT_PRESENT : CHECKSUM.ILLEGAL, GENERATED);
    t.close();
    return;
  }
  const captured = Math.min(end, buf.length) - off;
  const checkable = !p.fragmented && captured >= reportedLen && ulen <= captured && ulen <= reportedLen;
  if (checkable && udpPreferences.checkChecksum && !p.inErrorPacket && (p.netType === 4 || p.netType === 6)) {
    const computed = transportChecksum(p, 17, buf, off, ulen);
    const ci = t.add(F.checksum, at, 2, field);
    const expected = computed === 0 ? field : checksumShouldBe(field, computed);
    if (computed === 0) {
      if (t.full) t.setLabel(ci, `Checksum: 0x${hex4(field)} [correct]`);
      t.add(F.checksumStatus, at, 0, CHECKSUM.GOOD, GENERATED);
    } else {
      if (t.full)
        t.setLabel(
          ci,
          `Checksum: 0x${hex4(field)} incorrect, should be 0x${hex4(expected)} (maybe caused by "UDP checksum offload"?)`,
        );
      t.add(F.checksumStatus, at, 0, CHECKSUM.BAD, GENERATED);
      t.open(ci);
      p.expert('UDP', 'udp.checksum.bad', 'error', 'checksum', `Bad checksum [should be 0x${hex4(expected)}]`, at, 2);
      t.close();
      if (info) p.appendInfo(' [UDP CHECKSUM INCORRECT]');
    }
    t.open(ci);
    t.add(F.checksumCalculated, at, 2, expected, GENERATED);
    t.close();
    return;
  }
  const ci = t.add(F.checksum, at, 2, field);
  if (t.full) t.setLabel(ci, `Checksum: 0x${hex4(field)} [unverified]`);
  t.add(F.checksumStatus, at, 0, CHECKSUM.UNVERIFIED, GENERATED);
}

ipProtoTable.add(17, dissectUdp);
