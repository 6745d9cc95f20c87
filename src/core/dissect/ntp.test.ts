import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Dissection } from './index.js';
import { LINKTYPE } from './linktypes.js';
import { captureFieldRows, frameOf, rawUdpFrame } from './test-support.js';

// Expected values were checked with tshark 4.0.17 -2 on the same capture.

describe('NTP', () => {
  it('shows version and mode, and links the exchange in two passes (pcapplusplus__many_interfaces-1.pcapng)', () => {
    const out = captureFieldRows(
      readFileSync,
      'pcapplusplus__many_interfaces-1.pcapng',
      ['ntp.response_in', 'ntp.request_in', 'ntp.xmt'],
      ['ntp.delta_time'],
      true,
    );
    expect(out[5].slice(1, 4)).toEqual(['NTP', 'NTP Version 4, client', '11']);
    expect(out[10].slice(1, 5)).toEqual(['NTP', 'NTP Version 4, server', '', '6']);
    expect(out[10][6]).toBe('[Delta Time: 0.098531000 seconds]');
  });

  it('never throws past its layer on random messages', () => {
    const d = new Dissection({ full: true });
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 80 }), (body) => {
        const p = d.dissect(frameOf(LINKTYPE.RAW, rawUdpFrame(123, 123, body)));
        expect(p.experts.some((e) => e.message.startsWith('Dissector error'))).toBe(false);
        expect(p.infoCol.startsWith('NTP Version') || p.infoCol.startsWith('reserved')).toBe(true);
      }),
    );
  });
});
