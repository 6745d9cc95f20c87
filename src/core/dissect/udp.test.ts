import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Dissection } from './index.js';
import type { Packet } from './packet.js';
import { fieldByAbbrev } from './fields.js';
import { udpPortTable } from './tables.js';
import { dissectUdp, udpPreferences } from './udp.js';
import { transportChecksum } from './checksum.js';
import { etherUdpFrame, frameOf, hex, fieldText as field, labelText as label } from './test-support.js';
import { detailsText } from '../output/details.js';
import { needsTcpAnalysis } from '../analysis/tcp-needs.js';

// Test packets are UDP datagrams only: the tests play the IP layer (addresses, reported end).
// Expected values were checked with tshark 4.0.17 on the same datagrams inside IPv4/IPv6
// 192.168.0.1 → 192.168.0.2 and 2001:db8::1 → 2001:db8::2.

interface Run {
  reported?: number;
  captured?: number;
  ipv6?: boolean;
  inErrorPacket?: boolean;
}

/** Item i's custom label (the details-tree text the dissector set). */
function formatLabel(p: Packet, i: number): string {
  return p.tree.label[i] ?? '';
}

const dissection = new Dissection({ full: true });

function run(datagram: Uint8Array, o: Run = {}): Packet {
  const p = dissection.packet;
  const data = datagram.subarray(0, o.captured ?? datagram.length);
  p.begin(data);
  p.addLayer('ip');
  if (o.ipv6) {
    p.netType = 6;
    p.netSrc6 = hex('20010db8000000000000000000000001');
    p.netDst6 = hex('20010db8000000000000000000000002');
  } else {
    p.netType = 4;
    p.netSrc4 = 0xc0a80001;
    p.netDst4 = 0xc0a80002;
  }
  p.inErrorPacket = o.inErrorPacket ?? false;
  dissectUdp(p, data, 0, o.reported ?? datagram.length);
  return p;
}

const experts = (p: Packet): string[] => p.experts.map((e) => e.message);

// 192.168.0.1.40000 > 192.168.0.2.40001: UDP, length 4 ("abcd"), checksum 0x8139 (correct)
const DATAGRAM = hex('9c40 9c41 000c 8139 6162 6364');

afterEach(() => {
  udpPreferences.checkChecksum = false;
});

describe('UDP', () => {
  it('shows ports, length and an unverified checksum, and hands the payload to data', () => {
    const p = run(DATAGRAM);
    expect(p.protocols()).toBe('ip:udp:data');
    expect(p.protocolCol).toBe('UDP');
    expect(p.infoCol).toBe('40000 \u2192 40001 Len=4');
    expect(field(p, 'udp.srcport')).toBe('40000');
    expect(field(p, 'udp.dstport')).toBe('40001');
    expect(field(p, 'udp.port')).toBe('40000,40001');
    expect(field(p, 'udp.length')).toBe('12');
    expect(field(p, 'udp.checksum')).toBe('0x8139');
    expect(field(p, 'udp.checksum.status')).toBe('2');
    expect(field(p, 'udp.payload')).toBe('61626364');
    expect(field(p, 'data.data')).toBe('61626364');
    expect(p.srcPort).toBe(40000);
    expect(p.dstPort).toBe(40001);
    expect(p.ipProto).toBe(17);
    const top = p.tree.find(fieldByAbbrev('udp')!.id);
    expect(formatLabel(p, top)).toBe('User Datagram Protocol, Src Port: 40000, Dst Port: 40001');
    expect(label(p, 'udp.payload')).toBe('UDP payload (4 bytes)');
  });

  it('stops at a length below 8', () => {
    const p = run(hex('9c40 9c41 0004 8139 6162 6364'));
    expect(p.infoCol).toBe('40000 \u2192 40001 [BAD UDP LENGTH 4 < 8]');
    expect(experts(p)).toEqual(['Bad length value 4 < 8']);
    expect(label(p, 'udp.length')).toBe('Length: 4 (bogus, must be >= 8)');
    expect(p.protocols()).toBe('ip:udp');
    expect(field(p, 'udp.checksum')).toBe('');
  });

  it('flags a length past the IP payload, then fails reading the missing payload', () => {
    const p = run(hex('9c40 9c41 0014 8139 6162 6364'));
    expect(p.infoCol).toBe('40000 \u2192 40001 [BAD UDP LENGTH 20 > IP PAYLOAD LENGTH] Len=12');
    expect(field(p, 'udp.payload')).toBe('61626364');
    // With no payload byte left at all, the payload item itself is past the end.
    const q = run(hex('9c40 9c41 000a 8139'));
    expect(q.infoCol).toBe('40000 \u2192 40001 [BAD UDP LENGTH 10 > IP PAYLOAD LENGTH] Len=2[Malformed Packet]');
  });

  it('ends the payload where the UDP length says, while udp.payload shows all captured bytes', () => {
    const p = run(hex('9c40 9c41 000a 8139 6162 6364 6566 6768'));
    expect(p.infoCol).toBe('40000 \u2192 40001 Len=2');
    expect(field(p, 'udp.payload')).toBe('6162636465666768');
    expect(field(p, 'data.data')).toBe('6162');
    expect(label(p, 'udp.payload')).toBe('UDP payload (2 bytes)');
  });

  it('treats a zero checksum as absent over IPv4 and illegal over IPv6', () => {
    const zero = hex('9c40 9c41 000c 0000 6162 6364');
    const p = run(zero);
    expect(field(p, 'udp.checksum.status')).toBe('3');
    expect(label(p, 'udp.checksum')).toBe('Checksum: 0x0000 [zero-value ignored]');
    const q = run(zero, { ipv6: true });
    expect(field(q, 'udp.checksum.status')).toBe('4');
    expect(q.infoCol).toBe('40000 \u2192 40001 Len=4 [ILLEGAL CHECKSUM (0)]');
    expect(experts(q)).toEqual(['Illegal checksum value (0)']);
  });

  it('verifies the checksum over the IPv4 and IPv6 pseudo-headers on request', () => {
    udpPreferences.checkChecksum = true;
    expect(field(run(DATAGRAM), 'udp.checksum.status')).toBe('1');
    const bad = run(hex('9c40 9c41 000c 1234 6162 6364'));
    expect(field(bad, 'udp.checksum.status')).toBe('0');
    expect(field(bad, 'udp.checksum_calculated')).toBe('0x8139');
    expect(bad.infoCol).toBe('40000 \u2192 40001 Len=4 [UDP CHECKSUM INCORRECT]');
    expect(experts(bad)).toEqual(['Bad checksum [should be 0x8139]']);
    // 2001:db8::1.5000 > 2001:db8::2.6000, checksum 0xb4a2 (correct)
    const v6 = run(hex('1388 1770 000c b4a2 6162 6364'), { ipv6: true });
    expect(field(v6, 'udp.checksum.status')).toBe('1');
    expect(field(v6, 'udp.checksum_calculated')).toBe('0xb4a2');
  });

  it('reads a zero length over IPv6 as a jumbogram', () => {
    udpPreferences.checkChecksum = true;
    const p = run(hex('1388 1770 0000 a479 6162 6364'), { ipv6: true });
    expect(p.infoCol).toBe('5000 \u2192 6000 Len=4 [Jumbogram] [UDP CHECKSUM INCORRECT]');
    expect(field(p, 'udp.checksum_calculated')).toBe('0xb4ae');
    expect(experts(p)).toEqual(['Length is zero but payload < 65536', 'Bad checksum [should be 0xb4ae]']);
  });

  it('notes a possible traceroute probe', () => {
    const p = run(hex('829b 1770 000c 1fb0 6162 6364'));
    expect(experts(p)).toEqual(['Possible traceroute: hop #1, attempt #1']);
  });

  it('marks a header cut by the snapshot length after the ports', () => {
    const p = run(DATAGRAM, { captured: 4 });
    expect(p.infoCol).toBe('40000 \u2192 40001[Packet size limited during capture]');
    expect(field(p, 'udp.srcport')).toBe('40000');
    expect(field(p, 'udp.length')).toBe('');
    expect(p.truncatedCount).toBe(1);
    // The payload's first byte not captured is a truncation too.
    const q = run(DATAGRAM, { captured: 8 });
    expect(q.infoCol).toBe('40000 \u2192 40001 Len=4[Packet size limited during capture]');
  });

  it('is malformed when the IP payload ends inside the header', () => {
    const p = run(DATAGRAM, { reported: 6 });
    expect(p.infoCol).toBe('40000 \u2192 40001 [BAD UDP LENGTH 12 > IP PAYLOAD LENGTH] Len=4[Malformed Packet]');
    expect(field(p, 'udp.length')).toBe('12');
  });

  it('quietly shows what an ICMP error quote holds', () => {
    const p = run(hex('14e9 0035 0028 abcd'), { inErrorPacket: true, reported: 8 });
    expect(field(p, 'udp.length')).toBe('40');
    expect(field(p, 'udp.checksum.status')).toBe('2');
    expect(experts(p)).toEqual([]);
    expect(p.infoCol).toBe('');
    expect(p.protocols()).toBe('ip:udp');
    expect(p.srcPort).toBe(-1);
  });

  it('tries the lower port first, then the higher one', () => {
    const seen: string[] = [];
    udpPortTable.add(40001, (p) => {
      seen.push('40001');
      p.addLayer('high');
    });
    expect(run(DATAGRAM).protocols()).toBe('ip:udp:high');
    udpPortTable.add(40000, (p) => {
      seen.push('40000');
      p.addLayer('low');
    });
    expect(run(DATAGRAM).protocols()).toBe('ip:udp:low');
    expect(seen).toEqual(['40001', '40000']);
  });

  it('computes the pseudo-header checksum (RFC 768) to zero over a correct datagram', () => {
    const p = run(DATAGRAM);
    expect(transportChecksum(p, 17, DATAGRAM, 0, 12)).toBe(0);
  });

  it('never throws on random datagrams, truncations and lengths', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 0, maxLength: 40 }),
        fc.nat(50),
        fc.nat(50),
        fc.boolean(),
        fc.boolean(),
        (bytes, captured, reported, v6, inError) => {
          udpPreferences.checkChecksum = reported % 2 === 0;
          const p = run(bytes, {
            captured: Math.min(captured, bytes.length),
            reported,
            ipv6: v6,
            inErrorPacket: inError,
          });
          expect(p.layers[1]).toBe('udp');
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe('UDP conversations (udp.stream, [Timestamps])', () => {
  const macs = { dst: [2, 0, 0, 0, 0, 2], src: [2, 0, 0, 0, 0, 1] };
  const A = [10, 0, 0, 1];
  const B = [10, 0, 0, 2];
  const C = [10, 0, 0, 3];
  // A:5000 -> B:53, its answer, another host to B, then A again on another port, then A:5000 again.
  const frames = [
    { ips: { src: A, dst: B }, sp: 5000, dp: 53, t: [100, 0] },
    { ips: { src: B, dst: A }, sp: 53, dp: 5000, t: [100, 250_000_000] },
    { ips: { src: C, dst: B }, sp: 5000, dp: 53, t: [101, 0] },
    { ips: { src: A, dst: B }, sp: 5001, dp: 53, t: [101, 500_000_000] },
    { ips: { src: A, dst: B }, sp: 5000, dp: 53, t: [102, 0] },
  ];

  it('numbers conversations in order of first appearance, either direction, with times in the stream', () => {
    const d = new Dissection({ full: true, columns: false });
    const seen = frames.map((f) => {
      const bytes = etherUdpFrame(macs, f.ips, f.sp, f.dp, [1, 2, 3, 4]);
      const p = d.dissect(frameOf(1, bytes, bytes.length, f.t[0], f.t[1]));
      return [field(p, 'udp.stream'), field(p, 'udp.time_relative'), field(p, 'udp.time_delta')].join(' ');
    });
    expect(seen).toEqual([
      '0 0.000000000 0.000000000',
      '0 0.250000000 0.250000000',
      '1 0.000000000 0.000000000',
      '2 0.000000000 0.000000000',
      '0 2.000000000 1.750000000',
    ]);
    const udp = detailsText(d.packet).split('User Datagram Protocol')[1];
    const labels = udp.split('\n').filter((l) => /Stream index|Timestamps|Time since/.test(l));
    expect(labels.map((l) => l.trim())).toEqual([
      '[Stream index: 0]',
      '[Timestamps]',
      '[Time since first frame: 2.000000000 seconds]',
      '[Time since previous frame: 1.750000000 seconds]',
    ]);
  });

  it('is part of the conversation analysis: off with it, and asked for by udp.stream', () => {
    const d = new Dissection({ full: true, columns: false, tcpAnalysis: false });
    const bytes = etherUdpFrame(macs, frames[0].ips, 5000, 53, [1]);
    expect(field(d.dissect(frameOf(1, bytes)), 'udp.stream')).toBe('');
    const id = (n: string) => fieldByAbbrev(n)?.id ?? -1;
    expect(needsTcpAnalysis([id('udp.stream')], { full: false, columns: false })).toBe(true);
    expect(needsTcpAnalysis([id('udp.time_delta')], { full: false, columns: false })).toBe(true);
    expect(needsTcpAnalysis([id('udp.srcport')], { full: false, columns: false })).toBe(false);
  });
});
