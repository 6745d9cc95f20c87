// WebSocket (RFC 6455) after an HTTP Upgrade, as Wireshark 4.0's packet-websocket.c shows it:
// one frame per message of the TCP stream (fin, opcode, mask, length, masking key), the unmasked
// payload as text lines (Text), data (Binary) or a close status, and the Info text
// "WebSocket Text [FIN] [MASKED]". Fragmented messages are joined at their last frame.

import { defineFields, valueStrings } from './fields.js';
import type { Packet } from './packet.js';
import { tcpDissectPdus } from './tcp-pdus.js';
import { dissectData } from './data.js';
import { dissectTextLines } from './data-text-lines.js';
import { asciiValue } from './format-text.js';
import { httpUpgradeTable } from './http.js';

const OPCODES = valueStrings({
  0: 'Continuation',
  1: 'Text',
  2: 'Binary',
  8: 'Connection Close',
  9: 'Ping',
  10: 'Pong',
});

const CLOSE_CODES = valueStrings({
  1000: 'Normal Closure',
  1001: 'Going Away',
  1002: 'Protocol error',
  1003: 'Unsupported Data',
  1005: 'No Status Rcvd',
  1006: 'Abnormal Closure',
  1007: 'Invalid frame payload data',
  1008: 'Policy Violation',
  1009: 'Message Too Big',
  1010: 'Mandatory Ext.',
  1011: 'Internal Server',
  1015: 'TLS handshake',
});

export const websocketFields = defineFields({
  websocket: { abbrev: 'websocket', name: 'WebSocket', type: 'protocol' },
  fin: { abbrev: 'websocket.fin', name: 'Fin', type: 'bool', bits: 8, mask: 0x80 },
  rsv: { abbrev: 'websocket.rsv', name: 'Reserved', type: 'uint', bits: 8, base: 'hex', mask: 0x70 },
  opcode: {
    abbrev: 'websocket.opcode',
    name: 'Opcode',
    type: 'uint',
    bits: 8,
    base: 'dec',
    mask: 0x0f,
    strings: OPCODES,
  },
  mask: { abbrev: 'websocket.mask', name: 'Mask', type: 'bool', bits: 8, mask: 0x80 },
  payloadLength: {
    abbrev: 'websocket.payload_length',
    name: 'Payload length',
    type: 'uint',
    bits: 8,
    base: 'dec',
    mask: 0x7f,
  },
  payloadLength16: {
    abbrev: 'websocket.payload_length_ext_16',
    name: 'Extended Payload length (16 bits)',
    type: 'uint',
    bits: 16,
    base: 'dec',
  },
  payloadLength64: {
    abbrev: 'websocket.payload_length_ext_64',
    name: 'Extended Payload length (64 bits)',
    type: 'uint',
    bits: 64,
    base: 'dec',
  },
  maskingKey: { abbrev: 'websocket.masking_key', name: 'Masking-Key', type: 'bytes' },
  maskedPayload: { abbrev: 'websocket.masked_payload', name: 'Masked payload', type: 'none' },
  payload: { abbrev: 'websocket.payload', name: 'Payload', type: 'none' },
  text: { abbrev: 'websocket.payload.text', name: 'Text', type: 'string' },
  close: { abbrev: 'websocket.payload.close', name: 'Close', type: 'none' },
  closeStatus: {
    abbrev: 'websocket.payload.close.status_code',
    name: 'Status code',
    type: 'uint',
    bits: 16,
    base: 'dec',
    strings: CLOSE_CODES,
  },
  closeReason: { abbrev: 'websocket.payload.close.reason', name: 'Reason', type: 'string' },
});

const F = websocketFields;

/** Bytes of a fragmented message kept at most (the rest of the message is shown unjoined). */
const MAX_MESSAGE = 16 * 1024 * 1024;

/** A message being joined from its frames, per conversation direction. */
interface Pending {
  opcode: number;
  parts: Uint8Array[];
  length: number;
}

function stateOf(p: Packet): Map<string, Pending> {
  return p.session.protocolState('websocket', () => new Map<string, Pending>());
}

/** The whole frame length from its header at buf[at..] (0 when the header is not all there). */
function frameLength(_p: Packet, buf: Uint8Array, at: number, end: number): number {
  const capEnd = Math.min(end, buf.length);
  if (capEnd - at < 2) return 0;
  const b1 = buf[at + 1];
  let len = b1 & 0x7f;
  let header = 2;
  if (len === 126) {
    if (capEnd - at < 4) return 0;
    len = (buf[at + 2] << 8) | buf[at + 3];
    header = 4;
  } else if (len === 127) {
    if (capEnd - at < 10) return 0;
    len = 0;
    for (let k = 2; k < 10; k++) len = len * 256 + buf[at + k];
    header = 10;
  }
  if (b1 & 0x80) header += 4;
  // A length beyond what JavaScript counts exactly cannot be a real message.
  return Math.min(header + len, Number.MAX_SAFE_INTEGER);
}

let layerAdded = false;

/** One WebSocket frame buf[at..stop). */
function dissectFrame(p: Packet, buf: Uint8Array, at: number, stop: number): void {
  const t = p.tree;
  const capEnd = Math.min(stop, buf.length);
  if (capEnd - at < 2) return;
  // tcp_dissect_pdus calls the frame dissector directly: one websocket layer per segment.
  if (!layerAdded) {
    p.addLayer('websocket');
    layerAdded = true;
  }
  p.setProtocol('WebSocket');
  const b0 = buf[at];
  const b1 = buf[at + 1];
  const fin = (b0 & 0x80) !== 0;
  const opcode = b0 & 0x0f;
  const masked = (b1 & 0x80) !== 0;
  if (p.wantColumns)
    p.setInfo(`WebSocket ${OPCODES.get(opcode) ?? 'Unknown'} ${fin ? '[FIN] ' : ''}${masked ? '[MASKED]' : ''}`);
  const top = t.add(F.websocket, at, capEnd - at);
  t.open(top);
  t.add(F.fin, at, 1, fin ? 1 : 0);
  const rsv = (b0 & 0x70) >> 4;
  const ri = t.add(F.rsv, at, 1, rsv);
  // Wireshark prints the 3-bit field with one hex digit.
  if (t.full) t.setLabel(ri, `.${(rsv >> 2) & 1}${(rsv >> 1) & 1}${rsv & 1} .... = Reserved: 0x${rsv.toString(16)}`);
  t.add(F.opcode, at, 1, opcode);
  t.add(F.mask, at + 1, 1, masked ? 1 : 0);
  t.add(F.payloadLength, at + 1, 1, b1 & 0x7f);
  let o = at + 2;
  let len = b1 & 0x7f;
  if (len === 126) {
    len = (buf[o] << 8) | buf[o + 1];
    t.add(F.payloadLength16, o, 2, len);
    o += 2;
  } else if (len === 127) {
    len = 0;
    for (let k = 0; k < 8; k++) len = len * 256 + buf[o + k];
    t.add(F.payloadLength64, o, 8, len);
    o += 8;
  }
  let key: Uint8Array | undefined;
  if (masked) {
    if (o + 4 > capEnd) {
      t.close();
      return;
    }
    key = buf.subarray(o, o + 4);
    t.add(F.maskingKey, o, 4);
    o += 4;
  }
  const payloadEnd = Math.min(capEnd, o + len);
  let payload = buf.subarray(o, payloadEnd);
  if (key !== undefined) {
    t.add(F.maskedPayload, o, payloadEnd - o);
    const plain = new Uint8Array(payload.length);
    for (let k = 0; k < payload.length; k++) plain[k] = payload[k] ^ key[k & 3];
    payload = plain;
  }
  if (payload.length === 0) {
    t.close();
    return;
  }
  // Unmasked bytes are a data source of their own (Wireshark's "Unmasked data").
  const source = key !== undefined ? p.addSource('Unmasked data', payload) : t.currentSource;
  const payloadBuf = key !== undefined ? payload : buf;
  const payloadOff = key !== undefined ? 0 : o;
  const saved = t.currentSource;
  t.currentSource = source;
  const pi = t.add(F.payload, payloadOff, payload.length);
  t.open(pi);

  // Continuation frames join the message their first frame started.
  const states = stateOf(p);
  const key2 = `${p.srcPort}>${p.dstPort}`;
  let message: Uint8Array | undefined;
  let messageOpcode = opcode;
  if (opcode === 0 || ((opcode === 1 || opcode === 2) && !fin)) {
    let pending = states.get(key2);
    if (opcode !== 0 || pending === undefined) {
      pending = { opcode, parts: [], length: 0 };
      states.set(key2, pending);
    }
    if (pending.length + payload.length <= MAX_MESSAGE) {
      pending.parts.push(payload.slice());
      pending.length += payload.length;
    }
    if (fin) {
      states.delete(key2);
      message = new Uint8Array(pending.length);
      let k = 0;
      for (const part of pending.parts) {
        message.set(part, k);
        k += part.length;
      }
      messageOpcode = pending.opcode;
    }
  } else message = payload;

  if (messageOpcode === 1 && message !== undefined) {
    // The text of the whole message, on the frame that completes it.
    if (t.keeps(F.text)) t.addValue(F.text, payloadOff, payload.length, asciiValue(message, 0, message.length));
  } else if (opcode === 8) {
    const ci = t.add(F.close, payloadOff, payload.length);
    t.open(ci);
    if (payload.length >= 2) t.add(F.closeStatus, payloadOff, 2, (payload[0] << 8) | payload[1]);
    if (payload.length > 2)
      t.addValue(F.closeReason, payloadOff + 2, payload.length - 2, asciiValue(payload, 2, payload.length));
    t.close();
  }
  t.close();
  t.close();
  if (message !== undefined && message.length > 0) {
    const src = message === payload ? source : p.addSource('Reassembled message', message);
    t.currentSource = src;
    const mb = message === payload ? payloadBuf : message;
    const mo = message === payload ? payloadOff : 0;
    if (messageOpcode === 1) dissectTextLines(p, mb, mo, mo + message.length);
    else if (messageOpcode === 2) dissectData(p, mb, mo, mo + message.length);
  }
  t.currentSource = saved;
}

/** WebSocket frames of buf[off..end) (called by HTTP once the stream switched). */
export function dissectWebSocket(p: Packet, buf: Uint8Array, off: number, end: number): number {
  layerAdded = false;
  tcpDissectPdus(p, buf, off, end, 2, frameLength, dissectFrame, 'WebSocket');
  return end;
}

httpUpgradeTable.add('websocket', dissectWebSocket);
