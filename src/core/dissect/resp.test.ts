import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareWithTshark, conversationRows, neverThrowsOnPort } from './tcp-app-test-support.js';

describe('RESP', () => {
  it('matches tshark on every RESP frame of zeek__pubsub.pcap', () => {
    const { want, got } = compareWithTshark(readFileSync, 'zeek__pubsub.pcap', ['RESP']);
    expect(want.length).toBe(16);
    expect(got).toEqual(want);
  });

  it('shows request words, top-level replies, errors and inline commands', () => {
    const rows = conversationRows(6379, [
      { dir: 'c', data: '*2\r\n$3\r\nGET\r\n$1\r\nk\r\n' },
      { dir: 's', data: '$-1\r\n' },
      { dir: 'c', data: 'PING\r\n' },
      { dir: 's', data: '-ERR unknown\r\n:42\r\n' },
    ]);
    expect(rows.map((r) => [r.protocols, r.info])).toEqual([
      ['raw:ip:tcp:resp', 'Request: GET k'],
      ['raw:ip:tcp:resp', 'Response:'],
      ['raw:ip:tcp:resp', 'Request: [fragment]'],
      ['raw:ip:tcp:resp', 'Response: Error: ERR unknown 42'],
    ]);
  });

  it('waits for the rest of a bulk string split over two segments', () => {
    const rows = conversationRows(6379, [
      { dir: 's', data: '$10\r\nhello' },
      { dir: 's', data: 'world\r\n' },
    ]);
    expect(rows.map((r) => r.info)).toEqual([
      expect.stringContaining('[TCP segment of a reassembled PDU]'),
      'Response: helloworld',
    ]);
  });

  it('never throws on random payload', () => {
    neverThrowsOnPort(6379);
    neverThrowsOnPort(6379, [{ dir: 'c', data: '*3\r\n' }]);
  });
});
