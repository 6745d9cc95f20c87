// MySQL client/server protocol on TCP 3306: packets split by their 3-byte length, the server
// greeting, the login request (and its SSL request, after which the connection is TLS), commands,
// OK/error replies and result sets, with Wireshark 4.0's Info texts for them (its per-connection
// reply state reduced to: plain reply, awaiting a query's result, inside a result set).

import { defineFields, valueStrings } from './fields.js';
import { tcpPortTable } from './tables.js';
import type { Packet } from './packet.js';
import { u16le, u32le } from './bytes.js';
import { asciiValue } from './format-text.js';
import { tcpDissectPdus } from './tcp-pdus.js';
import { dissectTls, startTls, tlsTakesOver } from './tls.js';
import { ConversationTable, tcpConversationKey } from './tcp-conversation.js';

const PORT = 3306;
/** CLIENT_SSL: the login request is only the SSL request; TLS follows. */
const CAPS_SSL = 0x0800;
/** CLIENT_PROTOCOL_41: the 4.1 login request layout. */
const CAPS_41 = 0x0200;

const COMMANDS = valueStrings({
  0: 'SLEEP',
  1: 'Quit',
  2: 'Use Database',
  3: 'Query',
  4: 'Show Fields',
  5: 'Create Database',
  6: 'Drop Database',
  7: 'Refresh',
  8: 'Shutdown',
  9: 'Statistics',
  10: 'Process List',
  11: 'Connect',
  12: 'Kill Server Thread',
  13: 'Dump Debuginfo',
  14: 'Ping',
  15: 'Time',
  16: 'Insert Delayed',
  17: 'Change User',
  18: 'Send Binlog',
  19: 'Send Table',
  20: 'Slave Connect',
  21: 'Register Slave',
  22: 'Prepare Statement',
  23: 'Execute Statement',
  24: 'Send BLOB',
  25: 'Close Statement',
  26: 'Reset Statement',
  27: 'Set Option',
  28: 'Fetch Data',
  29: 'Daemon',
  30: 'Send Binlog GTID',
  31: 'Reset Connection',
  250: 'Execute Bulk Statement',
});

export const mysqlFields = defineFields({
  mysql: { abbrev: 'mysql', name: 'MySQL Protocol', type: 'protocol' },
  packetLength: { abbrev: 'mysql.packet_length', name: 'Packet Length', type: 'uint', bits: 24, base: 'dec' },
  packetNumber: { abbrev: 'mysql.packet_number', name: 'Packet Number', type: 'uint', bits: 8, base: 'dec' },
  protocol: { abbrev: 'mysql.protocol', name: 'Protocol', type: 'uint', bits: 8, base: 'dec' },
  version: { abbrev: 'mysql.version', name: 'Version', type: 'string' },
  threadId: { abbrev: 'mysql.thread_id', name: 'Thread ID', type: 'uint', bits: 32, base: 'dec' },
  serverCaps: { abbrev: 'mysql.caps.server', name: 'Server Capabilities', type: 'uint', bits: 16, base: 'hex' },
  clientCaps: { abbrev: 'mysql.caps.client', name: 'Client Capabilities', type: 'uint', bits: 16, base: 'hex' },
  user: { abbrev: 'mysql.user', name: 'Username', type: 'string' },
  command: { abbrev: 'mysql.command', name: 'Command', type: 'uint', bits: 8, base: 'dec', strings: COMMANDS },
  query: { abbrev: 'mysql.query', name: 'Statement', type: 'string' },
  responseCode: { abbrev: 'mysql.response_code', name: 'Response Code', type: 'uint', bits: 8, base: 'hex' },
  errorCode: { abbrev: 'mysql.error_code', name: 'Error Code', type: 'uint', bits: 16, base: 'dec' },
});

const F = mysqlFields;

// The direction of the packet being dissected (one packet at a time).
let isResponse = false;

/** Where a connection's replies are: plain OK/error replies, or a result set (Wireshark's states, reduced). */
const IDLE = 0;
const AWAIT_RESULT = 1;
const IN_RESULT = 2;

class MysqlConversation {
  state = IDLE;
  /** EOF packets seen in the current result set (the second one ends it). */
  eofs = 0;
}

class MysqlState {
  readonly conversations = new ConversationTable<MysqlConversation>();
}
const newState = (): MysqlState => new MysqlState();
const newConversation = (): MysqlConversation => new MysqlConversation();

let conv = new MysqlConversation();

function pduLength(_p: Packet, buf: Uint8Array, at: number): number {
  return (buf[at] | (buf[at + 1] << 8) | (buf[at + 2] << 16)) + 4;
}

function dissectMysql(p: Packet, buf: Uint8Array, off: number, end: number): number {
  // After an SSL request the connection is TLS (ssl_starttls_ack).
  if (tlsTakesOver(p)) return dissectTls(p, buf, off, end);
  isResponse = p.dstPort !== PORT;
  conv = p.session.protocolState('mysql', newState).conversations.getOrAdd(tcpConversationKey(p), newConversation);
  p.addLayer('mysql');
  tcpDissectPdus(p, buf, off, end, 3, pduLength, dissectPacket, 'MySQL');
  return Math.min(end, buf.length);
}

/** A NUL-terminated string at `at` (to the end when there is no NUL); stringEnd is after its NUL. */
let stringEnd = 0;
function stringz(buf: Uint8Array, at: number, end: number): string {
  const cap = Math.min(end, buf.length);
  let i = at;
  while (i < cap && buf[i] !== 0) i++;
  stringEnd = i < cap ? i + 1 : i;
  return asciiValue(buf, at, i);
}

/** One MySQL packet buf[at..end): 3-byte length, packet number, payload. */
function dissectPacket(p: Packet, buf: Uint8Array, at: number, end: number): void {
  const t = p.tree;
  p.setProtocol('MySQL');
  if (p.short('MySQL', buf, at, 4, end)) return;
  const length = buf[at] | (buf[at + 1] << 8) | (buf[at + 2] << 16);
  const number = buf[at + 3];
  const top = t.add(F.mysql, at, Math.min(end, buf.length) - at);
  t.open(top);
  t.add(F.packetLength, at, 3, length);
  t.add(F.packetNumber, at + 3, 1, number);
  const body = at + 4;
  if (isResponse) {
    if (number === 0) greeting(p, buf, body, end);
    else response(p, buf, body, end);
  } else if (number === 1) login(p, buf, body, end);
  else request(p, buf, body, end);
  t.close();
}

function greeting(p: Packet, buf: Uint8Array, at: number, end: number): void {
  const t = p.tree;
  p.setInfo('Server Greeting');
  if (p.short('MySQL', buf, at, 1, end)) return;
  const protocol = buf[at];
  t.add(F.protocol, at, 1, protocol);
  const version = stringz(buf, at + 1, end);
  t.addValue(F.version, at + 1, stringEnd - at - 1, version);
  if (p.wantColumns) p.appendInfo(`  proto=${protocol} version=${version} `);
  at = stringEnd;
  if (p.short('MySQL', buf, at, 4, end)) return;
  t.add(F.threadId, at, 4, u32le(buf, at));
  // Thread ID, 8 bytes of salt and its NUL, then the server capabilities.
  if (at + 15 <= Math.min(end, buf.length)) t.add(F.serverCaps, at + 13, 2, u16le(buf, at + 13));
}

function login(p: Packet, buf: Uint8Array, at: number, end: number): void {
  const t = p.tree;
  p.setInfo('Login Request');
  if (p.short('MySQL', buf, at, 2, end)) return;
  const caps = u16le(buf, at);
  t.add(F.clientCaps, at, 2, caps);
  // 4.1: capabilities, extended capabilities, max packet, charset, 23 reserved bytes.
  const fixed = caps & CAPS_41 ? 32 : 5;
  const userAt = at + fixed;
  const cap = Math.min(end, buf.length);
  const user = userAt < cap ? stringz(buf, userAt, end) : '';
  if (p.wantColumns) p.appendInfo(` user=${user} `);
  if (userAt < cap) t.addValue(F.user, userAt, stringEnd - userAt, user);
  // An SSL request stops after the fixed part: the client starts TLS next.
  if (caps & CAPS_SSL && userAt >= end) startTls(p);
}

function request(p: Packet, buf: Uint8Array, at: number, end: number): void {
  const t = p.tree;
  p.setInfo('Request');
  if (p.short('MySQL', buf, at, 1, end)) return;
  const command = buf[at];
  // A query's reply is a result set unless it is an OK or an error.
  conv.state = command === 3 ? AWAIT_RESULT : IDLE;
  conv.eofs = 0;
  t.add(F.command, at, 1, command);
  if (p.wantColumns) p.appendInfo(` ${COMMANDS.get(command) ?? `Unknown (${command})`}`);
  if (command === 3 && t.keeps(F.query)) t.addValue(F.query, at + 1, end - at - 1, asciiValue(buf, at + 1, end));
}

function response(p: Packet, buf: Uint8Array, at: number, end: number): void {
  const t = p.tree;
  p.setInfo('Response');
  if (p.short('MySQL', buf, at, 1, end)) return;
  const code = buf[at];
  if (code === 0xff) {
    t.add(F.responseCode, at, 1, code);
    if (p.short('MySQL', buf, at + 1, 2, end)) return;
    const error = u16le(buf, at + 1);
    t.add(F.errorCode, at + 1, 2, error);
    if (p.wantColumns) p.appendInfo(`  Error ${error} `);
    conv.state = IDLE;
  } else if (conv.state === IN_RESULT) {
    // Column definitions, rows and EOF packets of a result set; the second EOF ends it.
    if (code === 0xfe && end - at < 9 && ++conv.eofs === 2) conv.state = IDLE;
    if (p.wantColumns) p.appendInfo(' ');
  } else if (code === 0x00) {
    t.add(F.responseCode, at, 1, code);
    if (p.wantColumns) p.appendInfo('  OK ');
    conv.state = IDLE;
  } else if (conv.state === AWAIT_RESULT) {
    // The column count that starts a result set; the next packets of the segment add after it.
    if (p.wantColumns) {
      p.appendInfo(' TABULAR ');
      p.fenceInfo();
    }
    conv.state = IN_RESULT;
    conv.eofs = 0;
  }
}

tcpPortTable.add(PORT, dissectMysql);
