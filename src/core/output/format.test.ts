import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bitPicture, escapeControls, formatAbsoluteUtc, formatInterval } from './format.js';

describe('value formatting', () => {
  it('prints intervals with nine decimals and a single sign', () => {
    expect(formatInterval(0, 132627000)).toBe('0.132627000');
    expect(formatInterval(1262893114, 341715000)).toBe('1262893114.341715000');
    expect(formatInterval(0, -500000000)).toBe('-0.500000000');
    expect(formatInterval(-2, -1)).toBe('-2.000000001');
  });

  it('prints absolute times as Wireshark does in UTC', () => {
    expect(formatAbsoluteUtc(1262893114, 341715000)).toBe('Jan  7, 2010 19:38:34.341715000 UTC');
    expect(formatAbsoluteUtc(4294967295, 0)).toBe('Feb  7, 2106 06:28:15.000000000 UTC');
  });

  it('draws bitmask pictures like the details tree', () => {
    expect(bitPicture(0x02, 8, 1)).toBe('.... ..1.');
    expect(bitPicture(0x020000, 24, 0)).toBe('.... ..0. .... .... .... ....');
    expect(bitPicture(0xf0, 8, 4)).toBe('0100 ....');
    expect(bitPicture(0x1fff, 16, 0)).toBe('...0 0000 0000 0000');
  });
});

describe('escapeControls', () => {
  it('writes control characters as tshark -T fields does, so a value never breaks a line', () => {
    expect(escapeControls('GET / HTTP/1.1\r\n')).toBe('GET / HTTP/1.1\\r\\n');
    expect(escapeControls('a\tb\fc\bd')).toBe('a\\tb\\fc\\bd');
    // Other control characters stay as they are in tshark 4.0's output.
    expect(escapeControls('bell\u0007 esc\u001b del\u007f')).toBe('bell\u0007 esc\u001b del\u007f');
    expect(escapeControls('plain – text \\ kept')).toBe('plain – text \\ kept');
  });
});

describe('formatAbsoluteUtc', () => {
  it("agrees with the platform's calendar wherever it has one (about 270,000 years either way)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -8.64e12, max: 8.64e12 }),
        fc.integer({ min: 0, max: 999_999_999 }),
        (sec, nsec) => {
          const d = new Date(sec * 1000);
          const two = (n: number) => String(n).padStart(2, '0');
          const month = d.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
          const time = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
          const expected = `${month} ${String(d.getUTCDate()).padStart(2, ' ')}, ${d.getUTCFullYear()} ${time}.${String(nsec).padStart(9, '0')} UTC`;
          expect(formatAbsoluteUtc(sec, nsec)).toBe(expected);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("goes past the platform's last date as tshark does (a pcapng time stamp of 2^64 - 1 microseconds)", () => {
    // tshark 4.0.17 on pcapplusplus__pcapng-example.pcapng, frame 60.
    expect(formatAbsoluteUtc(18446744073204, 126329000)).toBe('Jan 19, 586524 07:53:24.126329000 UTC');
    expect(formatAbsoluteUtc(0, 0)).toBe('Jan  1, 1970 00:00:00.000000000 UTC');
    expect(formatAbsoluteUtc(951782400, 5)).toBe('Feb 29, 2000 00:00:00.000000005 UTC');
  });
});
