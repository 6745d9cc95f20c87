import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Dissection } from './index.js';
import { LINKTYPE } from './linktypes.js';
import { captureFieldRows, frameOf, rawUdpFrame } from './test-support.js';

// Expected values were checked with tshark 4.0.17 -2 on the same captures.

describe('DHCP', () => {
  it('names the message type and transaction in Info (pcapngtg__le_test010.pcapng)', () => {
    const r = captureFieldRows(
      readFileSync,
      'pcapngtg__le_test010.pcapng',
      ['dhcp.option.dhcp', 'dhcp.option.type', 'dhcp.option.value', 'dhcp.hw.mac_addr'],
      ['dhcp.option.ip_address_lease_time'],
    );
    expect(r.map((x) => x[2])).toEqual([
      'DHCP Discover - Transaction ID 0x3d1d',
      'DHCP Offer    - Transaction ID 0x3d1d',
      'DHCP Request  - Transaction ID 0x3d1e',
      'DHCP ACK      - Transaction ID 0x3d1e',
    ]);
    expect(r[0].slice(0, 2)).toEqual(['eth:ethertype:ip:udp:dhcp', 'DHCP']);
    expect(r[0][3]).toBe('1');
    // The End option's item carries 0, as in Wireshark.
    expect(r[0][4]).toBe('53,61,50,55,0');
    expect(r[0][5]).toBe('01,01000b8201fc42,00000000,0103062a');
    expect(r[0][6]).toBe('00:0b:82:01:fc:42,00:0b:82:01:fc:42');
    expect(r[1][7]).toBe('IP Address Lease Time: (3600s) 1 hour');
  });

  it('stays BOOTP when the capture cuts the options off (pcapngtg__be_test006.pcapng)', () => {
    const r = captureFieldRows(readFileSync, 'pcapngtg__be_test006.pcapng', ['dhcp.type', 'dhcp.id']);
    expect(r[0][1]).toBe('BOOTP');
    // tshark adds the vendor-resolved MAC (Grandstr_01:fc:42); synack has no vendor table yet.
    expect(r[0][2]).toBe('Boot Request from 00:0b:82:01:fc:42 (00:0b:82:01:fc:42)[Packet size limited during capture]');
    expect(r[2][2]).toBe('Boot Reply[Packet size limited during capture]');
    expect(r[0][3]).toBe('1');
    expect(r[0][4]).toBe('0x00003d1d');
  });

  it('never throws past its layer on random messages', () => {
    const d = new Dissection({ full: true });
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 400 }), fc.boolean(), (bytes, cookie) => {
        const body = new Uint8Array(Math.max(bytes.length, cookie ? 240 : 0));
        body.set(bytes);
        if (cookie) body.set([0x63, 0x82, 0x53, 0x63], 236);
        const p = d.dissect(frameOf(LINKTYPE.RAW, rawUdpFrame(68, 67, body)));
        expect(p.experts.some((e) => e.message.startsWith('Dissector error'))).toBe(false);
        expect(p.protocols()).toBe('raw:ip:udp:dhcp');
      }),
      { numRuns: 500 },
    );
  });
});
