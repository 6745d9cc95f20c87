import { describe, expect, it } from 'vitest';
import { LINKTYPE } from './linktypes.js';
import { hex, fieldText as field, labelText as label, dissectBytes as dissect, neverThrows } from './test-support.js';

// Expected values were checked with tshark 4.0.17 on the same frames.

const IPV4 = '45000014 00010000 40ff0000 0a000001 0a000002';
const IPV6 = '6000000000003b40 00000000000000000000000000000001 00000000000000000000000000000000';

describe('BSD loopback (NULL)', () => {
  it('reads the family in either byte order', () => {
    for (const h of ['02000000', '00000002']) {
      const p = dissect(LINKTYPE.NULL, hex(`${h} ${IPV4}`));
      expect(p.protocols()).toBe('null:ip');
      expect(field(p, 'null.family')).toBe('2');
      expect(label(p, 'null.family')).toBe('Family: IP (2)');
      expect(label(p, 'null')).toBe('Null/Loopback');
    }
  });

  it('knows the BSD, FreeBSD and Darwin IPv6 families', () => {
    for (const [h, family] of [
      ['18000000', '24'],
      ['0000001c', '28'],
      ['1e000000', '30'],
    ]) {
      const p = dissect(LINKTYPE.NULL, hex(`${h} ${IPV6}`));
      expect(p.protocols()).toBe('null:ipv6');
      expect(field(p, 'null.family')).toBe(family);
    }
  });

  it('reads IRIX snoop headers and old Linux EtherType headers', () => {
    const irix = dissect(LINKTYPE.NULL, hex(`00020000 ${IPV4}`));
    expect(field(irix, 'null.family')).toBe('2');
    for (const h of ['00080000', '00000800']) {
      const linux = dissect(LINKTYPE.NULL, hex(`${h} ${IPV4}`));
      expect(linux.protocols()).toBe('null:ip');
      expect(field(linux, 'null.type')).toBe('0x0800');
    }
  });

  it('shows an unknown family as data with N/A columns', () => {
    const p = dissect(LINKTYPE.NULL, hex('63000000 01'));
    expect(p.protocols()).toBe('null:data');
    expect(field(p, 'null.family')).toBe('99');
    expect([p.srcCol, p.dstCol, p.protocolCol, p.infoCol]).toEqual(['N/A', 'N/A', 'N/A', 'Null/Loopback']);
  });

  it('hands PPP in HDLC framing to PPP', () => {
    const p = dissect(LINKTYPE.NULL, hex(`ff030021 ${IPV4}`));
    expect(p.protocols()).toBe('null:ppp:ip');
  });

  it('marks a cut header malformed', () => {
    const p = dissect(LINKTYPE.NULL, hex('0200'));
    expect(p.protocols()).toBe('null');
    expect(p.infoCol).toBe('Null/Loopback[Malformed Packet]');
  });

  it('never throws on random bytes', () => {
    neverThrows(LINKTYPE.NULL, new Uint8Array(0));
    neverThrows(LINKTYPE.NULL, hex('02000000'));
    neverThrows(LINKTYPE.LOOP, new Uint8Array(0));
  });
});

describe('OpenBSD loopback (LOOP)', () => {
  it('reads the family in network byte order only', () => {
    const p = dissect(LINKTYPE.LOOP, hex(`00000002 ${IPV4}`));
    expect(p.protocols()).toBe('null:ip');
    const swapped = dissect(LINKTYPE.LOOP, hex(`02000000 ${IPV4}`));
    expect(swapped.protocols()).toBe('null:data');
    expect(field(swapped, 'null.family')).toBe('33554432');
    const v6 = dissect(LINKTYPE.LOOP, hex(`00000018 ${IPV6}`));
    expect(v6.protocols()).toBe('null:ipv6');
  });
});
