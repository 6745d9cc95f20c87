import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Dissection } from './index.js';
import type { Packet } from './packet.js';
import { dissectFrame } from './frame.js';
import { formatLabel } from '../output/format.js';
import { LINKTYPE } from './linktypes.js';
import { hex, fieldText as field, labelText as label } from './test-support.js';

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

const SRC = '20010db8000000000000000000000001'; // 2001:db8::1
const DST = '20010db8000000000000000000000002'; // 2001:db8::2

/** An IPv6 header (version 6) with `nxt`, the payload length of `payload` unless given. */
function ipv6(
  nxt: number,
  payload: Uint8Array,
  o: { plen?: number; first?: string; hlim?: number; src?: string; dst?: string } = {},
) {
  const h = hex(`${o.first ?? '60000000'} 0000 00 00 ${o.src ?? SRC} ${o.dst ?? DST}`);
  new DataView(h.buffer).setUint16(4, o.plen ?? payload.length);
  h[6] = nxt;
  h[7] = o.hlim ?? 64;
  return cat(h, payload);
}

const ETH6 = hex('001122334455 66778899aabb 86dd');
const eth = (ip: Uint8Array, type = ETH6) => cat(type, ip);

function frame(bytes: Uint8Array, origLen = bytes.length) {
  return {
    data: bytes,
    tsSec: 1700000000,
    tsNsec: 0,
    capLen: bytes.length,
    origLen,
    linkType: LINKTYPE.ETHERNET,
    interfaceId: 0,
  };
}

function dissect(bytes: Uint8Array, origLen = bytes.length): Packet {
  return new Dissection({ full: true }).dissect(frame(bytes, origLen));
}

function redissect(d: Dissection, number: number, bytes: Uint8Array): Packet {
  const p = d.packet;
  Object.assign(p.meta, frame(bytes), { number, comments: undefined });
  p.begin(bytes);
  dissectFrame(p);
  return p;
}

const labels = (p: Packet) => Array.from({ length: p.tree.count }, (_, i) => formatLabel(p, i));
const experts = (p: Packet) => p.experts.map((e) => e.message);

describe('IPv6 header', () => {
  // 2001:db8::1 > 2001:db8::2: ip-proto-253 4 (class 0x71, flowlabel 0x00034, hlim 64, next-header 253)
  const bytes = eth(ipv6(253, hex('deadbeef'), { first: '67100034' }));

  it('shows every field with Wireshark 4.0 names and values', () => {
    const p = dissect(bytes);
    expect(p.protocols()).toBe('eth:ethertype:ipv6:data');
    expect(field(p, 'ipv6.version')).toBe('6');
    expect(field(p, 'ip.version')).toBe('6');
    expect(field(p, 'ipv6.tclass')).toBe('0x00000071');
    expect(field(p, 'ipv6.tclass.dscp')).toBe('28');
    expect(field(p, 'ipv6.tclass.ecn')).toBe('1');
    expect(field(p, 'ipv6.flow')).toBe('0x000034');
    expect(field(p, 'ipv6.plen')).toBe('4');
    expect(field(p, 'ipv6.nxt')).toBe('253');
    expect(field(p, 'ipv6.hlim')).toBe('64');
    expect(field(p, 'ipv6.src')).toBe('2001:db8::1');
    expect(field(p, 'ipv6.dst')).toBe('2001:db8::2');
    expect(field(p, 'ipv6.addr')).toBe('2001:db8::1,2001:db8::2');
    expect(field(p, 'ipv6.host')).toBe('2001:db8::1,2001:db8::2');
  });

  it('labels the details tree as Wireshark does', () => {
    const p = dissect(bytes);
    expect(label(p, 'ipv6')).toBe('Internet Protocol Version 6, Src: 2001:db8::1, Dst: 2001:db8::2');
    expect(label(p, 'ipv6.version')).toBe('0110 .... = Version: 6');
    expect(label(p, 'ipv6.tclass')).toBe(
      '.... 0111 0001 .... .... .... .... .... = Traffic Class: 0x71 (DSCP: AF32, ECN: ECT(1))',
    );
    expect(label(p, 'ipv6.tclass.dscp')).toBe(
      '.... 0111 00.. .... .... .... .... .... = Differentiated Services Codepoint: Assured Forwarding 32 (28)',
    );
    expect(label(p, 'ipv6.flow')).toBe('.... 0000 0000 0000 0011 0100 = Flow Label: 0x00034');
    expect(label(p, 'ipv6.nxt')).toBe('Next Header: Unknown (253)');
  });

  it('sets the columns and the network-layer facts', () => {
    const p = dissect(bytes);
    expect(p.protocolCol).toBe('IPv6');
    expect(p.infoCol).toBe('Unknown IP Protocol: Unknown (253)');
    expect(p.srcCol).toBe('2001:db8::1');
    expect(p.dstCol).toBe('2001:db8::2');
    expect(p.netType).toBe(6);
    expect(Array.from(p.netDst6 ?? [])).toEqual(Array.from(hex(DST)));
    expect(p.ipProto).toBe(253);
    expect(p.ipTtl).toBe(64);
  });

  it('says when there is no next header', () => {
    const p = dissect(eth(ipv6(59, hex('010203'))));
    expect(p.infoCol).toBe('IPv6 no next header');
    expect(p.protocols()).toBe('eth:ethertype:ipv6:data');
  });

  it('rejects a version other than 6 as Wireshark does (the payload becomes data)', () => {
    const p = dissect(eth(ipv6(17, hex('0102'), { first: '50000000' })));
    expect(p.protocols()).toBe('eth:ethertype:data');
    expect(field(p, 'ipv6.version')).toBe('5');
    expect(experts(p)).toEqual(['Bogus IPv6 version']);
  });

  it('flags a payload length beyond the frame and goes on', () => {
    const p = dissect(eth(ipv6(253, hex('01020304'), { plen: 200 })));
    expect(experts(p)).toEqual(['IPv6 payload length exceeds framing length (4 bytes)']);
    expect(field(p, 'data.len')).toBe('4');
  });

  it('treats a payload length of 0 as empty (TSO is not assumed for IPv6)', () => {
    const p = dissect(eth(ipv6(253, hex('01020304'), { plen: 0 })));
    expect(experts(p)).toEqual(['IPv6 payload length equals 0 (maybe because of "TCP segmentation offload" (TSO))']);
    expect(field(p, 'eth.trailer')).toBe('01020304');
  });

  it("takes a jumbogram's length from its hop-by-hop option", () => {
    // plen 0, hop-by-hop with Jumbo Payload 70000; the frame is cut short by the capture
    const bytes = eth(ipv6(0, hex('fd00 c204 00011170 0102030405060708'), { plen: 0 }));
    const p = dissect(bytes, 14 + 40 + 70000);
    expect(field(p, 'ipv6.opt.jumbo')).toBe('70000');
    expect(label(p, 'ipv6.plen')).toBe('Payload Length: 0 (Jumbogram)');
    expect(experts(p)).toEqual([]);
    expect(p.protocols()).toBe('eth:ethertype:ipv6:ipv6.hopopts:data');
  });

  it('wants a Jumbo Payload option when a hop-by-hop header comes with length 0', () => {
    const p = dissect(eth(ipv6(0, hex('fd00 01040000 0000'), { plen: 0 })));
    expect(experts(p)[0]).toBe('IPv6 payload length equals 0 and Hop-By-Hop present and Jumbo Payload option missing');
    expect(p.malformedCount).toBe(1);
  });

  it('shows each field the capture has', () => {
    const full = eth(ipv6(253, hex('01020304')));
    const at = (n: number) => dissect(full.subarray(0, n), full.length);
    expect(at(14).protocols()).toBe('eth:ethertype:ipv6');
    expect(field(at(15), 'ipv6.version')).toBe('6');
    expect(field(at(18), 'ipv6.flow')).toBe('0x000000');
    expect(field(at(20), 'ipv6.plen')).toBe('');
    expect(field(at(21), 'ipv6.plen')).toBe('4');
    expect(field(at(38), 'ipv6.src')).toBe('2001:db8::1');
    expect(field(at(53), 'ipv6.dst')).toBe('');
    expect(at(53).infoCol).toBe('[Packet size limited during capture]');
  });
});

describe('IPv6 extension headers', () => {
  it('dissects hop-by-hop options: router alert and PadN, as MLD packets carry them', () => {
    // hop-by-hop: next 253, router alert MLD, PadN with no data
    const p = dissect(eth(ipv6(0, hex('fd00 05020000 0100 aabb'))));
    expect(p.protocols()).toBe('eth:ethertype:ipv6:ipv6.hopopts:data');
    expect(field(p, 'ipv6.nxt')).toBe('0');
    expect(field(p, 'ipv6.hopopts.nxt')).toBe('253');
    expect(field(p, 'ipv6.hopopts.len')).toBe('0');
    expect(field(p, 'ipv6.hopopts.len_oct')).toBe('8');
    expect(field(p, 'ipv6.opt.type')).toBe('0x05,0x01');
    expect(field(p, 'ipv6.opt.length')).toBe('2,0');
    expect(field(p, 'ipv6.opt.router_alert')).toBe('0');
    expect(field(p, 'ipv6.opt.type.action')).toBe('0,0');
    expect(label(p, 'ipv6.hopopts')).toBe('IPv6 Hop-by-Hop Option');
    expect(label(p, 'ipv6.opt')).toBe('Router Alert');
    expect(label(p, 'ipv6.opt.type')).toBe('Type: Router Alert (0x05)');
    expect(label(p, 'ipv6.opt.router_alert')).toBe('Router Alert: MLD (0)');
    expect(label(p, 'ipv6.opt.padn')).toBe('PadN: <none>');
    expect(label(p, 'ipv6.hopopts.len_oct')).toBe('[Length: 8 bytes]');
    expect(field(p, 'data.len')).toBe('2');
  });

  it("shows Pad1, experimental and unknown options with Wireshark's notes", () => {
    // hop-by-hop: Pad1, Tunnel Encapsulation Limit (belongs in destination options), experimental 0x1e, unknown 0x02 x2
    const p = dissect(eth(ipv6(0, hex('fd01 00 040105 1e020102 0202abcd 0000'))));
    // Wireshark reads a byte after each Pad1: the one ending the packet makes it malformed.
    expect(field(p, 'ipv6.opt.type')).toBe('0x00,0x04,0x1e,0x02,0x00');
    expect(p.malformedCount).toBe(1);
    expect(field(p, 'ipv6.opt.tel')).toBe('5');
    expect(field(p, 'ipv6.opt.experimental')).toBe('0102');
    expect(field(p, 'ipv6.opt.unknown')).toBe('abcd');
    expect(labels(p)).toContain('Unknown IPv6 Option (2)');
    expect(label(p, 'ipv6.opt.type', 2)).toBe('Type: Experimental (0x1E) (0x1e)');
    expect(experts(p)).toEqual([
      'Tunnel Encapsulation Limit must use a destination options header',
      'Unknown Data (not interpreted)',
      'Malformed Packet (Exception occurred)',
    ]);
  });

  it('dissects destination options, routing and atomic fragment headers in a chain', () => {
    // dst-opts (PadN 4) -> routing type 2 (segments left 1) -> fragment (offset 0, M=0) -> 253
    const chain = hex(
      '2b00 01040000 0000' + '2c02 0201 00000000 20010db8000000000000000000000099' + 'fd00 0000 00000001' + 'ab',
    );
    const p = dissect(eth(ipv6(60, chain)));
    expect(p.protocols()).toBe('eth:ethertype:ipv6:ipv6.dstopts:ipv6.routing:ipv6.fraghdr:data');
    expect(field(p, 'ipv6.nxt')).toBe('60');
    expect(field(p, 'ipv6.dstopts.nxt')).toBe('43');
    expect(field(p, 'ipv6.routing.nxt')).toBe('44');
    expect(field(p, 'ipv6.routing.type')).toBe('2');
    expect(field(p, 'ipv6.routing.segleft')).toBe('1');
    expect(field(p, 'ipv6.routing.mipv6.home_address')).toBe('2001:db8::99');
    expect(label(p, 'ipv6.routing')).toBe('Routing Header for IPv6 (Type 2 Routing)');
    expect(label(p, 'ipv6.routing.mipv6.home_address')).toBe('Address[1]: 2001:db8::99');
    expect(field(p, 'ipv6.fraghdr.nxt')).toBe('253');
    expect(field(p, 'ipv6.fraghdr.offset')).toBe('0');
    expect(field(p, 'ipv6.fraghdr.more')).toBe('0');
    expect(field(p, 'ipv6.fraghdr.ident')).toBe('0x00000001');
    expect(label(p, 'ipv6.fraghdr.offset')).toBe('0000 0000 0000 0... = Offset: 0 (0 bytes)');
    // The routing header's home address is where the packet goes.
    expect(p.dstCol).toBe('2001:db8::99');
    expect(field(p, 'ipv6.dst')).toBe('2001:db8::2');
    expect(p.infoCol).toBe('Unknown IP Protocol: Unknown (253)');
    expect(field(p, 'data.len')).toBe('1');
  });

  it('notes the deprecated source route and takes its last address as the destination', () => {
    const rt0 = hex('fd04 0002 00000000 20010db800000000000000000000000a 20010db800000000000000000000000b');
    const p = dissect(eth(ipv6(43, rt0)));
    expect(field(p, 'ipv6.routing.src.addr')).toBe('2001:db8::a,2001:db8::b');
    expect(label(p, 'ipv6.routing.src.addr', 1)).toBe('Address[2]: 2001:db8::b');
    expect(experts(p)).toEqual(['Routing header type is deprecated']);
    expect(p.experts[0].group).toBe('deprecated');
    expect(p.dstCol).toBe('2001:db8::b');
  });

  it('dissects a segment routing header (addresses counted from 0, the first is the last segment)', () => {
    const srh = hex('fd04 0401 01000000 20010db800000000000000000000000a 20010db800000000000000000000000b');
    const p = dissect(eth(ipv6(43, srh)));
    expect(field(p, 'ipv6.routing.srh.last_entry')).toBe('1');
    expect(field(p, 'ipv6.routing.srh.addr')).toBe('2001:db8::a,2001:db8::b');
    expect(label(p, 'ipv6.routing.srh.addr')).toBe('Address[0]: 2001:db8::a');
    expect(p.dstCol).toBe('2001:db8::a');
  });

  it('wants the hop-by-hop header first', () => {
    const p = dissect(eth(ipv6(60, hex('0000 01040000 0000 fd00 01040000 0000'))));
    expect(p.protocols()).toBe('eth:ethertype:ipv6:ipv6.dstopts:ipv6.hopopts');
    expect(experts(p)).toEqual(['IPv6 Hop-by-Hop extension header must appear immediately after IPv6 header']);
  });

  it('marks an extension header longer than the payload as malformed', () => {
    const p = dissect(eth(ipv6(60, hex('fd05 01040000 0000'))));
    expect(p.malformedCount).toBe(1);
    expect(p.infoCol).toBe('IPv6 destination options[Malformed Packet]');
  });

  it('marks a capture cut inside an extension header as truncated', () => {
    const bytes = eth(ipv6(43, hex('fd00 0000 00000000')));
    const p = dissect(bytes.subarray(0, 56), bytes.length);
    expect(p.protocols()).toBe('eth:ethertype:ipv6:ipv6.routing');
    expect(p.infoCol).toBe('IPv6 routing[Packet size limited during capture]');
  });
});

describe('IPv6 fragment reassembly', () => {
  const payload = Uint8Array.from({ length: 24 }, (_, i) => 0x40 + i);
  const frag = (from: number, to: number, more: boolean) => {
    const h = hex(`fd00 0000 0000abcd`);
    new DataView(h.buffer).setUint16(2, from | (more ? 1 : 0));
    return eth(ipv6(44, cat(h, payload.subarray(from, to))));
  };
  const frames = [frag(0, 16, true), frag(16, 24, false)];

  it('shows the first fragment as data and reassembles on the last', () => {
    const d = new Dissection({ full: true });
    const p1 = d.dissect(frame(frames[0]));
    expect(p1.protocols()).toBe('eth:ethertype:ipv6:ipv6.fraghdr:data');
    expect(p1.infoCol).toBe('IPv6 fragment (off=0 more=y ident=0x0000abcd nxt=253)');
    expect(field(p1, 'ipv6.fraghdr.more')).toBe('1');
    const p2 = d.dissect(frame(frames[1]));
    expect(field(p2, 'ipv6.fraghdr.offset')).toBe('2');
    expect(field(p2, 'ipv6.fragment')).toBe('1,2');
    expect(field(p2, 'ipv6.fragment.count')).toBe('2');
    expect(field(p2, 'ipv6.reassembled.length')).toBe('24');
    expect(label(p2, 'ipv6.fragments')).toBe('[2 IPv6 Fragments (24 bytes): #1(16), #2(8)]');
    expect(p2.sources.map((s) => s.name)).toEqual(['Frame', 'Reassembled IPv6']);
    expect(field(p2, 'data.len')).toBe('24');
    expect(p2.infoCol).toBe('Unknown IP Protocol: Unknown (253)');
  });

  it('says where each fragment was reassembled when frames are dissected again', () => {
    const d = new Dissection({ full: true });
    frames.forEach((f) => d.dissect(frame(f)));
    expect(field(redissect(d, 1, frames[0]), 'ipv6.reassembled.in')).toBe('2');
    expect(field(redissect(d, 2, frames[1]), 'ipv6.reassembled.length')).toBe('24');
  });
});

describe('IP in IP', () => {
  it('dissects IPv6 in IPv4 (protocol 41) and IPv4 in IPv6 (next header 4)', () => {
    const v6 = ipv6(253, hex('00'));
    const v4 = hex('45000035 00010000 4029 0000 01010101 02020202');
    new DataView(v4.buffer).setUint16(2, 20 + v6.length);
    const p = dissect(eth(cat(v4, v6), hex('001122334455 66778899aabb 0800')));
    expect(p.protocols()).toBe('eth:ethertype:ip:ipv6:data');
    expect(field(p, 'ip.version')).toBe('4,6');
    expect(p.srcCol).toBe('2001:db8::1');

    const inner = hex('45000015 00010000 40fd0000 0a000001 0a000002 00');
    const q = dissect(eth(ipv6(4, inner)));
    expect(q.protocols()).toBe('eth:ethertype:ipv6:ip:data');
    expect(q.srcCol).toBe('10.0.0.1');
    expect(q.netType).toBe(4);
  });
});

describe('IPv6 robustness', () => {
  it('never throws on random bytes after an IPv6 EtherType', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 160 }), (body) => {
        const bytes = eth(cat(hex('60'), body));
        const p = new Dissection({ full: true }).dissect(frame(bytes));
        expect(p.layers[0]).toBe('eth');
      }),
    );
  });

  it('never throws on random extension header chains', () => {
    fc.assert(
      fc.property(fc.constantFrom(0, 43, 44, 60, 59, 58), fc.uint8Array({ maxLength: 120 }), (nxt, body) => {
        const p = new Dissection({ full: true }).dissect(frame(eth(ipv6(nxt, body))));
        expect(p.layers[2]).toBe('ipv6');
      }),
    );
  });
});
