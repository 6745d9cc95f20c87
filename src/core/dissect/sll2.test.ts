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

describe('Linux cooked capture v2', () => {
  it('dissects the reordered header with the interface index (zeek linux_dlt_sll2.pcap)', () => {
    // ARP on interface 26, sent by us from 8e:36:06:44:ac:af
    const arp = '0001 0800 06 04 0001 8e360644acaf c0000201 000000000000 c0000202';
    const p = dissect(LINKTYPE.LINUX_SLL2, hex(`0806 0000 0000001a 0001 04 06 8e360644acaf 0000 ${arp}`));
    expect(p.protocols()).toBe('sll:ethertype:arp');
    expect(field(p, 'sll.etype')).toBe('0x0806');
    expect(field(p, 'sll.ifindex')).toBe('26');
    expect(field(p, 'sll.hatype')).toBe('1');
    expect(field(p, 'sll.pkttype')).toBe('4');
    expect(field(p, 'sll.halen')).toBe('6');
    expect(field(p, 'sll.src.eth')).toBe('8e:36:06:44:ac:af');
    expect(label(p, 'sll')).toBe('Linux cooked capture v2');
    expect(p.srcCol).toBe('8e:36:06:44:ac:af');
    expect(p.infoCol).toBe('Who has 192.0.2.2? Tell 192.0.2.1');
    // The protocol item comes first, as in Wireshark's tree.
    expect(p.tree.abbrevOf(p.tree.find(fieldByAbbrev('sll')?.id ?? -1) + 1)).toBe('sll.etype');
  });

  it("mirrors Wireshark 4.0's Info, which reads packet type and address length as one number", () => {
    const p = dissect(LINKTYPE.LINUX_SLL2, hex('1234 0000 00000002 0001 04 06 001122334455 0000 01020304'));
    expect(p.protocols()).toBe('sll:ethertype:data');
    expect(p.infoCol).toBe('Unknown (1030)');
  });

  it('hands Linux protocol numbers on as v1 does', () => {
    const p = dissect(
      LINKTYPE.LINUX_SLL2,
      hex(`0004 0000 00000002 0001 04 06 001122334455 0000 aaaa03 000000 0800 ${IPV4}`),
    );
    expect(p.protocols()).toBe('sll:llc:ip');
    expect(field(p, 'sll.ltype')).toBe('0x0004');
  });

  it('marks a cut header malformed', () => {
    const p = dissect(LINKTYPE.LINUX_SLL2, hex('0800 0000 00000002 0001 04 06 00112233'));
    expect(p.protocols()).toBe('sll');
    expect(field(p, 'sll.etype')).toBe('0x0800');
    expect(field(p, 'sll.ifindex')).toBe('2');
    expect(p.infoCol).toBe('Unknown (1030)[Malformed Packet]');
  });

  it('never throws on random bytes', () => {
    neverThrows(LINKTYPE.LINUX_SLL2, new Uint8Array(0));
    neverThrows(LINKTYPE.LINUX_SLL2, hex('0800 0000 00000002 0001 04 06 001122334455 0000'));
  });
});
