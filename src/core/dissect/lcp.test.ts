import { describe, expect, it } from 'vitest';
import { dissectBytes, fieldText, hex, labelText, neverThrows } from './test-support.js';
import { LINKTYPE } from './linktypes.js';

// Frame 16 of tcpdump__pptp.pcap: PPP in enhanced GRE carrying an LCP Configuration Request;
// the expected values are tshark 4.0's.
const PPTP16 = hex(
  '0800209f6b7200000000000008004500005003bc0000802f20ad0a01010b0a01010a 3001880b00300000 00000000' +
    'ff03c021 0100002c 0506021952cf 0702 0802 0d0306 1104064e 13170129f76a9077f1472c835247f271d656070000000c',
);

const LCP_AT = 34 + 12 + 4;

describe('PPP LCP', () => {
  it('names the code and reads the options, as tshark 4.0 does', () => {
    const p = dissectBytes(LINKTYPE.ETHERNET, PPTP16);
    expect(p.protocolCol).toBe('PPP LCP');
    expect(p.infoCol).toBe('Configuration Request');
    expect(fieldText(p, 'ppp.code')).toBe('1');
    expect(fieldText(p, 'ppp.length')).toBe('44');
    expect(fieldText(p, 'lcp.opt.type')).toBe('5,7,8,13,17,19');
    expect(fieldText(p, 'lcp.opt.length')).toBe('6,2,2,3,4,23');
    expect(fieldText(p, 'lcp.opt.magic_number')).toBe('0x021952cf');
    expect(fieldText(p, 'lcp.opt.mrru')).toBe('1614');
    expect(fieldText(p, 'lcp.opt.operation')).toBe('6');
    expect(fieldText(p, 'lcp.opt.ep_disc_class')).toBe('1');
    expect(labelText(p, 'lcp.opt.ep_disc_class')).toBe('Class: Locally assigned address (1)');
  });

  it('reads the magic number of an echo request', () => {
    const f = PPTP16.slice(0, LCP_AT + 12);
    f.set([9, 1, 0, 12, 0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4], LCP_AT);
    const p = dissectBytes(LINKTYPE.ETHERNET, f, PPTP16.length);
    expect(p.infoCol.startsWith('Echo Request')).toBe(true);
    expect(fieldText(p, 'ppp.magic_number')).toBe('0xdeadbeef');
  });

  it('never throws on random bytes after the PPP header', () => {
    neverThrows(LINKTYPE.ETHERNET, PPTP16.slice(0, LCP_AT));
    neverThrows(LINKTYPE.ETHERNET, PPTP16.slice(0, LCP_AT + 4));
  });
});
