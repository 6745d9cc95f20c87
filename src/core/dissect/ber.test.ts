import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { hex } from './test-support.js';
import { berTime, berTimeEpoch, BER_TAG, oidText, readTlv, Tlv } from './ber.js';

describe('BER reader', () => {
  it('reads short and long lengths and refuses the indefinite form', () => {
    const t = new Tlv();
    expect(readTlv(hex('0403 010203'), 0, 5, t)).toBe(true);
    expect([t.tag, t.contentStart, t.length]).toEqual([4, 2, 3]);
    expect(readTlv(hex('048103 010203'), 0, 6, t)).toBe(true);
    expect(t.length).toBe(3);
    expect(readTlv(hex('3080 0000'), 0, 4, t)).toBe(false);
    expect(readTlv(hex('0405 0102'), 0, 4, t)).toBe(false);
  });

  it('decodes OBJECT IDENTIFIERs, rejecting a truncated last arc', () => {
    expect(oidText(hex('2a864886f70d01010b'), 0, 9)).toBe('1.2.840.113549.1.1.11');
    expect(oidText(hex('550403'), 0, 3)).toBe('2.5.4.3');
    expect(oidText(hex('2a86'), 0, 2)).toBe('');
  });

  it('never reads past the limit it is given', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 20 }), fc.nat(20), (bytes, limit) => {
        const t = new Tlv();
        if (readTlv(bytes, 0, limit, t)) expect(t.end).toBeLessThanOrEqual(limit);
      }),
    );
  });

  it('reads UTCTime as Wireshark shows it and as an epoch time', () => {
    const utc = hex('3135303331303030303030305a'); // "150310000000Z"
    expect(berTime(utc, 0, utc.length, BER_TAG.UTCTime)).toBe('2015-03-10 00:00:00 (UTC)');
    expect(berTimeEpoch(utc, 0, utc.length, BER_TAG.UTCTime)).toEqual([1425945600, 0]);
  });
});
