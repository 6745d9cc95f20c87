import { describe, expect, it } from 'vitest';
import { dissectBytes, fieldText, hex, neverThrows } from './test-support.js';
import { LINKTYPE } from './linktypes.js';

// Frame 23 of pcapplusplus__VlanPackets.pcap: an 802.3 frame with LLC/SNAP (Cisco OUI, PID
// 0x2000) carrying CDP v2 from switch S2. Expected values are tshark 4.0's.
const FRAME23 = hex(
  '01000ccccccc000f345f168d0169aaaa0300000c200002b401a5000100065332000500c2436973636f20494f5320536f6674' +
    '776172652c20433335353020536f667477617265202843333535302d495053455256494345534b392d4d292c205665727369' +
    '6f6e2031322e32283434295345322c2052454c4541534520534f4654574152452028666332290a436f707972696768742028' +
    '632920313938362d3230303820627920436973636f2053797374656d732c20496e632e0a436f6d70696c6564205468752030' +
    '312d4d61792d30382031363a313420627920616e746f6e696e6f00060015436973636f2057532d43333535302d3234000200' +
    '11000000010101cc000400000000000300144661737445746865726e6574302f313300040008000000280008002400000c01' +
    '1200000000ffffffff010221ff000000000000000f345f1680ff000000090009636973636f000a00060001000b0005010012' +
    '000500001300050000160011000000010101cc000400000000',
);

describe('CDP', () => {
  it('shows the device and port IDs in Info and verifies the odd-length checksum as IOS computes it', () => {
    const p = dissectBytes(LINKTYPE.ETHERNET, FRAME23);
    expect(p.protocols()).toBe('eth:llc:cdp');
    expect(p.protocolCol).toBe('CDP');
    expect(p.infoCol).toBe('Device ID: S2  Port ID: FastEthernet0/13  ');
    expect(fieldText(p, 'cdp.version')).toBe('2');
    expect(fieldText(p, 'cdp.checksum.status')).toBe('1');
    expect(fieldText(p, 'cdp.deviceid')).toBe('S2');
    expect(fieldText(p, 'cdp.portid')).toBe('FastEthernet0/13');
    expect(fieldText(p, 'cdp.capabilities')).toBe('0x00000028');
  });

  it('marks a changed byte as a bad checksum', () => {
    const f = FRAME23.slice();
    f[f.length - 1] ^= 1;
    expect(fieldText(dissectBytes(LINKTYPE.ETHERNET, f), 'cdp.checksum.status')).toBe('0');
  });

  it('never throws on random TLVs', () => {
    neverThrows(LINKTYPE.ETHERNET, FRAME23.slice(0, 22 + 4));
    neverThrows(LINKTYPE.ETHERNET, FRAME23.slice(0, 22 + 40));
  });
});
