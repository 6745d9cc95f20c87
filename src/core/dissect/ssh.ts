// SSH over TCP 22 and 29418 (RFC 4253 for version 2; version 1 as OpenSSH's ssh1.h): the version
// banners, the binary packets of the key exchange (KEXINIT, the DH / DH group exchange / ECDH
// messages, NEWKEYS) and, after it, encrypted packets, with Wireshark 4.0's Protocol column
// (SSH, SSHv1 or SSHv2 from the client's banner), Info texts and main header fields.

import { defineFields, valueStrings } from './fields.js';
import { tcpPortTable } from './tables.js';
import type { Packet } from './packet.js';
import { GENERATED } from './tree.js';
import { md5Hex } from './md5.js';
import { u32 } from './bytes.js';
import { asciiValue, formatText } from './format-text.js';
import { askForMore, DESEGMENT_ONE_MORE_SEGMENT } from './tcp-pdus.js';
import { ConversationTable, tcpConversationKey } from './tcp-conversation.js';

// ---------------------------------------------------------------------------------------------
// Message names (RFC 4250 section 4.1; Wireshark's ssh2_msg_vals and friends)

const SSH2_MESSAGES = valueStrings({
  1: 'Disconnect',
  2: 'Ignore',
  3: 'Unimplemented',
  4: 'Debug',
  5: 'Service Request',
  6: 'Service Accept',
  20: 'Key Exchange Init',
  21: 'New Keys',
  50: 'User Authentication Request',
  51: 'User Authentication Failure',
  52: 'User Authentication Success',
  53: 'User Authentication Banner',
  60: 'Public Key algorithm accepted',
  80: 'Global Request',
  81: 'Request Success',
  82: 'Request Failure',
  90: 'Channel Open',
  91: 'Channel Open Confirmation',
  92: 'Channel Open Failure',
  93: 'Window Adjust',
  94: 'Channel Data',
  95: 'Channel Extended Data',
  96: 'Channel EOF',
  97: 'Channel Close',
  98: 'Channel Request',
  99: 'Channel Success',
  100: 'Channel Failure',
});

const KEX_DH_MESSAGES = valueStrings({
  30: 'Diffie-Hellman Key Exchange Init',
  31: 'Diffie-Hellman Key Exchange Reply',
});

const KEX_DH_GEX_MESSAGES = valueStrings({
  30: 'Diffie-Hellman Group Exchange Request (Old)',
  31: 'Diffie-Hellman Group Exchange Group',
  32: 'Diffie-Hellman Group Exchange Init',
  33: 'Diffie-Hellman Group Exchange Reply',
  34: 'Diffie-Hellman Group Exchange Request',
});

const KEX_ECDH_MESSAGES = valueStrings({
  30: 'Elliptic Curve Diffie-Hellman Key Exchange Init',
  31: 'Elliptic Curve Diffie-Hellman Key Exchange Reply',
});

const SSH1_MESSAGES = valueStrings({
  0: 'No Message',
  1: 'Disconnect',
  2: 'Public Key',
  3: 'Session Key',
  4: 'User',
});

// ---------------------------------------------------------------------------------------------
// Fields (Wireshark 4.0's abbreviations, `tshark -G fields`)

const u32Field = (abbrev: string, name: string) => ({ abbrev, name, type: 'uint', bits: 32, base: 'dec' }) as const;
const bytesField = (abbrev: string, name: string) => ({ abbrev, name, type: 'bytes' }) as const;
const stringField = (abbrev: string, name: string) => ({ abbrev, name, type: 'string' }) as const;

export const sshFields = defineFields({
  ssh: { abbrev: 'ssh', name: 'SSH Protocol', type: 'protocol' },
  protocol: stringField('ssh.protocol', 'Protocol'),
  packetLength: u32Field('ssh.packet_length', 'Packet Length'),
  packetLengthEncrypted: bytesField('ssh.packet_length_encrypted', 'Packet Length (encrypted)'),
  paddingLength: { abbrev: 'ssh.padding_length', name: 'Padding Length', type: 'uint', bits: 8, base: 'dec' },
  payload: bytesField('ssh.payload', 'Payload'),
  encryptedPacket: bytesField('ssh.encrypted_packet', 'Encrypted Packet'),
  paddingString: bytesField('ssh.padding_string', 'Padding String'),
  seqNum: { abbrev: 'ssh.seq_num', name: 'Sequence number', type: 'uint', bits: 32, base: 'dec' },
  hasshAlgorithms: { abbrev: 'ssh.kex.hassh_algorithms', name: 'hasshAlgorithms', type: 'string' },
  hassh: { abbrev: 'ssh.kex.hassh', name: 'hassh', type: 'string' },
  hasshServerAlgorithms: { abbrev: 'ssh.kex.hasshserver_algorithms', name: 'hasshServerAlgorithms', type: 'string' },
  hasshServer: { abbrev: 'ssh.kex.hasshserver', name: 'hasshServer', type: 'string' },
  mac: bytesField('ssh.mac', 'MAC'),
  direction: {
    abbrev: 'ssh.direction',
    name: 'Direction',
    type: 'bool',
    trueFalse: ['server-to-client', 'client-to-server'],
  },
  messageCode: { abbrev: 'ssh.message_code', name: 'Message Code', type: 'uint', bits: 8, base: 'dec' },
  cookie: bytesField('ssh.cookie', 'Cookie'),
  kexAlgorithms: stringField('ssh.kex_algorithms', 'kex_algorithms string'),
  kexAlgorithmsLength: u32Field('ssh.kex_algorithms_length', 'kex_algorithms length'),
  hostKeyAlgorithms: stringField('ssh.server_host_key_algorithms', 'server_host_key_algorithms string'),
  hostKeyAlgorithmsLength: u32Field('ssh.server_host_key_algorithms_length', 'server_host_key_algorithms length'),
  encC2s: stringField('ssh.encryption_algorithms_client_to_server', 'encryption_algorithms_client_to_server string'),
  encC2sLength: u32Field(
    'ssh.encryption_algorithms_client_to_server_length',
    'encryption_algorithms_client_to_server length',
  ),
  encS2c: stringField('ssh.encryption_algorithms_server_to_client', 'encryption_algorithms_server_to_client string'),
  encS2cLength: u32Field(
    'ssh.encryption_algorithms_server_to_client_length',
    'encryption_algorithms_server_to_client length',
  ),
  macC2s: stringField('ssh.mac_algorithms_client_to_server', 'mac_algorithms_client_to_server string'),
  macC2sLength: u32Field('ssh.mac_algorithms_client_to_server_length', 'mac_algorithms_client_to_server length'),
  macS2c: stringField('ssh.mac_algorithms_server_to_client', 'mac_algorithms_server_to_client string'),
  macS2cLength: u32Field('ssh.mac_algorithms_server_to_client_length', 'mac_algorithms_server_to_client length'),
  compC2s: stringField('ssh.compression_algorithms_client_to_server', 'compression_algorithms_client_to_server string'),
  compC2sLength: u32Field(
    'ssh.compression_algorithms_client_to_server_length',
    'compression_algorithms_client_to_server length',
  ),
  compS2c: stringField('ssh.compression_algorithms_server_to_client', 'compression_algorithms_server_to_client string'),
  compS2cLength: u32Field(
    'ssh.compression_algorithms_server_to_client_length',
    'compression_algorithms_server_to_client length',
  ),
  langC2s: stringField('ssh.languages_client_to_server', 'languages_client_to_server string'),
  langC2sLength: u32Field('ssh.languages_client_to_server_length', 'languages_client_to_server length'),
  langS2c: stringField('ssh.languages_server_to_client', 'languages_server_to_client string'),
  langS2cLength: u32Field('ssh.languages_server_to_client_length', 'languages_server_to_client length'),
  firstKexFollows: {
    abbrev: 'ssh.first_kex_packet_follows',
    name: 'First KEX Packet Follows',
    type: 'uint',
    bits: 8,
    base: 'dec',
  },
  kexReserved: bytesField('ssh.kex.reserved', 'Reserved'),
  hostKeyLength: u32Field('ssh.host_key.length', 'Host key length'),
  hostKeyTypeLength: u32Field('ssh.host_key.type_length', 'Host key type length'),
  hostKeyType: stringField('ssh.host_key.type', 'Host key type'),
  hostKeyData: bytesField('ssh.host_key.data', 'Host key data'),
  rsaN: bytesField('ssh.host_key.rsa.n', 'RSA modulus (N)'),
  rsaE: bytesField('ssh.host_key.rsa.e', 'RSA public exponent (e)'),
  dsaP: bytesField('ssh.host_key.dsa.p', 'DSA prime modulus (p)'),
  dsaQ: bytesField('ssh.host_key.dsa.q', 'DSA prime divisor (q)'),
  dsaG: bytesField('ssh.host_key.dsa.g', 'DSA subgroup generator (g)'),
  dsaY: bytesField('ssh.host_key.dsa.y', 'DSA public key (y)'),
  ecdsaId: stringField('ssh.host_key.ecdsa.id', 'ECDSA elliptic curve identifier'),
  ecdsaIdLength: u32Field('ssh.host_key.ecdsa.id_length', 'ECDSA elliptic curve identifier length'),
  ecdsaQ: bytesField('ssh.host_key.ecdsa.q', 'ECDSA public key (Q)'),
  ecdsaQLength: u32Field('ssh.host_key.ecdsa.q_length', 'ECDSA public key length'),
  eddsaKey: bytesField('ssh.host_key.eddsa.key', 'EdDSA public key'),
  eddsaKeyLength: u32Field('ssh.host_key.eddsa.key_length', 'EdDSA public key length'),
  hostSigLength: u32Field('ssh.host_sig.length', 'Host signature length'),
  hostSigTypeLength: u32Field('ssh.host_sig.type_length', 'Host signature type length'),
  hostSigType: stringField('ssh.host_sig.type', 'Host signature type'),
  hostSigData: bytesField('ssh.host_sig.data', 'Host signature data'),
  hostSigRsa: bytesField('ssh.host_sig.rsa', 'RSA signature'),
  hostSigDsa: bytesField('ssh.host_sig.dsa', 'DSA signature'),
  dhE: bytesField('ssh.dh.e', 'DH client e'),
  dhF: bytesField('ssh.dh.f', 'DH server f'),
  gexMin: u32Field('ssh.dh_gex.min', 'DH GEX Min'),
  gexNbits: u32Field('ssh.dh_gex.nbits', 'DH GEX Number of Bits'),
  gexMax: u32Field('ssh.dh_gex.max', 'DH GEX Max'),
  gexP: bytesField('ssh.dh_gex.p', 'DH GEX modulus (P)'),
  gexG: bytesField('ssh.dh_gex.g', 'DH GEX base (G)'),
  ecdhQc: bytesField('ssh.ecdh.q_c', "ECDH client's ephemeral public key (Q_C)"),
  ecdhQcLength: u32Field('ssh.ecdh.q_c_length', "ECDH client's ephemeral public key length"),
  ecdhQs: bytesField('ssh.ecdh.q_s', "ECDH server's ephemeral public key (Q_S)"),
  ecdhQsLength: u32Field('ssh.ecdh.q_s_length', "ECDH server's ephemeral public key length"),
  mpintLength: u32Field('ssh.mpint_length', 'Multi Precision Integer Length'),
});

const F = sshFields;

// ---------------------------------------------------------------------------------------------
// State per connection (Wireshark's ssh_flow_data / ssh_peer_data), shared by both passes.

const VERSION_UNKNOWN = 0;
const VERSION_1 = 1;
const VERSION_2 = 2;

const KEX_DH = 0;
const KEX_DH_GEX = 1;
const KEX_ECDH = 2;

class SshPeer {
  frameVersionStart = 0;
  frameVersionEnd = 0;
  frameKeyStart = 0;
  frameKeyEnd = 0;
  /** Offset (from the start of the SSH data) just after the NEWKEYS message code. */
  frameKeyEndOffset = 0;
  kexProposal: string | undefined = undefined;
  /** [client-to-server, server-to-client] proposals of this side's KEXINIT. */
  encProposals: (string | undefined)[] = [undefined, undefined];
  macProposals: (string | undefined)[] = [undefined, undefined];
  compProposals: (string | undefined)[] = [undefined, undefined];
  enc: string | undefined = undefined;
  mac: string | undefined = undefined;
  comp: string | undefined = undefined;
  macLength = -1;
  lengthIsPlaintext = false;
  /**
   * Wireshark 4.0 opens a decryption cipher after NEWKEYS when the agreed cipher is
   * chacha20-poly1305 (even without keys: the key is then all zeros). Its packets then show no
   * Info text: the length decrypted with the wrong key is above 32768 and the packet is skipped
   * (a wrong key gives a length that small once in 2^17 packets; that case is not reproduced).
   */
  decrypting = false;
  /**
   * The packet sequence number as Wireshark 4.0 counts it for the key exchange (ssh_dissect_key_
   * exchange): a counter, and the number each kind of message got the first time it was seen
   * (0: not yet). Some messages take the counter before it goes up, others after, as there.
   */
  sequenceNumber = 0;
  readonly seqOf = new Map<string, number>();
}

/** Wireshark's numbering of a key exchange message: the first time, count it; every time, its number. */
function kexSeq(peer: SshPeer, kind: string, preIncrement: boolean): number {
  const known = peer.seqOf.get(kind) ?? 0;
  if (known !== 0) return known;
  let n: number;
  if (preIncrement) n = ++peer.sequenceNumber;
  else n = peer.sequenceNumber++;
  peer.seqOf.set(kind, n);
  return n;
}

class SshFlow {
  version = VERSION_UNKNOWN;
  kex: string | undefined = undefined;
  kexKind = KEX_DH;
  readonly peers = [new SshPeer(), new SshPeer()];
}

class SshState {
  readonly flows = new ConversationTable<SshFlow>();
}

const newState = (): SshState => new SshState();

/**
 * The connection's state. Each pass of a two-pass read runs the same dissection again (so TCP
 * reassembly sees the same requests), except that the Protocol column and the decoding start from
 * the version the first pass ended with, as Wireshark's second pass does with its conversation data.
 */
function flowOf(p: Packet): SshFlow {
  const key = tcpConversationKey(p);
  const flows = p.session.protocolState('ssh', newState).flows;
  let flow = flows.get(key);
  if (flow === undefined) {
    flow = flows.getOrAdd(key, () => new SshFlow());
    const first = p.session.firstPass?.protocolState('ssh', newState).flows.get(key);
    if (first !== undefined) flow.version = first.version;
  }
  return flow;
}

// ---------------------------------------------------------------------------------------------
// Bounds: Wireshark throws when an item runs past the data; the packet is then marked and the
// rest of SSH's work for the frame (including the "Client: " prefix) is skipped.

/** Thrown past the captured bytes (the frame was cut by the snapshot length). */
const TRUNCATED = { kind: 'truncated' };
/** Thrown past the reported end of the data. */
const MALFORMED = { kind: 'malformed' };

/** Checks that buf[at..at+len) exists; throws TRUNCATED or MALFORMED otherwise. */
function need(buf: Uint8Array, at: number, len: number, end: number): void {
  if (len < 0 || at + len > end) throw MALFORMED;
  if (at + len > buf.length) throw TRUNCATED;
}

function readU32(buf: Uint8Array, at: number, end: number): number {
  need(buf, at, 4, end);
  return u32(buf, at);
}

// Out-parameters of the helpers below (one dissection at a time; no per-packet objects).
let needMore = false;
let bannerVersion = VERSION_UNKNOWN;

function appendSep(p: Packet, text: string): void {
  if (!p.wantColumns) return;
  p.appendInfo(p.infoCol.length > 0 ? ', ' + text : text);
}

function messageName(names: ReadonlyMap<number, string>, code: number): string {
  return names.get(code) ?? `Unknown (${code})`;
}

/** "Message Code: <name> (<code>)", or "Message Code: Unknown (<code>)" for a code without a name. */
function messageCodeLabel(names: ReadonlyMap<number, string>, code: number): string {
  const name = names.get(code);
  return name === undefined ? `Message Code: Unknown (${code})` : `Message Code: ${name} (${code})`;
}

// ---------------------------------------------------------------------------------------------
// The dissector

/** Dissects SSH data; `matchPort` is the port the table matched (it tells client from server). */
function dissectSsh(p: Packet, buf: Uint8Array, off: number, end: number, matchPort: number): number {
  const isResponse = p.dstPort !== matchPort;
  const flow = flowOf(p);
  const peer = flow.peers[isResponse ? 1 : 0];
  const num = p.meta.number;
  p.addLayer('ssh');
  const t = p.tree;
  const top = t.add(F.ssh, off, Math.min(end, buf.length) - off);
  t.open(top);

  let version = flow.version;
  p.setProtocol(version === VERSION_UNKNOWN ? 'SSH' : version === VERSION_1 ? 'SSHv1' : 'SSHv2');
  p.setInfo('');

  try {
    let at = off;
    while (at < end) {
      const afterVersionStart = peer.frameVersionStart === 0 || num >= peer.frameVersionStart;
      const beforeVersionEnd = peer.frameVersionEnd === 0 || num <= peer.frameVersionEnd;
      needMore = false;
      const last = at;
      if (afterVersionStart && beforeVersionEnd && startsWithSsh(buf, at, end)) {
        if (peer.frameVersionStart === 0) peer.frameVersionStart = num;
        bannerVersion = version;
        at = dissectBanner(p, buf, at, end, isResponse);
        version = bannerVersion;
        if (!needMore) {
          peer.frameVersionEnd = num;
          flow.version = version;
        }
      } else if (version === VERSION_1) {
        at = dissectSsh1(p, peer, buf, at, end);
      } else if (version === VERSION_2) {
        at = dissectSsh2(p, flow, peer, isResponse, buf, off, at, end);
      } else {
        at = dissectEncrypted(p, peer, buf, at, end);
      }
      // Wireshark returns at once when it asked TCP for more: no "Client: " prefix then.
      if (needMore) {
        t.close();
        return Math.min(end, buf.length);
      }
      if (at <= last) break;
    }
  } catch (e) {
    if (e === TRUNCATED) p.truncated('SSH');
    else if (e === MALFORMED) p.malformed('SSH');
    else throw e;
    return Math.min(end, buf.length);
  }

  if (p.wantColumns) {
    // col_prepend_fstr: in front of everything, moving the fence only when there is one.
    const prefix = isResponse ? 'Server: ' : 'Client: ';
    const fence = p.infoFenceAt;
    p.restoreColumns(p.protocolCol, prefix + p.infoCol, fence > 0 ? fence + prefix.length : 0);
  }
  const d = t.add(F.direction, off, 0, isResponse ? 1 : 0, GENERATED);
  if (t.full) t.setLabel(d, `Direction: ${isResponse ? 'server-to-client' : 'client-to-server'}`);
  t.close();
  return Math.min(end, buf.length);
}

/** tvb_strncaseeql(tvb, at, "SSH-", 4) == 0: false when fewer than 4 bytes are captured. */
function startsWithSsh(buf: Uint8Array, at: number, end: number): boolean {
  if (at + 4 > Math.min(end, buf.length)) return false;
  return (
    (buf[at] | 0x20) === 0x73 && (buf[at + 1] | 0x20) === 0x73 && (buf[at + 2] | 0x20) === 0x68 && buf[at + 3] === 0x2d
  );
}

/** Case-insensitive comparison of buf[at..] with an ASCII prefix (false when too short). */
function startsWithCase(buf: Uint8Array, at: number, end: number, prefix: string): boolean {
  if (at + prefix.length > Math.min(end, buf.length)) return false;
  for (let i = 0; i < prefix.length; i++) {
    let c = buf[at + i];
    if (c >= 0x41 && c <= 0x5a) c |= 0x20;
    let d = prefix.charCodeAt(i);
    if (d >= 0x41 && d <= 0x5a) d |= 0x20;
    if (c !== d) return false;
  }
  return true;
}

/** The version banner (RFC 4253 section 4.2): "SSH-protoversion-softwareversion comments CR LF". */
function dissectBanner(p: Packet, buf: Uint8Array, at: number, end: number, isResponse: boolean): number {
  // Only the client's banner decides the version (Wireshark reads "SSH-1.99-" as version 2).
  if (!isResponse) {
    if (startsWithCase(buf, at, end, 'SSH-2.')) bannerVersion = VERSION_2;
    else if (startsWithCase(buf, at, end, 'SSH-1.99-')) bannerVersion = VERSION_2;
    else if (startsWithCase(buf, at, end, 'SSH-1.')) bannerVersion = VERSION_1;
  }
  const cap = Math.min(end, buf.length);
  let lf = -1;
  for (let i = at; i < cap; i++)
    if (buf[i] === 0x0a) {
      lf = i;
      break;
    }
  // Wireshark asks for "linelen - remain" more bytes without a line end (a negative count); one
  // more segment is what it amounts to until the line is complete.
  if (lf < 0 && askForMore(p, at, DESEGMENT_ONE_MORE_SEGMENT)) {
    needMore = true;
    return at;
  }
  let lineLength: number;
  let protoLength: number;
  if (lf < 0) {
    lineLength = cap - at;
    protoLength = lineLength;
  } else {
    lineLength = lf - at + 1;
    protoLength = lineLength > 1 && buf[at + lineLength - 2] === 0x0d ? lineLength - 2 : lineLength - 1;
  }
  if (p.wantColumns) appendSep(p, `Protocol (${formatText(buf, at, at + protoLength)})`);
  const t = p.tree;
  if (t.keeps(F.protocol)) t.addValue(F.protocol, at, protoLength, asciiValue(buf, at, at + protoLength));
  return at + lineLength;
}

/** An encrypted packet (or data of a connection whose start was not seen): all the rest. */
function dissectEncrypted(p: Packet, peer: SshPeer, buf: Uint8Array, at: number, end: number): number {
  if (peer.decrypting) return Math.min(end, buf.length);
  const len = end - at;
  if (p.wantColumns) appendSep(p, `Encrypted packet (len=${len})`);
  const t = p.tree;
  let encryptedLength = len;
  if (len > 4 && peer.lengthIsPlaintext) {
    need(buf, at, 4, end);
    t.add(F.packetLength, at, 4, u32(buf, at));
    encryptedLength -= 4;
  } else if (len > 4) {
    need(buf, at, 4, end);
    t.add(F.packetLengthEncrypted, at, 4);
    encryptedLength -= 4;
  }
  if (peer.macLength > 0) encryptedLength -= peer.macLength;
  // proto_tree_add_item: -1 runs to the end, other negative lengths are an exception.
  const itemLength = encryptedLength === -1 ? end - (at + 4) : encryptedLength;
  need(buf, at + 4, itemLength, end);
  t.add(F.encryptedPacket, at + 4, itemLength);
  if (peer.macLength > 0) {
    need(buf, at + 4 + itemLength, peer.macLength, end);
    t.add(F.mac, at + 4 + itemLength, peer.macLength);
  }
  return at + len;
}

/** An SSH-1 packet: length, 1-8 bytes of padding, then the message code while not encrypted. */
function dissectSsh1(p: Packet, peer: SshPeer, buf: Uint8Array, at: number, end: number): number {
  const t = p.tree;
  const cap = Math.min(end, buf.length);
  const remain = cap - at;
  if (remain <= 0) throw at >= end ? MALFORMED : TRUNCATED;
  if (remain < 4 && askForMore(p, at, DESEGMENT_ONE_MORE_SEGMENT)) {
    needMore = true;
    return at;
  }
  let plen = readU32(buf, at, end);
  const padding = 8 - (plen % 8);
  // Wireshark's count is 4 bytes short: TCP calls again and the rest is asked for then. A count
  // of 0 asks TCP for nothing, yet SSH stops there (the frame shows an empty Info column).
  if (plen + 4 + padding > remain && p.canDesegment) {
    const more = plen + padding - remain;
    if (more === 0) {
      needMore = true;
      return at;
    }
    askForMore(p, at, more > 0 ? more : DESEGMENT_ONE_MORE_SEGMENT);
    needMore = true;
    return at;
  }
  const sub = t.addText(at, cap - at, 'SSH Version 1');
  t.open(sub);
  if (plen >= 0xffff) {
    const i = t.add(F.packetLength, at, 4, plen);
    if (t.full) t.setLabel(i, `Overly large length ${plen.toString(16)}`);
    plen = remain - 4 - padding;
  } else if (plen > 0) t.add(F.packetLength, at, 4, plen);
  at += 4;
  t.add(F.paddingLength, at, padding, padding);
  at += padding;
  let len: number;
  const num = p.meta.number;
  // Wireshark's test: only the first packet of each side (its session key or public key) is clear.
  if (peer.frameKeyStart === 0 || (peer.frameKeyStart >= num && num <= peer.frameKeyEnd)) {
    need(buf, at, 1, end);
    const code = buf[at];
    const i = t.add(F.messageCode, at, 1, code);
    if (t.full) t.setLabel(i, messageCodeLabel(SSH1_MESSAGES, code));
    if (p.wantColumns) appendSep(p, messageName(SSH1_MESSAGES, code));
    at += 1;
    len = plen - 1;
    if (peer.frameKeyStart === 0) peer.frameKeyStart = num;
    peer.frameKeyEnd = num;
  } else {
    len = plen;
    if (p.wantColumns) appendSep(p, `Encrypted packet (len=${len})`);
  }
  need(buf, at, len, end);
  t.add(F.payload, at, len);
  t.close();
  return at + len;
}

/** SSH-2 packets of one side: the key exchange until its NEWKEYS, encrypted packets after it. */
function dissectSsh2(
  p: Packet,
  flow: SshFlow,
  peer: SshPeer,
  isResponse: boolean,
  buf: Uint8Array,
  base: number,
  at: number,
  end: number,
): number {
  const t = p.tree;
  const num = p.meta.number;
  while (Math.min(end, buf.length) - at > 0) {
    const sub = t.addText(at, Math.min(end, buf.length) - at, t.full ? ssh2Title(peer) : '');
    t.open(sub);
    if (
      peer.frameKeyStart === 0 ||
      (peer.frameKeyStart <= num &&
        (peer.frameKeyEnd === 0 ||
          num < peer.frameKeyEnd ||
          (num === peer.frameKeyEnd && at - base < peer.frameKeyEndOffset)))
    ) {
      at = dissectKeyExchange(p, flow, peer, isResponse, buf, base, at, end);
      if (needMore) {
        t.close();
        break;
      }
    } else {
      at = dissectEncrypted(p, peer, buf, at, end);
    }
    t.close();
  }
  return at;
}

function ssh2Title(peer: SshPeer): string {
  let s = 'SSH Version 2';
  if (peer.enc !== undefined || peer.mac !== undefined || peer.comp !== undefined) {
    s += ' (';
    if (peer.enc !== undefined)
      s += `encryption:${peer.enc}${peer.mac !== undefined || peer.comp !== undefined ? ' ' : ''}`;
    if (peer.mac !== undefined) s += `mac:${peer.mac}${peer.comp !== undefined ? ' ' : ''}`;
    if (peer.comp !== undefined) s += `compression:${peer.comp}`;
    s += ')';
  }
  return s;
}

/** One binary packet of the key exchange (RFC 4253 section 6). */
function dissectKeyExchange(
  p: Packet,
  flow: SshFlow,
  peer: SshPeer,
  isResponse: boolean,
  buf: Uint8Array,
  base: number,
  at: number,
  end: number,
): number {
  const t = p.tree;
  const start = at;
  const remain = Math.min(end, buf.length) - at;
  if (remain < 4 && askForMore(p, at, DESEGMENT_ONE_MORE_SEGMENT)) {
    needMore = true;
    return at;
  }
  let plen = readU32(buf, at, end);
  // guint arithmetic: a length near 2^32 wraps and is not asked for.
  if ((plen + 4) % 0x100000000 > remain && askForMore(p, at, ((plen + 4) % 0x100000000) - remain)) {
    needMore = true;
    return at;
  }
  const lengthItem = t.add(F.packetLength, at, 4, plen);
  if (plen >= 0xffff) {
    t.open(lengthItem);
    p.expert('SSH', 'ssh.packet_length.error', 'warn', 'protocol', `Overly large number ${plen}`, at, 4);
    t.close();
    plen = remain - 4;
  }
  at += 4;
  need(buf, at, 1, end);
  const padding = buf[at];
  t.add(F.paddingLength, at, 1, padding);
  at += 1;
  const kexTree = t.addText(
    at,
    plen - 1,
    flow.kex !== undefined ? `Key Exchange (method:${flow.kex})` : 'Key Exchange',
  );
  t.open(kexTree);
  need(buf, at, 1, end);
  const code = buf[at];
  let seq = 0;
  if (code >= 30 && code < 40) {
    at = dissectKexSpecific(p, flow, code, buf, at, end);
    seq = kexSpecificSeq(flow, code);
  } else {
    const i = t.add(F.messageCode, at, 1, code);
    if (t.full) t.setLabel(i, messageCodeLabel(SSH2_MESSAGES, code));
    at += 1;
    if (p.wantColumns) appendSep(p, messageName(SSH2_MESSAGES, code));
    if (code === 20) {
      at = dissectKeyInit(p, flow, peer, buf, at, end);
      if (peer.frameKeyStart === 0 || peer.frameKeyStart === p.meta.number) {
        peer.frameKeyStart = p.meta.number;
        kexSeq(peer, 'kexinit', false);
      }
      seq = peer.seqOf.get('kexinit') ?? 0;
    } else if (code === 21) {
      if (peer.frameKeyEnd === 0) {
        peer.frameKeyEnd = p.meta.number;
        peer.frameKeyEndOffset = at - base;
        kexSeq(peer, 'newkeys', false);
        newKeys(flow, peer, isResponse ? 1 : 0);
      }
      seq = peer.seqOf.get('newkeys') ?? 0;
    }
  }
  // guint: a negative rest is a huge length and an exception.
  const len = plen + 4 - padding - (at - start);
  if (len !== 0) {
    need(buf, at, len === -1 ? end - at : len, end);
    t.add(F.payload, at, len === -1 ? end - at : len);
    at += len;
  }
  t.close();
  need(buf, at, padding, end);
  t.add(F.paddingString, at, padding);
  at += padding;
  t.add(F.seqNum, at, 0, seq);
  return at;
}

/** SSH_MSG_NEWKEYS: the algorithms of this direction are agreed (first client choice the server has). */
function newKeys(flow: SshFlow, peer: SshPeer, direction: number): void {
  const client = flow.peers[0];
  const server = flow.peers[1];
  if (peer.enc === undefined)
    peer.enc = chooseAlgorithm(client.encProposals[direction], server.encProposals[direction]);
  if (peer.enc === 'aes128-gcm@openssh.com' || peer.enc === 'aes256-gcm@openssh.com') {
    peer.mac = '<implicit>';
    peer.macLength = 16;
    peer.lengthIsPlaintext = true;
  } else if (peer.enc === 'chacha20-poly1305@openssh.com') {
    // Wireshark 4.0 names no MAC for it (its title shows encryption and compression only).
    peer.mac = undefined;
    peer.macLength = 16;
  } else {
    if (peer.mac === undefined)
      peer.mac = chooseAlgorithm(client.macProposals[direction], server.macProposals[direction]);
    setMacLength(peer);
  }
  if (peer.comp === undefined)
    peer.comp = chooseAlgorithm(client.compProposals[direction], server.compProposals[direction]);
  // Wireshark 4.0 decrypts chacha20-poly1305 only.
  peer.decrypting = peer.enc === 'chacha20-poly1305@openssh.com';
}

function chooseAlgorithm(client: string | undefined, server: string | undefined): string | undefined {
  if (client === undefined || server === undefined) return undefined;
  const offered = server.split(',');
  for (const name of client.split(',')) if (offered.includes(name)) return name;
  return undefined;
}

/** The MAC length from its name ("hmac-sha2-256" is 32 bytes; "-etm@openssh.com" sends the length in clear). */
function setMacLength(peer: SshPeer): void {
  let name = peer.mac;
  if (name === undefined) return;
  const etm = name.indexOf('-etm@openssh.com');
  if (etm >= 0) {
    peer.lengthIsPlaintext = true;
    name = name.slice(0, etm);
  } else {
    const at = name.indexOf('@openssh.com');
    if (at >= 0) name = name.slice(0, at);
  }
  const dash = name.lastIndexOf('-');
  const digits = dash >= 0 ? name.slice(dash + 1) : '';
  const size = /^[0-9]+$/.test(digits) ? Number(digits) : 0;
  if (size > 0 && size % 8 === 0 && size <= 0xffffffff) peer.macLength = size / 8;
  else if (name === 'hmac-sha1' || name === 'hmac-ripemd160') peer.macLength = 20;
  else if (name === 'hmac-md5') peer.macLength = 16;
  else if (name === 'none') peer.macLength = 0;
}

/** SSH_MSG_KEXINIT (RFC 4253 section 7.1): cookie, ten name-lists, first_kex_packet_follows. */
function dissectKeyInit(p: Packet, flow: SshFlow, peer: SshPeer, buf: Uint8Array, at: number, end: number): number {
  const t = p.tree;
  const algorithms = t.addText(at, 0, 'Algorithms');
  const start = at;
  t.open(algorithms);
  need(buf, at, 16, end);
  t.add(F.cookie, at, 16);
  at += 16;
  at = proposal(p, buf, at, end, F.kexAlgorithmsLength, F.kexAlgorithms);
  peer.kexProposal = proposalText;
  at = proposal(p, buf, at, end, F.hostKeyAlgorithmsLength, F.hostKeyAlgorithms);
  at = proposal(p, buf, at, end, F.encC2sLength, F.encC2s);
  peer.encProposals[0] = proposalText;
  at = proposal(p, buf, at, end, F.encS2cLength, F.encS2c);
  peer.encProposals[1] = proposalText;
  at = proposal(p, buf, at, end, F.macC2sLength, F.macC2s);
  peer.macProposals[0] = proposalText;
  at = proposal(p, buf, at, end, F.macS2cLength, F.macS2c);
  peer.macProposals[1] = proposalText;
  at = proposal(p, buf, at, end, F.compC2sLength, F.compC2s);
  peer.compProposals[0] = proposalText;
  at = proposal(p, buf, at, end, F.compS2cLength, F.compS2c);
  peer.compProposals[1] = proposalText;
  at = proposal(p, buf, at, end, F.langC2sLength, F.langC2s);
  at = proposal(p, buf, at, end, F.langS2cLength, F.langS2c);
  need(buf, at, 1, end);
  t.add(F.firstKexFollows, at, 1, buf[at]);
  at += 1;
  need(buf, at, 4, end);
  t.add(F.kexReserved, at, 4);
  at += 4;
  // HASSH (Salesforce's SSH fingerprint): the side's key exchange, cipher, MAC and compression
  // proposals for its own direction, and their MD5.
  const client = peer === flow.peers[0];
  const algorithmsField = client ? F.hasshAlgorithms : F.hasshServerAlgorithms;
  const hashField = client ? F.hassh : F.hasshServer;
  if (t.keeps(algorithmsField) || t.keeps(hashField)) {
    const d = client ? 0 : 1;
    const text = [peer.kexProposal, peer.encProposals[d], peer.macProposals[d], peer.compProposals[d]].join(';');
    t.addValue(algorithmsField, at, 0, text, GENERATED);
    t.addValue(hashField, at, 0, md5Hex(text), GENERATED);
  }
  t.setLength(algorithms, at - start);
  t.close();
  const [clientPeer, serverPeer] = flow.peers;
  if (clientPeer.kexProposal !== undefined && serverPeer.kexProposal !== undefined && flow.kex === undefined) {
    flow.kex = chooseAlgorithm(clientPeer.kexProposal, serverPeer.kexProposal);
    const k = flow.kex;
    if (k === 'diffie-hellman-group-exchange-sha1' || k === 'diffie-hellman-group-exchange-sha256')
      flow.kexKind = KEX_DH_GEX;
    else if (
      k !== undefined &&
      (k.startsWith('ecdh-sha2-') ||
        k === 'curve25519-sha256@libssh.org' ||
        k === 'curve25519-sha256' ||
        k === 'curve448-sha512')
    )
      flow.kexKind = KEX_ECDH;
  }
  return at;
}

/** The text of the last name-list read by proposal(). */
let proposalText = '';

/** One name-list: its length and its text (kept in proposalText for the algorithm choice). */
function proposal(
  p: Packet,
  buf: Uint8Array,
  at: number,
  end: number,
  lengthField: number,
  valueField: number,
): number {
  const len = readU32(buf, at, end);
  const t = p.tree;
  t.add(lengthField, at, 4, len);
  at += 4;
  need(buf, at, len, end);
  proposalText = asciiValue(buf, at, at + len);
  t.addValue(valueField, at, len, proposalText);
  return at + len;
}

/** Key-exchange messages 30-39, named after the agreed method (Diffie-Hellman when unknown). */
/**
 * The sequence number Wireshark 4.0 shows for a message of the key exchange method's own range
 * (30-39): the client's or the server's count, taken before or after it goes up by method.
 */
function kexSpecificSeq(flow: SshFlow, code: number): number {
  const [client, server] = flow.peers;
  if (flow.kexKind === KEX_DH) {
    if (code === 30) return kexSeq(client, 'dh_init', true);
    if (code === 31) return kexSeq(server, 'dh_reply', true);
  } else if (flow.kexKind === KEX_DH_GEX) {
    if (code === 31) return kexSeq(server, 'gex_group', true);
    if (code === 32) return kexSeq(client, 'gex_init', true);
    if (code === 33) return kexSeq(server, 'gex_reply', true);
    if (code === 34) return kexSeq(client, 'gex_request', true);
  } else if (flow.kexKind === KEX_ECDH) {
    if (code === 30) return kexSeq(client, 'ecdh_init', false);
    if (code === 31) return kexSeq(server, 'ecdh_reply', false);
  }
  return 0;
}

function dissectKexSpecific(p: Packet, flow: SshFlow, code: number, buf: Uint8Array, at: number, end: number): number {
  const t = p.tree;
  const names =
    flow.kexKind === KEX_DH_GEX ? KEX_DH_GEX_MESSAGES : flow.kexKind === KEX_ECDH ? KEX_ECDH_MESSAGES : KEX_DH_MESSAGES;
  const i = t.add(F.messageCode, at, 1, code);
  if (t.full) t.setLabel(i, messageCodeLabel(names, code));
  at += 1;
  if (p.wantColumns) appendSep(p, messageName(names, code));
  if (flow.kexKind === KEX_DH) {
    if (code === 30) at += mpint(p, buf, at, end, F.dhE);
    else if (code === 31) {
      at += hostKey(p, buf, at, end);
      at += mpint(p, buf, at, end, F.dhF);
      at += hostSignature(p, buf, at, end);
    }
  } else if (flow.kexKind === KEX_DH_GEX) {
    if (code === 30) {
      need(buf, at, 4, end);
      t.add(F.gexNbits, at, 4, u32(buf, at));
      at += 4;
    } else if (code === 31) {
      at += mpint(p, buf, at, end, F.gexP);
      at += mpint(p, buf, at, end, F.gexG);
    } else if (code === 32) at += mpint(p, buf, at, end, F.dhE);
    else if (code === 33) {
      at += hostKey(p, buf, at, end);
      at += mpint(p, buf, at, end, F.dhF);
      at += hostSignature(p, buf, at, end);
    } else if (code === 34) {
      for (const f of [F.gexMin, F.gexNbits, F.gexMax]) {
        need(buf, at, 4, end);
        t.add(f, at, 4, u32(buf, at));
        at += 4;
      }
    }
  } else if (code === 30) {
    at += sizedBytes(p, buf, at, end, F.ecdhQc, F.ecdhQcLength);
  } else if (code === 31) {
    at += hostKey(p, buf, at, end);
    at += sizedBytes(p, buf, at, end, F.ecdhQs, F.ecdhQsLength);
    at += hostSignature(p, buf, at, end);
  }
  return at;
}

/** An mpint (RFC 4251 section 5): its length and bytes; returns the bytes used. */
function mpint(p: Packet, buf: Uint8Array, at: number, end: number, field: number): number {
  const len = readU32(buf, at, end);
  p.tree.add(F.mpintLength, at, 4, len);
  need(buf, at + 4, len, end);
  p.tree.add(field, at + 4, len);
  return 4 + len;
}

/** A length-prefixed byte string with its own length field; returns the bytes used. */
function sizedBytes(p: Packet, buf: Uint8Array, at: number, end: number, field: number, lengthField: number): number {
  const len = readU32(buf, at, end);
  p.tree.add(lengthField, at, 4, len);
  need(buf, at + 4, len, end);
  p.tree.add(field, at + 4, len);
  return 4 + len;
}

/** The server's host key K_S (RFC 4253 section 8): its length, type and the type's numbers. */
function hostKey(p: Packet, buf: Uint8Array, at: number, end: number): number {
  const t = p.tree;
  const keyLength = readU32(buf, at, end);
  const typeLength = readU32(buf, at + 4, end);
  need(buf, at + 8, typeLength, end);
  const type = asciiValue(buf, at + 8, at + 8 + typeLength);
  const sub = t.addText(at, keyLength + 4, t.full ? `KEX host key (type: ${type})` : '');
  t.open(sub);
  t.add(F.hostKeyLength, at, 4, keyLength);
  t.add(F.hostKeyTypeLength, at + 4, 4, typeLength);
  t.addValue(F.hostKeyType, at + 8, typeLength, type);
  let o = at + 8 + typeLength;
  if (type === 'ssh-rsa') {
    o += mpint(p, buf, o, end, F.rsaE);
    mpint(p, buf, o, end, F.rsaN);
  } else if (type === 'ssh-dss') {
    o += mpint(p, buf, o, end, F.dsaP);
    o += mpint(p, buf, o, end, F.dsaQ);
    o += mpint(p, buf, o, end, F.dsaG);
    mpint(p, buf, o, end, F.dsaY);
  } else if (type.startsWith('ecdsa-sha2-')) {
    o += curveId(p, buf, o, end);
    sizedBytes(p, buf, o, end, F.ecdsaQ, F.ecdsaQLength);
  } else if (type.startsWith('ssh-ed')) {
    sizedBytes(p, buf, o, end, F.eddsaKey, F.eddsaKeyLength);
  } else {
    const rest = keyLength - (typeLength + 4);
    need(buf, o, rest, end);
    t.add(F.hostKeyData, o, rest);
  }
  t.close();
  return 4 + keyLength;
}

function curveId(p: Packet, buf: Uint8Array, at: number, end: number): number {
  const len = readU32(buf, at, end);
  p.tree.add(F.ecdsaIdLength, at, 4, len);
  need(buf, at + 4, len, end);
  if (p.tree.keeps(F.ecdsaId)) p.tree.addValue(F.ecdsaId, at + 4, len, asciiValue(buf, at + 4, at + 4 + len));
  return 4 + len;
}

/** The signature of the exchange hash: its length and type, and the blob for RSA and DSA. */
function hostSignature(p: Packet, buf: Uint8Array, at: number, end: number): number {
  const t = p.tree;
  const sigLength = readU32(buf, at, end);
  const typeLength = readU32(buf, at + 4, end);
  need(buf, at + 8, typeLength, end);
  const type = asciiValue(buf, at + 8, at + 8 + typeLength);
  const sub = t.addText(at, sigLength + 4, t.full ? `KEX host signature (type: ${type})` : '');
  t.open(sub);
  const lengthItem = t.add(F.hostSigLength, at, 4, sigLength);
  t.add(F.hostSigTypeLength, at + 4, 4, typeLength);
  t.addValue(F.hostSigType, at + 8, typeLength, type);
  let o = at + 8 + typeLength;
  if (type === 'ssh-rsa') o += mpint(p, buf, o, end, F.hostSigRsa);
  else if (type === 'ssh-dss') o += mpint(p, buf, o, end, F.hostSigDsa);
  else if (!type.startsWith('ecdsa-sha2-') && !type.startsWith('ssh-ed')) {
    const rest = sigLength - (typeLength + 4);
    need(buf, o, rest, end);
    t.add(F.hostSigData, o, rest);
    o += rest;
  }
  // Wireshark walks only part of some signature types and says so (with its own spelling).
  if (o - at !== 4 + sigLength) {
    t.open(lengthItem);
    p.expert(
      'SSH',
      'ssh.packet_decode',
      'warn',
      'protocol',
      `Decoded ${o - at} bytes, but packet legnth is ${sigLength} bytes`,
      at,
      4,
    );
    t.close();
  }
  t.close();
  return 4 + sigLength;
}

// Wireshark 4.0: TCP_RANGE_SSH "22,29418". The matched port tells the client from the server.
tcpPortTable.add(22, (p, buf, off, end) => dissectSsh(p, buf, off, end, 22));
tcpPortTable.add(29418, (p, buf, off, end) => dissectSsh(p, buf, off, end, 29418));
