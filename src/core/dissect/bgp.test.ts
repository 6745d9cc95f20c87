import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareWithTshark, conversationRows, neverThrowsOnPort } from './tcp-app-test-support.js';

/** A BGP message: marker, length, type and body. */
function message(type: number, body: number[] = []): number[] {
  const length = 19 + body.length;
  return [...new Array<number>(16).fill(0xff), length >> 8, length & 0xff, type, ...body];
}

describe('BGP', () => {
  it('matches tshark on every BGP frame of pcapplusplus__BgpPackets.pcap', () => {
    const { want, got } = compareWithTshark(readFileSync, 'pcapplusplus__BgpPackets.pcap', ['BGP']);
    expect(want.length).toBe(8);
    expect(got).toEqual(want);
  });

  it('lists the messages of a segment and skips to the first marker', () => {
    const rows = conversationRows(179, [
      { dir: 'c', data: Uint8Array.from([...message(4), ...message(2, [0, 0, 0, 0])]) },
      { dir: 's', data: Uint8Array.from([1, 2, 3, ...message(3, [6, 2])]) },
    ]);
    expect(rows.map((r) => [r.protocols, r.info])).toEqual([
      ['raw:ip:tcp:bgp', 'KEEPALIVE Message, UPDATE Message'],
      ['raw:ip:tcp:bgp', 'NOTIFICATION Message'],
    ]);
  });

  it('marks an UPDATE whose withdrawn routes run past the message and stops there', () => {
    const rows = conversationRows(179, [{ dir: 'c', data: Uint8Array.from([...message(2, [0, 9]), ...message(4)]) }]);
    expect(rows[0].info).toBe('UPDATE Message[Malformed Packet]');
  });

  it('never throws on random payload', () => {
    neverThrowsOnPort(179);
    neverThrowsOnPort(179, [{ dir: 'c', data: Uint8Array.from(message(4)) }]);
  });
});
