import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Dissection } from './index.js';
import type { Packet } from './packet.js';
import { fieldByAbbrev } from './fields.js';
import { formatLabel, formatValue } from '../output/format.js';
import { LINKTYPE } from './linktypes.js';

// Expected values were checked with tshark 4.0.17 on the same frames.

const hex = (s: string): Uint8Array =>
  Uint8Array.from(s.replace(/\s+/g, '').match(/../g) ?? [], (b) => parseInt(b, 16));

function dissect(linkType: number, bytes: Uint8Array, origLen = bytes.length): Packet {
  const d = new Dissection({ full: true });
  return d.dissect({ data: bytes, tsSec: 0, tsNsec: 0, capLen: bytes.length, origLen, linkType, interfaceId: 0 });
}

function field(p: Packet, abbrev: string): string {
  const id = fieldByAbbrev(abbrev)?.id;
  const out: string[] = [];
  for (let i = 0; i < p.tree.count; i++) if (p.tree.field[i] === id) out.push(formatValue(p, i));
  return out.join(',');
}

function label(p: Packet, abbrev: string): string {
  const i = p.tree.find(fieldByAbbrev(abbrev)?.id ?? -2);
  return i < 0 ? '' : formatLabel(p, i);
}

/** Random bytes after `prefix`, cut anywhere, never make a dissector throw. */
function neverThrows(linkType: number, prefix: Uint8Array): void {
  const d = new Dissection({ full: true });
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 100 }), fc.nat(140), (body, cut) => {
      const f = new Uint8Array(prefix.length + body.length);
      f.set(prefix);
      f.set(body, prefix.length);
      const data = f.subarray(0, Math.min(f.length, cut));
      const p = d.dissect({
        data,
        tsSec: 0,
        tsNsec: 0,
        capLen: data.length,
        origLen: f.length,
        linkType,
        interfaceId: 0,
      });
      expect(p.experts.some((e) => e.message.startsWith('Dissector error'))).toBe(false);
    }),
  );
}

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
