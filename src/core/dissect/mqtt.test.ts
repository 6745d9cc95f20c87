import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareWithTshark, conversationRows, enc, neverThrowsOnPort } from './tcp-app-test-support.js';

const str = (s: string): number[] => [s.length >> 8, s.length & 0xff, ...enc(s)];
const packet = (fixed: number, body: number[]): number[] => [fixed, body.length, ...body];

describe('MQTT', () => {
  it('matches tshark on every MQTT frame of suricata__mqtt-limit-2.pcap', () => {
    const { want, got } = compareWithTshark(readFileSync, 'suricata__mqtt-limit-2.pcap', ['MQTT']);
    expect(want.length).toBe(12);
    expect(got).toEqual(want);
  });

  it('shows message ids and topics, several messages of a segment comma-separated', () => {
    const connect = packet(0x10, [...str('MQTT'), 4, 2, 0, 60, ...str('me')]);
    const rows = conversationRows(1883, [
      { dir: 'c', data: Uint8Array.from(connect) },
      {
        dir: 'c',
        data: Uint8Array.from([...packet(0x32, [...str('a/b'), 0, 7, 104, 105]), ...packet(0x30, [...str('c'), 1])]),
      },
      { dir: 'c', data: Uint8Array.from(packet(0x82, [0, 9, ...str('x'), 0, ...str('y'), 1])) },
      { dir: 's', data: Uint8Array.from(packet(0x90, [0, 9, 0, 1])) },
    ]);
    expect(rows.map((r) => r.info)).toEqual([
      'Connect Command',
      'Publish Message (id=7) [a/b], Publish Message [c]',
      'Subscribe Request (id=9) [x] [y]',
      'Subscribe Ack (id=9)',
    ]);
    expect(rows[0].protocols).toBe('raw:ip:tcp:mqtt');
  });

  it('reassembles a message split over two segments', () => {
    const publish = Uint8Array.from(packet(0x30, [...str('topic'), ...enc('payload')]));
    const rows = conversationRows(1883, [
      { dir: 'c', data: publish.subarray(0, 5) },
      { dir: 'c', data: publish.subarray(5) },
    ]);
    expect(rows[1].info).toBe('Publish Message [topic]');
  });

  it('marks a message whose topic runs past it as malformed', () => {
    const rows = conversationRows(1883, [{ dir: 'c', data: Uint8Array.from(packet(0x30, [0, 40, 65])) }]);
    expect(rows[0].info).toBe('Publish Message[Malformed Packet]');
  });

  it('never throws on random payload', () => {
    neverThrowsOnPort(1883);
  });
});
