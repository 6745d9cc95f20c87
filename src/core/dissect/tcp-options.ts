// TCP options (RFC 9293 §3.1 and the option RFCs): the option list walk of Wireshark's
// tcp_dissect_options and one small dissector per option kind, each adding Wireshark 4.0's
// fields and its Info text (" MSS=1460 WS=4 SACK_PERM ..."). Used by tcp.ts only.

import { defineFields, valueStrings } from './fields.js';
import type { Packet } from './packet.js';
import { FieldGroup, GENERATED } from './tree.js';
import { u16, u24, u32, HEX2 } from './bytes.js';
import type { TcpAnalysisHook, TcpSegment } from './tcp.js';

const OPTION_KINDS = valueStrings({
  0: 'End of Option List',
  1: 'No-Operation',
  2: 'Maximum Segment Size',
  3: 'Window Scale',
  4: 'SACK Permitted',
  5: 'SACK',
  6: 'Echo',
  7: 'Echo Reply',
  8: 'Time Stamp Option',
  9: 'Partial Order Connection Permitted',
  10: 'Partial Order Service Profile',
  11: 'CC',
  12: 'CC.NEW',
  13: 'CC.ECHO',
  14: 'TCP Alternate Checksum Request',
  15: 'TCP Alternate Checksum Data',
  16: 'Skeeter',
  17: 'Bubba',
  18: 'Trailer Checksum Option',
  19: 'MD5 Signature Option',
  20: 'SCPS Capabilities',
  21: 'Selective Negative Acknowledgements',
  22: 'Record Boundaries',
  23: 'Corruption experienced',
  24: 'SNAP',
  25: 'Unassigned',
  26: 'TCP Compression Filter',
  27: 'Quick-Start Response',
  28: 'User Timeout Option',
  29: 'The TCP Authentication Option',
  30: 'Multipath TCP',
  34: 'TCP Fast Open Cookie',
  76: 'Riverbed Probe',
  78: 'Riverbed Transparency',
  172: 'Accurate ECN Order 0',
  174: 'Accurate ECN Order 1',
  253: 'RFC3692-style Experiment 1',
  254: 'RFC3692-style Experiment 2',
});

const EXPERIMENT_IDS = valueStrings({
  0x00ac: 'TCP ACK Rate Request',
  0x0348: 'Host ID',
  0x0a0d: 'Autonomous System Compensation',
  0x0ca0: 'Capability Option',
  0x0ed0: 'Extended Data Offset',
  0x454e: 'Encryption Negotiation',
  0x5323: 'Service Number',
  0x75ec: 'Timestamp Interval',
  0xacc0: 'Accurate ECN - Order 0',
  0xacc1: 'Accurate ECN - Order 1',
  0xacce: 'Accurate ECN',
  0xe2d4: 'Shared Memory communications over RMDA protocol',
  0xf989: 'Fast Open',
  0xf990: 'Low Latency',
});

const MPTCP_SUBTYPES = valueStrings({
  0: 'Multipath Capable',
  1: 'Join Connection',
  2: 'Data Sequence Signal',
  3: 'Add Address',
  4: 'Remove Address',
  5: 'Change Subflow Priority',
  6: 'TCP Fallback',
  7: 'Fast Close',
  8: 'TCP Reset',
});

// Quick-Start rates (RFC 4782), shared with IPv4's Quick-Start option in Wireshark.
const QS_RATES = [
  '0 bit/s',
  '80 Kbit/s',
  '160 Kbit/s',
  '320 Kbit/s',
  '640 Kbit/s',
  '1.28 Mbit/s',
  '2.56 Mbit/s',
  '5.12 Mbit/s',
  '10.24 Mbit/s',
  '20.48 Mbit/s',
  '40.96 Mbit/s',
  '81.92 Mbit/s',
  '163.84 Mbit/s',
  '327.68 Mbit/s',
  '655.36 Mbit/s',
  '1.31072 Gbit/s',
];

export const tcpOptionFields = defineFields({
  options: { abbrev: 'tcp.options', name: 'TCP Options', type: 'bytes' },
  kind: { abbrev: 'tcp.option_kind', name: 'Kind', type: 'uint', bits: 8, base: 'dec', strings: OPTION_KINDS },
  len: { abbrev: 'tcp.option_len', name: 'Length', type: 'uint', bits: 8, base: 'dec' },
  // Each option is a "protocol in name only" in Wireshark, with FT_BYTES values (the option's bytes).
  nop: { abbrev: 'tcp.options.nop', name: 'TCP Option - No-Operation (NOP)', type: 'bytes' },
  eol: { abbrev: 'tcp.options.eol', name: 'TCP Option - End of Option List (EOL)', type: 'bytes' },
  timestamp: { abbrev: 'tcp.options.timestamp', name: 'TCP Option - Timestamps', type: 'bytes' },
  mss: { abbrev: 'tcp.options.mss', name: 'TCP Option - Maximum segment size', type: 'bytes' },
  wscale: { abbrev: 'tcp.options.wscale', name: 'TCP Option - Window scale', type: 'bytes' },
  sackPerm: { abbrev: 'tcp.options.sack_perm', name: 'TCP Option - SACK permitted', type: 'bytes' },
  sack: { abbrev: 'tcp.options.sack', name: 'TCP Option - SACK', type: 'bytes' },
  echo: { abbrev: 'tcp.options.echo', name: 'TCP Option - Echo', type: 'bytes' },
  echoReply: { abbrev: 'tcp.options.echoreply', name: 'TCP Option - Echo reply', type: 'bytes' },
  cc: { abbrev: 'tcp.options.cc', name: 'TCP Option - CC', type: 'bytes' },
  ccNew: { abbrev: 'tcp.options.ccnew', name: 'TCP Option - CC.NEW', type: 'bytes' },
  ccEcho: { abbrev: 'tcp.options.ccecho', name: 'TCP Option - CC.ECHO', type: 'bytes' },
  ao: { abbrev: 'tcp.options.ao', name: 'TCP Option - TCP AO', type: 'bytes' },
  md5: { abbrev: 'tcp.options.md5', name: 'TCP Option - TCP MD5 signature', type: 'bytes' },
  scps: { abbrev: 'tcp.options.scps', name: 'TCP Option - SCPS capabilities', type: 'bytes' },
  snack: { abbrev: 'tcp.options.snack', name: 'TCP Option - Selective Negative Acknowledgment', type: 'bytes' },
  scpsRec: { abbrev: 'tcp.options.scpsrec', name: 'TCP Option - SCPS record boundary', type: 'bytes' },
  scpsCor: { abbrev: 'tcp.options.scpscor', name: 'TCP Option - SCPS corruption experienced', type: 'bytes' },
  qs: { abbrev: 'tcp.options.qs', name: 'TCP Option - Quick-Start', type: 'bytes' },
  userTo: { abbrev: 'tcp.options.user_to', name: 'TCP Option - User Timeout', type: 'bytes' },
  tfo: { abbrev: 'tcp.options.tfo', name: 'TCP Option - TCP Fast Open', type: 'bytes' },
  accEcn: { abbrev: 'tcp.options.acc_ecn', name: 'TCP Option - Accurate ECN', type: 'bytes' },
  rvbdProbe: { abbrev: 'tcp.options.rvbd.probe', name: 'TCP Option - Riverbed Probe', type: 'bytes' },
  rvbdTrpy: { abbrev: 'tcp.options.rvbd.trpy', name: 'TCP Option - Riverbed Transparency', type: 'bytes' },
  experimental: { abbrev: 'tcp.options.experimental', name: 'TCP Option - Experimental', type: 'bytes' },
  unknown: { abbrev: 'tcp.options.unknown', name: 'TCP Option - Unknown', type: 'bytes' },
  mptcp: { abbrev: 'mptcp', name: 'Multipath Transmission Control Protocol', type: 'protocol' },
  // Option values
  mssVal: { abbrev: 'tcp.options.mss_val', name: 'MSS Value', type: 'uint', bits: 16, base: 'dec' },
  wscaleShift: { abbrev: 'tcp.options.wscale.shift', name: 'Shift count', type: 'uint', bits: 8, base: 'dec' },
  wscaleMultiplier: {
    abbrev: 'tcp.options.wscale.multiplier',
    name: 'Multiplier',
    type: 'uint',
    bits: 16,
    base: 'dec',
  },
  sackLe: { abbrev: 'tcp.options.sack_le', name: 'TCP SACK Left Edge', type: 'uint', bits: 32, base: 'dec' },
  sackRe: { abbrev: 'tcp.options.sack_re', name: 'TCP SACK Right Edge', type: 'uint', bits: 32, base: 'dec' },
  sackCount: { abbrev: 'tcp.options.sack.count', name: 'TCP SACK Count', type: 'uint', bits: 8, base: 'dec' },
  dsackLe: { abbrev: 'tcp.options.sack.dsack_le', name: 'TCP D-SACK Left Edge', type: 'uint', bits: 32, base: 'dec' },
  dsackRe: { abbrev: 'tcp.options.sack.dsack_re', name: 'TCP D-SACK Right Edge', type: 'uint', bits: 32, base: 'dec' },
  echoValue: { abbrev: 'tcp.options.echo_value', name: 'TCP Echo Option', type: 'uint', bits: 32, base: 'dec' },
  tsval: { abbrev: 'tcp.options.timestamp.tsval', name: 'Timestamp value', type: 'uint', bits: 32, base: 'dec' },
  tsecr: { abbrev: 'tcp.options.timestamp.tsecr', name: 'Timestamp echo reply', type: 'uint', bits: 32, base: 'dec' },
  ccValue: { abbrev: 'tcp.options.cc_value', name: 'TCP CC Option', type: 'uint', bits: 32, base: 'dec' },
  md5Digest: { abbrev: 'tcp.options.md5.digest', name: 'MD5 digest', type: 'bytes' },
  aoKeyId: { abbrev: 'tcp.options.ao.keyid', name: 'AO KeyID', type: 'uint', bits: 8, base: 'dec' },
  aoRnextKeyId: { abbrev: 'tcp.options.ao.rnextkeyid', name: 'AO RNextKeyID', type: 'uint', bits: 8, base: 'dec' },
  aoMac: { abbrev: 'tcp.options.ao.mac', name: 'AO MAC', type: 'bytes' },
  qsRate: {
    abbrev: 'tcp.options.qs.rate',
    name: 'QS Rate',
    type: 'uint',
    bits: 8,
    base: 'dec',
    mask: 0x0f,
    strings: valueStrings(QS_RATES.map((s, i): [number, string] => [i, s])),
  },
  qsTtlDiff: { abbrev: 'tcp.options.qs.ttl_diff', name: 'QS Rate', type: 'uint', bits: 8, base: 'dec' },
  userToGranularity: {
    abbrev: 'tcp.options.user_to_granularity',
    name: 'Granularity',
    type: 'bool',
    bits: 16,
    mask: 0x8000,
    trueFalse: ['Minutes', 'Seconds'],
  },
  userToVal: {
    abbrev: 'tcp.options.user_to_val',
    name: 'User Timeout',
    type: 'uint',
    bits: 16,
    base: 'dec',
    mask: 0x7fff,
  },
  tfoRequest: { abbrev: 'tcp.options.tfo.request', name: 'Fast Open Cookie Request', type: 'none' },
  tfoCookie: { abbrev: 'tcp.options.tfo.cookie', name: 'Fast Open Cookie', type: 'bytes' },
  accEcnEe0b: {
    abbrev: 'tcp.options.acc_ecn.ee0b',
    name: 'Accurate ECN Echo ECT(0) Byte Counter',
    type: 'uint',
    bits: 24,
    base: 'dec',
  },
  accEcnEceb: {
    abbrev: 'tcp.options.acc_ecn.eceb',
    name: 'Accurate ECN Echo CE Byte Counter',
    type: 'uint',
    bits: 24,
    base: 'dec',
  },
  accEcnEe1b: {
    abbrev: 'tcp.options.acc_ecn.ee1b',
    name: 'Accurate ECN Echo ECT(1) Byte Counter',
    type: 'uint',
    bits: 24,
    base: 'dec',
  },
  tarrRate: { abbrev: 'tcp.options.tarr.rate', name: 'TARR Rate', type: 'uint', bits: 8, base: 'dec', mask: 0xfe },
  tarrReserved: {
    abbrev: 'tcp.options.tar.reserved',
    name: 'TARR Reserved',
    type: 'uint',
    bits: 8,
    base: 'dec',
    mask: 0x01,
  },
  expExid: {
    abbrev: 'tcp.options.experimental.exid',
    name: 'Experiment Identifier',
    type: 'uint',
    bits: 16,
    base: 'hex',
    strings: EXPERIMENT_IDS,
  },
  expData: { abbrev: 'tcp.options.experimental.data', name: 'Data', type: 'bytes' },
  unknownPayload: { abbrev: 'tcp.options.unknown.payload', name: 'Payload', type: 'bytes' },
  mptcpSubtype: {
    abbrev: 'tcp.options.mptcp.subtype',
    name: 'Multipath TCP subtype',
    type: 'uint',
    bits: 8,
    base: 'dec',
    mask: 0xf0,
    strings: MPTCP_SUBTYPES,
  },
});

const F = tcpOptionFields;
/** Every option field: when none is kept (the summary path), the common options add no items. */
const OPTION_ITEMS = new FieldGroup(Object.values(tcpOptionFields));

/** Option kinds (Wireshark's TCPOPT_*). */
export const TCPOPT = {
  EOL: 0,
  NOP: 1,
  MSS: 2,
  WINDOW: 3,
  SACK_PERM: 4,
  SACK: 5,
  ECHO: 6,
  ECHOREPLY: 7,
  TIMESTAMP: 8,
  CC: 11,
  CCNEW: 12,
  CCECHO: 13,
  MD5: 19,
  SCPS: 20,
  SNACK: 21,
  RECBOUND: 22,
  CORREXP: 23,
  QS: 27,
  USER_TO: 28,
  AO: 29,
  MPTCP: 30,
  TFO: 34,
  RVBD_PROBE: 76,
  RVBD_TRPY: 78,
  ACC_ECN_0: 0xac,
  ACC_ECN_1: 0xae,
  EXP_FD: 0xfd,
  EXP_FE: 0xfe,
} as const;

/** Field and short name of each option kind that has a dissector (Wireshark's tcp.option table). */
const optionField: number[] = [];
const optionName: string[] = [];
function option(kind: number, field: number, name: string): void {
  optionField[kind] = field;
  optionName[kind] = name;
}
option(TCPOPT.TIMESTAMP, F.timestamp, 'Timestamps');
option(TCPOPT.MSS, F.mss, 'Maximum segment size');
option(TCPOPT.WINDOW, F.wscale, 'Window scale');
option(TCPOPT.SACK_PERM, F.sackPerm, 'SACK permitted');
option(TCPOPT.SACK, F.sack, 'SACK');
option(TCPOPT.ECHO, F.echo, 'Echo');
option(TCPOPT.ECHOREPLY, F.echoReply, 'Echo reply');
option(TCPOPT.CC, F.cc, 'CC');
option(TCPOPT.CCNEW, F.ccNew, 'CC.NEW');
option(TCPOPT.CCECHO, F.ccEcho, 'CC.ECHO');
option(TCPOPT.MD5, F.md5, 'TCP MD5 signature');
option(TCPOPT.AO, F.ao, 'TCP AO');
option(TCPOPT.SCPS, F.scps, 'SCPS capabilities');
option(TCPOPT.SNACK, F.snack, 'Selective Negative Acknowledgment');
option(TCPOPT.RECBOUND, F.scpsRec, 'SCPS record boundary');
option(TCPOPT.CORREXP, F.scpsCor, 'SCPS corruption experienced');
option(TCPOPT.QS, F.qs, 'Quick-Start');
option(TCPOPT.USER_TO, F.userTo, 'User Timeout');
option(TCPOPT.TFO, F.tfo, 'TCP Fast Open');
option(TCPOPT.RVBD_PROBE, F.rvbdProbe, 'Riverbed Probe');
option(TCPOPT.RVBD_TRPY, F.rvbdTrpy, 'Riverbed Transparency');
option(TCPOPT.ACC_ECN_0, F.accEcn, 'Accurate ECN');
option(TCPOPT.ACC_ECN_1, F.accEcn, 'Accurate ECN');
option(TCPOPT.EXP_FD, F.experimental, 'Experimental');
option(TCPOPT.EXP_FE, F.experimental, 'Experimental');
option(TCPOPT.MPTCP, F.mptcp, 'MPTCP');

const SYN = 0x002;
const ACK = 0x010;

/**
 * Wireshark's bounds exceptions for a transport layer: true when bytes [o, o+n) are not all there,
 * after marking the packet. `end` is the layer's reported end; `reportedEnd` that of the item being
 * read when it is a sub-buffer (a TCP option) that may claim more than its container holds.
 * Past the captured bytes but within the container, the capture cut the packet short (truncated);
 * past the container but within the item, the item overruns its container (ContainedBoundsError);
 * past the item, a length contradicts the data (ReportedBoundsError). Inside an ICMP error quote
 * Wireshark drops the last two silently (call_dissector_work_error).
 */
export function bytesMissing(
  p: Packet,
  protocol: string,
  buf: Uint8Array,
  o: number,
  n: number,
  end: number,
  reportedEnd = end,
): boolean {
  const stop = o + n;
  const contained = end < reportedEnd ? end : reportedEnd;
  if (stop <= contained && stop <= buf.length) return false;
  if (stop <= contained) p.truncated(protocol);
  else if (p.inErrorPacket) return true;
  else if (stop <= reportedEnd)
    p.malformed(protocol, undefined, 0, 0, 'length of contained item exceeds length of containing item');
  else p.malformed(protocol);
  return true;
}

/** Whether Info text may be written: columns wanted, and not inside an ICMP error quote. */
function infoWanted(p: Packet): boolean {
  return p.wantColumns && !p.inErrorPacket;
}

function lenInvalid(p: Packet, lenItemStart: number, message: string): void {
  p.expert('TCP', 'tcp.option.len.invalid', 'note', 'sequence', message, lenItemStart, 1);
}

/**
 * Walks the options in buf[off, off+length) (the header's option space; `tcpStart` is the TCP header's
 * offset, `end` the segment's reported end), as Wireshark's tcp_dissect_options: EOL and NOP are one
 * byte, every other kind has a length byte; a bad length adds tcp.option.len.invalid and ends the walk.
 * `optionsItem` is the tcp.options item (-1 when not kept). Returns false when dissection of the
 * segment must stop (bytes missing: the packet has been marked).
 */
export function dissectTcpOptions(
  p: Packet,
  buf: Uint8Array,
  off: number,
  length: number,
  tcpStart: number,
  end: number,
  seg: TcpSegment,
  hook: TcpAnalysisHook | undefined,
  optionsItem: number,
): boolean {
  const t = p.tree;
  let o = off;
  let remaining = length;
  let nopCount = 0;
  let mssSeen = false;
  let eolSeen = false;
  let summary = '';
  while (remaining > 0) {
    if (bytesMissing(p, 'TCP', buf, o, 1, end)) return false;
    const kind = buf[o];
    if (eolSeen && kind !== TCPOPT.EOL) {
      p.expert('TCP', 'tcp.non_zero_bytes_after_eol', 'error', 'protocol', 'Non-zero header padding', o, remaining);
      // An expert item over a byte range needs those bytes, like any item (proto_tree_add_expert).
      return !bytesMissing(p, 'TCP', buf, o, remaining, end);
    }
    remaining--;
    if (kind === TCPOPT.EOL || kind === TCPOPT.NOP) {
      if (kind === TCPOPT.NOP) {
        // Wireshark counts NOPs in a row within one 32-bit word; four means options were removed.
        if (nopCount === 0 || (o - tcpStart) % 4 !== 0) {
          nopCount++;
          if (nopCount === 4) {
            p.expert(
              'TCP',
              'tcp.nop',
              'warn',
              'protocol',
              '4 NOP in a row - a router may have removed some options',
              off,
              length,
            );
          }
        } else {
          nopCount = 0;
        }
      }
      let item = -1;
      if (t.keepsAny(OPTION_ITEMS)) {
        item = t.add(kind === TCPOPT.EOL ? F.eol : F.nop, o, 1);
        t.open(item);
        t.add(F.kind, o, 1, kind);
        t.close();
      }
      if (t.full) {
        const name = kind === TCPOPT.EOL ? 'End of Option List (EOL)' : 'No-Operation (NOP)';
        t.setLabel(item, `TCP Option - ${name}`);
        summary += ', ' + name;
        t.setLabel(optionsItem, `Options: (${length} bytes)${summary}`);
      }
      o += 1;
    } else {
      const known = optionField[kind] !== undefined;
      const name = known ? optionName[kind] : `Unknown (0x${HEX2[kind]})`;
      if (remaining === 0) {
        p.expert(
          'TCP',
          'tcp.option.len.invalid',
          'note',
          'sequence',
          `${name} (length byte past end of options)`,
          o,
          1,
        );
        return !bytesMissing(p, 'TCP', buf, o, 1, end);
      }
      if (bytesMissing(p, 'TCP', buf, o + 1, 1, end)) return false;
      const optlen = buf[o + 1];
      remaining--;
      if (optlen < 2) {
        p.expert(
          'TCP',
          'tcp.option.len.invalid',
          'note',
          'sequence',
          `${name} (with too-short option length = ${optlen} byte${optlen === 1 ? '' : 's'})`,
          o,
          2,
        );
        return !bytesMissing(p, 'TCP', buf, o, 2, end);
      }
      if (optlen - 2 > remaining) {
        p.expert(
          'TCP',
          'tcp.option.len.invalid',
          'note',
          'sequence',
          `${name} (option length = ${optlen} bytes says option goes past end of options)`,
          o,
          remaining,
        );
        return !bytesMissing(p, 'TCP', buf, o, remaining, end);
      }
      if (kind === TCPOPT.MSS) mssSeen = true;
      // The option is a sub-buffer of optlen bytes: reading past it is a reported-bounds error.
      if (!dissectOption(p, buf, o, optlen, o + optlen, end, kind, seg, hook)) return false;
      if (t.full) {
        summary += ', ' + name;
        t.setLabel(optionsItem, `Options: (${length} bytes)${summary}`);
      }
      o += optlen;
      remaining -= optlen - 2;
    }
    if (kind === TCPOPT.EOL) eolSeen = true;
  }
  if (seg.flags & SYN && !mssSeen) {
    p.expert(
      'TCP',
      'tcp.options.mss.absent',
      'note',
      'protocol',
      'The SYN packet does not contain a MSS option',
      off,
      length,
    );
  }
  return true;
}

/** Adds the option's item with its kind and length; returns the item (the caller opens it). */
function optionHead(p: Packet, buf: Uint8Array, o: number, optEnd: number, tcpEnd: number, field: number): number {
  const t = p.tree;
  if (!t.keepsAny(OPTION_ITEMS)) {
    t.open(-1);
    return -1;
  }
  const item = t.add(field, o, optionCaptured(buf, o, optEnd, tcpEnd));
  t.open(item);
  t.add(F.kind, o, 1, buf[o]);
  t.add(F.len, o + 1, 1, buf[o + 1]);
  return item;
}

/** The option's captured bytes (the length of an item that runs to the end of the option). */
function optionCaptured(buf: Uint8Array, o: number, optEnd: number, tcpEnd: number): number {
  return Math.max(0, Math.min(optEnd, tcpEnd, buf.length) - o);
}

/** Checks that the option's length is `want` (tcp_option_len_check); returns false after the expert when not. */
function lengthIs(p: Packet, o: number, optlen: number, want: number): boolean {
  if (optlen === want) return true;
  lenInvalid(p, o + 1, `option length should be ${want}`);
  return false;
}

function dissectOption(
  p: Packet,
  buf: Uint8Array,
  o: number,
  optlen: number,
  optEnd: number,
  tcpEnd: number,
  kind: number,
  seg: TcpSegment,
  hook: TcpAnalysisHook | undefined,
): boolean {
  const t = p.tree;
  let ok = true;
  switch (kind) {
    case TCPOPT.MSS: {
      const item = t.add(F.mss, o, optionCaptured(buf, o, optEnd, tcpEnd));
      if (!(seg.flags & SYN)) {
        p.expert(
          'TCP',
          'tcp.options.mss.present',
          'warn',
          'protocol',
          'The non-SYN packet does contain a MSS option',
          o,
          optlen,
        );
      }
      t.open(item);
      t.add(F.kind, o, 1, kind);
      t.add(F.len, o + 1, 1, optlen);
      if (!lengthIs(p, o, optlen, 4)) break;
      if (bytesMissing(p, 'TCP', buf, o + 2, 2, tcpEnd, optEnd)) return false;
      const mss = u16(buf, o + 2);
      t.add(F.mssVal, o + 2, 2, mss);
      if (t.full) t.setLabel(item, `TCP Option - Maximum segment size: ${mss} bytes`);
      if (infoWanted(p)) p.appendInfo(` MSS=${mss}`);
      break;
    }
    case TCPOPT.WINDOW: {
      const item = optionHead(p, buf, o, optEnd, tcpEnd, F.wscale);
      if (!lengthIs(p, o, optlen, 3)) break;
      if (bytesMissing(p, 'TCP', buf, o + 2, 1, tcpEnd, optEnd)) return false;
      const raw = buf[o + 2];
      t.add(F.wscaleShift, o + 2, 1, raw);
      // RFC 7323 §2.3: a shift above 14 is logged and treated as 14.
      const shift = raw > 14 ? 14 : raw;
      if (raw > 14)
        p.expert(
          'TCP',
          'tcp.options.wscale.shift.invalid',
          'warn',
          'protocol',
          'Window scale shift exceeds 14',
          o + 2,
          1,
        );
      const multiplier = 1 << shift;
      t.add(F.wscaleMultiplier, o + 2, 1, multiplier, GENERATED);
      if (t.full) t.setLabel(item, `TCP Option - Window scale: ${raw} (multiply by ${multiplier})`);
      if (infoWanted(p)) p.appendInfo(` WS=${multiplier}`);
      if (hook?.option) hook.option(p, seg, kind, shift, 0);
      break;
    }
    case TCPOPT.SACK_PERM: {
      const item = optionHead(p, buf, o, optEnd, tcpEnd, F.sackPerm);
      // A protocol item in Wireshark: its label is the name alone, without the bytes.
      if (t.full && item >= 0) t.setLabel(item, 'TCP Option - SACK permitted');
      if (infoWanted(p)) p.appendInfo(' SACK_PERM');
      lengthIs(p, o, optlen, 2);
      break;
    }
    case TCPOPT.SACK:
      ok = dissectSack(p, buf, o, optlen, optEnd, tcpEnd, seg, hook);
      break;
    case TCPOPT.ECHO:
    case TCPOPT.ECHOREPLY: {
      // Wireshark adds the Echo item for both kinds (dissect_tcpopt_echo).
      const item = optionHead(p, buf, o, optEnd, tcpEnd, F.echo);
      if (!lengthIs(p, o, optlen, 6)) break;
      if (bytesMissing(p, 'TCP', buf, o + 2, 4, tcpEnd, optEnd)) return false;
      const echo = u32(buf, o + 2);
      t.add(F.echoValue, o + 2, 4, echo);
      if (t.full) t.setLabel(item, `TCP Option - Echo: ${echo}`);
      if (infoWanted(p)) p.appendInfo(` ECHO=${echo}`);
      break;
    }
    case TCPOPT.TIMESTAMP: {
      const item = optionHead(p, buf, o, optEnd, tcpEnd, F.timestamp);
      if (!lengthIs(p, o, optlen, 10)) break;
      if (bytesMissing(p, 'TCP', buf, o + 2, 4, tcpEnd, optEnd)) return false;
      const tsval = u32(buf, o + 2);
      // Summary path: no items when no option field is kept (optionHead added none either).
      const keep = t.keepsAny(OPTION_ITEMS);
      if (keep) t.add(F.tsval, o + 2, 4, tsval);
      if (bytesMissing(p, 'TCP', buf, o + 6, 4, tcpEnd, optEnd)) return false;
      const tsecr = u32(buf, o + 6);
      if (keep) t.add(F.tsecr, o + 6, 4, tsecr);
      if (t.full) t.setLabel(item, `TCP Option - Timestamps: TSval ${tsval}, TSecr ${tsecr}`);
      if (infoWanted(p)) p.appendInfo(` TSval=${tsval} TSecr=${tsecr}`);
      if (hook?.option) hook.option(p, seg, kind, tsval, tsecr);
      break;
    }
    case TCPOPT.CC:
    case TCPOPT.CCNEW:
    case TCPOPT.CCECHO: {
      optionHead(p, buf, o, optEnd, tcpEnd, optionField[kind]);
      if (!lengthIs(p, o, optlen, 6)) break;
      if (bytesMissing(p, 'TCP', buf, o + 2, 4, tcpEnd, optEnd)) return false;
      const cc = u32(buf, o + 2);
      t.add(F.ccValue, o + 2, 4, cc);
      if (infoWanted(p)) p.appendInfo(` CC=${cc}`);
      break;
    }
    case TCPOPT.MD5:
      t.open(t.add(F.md5, o, optionCaptured(buf, o, optEnd, tcpEnd)));
      if (infoWanted(p)) p.appendInfo(' MD5');
      t.add(F.kind, o, 1, kind);
      t.add(F.len, o + 1, 1, optlen);
      if (!lengthIs(p, o, optlen, 18)) break;
      if (bytesMissing(p, 'TCP', buf, o + 2, 16, tcpEnd, optEnd)) return false;
      t.add(F.md5Digest, o + 2, 16);
      break;
    case TCPOPT.AO:
      t.open(t.add(F.ao, o, optionCaptured(buf, o, optEnd, tcpEnd)));
      // Wireshark 4.0 appends this one without a leading space.
      if (infoWanted(p)) p.appendInfo('TCP AO');
      t.add(F.kind, o, 1, kind);
      t.add(F.len, o + 1, 1, optlen);
      if (optlen < 4) {
        lenInvalid(p, o + 1, 'option length should be >= than 4');
        break;
      }
      if (bytesMissing(p, 'TCP', buf, o + 2, 1, tcpEnd, optEnd)) return false;
      t.add(F.aoKeyId, o + 2, 1, buf[o + 2]);
      if (bytesMissing(p, 'TCP', buf, o + 3, 1, tcpEnd, optEnd)) return false;
      t.add(F.aoRnextKeyId, o + 3, 1, buf[o + 3]);
      if (optlen > 4) {
        if (bytesMissing(p, 'TCP', buf, o + 4, optlen - 4, tcpEnd, optEnd)) return false;
        t.add(F.aoMac, o + 4, optlen - 4);
      }
      break;
    case TCPOPT.QS: {
      optionHead(p, buf, o, optEnd, tcpEnd, F.qs);
      if (!lengthIs(p, o, optlen, 8)) break;
      if (bytesMissing(p, 'TCP', buf, o + 2, 1, tcpEnd, optEnd)) return false;
      const rate = buf[o + 2] & 0x0f;
      if (infoWanted(p)) p.appendInfo(` QSresp=${QS_RATES[rate]}`);
      t.add(F.qsRate, o + 2, 1, rate);
      if (bytesMissing(p, 'TCP', buf, o + 3, 1, tcpEnd, optEnd)) return false;
      t.add(F.qsTtlDiff, o + 3, 1, buf[o + 3]);
      break;
    }
    case TCPOPT.USER_TO: {
      optionHead(p, buf, o, optEnd, tcpEnd, F.userTo);
      if (!lengthIs(p, o, optlen, 4)) break;
      if (bytesMissing(p, 'TCP', buf, o + 2, 2, tcpEnd, optEnd)) return false;
      const v = u16(buf, o + 2);
      t.add(F.userToGranularity, o + 2, 2, v >>> 15);
      t.add(F.userToVal, o + 2, 2, v & 0x7fff);
      if (infoWanted(p)) p.appendInfo(` USER_TO=${v & 0x7fff}`);
      break;
    }
    case TCPOPT.TFO:
      optionHead(p, buf, o, optEnd, tcpEnd, F.tfo);
      ok = fastOpenPayload(p, buf, o, optlen, optEnd, tcpEnd, seg, hook);
      break;
    case TCPOPT.ACC_ECN_0:
    case TCPOPT.ACC_ECN_1: {
      const item = optionHead(p, buf, o, optEnd, tcpEnd, F.accEcn);
      if (optlen !== 2 && optlen !== 5 && optlen !== 8 && optlen !== 11) {
        lenInvalid(p, o + 1, `option length should be 2, 5, 8, or 11 instead of ${optlen}`);
        break;
      }
      ok = accurateEcnData(p, buf, o + 2, optlen - 2, optEnd, tcpEnd, kind === TCPOPT.ACC_ECN_0, item, seg, hook);
      break;
    }
    case TCPOPT.EXP_FD:
    case TCPOPT.EXP_FE:
      ok = dissectExperimental(p, buf, o, optlen, optEnd, tcpEnd, seg, hook);
      break;
    case TCPOPT.MPTCP:
      ok = dissectMptcp(p, buf, o, optlen, optEnd, tcpEnd, seg, hook);
      break;
    case TCPOPT.RECBOUND:
    case TCPOPT.CORREXP:
      optionHead(p, buf, o, optEnd, tcpEnd, optionField[kind]);
      lengthIs(p, o, optlen, 2);
      break;
    case TCPOPT.SCPS:
    case TCPOPT.SNACK:
    case TCPOPT.RVBD_PROBE:
    case TCPOPT.RVBD_TRPY:
      // Kind and length only: these options' contents are not decoded yet.
      optionHead(p, buf, o, optEnd, tcpEnd, optionField[kind]);
      break;
    default:
      optionHead(p, buf, o, optEnd, tcpEnd, F.unknown);
      if (optlen > 2) {
        if (bytesMissing(p, 'TCP', buf, o + 2, optlen - 2, tcpEnd, optEnd)) return false;
        t.add(F.unknownPayload, o + 2, optlen - 2);
      }
      break;
  }
  t.close();
  return ok;
}

/**
 * Multipath TCP (RFC 8684), minimally: the subtype item, and the reads Wireshark's
 * dissect_tcpopt_mptcp makes for each subtype and option length, so that a short option stops
 * the dissection where Wireshark's does. As in Wireshark, MPTCP is a protocol of its own: it
 * sets the Protocol column and appears in frame.protocols.
 */
function dissectMptcp(
  p: Packet,
  buf: Uint8Array,
  o: number,
  optlen: number,
  optEnd: number,
  tcpEnd: number,
  seg: TcpSegment,
  hook: TcpAnalysisHook | undefined,
): boolean {
  const t = p.tree;
  if (infoWanted(p)) p.setProtocol('MPTCP');
  p.addLayer('mptcp');
  const item = optionHead(p, buf, o, optEnd, tcpEnd, F.mptcp);
  const need = (at: number, n: number): boolean => bytesMissing(p, 'TCP', buf, o + at, n, tcpEnd, optEnd);
  if (need(2, 1)) return false;
  const subtype = buf[o + 2] >> 4;
  t.add(F.mptcpSubtype, o + 2, 1, subtype);
  if (t.full)
    t.setLabel(
      item,
      `Multipath Transmission Control Protocol: ${MPTCP_SUBTYPES.get(subtype) ?? `Unknown (${subtype})`}`,
    );
  if (hook?.option) hook.option(p, seg, TCPOPT.MPTCP, subtype, optlen);
  let at: number;
  switch (subtype) {
    case 0: // MP_CAPABLE: version, flags, then keys and a data-level length by option length
      if (need(2, 1) || need(3, 1)) return false;
      if (optlen === 12 || optlen === 20 || optlen === 22 || optlen === 24) {
        if (need(4, 8)) return false;
        if (optlen >= 20 && need(12, 8)) return false;
        if (optlen >= 22 && need(20, 2)) return false;
        if (optlen === 24 && need(22, 2)) return false;
      }
      break;
    case 1: // MP_JOIN: SYN (12), SYN/ACK (16) or ACK (24)
      if (optlen === 12) return !(need(2, 1) || need(3, 1) || need(4, 4) || need(8, 4));
      if (optlen === 16) return !(need(2, 1) || need(3, 1) || need(4, 8) || need(12, 4));
      if (optlen === 24) return !(need(2, 2) || need(4, 20));
      break;
    case 2: {
      // DSS: flags, then the data ACK and the mapping as the flags say
      if (need(3, 1)) return false;
      const flags = buf[o + 3] & 0x1f;
      at = 4;
      if (flags & 0x01) {
        const n = flags & 0x02 ? 8 : 4;
        if (need(at, n)) return false;
        at += n;
      }
      if (flags & 0x04) {
        const n = flags & 0x08 ? 8 : 4;
        if (need(at, n) || need(at + n, 4) || need(at + n + 4, 2)) return false;
        at += n + 6;
        if (optlen >= at + 4 && need(at, 2)) return false;
      }
      break;
    }
    case 3: // ADD_ADDR: IP version or echo flag, address id, then address, port and HMAC by length
      if (need(2, 1) || need(3, 1)) return false;
      at = 4;
      if (optlen === 8 || optlen === 10 || optlen === 16 || optlen === 18) {
        if (need(at, 4)) return false;
        at += 4;
      }
      if (optlen === 20 || optlen === 22 || optlen === 28 || optlen === 30) {
        if (need(at, 16)) return false;
        at += 16;
      }
      if (optlen === 10 || optlen === 18 || optlen === 22 || optlen === 30) {
        if (need(at, 2)) return false;
        at += 2;
      }
      if ((optlen === 16 || optlen === 18 || optlen === 28 || optlen === 30) && need(at, 8)) return false;
      break;
    case 4: // REMOVE_ADDR: one address id per remaining byte
      for (at = 3; at < optlen; at++) if (need(at, 1)) return false;
      break;
    case 5: // MP_PRIO
      if (need(2, 1) || (optlen === 4 && need(3, 1))) return false;
      break;
    case 6: // MP_FAIL
    case 7: // MP_FASTCLOSE
      if (need(2, 2) || need(4, 8)) return false;
      break;
    case 8: // MP_TCPRST
      if (need(2, 1) || need(3, 1)) return false;
      break;
  }
  return true;
}

// Sequence-space comparisons (RFC 9293 §3.4): a before b when (a - b) is negative as a 32-bit integer.
function seqLe(a: number, b: number): boolean {
  return ((a - b) | 0) <= 0;
}
function seqLt(a: number, b: number): boolean {
  return ((a - b) | 0) < 0;
}
function seqGe(a: number, b: number): boolean {
  return ((a - b) | 0) >= 0;
}

const EDGE_OK = 0;
const EDGE_CUT = 1;
const EDGE_MISSING = 2;

/**
 * A SACK edge needs 4 bytes: with fewer left in the option, Wireshark reports the suboption
 * past the option's end and stops reading edges (EDGE_CUT), or the packet when the bytes are
 * not even there (EDGE_MISSING).
 */
function edgePastOption(p: Packet, buf: Uint8Array, at: number, rem: number, tcpEnd: number, optEnd: number): number {
  if (rem >= 4) return EDGE_OK;
  p.expert('TCP', 'tcp.suboption_malformed', 'error', 'malformed', 'suboption would go past end of option', at, rem);
  return bytesMissing(p, 'TCP', buf, at, rem, tcpEnd, optEnd) ? EDGE_MISSING : EDGE_CUT;
}

/** SACK (RFC 2018) with the D-SACK test of RFC 2883 §4; edges are relative to seg.sackBase. */
function dissectSack(
  p: Packet,
  buf: Uint8Array,
  o: number,
  optlen: number,
  optEnd: number,
  tcpEnd: number,
  seg: TcpSegment,
  hook: TcpAnalysisHook | undefined,
): boolean {
  const t = p.tree;
  const item = optionHead(p, buf, o, optEnd, tcpEnd, F.sack);
  const base = seg.sackBase;
  const relative = seg.relative ? ' (relative)' : '';
  let at = o + 2;
  let rem = optlen - 2;
  let ranges = 0;
  let label = 'TCP Option - SACK';
  while (rem > 0) {
    const pastLeft = edgePastOption(p, buf, at, rem, tcpEnd, optEnd);
    if (pastLeft === EDGE_MISSING) return false;
    if (pastLeft === EDGE_CUT) break;
    if (bytesMissing(p, 'TCP', buf, at, 4, tcpEnd, optEnd)) return false;
    const left = (u32(buf, at) - base) >>> 0;
    const li = t.add(F.sackLe, at, 4, left);
    if (t.full) t.setLabel(li, `left edge = ${left}${relative}`);
    rem -= 4;
    const pastRight = edgePastOption(p, buf, at, rem, tcpEnd, optEnd);
    if (pastRight === EDGE_MISSING) return false;
    if (pastRight === EDGE_CUT) break;
    if (bytesMissing(p, 'TCP', buf, at + 4, 4, tcpEnd, optEnd)) return false;
    const right = (u32(buf, at + 4) - base) >>> 0;
    rem -= 4;
    const ri = t.add(F.sackRe, at + 4, 4, right);
    if (t.full) {
      t.setLabel(ri, `right edge = ${right}${relative}`);
      label += ` ${left}-${right}`;
      t.setLabel(item, label);
    }
    if (infoWanted(p)) p.appendInfo(` SLE=${left} SRE=${right}`);
    ranges++;
    // The first two blocks of the segment (over all its SACK options) feed the D-SACK test.
    if (seg.sackCount < 4) {
      if (seg.sackCount === 0) seg.sackRight0 = right;
      else if (seg.sackCount === 1) {
        seg.sackLeft1 = left;
        seg.sackRight1 = right;
      }
      seg.sackCount++;
    }
    if (hook?.option) hook.option(p, seg, TCPOPT.SACK, left, right);
    at += 8;
  }
  t.add(F.sackCount, o, 0, ranges, GENERATED);
  // RFC 2883 §4: the first block is a D-SACK when it lies at or below the cumulative ACK, or
  // inside the second block. Wireshark re-reads the first block's edges here, even when the
  // option holds none (then the read fails past the option).
  if (
    seqLe(seg.sackRight0, seg.ack) ||
    (seg.sackCount > 1 && seqLt(seg.sackLeft1, seg.sackRight0) && seqGe(seg.sackRight1, seg.sackRight0))
  ) {
    const first = o + 2;
    if (bytesMissing(p, 'TCP', buf, first, 4, tcpEnd, optEnd)) return false;
    const left = (u32(buf, first) - base) >>> 0;
    const dl = t.add(F.dsackLe, first, 4, left, GENERATED);
    if (t.full) t.setLabel(dl, `[D-SACK Left Edge = ${left}${relative}]`);
    if (bytesMissing(p, 'TCP', buf, first + 4, 4, tcpEnd, optEnd)) return false;
    const right = (u32(buf, first + 4) - base) >>> 0;
    const dr = t.add(F.dsackRe, first + 4, 4, right, GENERATED);
    if (t.full) t.setLabel(dr, `[D-SACK Right Edge = ${right}${relative}]`);
    p.expert('TCP', 'tcp.options.sack.dsack', 'warn', 'sequence', 'D-SACK Sequence', first, 8);
  }
  return true;
}

/** TCP Fast Open (RFC 7413): a cookie request (no data) or a cookie. `o` is where kind and length start. */
function fastOpenPayload(
  p: Packet,
  buf: Uint8Array,
  o: number,
  optlen: number,
  optEnd: number,
  tcpEnd: number,
  seg: TcpSegment,
  hook: TcpAnalysisHook | undefined,
): boolean {
  const t = p.tree;
  if (optlen === 2) {
    t.add(F.tfoRequest, o, 2);
    if (infoWanted(p)) p.appendInfo(' TFO=R');
  } else if (optlen > 2) {
    if (bytesMissing(p, 'TCP', buf, o + 2, optlen - 2, tcpEnd, optEnd)) return false;
    t.add(F.tfoCookie, o + 2, optlen - 2);
    if (infoWanted(p)) p.appendInfo(' TFO=C');
    if ((seg.flags & (SYN | ACK)) === SYN) {
      p.expert('TCP', 'tcp.analysis.tfo_syn', 'note', 'sequence', 'TCP SYN with TFO Cookie', o + 2, optlen - 2);
      if (hook?.option) hook.option(p, seg, TCPOPT.TFO, optlen - 2, 0);
    }
  }
  return true;
}

/** AccECN counters (draft-ietf-tcpm-accurate-ecn): 0, 1, 2 or 3 24-bit fields in order 0 or 1. */
function accurateEcnData(
  p: Packet,
  buf: Uint8Array,
  at: number,
  dataLen: number,
  optEnd: number,
  tcpEnd: number,
  order0: boolean,
  item: number,
  seg: TcpSegment,
  hook: TcpAnalysisHook | undefined,
): boolean {
  const t = p.tree;
  const info = infoWanted(p);
  let label = '';
  if (dataLen === 0) {
    if (info) p.appendInfo(' AccECN');
  } else {
    const first = order0 ? F.accEcnEe0b : F.accEcnEe1b;
    const last = order0 ? F.accEcnEe1b : F.accEcnEe0b;
    const firstName = order0 ? 'EE0B' : 'EE1B';
    const lastName = order0 ? 'EE1B' : 'EE0B';
    if (bytesMissing(p, 'TCP', buf, at, 3, tcpEnd, optEnd)) return false;
    const a = u24(buf, at);
    t.add(first, at, 3, a);
    if (info) p.appendInfo(` ${firstName}=${a}`);
    label = ` (Order ${order0 ? 0 : 1}): ${firstName} ${a}`;
    if (dataLen >= 6) {
      if (bytesMissing(p, 'TCP', buf, at + 3, 3, tcpEnd, optEnd)) return false;
      const b = u24(buf, at + 3);
      t.add(F.accEcnEceb, at + 3, 3, b);
      if (info) p.appendInfo(` ECEB=${b}`);
      label += `, ECEB ${b}`;
    }
    if (dataLen === 9) {
      if (bytesMissing(p, 'TCP', buf, at + 6, 3, tcpEnd, optEnd)) return false;
      const c = u24(buf, at + 6);
      t.add(last, at + 6, 3, c);
      if (info) p.appendInfo(` ${lastName}=${c}`);
      label += `, ${lastName} ${c}`;
    }
  }
  if (t.full && label) t.setLabel(item, `TCP Option - Accurate ECN${label}`);
  if (hook?.option) hook.option(p, seg, TCPOPT.ACC_ECN_0, order0 ? 0 : 1, dataLen);
  return true;
}

/** Experimental options 253/254 with an RFC 6994 experiment identifier. */
function dissectExperimental(
  p: Packet,
  buf: Uint8Array,
  o: number,
  optlen: number,
  optEnd: number,
  tcpEnd: number,
  seg: TcpSegment,
  hook: TcpAnalysisHook | undefined,
): boolean {
  const t = p.tree;
  const item = optionHead(p, buf, o, optEnd, tcpEnd, F.experimental);
  if (optlen < 4) {
    lenInvalid(p, o + 1, `option length ${optlen} smaller than 4`);
    return true;
  }
  if (bytesMissing(p, 'TCP', buf, o + 2, 2, tcpEnd, optEnd)) return false;
  const exid = u16(buf, o + 2);
  t.add(F.expExid, o + 2, 2, exid);
  if (t.full) t.setLabel(item, `TCP Option - Experimental: ${EXPERIMENT_IDS.get(exid) ?? 'Unknown'}`);
  switch (exid) {
    case 0x00ac: // TCP ACK Rate Request
      if (optlen !== 4 && optlen !== 5) {
        lenInvalid(p, o + 1, `option length should be 4 or 5 instead of ${optlen}`);
      } else if (optlen === 4) {
        if (infoWanted(p)) p.appendInfo(' TARR');
      } else {
        if (bytesMissing(p, 'TCP', buf, o + 4, 1, tcpEnd, optEnd)) return false;
        const rate = buf[o + 4] >> 1;
        t.add(F.tarrRate, o + 4, 1, rate);
        t.add(F.tarrReserved, o + 4, 1, buf[o + 4] & 1);
        if (infoWanted(p)) p.appendInfo(` TARR=${rate}`);
      }
      break;
    case 0xacc0:
    case 0xacc1:
      if (optlen !== 4 && optlen !== 7 && optlen !== 10 && optlen !== 13) {
        lenInvalid(p, o + 1, `option length should be 4, 7, 10, or 13 instead of ${optlen}`);
      } else {
        if (t.full) t.setLabel(item, `TCP Option - Experimental: ${EXPERIMENT_IDS.get(exid)}: Accurate ECN`);
        return accurateEcnData(p, buf, o + 4, optlen - 4, optEnd, tcpEnd, exid === 0xacc0, -1, seg, hook);
      }
      break;
    case 0xf989: // Fast Open with the experimental identifier (before kind 34 was assigned)
      return fastOpenPayload(p, buf, o + 2, optlen - 2, optEnd, tcpEnd, seg, hook);
    default:
      if (optlen > 4) {
        if (bytesMissing(p, 'TCP', buf, o + 4, optlen - 4, tcpEnd, optEnd)) return false;
        t.add(F.expData, o + 4, optlen - 4);
      }
      if (infoWanted(p)) p.appendInfo(` ExID=${exid.toString(16).toUpperCase()}`);
      break;
  }
  return true;
}
