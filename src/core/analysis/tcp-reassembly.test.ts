import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Dissection } from '../dissect/index.js';
import { LINKTYPE } from '../dissect/linktypes.js';
import type { Packet } from '../dissect/packet.js';
import { tcpPortTable } from '../dissect/tables.js';
import { DESEGMENT_UNTIL_FIN, askForMore, tcpDissectPdus } from '../dissect/tcp-pdus.js';
import { fieldText } from '../dissect/test-support.js';
import { tcpReassemblyPreferences } from './tcp-reassembly.js';

// A test protocol on TCP port 40123 ("LV"): messages of a 2-byte length (of the body) and a body.
// Each dissected message is recorded with the frame it was shown in. Port 40124 ("EOF") takes
// everything until the sender's FIN, as an HTTP body without a length does.
const seen: { frame: number; body: string }[] = [];

function dissectLv(p: Packet, buf: Uint8Array, off: number, end: number): number {
  tcpDissectPdus(
    p,
    buf,
    off,
    end,
    2,
    (_p, b, at) => 2 + ((b[at] << 8) | b[at + 1]),
    (q, b, at, stop) => {
      q.addLayer('lv');
      q.setProtocol('LV');
      const body = String.fromCharCode(...b.subarray(at + 2, Math.min(stop, b.length)));
      seen.push({ frame: q.meta.number, body });
      if (q.wantColumns) q.appendInfo(q.infoCol && q.protocolCol === 'LV' ? `, Msg ${body}` : `Msg ${body}`);
      if (q.protocolCol === 'LV' && !q.infoCol.startsWith('Msg')) q.setInfo(`Msg ${body}`);
    },
    'LV',
  );
  return end;
}

function dissectEof(p: Packet, buf: Uint8Array, off: number, end: number): number {
  if (askForMore(p, off, DESEGMENT_UNTIL_FIN)) return end;
  p.addLayer('eof');
  p.setProtocol('EOF');
  p.setInfo(`All ${end - off} bytes`);
  seen.push({ frame: p.meta.number, body: String.fromCharCode(...buf.subarray(off, end)) });
  return end;
}

tcpPortTable.add(40123, dissectLv);
tcpPortTable.add(40124, dissectEof);

const SYN = 0x02;
const ACK = 0x10;
const PSH = 0x08;
const FIN = 0x01;

interface Seg {
  /** Client to server (A) or back (B). */
  from: 'A' | 'B';
  /** Sequence number relative to the sender's ISN (1 = first data byte). */
  seq: number;
  flags: number;
  data?: string;
  port?: number;
}

const ISN_A = 1000;
const ISN_B = 5000;

function frame(s: Seg): Uint8Array {
  const payload = new TextEncoder().encode(s.data ?? '');
  const total = 40 + payload.length;
  const out = new Uint8Array(total);
  const [src, dst] =
    s.from === 'A'
      ? [
          [10, 0, 0, 1],
          [10, 0, 0, 2],
        ]
      : [
          [10, 0, 0, 2],
          [10, 0, 0, 1],
        ];
  const server = s.port ?? 40123;
  const [sport, dport] = s.from === 'A' ? [50000, server] : [server, 50000];
  const seq = ((s.from === 'A' ? ISN_A : ISN_B) + s.seq) >>> 0;
  const ack = s.flags & ACK ? ((s.from === 'A' ? ISN_B : ISN_A) + 1) >>> 0 : 0;
  out.set([0x45, 0, total >> 8, total & 0xff, 0, 1, 0x40, 0, 64, 6, 0, 0, ...src, ...dst], 0);
  out.set([sport >> 8, sport & 0xff, dport >> 8, dport & 0xff, ...u32(seq), ...u32(ack)], 20);
  out.set([0x50, s.flags, 0xff, 0xff, 0, 0, 0, 0], 32);
  out.set(payload, 40);
  return out;
}

function u32(v: number): number[] {
  return [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
}

/** A length-prefixed LV message. */
function lv(body: string): string {
  return String.fromCharCode(body.length >> 8, body.length & 0xff) + body;
}

const HANDSHAKE: Seg[] = [
  { from: 'A', seq: 0, flags: SYN },
  { from: 'B', seq: 0, flags: SYN | ACK },
  { from: 'A', seq: 1, flags: ACK },
];

interface Shown {
  protocol: string;
  info: string;
  protocols: string;
  field(abbrev: string): string;
}

function run(segs: Seg[], d = new Dissection({ full: true })): Shown[] {
  seen.length = 0;
  return segs.map((s, i) => {
    const data = frame(s);
    const p = d.dissect({
      data,
      tsSec: 1_700_000_000,
      tsNsec: i * 1000,
      capLen: data.length,
      origLen: data.length,
      linkType: LINKTYPE.RAW,
      interfaceId: 0,
    });
    const values = new Map<string, string>();
    for (const a of ['tcp.reassembled_in', 'tcp.segment', 'tcp.segment.count', 'tcp.reassembled.length']) {
      values.set(a, fieldText(p, a));
    }
    return {
      protocol: p.protocolCol,
      info: p.infoCol,
      protocols: p.protocols(),
      field: (a: string) => values.get(a) ?? '',
    };
  });
}

/** Splits `text` into segments from A of the given sizes, starting at relative sequence 1. */
function split(text: string, sizes: number[], port?: number): Seg[] {
  const segs: Seg[] = [];
  let at = 0;
  for (const n of sizes) {
    segs.push({ from: 'A', seq: 1 + at, flags: ACK | PSH, data: text.slice(at, at + n), port });
    at += n;
  }
  if (at < text.length) segs.push({ from: 'A', seq: 1 + at, flags: ACK | PSH, data: text.slice(at), port });
  return segs;
}

describe('TCP reassembly', () => {
  it('shows a message split over three segments in the frame of its last segment', () => {
    const shown = run([...HANDSHAKE, ...split(lv('hello, reassembly'), [5, 7])]);
    const [a, b, c] = shown.slice(3);
    for (const s of [a, b]) {
      expect(s.protocol).toBe('TCP');
      expect(s.info).toMatch(/Len=\d+ \[TCP segment of a reassembled PDU\]$/);
      expect(s.protocols).toBe('raw:ip:tcp');
    }
    expect(c.protocol).toBe('LV');
    expect(c.info).toBe('Msg hello, reassembly');
    expect(c.protocols).toBe('raw:ip:tcp:lv');
    expect(c.field('tcp.segment')).toBe('4,5,6');
    expect(c.field('tcp.segment.count')).toBe('3');
    expect(c.field('tcp.reassembled.length')).toBe('19');
    expect(seen).toEqual([{ frame: 6, body: 'hello, reassembly' }]);
  });

  it('dissects several messages in one segment and carries the unfinished tail over', () => {
    const text = lv('one') + lv('two') + lv('three');
    const shown = run([...HANDSHAKE, ...split(text, [12])]);
    expect(shown[3].protocol).toBe('LV');
    expect(shown[3].info).toBe('Msg one, Msg two');
    expect(shown[4].info).toBe('Msg three');
    expect(seen.map((s) => s.body)).toEqual(['one', 'two', 'three']);
  });

  it('keeps the first message in the columns when another follows a reassembled one', () => {
    const text = lv('first-message') + lv('x');
    // The second segment completes the first message and carries the whole second one.
    const shown = run([...HANDSHAKE, ...split(text, [6])]);
    expect(shown[3].info).toMatch(/\[TCP segment of a reassembled PDU\]$/);
    expect(shown[4].protocol).toBe('LV');
    expect(shown[4].info).toBe('Msg first-message, Msg x');
    expect(shown[4].protocols).toBe('raw:ip:tcp:lv:lv');
  });

  it('takes a retransmitted segment once', () => {
    const text = lv('abcdefghij');
    const segs = split(text, [4, 4]);
    const shown = run([...HANDSHAKE, segs[0], segs[1], segs[1], segs[2]]);
    expect(shown[5].info).toContain('[TCP Retransmission]');
    expect(shown[6].info).toBe('Msg abcdefghij');
    expect(seen).toEqual([{ frame: 7, body: 'abcdefghij' }]);
  });

  it('waits for an out-of-order segment that fills the gap', () => {
    const text = lv('0123456789');
    const segs = split(text, [4, 4]);
    // Wireshark's default: the message is complete, but an out-of-order segment is not handed on.
    let shown = run([...HANDSHAKE, segs[0], segs[2], segs[1]]);
    expect(shown[4].protocol).toBe('TCP');
    expect(shown[5].info).toMatch(/^\[TCP Out-Of-Order\] .*Len=4$/);
    expect(shown[5].field('tcp.segment.count')).toBe('3');
    expect(seen).toEqual([]);
    // With the preference on (tcp.reassemble_out_of_order), it is dissected there.
    tcpReassemblyPreferences.outOfOrder = true;
    try {
      shown = run([...HANDSHAKE, segs[0], segs[2], segs[1]]);
    } finally {
      tcpReassemblyPreferences.outOfOrder = false;
    }
    expect(shown[5].protocols).toBe('raw:ip:tcp:lv');
    expect(seen).toEqual([{ frame: 6, body: '0123456789' }]);
  });

  it('reports a keep-alive byte inside a message already reassembled as a reassembly error', () => {
    const text = lv('keep');
    const segs = split(text, [3]);
    // The keep-alive repeats the last byte sent (sequence number one below the next).
    const keepAlive: Seg = { from: 'A', seq: text.length, flags: ACK, data: '\0' };
    const shown = run([...HANDSHAKE, ...segs, keepAlive]);
    expect(shown[4].info).toBe('Msg keep');
    expect(shown[5].info).toMatch(
      /^\[TCP Keep-Alive\] .*Len=1\[Reassembly error, protocol TCP: New fragment overlaps old data \(retransmission\?\)\]$/,
    );
    expect(shown[5].protocols).toBe('raw:ip:tcp');
  });

  it('reports an out-of-order segment inside a message already reassembled as a reassembly error', () => {
    const text = lv('ordered');
    const segs = split(text, [3, 3]);
    // The middle segment again, after the message was complete: seen as out of order, not as a
    // retransmission (it comes within a few milliseconds of the highest segment). The first one
    // again would not be inside the message (Wireshark looks for one starting before it).
    const shown = run([...HANDSHAKE, ...segs, segs[1]]);
    expect(shown[5].info).toBe('Msg ordered');
    expect(shown[6].info).toMatch(/^\[TCP Out-Of-Order\] .*\[Reassembly error, protocol TCP: New fragment overlaps/);
  });

  it('collects a message that runs until the FIN', () => {
    const segs = split('the whole stream', [4, 6], 40124);
    const fin: Seg = { from: 'A', seq: 17, flags: FIN | ACK, port: 40124 };
    const shown = run([...HANDSHAKE.map((s) => ({ ...s, port: 40124 })), ...segs, fin]);
    expect(shown[3].protocol).toBe('TCP');
    expect(shown[6].protocol).toBe('EOF');
    expect(shown[6].info).toBe('All 16 bytes');
    expect(seen).toEqual([{ frame: 7, body: 'the whole stream' }]);
  });

  it('links each segment to the frame that completed its message in a second pass', () => {
    const segs = [...HANDSHAKE, ...split(lv('pass two'), [3, 3])];
    const first = new Dissection({ full: false, columns: false });
    first.session.isFirstPass = true;
    run(segs, first);
    const second = new Dissection({ full: true });
    second.session.firstPass = first.session;
    const shown = run(segs, second);
    expect(shown[3].field('tcp.reassembled_in')).toBe('6');
    expect(shown[4].field('tcp.reassembled_in')).toBe('6');
    expect(shown[5].field('tcp.reassembled_in')).toBe('');
  });

  it('never throws and gives each byte once, whatever the segmentation and order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ minLength: 1, maxLength: 40 }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 1, maxLength: 12 }),
        (bodies, sizes) => {
          const ascii = bodies.map((b) => b.replace(/[^\x20-\x7e]/g, 'x'));
          const text = ascii.map(lv).join('');
          run([...HANDSHAKE, ...split(text, sizes)]);
          expect(seen.map((s) => s.body)).toEqual(ascii);
        },
      ),
      { numRuns: 200 },
    );
  });
});
