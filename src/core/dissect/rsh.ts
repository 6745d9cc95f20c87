// rsh (BSD remote shell) on TCP 514: the session set-up strings (stderr port, client user, server
// user, command, each NUL-terminated) and then data, with Wireshark 4.0's guesswork: a payload
// not ending in NUL is data; the server user is shown in the Info column of the conversation.

import { defineFields } from './fields.js';
import { tcpPortTable } from './tables.js';
import type { Packet } from './packet.js';
import { asciiValue } from './format-text.js';
import { ConversationTable, tcpConversationKey } from './tcp-conversation.js';

const PORT = 514;

const NONE = 0;
const WAIT_FOR_STDERR_PORT = 1;
const WAIT_FOR_CLIENT_USERNAME = 2;
const WAIT_FOR_SERVER_USERNAME = 3;
const WAIT_FOR_COMMAND = 4;
const WAIT_FOR_DATA = 5;

const STDERR_PORT_LEN = 5;
const CLIENT_USERNAME_LEN = 16;
const SERVER_USERNAME_LEN = 16;
const COMMAND_LEN = 256;

export const rshFields = defineFields({
  rsh: { abbrev: 'rsh', name: 'Remote Shell', type: 'protocol' },
  stderrPort: { abbrev: 'rsh.stderr_port', name: 'Stderr port (optional)', type: 'string' },
  clientUsername: { abbrev: 'rsh.client_username', name: 'Client username', type: 'string' },
  serverUsername: { abbrev: 'rsh.server_username', name: 'Server username', type: 'string' },
  command: { abbrev: 'rsh.command', name: 'Command to execute', type: 'string' },
  clientServerData: { abbrev: 'rsh.client_server_data', name: 'Client -> Server Data', type: 'bytes' },
  serverClientData: { abbrev: 'rsh.server_client_data', name: 'Server -> Client Data', type: 'bytes' },
});

const F = rshFields;

/** Wireshark's rsh_hash_entry_t: where the set-up is, and the state each of the first four packets saw. */
class RshSession {
  state = WAIT_FOR_STDERR_PORT;
  readonly packets = [0, 0, 0, 0];
  readonly packetStates = [NONE, NONE, NONE, NONE];
  clientUsername: string | undefined = undefined;
  serverUsername: string | undefined = undefined;
  command: string | undefined = undefined;
}

class RshState {
  readonly sessions = new ConversationTable<RshSession>();
}
const newState = (): RshState => new RshState();

/**
 * The connection's session. The output pass of -2 replays the set-up again, starting from the
 * user names and command the first pass found (Wireshark shows them from the first packet on).
 */
function sessionOf(p: Packet): RshSession {
  const key = tcpConversationKey(p);
  const sessions = p.session.protocolState('rsh', newState).sessions;
  let s = sessions.get(key);
  if (s === undefined) {
    s = sessions.getOrAdd(key, () => new RshSession());
    s.packets[0] = p.meta.number;
    const first = p.session.firstPass?.protocolState('rsh', newState).sessions.get(key);
    if (first !== undefined) {
      s.clientUsername = first.clientUsername;
      s.serverUsername = first.serverUsername;
      s.command = first.command;
    }
  }
  return s;
}

/** tvb_get_stringz: the string at `at` and its length with the NUL (-1 when no NUL follows). */
let stringLength = 0;
function stringz(buf: Uint8Array, at: number, cap: number): string {
  let i = at;
  while (i < cap && buf[i] !== 0) i++;
  stringLength = i < cap ? i - at + 1 : -1;
  return asciiValue(buf, at, i);
}

function isPrintable(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

function isDigits(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

function dissectRsh(p: Packet, buf: Uint8Array, off: number, end: number): number {
  const cap = Math.min(end, buf.length);
  const s = sessionOf(p);
  const num = p.meta.number;
  // Remember the numbers of the conversation's first four packets and the state each started in.
  const n = s.packets;
  if (n[1] === 0 && num > n[0]) n[1] = num;
  else if (n[1] !== 0 && n[2] === 0 && num > n[1]) n[2] = num;
  else if (n[2] !== 0 && n[3] === 0 && num > n[2]) n[3] = num;
  for (let i = 0; i < 4; i++) {
    if (num !== n[i]) continue;
    if (s.packetStates[i] === NONE) s.packetStates[i] = s.state;
    else s.state = s.packetStates[i];
  }

  p.addLayer('rsh');
  p.setProtocol('RSH');
  p.setInfo('');
  // Wireshark's defaults show only the server user name.
  if (s.serverUsername !== undefined && p.wantColumns) p.appendInfo(`Server username:${s.serverUsername} `);
  const t = p.tree;
  const top = t.add(F.rsh, off, cap - off);
  t.open(top);

  // A payload that does not end in NUL is session data.
  if (cap <= off || buf[cap - 1] !== 0) s.state = WAIT_FOR_DATA;
  let at = off;
  if (s.state === WAIT_FOR_STDERR_PORT && at < cap) {
    const v = stringz(buf, at, cap);
    if (stringLength === 1 || (isDigits(v) && stringLength <= STDERR_PORT_LEN)) {
      t.addValue(F.stderrPort, at, stringLength, v);
      s.state = WAIT_FOR_CLIENT_USERNAME;
    } else s.state = WAIT_FOR_DATA;
    at += stringLength;
  }
  if (s.state === WAIT_FOR_CLIENT_USERNAME && at < cap) {
    const v = stringz(buf, at, cap);
    if (stringLength !== 1 && stringLength <= CLIENT_USERNAME_LEN && isPrintable(v)) {
      t.addValue(F.clientUsername, at, stringLength, v);
      if (s.clientUsername === undefined) s.clientUsername = v;
      s.state = WAIT_FOR_SERVER_USERNAME;
    } else s.state = WAIT_FOR_DATA;
    at += stringLength;
  }
  if (s.state === WAIT_FOR_SERVER_USERNAME && at < cap) {
    const v = stringz(buf, at, cap);
    if (stringLength !== 1 && stringLength <= SERVER_USERNAME_LEN && isPrintable(v)) {
      t.addValue(F.serverUsername, at, stringLength, v);
      if (s.serverUsername === undefined) s.serverUsername = v;
    }
    at += stringLength;
    // Wireshark moves on to the command whatever this field looked like.
    s.state = WAIT_FOR_COMMAND;
  }
  if (s.state === WAIT_FOR_COMMAND && at < cap) {
    const v = stringz(buf, at, cap);
    if (stringLength !== 1 && stringLength <= COMMAND_LEN && isPrintable(v)) {
      t.addValue(F.command, at, stringLength, v);
      if (s.command === undefined) s.command = v;
    } else s.state = WAIT_FOR_DATA;
  }
  if (s.state === WAIT_FOR_DATA && at < cap) {
    if (p.dstPort === PORT) {
      t.add(F.clientServerData, off, cap - off);
      if (p.wantColumns) p.appendInfo('Client -> Server data');
    } else {
      t.add(F.serverClientData, off, cap - off);
      if (p.wantColumns) p.appendInfo('Server -> Client Data');
    }
  }
  if (s.state < WAIT_FOR_DATA) p.setInfo('Session Establishment');
  t.close();
  return cap;
}

tcpPortTable.add(PORT, dissectRsh);
