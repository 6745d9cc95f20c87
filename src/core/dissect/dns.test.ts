import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Dissection } from './index.js';
import type { Packet } from './packet.js';
import { LINKTYPE } from './linktypes.js';
import { captureFieldRows, fieldText, hex, labelText } from './test-support.js';
import { DnsState, MAX_TRANSACTIONS } from './dns.js';

// Expected values were checked with tshark 4.0.17 (-2 where links are shown) on the same frames:
// the shared captures, and the hand-built ones below written as pcap.

/** A raw IPv4 frame 10.0.0.1 -> 10.0.0.2 (or back) carrying UDP or TCP. */
function ipFrame(
  proto: 17 | 6,
  sport: number,
  dport: number,
  payload: Uint8Array,
  back = false,
  seq = back ? 5000 : 1000,
): Uint8Array {
  const hdr = proto === 17 ? 8 : 20;
  const total = 20 + hdr + payload.length;
  const f = new Uint8Array(total);
  const v = new DataView(f.buffer);
  v.setUint8(0, 0x45);
  v.setUint16(2, total);
  v.setUint8(8, 64);
  v.setUint8(9, proto);
  v.setUint32(12, back ? 0x0a000002 : 0x0a000001);
  v.setUint32(16, back ? 0x0a000001 : 0x0a000002);
  v.setUint16(20, sport);
  v.setUint16(22, dport);
  if (proto === 17) v.setUint16(24, 8 + payload.length);
  else {
    v.setUint32(24, seq);
    v.setUint32(28, back ? 1000 : 5000);
    v.setUint8(32, 5 << 4);
    v.setUint8(33, 0x18);
    v.setUint16(34, 65535);
  }
  f.set(payload, 20 + hdr);
  return f;
}

/** Dissects raw IPv4 frames one second apart (two passes like tshark -2 unless told otherwise). */
function dissectAll(frames: Uint8Array[], twoPass = true, capLens?: number[]): Packet[] {
  const pass = (first: Dissection | undefined, keep: (p: Packet) => void): Dissection => {
    const d = new Dissection({ full: true });
    if (first) d.session.firstPass = first.session;
    frames.forEach((data, i) => {
      const cap = capLens?.[i] ?? data.length;
      const p = d.dissect({
        data: data.subarray(0, cap),
        tsSec: 1700000000 + i,
        tsNsec: i * 1000,
        capLen: cap,
        origLen: data.length,
        linkType: LINKTYPE.RAW,
        interfaceId: 0,
      });
      keep(p);
    });
    return d;
  };
  const first = twoPass ? pass(undefined, () => {}) : undefined;
  const packets: Packet[] = [];
  // The Dissection reuses its Packet: keep a snapshot of each.
  pass(first, (p) => packets.push(snapshot(p)));
  return packets;
}

/** A copy of what the tests read from a Packet (the Dissection reuses its Packet). */
function snapshot(p: Packet): Packet {
  const fields = new Map<string, string>();
  const labels = new Map<string, string>();
  const get = (a: string) => {
    if (!fields.has(a)) fields.set(a, fieldText(p, a));
    return fields.get(a) ?? '';
  };
  for (const a of WANTED) get(a);
  for (const a of LABELLED) labels.set(a, labelText(p, a));
  return {
    infoCol: p.infoCol,
    protocolCol: p.protocolCol,
    protocols: (() => {
      const s = p.protocols();
      return () => s;
    })(),
    fields,
    labels,
    malformedCount: p.malformedCount,
    truncatedCount: p.truncatedCount,
  } as unknown as Packet;
}

const WANTED = [
  'dns.id',
  'dns.qry.name',
  'dns.qry.name.len',
  'dns.count.labels',
  'dns.qry.type',
  'dns.a',
  'dns.aaaa',
  'dns.cname',
  'dns.response_in',
  'dns.response_to',
  'dns.time',
  'dns.retransmit_request_in',
  'dns.unsolicited',
  'dns.qry.qu',
  'dns.resp.cache_flush',
  'dns.ptr.domain_name',
  'dns.resp.type',
  'dns.length',
];
const LABELLED = ['dns.time', 'dns.resp.ttl'];

const f = (p: Packet, a: string): string => (p as unknown as { fields: Map<string, string> }).fields.get(a) ?? '';
const l = (p: Packet, a: string): string => (p as unknown as { labels: Map<string, string> }).labels.get(a) ?? '';
const protocols = (p: Packet): string => p.protocols();

const udp = (sport: number, dport: number, msg: string, back = false) => ipFrame(17, sport, dport, hex(msg), back);

const QUERY_A = '1234 0100 0001 0000 0000 0000 07 6578616d706c65 03 636f6d 00 0001 0001';
const RESPONSE_A =
  '1234 8180 0001 0002 0000 0000 07 6578616d706c65 03 636f6d 00 0001 0001' +
  ' c00c 0005 0001 0000012c 0006 03777777 c00c' + // CNAME www.example.com
  ' c029 0001 0001 0000012c 0004 01020304'; // A 1.2.3.4 for www.example.com

describe('DNS messages', () => {
  it('shows a query and its response with Wireshark 4.0 Info texts and the links between them', () => {
    const [q, r] = dissectAll([udp(40000, 53, QUERY_A), udp(53, 40000, RESPONSE_A, true)]);
    expect(protocols(q)).toBe('raw:ip:udp:dns');
    expect(q.protocolCol).toBe('DNS');
    expect(q.infoCol).toBe('Standard query 0x1234 A example.com');
    expect(f(q, 'dns.qry.name')).toBe('example.com');
    expect(f(q, 'dns.qry.name.len')).toBe('11');
    expect(f(q, 'dns.count.labels')).toBe('2');
    expect(f(q, 'dns.response_in')).toBe('2');
    expect(r.infoCol).toBe('Standard query response 0x1234 A example.com CNAME www.example.com A 1.2.3.4');
    expect(f(r, 'dns.cname')).toBe('www.example.com');
    expect(f(r, 'dns.a')).toBe('1.2.3.4');
    expect(f(r, 'dns.response_to')).toBe('1');
    expect(l(r, 'dns.time')).toBe('[Time: 1.000001000 seconds]');
    expect(l(r, 'dns.resp.ttl')).toBe('Time to live: 300 (5 minutes)');
  });

  it('shows only backward links in a one-pass run', () => {
    const [q, r] = dissectAll([udp(40000, 53, QUERY_A), udp(53, 40000, RESPONSE_A, true)], false);
    expect(f(q, 'dns.response_in')).toBe('');
    expect(f(r, 'dns.response_to')).toBe('1');
  });

  it('marks a response without a request unsolicited and a repeated query a retransmission', () => {
    const [r, q1, q2] = dissectAll([
      udp(53, 40000, RESPONSE_A, true),
      udp(40000, 53, QUERY_A.replace('1234', '4321')),
      udp(40000, 53, QUERY_A.replace('1234', '4321')),
    ]);
    expect(f(r, 'dns.unsolicited')).toBe('1');
    expect(f(q1, 'dns.retransmit_request_in')).toBe('');
    expect(f(q2, 'dns.retransmit_request_in')).toBe('2');
  });

  it('names the rcode of a failed response', () => {
    const [r] = dissectAll([udp(53, 40000, '0001 8183 0001 0000 0000 0000 01 78 00 001c 0001', true)]);
    expect(r.infoCol).toBe('Standard query response 0x0001 No such name AAAA x');
  });

  it('decodes mDNS with its QU and cache-flush bits', () => {
    const name = '045f697070045f746370056c6f63616c00';
    const [q, r] = dissectAll([
      udp(5353, 5353, `0000 0000 0001 0000 0000 0000 ${name} 000c 8001`),
      udp(5353, 5353, `0000 8400 0000 0001 0000 0000 ${name} 000c 8001 00001194 0005 027878c00c`, true),
    ]);
    expect(protocols(q)).toBe('raw:ip:udp:mdns');
    expect(q.protocolCol).toBe('MDNS');
    expect(q.infoCol).toBe('Standard query 0x0000 PTR _ipp._tcp.local, "QU" question');
    expect(f(q, 'dns.qry.qu')).toBe('1');
    expect(r.infoCol).toBe('Standard query response 0x0000 PTR, cache flush xx._ipp._tcp.local');
    expect(f(r, 'dns.ptr.domain_name')).toBe('xx._ipp._tcp.local');
  });

  it('decodes LLMNR on port 5355', () => {
    const [q] = dissectAll([udp(50000, 5355, '4f7b 0000 0001 0000 0000 0000 07 557365722d5043 00 00ff 0001')]);
    expect(protocols(q)).toBe('raw:ip:udp:llmnr');
    expect(q.protocolCol).toBe('LLMNR');
    expect(q.infoCol).toBe('Standard query 0x4f7b ANY User-PC');
  });

  it('decodes every message of a TCP segment, the Info showing the last one', () => {
    const q1 = '0013 1111 0100 0001 0000 0000 0000 0161 00 0001 0001';
    const q2 = '0013 2222 0100 0001 0000 0000 0000 0162 00 0001 0001';
    const [p] = dissectAll([ipFrame(6, 40000, 53, hex(q1 + q2))]);
    expect(protocols(p)).toBe('raw:ip:tcp:dns');
    expect(f(p, 'dns.id')).toBe('0x1111,0x2222');
    expect(f(p, 'dns.length')).toBe('19,19');
    expect(p.infoCol).toBe('Standard query 0x2222 A b');
  });

  it('reassembles messages split across TCP segments', () => {
    const parts = [
      '0013 1111 0100 0001',
      '0000 0000 0000 0161 00 0001 0001 0013 2222 0100',
      '0001 0000 0000 0000 0162 00 0001 0001',
    ];
    let seq = 1000;
    const frames = parts.map((h) => {
      const data = hex(h);
      const frame = ipFrame(6, 40000, 53, data, false, seq);
      seq += data.length;
      return frame;
    });
    const [a, b, c] = dissectAll(frames);
    expect(protocols(a)).toBe('raw:ip:tcp');
    expect(a.infoCol.endsWith('[TCP segment of a reassembled PDU]')).toBe(true);
    expect([protocols(b), b.infoCol, f(b, 'dns.id')]).toEqual([
      'raw:ip:tcp:dns',
      'Standard query 0x1111 A a',
      '0x1111',
    ]);
    expect([c.infoCol, f(c, 'dns.id')]).toEqual(['Standard query 0x2222 A b', '0x2222']);
  });
});

describe('DNS names from hostile bytes', () => {
  const query = (name: string) => udp(1001, 53, `1117 0100 0001 0000 0000 0000 ${name} 0001 0001`);

  it('reports a compression pointer loop as Wireshark does', () => {
    for (const name of ['c00c', '0161 c00c', '0161 c00e', '0161 0162 c00c']) {
      const [p] = dissectAll([query(name)]);
      expect(f(p, 'dns.qry.name')).toBe('<Name contains a pointer that loops>');
      expect(f(p, 'dns.qry.name.len')).toBe('36');
      expect(p.malformedCount).toBe(0);
    }
  });

  it('replaces a name of more than 253 characters', () => {
    const label = '3f' + '61'.repeat(63);
    const [p] = dissectAll([query(label.repeat(3) + '3e' + '61'.repeat(62) + '00')]);
    expect(f(p, 'dns.qry.name')).toBe('<Name too long>');
  });

  it('stops at an unknown extended label', () => {
    const [p] = dissectAll([query('0161 42')]);
    expect(f(p, 'dns.qry.name')).toBe('<Unknown extended label>');
  });

  it('shows a compressed empty name as the root', () => {
    const [p] = dissectAll([udp(1001, 53, '1117 0100 0001 0000 0000 0000 c00e 00 0001 0001')]);
    expect(f(p, 'dns.qry.name')).toBe('<Root>');
    expect(f(p, 'dns.qry.name.len')).toBe('6');
  });

  it('marks reserved labels, pointers past the end and overlong records malformed', () => {
    for (const name of ['80 00', '0161 c0ff', '42', '0561 62 63']) {
      const [p] = dissectAll([query(name)]);
      expect(p.malformedCount).toBe(1);
      expect(p.infoCol).toBe('Standard query 0x1117[Malformed Packet]');
    }
    const [r] = dissectAll([
      udp(53, 1001, '1117 8180 0001 0001 0000 0000 00 0001 0001 c00c 0001 0001 00000010 0002 0102'),
    ]);
    expect(r.infoCol).toBe('Standard query response 0x1117 A <Root> A[Malformed Packet]');
  });

  it('says a message cut by the snapshot length is truncated, not malformed', () => {
    const frame = udp(40000, 53, QUERY_A);
    const [p] = dissectAll([frame], true, [frame.length - 6]);
    expect(p.truncatedCount).toBe(1);
    expect(p.infoCol).toBe('Standard query 0x1234[Packet size limited during capture]');
  });
});

describe('DNS robustness', () => {
  it('never throws past its layer on random messages', () => {
    const d = new Dissection({ full: true });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(320), fc.boolean(), (body, cut, tcp) => {
        const frame = tcp ? ipFrame(6, 40000, 53, body) : ipFrame(17, 40000, 53, body);
        const n = Math.min(frame.length, 28 + cut);
        const p = d.dissect({
          data: frame.subarray(0, n),
          tsSec: 0,
          tsNsec: 0,
          capLen: n,
          origLen: frame.length,
          linkType: LINKTYPE.RAW,
          interfaceId: 0,
        });
        expect(p.experts.some((e) => e.message.startsWith('Dissector error'))).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('ends quickly on huge counts and long pointer chains', () => {
    // 65535 answers whose names are each a chain of pointers through the whole message.
    const chain: string[] = [];
    for (let k = 0; k < 4000; k++) chain.push(`c0${(12 + 2 * (k + 1)).toString(16).padStart(4, '0').slice(2)}`);
    const msg = hex('0001 8180 0000 ffff 0000 0000' + chain.join('').slice(0, 4 * 120) + '00'.repeat(20));
    const d = new Dissection({ full: false, columns: true });
    const frame = ipFrame(6, 53, 40000, new Uint8Array([msg.length >> 8, msg.length & 255, ...msg]), true);
    const started = Date.now();
    const p = d.dissect({
      data: frame,
      tsSec: 0,
      tsNsec: 0,
      capLen: frame.length,
      origLen: frame.length,
      linkType: LINKTYPE.RAW,
      interfaceId: 0,
    });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(p.infoCol.startsWith('Standard query response 0x0001')).toBe(true);
  });
});

describe('DNS in the shared captures', () => {
  const rows = (capture: string, abbrevs: string[]) => captureFieldRows(readFileSync, capture, abbrevs, [], true);

  it('matches tshark on tcpdump__dns_udp.pcap', () => {
    const r = rows('tcpdump__dns_udp.pcap', ['dns.response_in', 'dns.a', 'dns.aaaa', 'dns.rr.udp_payload_size']);
    expect(r[0]).toEqual([
      'eth:ethertype:ip:udp:dns',
      'DNS',
      'Standard query 0x5934 A www.tcpdump.org OPT',
      '2',
      '',
      '',
      '4096',
    ]);
    expect(r[1][2]).toBe(
      'Standard query response 0x5934 A www.tcpdump.org A 192.139.46.66 A 198.199.88.104 NS sns.cooperix.net NS nic.sandelman.ca A 209.87.249.18 AAAA 2607:f0b0:f::babe:f00d A 97.107.133.15 AAAA 2600:3c03::f03c:91ff:fe96:e8ef OPT',
    );
    expect(r[1][5]).toBe('2607:f0b0:f::babe:f00d,2600:3c03::f03c:91ff:fe96:e8ef');
  });

  it('matches tshark on a DNSSEC response over TCP (pcapplusplus__dns_over_tcp.pcapng)', () => {
    const r = rows('pcapplusplus__dns_over_tcp.pcapng', ['dns.resp.type', 'dns.flags.rcode']);
    expect(r[2][2]).toBe(
      'Standard query response 0x6165 No such name AAAA cole-tech.net SOA a.gtld-servers.net RRSIG NSEC3 RRSIG NSEC3 RRSIG NSEC3 RRSIG OPT',
    );
    expect(r[2][3]).toBe('6,46,50,2,6,46,48,51,46,50,2,43,46,46,50,2,43,46,46,41');
    expect(r[2][4]).toBe('3');
  });

  it('matches tshark on a zone transfer (ppa__dns_axfr.pcapng)', () => {
    const r = rows('ppa__dns_axfr.pcapng', ['dns.srv.service', 'dns.srv.proto']);
    expect(r[6][2].startsWith('Standard query response 0x0007 AXFR contoso.local SOA dns3.contoso.local')).toBe(true);
    expect(r[6][3].split(',')[0]).toBe('_gc');
    expect(r[6][4].split(',')[0]).toBe('_tcp');
  });
});

describe('DNS transaction table', () => {
  it('keeps at most MAX_TRANSACTIONS, dropping emptied conversations', () => {
    const state = new DnsState();
    const n = MAX_TRANSACTIONS + 1000;
    for (let i = 0; i < n; i++) {
      state.insert(`c${i}`, {
        key: `c${i}`,
        id: i & 0xffff,
        reqFrame: i + 1,
        repFrame: 0,
        reqSec: 0,
        reqNsec: 0,
        multipleResponses: false,
      });
    }
    expect(state.size).toBe(MAX_TRANSACTIONS);
    expect(state.conversations.size).toBe(MAX_TRANSACTIONS);
    expect(state.lookup('c0', 0, n)).toBeUndefined();
    expect(state.lookup(`c${n - 1}`, (n - 1) & 0xffff, n)?.reqFrame).toBe(n);
  });
});

describe('DNS record types Wireshark 4.0 does not decode', () => {
  it('notes them and keeps its swapped MAILA/MAILB mnemonics', () => {
    const rec = (type: string) => `00 ${type} 0001 00000010 0002 aabb`;
    const [p] = dissectAll([
      udp(53, 40000, `0001 8180 0000 0003 0000 0000 ${rec('00fd')} ${rec('0100')} ${rec('270f')}`, true),
    ]);
    expect(p.infoCol).toBe('Standard query response 0x0001 MAILA URI Unknown (9999)');
  });
});
