// Microsoft Windows Browser Protocol (MS-BRWS), carried in \MAILSLOT\BROWSE and \MAILSLOT\LANMAN
// mailslot messages: host, workgroup and local master announcements, announcement requests,
// elections and backup lists, with the Info texts of Wireshark 4.0's packet-smb-browse.c.

import { defineFields, valueStrings } from './fields.js';
import type { Packet } from './packet.js';
import { u16le, u32le } from './bytes.js';
import { mailslotTable, readSmbString } from './smb.js';
import { msecsText } from './msecs-text.js';

const COMMANDS = valueStrings({
  0x01: 'Host Announcement',
  0x02: 'Request Announcement',
  0x08: 'Browser Election Request',
  0x09: 'Get Backup List Request',
  0x0a: 'Get Backup List Response',
  0x0b: 'Become Backup Browser',
  0x0c: 'Domain/Workgroup Announcement',
  0x0d: 'Master Announcement',
  0x0e: 'Reset Browser State Announcement',
  0x0f: 'Local Master Announcement',
});

const HOST_ANNOUNCEMENT = 0x01;
const REQUEST_ANNOUNCEMENT = 0x02;
const ELECTION_REQUEST = 0x08;
const BACKUP_LIST_REQUEST = 0x09;
const BACKUP_LIST_RESPONSE = 0x0a;
const BECOME_BACKUP = 0x0b;
const DOMAIN_ANNOUNCEMENT = 0x0c;
const MASTER_ANNOUNCEMENT = 0x0d;
const RESET_STATE = 0x0e;
const LOCAL_MASTER_ANNOUNCEMENT = 0x0f;

/** Server type bit names the Info column lists (Wireshark's server_types, by bit number). */
const SERVER_TYPE_NAMES = valueStrings({
  0: 'Workstation',
  1: 'Server',
  2: 'SQL Server',
  3: 'Domain Controller',
  4: 'Backup Controller',
  5: 'Time Source',
  6: 'Apple Server',
  7: 'Novell Server',
  8: 'Domain Member Server',
  9: 'Print Queue Server',
  10: 'Dialin Server',
  11: 'Xenix Server',
  12: 'NT Workstation',
  13: 'Windows for Workgroups',
  15: 'NT Server',
  16: 'Potential Browser',
  17: 'Backup Browser',
  18: 'Master Browser',
  19: 'Domain Master Browser',
  20: 'OSF',
  21: 'VMS',
  22: 'Windows 95 or above',
  30: 'Local List Only',
  31: 'Domain Enum',
});

/** The per-bit fields of the server type word: name, abbrev suffix, bit, what a set bit says. */
const SERVER_TYPE_BITS: readonly [string, string, number, string][] = [
  ['Workstation', 'workstation', 0, 'a Workstation'],
  ['Server', 'server', 1, 'a Server'],
  ['SQL', 'sql', 2, 'an SQL server'],
  ['Domain Controller', 'domain_controller', 3, 'a Domain Controller'],
  ['Backup Controller', 'backup_controller', 4, 'a Backup Controller'],
  ['Time Source', 'time', 5, 'a Time Source'],
  ['Apple', 'apple', 6, 'an Apple host'],
  ['Novell', 'novell', 7, 'a Novell server'],
  ['Member', 'member', 8, 'a Domain Member server'],
  ['Print', 'print', 9, 'a Print Queue server'],
  ['Dialin', 'dialin', 10, 'a Dialin server'],
  ['Xenix', 'xenix', 11, 'a Xenix server'],
  ['NT Workstation', 'ntw', 12, 'an NT Workstation'],
  ['WfW', 'wfw', 13, 'a WfW host'],
  ['NT Server', 'nts', 15, 'an NT Server'],
  ['Potential Browser', 'browser.potential', 16, 'a Potential Browser'],
  ['Backup Browser', 'browser.backup', 17, 'a Backup Browser'],
  ['Master Browser', 'browser.master', 18, 'a Master Browser'],
  ['Domain Master Browser', 'browser.domain_master', 19, 'a Domain Master Browser'],
  ['OSF', 'osf', 20, 'an OSF host'],
  ['VMS', 'vms', 21, 'a VMS host'],
  ['Windows 95+', 'w95', 22, 'a Windows 95 or above host'],
  ['DFS', 'dfs', 23, 'a DFS server'],
  ['Local', 'local', 30, 'a local list only request'],
  ['Domain Enum', 'domainenum', 31, 'a Domain Enum request'],
];

/** Windows versions by OS major/minor version (the browser's "Windows version" item). */
const WINDOWS_VERSIONS: Record<number, string> = {
  0x0400: 'Windows NT 4.0',
  0x0500: 'Windows 2000',
  0x0501: 'Windows XP',
  0x0502: 'Windows XP 64-bit or Windows Server 2003',
  0x0600: 'Windows Vista or Windows Server 2008',
  0x0601: 'Windows 7 or Windows Server 2008 R2',
  0x0602: 'Windows 8 or Windows Server 2012',
  0x0603: 'Windows 8.1 or Windows Server 2012 R2',
  0x0a00: 'Windows 10 or Windows Server 2016',
};

export const browserFields = defineFields({
  browser: { abbrev: 'browser', name: 'Microsoft Windows Browser Protocol', type: 'protocol' },
  command: { abbrev: 'browser.command', name: 'Command', type: 'uint', bits: 8, base: 'hex', strings: COMMANDS },
  updateCount: { abbrev: 'browser.update_count', name: 'Update Count', type: 'uint', bits: 8, base: 'dec' },
  period: { abbrev: 'browser.period', name: 'Update Periodicity', type: 'uint', bits: 32, base: 'dec' },
  server: { abbrev: 'browser.server', name: 'Server Name', type: 'string' },
  mbServer: { abbrev: 'browser.mb_server', name: 'Master Browser Server Name', type: 'string' },
  osMajor: { abbrev: 'browser.os_major', name: 'OS Major Version', type: 'uint', bits: 8, base: 'dec' },
  osMinor: { abbrev: 'browser.os_minor', name: 'OS Minor Version', type: 'uint', bits: 8, base: 'dec' },
  serverType: { abbrev: 'browser.server_type', name: 'Server Type', type: 'uint', bits: 32, base: 'hex' },
  protoMajor: {
    abbrev: 'browser.proto_major',
    name: 'Browser Protocol Major Version',
    type: 'uint',
    bits: 8,
    base: 'dec',
  },
  protoMinor: {
    abbrev: 'browser.proto_minor',
    name: 'Browser Protocol Minor Version',
    type: 'uint',
    bits: 8,
    base: 'dec',
  },
  sig: { abbrev: 'browser.sig', name: 'Signature', type: 'uint', bits: 16, base: 'hex' },
  comment: { abbrev: 'browser.comment', name: 'Host Comment', type: 'string' },
  unused: { abbrev: 'browser.unused', name: 'Unused flags', type: 'uint', bits: 8, base: 'hex' },
  responseName: { abbrev: 'browser.response_computer_name', name: 'Response Computer Name', type: 'string' },
  electionVersion: { abbrev: 'browser.election.version', name: 'Election Version', type: 'uint', bits: 8, base: 'dec' },
  electionCriteria: {
    abbrev: 'browser.election.criteria',
    name: 'Election Criteria',
    type: 'uint',
    bits: 32,
    base: 'hex',
  },
  electionDesire: { abbrev: 'browser.election.desire', name: 'Election Desire', type: 'uint', bits: 8, base: 'hex' },
  electionOs: { abbrev: 'browser.election.os', name: 'Election OS', type: 'uint', bits: 8, base: 'hex' },
  uptime: { abbrev: 'browser.uptime', name: 'Uptime', type: 'uint', bits: 32, base: 'dec' },
  backupCount: {
    abbrev: 'browser.backup.count',
    name: 'Backup List Requested Count',
    type: 'uint',
    bits: 8,
    base: 'dec',
  },
  backupToken: { abbrev: 'browser.backup.token', name: 'Backup Request Token', type: 'uint', bits: 32, base: 'dec' },
  backupServer: { abbrev: 'browser.backup.server', name: 'Backup Server', type: 'string' },
  toPromote: { abbrev: 'browser.browser_to_promote', name: 'Browser to Promote', type: 'string' },
  resetCmd: { abbrev: 'browser.reset_cmd', name: 'ResetBrowserState Command', type: 'uint', bits: 8, base: 'hex' },
  mysterious: { abbrev: 'browser.mysterious_field', name: 'Mysterious Field', type: 'uint', bits: 32, base: 'hex' },
  windowsVersion: { abbrev: 'browser.windows_version', name: 'Windows version', type: 'string' },
});

const serverTypeBitFields: number[] = SERVER_TYPE_BITS.map(
  ([name, suffix, bit, what]) =>
    defineFields({
      f: {
        abbrev: `browser.server_type.${suffix}`,
        name,
        type: 'bool',
        bits: 32,
        mask: 2 ** bit,
        // Wireshark's texts, with the typo of its DFS one.
        trueFalse: [`This is ${what}`, bit === 23 ? 'THis is NOT a DFS server' : `This is NOT ${what}`],
      },
    }).f,
);

const F = browserFields;

/** A NUL-terminated string item from `o` (to the end when no NUL); returns where it ends. */
function stringItem(p: Packet, field: number, buf: Uint8Array, o: number, end: number): number {
  const s = readSmbString(buf, o, Math.min(end, buf.length), false);
  p.tree.addValue(field, o, s.length, s.text);
  return o + s.length;
}

/** The 4-byte server type word; with `info`, its set bits' names go to the Info column. */
function serverType(p: Packet, buf: Uint8Array, o: number): void {
  const t = p.tree;
  const flags = u32le(buf, o);
  if (p.wantColumns) {
    for (let bit = 0; bit < 32; bit++) {
      if (flags & (2 ** bit)) p.appendInfo(`, ${SERVER_TYPE_NAMES.get(bit) ?? `Unknown server type:${bit}`}`);
    }
  }
  const i = t.add(F.serverType, o, 4, flags);
  if (t.full) {
    let label = `Server Type: 0x${flags.toString(16).padStart(8, '0')}`;
    for (const [name, , bit] of SERVER_TYPE_BITS) if (flags & (2 ** bit)) label += `, ${name}`;
    t.setLabel(i, label);
  }
  t.open(i);
  for (let k = 0; k < SERVER_TYPE_BITS.length; k++) {
    const bit = SERVER_TYPE_BITS[k][2];
    t.add(serverTypeBitFields[k], o, 4, Math.floor(flags / 2 ** bit) & 1);
  }
  t.close();
}

/** Bits of the election desire byte: name, abbrev suffix, mask, texts when set and not set. */
const DESIRE_BITS: readonly [string, string, number, string, string][] = [
  ['Backup', 'backup', 0x01, 'Backup Browse Server', 'NOT Backup Browse Server'],
  ['Standby', 'standby', 0x02, 'Standby Browse Server', 'NOT Standby Browse Server'],
  ['Master', 'master', 0x04, 'Master Browser', 'NOT Master Browser'],
  ['Domain Master', 'domain_master', 0x08, 'Domain Master Browse Server', 'NOT Domain Master Browse Server'],
  ['WINS', 'wins', 0x20, 'WINS Client', 'NOT WINS Client'],
  ['NT', 'nt', 0x80, 'Windows NT Advanced Server', 'NOT Windows NT Advanced Server'],
];
const OS_BITS: readonly [string, string, number, string, string][] = [
  ['WfW', 'wfw', 0x01, 'Windows for Workgroups', 'Not Windows for Workgroups'],
  ['NT Workstation', 'ntw', 0x10, 'Windows NT Workstation', 'Not Windows NT Workstation'],
  ['NT Server', 'nts', 0x20, 'Windows NT Server', 'Not Windows NT Server'],
];

function bitFields(prefix: string, bits: readonly [string, string, number, string, string][]): number[] {
  return bits.map(
    ([name, suffix, mask, set, unset]) =>
      defineFields({ f: { abbrev: `${prefix}.${suffix}`, name, type: 'bool', bits: 8, mask, trueFalse: [set, unset] } })
        .f,
  );
}
const desireFields = bitFields('browser.election.desire', DESIRE_BITS);
const osFields = bitFields('browser.election.os', OS_BITS);

/** A byte of flags with its bits, labelled "Name: 0xhh, Set bit names" as Wireshark does. */
function flagByte(
  p: Packet,
  field: number,
  name: string,
  o: number,
  v: number,
  bits: readonly [string, string, number, string, string][],
  fields: number[],
): void {
  const t = p.tree;
  const i = t.add(field, o, 1, v);
  if (t.full) {
    let label = `${name}: 0x${v.toString(16).padStart(2, '0')}`;
    for (const [bitName, , mask] of bits) if (v & mask) label += `, ${bitName}`;
    t.setLabel(i, label);
  }
  t.open(i);
  for (let k = 0; k < bits.length; k++) t.add(fields[k], o, 1, v & bits[k][2] ? 1 : 0);
  t.close();
}

/** The 4-byte election criteria (MS-BRWS 2.2.19): desire, browser protocol version, OS. */
function electionCriteria(p: Packet, buf: Uint8Array, o: number): void {
  const t = p.tree;
  const i = t.add(F.electionCriteria, o, 4, u32le(buf, o));
  t.open(i);
  flagByte(p, F.electionDesire, 'Election Desire', o, buf[o], DESIRE_BITS, desireFields);
  t.add(F.protoMajor, o + 1, 1, buf[o + 1]);
  t.add(F.protoMinor, o + 2, 1, buf[o + 2]);
  flagByte(p, F.electionOs, 'Election OS', o + 3, buf[o + 3], OS_BITS, osFields);
  t.close();
}

/** The 15-character (16 bytes, NUL-padded) host name of announcements. */
function fixedName(buf: Uint8Array, o: number): string {
  let s = '';
  for (let i = 0; i < 16; i++) {
    const c = buf[o + i];
    if (c === 0) break;
    s += String.fromCharCode(c);
  }
  return s;
}

/** \MAILSLOT\BROWSE messages. */
export function dissectBrowse(p: Packet, buf: Uint8Array, off: number, end: number): void {
  browser(p, buf, off, end, false);
}

/** \MAILSLOT\LANMAN messages: older announcements with the fields in another order. */
export function dissectLanman(p: Packet, buf: Uint8Array, off: number, end: number): void {
  browser(p, buf, off, end, true);
}

function browser(p: Packet, buf: Uint8Array, off: number, end: number, lanman: boolean): void {
  const t = p.tree;
  p.addLayer('browser');
  p.setProtocol('BROWSER');
  p.setInfo('');
  if (p.short('BROWSER', buf, off, 1, end)) return;
  const cmd = buf[off];
  if (p.wantColumns) p.setInfo(COMMANDS.get(cmd) ?? `Unknown command:0x${cmd.toString(16).padStart(2, '0')}`);
  const top = t.add(F.browser, off, Math.min(end, buf.length) - off);
  t.open(top);
  t.add(F.command, off, 1, cmd);
  let o = off + 1;
  const announcement = cmd === HOST_ANNOUNCEMENT || cmd === DOMAIN_ANNOUNCEMENT || cmd === LOCAL_MASTER_ANNOUNCEMENT;
  if (announcement && lanman) {
    if (p.short('BROWSER', buf, o, 9, end)) return;
    t.add(F.updateCount, o, 1, buf[o]);
    serverType(p, buf, o + 1);
    t.add(F.osMajor, o + 5, 1, buf[o + 5]);
    t.add(F.osMinor, o + 6, 1, buf[o + 6]);
    const period = t.add(F.period, o + 7, 2, u16le(buf, o + 7) * 1000);
    if (t.full) t.setLabel(period, `Update Periodicity: ${msecsText(u16le(buf, o + 7) * 1000)}`);
    o += 9;
    const name = readSmbString(buf, o, Math.min(end, buf.length), false);
    if (p.wantColumns) p.appendInfo(` ${name.text}`);
    t.addValue(F.server, o, name.length, name.text);
    o += name.length;
    stringItem(p, cmd === DOMAIN_ANNOUNCEMENT ? F.mbServer : F.comment, buf, o, end);
  } else if (announcement) {
    if (p.short('BROWSER', buf, o, 5, end)) return;
    t.add(F.updateCount, o, 1, buf[o]);
    const period = t.add(F.period, o + 1, 4, u32le(buf, o + 1));
    if (t.full) t.setLabel(period, `Update Periodicity: ${msecsText(u32le(buf, o + 1))}`);
    o += 5;
    if (p.short('BROWSER', buf, o, 16, end)) return;
    const name = fixedName(buf, o);
    if (p.wantColumns) p.appendInfo(` ${name}`);
    const si = t.addValue(F.server, o, 16, name);
    if (t.full) t.setLabel(si, `${cmd === DOMAIN_ANNOUNCEMENT ? 'Domain/Workgroup' : 'Host Name'}: ${name}`);
    o += 16;
    if (p.short('BROWSER', buf, o, 10, end)) return;
    // Wireshark shows the item for every announcement, empty for versions it does not know.
    t.addValue(F.windowsVersion, o, 2, WINDOWS_VERSIONS[(buf[o] << 8) | buf[o + 1]] ?? '');
    t.add(F.osMajor, o, 1, buf[o]);
    t.add(F.osMinor, o + 1, 1, buf[o + 1]);
    serverType(p, buf, o + 2);
    o += 6;
    if (cmd === DOMAIN_ANNOUNCEMENT) {
      t.add(F.mysterious, o, 4, u32le(buf, o));
    } else {
      t.add(F.protoMajor, o, 1, buf[o]);
      t.add(F.protoMinor, o + 1, 1, buf[o + 1]);
      t.add(F.sig, o + 2, 2, u16le(buf, o + 2));
    }
    o += 4;
    stringItem(p, cmd === DOMAIN_ANNOUNCEMENT ? F.mbServer : F.comment, buf, o, end);
  } else if (cmd === REQUEST_ANNOUNCEMENT) {
    if (p.short('BROWSER', buf, o, 1, end)) return;
    t.add(F.unused, o, 1, buf[o]);
    o++;
    const name = readSmbString(buf, o, Math.min(end, buf.length), false);
    t.addValue(F.responseName, o, name.length, name.text);
    if (p.wantColumns) p.appendInfo(` ${name.text}`);
  } else if (cmd === ELECTION_REQUEST) {
    if (p.short('BROWSER', buf, o, 13, end)) return;
    t.add(F.electionVersion, o, 1, buf[o]);
    electionCriteria(p, buf, o + 1);
    const uptime = t.add(F.uptime, o + 5, 4, u32le(buf, o + 5));
    if (t.full) t.setLabel(uptime, `Uptime: ${msecsText(u32le(buf, o + 5))}`);
    // Four bytes that must be zero.
    stringItem(p, F.server, buf, o + 13, end);
  } else if (cmd === BACKUP_LIST_REQUEST) {
    if (p.short('BROWSER', buf, o, 5, end)) return;
    t.add(F.backupCount, o, 1, buf[o]);
    t.add(F.backupToken, o + 1, 4, u32le(buf, o + 1));
  } else if (cmd === BACKUP_LIST_RESPONSE) {
    if (p.short('BROWSER', buf, o, 5, end)) return;
    const count = buf[o];
    t.add(F.backupCount, o, 1, count);
    t.add(F.backupToken, o + 1, 4, u32le(buf, o + 1));
    o += 5;
    const stop = Math.min(end, buf.length);
    for (let i = 0; i < count && o < stop; i++) o = stringItem(p, F.backupServer, buf, o, end);
  } else if (cmd === MASTER_ANNOUNCEMENT) {
    stringItem(p, F.mbServer, buf, o, end);
  } else if (cmd === RESET_STATE) {
    if (p.short('BROWSER', buf, o, 1, end)) return;
    t.add(F.resetCmd, o, 1, buf[o]);
  } else if (cmd === BECOME_BACKUP) {
    stringItem(p, F.toPromote, buf, o, end);
  }
  t.close();
}

mailslotTable.add('BROWSE', dissectBrowse);
mailslotTable.add('LANMAN', dissectLanman);
