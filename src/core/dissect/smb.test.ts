import { describe, expect, it } from 'vitest';
import { fieldText, hex, dissectBytes, neverThrows } from './test-support.js';
import { LINKTYPE } from './linktypes.js';

// Frame 16 of suricata__tls-subjectaltname.pcap: a broadcast NBDGM datagram carrying an SMB Trans
// request to \MAILSLOT\BROWSE (Request Announcement USER-PC). Values checked with tshark 4.0 -V.
const FRAME16 = hex(
  'ffffffffffff12a9866c77de0800450000ce007a00008011ee86c0a864cec0a864ff008a008a00ba04471102895cc0a864ce' +
    '008a00a40000204646464445464643434e464145444341434143414341434143414341434141410020464845504643454c45' +
    '484643455046464641434143414341434143414341424e00ff534d4225000000000000000000000000000000000000000000' +
    '0000000000001100000a000000000000000000e80300000000000000000a00560003000100010002001b005c4d41494c534c' +
    '4f545c42524f575345000200555345522d504300',
);
const SMB_AT = 0x7c;

describe('SMB (NetBIOS datagram payload)', () => {
  it('reads the header and the Trans request and hands the mailslot message on', () => {
    const p = dissectBytes(LINKTYPE.ETHERNET, FRAME16);
    expect(p.protocols()).toBe('eth:ethertype:ip:udp:nbdgm:smb:browser');
    expect(fieldText(p, 'smb.cmd')).toBe('0x25');
    expect(fieldText(p, 'smb.wct')).toBe('17');
    expect(fieldText(p, 'smb.dc')).toBe('10');
    expect(fieldText(p, 'smb.data_offset')).toBe('86');
    expect(fieldText(p, 'smb.bcc')).toBe('27');
    expect(fieldText(p, 'smb.trans_name')).toBe('\\MAILSLOT\\BROWSE');
    expect(fieldText(p, 'mailslot.opcode')).toBe('1');
    expect(fieldText(p, 'mailslot.class')).toBe('2');
    expect(fieldText(p, 'mailslot.size')).toBe('27');
    expect(fieldText(p, 'browser.response_computer_name')).toBe('USER-PC');
  });

  it('shows a non-SMB NetBIOS payload as data', () => {
    const f = FRAME16.slice();
    f[SMB_AT] = 0x00;
    const p = dissectBytes(LINKTYPE.ETHERNET, f);
    expect(p.protocols()).toBe('eth:ethertype:ip:udp:nbdgm:data');
    expect(p.protocolCol).toBe('NBDGM');
    expect(p.infoCol).toBe('Direct_group datagram');
  });

  it('shows the SMB command of a request that is not a transaction', () => {
    const f = FRAME16.slice(0, SMB_AT + 33);
    f[SMB_AT + 4] = 0x72;
    const p = dissectBytes(LINKTYPE.ETHERNET, f);
    expect(p.protocolCol).toBe('SMB');
    expect(p.infoCol).toBe('Negotiate Protocol Request');
  });

  it('never throws on random bytes after the SMB header or in the transaction', () => {
    neverThrows(LINKTYPE.ETHERNET, FRAME16.slice(0, SMB_AT + 4));
    neverThrows(LINKTYPE.ETHERNET, FRAME16.slice(0, SMB_AT + 33));
    neverThrows(LINKTYPE.ETHERNET, FRAME16.slice(0, SMB_AT + 86));
  });
});
