import { describe, expect, it } from 'vitest';
import { fieldByAbbrev } from './fields.js';
import { LINKTYPE } from './linktypes.js';
import { hex, fieldText as field, labelText as label, dissectBytes as dissect, neverThrows } from './test-support.js';

// Expected values were checked with tshark 4.0.17 on the same frames.

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
