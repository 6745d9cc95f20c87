import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { msecsText } from './msecs-text.js';

describe('msecsText', () => {
  it('writes durations as Wireshark does', () => {
    expect(msecsText(0)).toBe('0 seconds');
    expect(msecsText(1000)).toBe('1 second');
    expect(msecsText(720000)).toBe('12 minutes');
    expect(msecsText(286635860)).toBe('3 days, 7 hours, 37 minutes, 15.860 seconds');
    expect(msecsText(3_723_004)).toBe('1 hour, 2 minutes, 3.004 seconds');
    expect(msecsText(0xffffffff)).toBe('0.001 seconds');
  });

  it('never returns an empty text for 32-bit values', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 0xffffffff }), (ms) => msecsText(ms).length > 0));
  });
});
