import { describe, expect, it } from 'vitest';
import { fieldByAbbrev } from './fields.js';
import { LINKTYPE } from './linktypes.js';
import { hex, fieldText as field, labelText as label, dissectBytes as dissect, neverThrows } from './test-support.js';

// Expected values were checked with tshark 4.0.17 on the same frames.

const IPV4 = '45000014 00010000 40ff0000 0a000001 0a000002';

describe('PPP', () => {
  it('dissects HDLC-framed PPP (LINKTYPE_PPP) with address, control and protocol', () => {
    const p = dissect(LINKTYPE.PPP, hex(`ff030021 ${IPV4}`));
    expect(p.protocols()).toBe('ppp:ip');
    expect(field(p, 'ppp.address')).toBe('0xff');
    expect(field(p, 'ppp.control')).toBe('0x03');
    expect(field(p, 'ppp.protocol')).toBe('0x0021');
    expect(label(p, 'ppp.protocol')).toBe('Protocol: Internet Protocol version 4 (0x0021)');
    expect(p.tree.length[p.tree.find(fieldByAbbrev('ppp')?.id ?? -1)]).toBe(4);
  });

  it('accepts compressed address/control and a one-byte protocol field', () => {
    expect(dissect(LINKTYPE.PPP, hex(`0021 ${IPV4}`)).protocols()).toBe('ppp:ip');
    const p = dissect(LINKTYPE.PPP, hex(`21 ${IPV4}`));
    expect(p.protocols()).toBe('ppp:ip');
    expect(field(p, 'ppp.protocol')).toBe('0x0021');
  });

  it('names an undissected protocol in Protocol and Info', () => {
    const p = dissect(LINKTYPE.PPP, hex('ff03 1234 0102'));
    expect(p.protocols()).toBe('ppp:data');
    expect(p.protocolCol).toBe('0x1234');
    expect(p.infoCol).toBe('PPP Unknown (0x1234)');
    expect([p.srcCol, p.dstCol]).toEqual(['N/A', 'N/A']);
    const cisco = dissect(LINKTYPE.PPP, hex('ff03 0041 0102'));
    expect(cisco.infoCol).toBe('PPP Cisco Systems (0x0041)');
  });

  it('marks a cut header malformed', () => {
    const p = dissect(LINKTYPE.PPP, hex('ff03'));
    expect(p.protocols()).toBe('ppp');
    expect(p.protocolCol).toBe('PPP');
    expect(p.infoCol).toBe('[Malformed Packet]');
  });

  it('never throws on random bytes', () => {
    neverThrows(LINKTYPE.PPP, new Uint8Array(0));
    neverThrows(LINKTYPE.PPP, hex('ff03'));
  });
});
