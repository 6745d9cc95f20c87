import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Dissection } from './index.js';
import type { Packet } from './packet.js';
import { LINKTYPE } from './linktypes.js';
import { hex, fieldText as field, labelText as label } from './test-support.js';

// Expected values were checked with tshark 4.0.17 on the same frames.

function dissect(bytes: Uint8Array, origLen = bytes.length): Packet {
  const d = new Dissection({ full: true });
  return d.dissect({
    data: bytes,
    tsSec: 0,
    tsNsec: 0,
    capLen: bytes.length,
    origLen,
    linkType: LINKTYPE.ETHERNET,
    interfaceId: 0,
  });
}

const ETH = 'ffffffffffff 001122334455';
const IPV4 = '45000014 00010000 40ff0000 0a000001 0a000002';
// ARP request 172.21.79.97 → 172.21.79.100 (tcpdump's 802.1ad_QinQ.pcap, frame 1).
const ARP = '0001 0800 06 04 0001 0020d25afb3f ac154f61 000000000000 ac154f64';

describe('802.1Q VLAN', () => {
  it('dissects a tag with priority, DEI and ID and hands the payload on by EtherType', () => {
    // ff:ff:ff:ff:ff:ff < 00:11:22:33:44:55, 802.1Q vlan#123 P5, IPv4 10.0.0.1 > 10.0.0.2
    const p = dissect(hex(`${ETH} 8100 a07b 0800 ${IPV4}`));
    expect(p.protocols()).toBe('eth:ethertype:vlan:ethertype:ip');
    expect(field(p, 'vlan.priority')).toBe('5');
    expect(field(p, 'vlan.dei')).toBe('0');
    expect(field(p, 'vlan.id')).toBe('123');
    expect(field(p, 'vlan.etype')).toBe('0x0800');
    expect(label(p, 'vlan')).toBe('802.1Q Virtual LAN, PRI: 5, DEI: 0, ID: 123');
    expect(label(p, 'vlan.priority')).toBe('101. .... .... .... = Priority: Voice, < 10ms latency and jitter (5)');
    expect(label(p, 'vlan.dei')).toBe('...0 .... .... .... = DEI: Ineligible');
    expect(label(p, 'vlan.id')).toBe('.... 0000 0111 1011 = ID: 123');
  });

  it('shows its own Protocol and Info when nothing above replaces them', () => {
    const p = dissect(hex(`${ETH} 8100 a07b 1234 deadbeef`));
    expect(p.protocols()).toBe('eth:ethertype:vlan:ethertype:data');
    expect(p.infoCol).toBe('PRI: 5  DEI: 0  ID: 123');
  });

  it('dissects 802.1ad + 802.1Q (QinQ) with padding up to 60 bytes and a vlan.trailer after', () => {
    // 802.1ad vlan#200, 802.1Q vlan#2001, ARP, 10 bytes of zero padding, 4-byte trailer
    const p = dissect(hex(`${ETH} 88a8 00c8 8100 07d1 0806 ${ARP} ${'00'.repeat(10)} 00000000`));
    expect(p.protocols()).toBe('eth:ethertype:ieee8021ad:ethertype:vlan:ethertype:arp');
    expect(field(p, 'ieee8021ad.id')).toBe('200');
    expect(field(p, 'ieee8021ah.etype')).toBe('0x8100');
    expect(label(p, 'ieee8021ad')).toBe('IEEE 802.1ad, ID: 200');
    expect(field(p, 'vlan.id')).toBe('2001');
    expect(field(p, 'eth.padding')).toBe('00000000000000000000');
    expect(field(p, 'vlan.trailer')).toBe('00000000');
    expect(p.protocolCol).toBe('ARP');
  });

  it('gives 802.1ad its own Protocol and Info texts', () => {
    const p = dissect(hex(`${ETH} 88a8 a0c8 1234 0102`));
    expect(p.protocols()).toBe('eth:ethertype:ieee8021ad:ethertype:data');
    expect(p.infoCol).toBe('PRI: 5  DROP: 0 ID: 200');
  });

  it('treats 0x9100 as an 802.1Q tag (old QinQ)', () => {
    const p = dissect(hex(`${ETH} 9100 0001 8100 0002 0800 ${IPV4}`));
    expect(p.protocols()).toBe('eth:ethertype:vlan:ethertype:vlan:ethertype:ip');
    expect(field(p, 'vlan.id')).toBe('1,2');
  });

  it('hands an 802.3 length to LLC and shows the bytes past it as vlan.trailer', () => {
    // vlan#123, length 16: LLC SNAP, IPv4 (cut by the length), 12 bytes of trailer
    const p = dissect(hex(`${ETH} 8100 007b 0010 aaaa03 000000 0800 ${IPV4}`));
    expect(p.protocols()).toBe('eth:ethertype:vlan:llc:ip');
    expect(field(p, 'vlan.len')).toBe('16');
    expect(field(p, 'vlan.trailer')).toBe('40ff00000a0000010a000002');
  });

  it('flags a length that goes past the end of the frame', () => {
    const p = dissect(hex(`${ETH} 8100 007b 0030 424203 0000000000`));
    expect(p.protocols()).toBe('eth:ethertype:vlan:llc:stp');
    expect(p.experts.map((e) => e.name)).toContain('vlan.len.past_end');
    expect(p.experts[0].message).toBe('Length field value goes past the end of the payload');
  });

  it('stops after 20 nested tags', () => {
    const p = dissect(hex(`${ETH} ${'81000001'.repeat(25)} 0800 ${IPV4}`));
    expect(
      p
        .protocols()
        .split(':')
        .filter((l) => l === 'vlan').length,
    ).toBe(21);
    expect(field(p, 'vlan.id').split(',').length).toBe(20);
    expect(p.experts.map((e) => e.message)).toEqual(['Too many nested VLAN tags']);
  });

  it('marks a cut-off tag malformed', () => {
    const p = dissect(hex(`${ETH} 8100 00`));
    expect(p.protocols()).toBe('eth:ethertype:vlan');
    expect(p.protocolCol).toBe('VLAN');
    expect(p.infoCol).toBe('[Malformed Packet]');
    expect(p.malformedCount).toBe(1);
  });

  it('marks a tag cut by the snapshot length as truncated, not malformed', () => {
    const full = hex(`${ETH} 8100 007b 0800 ${IPV4}`);
    const p = dissect(full.subarray(0, 16), full.length);
    expect(p.truncatedCount).toBe(1);
    expect(p.malformedCount).toBe(0);
  });

  it('never throws on random tag contents or truncations', () => {
    const d = new Dissection({ full: true });
    fc.assert(
      fc.property(
        fc.constantFrom(0x8100, 0x88a8, 0x9100),
        fc.uint8Array({ maxLength: 120 }),
        fc.nat(200),
        (type, body, cut) => {
          const frame = new Uint8Array(14 + body.length);
          frame.set(hex(ETH));
          frame[12] = type >> 8;
          frame[13] = type & 0xff;
          frame.set(body, 14);
          const data = frame.subarray(0, Math.min(frame.length, 14 + cut));
          const p = d.dissect({
            data,
            tsSec: 0,
            tsNsec: 0,
            capLen: data.length,
            origLen: frame.length,
            linkType: 1,
            interfaceId: 0,
          });
          expect(p.experts.some((e) => e.message.startsWith('Dissector error'))).toBe(false);
        },
      ),
    );
  });
});
