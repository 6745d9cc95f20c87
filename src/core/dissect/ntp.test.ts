import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Dissection } from './index.js';
import { LINKTYPE } from './linktypes.js';
import { readCaptureBytes } from '../capture/reader.js';
import { fieldText, frameOf, labelText, rawUdpFrame } from './test-support.js';

// Expected values were checked with tshark 4.0.17 -2 on the same capture.

describe('NTP', () => {
  it('shows version and mode, and links the exchange in two passes (pcapplusplus__many_interfaces-1.pcapng)', () => {
    const bytes = new Uint8Array(readFileSync('../shared/captures/pcapplusplus__many_interfaces-1.pcapng'));
    const first = new Dissection({ full: true });
    readCaptureBytes(bytes, (frame) => void first.dissect(frame));
    const d = new Dissection({ full: true });
    d.session.firstPass = first.session;
    const out: string[][] = [];
    readCaptureBytes(bytes, (frame) => {
      const p = d.dissect(frame);
      out.push([
        p.protocolCol,
        p.infoCol,
        fieldText(p, 'ntp.response_in'),
        fieldText(p, 'ntp.request_in'),
        fieldText(p, 'ntp.xmt'),
        labelText(p, 'ntp.delta_time'),
      ]);
    });
    expect(out[5].slice(0, 3)).toEqual(['NTP', 'NTP Version 4, client', '11']);
    expect(out[10].slice(0, 4)).toEqual(['NTP', 'NTP Version 4, server', '', '6']);
    expect(out[10][5]).toBe('[Delta Time: 0.098531000 seconds]');
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
