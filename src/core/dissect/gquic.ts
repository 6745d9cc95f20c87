// Google QUIC (gQUIC, versions Q024..Q043 with the public header of the QUIC Wire Layout
// Specification): public flags, connection ID, version, packet number, and the Info column of
// Wireshark 4.0's packet-gquic.c ("Client Hello, PKN: 1, CID: ..." or "Payload (Encrypted), PKN:
// 2"). Like Wireshark it is found by a UDP heuristic on a packet carrying a version, and then
// owns the rest of that UDP conversation, whose packets no longer carry it.

import { defineFields, valueStrings, YES_NO } from './fields.js';
import type { Packet } from './packet.js';
import { udpHeuristics } from './tables.js';
import { u16, u32 } from './bytes.js';

const PUFLAGS_VRSN = 0x01;
const PUFLAGS_RST = 0x02;
const PUFLAGS_DNONCE = 0x04;
const PUFLAGS_CID = 0x08;
const PUFLAGS_PKN = 0x30;

const MTAG_CHLO = 0x43484c4f;
const MTAG_SHLO = 0x53484c4f;
const MTAG_REJ = 0x52454a00;

const MESSAGE_TAGS = valueStrings({
  [MTAG_CHLO]: 'Client Hello',
  [MTAG_SHLO]: 'Server Hello',
  [MTAG_REJ]: 'Rejection',
  0x50525354: 'Public Reset',
});

const PKN_LENGTHS = valueStrings({ 0: '1 Byte', 1: '2 Bytes', 2: '4 Bytes', 3: '6 Bytes' });

export const gquicFields = defineFields({
  gquic: { abbrev: 'gquic', name: 'GQUIC (Google Quick UDP Internet Connections)', type: 'protocol' },
  puflags: { abbrev: 'gquic.puflags', name: 'Public Flags', type: 'uint', bits: 8, base: 'hex' },
  puflagsVersion: {
    abbrev: 'gquic.puflags.version',
    name: 'Version',
    type: 'bool',
    bits: 8,
    mask: PUFLAGS_VRSN,
    trueFalse: YES_NO,
  },
  puflagsReset: {
    abbrev: 'gquic.puflags.reset',
    name: 'Reset',
    type: 'bool',
    bits: 8,
    mask: PUFLAGS_RST,
    trueFalse: YES_NO,
  },
  puflagsNonce: {
    abbrev: 'gquic.puflags.nonce',
    name: 'Diversification nonce',
    type: 'bool',
    bits: 8,
    mask: PUFLAGS_DNONCE,
    trueFalse: YES_NO,
  },
  puflagsCid: {
    abbrev: 'gquic.puflags.cid',
    name: 'CID Length',
    type: 'bool',
    bits: 8,
    mask: PUFLAGS_CID,
    trueFalse: ['8 Bytes', '0 Byte'],
  },
  puflagsCidOld: {
    abbrev: 'gquic.puflags.cid.old',
    name: 'CID Length',
    type: 'uint',
    bits: 8,
    base: 'hex',
    mask: 0x0c,
    strings: valueStrings({ 0: '0 Byte', 1: '1 Bytes', 2: '4 Bytes', 3: '8 Bytes' }),
  },
  puflagsPkn: {
    abbrev: 'gquic.puflags.pkn',
    name: 'Packet Number Length',
    type: 'uint',
    bits: 8,
    base: 'hex',
    mask: PUFLAGS_PKN,
    strings: PKN_LENGTHS,
  },
  puflagsMultipath: {
    abbrev: 'gquic.puflags.mpth',
    name: 'Multipath',
    type: 'bool',
    bits: 8,
    mask: 0x40,
    trueFalse: YES_NO,
  },
  puflagsReserved: { abbrev: 'gquic.puflags.rsv', name: 'Reserved', type: 'uint', bits: 8, base: 'hex', mask: 0x80 },
  cid: { abbrev: 'gquic.cid', name: 'CID', type: 'uint', bits: 64, base: 'dec' },
  version: { abbrev: 'gquic.version', name: 'Version', type: 'string' },
  diversificationNonce: { abbrev: 'gquic.diversification_nonce', name: 'Diversification nonce', type: 'bytes' },
  packetNumber: { abbrev: 'gquic.packet_number', name: 'Packet Number', type: 'uint', bits: 64, base: 'dec' },
  messageAuthenticationHash: {
    abbrev: 'gquic.message_authentication_hash',
    name: 'Message Authentication Hash',
    type: 'bytes',
  },
  tag: { abbrev: 'gquic.tag', name: 'Tag', type: 'string' },
  payload: { abbrev: 'gquic.payload', name: 'Payload', type: 'bytes' },
});

const F = gquicFields;

/** What Wireshark keeps per conversation (gquic_info_data_t). */
interface Conversation {
  /** The version number ("Q025" -> 25); valid false when the digits were not a number. */
  version: number;
  versionValid: boolean;
  serverPort: number;
}

interface GquicState {
  conversations: Map<string, Conversation>;
}

/** Conversations kept at most (a capture with more just stops finding new ones' later packets). */
const MAX_CONVERSATIONS = 10000;

function newState(): GquicState {
  return { conversations: new Map() };
}

/** The UDP conversation's key, the same both ways (Wireshark's find_or_create_conversation). */
function conversationKey(p: Packet): string | undefined {
  let a: string;
  let b: string;
  if (p.netType === 4) {
    a = `${p.netSrc4}`;
    b = `${p.netDst4}`;
  } else if (p.netType === 6 && p.netSrc6 && p.netDst6) {
    a = p.netSrc6.join('.');
    b = p.netDst6.join('.');
  } else {
    return undefined;
  }
  const x = `${a}/${p.srcPort}`;
  const y = `${b}/${p.dstPort}`;
  return x < y ? `${x}|${y}` : `${y}|${x}`;
}

/** Little-endian (before Q039) or big-endian unsigned integer of n <= 8 bytes, as a bigint. */
function readUint(buf: Uint8Array, o: number, n: number, bigEndian: boolean): bigint {
  let v = 0n;
  for (let i = 0; i < n; i++) v = (v << 8n) | BigInt(buf[bigEndian ? o + i : o + n - 1 - i]);
  return v;
}

/** Digits of a "Qnnn" version as a number, or -1 when they are not all digits. */
function versionNumber(buf: Uint8Array, o: number): number {
  let v = 0;
  for (let i = 0; i < 3; i++) {
    const c = buf[o + i];
    if (c < 0x30 || c > 0x39) return -1;
    v = v * 10 + c - 0x30;
  }
  return v > 255 ? -1 : v;
}

/** UDP heuristic (Wireshark's dissect_gquic_heur), also taking packets of known gQUIC conversations. */
export function gquicHeuristic(p: Packet, buf: Uint8Array, off: number, end: number): boolean {
  if (p.inErrorPacket) return false;
  const state = p.session.protocolState('gquic', newState);
  const candidate = looksLikeGquic(buf, off, end);
  // Most UDP payloads reach the heuristics: no conversation key is built unless one can match.
  if (!candidate && state.conversations.size === 0) return false;
  const key = conversationKey(p);
  if (key === undefined) return false;
  let conv = state.conversations.get(key);
  if (!conv) {
    if (!candidate || state.conversations.size >= MAX_CONVERSATIONS) return false;
    conv = { version: 0, versionValid: true, serverPort: 443 };
    state.conversations.set(key, conv);
  }
  return dissectGquic(p, buf, off, end, conv);
}

/** Public flags with version and an 8-byte CID, then "Q02", "Q03" or "Q04" (dissect_gquic_heur). */
function looksLikeGquic(buf: Uint8Array, off: number, end: number): boolean {
  if (Math.min(end, buf.length) - off < 13) return false;
  const flags = buf[off];
  if ((flags & PUFLAGS_VRSN) === 0 || (flags & PUFLAGS_CID) === 0) return false;
  return buf[off + 9] === 0x51 && buf[off + 10] === 0x30 && buf[off + 11] >= 0x32 && buf[off + 11] <= 0x34;
}

function dissectGquic(p: Packet, buf: Uint8Array, off: number, end: number, conv: Conversation): boolean {
  const capEnd = Math.min(end, buf.length);
  // Wireshark's minimum for the conversation dissector.
  if (capEnd - off < 3) return false;
  const t = p.tree;
  p.addLayer('gquic');
  p.setProtocol('GQUIC');
  const top = t.add(F.gquic, off, capEnd - off);
  t.open(top);
  const flags = buf[off];
  const cidLen = flags & PUFLAGS_CID ? 8 : 0;
  if (flags & PUFLAGS_VRSN && off + 1 + cidLen + 4 <= capEnd) {
    const v = versionNumber(buf, off + 1 + cidLen + 1);
    conv.versionValid = v >= 0;
    if (v >= 0) conv.version = v;
  }
  // From Q039 on, integers are big-endian.
  const bigEndian = conv.version >= 39;
  const fi = t.add(F.puflags, off, 1, flags);
  t.open(fi);
  t.add(F.puflagsVersion, off, 1, flags & PUFLAGS_VRSN);
  t.add(F.puflagsReset, off, 1, (flags & PUFLAGS_RST) >> 1);
  // The CID length bits changed meaning with Q033 (one bit, and a nonce flag beside it).
  if (conv.versionValid) {
    if (conv.version < 33) t.add(F.puflagsCidOld, off, 1, (flags & 0x0c) >> 2);
    else {
      t.add(F.puflagsNonce, off, 1, (flags & PUFLAGS_DNONCE) >> 2);
      t.add(F.puflagsCid, off, 1, (flags & PUFLAGS_CID) >> 3);
    }
  }
  t.add(F.puflagsPkn, off, 1, (flags & PUFLAGS_PKN) >> 4);
  t.add(F.puflagsMultipath, off, 1, (flags >> 6) & 1);
  t.add(F.puflagsReserved, off, 1, flags >> 7);
  t.close();
  let o = off + 1;
  let cid = 0n;
  if (cidLen) {
    if (p.short('GQUIC', buf, o, cidLen, end)) return true;
    cid = readUint(buf, o, cidLen, bigEndian);
    t.addValue(F.cid, o, cidLen, cid);
    o += cidLen;
  }
  const cidText = cid !== 0n ? `, CID: ${cid}` : '';
  if (flags & PUFLAGS_VRSN) {
    if (p.srcPort === conv.serverPort) {
      // A server's packet with a version is a version negotiation: the versions it supports.
      while (o + 4 <= capEnd) {
        t.addValue(F.version, o, 4, ascii(buf, o, 4));
        o += 4;
      }
      if (p.wantColumns) p.setInfo(`Version Negotiation${cidText}`);
      t.close();
      return true;
    }
    if (p.short('GQUIC', buf, o, 4, end)) return true;
    t.addValue(F.version, o, 4, ascii(buf, o, 4));
    o += 4;
  }
  if (flags & PUFLAGS_RST) {
    if (p.short('GQUIC', buf, o, 4, end)) return true;
    t.addValue(F.tag, o, 4, ascii(buf, o, 4));
    if (p.wantColumns) p.setInfo(`Public Reset${cidText}`);
    t.close();
    return true;
  }
  // The diversification nonce: server to client only, from Q033 on.
  if (conv.versionValid && flags & PUFLAGS_DNONCE && conv.version >= 33 && p.srcPort === conv.serverPort) {
    if (p.short('GQUIC', buf, o, 32, end)) return true;
    t.add(F.diversificationNonce, o, 32);
    o += 32;
  }
  const pknLen = [1, 2, 4, 6][(flags & PUFLAGS_PKN) >> 4];
  if (p.short('GQUIC', buf, o, pknLen, end)) return true;
  const pkn = readUint(buf, o, pknLen, bigEndian);
  t.addValue(F.packetNumber, o, pknLen, pkn);
  o += pknLen;
  const clear = unencryptedMessage(p, buf, o, end, pknLen, conv);
  if (clear) {
    t.add(F.messageAuthenticationHash, o, 12);
    if (p.wantColumns) p.setInfo(clear);
  } else {
    if (o < capEnd) t.add(F.payload, o, capEnd - o);
    if (p.wantColumns) p.setInfo('Payload (Encrypted)');
  }
  if (p.wantColumns) p.appendInfo(`, PKN: ${pkn}${cidText}`);
  t.close();
  return true;
}

function ascii(buf: Uint8Array, o: number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) {
    const c = buf[o + i];
    if (c === 0) break;
    s += String.fromCharCode(c);
  }
  return s;
}

/**
 * Wireshark's is_gquic_unencrypt: walks the frames after the 12-byte message authentication hash
 * (and the private flags before Q034) looking for a handshake message (CHLO, SHLO, REJ) in a
 * STREAM frame or a CONNECTION_CLOSE filling the packet. Returns the Info text for it, or
 * undefined when the payload is encrypted. Sets the server port when a client hello shows it.
 */
function unencryptedMessage(
  p: Packet,
  buf: Uint8Array,
  start: number,
  end: number,
  pknLen: number,
  conv: Conversation,
): string | undefined {
  const capEnd = Math.min(end, buf.length);
  const bigEndian = conv.version >= 39;
  const old = conv.versionValid && conv.version < 34;
  if (capEnd - start <= 13) return undefined;
  let o = start + 12 + (old ? 1 : 0);
  const left = (): number => capEnd - o;
  const u16e = (at: number): number => (bigEndian ? u16(buf, at) : buf[at] | (buf[at + 1] << 8));
  while (o < end) {
    if (left() <= 1) return undefined;
    const type = buf[o];
    if ((type & 0xe0) === 0) {
      o++;
      switch (type) {
        case 0x00: // PADDING: the rest of the packet
          return undefined;
        case 0x01: // RST_STREAM
          o += 16;
          break;
        case 0x02: {
          // CONNECTION_CLOSE: a reason phrase filling the rest of the packet.
          o += 4;
          if (left() <= 2) return undefined;
          const reason = u16e(o);
          o += 2;
          if (left() === reason) return 'Connection Close';
          break;
        }
        case 0x03: {
          // GOAWAY
          o += 8;
          if (left() <= 2) return undefined;
          const reason = u16e(o);
          o += 2 + reason;
          break;
        }
        case 0x04: // WINDOW_UPDATE
          o += 12;
          break;
        case 0x05: // BLOCKED
          o += 4;
          break;
        case 0x06: // STOP_WAITING
          o += (old ? 1 : 0) + pknLen;
          break;
        default: // PING and unknown types carry nothing
          break;
      }
    } else if (type & 0x80) {
      // STREAM: stream ID (1-4 bytes), offset (0, 2-8 bytes), optional 2-byte data length.
      const offsetBits = (type & 0x1c) >> 2;
      o += 1 + ((type & 0x03) + 1) + (offsetBits === 0 ? 0 : offsetBits + 1) + (type & 0x20 ? 2 : 0);
      if (left() <= 4) return undefined;
      const tag = u32(buf, o);
      if (tag === MTAG_CHLO || tag === MTAG_SHLO || tag === MTAG_REJ) {
        if (tag === MTAG_CHLO && p.srcPort !== 443) conv.serverPort = p.dstPort;
        return MESSAGE_TAGS.get(tag);
      }
      return undefined;
    } else if (type & 0x40) {
      // ACK: layout changed with Q034.
      const largestLen = [1, 2, 4, 6][(type & 0x0c) >> 2];
      const missingLen = [1, 2, 4, 6][type & 0x03];
      o++;
      if (old) {
        o += 1 + largestLen + 2;
        if (left() <= 1) return undefined;
        const timestamps = buf[o++];
        if (timestamps > 0) o += 5 + (timestamps - 1) * 3;
        if (type & 0x20) {
          if (left() <= 1) return undefined;
          const ranges = buf[o++];
          o += ranges * (missingLen + 1);
          if (left() <= 1) return undefined;
          const revived = buf[o++];
          o += revived * largestLen;
        }
      } else {
        o += largestLen + 2;
        let blocks = 0;
        if (type & 0x20) {
          if (left() <= 1) return undefined;
          blocks = buf[o++];
        }
        o += missingLen + blocks * (1 + missingLen);
        if (left() <= 1) return undefined;
        const timestamps = buf[o++];
        if (timestamps > 0) o += 5 + (timestamps - 1) * 3;
      }
    } else {
      o++;
    }
  }
  return undefined;
}

udpHeuristics.add('gquic', gquicHeuristic);
