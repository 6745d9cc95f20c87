import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareWithTshark, conversationRows, neverThrowsOnPort } from './tcp-app-test-support.js';

const h = (hex: string): Uint8Array => Uint8Array.from(hex.match(/../g) ?? [], (b) => parseInt(b, 16));

describe('RPKI-RTR', () => {
  it('matches tshark on the RPKI-RTR frame of tcpdump__kday3.pcap (unknown type, broken error reports)', () => {
    const { want, got } = compareWithTshark(readFileSync, 'tcpdump__kday3.pcap', ['RPKI-RTR']);
    expect(want.length).toBe(1);
    expect(got).toEqual(want);
  });

  it('lists the PDUs of a segment as tshark 4.0.17 does', () => {
    const rows = conversationRows(323, [
      { dir: 'c', data: h('0002000000000008') },
      { dir: 's', data: h('0103000100000008') },
      {
        dir: 's',
        data: h(
          '010400000000001401182000c0000200000000640107000100000018000000050000000100000002000000030103000100000008',
        ),
      },
      { dir: 'c', data: h('00ff000000000008') },
      { dir: 'c', data: h('010700010000000c00000005') },
    ]);
    expect(rows.map((r) => [r.protocols, r.info])).toEqual([
      ['raw:ip:tcp:rpkirtr', 'Reset Query'],
      ['raw:ip:tcp:rpkirtr', 'Cache Response'],
      ['raw:ip:tcp:rpkirtr', 'IPv4 Prefix, End of Data, Cache Response'],
      // Wireshark reads on 2 bytes after an unknown type.
      ['raw:ip:tcp:rpkirtr', 'Unknown (255), Serial Notify[Malformed Packet]'],
      // Version 1 End of Data carries three intervals more.
      ['raw:ip:tcp:rpkirtr', 'End of Data[Malformed Packet]'],
    ]);
  });

  it('never throws on random payload', () => {
    neverThrowsOnPort(323);
  });
});
