import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareWithTshark, conversationRows, neverThrowsOnPort } from './tcp-app-test-support.js';

describe('IRC', () => {
  it('matches tshark on the IRC frames of zeek__irc-starttls.pcap whose Info has no tab, BS or FF', () => {
    // tshark -T fields writes \t, \b and \f in field values as escapes; the Info values of the
    // TLS data read as lines (frames 10 and 12) hold such bytes, so they are left out here.
    const { want, got } = compareWithTshark(readFileSync, 'zeek__irc-starttls.pcap', ['IRC']);
    expect(want.length).toBe(7);
    const plain = (i: number): boolean => !/\\[tbf]/.test(want[i].info);
    expect(got.filter((_, i) => plain(i))).toEqual(want.filter((_, i) => plain(i)));
    expect(got.filter((_, i) => plain(i)).length).toBe(5);
  });

  it('lists the command of each line (checked with tshark 4.0.17)', () => {
    const rows = conversationRows(6667, [
      { dir: 'c', data: 'NICK bob\r\nUSER b 0 * :Bob\r\n' },
      { dir: 's', data: '::srv 001 bob :Welcome\r\n:srv 002 bob\n' },
      { dir: 'c', data: 'STARTTLS\r\n' },
      { dir: 's', data: '670\r\n' },
      { dir: 'c', data: ':pfx\r\n' },
      { dir: 'c', data: '  \r\n' },
    ]);
    expect(rows.map((r) => [r.protocols, r.info])).toEqual([
      ['raw:ip:tcp:irc', 'Request (NICK) (USER)'],
      ['raw:ip:tcp:irc', 'Response (001) (002)'],
      ['raw:ip:tcp:irc', 'Request (STARTTLS)'],
      ['raw:ip:tcp:irc', 'Response (670)'],
      ['raw:ip:tcp:irc', 'Request'],
      ['raw:ip:tcp:irc', 'Request'],
    ]);
  });

  it('never throws on random payload', () => {
    neverThrowsOnPort(6667);
  });
});
