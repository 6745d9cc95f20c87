import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Dissection } from './index.js';
import type { Packet } from './packet.js';
import { formatLabel } from '../output/format.js';
import { LINKTYPE } from './linktypes.js';
import { frameOf, hex, redissect, fieldText as field, labelText as label } from './test-support.js';

// Expected values were checked with tshark 4.0.17 on the same frames.

const cat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, x) => n + x.length, 0));
  let o = 0;
  for (const x of parts) {
    out.set(x, o);
    o += x.length;
  }
  return out;
};

function sum16(b: Uint8Array, sum = 0): number {
  for (let i = 0; i < b.length; i += 2) sum += (b[i] << 8) | (b[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

const S = 'fe800000000000000000000000000001'; // fe80::1
const D = 'fe800000000000000000000000000002'; // fe80::2
const ALL_NODES = 'ff020000000000000000000000000001'; // ff02::1

/** An IPv6 packet carrying an ICMPv6 message with a correct checksum (after optional hop-by-hop bytes). */
function icmpv6(
  src: string,
  dst: string,
  type: number,
  code: number,
  body: string | Uint8Array,
  o: { hlim?: number; hop?: string } = {},
) {
  const m = cat(
    hex(`${type.toString(16).padStart(2, '0')}${code.toString(16).padStart(2, '0')}0000`),
    typeof body === 'string' ? hex(body) : body,
  );
  const pseudo = cat(hex(src), hex(dst), hex(`${m.length.toString(16).padStart(8, '0')} 0000003a`));
  new DataView(m.buffer).setUint16(2, ~sum16(m, sum16(pseudo)) & 0xffff);
  const hop = hex(o.hop ?? '');
  const h = hex(
    `60000000 0000 ${hop.length ? '00' : '3a'} ${(o.hlim ?? 255).toString(16).padStart(2, '0')} ${src} ${dst}`,
  );
  new DataView(h.buffer).setUint16(4, hop.length + m.length);
  return cat(hex('001122334455 66778899aabb 86dd'), h, hop, m);
}

const frame = (bytes: Uint8Array, tsSec = 1700000000) => frameOf(LINKTYPE.ETHERNET, bytes, bytes.length, tsSec);

const dissect = (bytes: Uint8Array): Packet => new Dissection({ full: true }).dissect(frame(bytes));

const redissectAt = (d: Dissection, number: number, bytes: Uint8Array): Packet => redissect(d, number, frame(bytes));

const experts = (p: Packet) => p.experts.map((e) => e.message);
const ROUTER_ALERT = '3a00 05020000 0100'; // hop-by-hop: router alert (MLD), PadN

describe('ICMPv6 echo', () => {
  const request = icmpv6(S, D, 128, 0, '0077 0003 61626364', { hlim: 64 });
  const reply = icmpv6(D, S, 129, 0, '0077 0003 61626364', { hlim: 64 });

  it('shows the fields and Info with the hop limit', () => {
    const p = dissect(request);
    expect(p.protocols()).toBe('eth:ethertype:ipv6:icmpv6:data');
    expect(field(p, 'icmpv6.type')).toBe('128');
    expect(field(p, 'icmpv6.checksum.status')).toBe('1');
    expect(field(p, 'icmpv6.echo.identifier')).toBe('0x0077');
    expect(field(p, 'icmpv6.echo.sequence_number')).toBe('3');
    expect(label(p, 'icmpv6')).toBe('Internet Control Message Protocol v6');
    expect(label(p, 'icmpv6.type')).toBe('Type: Echo (ping) request (128)');
    expect(p.protocolCol).toBe('ICMPv6');
    expect(p.infoCol).toBe('Echo (ping) request id=0x0077, seq=3, hop limit=64');
  });

  it('matches requests and replies', () => {
    const d = new Dissection({ full: true });
    d.dissect(frame(request));
    const r = d.dissect(frame(reply));
    expect(r.infoCol).toBe('Echo (ping) reply id=0x0077, seq=3, hop limit=64 (request in 1)');
    expect(field(r, 'icmpv6.resp_to')).toBe('1');
    expect(redissectAt(d, 1, request).infoCol).toBe('Echo (ping) request id=0x0077, seq=3, hop limit=64 (reply in 2)');
  });

  it('says when a request got no response, and notes multicast requests instead', () => {
    const d = new Dissection({ full: true });
    d.dissect(frame(request));
    const again = redissectAt(d, 1, request);
    expect(again.infoCol).toBe('Echo (ping) request id=0x0077, seq=3, hop limit=64 (no response found!)');
    expect(experts(again)).toEqual(['No response seen to ICMPv6 request in frame 1']);
    const multicast = icmpv6(S, ALL_NODES, 128, 0, '0077 0004 616263', { hlim: 64 });
    d.dissect(frame(multicast));
    expect(redissectAt(d, 2, multicast).infoCol).toBe('Echo (ping) request id=0x0077, seq=4, hop limit=64 (multicast)');
  });

  it('flags a bad checksum', () => {
    const bad = request.slice();
    bad[14 + 40 + 2] ^= 0xff;
    const p = dissect(bad);
    expect(field(p, 'icmpv6.checksum.status')).toBe('0');
    expect(experts(p)[0]).toMatch(/^Bad checksum \[should be 0x[0-9a-f]{4}\]$/);
  });
});

describe('ICMPv6 neighbour discovery', () => {
  it('writes "for" and "from" in a neighbor solicitation', () => {
    const p = dissect(icmpv6(S, D, 135, 0, `00000000 ${D} 0101 001122334455`));
    expect(p.infoCol).toBe('Neighbor Solicitation for fe80::2 from 00:11:22:33:44:55');
    expect(field(p, 'icmpv6.nd.ns.target_address')).toBe('fe80::2');
    expect(field(p, 'icmpv6.opt.type')).toBe('1');
    expect(field(p, 'icmpv6.opt.linkaddr')).toBe('00:11:22:33:44:55');
    expect(field(p, 'icmpv6.opt.src_linkaddr')).toBe('00:11:22:33:44:55');
    expect(label(p, 'icmpv6.opt')).toBe('ICMPv6 Option (Source link-layer address : 00:11:22:33:44:55)');
    expect(label(p, 'icmpv6.opt.length')).toBe('Length: 1 (8 bytes)');
  });

  it('writes the target, the flags and "is at" in a neighbor advertisement', () => {
    const p = dissect(icmpv6(D, S, 136, 0, `60000000 ${D} 0201 66778899aabb`));
    expect(p.infoCol).toBe('Neighbor Advertisement fe80::2 (sol, ovr) is at 66:77:88:99:aa:bb');
    expect(field(p, 'icmpv6.nd.na.flag')).toBe('0x60000000');
    expect(field(p, 'icmpv6.nd.na.flag.s')).toBe('1');
    expect(label(p, 'icmpv6.nd.na.flag')).toBe('Flags: 0x60000000, Solicited, Override');
    expect(field(p, 'icmpv6.opt.target_linkaddr')).toBe('66:77:88:99:aa:bb');
    expect(dissect(icmpv6(D, S, 136, 0, `00000000 ${D}`)).infoCol).toBe('Neighbor Advertisement fe80::2 (none)');
  });

  it('dissects a router advertisement and its options', () => {
    const options = [
      '0101 001122334455', // source link-layer address
      '0304 40c0 00015180 00003840 00000000 20010db8000100000000000000000000', // prefix 2001:db8:1::/64
      '0501 0000 000005dc', // MTU 1500
      '1905 0000 00000258 20010db8000000000000000000000053 20010db8000000000000000000000054', // RDNSS
      '1f03 0000 00000258 076578616d706c6503636f6d00 000000', // DNSSL example.com
      '1802 3008 00000708 20010db800020000', // route information 2001:db8:2::/48, high
      '0701 0000 00001388', // advertisement interval 5000
      'c801 010203040506', // unknown option 200
    ].join('');
    const p = dissect(icmpv6(S, ALL_NODES, 134, 0, `40 88 0708 00000000 00000000 ${options}`));
    expect(p.infoCol).toBe('Router Advertisement from 00:11:22:33:44:55');
    expect(field(p, 'icmpv6.nd.ra.cur_hop_limit')).toBe('64');
    expect(field(p, 'icmpv6.nd.ra.flag')).toBe('0x88');
    expect(field(p, 'icmpv6.nd.ra.flag.prf')).toBe('1');
    expect(label(p, 'icmpv6.nd.ra.flag')).toBe(
      'Flags: 0x88, Managed address configuration, Prf (Default Router Preference): High',
    );
    expect(field(p, 'icmpv6.nd.ra.router_lifetime')).toBe('1800');
    expect(field(p, 'icmpv6.opt.type')).toBe('1,3,5,25,31,24,7,200');
    expect(field(p, 'icmpv6.opt.length')).toBe('1,4,1,5,3,2,1,1');
    expect(field(p, 'icmpv6.opt.prefix')).toBe('2001:db8:1::');
    expect(field(p, 'icmpv6.opt.prefix.flag')).toBe('0xc0');
    expect(field(p, 'icmpv6.opt.mtu')).toBe('1500');
    expect(field(p, 'icmpv6.opt.rdnss')).toBe('2001:db8::53,2001:db8::54');
    expect(field(p, 'icmpv6.opt.dnssl')).toBe('example.com');
    expect(field(p, 'icmpv6.opt.route_info.flag.route_preference')).toBe('1');
    expect(field(p, 'icmpv6.opt.advertisement_interval')).toBe('5000');
    expect(field(p, 'icmpv6.data')).toBe('010203040506');
    const texts = Array.from({ length: p.tree.count }, (_, i) => formatLabel(p, i));
    expect(texts).toContain('ICMPv6 Option (Prefix information : 2001:db8:1::/64)');
    expect(texts).toContain('ICMPv6 Option (Recursive DNS Server 2001:db8::53 2001:db8::54)');
    expect(texts).toContain('ICMPv6 Option (DNS Search List Option example.com)');
    expect(texts).toContain('ICMPv6 Option (Route Information : High 2001:db8:2::/48)');
    expect(texts).toContain('ICMPv6 Option (Unknown 200)');
    expect(experts(p)).toEqual([
      'Dissector for ICMPv6 Option (200) code not implemented, Contact Wireshark developers if you want this supported',
    ]);
  });

  it('dissects a redirect with the redirected packet', () => {
    const inner = hex(`60000000 0004 fd40 ${D} ${S} 01020304`);
    const p = dissect(
      icmpv6(
        S,
        D,
        137,
        0,
        cat(
          hex(
            `00000000 fe800000000000000000000000000099 20010db8000000000000000000000005 0201 aabbccddeeff 0407 000000000000`,
          ),
          inner,
          hex('00000000'),
        ),
      ),
    );
    expect(p.infoCol).toBe('Redirect is at aa:bb:cc:dd:ee:ff');
    expect(p.protocols()).toBe('eth:ethertype:ipv6:icmpv6:ipv6:data');
    expect(field(p, 'icmpv6.nd.rd.target_address')).toBe('fe80::99');
    expect(field(p, 'icmpv6.rd.na.destination_address')).toBe('2001:db8::5');
    expect(p.srcCol).toBe('fe80::1');
  });

  it('stops at an option of length zero', () => {
    const p = dissect(icmpv6(S, D, 135, 0, `00000000 ${D} 0100 000000000000`));
    expect(experts(p)).toEqual(['Invalid option length (Zero)']);
    expect(p.infoCol).toBe('Neighbor Solicitation for fe80::2');
  });
});

describe('ICMPv6 MLD', () => {
  it('dissects MLDv1 query, report and done', () => {
    const q = dissect(icmpv6(S, ALL_NODES, 130, 0, `03e8 0000 ${'00'.repeat(16)}`, { hlim: 1, hop: ROUTER_ALERT }));
    expect(q.protocols()).toBe('eth:ethertype:ipv6:ipv6.hopopts:icmpv6');
    expect(q.infoCol).toBe('Multicast Listener Query');
    expect(field(q, 'icmpv6.mld.maximum_response_delay')).toBe('1000');
    expect(field(q, 'icmpv6.mld.multicast_address')).toBe('::');
    expect(field(q, 'ipv6.opt.router_alert')).toBe('0');
    const r = dissect(
      icmpv6(S, ALL_NODES, 131, 0, `0000 0000 ff020000000000000000000000010002`, { hlim: 1, hop: ROUTER_ALERT }),
    );
    expect(r.infoCol).toBe('Multicast Listener Report');
    expect(dissect(icmpv6(S, ALL_NODES, 132, 0, `0000 0000 ff020000000000000000000000010002`)).infoCol).toBe(
      'Multicast Listener Done',
    );
  });

  it('dissects an MLDv2 query with its coded values and sources', () => {
    const body = `8123 0000 ff020000000000000000000000010003 0a 82 0002 20010db8000000000000000000000001 20010db8000000000000000000000002`;
    const p = dissect(icmpv6(S, ALL_NODES, 130, 0, body, { hlim: 1, hop: ROUTER_ALERT }));
    expect(field(p, 'icmpv6.mld.maximum_response_code')).toBe('35096');
    expect(field(p, 'icmpv6.mld.flag')).toBe('0x0a');
    expect(field(p, 'icmpv6.mld.flag.qrv')).toBe('2');
    expect(field(p, 'icmpv6.mld.qqi')).toBe('144');
    expect(field(p, 'icmpv6.mld.source_address')).toBe('2001:db8::1,2001:db8::2');
    expect(label(p, 'icmpv6.mld.flag')).toBe('Flags: 0x0a, Suppress Router-Side Processing');
  });

  it('dissects an MLDv2 report with records, sources and auxiliary data', () => {
    const rec1 = `01 01 0001 ff050000000000000000000000000001 20010db8000000000000000000000007 41555844`;
    const rec2 = `06 00 0000 ff050000000000000000000000000002`;
    const p = dissect(
      icmpv6(S, 'ff020000000000000000000000000016', 143, 0, `0000 0002 ${rec1} ${rec2}`, {
        hlim: 1,
        hop: ROUTER_ALERT,
      }),
    );
    expect(p.infoCol).toBe('Multicast Listener Report Message v2');
    expect(field(p, 'icmpv6.mldr.nb_mcast_records')).toBe('2');
    expect(field(p, 'icmpv6.mldr.mar.record_type')).toBe('1,6');
    expect(field(p, 'icmpv6.mldr.mar.multicast_address')).toBe('ff05::1,ff05::2');
    expect(field(p, 'icmpv6.mldr.mar.source_address')).toBe('2001:db8::7');
    expect(field(p, 'icmpv6.mldr.mar.auxiliary_data')).toBe('41555844');
    expect(label(p, 'icmpv6.mldr.mar')).toBe('Multicast Address Record Include: ff05::1');
  });
});

describe('ICMPv6 errors', () => {
  const quoted = hex(`60000000 0004 fd40 ${D} ${S} 01020304`);

  it('dissects the quoted IPv6 packet without touching the columns', () => {
    const p = dissect(icmpv6(S, D, 1, 4, cat(hex('00000000'), quoted)));
    expect(p.infoCol).toBe('Destination Unreachable (Port unreachable)');
    expect(p.protocols()).toBe('eth:ethertype:ipv6:icmpv6:ipv6:data');
    expect(field(p, 'ipv6.src')).toBe('fe80::1,fe80::2');
    expect(p.srcCol).toBe('fe80::1');
    expect(field(p, 'icmpv6.reserved')).toBe('00000000');
  });

  it('shows the MTU of a packet too big and the pointer of a parameter problem', () => {
    const big = dissect(icmpv6(S, D, 2, 0, cat(hex('00000500'), quoted)));
    expect(big.infoCol).toBe('Packet Too Big');
    expect(field(big, 'icmpv6.mtu')).toBe('1280');
    const param = dissect(icmpv6(S, D, 4, 1, cat(hex('00000028'), quoted)));
    expect(param.infoCol).toBe('Parameter Problem (unrecognized Next Header type encountered)');
    expect(field(param, 'icmpv6.pointer')).toBe('40');
    expect(dissect(icmpv6(S, D, 3, 0, cat(hex('00000000'), quoted))).infoCol).toBe(
      'Time Exceeded (hop limit exceeded in transit)',
    );
  });

  it('does not match an echo quoted in an error and leaves its checksum unverified', () => {
    const echo = hex(`60000000 000b 3a40 ${D} ${S} 80000000 0009 0009 78797a`);
    const p = dissect(icmpv6(S, D, 1, 0, cat(hex('00000000'), echo)));
    expect(p.infoCol).toBe('Destination Unreachable (no route to destination)');
    expect(field(p, 'icmpv6.checksum.status')).toBe('1,2');
    expect(field(p, 'icmpv6.type')).toBe('1,128');
  });

  it('notes message types it does not decode', () => {
    const p = dissect(icmpv6(S, D, 200, 7, '68656c6c6f'));
    expect(p.infoCol).toBe('Private experimentation');
    expect(field(p, 'icmpv6.data')).toBe('68656c6c6f');
    expect(experts(p)).toEqual([
      'Dissector for ICMPv6 Type (200) code not implemented, Contact Wireshark developers if you want this supported',
    ]);
  });
});

describe('ICMPv6 robustness', () => {
  it('never throws on random messages of every kind', () => {
    const d = new Dissection({ full: true });
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 255 }),
        fc.nat(255),
        fc.uint8Array({ maxLength: 120 }),
        (type, code, body) => {
          d.dissect(frame(icmpv6(S, D, type, code, body)));
        },
      ),
    );
  });

  it('never throws on any cut of a router advertisement', () => {
    const ra = icmpv6(S, ALL_NODES, 134, 0, `40 00 0708 00000000 00000000 0101 001122334455 0501 0000 000005dc`);
    fc.assert(
      fc.property(fc.nat(ra.length), (n) => {
        new Dissection({ full: true }).dissect({ ...frame(ra.subarray(0, n)), origLen: ra.length });
      }),
    );
  });
});
