// SMB (CIFS, MS-CIFS section 2.2.3.1) as far as NetBIOS datagrams need it: the 32-byte header
// and the Trans request (MS-CIFS 2.2.4.33) that carries mailslot messages (browser
// announcements) to the mailslot dissector. Other commands show their header and Info only.

import { defineFields, valueStrings } from './fields.js';
import type { Packet } from './packet.js';
import { StringDissectorTable } from './tables.js';
import { u16le, u32le, formatBytesHex } from './bytes.js';
import { netbiosHeuristics } from './nbdgm.js';
import { dissectData } from './data.js';
import { msecsText } from './msecs-text.js';

/** SMB command names (Wireshark's smb_cmd_vals, the commonly seen ones). */
const COMMANDS = valueStrings({
  0x00: 'Create Directory',
  0x01: 'Delete Directory',
  0x02: 'Open',
  0x03: 'Create',
  0x04: 'Close',
  0x05: 'Flush',
  0x06: 'Delete',
  0x07: 'Rename',
  0x08: 'Query Information',
  0x09: 'Set Information',
  0x0a: 'Read',
  0x0b: 'Write',
  0x0c: 'Lock Byte Range',
  0x0d: 'Unlock Byte Range',
  0x0e: 'Create Temp',
  0x0f: 'Create New',
  0x10: 'Check Directory',
  0x11: 'Process Exit',
  0x12: 'Seek',
  0x13: 'Lock And Read',
  0x14: 'Write And Unlock',
  0x1a: 'Read Raw',
  0x1b: 'Read MPX',
  0x1c: 'Read MPX Secondary',
  0x1d: 'Write Raw',
  0x1e: 'Write MPX',
  0x1f: 'Write MPX Secondary',
  0x20: 'Write Complete',
  0x21: 'Query Server (reserved)',
  0x22: 'Set Information2',
  0x23: 'Query Information2',
  0x24: 'Locking AndX',
  0x25: 'Trans',
  0x26: 'Trans Secondary',
  0x27: 'IOCTL',
  0x28: 'IOCTL Secondary',
  0x29: 'Copy',
  0x2a: 'Move',
  0x2b: 'Echo',
  0x2c: 'Write And Close',
  0x2d: 'Open AndX',
  0x2e: 'Read AndX',
  0x2f: 'Write AndX',
  0x30: 'New File Size',
  0x31: 'Close And Tree Disconnect',
  0x32: 'Trans2',
  0x33: 'Trans2 Secondary',
  0x34: 'Find Close2',
  0x35: 'Find Notify Close',
  0x70: 'Tree Connect',
  0x71: 'Tree Disconnect',
  0x72: 'Negotiate Protocol',
  0x73: 'Session Setup AndX',
  0x74: 'Logoff AndX',
  0x75: 'Tree Connect AndX',
  0x80: 'Query Information Disk',
  0x81: 'Search',
  0x82: 'Find',
  0x83: 'Find Unique',
  0x84: 'Find Close',
  0xa0: 'NT Trans',
  0xa1: 'NT Trans Secondary',
  0xa2: 'NT Create AndX',
  0xa4: 'NT Cancel',
  0xa5: 'NT Rename',
  0xc0: 'Open Print File',
  0xc1: 'Write Print File',
  0xc2: 'Close Print File',
  0xc3: 'Get Print Queue',
  0xd8: 'Read Bulk',
  0xd9: 'Write Bulk',
  0xda: 'Write Bulk Data',
  0xfe: 'Invalid',
  0xff: 'No operation',
});

const ERROR_CLASSES = valueStrings({
  0x00: 'Success',
  0x01: 'DOS Error',
  0x02: 'Server Error',
  0x03: 'Hardware Error',
  0xff: 'Command Error - Not an SMB format command',
});

export const smbFields = defineFields({
  smb: { abbrev: 'smb', name: 'SMB (Server Message Block Protocol)', type: 'protocol' },
  serverComponent: { abbrev: 'smb.server_component', name: 'Server Component', type: 'uint', bits: 32, base: 'hex' },
  cmd: { abbrev: 'smb.cmd', name: 'SMB Command', type: 'uint', bits: 8, base: 'hex', strings: COMMANDS },
  ntStatus: { abbrev: 'smb.nt_status', name: 'NT Status', type: 'uint', bits: 32, base: 'hex' },
  errorClass: {
    abbrev: 'smb.error_class',
    name: 'Error Class',
    type: 'uint',
    bits: 8,
    base: 'hex',
    strings: ERROR_CLASSES,
  },
  reserved: { abbrev: 'smb.reserved', name: 'Reserved', type: 'bytes' },
  errorCode: { abbrev: 'smb.error_code', name: 'Error Code', type: 'uint', bits: 16, base: 'hex' },
  flags: { abbrev: 'smb.flags', name: 'Flags', type: 'uint', bits: 8, base: 'hex' },
  flagsResponse: {
    abbrev: 'smb.flags.response',
    name: 'Request/Response',
    type: 'bool',
    bits: 8,
    mask: 0x80,
    trueFalse: ['Message is a response to the client/redirector', 'Message is a request to the server'],
  },
  flags2: { abbrev: 'smb.flags2', name: 'Flags2', type: 'uint', bits: 16, base: 'hex' },
  flags2String: {
    abbrev: 'smb.flags2.string',
    name: 'Unicode Strings',
    type: 'bool',
    bits: 16,
    mask: 0x8000,
    trueFalse: ['Strings are Unicode', 'Strings are ASCII'],
  },
  flags2NtError: {
    abbrev: 'smb.flags2.nt_error',
    name: 'Error Code Type',
    type: 'bool',
    bits: 16,
    mask: 0x4000,
    trueFalse: ['Error codes are NT error codes', 'Error codes are DOS error codes'],
  },
  pidHigh: { abbrev: 'smb.pid.high', name: 'Process ID High', type: 'uint', bits: 16, base: 'dec' },
  signature: { abbrev: 'smb.signature', name: 'Signature', type: 'bytes' },
  tid: { abbrev: 'smb.tid', name: 'Tree ID', type: 'uint', bits: 16, base: 'dec' },
  pid: { abbrev: 'smb.pid', name: 'Process ID', type: 'uint', bits: 16, base: 'dec' },
  uid: { abbrev: 'smb.uid', name: 'User ID', type: 'uint', bits: 16, base: 'dec' },
  mid: { abbrev: 'smb.mid', name: 'Multiplex ID', type: 'uint', bits: 16, base: 'dec' },
  wct: { abbrev: 'smb.wct', name: 'Word Count (WCT)', type: 'uint', bits: 8, base: 'dec' },
  tpc: { abbrev: 'smb.tpc', name: 'Total Parameter Count', type: 'uint', bits: 32, base: 'dec' },
  tdc: { abbrev: 'smb.tdc', name: 'Total Data Count', type: 'uint', bits: 32, base: 'dec' },
  mpc: { abbrev: 'smb.mpc', name: 'Max Parameter Count', type: 'uint', bits: 32, base: 'dec' },
  mdc: { abbrev: 'smb.mdc', name: 'Max Data Count', type: 'uint', bits: 32, base: 'dec' },
  msc: { abbrev: 'smb.msc', name: 'Max Setup Count', type: 'uint', bits: 8, base: 'dec' },
  transactionFlags: { abbrev: 'smb.transaction.flags', name: 'Flags', type: 'uint', bits: 16, base: 'hex' },
  timeout: { abbrev: 'smb.timeout', name: 'Timeout', type: 'uint', bits: 32, base: 'dec' },
  pc: { abbrev: 'smb.pc', name: 'Parameter Count', type: 'uint', bits: 16, base: 'dec' },
  po: { abbrev: 'smb.po', name: 'Parameter Offset', type: 'uint', bits: 16, base: 'dec' },
  dc: { abbrev: 'smb.dc', name: 'Data Count', type: 'uint', bits: 16, base: 'dec' },
  dataOffset: { abbrev: 'smb.data_offset', name: 'Data Offset', type: 'uint', bits: 16, base: 'dec' },
  sc: { abbrev: 'smb.sc', name: 'Setup Count', type: 'uint', bits: 8, base: 'dec' },
  bcc: { abbrev: 'smb.bcc', name: 'Byte Count (BCC)', type: 'uint', bits: 16, base: 'dec' },
  transName: { abbrev: 'smb.trans_name', name: 'Transaction Name', type: 'string' },
});

const F = smbFields;
const HEADER_LEN = 32;
const CMD_TRANS = 0x25;

/**
 * Mailslot messages by mailslot name without the "\MAILSLOT\" prefix, upper case ("BROWSE").
 * The dissector gets the SMB message: off is where the setup words start, end the data's end.
 */
export interface MailslotCall {
  /** Offsets (absolute) of the setup words, the byte count, the mailslot name and the data. */
  setup: number;
  setupCount: number;
  bcc: number;
  name: number;
  nameLen: number;
  data: number;
  dataEnd: number;
  mailslot: string;
}

/** Set by the mailslot module (a direct call as in Wireshark, where SMB calls it by function). */
export const transHandlers: { mailslot?: (p: Packet, buf: Uint8Array, call: MailslotCall) => void } = {};

/** Dissectors of a mailslot's messages by name ("BROWSE", "LANMAN"), looked up by the mailslot layer. */
export const mailslotTable = new StringDissectorTable('mailslot', 'SMB mailslot name');

/** NetBIOS payload heuristic: an SMB message starts with 0xff 'S' 'M' 'B'. */
export function dissectSmbHeuristic(p: Packet, buf: Uint8Array, off: number, end: number): boolean {
  const capEnd = Math.min(end, buf.length);
  if (capEnd - off < 4) return false;
  if (buf[off] !== 0xff || buf[off + 1] !== 0x53 || buf[off + 2] !== 0x4d || buf[off + 3] !== 0x42) return false;
  dissectSmb(p, buf, off, end);
  return true;
}

export function dissectSmb(p: Packet, buf: Uint8Array, off: number, end: number): void {
  const t = p.tree;
  p.addLayer('smb');
  p.setProtocol('SMB');
  p.setInfo('');
  const top = t.add(F.smb, off, Math.max(0, Math.min(end, buf.length) - off));
  t.open(top);
  if (p.short('SMB', buf, off, HEADER_LEN, end)) return;
  const cmd = buf[off + 4];
  const flags = buf[off + 9];
  const flags2 = u16le(buf, off + 10);
  const response = (flags & 0x80) !== 0;
  const cmdName = COMMANDS.get(cmd) ?? `Unknown (0x${cmd.toString(16).padStart(2, '0')})`;
  if (p.wantColumns) p.setInfo(`${cmdName} ${response ? 'Response' : 'Request'}`);
  const hdr = t.full ? t.addText(off, HEADER_LEN, 'SMB Header') : -1;
  t.open(hdr);
  const sc = t.add(F.serverComponent, off, 4, 0xff534d42);
  if (t.full) t.setLabel(sc, 'Server Component: SMB');
  t.add(F.cmd, off + 4, 1, cmd);
  if (flags2 & 0x4000) {
    t.add(F.ntStatus, off + 5, 4, u32le(buf, off + 5));
  } else {
    t.add(F.errorClass, off + 5, 1, buf[off + 5]);
    t.add(F.reserved, off + 6, 1);
    const code = u16le(buf, off + 7);
    const ci = t.add(F.errorCode, off + 7, 2, code);
    if (t.full && code === 0) t.setLabel(ci, 'Error Code: No Error');
  }
  const fi = t.add(F.flags, off + 9, 1, flags);
  t.open(fi);
  t.add(F.flagsResponse, off + 9, 1, response ? 1 : 0);
  t.close();
  const f2 = t.add(F.flags2, off + 10, 2, flags2);
  t.open(f2);
  t.add(F.flags2String, off + 10, 2, (flags2 >> 15) & 1);
  t.add(F.flags2NtError, off + 10, 2, (flags2 >> 14) & 1);
  t.close();
  t.add(F.pidHigh, off + 12, 2, u16le(buf, off + 12));
  const sig = t.add(F.signature, off + 14, 8);
  if (t.full) t.setLabel(sig, `Signature: ${formatBytesHex(buf, off + 14, 8)}`);
  t.add(F.reserved, off + 22, 2);
  t.add(F.tid, off + 24, 2, u16le(buf, off + 24));
  t.add(F.pid, off + 26, 2, u16le(buf, off + 26));
  t.add(F.uid, off + 28, 2, u16le(buf, off + 28));
  t.add(F.mid, off + 30, 2, u16le(buf, off + 30));
  t.close();
  if (cmd === CMD_TRANS && !response) {
    transRequest(p, buf, off, end, (flags2 & 0x8000) !== 0);
    return;
  }
  t.close();
}

/** A Trans request (MS-CIFS 2.2.4.33.1): counts, offsets, setup words and the transaction name. */
function transRequest(p: Packet, buf: Uint8Array, smbOff: number, end: number, unicode: boolean): void {
  const t = p.tree;
  let o = smbOff + HEADER_LEN;
  if (p.short('SMB', buf, o, 1, end)) return;
  const wct = buf[o];
  const block = t.full ? t.addText(o, 0, 'Trans Request (0x25)') : -1;
  t.open(block);
  t.add(F.wct, o, 1, wct);
  o++;
  // Fourteen fixed words, then the setup words (the count is in the last fixed word).
  if (wct < 14 || p.short('SMB', buf, o, 2 * wct + 2, end)) {
    t.closeAll();
    return;
  }
  t.add(F.tpc, o, 2, u16le(buf, o));
  t.add(F.tdc, o + 2, 2, u16le(buf, o + 2));
  t.add(F.mpc, o + 4, 2, u16le(buf, o + 4));
  t.add(F.mdc, o + 6, 2, u16le(buf, o + 6));
  t.add(F.msc, o + 8, 1, buf[o + 8]);
  t.add(F.reserved, o + 9, 1);
  t.add(F.transactionFlags, o + 10, 2, u16le(buf, o + 10));
  const timeout = u32le(buf, o + 12);
  const ti = t.add(F.timeout, o + 12, 4, timeout);
  // 0 and 0xffffffff are "return immediately" and "wait forever" (MS-CIFS 2.2.4.33.1).
  if (t.full) {
    const text =
      timeout === 0 ? 'Return immediately (0)' : timeout === 0xffffffff ? 'Wait indefinitely (-1)' : msecsText(timeout);
    t.setLabel(ti, `Timeout: ${text}`);
  }
  t.add(F.reserved, o + 16, 2);
  t.add(F.pc, o + 18, 2, u16le(buf, o + 18));
  t.add(F.po, o + 20, 2, u16le(buf, o + 20));
  const dataCount = u16le(buf, o + 22);
  const dataOffset = u16le(buf, o + 24);
  t.add(F.dc, o + 22, 2, dataCount);
  t.add(F.dataOffset, o + 24, 2, dataOffset);
  const setupCount = buf[o + 26];
  t.add(F.sc, o + 26, 1, setupCount);
  t.add(F.reserved, o + 27, 1);
  const setup = o + 28;
  const bccAt = o + 2 * wct;
  const bcc = u16le(buf, bccAt);
  t.add(F.bcc, bccAt, 2, bcc);
  let nameAt = bccAt + 2;
  // A Unicode name is aligned on 2 bytes from the SMB header's start.
  if (unicode && (nameAt - smbOff) % 2 === 1) nameAt++;
  const name = readSmbString(buf, nameAt, Math.min(end, buf.length, bccAt + 2 + bcc), unicode);
  t.addValue(F.transName, nameAt, name.length, name.text);
  t.closeAll();
  const capEnd = Math.min(end, buf.length);
  const data = smbOff + dataOffset;
  const dataEnd = Math.min(end, data + dataCount);
  if (name.text.length > 10 && name.text.slice(0, 10).toUpperCase() === '\\MAILSLOT\\' && transHandlers.mailslot) {
    transHandlers.mailslot(p, buf, {
      setup,
      setupCount,
      bcc: bccAt,
      name: nameAt,
      nameLen: name.length,
      data,
      dataEnd,
      mailslot: name.text.slice(10).toUpperCase(),
    });
    return;
  }
  if (data < capEnd && dataCount > 0) dissectData(p, buf, data, dataEnd);
}

/** A NUL-terminated ASCII or UTF-16LE string at buf[o], limited by `stop`. */
export function readSmbString(
  buf: Uint8Array,
  o: number,
  stop: number,
  unicode: boolean,
): { text: string; length: number } {
  let s = '';
  if (unicode) {
    let at = o;
    while (at + 1 < stop) {
      const c = u16le(buf, at);
      at += 2;
      if (c === 0) return { text: s, length: at - o };
      s += String.fromCharCode(c);
    }
    return { text: s, length: Math.max(0, at - o) };
  }
  let at = o;
  while (at < stop) {
    const c = buf[at++];
    if (c === 0) return { text: s, length: at - o };
    s += String.fromCharCode(c);
  }
  return { text: s, length: Math.max(0, at - o) };
}

netbiosHeuristics.add('smb_netbios', dissectSmbHeuristic);
