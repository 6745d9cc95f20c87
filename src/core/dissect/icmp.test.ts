import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Dissection } from './index.js';
import type { Packet } from './packet.js';
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

function checksum(b: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < b.length; i += 2) sum += (b[i] << 8) | (b[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

const A = '0a000001'; // 10.0.0.1
const B = '0a000002'; // 10.0.0.2

function ipv4(src: string, dst: string, proto: number, payload: Uint8Array, ttl = 64): Uint8Array {
  const h = hex(
    `45000000 00010000 ${ttl.toString(16).padStart(2, '0')}${proto.toString(16).padStart(2, '0')}0000 ${src} ${dst}`,
  );
  new DataView(h.buffer).setUint16(2, 20 + payload.length);
  new DataView(h.buffer).setUint16(10, checksum(h));
  return cat(h, payload);
}

/** An ICMP message with a correct checksum. */
function icmp(type: number, code: number, rest: string, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const m = cat(hex(`${type.toString(16).padStart(2, '0')}${code.toString(16).padStart(2, '0')}0000 ${rest}`), data);
  new DataView(m.buffer).setUint16(2, checksum(m));
  return m;
}

const eth = (ip: Uint8Array) => cat(hex('001122334455 66778899aabb 0800'), ip);
const T0 = 1700000000;

const frame = (bytes: Uint8Array, tsSec = T0, tsNsec = 0) =>
  frameOf(LINKTYPE.ETHERNET, bytes, bytes.length, tsSec, tsNsec);

const dissect = (bytes: Uint8Array): Packet => new Dissection({ full: true }).dissect(frame(bytes));

const redissectAt = (d: Dissection, number: number, bytes: Uint8Array, tsSec = T0): Packet =>
  redissect(d, number, frame(bytes, tsSec));

const experts = (p: Packet) => p.experts.map((e) => e.message);

// Echo data as Linux ping writes it: a little-endian timeval, then 40 bytes of pattern.
const pingData = cat(
  hex('00f15365 40e20100'),
  Uint8Array.from({ length: 40 }, (_, i) => 0x10 + i),
);
// 10.0.0.1 > 10.0.0.2: ICMP echo request, id 4660, seq 1, length 56
const request = eth(ipv4(A, B, 1, icmp(8, 0, '1234 0001', pingData)));
// 10.0.0.2 > 10.0.0.1: ICMP echo reply, id 4660, seq 1, length 56
const reply = eth(ipv4(B, A, 1, icmp(0, 0, '1234 0001', pingData)));

describe('ICMP echo', () => {
  it('shows type, code, verified checksum and both byte orders of identifier and sequence', () => {
    const p = dissect(request);
    expect(p.protocols()).toBe('eth:ethertype:ip:icmp:data');
    expect(field(p, 'icmp.type')).toBe('8');
    expect(field(p, 'icmp.code')).toBe('0');
    expect(field(p, 'icmp.checksum.status')).toBe('1');
    expect(field(p, 'icmp.ident')).toBe('4660');
    expect(field(p, 'icmp.ident_le')).toBe('13330');
    expect(field(p, 'icmp.seq')).toBe('1');
    expect(field(p, 'icmp.seq_le')).toBe('256');
    expect(label(p, 'icmp')).toBe('Internet Control Message Protocol');
    expect(label(p, 'icmp.type')).toBe('Type: 8 (Echo (ping) request)');
    expect(label(p, 'icmp.checksum')).toMatch(/^Checksum: 0x[0-9a-f]{4} \[correct\]$/);
    expect(label(p, 'icmp.checksum.status')).toBe('[Checksum Status: Good]');
    expect(label(p, 'icmp.ident')).toBe('Identifier (BE): 4660 (0x1234)');
    expect(label(p, 'icmp.seq_le')).toBe('Sequence Number (LE): 256 (0x0100)');
  });

  it("writes Wireshark's Info with the TTL", () => {
    const p = dissect(request);
    expect(p.protocolCol).toBe('ICMP');
    expect(p.infoCol).toBe('Echo (ping) request  id=0x1234, seq=1/256, ttl=64');
    expect(dissect(reply).infoCol).toBe('Echo (ping) reply    id=0x1234, seq=1/256, ttl=64');
  });

  it('finds the timestamp ping puts in the data', () => {
    const p = dissect(request);
    expect(field(p, 'icmp.data_time')).toBe('Nov 14, 2023 22:13:20.123456000 UTC');
    expect(field(p, 'icmp.data_time_relative')).toBe('-0.123456000');
    expect(field(p, 'data.len')).toBe('40');
  });

  it('matches the reply to its request, and the request to its reply on a second look', () => {
    const d = new Dissection({ full: true });
    expect(d.dissect(frame(request)).infoCol).toBe('Echo (ping) request  id=0x1234, seq=1/256, ttl=64');
    const r = d.dissect(frame(reply, T0 + 1));
    expect(r.infoCol).toBe('Echo (ping) reply    id=0x1234, seq=1/256, ttl=64 (request in 1)');
    expect(field(r, 'icmp.resp_to')).toBe('1');
    expect(field(r, 'icmp.resptime')).toBe('1000');
    expect(label(r, 'icmp.resptime')).toBe('[Response time: 1000.000 ms]');
    const again = redissectAt(d, 1, request);
    expect(again.infoCol).toBe('Echo (ping) request  id=0x1234, seq=1/256, ttl=64 (reply in 2)');
    expect(field(again, 'icmp.resp_in')).toBe('2');
  });

  it("links the request to its reply in the output pass of -2, from the first pass's matches", () => {
    const first = new Dissection({ full: false, columns: false });
    first.dissect(frame(request));
    first.dissect(frame(reply, T0 + 1));
    const second = new Dissection({ full: true });
    second.session.firstPass = first.session;
    const q = second.dissect(frame(request));
    expect(q.infoCol).toBe('Echo (ping) request  id=0x1234, seq=1/256, ttl=64 (reply in 2)');
    expect(field(q, 'icmp.resp_in')).toBe('2');
    expect(second.dissect(frame(reply, T0 + 1)).infoCol).toContain('(request in 1)');
  });

  it('says no response was found for an unanswered request seen again', () => {
    const d = new Dissection({ full: true });
    d.dissect(frame(request));
    const again = redissectAt(d, 1, request);
    expect(again.infoCol).toBe('Echo (ping) request  id=0x1234, seq=1/256, ttl=64 (no response found!)');
    expect(experts(again)).toEqual(['No response seen to ICMP request']);
    expect(label(again, 'icmp.no_resp')).toBe('[No response seen]');
  });

  it('notes a broadcast request instead', () => {
    const d = new Dissection({ full: true });
    const bytes = eth(ipv4(A, 'ffffffff', 1, icmp(8, 0, '1234 0001', pingData)));
    d.dissect(frame(bytes));
    expect(redissectAt(d, 1, bytes).infoCol).toBe('Echo (ping) request  id=0x1234, seq=1/256, ttl=64 (broadcast)');
  });

  it('flags a bad checksum with the value it should have', () => {
    const bad = request.slice();
    bad[14 + 20 + 2] ^= 0xff;
    const p = dissect(bad);
    expect(field(p, 'icmp.checksum.status')).toBe('0');
    expect(experts(p)[0]).toMatch(/^Bad checksum \[should be 0x[0-9a-f]{4}\]$/);
    expect(label(p, 'icmp.checksum')).toMatch(/^Checksum: 0x[0-9a-f]{4} incorrect, should be 0x[0-9a-f]{4}$/);
  });

  it('marks an echo cut short by its IP length as malformed', () => {
    const p = dissect(eth(ipv4(A, B, 1, icmp(8, 0, '1234 0001').subarray(0, 6))));
    expect(p.infoCol).toBe('Echo (ping) request [Malformed Packet]');
    expect(field(p, 'icmp.ident')).toBe('4660');
    expect(field(p, 'icmp.seq')).toBe('');
  });
});

describe('ICMP errors', () => {
  const echo = ipv4(A, B, 1, icmp(8, 0, '1234 0001', pingData));

  it('dissects the quoted IP header and transport header without touching the columns', () => {
    // 10.0.0.2 > 10.0.0.1: ICMP 10.0.0.2 unreachable - need to frag (mtu 1400)
    const p = dissect(eth(ipv4(B, A, 1, icmp(3, 4, '0000 0578', echo.subarray(0, 28)))));
    expect(p.protocols()).toBe('eth:ethertype:ip:icmp:ip:icmp');
    expect(p.infoCol).toBe('Destination unreachable (Fragmentation needed)');
    expect(p.protocolCol).toBe('ICMP');
    expect(p.srcCol).toBe('10.0.0.2');
    expect(p.netSrc4).toBe(0x0a000002);
    expect(field(p, 'icmp.mtu')).toBe('1400');
    expect(field(p, 'icmp.unused')).toBe('0000');
    expect(field(p, 'ip.src')).toBe('10.0.0.2,10.0.0.1');
    expect(field(p, 'icmp.type')).toBe('3,8');
    expect(field(p, 'icmp.checksum.status')).toBe('1,2');
    expect(label(p, 'icmp.checksum', 1)).toMatch(/\[unverified\] \[in ICMP error packet\]$/);
    expect(label(p, 'icmp.code')).toBe('Code: 4 (Fragmentation needed)');
    // The quoted IP's total length exceeds what is quoted: no expert inside an error packet.
    expect(experts(p)).toEqual([]);
  });

  it("uses RFC 4884's original datagram length", () => {
    const quoted = cat(echo, new Uint8Array(68 - echo.length > 0 ? 68 - echo.length : 0)).subarray(0, 68);
    const p = dissect(eth(ipv4(B, A, 1, icmp(11, 0, '0011 0000', quoted))));
    expect(p.infoCol).toBe('Time-to-live exceeded (Time to live exceeded in transit)');
    expect(field(p, 'icmp.length')).toBe('17');
    expect(field(p, 'icmp.length.original_datagram')).toBe('68');
    expect(p.protocols()).toBe('eth:ethertype:ip:icmp:ip:icmp:data');
  });

  it('names parameter problems, redirects and source quench as Wireshark does', () => {
    const param = dissect(eth(ipv4(B, A, 1, icmp(12, 0, '14000000', echo.subarray(0, 28)))));
    expect(param.infoCol).toBe('Parameter problem    (Pointer indicates the error)');
    expect(field(param, 'icmp.pointer')).toBe('20');
    const redirect = dissect(eth(ipv4(B, A, 1, icmp(5, 1, '0a000009', echo))));
    expect(redirect.infoCol).toBe('Redirect             (Redirect for host)');
    expect(field(redirect, 'icmp.redir_gw')).toBe('10.0.0.9');
    // A redirect quotes the IP header and 8 bytes.
    expect(redirect.protocols()).toBe('eth:ethertype:ip:icmp:ip:icmp');
    expect(dissect(eth(ipv4(B, A, 1, icmp(4, 0, '00000000', echo.subarray(0, 28))))).infoCol).toBe(
      'Source quench (flow control)',
    );
  });
});

describe('other ICMP messages', () => {
  it('dissects timestamp, address mask and router advertisement messages', () => {
    const ts = dissect(eth(ipv4(A, B, 1, icmp(13, 0, '0007 0008', hex('0036ee80 00000000 00000000')))));
    expect(ts.infoCol).toBe('Timestamp request    id=0x0007, seq=8/2048, ttl=64');
    expect(field(ts, 'icmp.originate_timestamp')).toBe('3600000');
    expect(label(ts, 'icmp.originate_timestamp')).toBe('Originate Timestamp: 3600000 (1 hour after midnight UTC)');
    const mask = dissect(eth(ipv4(A, B, 1, icmp(17, 0, '0007 0008', hex('ffffff00')))));
    expect(mask.infoCol).toBe('Address mask request id=0x0007, seq=8/2048, ttl=64');
    expect(field(mask, 'icmp.address_mask')).toBe('255.255.255.0');
    const ra = dissect(eth(ipv4(A, B, 1, icmp(9, 0, '0102 0708', hex('0a000001 00000005')))));
    expect(ra.infoCol).toBe('Mobile IP Advertisement (Normal router advertisement)');
    expect(field(ra, 'icmp.router_address')).toBe('10.0.0.1');
    expect(field(ra, 'icmp.pref_level')).toBe('5');
    expect(label(ra, 'icmp.lifetime')).toBe('Lifetime: 1800 (30 minutes)');
  });

  it('names unknown types', () => {
    expect(dissect(eth(ipv4(A, B, 1, icmp(99, 5, '00000000', hex('7a7a'))))).infoCol).toBe(
      'Unknown ICMP (obsolete or malformed?)',
    );
  });
});

describe('ICMP robustness', () => {
  it('never throws on random ICMP messages, errors included', () => {
    const d = new Dissection({ full: true });
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 20 }),
        fc.nat(255),
        fc.uint8Array({ maxLength: 100 }),
        (type, code, body) => {
          const m = cat(hex(`${type.toString(16).padStart(2, '0')}${code.toString(16).padStart(2, '0')}`), body);
          d.dissect(frame(eth(ipv4(A, B, 1, m))));
        },
      ),
    );
  });
});
