import { describe, expect, it } from 'vitest';
import { dissectBytes, etherUdpFrame, fieldText, neverThrows } from './test-support.js';
import { LINKTYPE } from './linktypes.js';

/** An Ethernet/IPv4/UDP 17500 -> 17500 broadcast carrying `payload` (checksums left zero). */
const frame = (payload: Uint8Array): Uint8Array =>
  etherUdpFrame(
    { dst: [0xff, 0xff, 0xff, 0xff, 0xff, 0xff], src: [0, 1, 2, 3, 4, 5] },
    { src: [192, 168, 1, 2], dst: [192, 168, 1, 255] },
    17500,
    17500,
    payload,
  );

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
