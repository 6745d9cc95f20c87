import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Dissection } from './index.js';
import { LINKTYPE } from './linktypes.js';
import { fieldText } from './test-support.js';

// A WebSocket stream after an HTTP Upgrade: raw IPv4 frames 10.0.0.1:40000 ↔ 10.0.0.2:80 (no
// handshake; the first segment is the request). Expected texts are tshark 4.0.17's -2 output
// for the same bytes written as pcap.

const enc = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);

function segment(fromClient: boolean, seq: number, ack: number, payload: Uint8Array): Uint8Array {
  const f = new Uint8Array(40 + payload.length);
  const v = new DataView(f.buffer);
  v.setUint8(0, 0x45);
  v.setUint16(2, f.length);
  v.setUint8(8, 64);
  v.setUint8(9, 6);
  v.setUint32(12, fromClient ? 0x0a000001 : 0x0a000002);
  v.setUint32(16, fromClient ? 0x0a000002 : 0x0a000001);
  v.setUint16(20, fromClient ? 40000 : 80);
  v.setUint16(22, fromClient ? 80 : 40000);
  v.setUint32(24, seq);
  v.setUint32(28, ack);
  v.setUint8(32, 0x50);
  v.setUint8(33, 0x18);
  v.setUint16(34, 65535);
  f.set(payload, 40);
  return f;
}

/** A WebSocket frame (RFC 6455 §5.2), masked with `mask` when given. */
function wsFrame(opcode: number, payload: Uint8Array, mask?: Uint8Array, fin = true): Uint8Array {
  const head = [(fin ? 0x80 : 0) | opcode];
  const n = payload.length;
  if (n < 126) head.push((mask ? 0x80 : 0) | n);
  else head.push((mask ? 0x80 : 0) | 126, n >> 8, n & 0xff);
  const body = mask ? payload.map((b, i) => b ^ mask[i & 3]) : payload;
  return new Uint8Array([...head, ...(mask ?? []), ...body]);
}

function run(messages: [boolean, Uint8Array][]): { protocols: string; info: string; text: string }[] {
  const all: [boolean, Uint8Array][] = [
    [true, enc('GET /ws HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n')],
    [false, enc('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n')],
    ...messages,
  ];
  let c = 1;
  let s = 1;
  const frames = all.map(([fromClient, data]) => {
    const f = segment(fromClient, fromClient ? c : s, fromClient ? s : c, data);
    if (fromClient) c += data.length;
    else s += data.length;
    return f;
  });
  const first = new Dissection({ full: false, columns: false });
  first.session.isFirstPass = true;
  const second = new Dissection({ full: true });
  second.session.firstPass = first.session;
  const out: { protocols: string; info: string; text: string }[] = [];
  for (const [d, keep] of [
    [first, false],
    [second, true],
  ] as const)
    frames.forEach((data, i) => {
      const p = d.dissect({
        data,
        tsSec: i,
        tsNsec: 0,
        capLen: data.length,
        origLen: data.length,
        linkType: LINKTYPE.RAW,
        interfaceId: 0,
      });
      if (keep) out.push({ protocols: p.protocols(), info: p.infoCol, text: fieldText(p, 'websocket.payload.text') });
    });
  return out;
}

const MASK = enc('abcd');

describe('WebSocket', () => {
  it('shows frames after a 101 as tshark does (text, binary, ping, close, masked)', () => {
    const r = run([
      [false, wsFrame(1, enc('hello'))],
      [true, wsFrame(1, enc('hi there'), MASK)],
      [false, wsFrame(2, new Uint8Array([0, 1, 2]))],
      [true, wsFrame(9, new Uint8Array(0), MASK)],
      [true, wsFrame(8, enc('\x03\xe8bye'), MASK)],
    ]);
    expect(r[2]).toEqual({
      protocols: 'raw:ip:tcp:http:websocket:data-text-lines',
      info: 'WebSocket Text [FIN] ',
      text: 'hello',
    });
    expect(r[3]).toEqual({
      protocols: 'raw:ip:tcp:http:websocket:data-text-lines',
      info: 'WebSocket Text [FIN] [MASKED]',
      text: 'hi there',
    });
    expect(r[4].protocols).toBe('raw:ip:tcp:http:websocket:data');
    expect(r[4].info).toBe('WebSocket Binary [FIN] ');
    expect(r[5].info).toBe('WebSocket Ping [FIN] [MASKED]');
    expect(r[6].info).toBe('WebSocket Connection Close [FIN] [MASKED]');
  });

  it('joins a fragmented message at its last frame, one websocket layer per segment', () => {
    const two = new Uint8Array([...wsFrame(1, enc('part1'), undefined, false), ...wsFrame(0, enc('part2'))]);
    const r = run([[false, two]]);
    expect(r[2]).toEqual({
      protocols: 'raw:ip:tcp:http:websocket:data-text-lines',
      info: 'WebSocket Continuation [FIN] ',
      text: 'part1part2',
    });
  });

  it('never throws on random frames', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.uint8Array({ minLength: 1, maxLength: 80 })), { maxLength: 5 }),
        (msgs) => {
          expect(() => run(msgs)).not.toThrow();
        },
      ),
      { numRuns: 100 },
    );
  });
});
