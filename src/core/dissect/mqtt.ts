// MQTT (3.1, 3.1.1 and 5.0) on TCP 1883: messages split by their fixed header's remaining length,
// the fixed header and the variable-header fields that Wireshark 4.0 shows in its Info column
// (message type, message identifier, topics), with the protocol version learnt from CONNECT.

import { decodeText } from '../capture/decode-text.js';
import { defineFields, valueStrings } from './fields.js';
import { tcpPortTable } from './tables.js';
import type { Packet } from './packet.js';
import { u16 } from './bytes.js';
import { tcpDissectPdus } from './tcp-pdus.js';
import { ConversationTable, tcpConversationKey } from './tcp-conversation.js';

const TYPES = valueStrings({
  0: 'Reserved',
  1: 'Connect Command',
  2: 'Connect Ack',
  3: 'Publish Message',
  4: 'Publish Ack',
  5: 'Publish Received',
  6: 'Publish Release',
  7: 'Publish Complete',
  8: 'Subscribe Request',
  9: 'Subscribe Ack',
  10: 'Unsubscribe Request',
  11: 'Unsubscribe Ack',
  12: 'Ping Request',
  13: 'Ping Response',
  14: 'Disconnect Req',
  15: 'Authentication Exchange',
});

const QOS = valueStrings({ 0: 'Fire and Forget', 1: 'Acknowledged deliver', 2: 'Assured Delivery' });

export const mqttFields = defineFields({
  mqtt: { abbrev: 'mqtt', name: 'MQ Telemetry Transport Protocol', type: 'protocol' },
  hdrflags: { abbrev: 'mqtt.hdrflags', name: 'Header Flags', type: 'uint', bits: 8, base: 'hex' },
  msgtype: {
    abbrev: 'mqtt.msgtype',
    name: 'Message Type',
    type: 'uint',
    bits: 8,
    base: 'dec',
    mask: 0xf0,
    strings: TYPES,
  },
  dupflag: {
    abbrev: 'mqtt.dupflag',
    name: 'DUP Flag',
    type: 'bool',
    bits: 8,
    mask: 0x08,
    trueFalse: ['Set', 'Not set'],
  },
  qos: { abbrev: 'mqtt.qos', name: 'QoS Level', type: 'uint', bits: 8, base: 'dec', mask: 0x06, strings: QOS },
  retain: { abbrev: 'mqtt.retain', name: 'Retain', type: 'bool', bits: 8, mask: 0x01, trueFalse: ['Set', 'Not set'] },
  len: { abbrev: 'mqtt.len', name: 'Msg Len', type: 'uint', bits: 64, base: 'dec' },
  protoLen: { abbrev: 'mqtt.proto_len', name: 'Protocol Name Length', type: 'uint', bits: 16, base: 'dec' },
  protoName: { abbrev: 'mqtt.protoname', name: 'Protocol Name', type: 'string' },
  version: {
    abbrev: 'mqtt.ver',
    name: 'Version',
    type: 'uint',
    bits: 8,
    base: 'dec',
    strings: valueStrings({ 3: 'MQTT v3.1', 4: 'MQTT v3.1.1', 5: 'MQTT v5.0' }),
  },
  conflags: { abbrev: 'mqtt.conflags', name: 'Connect Flags', type: 'uint', bits: 8, base: 'hex' },
  keepAlive: { abbrev: 'mqtt.kalive', name: 'Keep Alive', type: 'uint', bits: 16, base: 'dec' },
  clientIdLen: { abbrev: 'mqtt.clientid_len', name: 'Client ID Length', type: 'uint', bits: 16, base: 'dec' },
  clientId: { abbrev: 'mqtt.clientid', name: 'Client ID', type: 'string' },
  conackVal: { abbrev: 'mqtt.conack.val', name: 'Return Code', type: 'uint', bits: 8, base: 'dec' },
  topicLen: { abbrev: 'mqtt.topic_len', name: 'Topic Length', type: 'uint', bits: 16, base: 'dec' },
  topic: { abbrev: 'mqtt.topic', name: 'Topic', type: 'string' },
  msgid: { abbrev: 'mqtt.msgid', name: 'Message Identifier', type: 'uint', bits: 16, base: 'dec' },
  msg: { abbrev: 'mqtt.msg', name: 'Message', type: 'bytes' },
  subQos: { abbrev: 'mqtt.sub.qos', name: 'Requested QoS', type: 'uint', bits: 8, base: 'dec', strings: QOS },
  subackQos: { abbrev: 'mqtt.suback.qos', name: 'Granted QoS', type: 'uint', bits: 8, base: 'dec' },
});

const F = mqttFields;

const CONNECT = 1;
const PUBLISH = 3;
const SUBSCRIBE = 8;
const SUBACK = 9;
const UNSUBSCRIBE = 10;
const UNSUBACK = 11;
const V50 = 5;
const UTF8 = new TextDecoder();

class MqttState {
  /** The protocol version of each connection, from its CONNECT (0 until then). */
  readonly versions = new ConversationTable<{ version: number }>();
}
const newState = (): MqttState => new MqttState();
const newConversation = (): { version: number } => ({ version: 0 });

/** Thrown past the message's reported end / past the captured bytes (Wireshark's exceptions). */
const MALFORMED = { kind: 'malformed' };
const TRUNCATED = { kind: 'truncated' };

function need(buf: Uint8Array, at: number, len: number, end: number): void {
  if (len < 0 || at + len > end) throw MALFORMED;
  if (at + len > buf.length) throw TRUNCATED;
}

// tvb_get_varint (protobuf style, at most 10 bytes): the value and the bytes it took (0 when
// no byte ended it). Reading past the captured bytes is an exception.
let varintValue = 0;
function readVarint(buf: Uint8Array, at: number, end: number): number {
  varintValue = 0;
  for (let i = 0; i < 10; i++) {
    need(buf, at + i, 1, end);
    const b = buf[at + i];
    varintValue += (b & 0x7f) * 2 ** (7 * i);
    if (b < 0x80) return i + 1;
  }
  return 0;
}

/** get_mqtt_pdu_len: the fixed header byte, the remaining length and what it says follows. */
function pduLength(_p: Packet, buf: Uint8Array, at: number, end: number): number {
  try {
    const n = readVarint(buf, at + 1, end);
    return (varintValue + n + 1) % 0x100000000;
  } catch {
    // Wireshark's length function throws here; the message is then dissected as it is.
    return 0;
  }
}

function dissectMqttTcp(p: Packet, buf: Uint8Array, off: number, end: number): number {
  p.addLayer('mqtt');
  p.setInfo('');
  // Where it stopped: `off` when it waits for the rest of the first message.
  return tcpDissectPdus(p, buf, off, end, 2, pduLength, dissectMessage, 'MQTT');
}

/** One MQTT control packet buf[at..end); an exception in it marks it and the next one is read. */
function dissectMessage(p: Packet, buf: Uint8Array, at: number, end: number): void {
  const t = p.tree;
  try {
    body(p, buf, at, end);
  } catch (e) {
    t.closeAll();
    if (e === MALFORMED) p.malformed('MQTT');
    else if (e === TRUNCATED) p.truncated('MQTT');
    else throw e;
  }
}

function appendInfo(p: Packet, text: string): void {
  if (p.wantColumns) p.appendInfo(text);
}

/** Where the message's variable header is being read (one message at a time). */
let cursor = 0;

/** A 2-byte big-endian number at the cursor, added as `field`. */
function u16At(p: Packet, buf: Uint8Array, end: number, field: number): number {
  need(buf, cursor, 2, end);
  const v = u16(buf, cursor);
  p.tree.add(field, cursor, 2, v);
  cursor += 2;
  return v;
}

/** MQTT 5.0 properties: a varint length, then that many bytes (skipped). */
function properties(buf: Uint8Array, end: number): void {
  const n = readVarint(buf, cursor, end);
  need(buf, cursor + n, varintValue, end);
  cursor += n + varintValue;
}

/** A UTF-8 string of `len` bytes at the cursor, added as `field`. */
function text(p: Packet, buf: Uint8Array, end: number, field: number, len: number): string {
  need(buf, cursor, len, end);
  const s = decodeText(UTF8, buf.subarray(cursor, cursor + len));
  p.tree.addValue(field, cursor, len, s);
  cursor += len;
  return s;
}

function body(p: Packet, buf: Uint8Array, start: number, end: number): void {
  const t = p.tree;
  need(buf, start, 1, end);
  const fixed = buf[start];
  const type = fixed >> 4;
  p.setProtocol('MQTT');
  if (p.wantColumns) {
    const name = TYPES.get(type) ?? `Unknown (0x${type.toString(16).padStart(2, '0')})`;
    p.appendInfo(p.infoCol.length > 0 ? ', ' + name : name);
  }
  const top = t.add(F.mqtt, start, Math.min(end, buf.length) - start);
  if (t.full) t.setLabel(top, `MQ Telemetry Transport Protocol, ${TYPES.get(type) ?? 'Unknown'}`);
  t.open(top);
  const conv = p.session.protocolState('mqtt', newState).versions.getOrAdd(tcpConversationKey(p), newConversation);
  const lengthBytes = readVarint(buf, start + 1, end);
  const remaining = varintValue;
  const flags = t.add(F.hdrflags, start, 1, fixed);
  t.open(flags);
  t.add(F.msgtype, start, 1, type);
  if (type === PUBLISH) {
    t.add(F.dupflag, start, 1, (fixed >> 3) & 1);
    t.add(F.qos, start, 1, (fixed >> 1) & 3);
    t.add(F.retain, start, 1, fixed & 1);
  }
  t.close();
  t.add(F.len, start + 1, lengthBytes, remaining);
  cursor = start + 1 + lengthBytes;
  switch (type) {
    case CONNECT: {
      const nameLength = u16At(p, buf, end, F.protoLen);
      text(p, buf, end, F.protoName, nameLength);
      need(buf, cursor, 4, end);
      conv.version = buf[cursor];
      t.add(F.version, cursor, 1, buf[cursor]);
      t.add(F.conflags, cursor + 1, 1, buf[cursor + 1]);
      t.add(F.keepAlive, cursor + 2, 2, u16(buf, cursor + 2));
      cursor += 4;
      if (conv.version === V50) properties(buf, end);
      const idLength = u16At(p, buf, end, F.clientIdLen);
      text(p, buf, end, F.clientId, idLength);
      break;
    }
    case 2:
      need(buf, cursor, 2, end);
      t.add(F.conackVal, cursor + 1, 1, buf[cursor + 1]);
      break;
    case PUBLISH: {
      const topicLength = u16At(p, buf, end, F.topicLen);
      let topic = '';
      if (topicLength > 0) topic = text(p, buf, end, F.topic, topicLength);
      if (fixed & 0x06) appendInfo(p, ` (id=${u16At(p, buf, end, F.msgid)})`);
      if (conv.version === V50) properties(buf, end);
      appendInfo(p, ` [${topic}]`);
      need(buf, cursor, end - cursor, end);
      t.add(F.msg, cursor, end - cursor);
      break;
    }
    case SUBSCRIBE:
    case UNSUBSCRIBE: {
      appendInfo(p, ` (id=${u16At(p, buf, end, F.msgid)})`);
      if (conv.version === V50) properties(buf, end);
      let topic = '';
      while (cursor < end) {
        const topicLength = u16At(p, buf, end, F.topicLen);
        if (topicLength > 0) topic = text(p, buf, end, F.topic, topicLength);
        if (type === SUBSCRIBE) {
          appendInfo(p, ` [${topic}]`);
          need(buf, cursor, 1, end);
          t.add(F.subQos, cursor, 1, buf[cursor]);
          cursor += 1;
        }
      }
      break;
    }
    case SUBACK:
      appendInfo(p, ` (id=${u16At(p, buf, end, F.msgid)})`);
      if (conv.version === V50) properties(buf, end);
      while (cursor < end) {
        need(buf, cursor, 1, end);
        t.add(F.subackQos, cursor, 1, buf[cursor]);
        cursor += 1;
      }
      break;
    case 4:
    case 5:
    case 6:
    case 7:
    case UNSUBACK:
      appendInfo(p, ` (id=${u16At(p, buf, end, F.msgid)})`);
      break;
  }
  t.close();
}

// Wireshark 4.0: MQTT on TCP 1883 (8883 is MQTT over TLS).
tcpPortTable.add(1883, dissectMqttTcp);
