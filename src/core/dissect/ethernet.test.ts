import { describe, expect, it } from 'vitest';
import { Dissection } from './index.js';
import { fieldByAbbrev } from './fields.js';
import { LINKTYPE } from './linktypes.js';
import { fieldText, hex } from './test-support.js';

// dst 00:11:22:33:44:55, src 66:77:88:99:aa:bb, then the EtherType.
const MACS = '001122334455 66778899aabb';
/** EtherType 0x88b5 (local experimental): nothing above Ethernet replaces the addresses. */
const EXPERIMENTAL = hex(MACS + '88b5' + '00'.repeat(46));
/** IPv4 (20-byte header, protocol 253, 10.0.0.1 -> 10.0.0.2) with 26 bytes of payload. */
const IPV4 = hex(MACS + '0800' + '4500002e 00010000 40fd0000 0a000001 0a000002' + '00'.repeat(26));

function dissect(bytes: Uint8Array, d = new Dissection()) {
  return d.dissect({
    data: bytes,
    tsSec: 0,
    tsNsec: 0,
    capLen: bytes.length,
    origLen: bytes.length,
    linkType: LINKTYPE.ETHERNET,
    interfaceId: 0,
  });
}

describe('Ethernet columns', () => {
  it('shows the MAC addresses as Source and Destination when no layer above sets them', () => {
    const p = dissect(EXPERIMENTAL);
    expect([p.srcCol, p.dstCol]).toEqual(['66:77:88:99:aa:bb', '00:11:22:33:44:55']);
  });

  it('leaves the columns to IPv4 when it follows, and resets them for the next frame', () => {
    const d = new Dissection();
    const ip = dissect(IPV4, d);
    expect([ip.srcCol, ip.dstCol]).toEqual(['10.0.0.1', '10.0.0.2']);
    const other = dissect(EXPERIMENTAL, d);
    expect([other.srcCol, other.dstCol]).toEqual(['66:77:88:99:aa:bb', '00:11:22:33:44:55']);
  });

  it('keeps the address fields asked for on the summary path, and no others', () => {
    const wanted = ['eth.src', 'eth.dst.ig'].map((a) => fieldByAbbrev(a)?.id ?? -1);
    const p = dissect(EXPERIMENTAL, new Dissection({ wanted, columns: false }));
    expect(fieldText(p, 'eth.src')).toBe('66:77:88:99:aa:bb');
    expect(fieldText(p, 'eth.dst.ig')).toBe('0');
    expect(fieldText(p, 'eth.addr')).toBe('');
    expect([p.srcCol, p.dstCol]).toEqual(['', '']);
  });
});
