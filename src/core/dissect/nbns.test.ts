import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { captureFieldRows, dissectBytes, fieldText, hex, rawUdpFrame } from './test-support.js';
import { LINKTYPE } from './linktypes.js';
import { netbiosNameText } from './nbns.js';

// Expected values were checked with tshark 4.0.17 on the same capture.

describe('NBNS', () => {
  it('decodes NetBIOS names and registrations (suricata__tls-subjectaltname.pcap)', () => {
    const r = captureFieldRows(
      readFileSync,
      'suricata__tls-subjectaltname.pcap',
      ['nbns.name', 'nbns.addr', 'nbns.ttl'],
      ['nbns.flags'],
    );
    expect(r[0].slice(0, 4)).toEqual(['eth:ethertype:ip:udp:nbns', 'NBNS', 'Name query NB ISATAP<00>', 'ISATAP<00>']);
    expect(r[1].slice(2)).toEqual([
      'Registration NB WORKGROUP<1e>',
      'WORKGROUP<1e>,WORKGROUP<1e> (Browser Election Service)',
      '192.168.100.206',
      '300000',
      'Flags: 0x2910, Opcode: Registration, Recursion desired, Broadcast',
    ]);
    expect(r[1850][2]).toBe('Registration NB <01><02>__MSBROWSE__<02><01>');
  });

  it('shows unprintable name bytes in hex and drops trailing spaces', () => {
    const name = Uint8Array.from([1, 2, ...Array.from('__MSBROWSE__', (c) => c.charCodeAt(0)), 2, 1]);
    expect(netbiosNameText(name)).toEqual({ text: '<01><02>__MSBROWSE__<02>', type: 1 });
    const padded = Uint8Array.from([...Array.from('WORKGROUP      ', (c) => c.charCodeAt(0)), 0x1e]);
    expect(netbiosNameText(padded)).toEqual({ text: 'WORKGROUP', type: 0x1e });
  });
});

describe('NBNS hand-built messages', () => {
  // WORKGROUP<1d> in first-level encoding (RFC 1001 §14.1).
  const name =
    '20' +
    Array.from([...Array.from('WORKGROUP      ', (c) => c.charCodeAt(0)), 0x1d], (c) =>
      (((0x41 + (c >> 4)) << 8) | (0x41 + (c & 15))).toString(16),
    ).join('') +
    '00';
  function info(message: string): [string, string] {
    const p = dissectBytes(LINKTYPE.RAW, rawUdpFrame(137, 137, hex(message)));
    return [p.infoCol, fieldText(p, 'nbns.name')];
  }

  it('shows the address of a positive response and the rcode of a negative one', () => {
    expect(info(`1111 8500 0000 0001 0000 0000 ${name} 0020 0001 00000010 0006 6000 c0a80105`)).toEqual([
      'Name query response NB 192.168.1.5',
      'WORKGROUP<1d> (Local Master Browser)',
    ]);
    expect(info(`1112 8583 0000 0001 0000 0000 ${name} 0020 0001 00000010 0006 6000 c0a80105`)[0]).toBe(
      'Name query response, Requested name does not exist NB 192.168.1.5',
    );
    expect(info(`1113 bc00 0000 0001 0000 0000 ${name} 0020 0001 00000010 0002 2910`)[0]).toBe(
      'Wait for acknowledgment response',
    );
  });

  it('says why a name is not a NetBIOS name, and reads node statistics to the data length', () => {
    expect(info('1115 0000 0001 0000 0000 0000 0341424300 0020 0001')[0]).toBe(
      'Name query NB Illegal NetBIOS name (odd number of bytes)',
    );
    const nbstat = `1114 8400 0000 0001 0000 0000 ${name} 0021 0001 00000000 0041 01 414243444546474849504a4b4c4d4e20 0400 000102030405 00`;
    expect(info(nbstat)[0]).toBe('Name query response NBSTAT[Malformed Packet]');
  });
});
