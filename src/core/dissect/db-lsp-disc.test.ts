import { describe, expect, it } from 'vitest';
import { dissectBytes, fieldText, neverThrows } from './test-support.js';
import { LINKTYPE } from './linktypes.js';

/** An Ethernet/IPv4/UDP 17500 -> 17500 broadcast carrying `payload` (checksums left zero). */
function frame(payload: Uint8Array): Uint8Array {
  const f = new Uint8Array(42 + payload.length);
  f.set([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 1, 2, 3, 4, 5, 0x08, 0x00]);
  const ipLen = 28 + payload.length;
  f.set([0x45, 0, ipLen >> 8, ipLen & 255, 0, 0, 0, 0, 64, 17, 0, 0, 192, 168, 1, 2, 192, 168, 1, 255], 14);
  const udpLen = 8 + payload.length;
  f.set([0x44, 0x5c, 0x44, 0x5c, udpLen >> 8, udpLen & 255, 0, 0], 34);
  f.set(payload, 42);
  return f;
}

const ANNOUNCE = new TextEncoder().encode(
  '{"host_int": 4094514483, "version": [1, 8], "displayname": "", "port": 17500, "namespaces": [20524257]}',
);

describe('DB-LSP-DISC', () => {
  it('names itself and hands the payload to JSON, as tshark 4.0 shows Dropbox discovery', () => {
    const p = dissectBytes(LINKTYPE.ETHERNET, frame(ANNOUNCE));
    expect(p.protocols()).toBe('eth:ethertype:ip:udp:db-lsp-disc:json');
    expect(p.protocolCol).toBe('DB-LSP-DISC/JSON');
    expect(p.infoCol).toBe('Dropbox LAN sync Discovery Protocol, JavaScript Object Notation');
    expect(fieldText(p, 'json.key')).toBe('host_int,version,displayname,port,namespaces');
  });

  it('shows a payload that is not JSON as text lines under JSON, as Wireshark does', () => {
    const p = dissectBytes(LINKTYPE.ETHERNET, frame(new TextEncoder().encode('not json\n')));
    expect(p.protocols().startsWith('eth:ethertype:ip:udp:db-lsp-disc:json')).toBe(true);
    expect(p.protocolCol).toBe('DB-LSP-DISC/JSON');
  });

  it('never throws on random payloads', () => {
    neverThrows(LINKTYPE.ETHERNET, frame(new Uint8Array(100)).slice(0, 42));
  });
});
