import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareWithTshark, conversationRows, neverThrowsOnPort } from './tcp-app-test-support.js';

const h = (hex: string): Uint8Array => Uint8Array.from(hex.match(/../g) ?? [], (b) => parseInt(b, 16));

describe('RSH', () => {
  it('matches tshark on every RSH frame of zeek__tcp-syslog.pcap (syslog on 514 is data to it)', () => {
    const { want, got } = compareWithTshark(readFileSync, 'zeek__tcp-syslog.pcap', ['RSH']);
    expect(want.length).toBe(4);
    expect(got).toEqual(want);
  });

  it('follows the set-up strings and shows the server user afterwards (checked with tshark 4.0.17)', () => {
    // "1023\0root\0adam\0ls-l\0", then the server's NUL and data both ways.
    const rows = conversationRows(514, [
      { dir: 'c', data: h('3130323300726f6f74006164616d006c732d6c00') },
      { dir: 's', data: h('00') },
      { dir: 's', data: h('6869') },
      { dir: 'c', data: h('6869') },
    ]);
    expect(rows.map((r) => [r.protocols, r.info])).toEqual([
      ['raw:ip:tcp:rsh', 'Session Establishment'],
      ['raw:ip:tcp:rsh', 'Server username:adam Server -> Client Data'],
      ['raw:ip:tcp:rsh', 'Server username:adam Server -> Client Data'],
      ['raw:ip:tcp:rsh', 'Server username:adam Client -> Server data'],
    ]);
  });

  it('takes the set-up over several segments', () => {
    const rows = conversationRows(514, [
      { dir: 'c', data: h('00726f6f74006164616d00') },
      { dir: 'c', data: h('6c7300') },
      { dir: 's', data: h('6f6b') },
    ]);
    expect(rows.map((r) => r.info)).toEqual([
      'Session Establishment',
      'Session Establishment',
      'Server username:adam Server -> Client Data',
    ]);
  });

  it('never throws on random payload', () => {
    neverThrowsOnPort(514);
  });
});
