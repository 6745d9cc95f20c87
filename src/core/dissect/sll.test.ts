import { describe, expect, it } from 'vitest';
import { LINKTYPE } from './linktypes.js';
import { hex, fieldText as field, labelText as label, dissectBytes as dissect, neverThrows } from './test-support.js';

// Expected values were checked with tshark 4.0.17 on the same frames.

const IPV4 = '45000014 00010000 40ff0000 0a000001 0a000002';

// tcpdump -i any: outgoing, Ethernet address 34:e6:d7:12:1e:b1 (zeek irc-starttls.pcap, frame 1 header)
const SLL_OUT = '0004 0001 0006 34e6d7121eb1 0000';

describe('Linux cooked capture v1', () => {
  it('dissects the header and hands an EtherType payload on', () => {
    const p = dissect(LINKTYPE.LINUX_SLL, hex(`${SLL_OUT} 0800 ${IPV4}`));
    expect(p.protocols()).toBe('sll:ethertype:ip');
    expect(field(p, 'sll.pkttype')).toBe('4');
    expect(field(p, 'sll.hatype')).toBe('1');
    expect(field(p, 'sll.halen')).toBe('6');
    expect(field(p, 'sll.src.eth')).toBe('34:e6:d7:12:1e:b1');
    expect(field(p, 'sll.unused')).toBe('0000');
    expect(field(p, 'sll.etype')).toBe('0x0800');
    expect(field(p, 'sll.ltype')).toBe('');
    expect(label(p, 'sll')).toBe('Linux cooked capture v1');
    expect(label(p, 'sll.pkttype')).toBe('Packet type: Sent by us (4)');
    expect(label(p, 'sll.hatype')).toBe('Link-layer address type: Ethernet (1)');
  });

  it('shows the packet type in Info and the source address in Source when nothing above does', () => {
    const p = dissect(LINKTYPE.LINUX_SLL, hex(`${SLL_OUT} 1234 01020304`));
    expect(p.protocols()).toBe('sll:ethertype:data');
    expect(p.infoCol).toBe('Sent by us');
    expect(p.srcCol).toBe('34:e6:d7:12:1e:b1');
    expect(p.dstCol).toBe('');
  });

  it('reads other address lengths as IPv4 or bytes', () => {
    const v4 = dissect(LINKTYPE.LINUX_SLL, hex(`0002 0300 0004 0a000001 00000000 0800 ${IPV4}`));
    expect(field(v4, 'sll.src.ipv4')).toBe('10.0.0.1');
    expect(field(v4, 'sll.unused')).toBe('00000000');
    const loop = dissect(LINKTYPE.LINUX_SLL, hex(`0003 0304 0000 0000000000000000 0800 ${IPV4}`));
    expect(field(loop, 'sll.unused')).toBe('0000000000000000');
    expect(label(loop, 'sll.hatype')).toBe('Link-layer address type: Loopback (772)');
    const long = dissect(LINKTYPE.LINUX_SLL, hex(`0000 0001 000a 0011223344556677 0800 ${IPV4}`));
    expect(field(long, 'sll.src.other')).toBe('0011223344556677');
    expect(field(long, 'sll.unused')).toBe('');
  });

  it('hands Linux protocol numbers to LLC, Ethernet or data', () => {
    const llc = dissect(LINKTYPE.LINUX_SLL, hex(`${SLL_OUT} 0004 aaaa03 000000 0800 ${IPV4}`));
    expect(llc.protocols()).toBe('sll:llc:ip');
    expect(field(llc, 'sll.ltype')).toBe('0x0004');
    expect(label(llc, 'sll.ltype')).toBe('Protocol: 802.2 LLC (0x0004)');
    const eth = dissect(LINKTYPE.LINUX_SLL, hex(`${SLL_OUT} 0003 ffffffffffff001122334455 0800 ${IPV4}`));
    expect(eth.protocols()).toBe('sll:eth:ethertype:ip');
    const other = dissect(LINKTYPE.LINUX_SLL, hex(`${SLL_OUT} 0600 0102`));
    expect(other.protocols()).toBe('sll:data');
    expect(other.protocolCol).toBe('SLL');
  });

  it('pads up to the 60th byte of the frame and shows the rest as sll.trailer', () => {
    const p = dissect(LINKTYPE.LINUX_SLL, hex(`${SLL_OUT} 0800 ${IPV4} ${'00'.repeat(24)} 0000ff`));
    expect(field(p, 'eth.padding')).toBe('00'.repeat(24));
    expect(field(p, 'sll.trailer')).toBe('0000ff');
    const small = dissect(LINKTYPE.LINUX_SLL, hex(`${SLL_OUT} 0800 ${IPV4} 0000`));
    expect(field(small, 'sll.trailer')).toBe('0000');
  });

  it('marks a cut header malformed after the fields it has', () => {
    const p = dissect(LINKTYPE.LINUX_SLL, hex('0000 0001 0006 0011223344'));
    expect(p.protocols()).toBe('sll');
    expect(field(p, 'sll.halen')).toBe('6');
    expect(p.infoCol).toBe('Unicast to us[Malformed Packet]');
  });

  it('never throws on random bytes', () => {
    neverThrows(LINKTYPE.LINUX_SLL, new Uint8Array(0));
    neverThrows(LINKTYPE.LINUX_SLL, hex(`${SLL_OUT} 0800`));
  });
});
