import { describe, expect, it } from 'vitest';
import { Dissection } from './index.js';
import type { Packet } from './packet.js';
import { fieldText, frameOf, hex, neverThrows } from './test-support.js';
import { LINKTYPE } from './linktypes.js';

// Frames 51, 59 and 61 of pcapplusplus__many_interfaces-1.pcapng (Q025, Chrome to Google; the first
// two cut to 128 bytes here), then a frame of another conversation without a version (16). The
// expected Info texts are tshark 4.0's.
const CHLO51 = hex(
  '94103e0536d3a45e60f17d93080045000562e15100004011a2a5c0a8018b4a7de4e3fa9001bb054e1e570d484a3d55c439cd' +
    '1351303235010bf537e576ae5f9e40356f3301a001000443484c4f17000000504144009b010000534e4900ae01000053544b' +
    '00e801000056455200ec01000043435300f40100004e4f4e43140200',
);
const SERVER59 = hex(
  'a45e60f17d9394103e0536d3080045280562990600003511f5c84a7de4e3c0a8018b01bbfa90054e1c9200018fd0ba82412f' +
    'e5db1ad3aa5e105fb88d0f728d0deaa9f6ac0bed33964009a1d516972ff9e75b7902e5191a53a076a2df89d98951efc501eb' +
    '33e07e37cfda6c7b27a37e656ce86ad409b0c15e70e5b44197678a8b',
);
const CLIENT61 = hex(
  '94103e0536d3a45e60f17d93080045000044998400004011ef90c0a8018b4a7de4e3fa9001bb0030b6390c484a3d55c439cd' +
    '1303075ff32a24abf08833523656b5b48dd450715d325d136a91e733a130a7bd',
);
const OTHER16 = hex(
  '94103e0536d3a45e60f17d93080045000048945f00004011a992c0a8018badc2ccbdccc901bb00348a9f0cf3958f95ab35c2' +
    'ea877e63124374c4ffcba79e603ea8c3efdbde28e6dc994bad8297ac42581e2ce3e98393',
);

const run = (d: Dissection, bytes: Uint8Array, origLen = bytes.length): Packet =>
  d.dissect(frameOf(LINKTYPE.ETHERNET, bytes, origLen));

describe('GQUIC', () => {
  it('finds a conversation by its client hello and follows it without versions', () => {
    const d = new Dissection({ full: true });
    let p = run(d, CHLO51, 1392);
    expect(p.protocols()).toBe('eth:ethertype:ip:udp:gquic');
    expect(p.protocolCol).toBe('GQUIC');
    expect(p.infoCol).toBe('Client Hello, PKN: 1, CID: 1426860172352768584');
    expect(fieldText(p, 'gquic.version')).toBe('Q025');
    expect(fieldText(p, 'gquic.puflags')).toBe('0x0d');
    p = run(d, SERVER59, 1392);
    expect(p.infoCol).toBe('Payload (Encrypted), PKN: 1');
    p = run(d, CLIENT61);
    expect(p.infoCol).toBe('Payload (Encrypted), PKN: 3, CID: 1426860172352768584');
    expect(fieldText(p, 'gquic.packet_number')).toBe('3');
  });

  it('leaves UDP packets without a version outside known conversations to UDP', () => {
    const d = new Dissection({ full: true });
    const p = run(d, OTHER16);
    expect(p.protocols()).toBe('eth:ethertype:ip:udp:data');
    expect(p.protocolCol).toBe('UDP');
  });

  it('never throws on random bytes after a public header', () => {
    neverThrows(LINKTYPE.ETHERNET, CHLO51.slice(0, 42 + 13));
    neverThrows(LINKTYPE.ETHERNET, CHLO51.slice(0, 42 + 27));
  });
});
