import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareWithTshark, conversationRows, neverThrowsOnPort } from './tcp-app-test-support.js';

const h = (hex: string): Uint8Array => Uint8Array.from(hex.match(/../g) ?? [], (b) => parseInt(b, 16));
const zeros = (n: number): string => '00'.repeat(n);

describe('X11', () => {
  it('matches tshark on every X11 frame of pcapplusplus__pcapng-example.pcapng (cut at 128 bytes)', () => {
    const { want, got } = compareWithTshark(readFileSync, 'pcapplusplus__pcapng-example.pcapng', ['X11']);
    expect(want.length).toBe(57);
    expect(got).toEqual(want);
  });

  it('names requests, replies by sequence number, events and errors (checked with tshark 4.0.17)', () => {
    const rows = conversationRows(6000, [
      { dir: 'c', data: h('6c000b000000000000000000') },
      { dir: 's', data: h('01000b00000002000000000000000000') },
      { dir: 'c', data: h('2b0001002b000100') },
      { dir: 's', data: h('0100010000000000050000' + zeros(21) + '0c000200' + zeros(28)) },
      { dir: 's', data: h('0003030000000000' + zeros(24)) },
      { dir: 's', data: h('8c000500' + zeros(28)) },
    ]);
    expect(rows.map((r) => [r.protocols, r.info])).toEqual([
      ['raw:ip:tcp:x11', 'Initial connection request'],
      // (tshark adds [Malformed Packet] here: it reads the set-up reply's contents, not modelled)
      ['raw:ip:tcp:x11', 'Initial connection reply'],
      ['raw:ip:tcp:x11', 'Requests: GetInputFocus, GetInputFocus'],
      ['raw:ip:tcp:x11', 'Reply: GetInputFocus, Expose'],
      ['raw:ip:tcp:x11', 'Error: BadWindow'],
      ['raw:ip:tcp:x11', 'Event: Sent-Expose'],
    ]);
  });

  it('never throws on random payload', () => {
    neverThrowsOnPort(6000);
    neverThrowsOnPort(6001, [{ dir: 'c', data: h('6c000b000000000000000000') }]);
  });
});
