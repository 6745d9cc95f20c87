import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Dissection } from './index.js';
import type { Packet } from './packet.js';
import { fieldByAbbrev } from './fields.js';
import { dissectFrame } from './frame.js';
import { formatLabel } from '../output/format.js';
import { LINKTYPE } from './linktypes.js';
import {
  FRAGMENT_COMPLETED,
  FRAGMENT_DONE,
  FRAGMENT_DROPPED,
  FRAGMENT_PENDING,
  FragmentTable,
} from './ip-reassembly.js';
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

function checksum(b: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < b.length; i += 2) sum += (b[i] << 8) | (b[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

interface V4 {
  src?: string;
  dst?: string;
  proto?: number;
  ttl?: number;
  id?: number;
  flags?: number;
  offset?: number;
  tos?: number;
  options?: string;
  totalLength?: number;
}

/** An IPv4 header (with a correct header checksum) followed by `payload`. */
function ipv4(payload: Uint8Array, o: V4 = {}): Uint8Array {
  const opts = hex(o.options ?? '');
  const h = new Uint8Array(20 + opts.length);
  const dv = new DataView(h.buffer);
  h[0] = 0x40 | (h.length / 4);
  h[1] = o.tos ?? 0;
  dv.setUint16(2, o.totalLength ?? h.length + payload.length);
  dv.setUint16(4, o.id ?? 1);
  dv.setUint16(6, ((o.flags ?? 0) << 13) | (o.offset ?? 0));
  h[8] = o.ttl ?? 64;
  h[9] = o.proto ?? 253;
  h.set((o.src ?? '10.0.0.1').split('.').map(Number), 12);
  h.set((o.dst ?? '10.0.0.2').split('.').map(Number), 16);
  h.set(opts, 20);
  dv.setUint16(10, checksum(h));
  return cat(h, payload);
}

const ETH = hex('001122334455 66778899aabb 0800');
const eth = (ip: Uint8Array) => cat(ETH, ip);

function frame(bytes: Uint8Array, origLen = bytes.length, tsSec = 1700000000) {
  return { data: bytes, tsSec, tsNsec: 0, capLen: bytes.length, origLen, linkType: LINKTYPE.ETHERNET, interfaceId: 0 };
}

function dissect(bytes: Uint8Array, origLen = bytes.length): Packet {
  return new Dissection({ full: true }).dissect(frame(bytes, origLen));
}

/** Dissects frame `number` again with the same session (a second pass, or the UI opening it). */
function redissect(d: Dissection, number: number, bytes: Uint8Array): Packet {
  const p = d.packet;
  Object.assign(p.meta, frame(bytes), { number, comments: undefined });
  p.begin(bytes);
  dissectFrame(p);
  return p;
}

const experts = (p: Packet) => p.experts.map((e) => e.message);

describe('IPv4 header', () => {
  // 10.0.0.1 > 10.0.0.2: ip-proto-253 4 (tos 0xb8, ttl 64, id 4660, offset 0, flags [DF], length 24)
  const bytes = eth(ipv4(hex('deadbeef'), { tos: 0xb8, id: 0x1234, flags: 2 }));

  it('shows every field with Wireshark 4.0 names and values', () => {
    const p = dissect(bytes);
    expect(p.protocols()).toBe('eth:ethertype:ip:data');
    expect(field(p, 'ip.version')).toBe('4');
    expect(field(p, 'ip.hdr_len')).toBe('20');
    expect(field(p, 'ip.dsfield')).toBe('0xb8');
    expect(field(p, 'ip.dsfield.dscp')).toBe('46');
    expect(field(p, 'ip.dsfield.ecn')).toBe('0');
    expect(field(p, 'ip.len')).toBe('24');
    expect(field(p, 'ip.id')).toBe('0x1234');
    expect(field(p, 'ip.flags')).toBe('0x02');
    expect(field(p, 'ip.flags.rb')).toBe('0');
    expect(field(p, 'ip.flags.df')).toBe('1');
    expect(field(p, 'ip.flags.mf')).toBe('0');
    expect(field(p, 'ip.frag_offset')).toBe('0');
    expect(field(p, 'ip.ttl')).toBe('64');
    expect(field(p, 'ip.proto')).toBe('253');
    expect(field(p, 'ip.checksum.status')).toBe('2');
    expect(field(p, 'ip.src')).toBe('10.0.0.1');
    expect(field(p, 'ip.dst')).toBe('10.0.0.2');
    expect(field(p, 'ip.addr')).toBe('10.0.0.1,10.0.0.2');
    expect(field(p, 'ip.host')).toBe('10.0.0.1,10.0.0.2');
    expect(field(p, 'ip.src_host')).toBe('10.0.0.1');
  });

  it('labels the details tree as Wireshark does', () => {
    const p = dissect(bytes);
    expect(label(p, 'ip')).toBe('Internet Protocol Version 4, Src: 10.0.0.1, Dst: 10.0.0.2');
    expect(label(p, 'ip.version')).toBe('0100 .... = Version: 4');
    expect(label(p, 'ip.hdr_len')).toBe('.... 0101 = Header Length: 20 bytes (5)');
    expect(label(p, 'ip.dsfield')).toBe('Differentiated Services Field: 0xb8 (DSCP: EF PHB, ECN: Not-ECT)');
    expect(label(p, 'ip.dsfield.dscp')).toBe(
      '1011 10.. = Differentiated Services Codepoint: Expedited Forwarding (46)',
    );
    expect(label(p, 'ip.id')).toBe('Identification: 0x1234 (4660)');
    expect(label(p, 'ip.flags')).toBe("010. .... = Flags: 0x2, Don't fragment");
    expect(label(p, 'ip.flags.df')).toBe(".1.. .... = Don't fragment: Set");
    expect(label(p, 'ip.frag_offset')).toBe('...0 0000 0000 0000 = Fragment Offset: 0');
    expect(label(p, 'ip.proto')).toBe('Protocol: Unknown (253)');
    expect(label(p, 'ip.checksum')).toMatch(/^Header Checksum: 0x[0-9a-f]{4} \[validation disabled\]$/);
    expect(label(p, 'ip.checksum.status')).toBe('[Header checksum status: Unverified]');
  });

  it('sets the columns and the network-layer facts for upper layers', () => {
    const p = dissect(bytes);
    expect(p.protocolCol).toBe('IPv4');
    expect(p.infoCol).toBe('Unknown (253)');
    expect(p.srcCol).toBe('10.0.0.1');
    expect(p.dstCol).toBe('10.0.0.2');
    expect(p.netType).toBe(4);
    expect(p.netSrc4).toBe(0x0a000001);
    expect(p.netDst4).toBe(0x0a000002);
    expect(p.ipProto).toBe(253);
    expect(p.ipTtl).toBe(64);
  });

  it("stops at a header length below 20 with Wireshark's expert and Info", () => {
    // tcpdump__ipv4_invalid_hdr_length.pcap: IHL 4
    const p = dissect(eth(hex('44000028 00010000 40060000 0a000001 0a000002')));
    expect(p.protocols()).toBe('eth:ethertype:ip');
    expect(p.protocolCol).toBe('IPv4');
    expect(p.infoCol).toBe('Bogus IP header length (16, must be at least 20)');
    expect(field(p, 'ip.hdr_len')).toBe('16');
    expect(field(p, 'ip.src')).toBe('');
    expect(experts(p)).toEqual(['Bogus IP header length (16, must be at least 20)']);
    expect(p.experts[0].severity).toBe('error');
  });

  it('reports a version other than 4', () => {
    const p = dissect(eth(hex('35000014 00010000 40fd0000 0a000001 0a000002')));
    expect(p.infoCol).toBe('Bogus IPv4 version (3, must be 4)');
    expect(experts(p)).toEqual(['Bogus IPv4 version']);
    expect(field(p, 'ip.version')).toBe('3');
  });

  it('stops at a total length smaller than the header', () => {
    const p = dissect(eth(ipv4(hex('0102'), { totalLength: 12 })));
    expect(p.protocols()).toBe('eth:ethertype:ip');
    expect(p.infoCol).toBe('Bogus IP length (12, less than header length 20)');
    expect(label(p, 'ip.len')).toBe('Total Length: 12 bytes (bogus, less than header length 20)');
    expect(experts(p)).toEqual(['Bogus IP length']);
  });

  it('takes a total length of 0 as TSO and uses the frame length', () => {
    const p = dissect(eth(ipv4(hex('01020304'), { totalLength: 0 })));
    expect(field(p, 'ip.len')).toBe('24');
    expect(p.protocols()).toBe('eth:ethertype:ip:data');
    expect(experts(p)).toEqual([]);
  });

  it('flags a total length beyond the frame and goes on', () => {
    const p = dissect(eth(ipv4(hex('01020304'), { totalLength: 100 })));
    expect(experts(p)).toEqual(['IPv4 total length exceeds packet length (24 bytes)']);
    expect(field(p, 'data.len')).toBe('4');
  });

  it('returns the datagram end so Ethernet shows padding, trailer and FCS', () => {
    // 24-byte datagram in a 64-byte frame: 22 bytes of padding to 60, then 4 bytes that a frame
    // of 64 bytes or more is taken to end with: an FCS (tshark 4.0.17 shows the same)
    const p = dissect(cat(eth(ipv4(hex('01020304'))), new Uint8Array(22), hex('cafebabe')));
    expect(field(p, 'data.len')).toBe('4');
    expect(field(p, 'eth.padding')).toBe('00'.repeat(22));
    expect(field(p, 'eth.trailer')).toBe('');
    expect(field(p, 'eth.fcs')).toBe('0xcafebabe');
    // Six more bytes: a trailer before the FCS.
    const q = dissect(cat(eth(ipv4(hex('01020304'))), new Uint8Array(22), hex('cafebabe0102030405060708')));
    expect(field(q, 'eth.trailer')).toBe('cafebabe01020304');
    expect(field(q, 'eth.fcs')).toBe('0x05060708');
  });

  it('notes non-zero padding of a short frame as a trailer, as Wireshark does', () => {
    // 24-byte datagram padded to 60 bytes with 0x11: no zero padding, so all of it is trailer.
    const p = dissect(cat(eth(ipv4(hex('01020304'))), new Uint8Array(22).fill(0x11)));
    expect(field(p, 'eth.padding')).toBe('');
    expect(field(p, 'eth.trailer')).toBe('11'.repeat(22));
    expect(field(p, 'eth.fcs')).toBe('');
    expect(experts(p)).toEqual([
      "Didn't find padding of zeros, and an undecoded trailer exists. There may be padding of non-zeros.",
    ]);
  });

  it('shows each field the capture has and marks the rest as cut short', () => {
    const full = eth(ipv4(hex('01020304')));
    const at = (n: number) => dissect(full.subarray(0, n), full.length);
    expect(at(14).protocols()).toBe('eth:ethertype:ip');
    expect(at(14).infoCol).toBe('[Packet size limited during capture]');
    expect(field(at(15), 'ip.hdr_len')).toBe('20');
    expect(field(at(15), 'ip.dsfield')).toBe('');
    expect(field(at(20), 'ip.id')).toBe('0x0001');
    expect(field(at(33), 'ip.src')).toBe('10.0.0.1');
    expect(field(at(33), 'ip.dst')).toBe('');
    expect(at(33).srcCol).toBe('10.0.0.1');
    expect(at(33).truncatedCount).toBe(1);
    expect(at(34).protocols()).toBe('eth:ethertype:ip');
  });

  it('marks a header that the frame says is shorter than it is as malformed', () => {
    const p = dissect(eth(ipv4(hex(''))).subarray(0, 30));
    expect(p.malformedCount).toBe(1);
    expect(p.infoCol).toBe('[Malformed Packet]');
  });
});

describe('IPv4 options', () => {
  // NOP, record route (1 recorded, 1 empty), router alert, unknown 0x9e, timestamp with address, EOL
  const options = '01 070b08 01020304 00000000 94040000 9e040102 440c0501 00000000 00000000 00000000';

  it('dissects each option with its type parts, length and values', () => {
    const p = dissect(eth(ipv4(hex('ab'), { options })));
    expect(field(p, 'ip.hdr_len')).toBe('56');
    expect(field(p, 'ip.opt.type')).toBe('1,7,148,68,0');
    expect(field(p, 'ip.opt.type.copy')).toBe('0,0,1,0,0');
    expect(field(p, 'ip.opt.type.class')).toBe('0,0,0,2,0');
    expect(field(p, 'ip.opt.type.number')).toBe('1,7,20,4,0');
    expect(field(p, 'ip.opt.len')).toBe('11,4,12');
    expect(field(p, 'ip.opt.ptr')).toBe('8,5');
    expect(field(p, 'ip.rec_rt')).toBe('1.2.3.4');
    expect(field(p, 'ip.empty_rt')).toBe('0.0.0.0');
    expect(field(p, 'ip.opt.ra')).toBe('0');
    expect(field(p, 'ip.opt.flag')).toBe('0x01');
    expect(field(p, 'ip.opt.time_stamp_addr')).toBe('0.0.0.0');
    expect(field(p, 'ip.opt.time_stamp')).toBe('0');
    expect(p.protocols()).toBe('eth:ethertype:ip:data');
  });

  it('labels the options as Wireshark does', () => {
    const p = dissect(eth(ipv4(hex('ab'), { options })));
    const texts = Array.from({ length: p.tree.count }, (_, i) => formatLabel(p, i));
    expect(texts).toContain('Options: (36 bytes), Record Route, Router Alert, Time Stamp');
    expect(texts).toContain('Unknown (0x9e) (4 bytes)');
    expect(label(p, 'ip.options.nop')).toBe('IP Option - No-Operation (NOP)');
    expect(label(p, 'ip.options.record_route')).toBe('IP Option - Record Route (11 bytes)');
    expect(label(p, 'ip.options.routeralert')).toBe(
      'IP Option - Router Alert (4 bytes): Router shall examine packet (0)',
    );
    expect(label(p, 'ip.empty_rt')).toBe('Empty Route: 0.0.0.0 <- (next)');
    expect(label(p, 'ip.opt.type.number', 1)).toBe('...0 0111 = Number: Record route (7)');
    expect(label(p, 'ip.opt.flag')).toBe('.... 0001 = Flag: Time stamp and address (0x1)');
    expect(label(p, 'ip.opt.time_stamp_addr')).toBe('Address: -');
  });

  it('stops at an option longer than the options area, with an expert', () => {
    const p = dissect(eth(ipv4(hex('ab'), { options: '07280400' })));
    expect(experts(p)).toEqual(['Record Route (option length = 40 bytes says option goes past end of options)']);
    expect(p.protocols()).toBe('eth:ethertype:ip:data');
  });

  it('notes four NOPs in a row', () => {
    const p = dissect(eth(ipv4(hex('ab'), { options: '01010101' })));
    expect(experts(p)).toEqual(['4 NOP in a row - a router may have removed some options']);
  });

  it('takes the destination from a loose source route in progress', () => {
    // LSR, pointer 4: next hop 1.1.1.1, final destination 2.2.2.2; header dst is the current hop
    const p = dissect(eth(ipv4(hex('ab'), { options: '830b04 01010101 02020202 00', dst: '9.9.9.9' })));
    expect(field(p, 'ip.cur_rt')).toBe('9.9.9.9');
    expect(field(p, 'ip.dst')).toBe('2.2.2.2');
    expect(field(p, 'ip.src_rt')).toBe('1.1.1.1');
    expect(p.dstCol).toBe('2.2.2.2');
    expect(label(p, 'ip')).toBe('Internet Protocol Version 4, Src: 10.0.0.1, Dst: 2.2.2.2, Via: 9.9.9.9');
  });
});

describe('IPv4 TTL notes', () => {
  it('notes a low TTL to a unicast address', () => {
    expect(experts(dissect(eth(ipv4(hex('00'), { ttl: 3 }))))).toEqual(['"Time To Live" only 3']);
  });

  it('wants TTL 1 for the local network control block, except for a few protocols', () => {
    expect(experts(dissect(eth(ipv4(hex('00'), { ttl: 2, dst: '224.0.0.9' }))))).toEqual([
      '"Time To Live" != 1 for a packet sent to the Local Network Control Block (see RFC 3171)',
    ]);
    expect(experts(dissect(eth(ipv4(hex('00'), { ttl: 255, dst: '224.0.0.251' }))))).toEqual([]);
    expect(experts(dissect(eth(ipv4(hex('00'), { ttl: 1, dst: '239.1.1.1' }))))).toEqual([]);
  });
});

describe('IPv4 fragment reassembly', () => {
  // 40 bytes of payload for protocol 253 in three fragments: 0-15 (MF), 16-31 (MF), 32-39
  const payload = Uint8Array.from({ length: 40 }, (_, i) => i);
  const frag = (from: number, to: number, more: boolean) =>
    eth(ipv4(payload.subarray(from, to), { id: 0xabcd, offset: from / 8, flags: more ? 1 : 0 }));
  const frames = [frag(0, 16, true), frag(16, 32, true), frag(32, 40, false)];

  it('shows fragments as data and dissects the reassembled payload on the last one', () => {
    const d = new Dissection({ full: true });
    const p1 = d.dissect(frame(frames[0]));
    expect(p1.protocols()).toBe('eth:ethertype:ip:data');
    expect(p1.protocolCol).toBe('IPv4');
    expect(p1.infoCol).toBe('Fragmented IP protocol (proto=Unknown 253, off=0, ID=abcd)');
    const p2 = d.dissect(frame(frames[1]));
    expect(p2.infoCol).toBe('Fragmented IP protocol (proto=Unknown 253, off=16, ID=abcd)');
    expect(field(p2, 'ip.frag_offset')).toBe('2');
    expect(label(p2, 'ip.frag_offset')).toBe('...0 0000 0000 0010 = Fragment Offset: 16');
    const p3 = d.dissect(frame(frames[2]));
    expect(p3.protocols()).toBe('eth:ethertype:ip:data');
    expect(field(p3, 'ip.fragment')).toBe('1,2,3');
    expect(field(p3, 'ip.fragment.count')).toBe('3');
    expect(field(p3, 'ip.reassembled.length')).toBe('40');
    expect(label(p3, 'ip.fragments')).toBe('[3 IPv4 Fragments (40 bytes): #1(16), #2(16), #3(8)]');
    expect(label(p3, 'ip.fragment', 1)).toBe('[Frame: 2, payload: 16-31 (16 bytes)]');
    expect(p3.sources.map((s) => s.name)).toEqual(['Frame', 'Reassembled IPv4']);
    // The data item points into the reassembled buffer, from offset 0.
    const di = p3.tree.find(fieldByAbbrev('data.data')?.id ?? -1);
    expect(p3.tree.source[di]).toBe(1);
    expect(p3.tree.start[di]).toBe(0);
    expect(field(p3, 'data.data')).toBe(Array.from(payload, (b) => b.toString(16).padStart(2, '0')).join(''));
    expect(p3.infoCol).toBe('Unknown (253)');
  });

  it('says where each fragment was reassembled when frames are dissected again', () => {
    const d = new Dissection({ full: true, columns: true });
    frames.forEach((f) => d.dissect(frame(f)));
    const again1 = redissect(d, 1, frames[0]);
    expect(again1.infoCol).toBe('Fragmented IP protocol (proto=Unknown 253, off=0, ID=abcd) [Reassembled in #3]');
    expect(field(again1, 'ip.reassembled_in')).toBe('3');
    const again3 = redissect(d, 3, frames[2]);
    expect(field(again3, 'ip.reassembled.length')).toBe('40');
    expect(field(again3, 'ip.reassembled_in')).toBe('');
  });

  it("says where each fragment was reassembled in the output pass of -2, from the first pass's table", () => {
    const first = new Dissection({ full: false, columns: false });
    frames.forEach((f) => first.dissect(frame(f)));
    const second = new Dissection({ full: true, columns: true });
    second.session.firstPass = first.session;
    const p1 = second.dissect(frame(frames[0]));
    expect(p1.infoCol).toBe('Fragmented IP protocol (proto=Unknown 253, off=0, ID=abcd) [Reassembled in #3]');
    expect(field(p1, 'ip.reassembled_in')).toBe('3');
  });

  it('reassembles fragments that arrive out of order', () => {
    const d = new Dissection({ full: true });
    d.dissect(frame(frames[2]));
    d.dissect(frame(frames[0]));
    const p = d.dissect(frame(frames[1]));
    expect(field(p, 'ip.fragment')).toBe('2,3,1');
    expect(field(p, 'ip.reassembled.length')).toBe('40');
  });

  it('shows a first fragment it cannot keep as it is', () => {
    const first = frames[0];
    const p = dissect(first.subarray(0, first.length - 4), first.length);
    expect(p.fragmented).toBe(false);
    expect(p.protocols()).toBe('eth:ethertype:ip:data');
    expect(p.infoCol).toBe('Unknown (253)');
    expect(field(p, 'data.len')).toBe('12');
  });
});

describe('FragmentTable', () => {
  const bytes = new Uint8Array(64);

  it('gives up datagrams that stay incomplete for a minute', () => {
    const t = new FragmentTable();
    expect(t.add('k', 1, 0, bytes, 0, 8, 0, true)).toBe(FRAGMENT_PENDING);
    // A fragment of another datagram 61 s later expires the first one.
    expect(t.add('other', 2, 61, bytes, 0, 8, 0, true)).toBe(FRAGMENT_PENDING);
    expect(t.add('k', 3, 61, bytes, 0, 8, 8, false)).toBe(FRAGMENT_PENDING);
  });

  it('drops fragments beyond the largest datagram', () => {
    expect(new FragmentTable().add('k', 1, 0, bytes, 0, 16, 65528, false)).toBe(FRAGMENT_DROPPED);
  });

  it('completes with overlapping fragments and remembers each frame', () => {
    const t = new FragmentTable();
    t.add('k', 1, 0, bytes, 0, 16, 0, true);
    t.add('k', 2, 0, bytes, 0, 16, 8, true);
    expect(t.add('k', 3, 0, bytes, 0, 8, 24, false)).toBe(FRAGMENT_COMPLETED);
    expect(t.result?.data.length).toBe(32);
    expect(t.add('k', 1, 0, bytes, 0, 16, 0, true)).toBe(FRAGMENT_DONE);
    expect(t.reassembledIn).toBe(3);
    expect(t.add('k', 3, 0, bytes, 0, 8, 24, false)).toBe(FRAGMENT_COMPLETED);
  });
});

describe('IPv4 robustness', () => {
  it('never throws on random bytes after an IPv4 EtherType', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), fc.nat(200), (body, extra) => {
        const bytes = eth(body);
        const p = new Dissection({ full: true }).dissect(frame(bytes, bytes.length + (extra % 3 === 0 ? extra : 0)));
        expect(p.layers[0]).toBe('eth');
      }),
    );
  });

  it('never throws on any cut of a valid packet with options and fragments', () => {
    const d = new Dissection({ full: true });
    const whole = eth(ipv4(hex('0102030405060708'), { options: '01 070b08 01020304 00000000', flags: 1, id: 7 }));
    fc.assert(
      fc.property(fc.nat(whole.length), fc.boolean(), (n, fullFrame) => {
        const cut = whole.subarray(0, n);
        d.dissect(frame(cut, fullFrame ? whole.length : cut.length));
      }),
    );
  });
});
