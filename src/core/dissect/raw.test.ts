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
