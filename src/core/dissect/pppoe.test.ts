import { describe, expect, it } from 'vitest';
import { fieldByAbbrev } from './fields.js';
import { LINKTYPE } from './linktypes.js';
import { hex, fieldText as field, labelText as label, dissectBytes as dissect, neverThrows } from './test-support.js';

// Expected values were checked with tshark 4.0.17 on the same frames.

const IPV4 = '45000014 00010000 40ff0000 0a000001 0a000002';

const ETH = 'ffffffffffff 001122334455';

describe('PPPoE session', () => {
  it('dissects the header and PPP inside (pcapplusplus one_http_stream_rst.pcap shape)', () => {
    // PPPoE [ses 0xdde5] IP 10.0.0.1 > 10.0.0.2
    const p = dissect(LINKTYPE.ETHERNET, hex(`${ETH} 8864 11 00 dde5 0016 0021 ${IPV4}`));
    expect(p.protocols()).toBe('eth:ethertype:pppoes:ppp:ip');
    expect(field(p, 'pppoe.version')).toBe('1');
    expect(field(p, 'pppoe.type')).toBe('1');
    expect(field(p, 'pppoe.code')).toBe('0x00');
    expect(field(p, 'pppoe.session_id')).toBe('0xdde5');
    expect(field(p, 'pppoe.payload_length')).toBe('22');
    expect(field(p, 'ppp.protocol')).toBe('0x0021');
    expect(label(p, 'pppoes')).toBe('PPP-over-Ethernet Session');
    expect(label(p, 'pppoe.code')).toBe('Code: Session Data (0x00)');
    expect(p.tree.length[p.tree.find(fieldByAbbrev('ppp')?.id ?? -1)]).toBe(2);
  });

  it('works under VLAN tags', () => {
    const p = dissect(LINKTYPE.ETHERNET, hex(`${ETH} 8100 03ab 8100 02e8 8864 1100 dde5 0016 0021 ${IPV4}`));
    expect(p.protocols()).toBe('eth:ethertype:vlan:ethertype:vlan:ethertype:pppoes:ppp:ip');
  });

  it('warns about a payload length that disagrees with more than 40 bytes of payload', () => {
    const pad = '00'.repeat(19);
    const p = dissect(LINKTYPE.ETHERNET, hex(`${ETH} 8864 1100 1234 0016 0021 ${IPV4} ${pad}`));
    expect(p.experts.map((e) => e.message)).toEqual(['Possible bad payload length 22 != 41']);
    expect(label(p, 'pppoe.payload_length')).toBe('Payload Length: 22 [incorrect, should be 41]');
    const padded = dissect(LINKTYPE.ETHERNET, hex(`${ETH} 8864 1100 1234 0016 0021 ${IPV4} ${'00'.repeat(18)}`));
    expect(padded.experts).toEqual([]);
  });

  it('limits PPP to the payload length', () => {
    const p = dissect(LINKTYPE.ETHERNET, hex(`${ETH} 8864 1100 1234 0010 0021 ${IPV4}`));
    expect(p.protocols()).toBe('eth:ethertype:pppoes:ppp:ip');
    expect(p.malformedCount).toBeGreaterThan(0);
  });

  it('marks a cut header malformed with the code in Info', () => {
    const p = dissect(LINKTYPE.ETHERNET, hex(`${ETH} 8864 1100 12`));
    expect(p.protocols()).toBe('eth:ethertype:pppoes');
    expect(p.protocolCol).toBe('PPPoES');
    expect(p.infoCol).toBe('Session Data[Malformed Packet]');
  });

  it('never throws on random bytes', () => {
    neverThrows(LINKTYPE.ETHERNET, hex(`${ETH} 8864`));
    neverThrows(LINKTYPE.ETHERNET, hex(`${ETH} 8863`));
  });
});

describe('PPPoE discovery', () => {
  it('dissects a PADI with its tags', () => {
    const p = dissect(LINKTYPE.ETHERNET, hex(`${ETH} 8863 1109 0000 000c 0101 0000 0103 0004 deadbeef`));
    expect(p.protocols()).toBe('eth:ethertype:pppoed');
    expect(p.protocolCol).toBe('PPPoED');
    expect(p.infoCol).toBe('Active Discovery Initiation (PADI)');
    expect(field(p, 'pppoed.tags.host_uniq')).toBe('deadbeef');
    expect(field(p, 'pppoed.tags.service_name')).toBe('');
  });

  it('names the access concentrator of a PADO in Info', () => {
    const p = dissect(LINKTYPE.ETHERNET, hex(`${ETH} 8863 1107 0000 0016 0101 0003 616263 0102 0003 414243 0000 0000`));
    expect(p.infoCol).toBe("Active Discovery Offer (PADO) AC-Name='ABC'");
    expect(field(p, 'pppoed.tags.service_name')).toBe('abc');
    expect(field(p, 'pppoed.tags.ac_name')).toBe('ABC');
  });

  it('marks a tag running past the frame malformed', () => {
    const p = dissect(LINKTYPE.ETHERNET, hex(`${ETH} 8863 1109 0000 0010 0101 0000 0103 0010 deadbeef`));
    expect(p.infoCol).toBe('Active Discovery Initiation (PADI)[Malformed Packet]');
  });
});
