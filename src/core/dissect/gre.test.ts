import { describe, expect, it } from 'vitest';
import { dissectBytes, fieldText, hex, neverThrows } from './test-support.js';
import { LINKTYPE } from './linktypes.js';

// Frame 16 of tcpdump__pptp.pcap: enhanced GRE (PPTP) carrying a PPP LCP Configuration Request;
// the expected values are tshark 4.0's.
const PPTP16 = hex(
  '0800209f6b7200000000000008004500005003bc0000802f20ad0a01010b0a01010a 3001880b00300000 00000000' +
    'ff03c021 0100002c 0506021952cf 0702 0802 0d0306 1104064e 13170129f76a9077f1472c835247f271d656070000000c',
);
const GRE_AT = 34;

describe('GRE', () => {
  it('reads the enhanced GRE header of PPTP and hands PPP on by its EtherType', () => {
    const p = dissectBytes(LINKTYPE.ETHERNET, PPTP16);
    expect(p.protocols()).toBe('eth:ethertype:ip:gre:ppp:lcp');
    expect(fieldText(p, 'gre.flags_and_version')).toBe('0x3001');
    expect(fieldText(p, 'gre.flags.version')).toBe('1');
    expect(fieldText(p, 'gre.proto')).toBe('0x880b');
    expect(fieldText(p, 'gre.key.payload_length')).toBe('48');
    expect(fieldText(p, 'gre.key.call_id')).toBe('0');
    expect(fieldText(p, 'gre.sequence_number')).toBe('0');
  });

  it('names an unknown payload type in Info and shows the payload as data', () => {
    const f = PPTP16.slice();
    f[GRE_AT + 2] = 0x12;
    f[GRE_AT + 3] = 0x34;
    const p = dissectBytes(LINKTYPE.ETHERNET, f);
    expect(p.protocolCol).toBe('GRE');
    expect(p.infoCol).toBe('Encapsulated 0x1234 (unknown)');
    expect(p.protocols()).toBe('eth:ethertype:ip:gre:data');
  });

  it('never throws on random bytes after the IP header', () => {
    neverThrows(LINKTYPE.ETHERNET, PPTP16.slice(0, GRE_AT));
    neverThrows(LINKTYPE.ETHERNET, PPTP16.slice(0, GRE_AT + 2));
  });
});
