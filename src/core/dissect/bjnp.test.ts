import { describe, expect, it } from 'vitest';
import { dissectBytes, fieldText, hex, neverThrows } from './test-support.js';
import { LINKTYPE } from './linktypes.js';

// Frame 2 of pcapplusplus__null_loopback.pcap: a BSD-loopback IPv4/UDP 55369 -> 8612 scanner
// discovery; the expected values are tshark 4.0's.
const DISCOVER = hex(
  '02000000 4500002cc169000040115dc3ac100175ac1001ff d84921a4001817ae 424a4e42 0201 00000000 0000 00000000',
);

describe('BJNP', () => {
  it('names the device type and command', () => {
    const p = dissectBytes(LINKTYPE.NULL, DISCOVER);
    expect(p.protocols()).toBe('null:ip:udp:bjnp');
    expect(p.protocolCol).toBe('BJNP');
    expect(p.infoCol).toBe('Scanner Command: Discover');
    expect(fieldText(p, 'bjnp.id')).toBe('BJNB');
    expect(fieldText(p, 'bjnp.payload_len')).toBe('0');
  });

  it('says which codes it does not know', () => {
    const f = DISCOVER.slice();
    f[4 + 20 + 8 + 4] = 0x42;
    f[4 + 20 + 8 + 5] = 0x99;
    expect(dissectBytes(LINKTYPE.NULL, f).infoCol).toBe('Unknown type (66): Unknown code (153)');
  });

  it('never throws on random bytes after the UDP header', () => {
    const prefix = DISCOVER.slice(0, 4 + 20 + 8);
    prefix[4 + 3] = 128; // IP total length 128, UDP length 108
    prefix[4 + 20 + 5] = 108;
    neverThrows(LINKTYPE.NULL, prefix);
  });
});
