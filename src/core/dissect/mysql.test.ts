import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareWithTshark, conversationRows, enc, neverThrowsOnPort } from './tcp-app-test-support.js';

const packet = (number: number, body: number[]): number[] => [body.length & 0xff, body.length >> 8, 0, number, ...body];

/** A 4.1 login request: capabilities, max packet, charset, 23 reserved bytes, then the user. */
function login(caps: number, user?: string): number[] {
  const fixed = [caps & 0xff, caps >> 8, 0x0f, 0, 0, 0, 0, 1, 8, ...new Array<number>(23).fill(0)];
  return user === undefined ? fixed : [...fixed, ...enc(user), 0, 0];
}

const greeting = packet(0, [10, ...enc('5.5.40'), 0, 34, 0, 0, 0, ...enc('saltsalt'), 0, 0xff, 0xf7]);

describe('MySQL', () => {
  it('matches tshark on the MySQL and TLS frames of pcapplusplus__pcapng-example.pcapng (SSL request, then TLS)', () => {
    const { want, got } = compareWithTshark(readFileSync, 'pcapplusplus__pcapng-example.pcapng', ['MySQL', 'TLSv1']);
    expect(want.filter((r) => r.protocol === 'MySQL').length).toBe(2);
    expect(got).toEqual(want);
  });

  it('shows greeting, login, commands and OK/error replies as tshark 4.0.17 does', () => {
    const rows = conversationRows(3306, [
      { dir: 's', data: Uint8Array.from(greeting) },
      { dir: 'c', data: Uint8Array.from(packet(1, login(0xa685, 'root'))) },
      { dir: 's', data: Uint8Array.from(packet(2, [0, 0, 0, 2, 0, 0, 0])) },
      { dir: 'c', data: Uint8Array.from(packet(0, [3, ...enc('select 1')])) },
      { dir: 's', data: Uint8Array.from(packet(1, [0xff, 0x48, 0x04, ...enc('#HY000No tables used')])) },
      { dir: 'c', data: Uint8Array.from(packet(0, [1])) },
    ]);
    expect(rows.map((r) => [r.protocols, r.info])).toEqual([
      ['raw:ip:tcp:mysql', 'Server Greeting  proto=10 version=5.5.40 '],
      ['raw:ip:tcp:mysql', 'Login Request user=root '],
      ['raw:ip:tcp:mysql', 'Response  OK '],
      ['raw:ip:tcp:mysql', 'Request Query'],
      ['raw:ip:tcp:mysql', 'Response  Error 1096 '],
      ['raw:ip:tcp:mysql', 'Request Quit'],
    ]);
  });

  it('shows a result set as TABULAR, its later packets after it in the same segment (checked with tshark 4.0.17)', () => {
    const lenc = (t: string): number[] => [t.length, ...enc(t)];
    const column = [
      ...lenc('def'),
      ...lenc(''),
      ...lenc(''),
      ...lenc(''),
      ...lenc('1'),
      ...lenc(''),
      0x0c,
      63,
      0,
      1,
      0,
      0,
      0,
      8,
      0x81,
      0,
      0,
      0,
      0,
    ];
    const eof = [0xfe, 0, 0, 2, 0];
    const rows = conversationRows(3306, [
      { dir: 's', data: Uint8Array.from(greeting) },
      { dir: 'c', data: Uint8Array.from(packet(1, login(0xa685, 'root'))) },
      { dir: 's', data: Uint8Array.from(packet(2, [0, 0, 0, 2, 0, 0, 0])) },
      { dir: 'c', data: Uint8Array.from(packet(0, [3, ...enc('select 1')])) },
      { dir: 's', data: Uint8Array.from([...packet(1, [1]), ...packet(2, column)]) },
      { dir: 's', data: Uint8Array.from([...packet(3, eof), ...packet(4, lenc('1')), ...packet(5, eof)]) },
      { dir: 'c', data: Uint8Array.from(packet(0, [2, ...enc('test')])) },
      { dir: 's', data: Uint8Array.from(packet(1, [0, 0, 0, 2, 0, 0, 0])) },
    ]);
    expect(rows.slice(3).map((r) => r.info)).toEqual([
      'Request Query',
      'Response TABULAR Response ',
      'Response ',
      'Request Use Database',
      'Response  OK ',
    ]);
  });

  it('never throws on random payload', () => {
    neverThrowsOnPort(3306);
    neverThrowsOnPort(3306, [{ dir: 's', data: Uint8Array.from(greeting) }]);
  });
});
