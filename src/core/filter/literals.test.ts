import { describe, expect, it } from 'vitest';
import { parseAbsoluteTime, parseBytes, parseInteger, parseIPv4, parseIPv6 } from './literals.js';

describe('literals', () => {
  it('reads integers in decimal, hex, octal and binary', () => {
    expect([parseInteger('60'), parseInteger('0x3c'), parseInteger('074'), parseInteger('0b111100')]).toEqual([
      60, 60, 60, 60,
    ]);
    expect(parseInteger('-5')).toBe(-5);
    expect(parseInteger('1e2')).toBeUndefined();
    expect(parseInteger('08')).toBeUndefined();
  });

  it('reads IPv4 and IPv6 addresses with prefixes', () => {
    expect(parseIPv4('10.0.0.0/8')).toEqual({ value: 0x0a000000, prefix: 8 });
    expect(parseIPv4('10.0.0.256')).toBeUndefined();
    expect(parseIPv6('fe80::1/64')?.prefix).toBe(64);
    expect([...(parseIPv6('::ffff:10.0.0.1')?.value as Uint8Array)].slice(10)).toEqual([255, 255, 10, 0, 0, 1]);
    expect(parseIPv6('1::2::3')).toBeUndefined();
  });

  it('reads byte strings with any one separator, and a single byte', () => {
    for (const t of ['47:45:54', '47.45.54', '47-45-54', '474554'])
      expect([...parseBytes(t)!]).toEqual([0x47, 0x45, 0x54]);
    expect([...parseBytes('5')!]).toEqual([5]);
    expect([...parseBytes('0xac')!]).toEqual([0xac]);
    expect(parseBytes('47:45.54')).toBeUndefined();
  });

  it("reads absolute times in both of Wireshark's forms", () => {
    expect(parseAbsoluteTime('2010-01-07 19:38:34Z')).toBe(1262893114);
    expect(parseAbsoluteTime('Jan 7, 2010 19:38:34.5 UTC')).toBe(1262893114.5);
    expect(parseAbsoluteTime('yesterday')).toBeUndefined();
  });
});
