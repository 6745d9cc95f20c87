import { describe, expect, it } from 'vitest';
import { dissectBytes, fieldText, hex, neverThrows } from './test-support.js';

// Frames of tcpdump__unsupported-link-type-dbus.pcap (LINKTYPE_DBUS): a RemoveMatch method call
// (header and the first bytes of its body) and its reply; expected values are tshark 4.0's.
const DBUS = 231;
const CALL = hex(
  '6c01010192000000170000007f00000001016f00150000002f6f72672f667265656465736b746f702f4442757300000006' +
    '017300140000006f72672e667265656465736b746f702e444275730000000002017300140000006f72672e667265656465' +
    '736b746f702e4442757300000000030173000b00000052656d6f76654d6174636800000000000801670001730000' +
    '8d000000',
);
const REPLY = hex(
  '6c02010100000000110000003500000006017300060000003a312e3131310000050175001700000007017300140000006f72' +
    '672e667265656465736b746f702e4442757300000000',
);

describe('D-Bus', () => {
  it('shows a method call as member and path, and the destination column', () => {
    const p = dissectBytes(DBUS, CALL, 290);
    expect(p.protocols()).toBe('dbus');
    expect(p.protocolCol).toBe('D-Bus');
    expect(p.infoCol).toBe('RemoveMatch() @ /org/freedesktop/DBus');
    expect(p.dstCol).toBe('org.freedesktop.DBus');
    expect(fieldText(p, 'dbus.path')).toBe('/org/freedesktop/DBus');
    expect(fieldText(p, 'dbus.member')).toBe('RemoveMatch');
    expect(fieldText(p, 'dbus.signature')).toBe('s');
    expect(fieldText(p, 'dbus.serial')).toBe('23');
  });

  it('shows a method reply and its sender and destination', () => {
    const p = dissectBytes(DBUS, REPLY);
    expect(p.infoCol).toBe("-> ''");
    expect(p.srcCol).toBe('org.freedesktop.DBus');
    expect(p.dstCol).toBe(':1.111');
    expect(fieldText(p, 'dbus.reply_serial')).toBe('23');
  });

  it('keeps the message type as Info when a required field is missing', () => {
    const f = REPLY.slice();
    f[0x20] = 0x07; // the reply serial field becomes a second sender: no reply serial left
    f[0x22] = 0x73;
    expect(dissectBytes(DBUS, f).infoCol).toBe('Method reply');
  });

  it('never throws on random bytes after the fixed header', () => {
    neverThrows(DBUS, CALL.slice(0, 12));
    neverThrows(DBUS, CALL.slice(0, 16));
  });
});
