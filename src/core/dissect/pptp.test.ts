import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareWithTshark, conversationRows, neverThrowsOnPort } from './tcp-app-test-support.js';

/** A control message: length, type 1, the magic cookie, the control type, reserved, then `body`. */
function control(type: number, body: number[], cookie = 0x1a2b3c4d): Uint8Array {
  const length = 12 + body.length;
  return Uint8Array.from([
    length >> 8,
    length & 0xff,
    0,
    1,
    cookie >>> 24,
    (cookie >>> 16) & 0xff,
    (cookie >>> 8) & 0xff,
    cookie & 0xff,
    0,
    type,
    0,
    0,
    ...body,
  ]);
}

describe('PPTP', () => {
  it('matches tshark on every PPTP frame of tcpdump__pptp.pcap', () => {
    const { want, got } = compareWithTshark(readFileSync, 'tcpdump__pptp.pcap', ['PPTP']);
    expect(want.length).toBe(5);
    expect(got).toEqual(want);
  });

  it('names the control message type, known or not', () => {
    const rows = conversationRows(1723, [
      { dir: 'c', data: control(5, [0, 0, 0, 1]) },
      { dir: 's', data: control(6, [0, 0, 0, 1, 1, 0, 0, 0]) },
      { dir: 'c', data: control(99, [1, 2]) },
    ]);
    expect(rows.map((r) => [r.protocols, r.protocol, r.info])).toEqual([
      ['raw:ip:tcp:pptp', 'PPTP', 'Echo-Request'],
      ['raw:ip:tcp:pptp', 'PPTP', 'Echo-Reply'],
      ['raw:ip:tcp:pptp:data', 'PPTP', 'Unknown control type (99)'],
    ]);
  });

  it("marks a message shorter than its type's fields as malformed", () => {
    const rows = conversationRows(1723, [{ dir: 'c', data: control(1, [0, 1]) }]);
    expect(rows[0].info).toBe('Start-Control-Connection-Request[Malformed Packet]');
  });

  it('never throws on random payload', () => {
    neverThrowsOnPort(1723);
  });
});
