import { describe, expect, it } from 'vitest';
import { LINKTYPE } from './linktypes.js';
import { hex, fieldText as field, labelText as label, dissectBytes as dissect, neverThrows } from './test-support.js';

// Expected values were checked with tshark 4.0.17 on the same frames.

const IPV4 = '45000014 00010000 40ff0000 0a000001 0a000002';
const IPV6 = '6000000000003b40 00000000000000000000000000000001 00000000000000000000000000000000';

describe('Raw IP', () => {
  it('picks IPv4 or IPv6 by the version nibble under a raw layer (link types 101, 12, 14)', () => {
    for (const lt of [LINKTYPE.RAW, LINKTYPE.RAW_12, LINKTYPE.RAW_14]) {
      expect(dissect(lt, hex(IPV4)).protocols()).toBe('raw:ip');
      expect(dissect(lt, hex(IPV6)).protocols()).toBe('raw:ipv6');
    }
    const p = dissect(LINKTYPE.RAW, hex(IPV4));
    expect(label(p, 'raw')).toBe('Raw packet data');
    expect(field(p, 'raw')).toBe('1');
  });

  it('shows something that is not IP as data with N/A columns', () => {
    const p = dissect(LINKTYPE.RAW, hex('5000000000000000 0102'));
    expect(p.protocols()).toBe('raw:data');
    expect([p.srcCol, p.dstCol, p.protocolCol, p.infoCol]).toEqual(['N/A', 'N/A', 'N/A', 'Raw packet data']);
  });

  it('follows the Linux PPP driver heuristics', () => {
    expect(dissect(LINKTYPE.RAW, hex(`ff030021 ${IPV4}`)).protocols()).toBe('raw:ppp:ip');
    expect(dissect(LINKTYPE.RAW, hex(`ab0000000000 ff030021 ${IPV4}`)).protocols()).toBe('raw:ppp:ip');
    expect(dissect(LINKTYPE.RAW, hex(`${'00'.repeat(10)} ${IPV4}`)).protocols()).toBe('raw:ip');
  });

  it('marks fewer than 8 bytes malformed, as Wireshark reads that far for its heuristics', () => {
    const p = dissect(LINKTYPE.RAW, hex('45000014000100'));
    expect(p.protocols()).toBe('raw');
    expect(p.infoCol).toBe('Raw packet data[Malformed Packet]');
  });

  it('hands LINKTYPE_IPV4 and LINKTYPE_IPV6 to IP with no layer of their own', () => {
    expect(dissect(LINKTYPE.IPV4, hex(IPV4)).protocols()).toBe('ip');
    expect(dissect(LINKTYPE.IPV6, hex(IPV6)).protocols()).toBe('ipv6');
  });

  it('never throws on random bytes', () => {
    for (const lt of [LINKTYPE.RAW, LINKTYPE.IPV4, LINKTYPE.IPV6]) neverThrows(lt, new Uint8Array(0));
  });
});
