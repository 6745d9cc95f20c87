import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Dissection } from './index.js';
import type { Packet } from './packet.js';
import { formatLabel, formatValue } from '../output/format.js';
import { LINKTYPE } from './linktypes.js';
import { hex } from './test-support.js';

// Expected values were checked with tshark 4.0.17 on the same frames.

const ETH = 'ffffffffffff 001122334455';

/** ARP in an Ethernet frame: hardware 1, protocol 0x0800, sizes 6/4. */
function arp(op: number, sha: string, spa: string, tha: string, tpa: string, ethertype = '0806'): string {
  return `${ETH} ${ethertype} 0001 0800 06 04 ${op.toString(16).padStart(4, '0')} ${sha} ${spa} ${tha} ${tpa}`;
}

function dissectAll(frames: string[]): Packet[] {
  const d = new Dissection({ full: true });
  return frames.map((f, i) => {
    const data = hex(f);
    const p = d.dissect({
      data,
      tsSec: 1000 + i,
      tsNsec: 0,
      capLen: data.length,
      origLen: data.length,
      linkType: LINKTYPE.ETHERNET,
      interfaceId: 0,
    });
    return snapshot(p);
  });
}

/** The Packet object is reused, so keep what the tests look at. */
function snapshot(p: Packet): Packet {
  const copy = Object.create(p) as Packet;
  const fields = new Map<string, string[]>();
  const labels = new Map<string, string>();
  for (let i = 0; i < p.tree.count; i++) {
    const a = p.tree.abbrevOf(i);
    if (!a) continue;
    fields.set(a, [...(fields.get(a) ?? []), formatValue(p, i)]);
    if (!labels.has(a)) labels.set(a, formatLabel(p, i));
  }
  Object.assign(copy, {
    infoCol: p.infoCol,
    protocolCol: p.protocolCol,
    layersText: p.protocols(),
    experts: [...p.experts],
    malformedCount: p.malformedCount,
    truncatedCount: p.truncatedCount,
    fieldsMap: fields,
    labelsMap: labels,
  });
  return copy;
}

function field(p: Packet, abbrev: string): string {
  return ((p as unknown as { fieldsMap: Map<string, string[]> }).fieldsMap.get(abbrev) ?? []).join(',');
}

function label(p: Packet, abbrev: string): string {
  return (p as unknown as { labelsMap: Map<string, string> }).labelsMap.get(abbrev) ?? '';
}

function layers(p: Packet): string {
  return (p as unknown as { layersText: string }).layersText;
}

const MAC_A = '001122334455';
const MAC_B = '667788990011';
const ZERO_MAC = '000000000000';
const IP_1 = '0a000001';
const IP_2 = '0a000002';
const IP_9 = '0a000009';

describe('ARP', () => {
  it('dissects a request: fields, labels, Protocol and Info', () => {
    // ARP, Request who-has 10.0.0.1 tell 10.0.0.2
    const [p] = dissectAll([arp(1, MAC_A, IP_2, ZERO_MAC, IP_1)]);
    expect(layers(p)).toBe('eth:ethertype:arp');
    expect(p.protocolCol).toBe('ARP');
    expect(p.infoCol).toBe('Who has 10.0.0.1? Tell 10.0.0.2');
    expect(field(p, 'arp.hw.type')).toBe('1');
    expect(field(p, 'arp.proto.type')).toBe('0x0800');
    expect(field(p, 'arp.hw.size')).toBe('6');
    expect(field(p, 'arp.proto.size')).toBe('4');
    expect(field(p, 'arp.opcode')).toBe('1');
    expect(field(p, 'arp.src.hw_mac')).toBe('00:11:22:33:44:55');
    expect(field(p, 'arp.src.proto_ipv4')).toBe('10.0.0.2');
    expect(field(p, 'arp.dst.hw_mac')).toBe('00:00:00:00:00:00');
    expect(field(p, 'arp.dst.proto_ipv4')).toBe('10.0.0.1');
    expect(label(p, 'arp')).toBe('Address Resolution Protocol (request)');
    expect(label(p, 'arp.hw.type')).toBe('Hardware type: Ethernet (1)');
    expect(label(p, 'arp.opcode')).toBe('Opcode: request (1)');
  });

  it('writes Info for replies, gratuitous ARPs, probes and announcements', () => {
    const ps = dissectAll([
      arp(2, MAC_A, IP_1, MAC_B, IP_2),
      arp(1, MAC_A, IP_1, ZERO_MAC, IP_1),
      arp(1, MAC_A, '00000000', ZERO_MAC, IP_1),
      arp(2, MAC_A, IP_1, 'ffffffffffff', IP_1),
      arp(1, MAC_A, IP_1, 'ffffffffffff', IP_1),
    ]);
    expect(ps.map((p) => p.infoCol)).toEqual([
      '10.0.0.1 is at 00:11:22:33:44:55',
      'ARP Announcement for 10.0.0.1',
      'Who has 10.0.0.1? (ARP Probe)',
      'Gratuitous ARP for 10.0.0.1 (Reply)',
      'Gratuitous ARP for 10.0.0.1 (Request)',
    ]);
    expect(field(ps[1], 'arp.isgratuitous')).toBe('1');
    expect(field(ps[1], 'arp.isannouncement')).toBe('1');
    expect(label(ps[1], 'arp')).toBe('Address Resolution Protocol (ARP Announcement)');
    expect(label(ps[1], 'arp.isgratuitous')).toBe('[Is gratuitous: True]');
    expect(field(ps[2], 'arp.isprobe')).toBe('1');
    expect(label(ps[3], 'arp')).toBe('Address Resolution Protocol (reply/gratuitous ARP)');
  });

  it('names RARP, DRARP and Inverse ARP in the Protocol column', () => {
    const ps = dissectAll([
      arp(3, MAC_A, IP_1, MAC_A, IP_1),
      arp(4, MAC_A, IP_1, MAC_B, IP_9),
      arp(8, MAC_A, IP_1, MAC_B, IP_9),
      arp(9, MAC_A, IP_1, MAC_B, IP_9),
      arp(7, MAC_A, IP_1, MAC_B, IP_9),
      arp(10, MAC_A, IP_1, MAC_B, IP_9),
      arp(0x63, MAC_A, IP_1, MAC_B, IP_9),
      arp(3, MAC_A, IP_1, MAC_B, IP_9, '8035'),
    ]);
    expect(ps.map((p) => [p.protocolCol, p.infoCol])).toEqual([
      ['RARP', 'Who is 00:11:22:33:44:55? Tell 00:11:22:33:44:55'],
      ['RARP', '66:77:88:99:00:11 is at 10.0.0.9'],
      ['Inverse ARP', 'Who is 66:77:88:99:00:11? Tell 00:11:22:33:44:55'],
      ['Inverse ARP', '00:11:22:33:44:55 is at 10.0.0.1'],
      ['DRARP', 'DRARP Error'],
      ['ARP', 'ARP NAK'],
      ['ARP', 'Unknown ARP opcode 0x0063'],
      ['RARP', 'Who is 66:77:88:99:00:11? Tell 00:11:22:33:44:55'],
    ]);
    expect(layers(ps[7])).toBe('eth:ethertype:arp');
    expect(field(ps[4], 'arp.dst.drarp_error_status')).toBe('10');
  });

  it('flags an IP address claimed by a second MAC address', () => {
    const ps = dissectAll([arp(1, MAC_A, IP_2, ZERO_MAC, IP_1), arp(2, MAC_A, IP_1, MAC_B, IP_2)]);
    expect(ps[1].infoCol).toBe('10.0.0.1 is at 00:11:22:33:44:55 (duplicate use of 10.0.0.2 detected!)');
    expect(field(ps[1], 'arp.duplicate-address-frame')).toBe('1');
    expect(field(ps[1], 'arp.seconds-since-duplicate-address-frame')).toBe('1');
    expect(ps[1].experts.map((e) => e.message)).toEqual(['Duplicate IP address configured (10.0.0.2)']);
  });

  it('shows the bytes after the ARP packet as a trailer', () => {
    const [p] = dissectAll([`${arp(2, MAC_A, IP_1, MAC_B, IP_2)} c0a80072`]);
    expect(field(p, 'eth.trailer')).toBe('c0a80072');
  });

  it('uses byte fields for addresses that are not Ethernet/IPv4', () => {
    const [p] = dissectAll([`${ETH} 0806 0006 86dd 02 02 0001 aaaa 1111 bbbb 2222`]);
    expect(field(p, 'arp.src.hw')).toBe('aaaa');
    expect(field(p, 'arp.src.proto')).toBe('1111');
    expect(p.infoCol).toBe('Who has 2222? Tell 1111');
  });

  it('marks a packet shorter than its address sizes malformed, and a cut one truncated', () => {
    const [short] = dissectAll([`${ETH} 0806 0001 0800 06 04 0001 001122`]);
    expect(short.malformedCount).toBe(1);
    expect(short.infoCol).toBe('[Malformed Packet]');
    const full = hex(arp(1, MAC_A, IP_2, ZERO_MAC, IP_1));
    const d = new Dissection({ full: true });
    const cut = d.dissect({
      data: full.subarray(0, 30),
      tsSec: 0,
      tsNsec: 0,
      capLen: 30,
      origLen: full.length,
      linkType: 1,
      interfaceId: 0,
    });
    expect(cut.truncatedCount).toBe(1);
    expect(cut.malformedCount).toBe(0);
  });

  it('never throws on random ARP bytes', () => {
    const d = new Dissection({ full: true });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), fc.boolean(), (body, rarp) => {
        const f = new Uint8Array(14 + body.length);
        f.set(hex(`${ETH} ${rarp ? '8035' : '0806'}`));
        f.set(body, 14);
        const p = d.dissect({
          data: f,
          tsSec: 0,
          tsNsec: 0,
          capLen: f.length,
          origLen: f.length,
          linkType: 1,
          interfaceId: 0,
        });
        expect(p.experts.some((e) => e.message.startsWith('Dissector error'))).toBe(false);
      }),
    );
  });
});
