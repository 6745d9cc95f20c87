// TCP (RFC 9293, IP protocol 6): the header fields, flags, checksum and Info column of
// Wireshark 4.0's packet-tcp.c, the options (tcp-options.ts), and the hand-off of the payload by
// port. Stream analysis (tcp.stream, relative sequence numbers, expert flags) lives elsewhere and
// plugs in through the TcpAnalysisHook below.

import { defineFields, SET_NOT_SET } from './fields.js';
import { carrierOnPorts, ipProtoTable, NOT_MINE, tcpHeuristics, tcpPortTable } from './tables.js';
import type { Packet } from './packet.js';
import { FieldGroup, GENERATED, HIDDEN } from './tree.js';
import { decimalText, u16, u32, hex4 } from './bytes.js';
import { dissectData } from './data.js';
import { bytesMissing, dissectTcpOptions, tcpOptionFields } from './tcp-options.js';
import { CHECKSUM, CHECKSUM_STATUS, checksumShouldBe, transportChecksum } from './checksum.js';

// Flag booleans are bits of a 12-bit field in Wireshark (their bit pictures have 12 places).
const FLAG_BITS = 12;

export const tcpFields = defineFields({
  tcp: { abbrev: 'tcp', name: 'Transmission Control Protocol', type: 'protocol' },
  srcport: { abbrev: 'tcp.srcport', name: 'Source Port', type: 'uint', bits: 16, base: 'dec' },
  dstport: { abbrev: 'tcp.dstport', name: 'Destination Port', type: 'uint', bits: 16, base: 'dec' },
  port: { abbrev: 'tcp.port', name: 'Source or Destination Port', type: 'uint', bits: 16, base: 'dec' },
  len: { abbrev: 'tcp.len', name: 'TCP Segment Len', type: 'uint', bits: 32, base: 'dec' },
  seq: { abbrev: 'tcp.seq', name: 'Sequence Number', type: 'uint', bits: 32, base: 'dec' },
  seqRaw: { abbrev: 'tcp.seq_raw', name: 'Sequence Number (raw)', type: 'uint', bits: 32, base: 'dec' },
  nxtseq: { abbrev: 'tcp.nxtseq', name: 'Next Sequence Number', type: 'uint', bits: 32, base: 'dec' },
  ack: { abbrev: 'tcp.ack', name: 'Acknowledgment Number', type: 'uint', bits: 32, base: 'dec' },
  ackRaw: { abbrev: 'tcp.ack_raw', name: 'Acknowledgment number (raw)', type: 'uint', bits: 32, base: 'dec' },
  hdrLen: { abbrev: 'tcp.hdr_len', name: 'Header Length', type: 'uint', bits: 8, base: 'dec' },
  flags: { abbrev: 'tcp.flags', name: 'Flags', type: 'uint', bits: 16, base: 'hex', mask: 0x0fff },
  flagsRes: {
    abbrev: 'tcp.flags.res',
    name: 'Reserved',
    type: 'bool',
    bits: FLAG_BITS,
    mask: 0xe00,
    trueFalse: SET_NOT_SET,
  },
  flagsAe: {
    abbrev: 'tcp.flags.ae',
    name: 'Accurate ECN',
    type: 'bool',
    bits: FLAG_BITS,
    mask: 0x100,
    trueFalse: SET_NOT_SET,
  },
  flagsCwr: {
    abbrev: 'tcp.flags.cwr',
    name: 'Congestion Window Reduced',
    type: 'bool',
    bits: FLAG_BITS,
    mask: 0x080,
    trueFalse: SET_NOT_SET,
  },
  flagsEce: {
    abbrev: 'tcp.flags.ece',
    name: 'ECN-Echo',
    type: 'bool',
    bits: FLAG_BITS,
    mask: 0x040,
    trueFalse: SET_NOT_SET,
  },
  flagsAce: { abbrev: 'tcp.flags.ace', name: 'ACE', type: 'uint', bits: 8, base: 'dec' },
  flagsUrg: {
    abbrev: 'tcp.flags.urg',
    name: 'Urgent',
    type: 'bool',
    bits: FLAG_BITS,
    mask: 0x020,
    trueFalse: SET_NOT_SET,
  },
  flagsAck: {
    abbrev: 'tcp.flags.ack',
    name: 'Acknowledgment',
    type: 'bool',
    bits: FLAG_BITS,
    mask: 0x010,
    trueFalse: SET_NOT_SET,
  },
  flagsPush: {
    abbrev: 'tcp.flags.push',
    name: 'Push',
    type: 'bool',
    bits: FLAG_BITS,
    mask: 0x008,
    trueFalse: SET_NOT_SET,
  },
  flagsReset: {
    abbrev: 'tcp.flags.reset',
    name: 'Reset',
    type: 'bool',
    bits: FLAG_BITS,
    mask: 0x004,
    trueFalse: SET_NOT_SET,
  },
  flagsSyn: {
    abbrev: 'tcp.flags.syn',
    name: 'Syn',
    type: 'bool',
    bits: FLAG_BITS,
    mask: 0x002,
    trueFalse: SET_NOT_SET,
  },
  flagsFin: {
    abbrev: 'tcp.flags.fin',
    name: 'Fin',
    type: 'bool',
    bits: FLAG_BITS,
    mask: 0x001,
    trueFalse: SET_NOT_SET,
  },
  flagsStr: { abbrev: 'tcp.flags.str', name: 'TCP Flags', type: 'string' },
  windowSizeValue: { abbrev: 'tcp.window_size_value', name: 'Window', type: 'uint', bits: 16, base: 'dec' },
  windowSize: { abbrev: 'tcp.window_size', name: 'Calculated window size', type: 'uint', bits: 32, base: 'dec' },
  windowSizeScalefactor: {
    abbrev: 'tcp.window_size_scalefactor',
    name: 'Window size scaling factor',
    type: 'int',
    bits: 32,
    base: 'dec',
  },
  checksum: { abbrev: 'tcp.checksum', name: 'Checksum', type: 'uint', bits: 16, base: 'hex' },
  checksumStatus: {
    abbrev: 'tcp.checksum.status',
    name: 'Checksum Status',
    type: 'uint',
    bits: 8,
    base: 'none',
    strings: CHECKSUM_STATUS,
  },
  checksumCalculated: {
    abbrev: 'tcp.checksum_calculated',
    name: 'Calculated Checksum',
    type: 'uint',
    bits: 16,
    base: 'hex',
  },
  urgentPointer: { abbrev: 'tcp.urgent_pointer', name: 'Urgent Pointer', type: 'uint', bits: 16, base: 'dec' },
  payload: { abbrev: 'tcp.payload', name: 'TCP payload', type: 'bytes' },
  resetCause: { abbrev: 'tcp.reset_cause', name: 'Reset cause', type: 'string' },
});

const F = tcpFields;

// Runs of items skipped together on the summary path when none of them is kept (one check each).
const SEQ_ITEMS = new FieldGroup([F.len, F.seq, F.seqRaw, F.nxtseq, F.ack, F.ackRaw, F.hdrLen]);
const FLAG_ITEMS = new FieldGroup([
  F.flagsRes,
  F.flagsAe,
  F.flagsCwr,
  F.flagsEce,
  F.flagsAce,
  F.flagsUrg,
  F.flagsAck,
  F.flagsPush,
  F.flagsReset,
  F.flagsSyn,
  F.flagsFin,
  F.flagsStr,
]);
const WINDOW_ITEMS = new FieldGroup([F.windowSizeValue, F.windowSize, F.windowSizeScalefactor]);
const CHECKSUM_ITEMS = new FieldGroup([F.checksum, F.checksumStatus, F.checksumCalculated]);

/** Flag bits of the 12-bit flags field. */
export const TH = {
  FIN: 0x001,
  SYN: 0x002,
  RST: 0x004,
  PUSH: 0x008,
  ACK: 0x010,
  URG: 0x020,
  ECE: 0x040,
  CWR: 0x080,
  AE: 0x100,
  RES: 0xe00,
} as const;

/** What dissectTcp does with the payload (TcpSegment.payloadMode). */
export const TCP_PAYLOAD = {
  /** Hand it to the dissector registered for the server port, the low port, the high port, else data. */
  DISSECT: 0,
  /** Show it as data only (Wireshark does so for keep-alives, whose byte is garbage). */
  DATA: 1,
  /** Keep it undissected (retransmissions and out-of-order segments, tcp_no_subdissector_on_error). */
  NONE: 2,
} as const;

/**
 * The segment being dissected: the header as read, and what the stream analysis made of it.
 * One object is reused for every segment (like gopacket's DecodingLayer): it is valid until the
 * payload is handed on, so the hook must copy what it keeps. The analysis fields start equal to
 * the raw values; without a hook they stay so.
 */
export class TcpSegment {
  /** Frame offset of the TCP header. */
  offset = 0;
  /** The TCP item in the tree (-1 when not kept): reassembly adds its items under it. */
  item = -1;
  srcPort = 0;
  dstPort = 0;
  seqRaw = 0;
  ackRaw = 0;
  /** Header length in bytes (data offset × 4). */
  hdrLen = 0;
  /** The 12 flag bits. */
  flags = 0;
  windowRaw = 0;
  checksum = 0;
  urgentPointer = 0;
  /** TCP payload length from the IP length (tcp.len); -1 when unknown (short segment, fragment, ICMP quote). */
  segLen = -1;

  // Set by the analysis hook in begin():
  /** Sequence and acknowledgment numbers to show (relative to the stream's base when `relative`). */
  seq = 0;
  ack = 0;
  /** Whether seq/ack (and SACK edges) are relative numbers: labels say "(relative sequence number)". */
  relative = false;
  /** Subtracted from SACK edges (the peer's base sequence number); 0 shows them raw. */
  sackBase = 0;
  /** The window after scaling (tcp.window_size). */
  window = 0;
  /** tcp.window_size_scalefactor (-1 unknown, -2 no scaling, else the multiplier); NaN adds no item. */
  windowScaleFactor = NaN;
  /** Show the ECN bits as the AccECN ACE counter (after an AccECN handshake). */
  useAce = false;
  /** The server port learnt from the SYN, tried first when the payload is handed on; 0 when unknown. */
  serverPort = 0;
  /** For a FIN: 1 when this side closes first, 2 when the peer did (Wireshark's closing_initiator); 0 unknown. */
  finRole = 0;
  /** Set by the hook in end(): what happens to the payload (TCP_PAYLOAD). */
  payloadMode: number = TCP_PAYLOAD.DISSECT;

  // Filled while the options are read (the D-SACK test of RFC 2883 looks at the first two blocks):
  sackCount = 0;
  sackRight0 = 0;
  sackLeft1 = 0;
  sackRight1 = 0;

  reset(): void {
    this.segLen = -1;
    this.relative = false;
    this.sackBase = 0;
    this.windowScaleFactor = NaN;
    this.useAce = false;
    this.serverPort = 0;
    this.finRole = 0;
    this.payloadMode = TCP_PAYLOAD.DISSECT;
    this.sackCount = 0;
    this.sackRight0 = 0;
    this.sackLeft1 = 0;
    this.sackRight1 = 0;
  }
}

/**
 * How the TCP stream analysis plugs into the dissector. The hook holds no state of its own: it
 * keeps its per-capture tables in `p.session.protocolState(...)`, so one hook serves every
 * capture. Calls, in order, for each segment whose fixed header could be read:
 *
 * 1. `begin` — after the 20-byte header has been read and tcp.len computed, before the Info
 *    column, tcp.seq/tcp.ack and the window fields. It may set seg.seq/ack/relative/sackBase
 *    (relative numbers), seg.window/windowScaleFactor, seg.useAce, seg.serverPort, and add its
 *    own items (tcp.stream, tcp.completeness) to the tree.
 * 2. `beforeOptions` — after the options item is added, before the options are read (items it
 *    adds, the stream times, follow the options in the tree and stay if an option is cut short).
 *    `option` — for the options the analysis tracks, after each was read: WS (shift), TS (tsval,
 *    tsecr), SACK (each block's edges, already relative), TFO (cookie length, SYN only), AccECN
 *    (order, data length), MPTCP (subtype).
 * 3. `end` — after the options, before the payload: the tcp.analysis subtree, Info prefixes, and
 *    seg.payloadMode.
 * 4. `payload` — if present and it returns true, it has taken the payload (reassembly) and the
 *    dissector does not hand it on.
 *
 * `begin` is called also inside ICMP error quotes (p.inErrorPacket), where Wireshark finds the
 * conversation too; the hook decides what to keep. Without a hook, tshark's defaults that need
 * stream state are not reproduced: Seq/Ack (Info, tcp.seq, tcp.ack, SACK edges) are the raw
 * numbers and the window is unscaled.
 */
export interface TcpAnalysisHook {
  begin(p: Packet, seg: TcpSegment): void;
  beforeOptions?(p: Packet, seg: TcpSegment): void;
  option?(p: Packet, seg: TcpSegment, kind: number, value1: number, value2: number): void;
  end?(p: Packet, seg: TcpSegment): void;
  payload?(p: Packet, seg: TcpSegment, buf: Uint8Array, off: number, end: number): boolean;
  /** A FIN segment without payload (it may end a message that runs until the FIN). */
  fin?(p: Packet, seg: TcpSegment): void;
}

let analysisHook: TcpAnalysisHook | undefined;

/** Installs (or removes, with undefined) the TCP stream analysis. */
export function setTcpAnalysisHook(hook: TcpAnalysisHook | undefined): void {
  analysisHook = hook;
}

/** TCP preferences (Wireshark's tcp.* preferences that change dissection). */
export const tcpPreferences = {
  /** Verify checksums (tcp.check_checksum; off by default in Wireshark 4.0: offloading makes them look bad). */
  checkChecksum: false,
};

const segment = new TcpSegment();

/** The tree item of the TCP segment being dissected (-1 when not kept), for items about its payload. */
export function tcpItem(): number {
  return segment.item;
}

/**
 * The flags of the segment being dissected (tcpinfo->flags for the protocols above): HTTP takes
 * a FIN as the end of the stream and then asks for no more body bytes.
 */
export function currentTcpFlags(): number {
  return segment.flags;
}

// "[SYN, ACK]" and "·······A··S·" for each flags value, built once per value on first use.
const FLAG_NAMES = ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR', 'AE'];
const LETTERS = 'RRRACEUAPRSF';
const flagsTextCache: string[] = [];
const flagsTextAceCache: string[] = [];
const flagsLettersCache: string[] = [];
const flagsLettersAceCache: string[] = [];

function ace(flags: number): number {
  return (flags >> 6) & 7;
}

/** The flag names Wireshark shows in Info and in the Flags label ("SYN, ACK", "ACK, ACE=2", "<None>"). */
export function tcpFlagsText(flags: number, useAce: boolean): string {
  const cache = useAce ? flagsTextAceCache : flagsTextCache;
  let s = cache[flags];
  if (s !== undefined) return s;
  s = '';
  const n = useAce ? 6 : 9;
  for (let i = 0; i < n; i++) if (flags & (1 << i)) s += (s ? ', ' : '') + FLAG_NAMES[i];
  if (useAce) s += `, ACE=${ace(flags)}`;
  if (flags & TH.RES) s += (s ? ', ' : '') + 'Reserved';
  if (!s) s = '<None>';
  cache[flags] = s;
  return s;
}

// Info's "50000 → " and " [ACK] Seq=" pieces, built once per port or flags value: the packet
// list would otherwise join them anew for every segment.
const portArrowCache: (string | undefined)[] = new Array<string | undefined>(65536).fill(undefined);
const flagsSeqCache: (string | undefined)[] = new Array<string | undefined>(4096).fill(undefined);
const flagsSeqAceCache: (string | undefined)[] = new Array<string | undefined>(4096).fill(undefined);

function portArrow(port: number): string {
  let s = portArrowCache[port];
  if (s === undefined) portArrowCache[port] = s = decimalText(port) + ' \u2192 ';
  return s;
}

function flagsSeqText(flags: number, useAce: boolean): string {
  const cache = useAce ? flagsSeqAceCache : flagsSeqCache;
  let s = cache[flags];
  if (s === undefined) cache[flags] = s = ' [' + tcpFlagsText(flags, useAce) + '] Seq=';
  return s;
}

/** tcp.flags.str: one letter per bit from the top ("RRRACEUAPRSF"), a middle dot when clear. */
export function tcpFlagsLetters(flags: number, useAce: boolean): string {
  const cache = useAce ? flagsLettersAceCache : flagsLettersCache;
  let s = cache[flags];
  if (s !== undefined) return s;
  s = '';
  for (let i = 0; i < 12; i++) {
    if (useAce && i >= 3 && i <= 5) s += i === 4 ? String(ace(flags)) : '-';
    else s += (flags >> (11 - i)) & 1 ? LETTERS[i] : '\u00b7';
  }
  cache[flags] = s;
  return s;
}

/** The TCP dissector (ipProtoTable 6). */
export function dissectTcp(p: Packet, buf: Uint8Array, off: number, end: number): void {
  const t = p.tree;
  p.addLayer('tcp');
  const top = t.add(F.tcp, off, Math.max(0, Math.min(end, buf.length) - off));
  t.open(top);
  const s = segment;
  s.item = top;
  const payloadOff = dissectHeader(p, buf, off, end, top);
  t.close();
  // Skipped when no output needs it (nothing to reassemble either), unless the payload may carry
  // lower layers again (a dissector in tables.ts's carriesFrames on one of the ports).
  if (!p.payloads && !carrierOnPorts(tcpPortTable, s.srcPort, s.dstPort)) return;
  const hook = p.tcpAnalysis ? analysisHook : undefined;
  if (payloadOff < 0) {
    if (hook?.fin && s.flags & TH.FIN && s.segLen >= 0) hook.fin(p, s);
    return;
  }
  if (hook?.payload && hook.payload(p, s, buf, payloadOff, end)) return;
  if (s.payloadMode === TCP_PAYLOAD.NONE) return;
  if (s.payloadMode === TCP_PAYLOAD.DATA) {
    dissectData(p, buf, payloadOff, end);
    return;
  }
  dissectTcpPayload(p, buf, payloadOff, end, s.srcPort, s.dstPort, s.serverPort);
}

/**
 * The header, options and payload item, in Wireshark's order (which decides what a short packet
 * shows). Returns the payload offset when there is payload to hand on, else -1.
 */
function dissectHeader(p: Packet, buf: Uint8Array, off: number, end: number, top: number): number {
  const t = p.tree;
  const hook = p.tcpAnalysis ? analysisHook : undefined;
  const info = p.wantColumns && !p.inErrorPacket;
  // The usual case, a whole fixed header captured, skips the field-by-field checks below.
  const fixedHeader = off + 20 <= end && off + 20 <= buf.length;
  if (!fixedHeader && (bytesMissing(p, 'TCP', buf, off, 2, end) || bytesMissing(p, 'TCP', buf, off + 2, 2, end)))
    return -1;
  const s = segment;
  s.reset();
  s.offset = off;
  const sport = u16(buf, off);
  const dport = u16(buf, off + 2);
  s.srcPort = sport;
  s.dstPort = dport;
  if (info) {
    p.setProtocol('TCP');
    p.setInfo(portArrow(sport) + decimalText(dport));
  }
  if (t.full) t.setLabel(top, `Transmission Control Protocol, Src Port: ${sport}, Dst Port: ${dport}`);
  t.add(F.srcport, off, 2, sport);
  t.add(F.dstport, off + 2, 2, dport);
  if (t.keeps(F.port)) {
    t.add(F.port, off, 2, sport, HIDDEN);
    t.add(F.port, off + 2, 2, dport, HIDDEN);
  }
  // The quote of an ICMP (v4) error holds 8 bytes of TCP: Wireshark shows the sequence number now,
  // because the regular item further down is never reached.
  const inIcmpQuote = p.inErrorPacket && p.netType === 4;
  if (inIcmpQuote) {
    if (bytesMissing(p, 'TCP', buf, off + 4, 4, end)) return -1;
    t.add(F.seq, off + 4, 4, u32(buf, off + 4));
  }
  if (!p.inErrorPacket) {
    p.ipProto = 6;
    p.srcPort = sport;
    p.dstPort = dport;
  }

  // Read one field at a time as Wireshark does: the first missing one decides truncated or malformed.
  if (
    !fixedHeader &&
    (bytesMissing(p, 'TCP', buf, off + 4, 4, end) ||
      bytesMissing(p, 'TCP', buf, off + 8, 4, end) ||
      bytesMissing(p, 'TCP', buf, off + 12, 1, end) ||
      bytesMissing(p, 'TCP', buf, off + 12, 2, end) ||
      bytesMissing(p, 'TCP', buf, off + 14, 2, end))
  ) {
    return -1;
  }
  s.seqRaw = u32(buf, off + 4);
  s.ackRaw = u32(buf, off + 8);
  s.hdrLen = (buf[off + 12] >> 4) * 4;
  s.flags = u16(buf, off + 12) & 0x0fff;
  s.windowRaw = u16(buf, off + 14);
  s.seq = s.seqRaw;
  s.ack = s.ackRaw;
  s.window = s.windowRaw;
  const flags = s.flags;
  const reportedLen = end - off;
  const sq = t.keepsAny(SEQ_ITEMS);

  // Wireshark finds the stream (tcp.stream, tcp.completeness) before it looks at the length.
  const lengthKnown = !p.fragmented && !p.inErrorPacket;
  if (lengthKnown && reportedLen >= s.hdrLen) s.segLen = reportedLen - s.hdrLen;
  if (hook) hook.begin(p, s);
  if (lengthKnown) {
    if (reportedLen < s.hdrLen) {
      p.expert(
        'TCP',
        'tcp.short_segment',
        'warn',
        'malformed',
        'Short segment. Segment/fragment does not contain a full TCP header (might be NMAP or someone else deliberately sending unusual packets)',
        off,
        0,
      );
    } else if (sq) {
      t.add(F.len, off, 0, s.segLen, GENERATED);
    }
  }

  const flagsText = t.full ? tcpFlagsText(flags, s.useAce) : '';
  if (info) {
    let text = flagsSeqText(flags, s.useAce) + decimalText(s.seq);
    if (flags & TH.ACK) text += ' Ack=' + decimalText(s.ack);
    p.appendInfo(text + ' Win=' + decimalText(s.window));
  }
  if (t.full) t.setLabel(top, `Transmission Control Protocol, Src Port: ${sport}, Dst Port: ${dport}, Seq: ${s.seq}`);
  if (!inIcmpQuote && sq) {
    const si = t.add(F.seq, off + 4, 4, s.seq);
    if (t.full && s.relative) t.setLabel(si, `Sequence Number: ${s.seq}    (relative sequence number)`);
    t.add(F.seqRaw, off + 4, 4, s.seqRaw, s.relative ? 0 : HIDDEN);
  }

  if (s.hdrLen < 20) {
    // Bogus data offset (RFC 9293 §3.1: at least 5 words): Wireshark stops here.
    if (info) p.appendInfo(`, bogus TCP header length (${s.hdrLen}, must be at least 20)`);
    const hi = t.add(F.hdrLen, off + 12, 1, s.hdrLen);
    if (t.full)
      t.setLabel(hi, `${headerLengthPicture(s.hdrLen)} = Header Length: ${s.hdrLen} bytes (${s.hdrLen >> 2})`);
    t.open(hi);
    p.expert(
      'TCP',
      'tcp.bogus_header_length',
      'error',
      'protocol',
      `Bogus TCP header length (${s.hdrLen}, must be at least 20)`,
      off + 12,
      1,
    );
    t.close();
    return -1;
  }

  if (t.full) {
    let label = `Transmission Control Protocol, Src Port: ${sport}, Dst Port: ${dport}, Seq: ${s.seq}`;
    if (flags & TH.ACK) label += `, Ack: ${s.ack}`;
    if (s.segLen >= 0) label += `, Len: ${s.segLen}`;
    t.setLabel(top, label);
  }
  t.setLength(top, s.hdrLen);
  if (s.segLen >= 0 && sq) {
    // SYN and FIN each take one sequence number (RFC 9293 §3.4).
    const nxtseq = (s.seq + s.segLen + (flags & (TH.SYN | TH.FIN) ? 1 : 0)) >>> 0;
    const ni = t.add(F.nxtseq, off, 0, nxtseq, GENERATED);
    if (t.full && s.relative) t.setLabel(ni, `[Next Sequence Number: ${nxtseq}    (relative sequence number)]`);
  }
  const ai = sq ? t.add(F.ack, off + 8, 4, s.ack) : -1;
  if (flags & TH.ACK) {
    if (t.full && s.relative) t.setLabel(ai, `Acknowledgment Number: ${s.ack}    (relative ack number)`);
    // A SYN-ACK that acknowledges more than the SYN took the data of a TCP Fast Open SYN (RFC 7413).
    if (flags & TH.SYN && s.relative && s.ack > 1) {
      t.open(ai);
      p.expert('TCP', 'tcp.analysis.tfo_ack', 'note', 'sequence', 'TCP SYN-ACK accepting TFO data');
      t.close();
    }
    if (sq) t.add(F.ackRaw, off + 8, 4, s.ackRaw, s.relative ? 0 : HIDDEN);
  } else {
    if (sq) t.add(F.ackRaw, off + 8, 4, s.ackRaw);
    if (s.ackRaw !== 0) {
      t.open(ai);
      p.expert(
        'TCP',
        'tcp.ack.nonzero',
        'note',
        'protocol',
        'The acknowledgment number field is nonzero while the ACK flag is not set',
        off + 8,
        4,
      );
      t.close();
    }
  }

  if (sq) {
    const hi = t.add(F.hdrLen, off + 12, 1, s.hdrLen);
    if (t.full)
      t.setLabel(hi, `${headerLengthPicture(s.hdrLen)} = Header Length: ${s.hdrLen} bytes (${s.hdrLen >> 2})`);
  }
  const fi = t.add(F.flags, off + 12, 2, flags);
  if (t.full) t.setLabel(fi, `Flags: 0x${flags.toString(16).padStart(3, '0')} (${flagsText})`);
  t.open(fi);
  const fb = t.keepsAny(FLAG_ITEMS);
  if (fb) {
    t.add(F.flagsRes, off + 12, 1, (flags & TH.RES) >> 9);
    if (s.useAce) {
      const a = ace(flags);
      const ac = t.add(F.flagsAce, off + 12, 2, a);
      if (t.full) t.setLabel(ac, `...${a & 4 ? 1 : 0} ${a & 2 ? 1 : 0}${a & 1 ? 1 : 0}.. .... = ACE: ${a}`);
    } else {
      t.add(F.flagsAe, off + 12, 1, (flags >> 8) & 1);
      t.add(F.flagsCwr, off + 13, 1, (flags >> 7) & 1);
      t.add(F.flagsEce, off + 13, 1, (flags >> 6) & 1);
    }
    t.add(F.flagsUrg, off + 13, 1, (flags >> 5) & 1);
    t.add(F.flagsAck, off + 13, 1, (flags >> 4) & 1);
    t.add(F.flagsPush, off + 13, 1, (flags >> 3) & 1);
  }
  // The SYN, FIN and RST experts sit under their flag's item (Wireshark adds them a little later,
  // but the tree order, which -T fields follows, is this one).
  const rstItem = fb ? t.add(F.flagsReset, off + 13, 1, (flags >> 2) & 1) : -1;
  if (flags & TH.RST) flagExpert(p, rstItem, 'tcp.connection.rst', 'warn', 'Connection reset (RST)', off + 13);
  const synItem = fb ? t.add(F.flagsSyn, off + 13, 1, (flags >> 1) & 1) : -1;
  if (flags & TH.SYN) {
    if (flags & TH.ACK) {
      flagExpert(
        p,
        synItem,
        'tcp.connection.synack',
        'chat',
        `Connection establish acknowledge (SYN+ACK): server port ${sport}`,
        off + 13,
      );
    } else {
      flagExpert(
        p,
        synItem,
        'tcp.connection.syn',
        'chat',
        `Connection establish request (SYN): server port ${dport}`,
        off + 13,
      );
    }
  }
  const finItem = fb ? t.add(F.flagsFin, off + 13, 1, flags & 1) : -1;
  if (flags & TH.FIN) flagExpert(p, finItem, 'tcp.connection.fin', 'chat', 'Connection finish (FIN)', off + 13);
  const strItem =
    fb && t.keeps(F.flagsStr) ? t.addValue(F.flagsStr, off + 12, 2, tcpFlagsLetters(flags, s.useAce), GENERATED) : -1;
  if (s.finRole !== 0) {
    // Which side closes first: the stream analysis knows (tcp.connection.fin_active/passive).
    const active = s.finRole === 1;
    t.open(strItem);
    p.expert(
      'TCP',
      active ? 'tcp.connection.fin_active' : 'tcp.connection.fin_passive',
      'note',
      'sequence',
      active ? 'This frame initiates the connection closing' : 'This frame undergoes the connection closing',
      off + 12,
      2,
    );
    t.close();
  }
  t.close();
  if (t.keepsAny(WINDOW_ITEMS)) {
    t.add(F.windowSizeValue, off + 14, 2, s.windowRaw);
    t.add(F.windowSize, off + 14, 2, s.window, GENERATED);
    if (!Number.isNaN(s.windowScaleFactor)) {
      const wi = t.add(F.windowSizeScalefactor, off + 14, 2, s.windowScaleFactor, GENERATED);
      // Wireshark names its two special values.
      if (t.full && s.windowScaleFactor < 0) {
        const why = s.windowScaleFactor === -1 ? 'unknown' : 'no window scaling used';
        t.setLabel(wi, `[Window size scaling factor: ${s.windowScaleFactor} (${why})]`);
      }
    }
  }

  // Checksum: verified only on request, over a complete segment (pinfo->fragmented excluded).
  if (!fixedHeader && bytesMissing(p, 'TCP', buf, off + 16, 2, end)) return -1;
  s.checksum = u16(buf, off + 16);
  const whole = !p.fragmented && buf.length >= end;
  if (whole && tcpPreferences.checkChecksum && !p.inErrorPacket && (p.netType === 4 || p.netType === 6)) {
    checksumItems(p, buf, off, reportedLen, s.checksum, info);
  } else if (t.keepsAny(CHECKSUM_ITEMS)) {
    const ci = t.add(F.checksum, off + 16, 2, s.checksum);
    if (t.full) t.setLabel(ci, `Checksum: 0x${hex4(s.checksum)} [unverified]`);
    t.add(F.checksumStatus, off + 16, 0, CHECKSUM.UNVERIFIED, GENERATED);
  }

  if (!fixedHeader && bytesMissing(p, 'TCP', buf, off + 18, 2, end)) return -1;
  s.urgentPointer = u16(buf, off + 18);
  const ui = t.add(F.urgentPointer, off + 18, 2, s.urgentPointer);
  if (flags & TH.URG) {
    if (info) p.appendInfo(` Urg=${s.urgentPointer}`);
  } else if (s.urgentPointer !== 0) {
    t.open(ui);
    p.expert(
      'TCP',
      'tcp.urgent_pointer.non_zero',
      'note',
      'protocol',
      'The urgent pointer field is nonzero while the URG flag is not set',
      off + 18,
      2,
    );
    t.close();
  }
  if (info && s.segLen >= 0) p.appendInfo(' Len=' + decimalText(s.segLen));

  const optlen = s.hdrLen - 20;
  let oi = -1;
  if (optlen > 0) {
    const captured = Math.max(0, Math.min(end, buf.length) - (off + 20));
    oi = t.add(tcpOptionFields.options, off + 20, Math.min(captured, optlen));
    if (t.full) t.setLabel(oi, `Options: (${optlen} bytes)`);
  }
  // Wireshark adds the stream times here, so they stay when reading an option fails.
  if (hook?.beforeOptions) hook.beforeOptions(p, s);
  if (optlen > 0) {
    t.open(oi);
    const ok = dissectTcpOptions(p, buf, off + 20, optlen, off, end, s, hook, oi);
    t.close();
    if (!ok) return -1;
  }

  if (hook?.end) hook.end(p, s);

  const payloadOff = off + s.hdrLen;
  const capEnd = Math.min(end, buf.length);
  if (capEnd <= payloadOff) return -1;
  if (flags & TH.RST) {
    // RFC 9293 §3.5.3 allows data on a RST ("it might explain the reset"): Wireshark shows it as text.
    const ri = t.keeps(F.resetCause)
      ? t.addValue(F.resetCause, payloadOff, capEnd - payloadOff, asciiText(buf, payloadOff, capEnd))
      : -1;
    if (hasStrayCharacters(buf, payloadOff, capEnd)) {
      t.open(ri);
      p.expert(
        'TCP',
        '_ws.string.trailing_stray_characters',
        'warn',
        'undecoded',
        'Trailing stray characters',
        payloadOff,
        capEnd - payloadOff,
      );
      t.close();
    }
    return -1;
  }
  const pi = t.add(F.payload, payloadOff, capEnd - payloadOff);
  if (t.full) {
    const n = end - payloadOff;
    t.setLabel(pi, `TCP payload (${n} byte${n === 1 ? '' : 's'})`);
  }
  return payloadOff;
}

/** A sequence-group expert under a flag's item. */
function flagExpert(
  p: Packet,
  item: number,
  name: string,
  severity: 'chat' | 'warn',
  message: string,
  at: number,
): void {
  p.tree.open(item);
  p.expert('TCP', name, severity, 'sequence', message, at, 1);
  p.tree.close();
}

/** The verified checksum items (tcp.check_checksum on), as Wireshark's proto_tree_add_checksum. */
function checksumItems(p: Packet, buf: Uint8Array, off: number, length: number, field: number, info: boolean): void {
  const t = p.tree;
  const computed = transportChecksum(p, 6, buf, off, length);
  const ci = t.add(F.checksum, off + 16, 2, field);
  if (computed === 0 && field === 0xffff) {
    // RFC 1624: 0xffff and 0x0000 are the same one's complement zero, but a sender must send 0x0000.
    if (t.full) t.setLabel(ci, 'Checksum: 0xffff [should be 0x0000 (see RFC 1624)]');
    t.open(ci);
    t.add(F.checksumCalculated, off + 16, 2, 0, GENERATED);
    t.add(F.checksumStatus, off + 16, 0, CHECKSUM.BAD, GENERATED);
    p.expert(
      'TCP',
      'tcp.checksum.ffff',
      'warn',
      'checksum',
      'TCP Checksum 0xffff instead of 0x0000 (see RFC 1624)',
      off + 16,
      0,
    );
    t.close();
    if (info) p.appendInfo(' [TCP CHECKSUM 0xFFFF]');
    return;
  }
  const expected = checksumShouldBe(field, computed);
  if (computed === 0) {
    if (t.full) t.setLabel(ci, `Checksum: 0x${hex4(field)} [correct]`);
    t.add(F.checksumStatus, off + 16, 0, CHECKSUM.GOOD, GENERATED);
  } else {
    if (t.full)
      t.setLabel(
        ci,
        `Checksum: 0x${hex4(field)} incorrect, should be 0x${hex4(expected)}(maybe caused by "TCP checksum offload"?)`,
      );
    t.add(F.checksumStatus, off + 16, 0, CHECKSUM.BAD, GENERATED);
    t.open(ci);
    p.expert(
      'TCP',
      'tcp.checksum_bad.expert',
      'error',
      'checksum',
      `Bad checksum [should be 0x${hex4(expected)}]`,
      off + 16,
      2,
    );
    t.close();
    if (info) p.appendInfo(' [TCP CHECKSUM INCORRECT]');
  }
  t.add(F.checksumCalculated, off + 16, 2, expected, GENERATED);
}

/**
 * Hands TCP payload to the dissector registered for its ports (decode_tcp_ports with Wireshark's
 * default "try heuristic first" off): the server port from the SYN, the lower port, the higher
 * port, then the heuristics, else data. Port 0 is never looked up; a port dissector that finds
 * the data is not its protocol returns NOT_MINE and the next candidate is tried. Exported for
 * reassembly, which calls it with the reassembled buffer. Returns what the dissector that took
 * the data returned (a port dissector's value; `end` for a heuristic or data): `off` means it
 * used none of it, as a Wireshark dissector returning 0.
 */
export function dissectTcpPayload(
  p: Packet,
  buf: Uint8Array,
  off: number,
  end: number,
  srcPort: number,
  dstPort: number,
  serverPort: number,
): number | void {
  const low = srcPort > dstPort ? dstPort : srcPort;
  const high = srcPort > dstPort ? srcPort : dstPort;
  if (serverPort !== 0 && tryPort(p, buf, off, end, serverPort)) return portResult;
  if (low !== 0 && low !== serverPort && tryPort(p, buf, off, end, low)) return portResult;
  if (high !== 0 && high !== serverPort && tryPort(p, buf, off, end, high)) return portResult;
  if (tcpHeuristics.try(p, buf, off, end)) return end;
  dissectData(p, buf, off, end);
  return end;
}

// What the port dissector that took the payload returned (dissectTcpPayload's result).
let portResult: number | void = undefined;

function tryPort(p: Packet, buf: Uint8Array, off: number, end: number, port: number): boolean {
  const d = tcpPortTable.get(port);
  if (d === undefined) return false;
  portResult = d(p, buf, off, end);
  return portResult !== NOT_MINE;
}

/**
 * Wireshark's detect_trailing_stray_characters for an ASCII string: something other than NUL after
 * the first NUL, within the field's byte length, counted in the UTF-8 text (where each byte above
 * 0x7f became the three bytes of U+FFFD).
 */
function hasStrayCharacters(buf: Uint8Array, from: number, to: number): boolean {
  const length = to - from;
  let pos = 0;
  let nul = -1;
  for (let i = from; i < to && pos < length; i++) {
    const c = buf[i];
    const width = c < 0x80 ? 1 : 3;
    if (nul < 0) {
      if (c === 0) nul = pos;
    } else if (c !== 0) {
      return true;
    }
    pos += width;
  }
  return false;
}

function headerLengthPicture(hdrLen: number): string {
  const w = hdrLen >> 2;
  return `${(w >> 3) & 1}${(w >> 2) & 1}${(w >> 1) & 1}${w & 1} ....`;
}

/** Bytes as ASCII text up to a NUL (tcp.reset_cause, ENC_ASCII): bytes above 0x7f become U+FFFD. */
function asciiText(buf: Uint8Array, from: number, to: number): string {
  let s = '';
  for (let i = from; i < to; i++) {
    const c = buf[i];
    if (c === 0) break;
    s += c < 0x80 ? String.fromCharCode(c) : '\ufffd';
  }
  return s;
}

ipProtoTable.add(6, dissectTcp);
