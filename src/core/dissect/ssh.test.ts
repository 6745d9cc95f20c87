import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareWithTshark, conversationRows, enc, neverThrowsOnPort } from './tcp-app-test-support.js';
import { captureFieldRows } from './test-support.js';

const SSH = ['SSH', 'SSHv1', 'SSHv2'];

/** An SSH-2 binary packet (RFC 4253 section 6) around `payload`, with `padding` zero bytes. */
function packet(payload: number[], padding = 4): Uint8Array {
  const plen = 1 + payload.length + padding;
  return Uint8Array.from([
    plen >>> 24,
    (plen >>> 16) & 0xff,
    (plen >>> 8) & 0xff,
    plen & 0xff,
    padding,
    ...payload,
    ...new Array<number>(padding).fill(0),
  ]);
}

/** A KEXINIT payload with the given kex and cipher lists (other lists "none"). */
function kexinit(kex: string, cipher: string): number[] {
  const list = (s: string): number[] => [0, 0, (s.length >>> 8) & 0xff, s.length & 0xff, ...enc(s)];
  return [
    20,
    ...new Array<number>(16).fill(7),
    ...list(kex),
    ...list('ssh-ed25519'),
    ...list(cipher),
    ...list(cipher),
    ...list('hmac-sha2-256'),
    ...list('hmac-sha2-256'),
    ...list('none'),
    ...list('none'),
    ...list(''),
    ...list(''),
    0,
    0,
    0,
    0,
    0,
  ];
}

describe('SSH in the shared captures (tshark 4.0 columns)', () => {
  it.each([
    'zeek__ssh-dups.pcap',
    'zeek__ssh.client-side-half-duplex.pcap',
    'tcpdump__kday3.pcap',
    'pcapplusplus__pcapng-example.pcapng',
  ])('matches Protocol, Info and frame.protocols of every SSH frame of %s', (capture) => {
    const { want, got } = compareWithTshark(readFileSync, capture, SSH);
    expect(want.length).toBeGreaterThan(0);
    expect(got).toEqual(want);
  });
});

describe('SSH key exchange sequence numbers (ssh.seq_num)', () => {
  // tshark 4.0.17 -T fields -e frame.number -e ssh.seq_num: its counts of KEXINIT, the key
  // exchange messages (before or after counting, by method) and NEWKEYS, per side.
  it.each([
    ['zeek__ssh.client-side-half-duplex.pcap', '5:0 7:2 9:2 32:0 33:0 35:0 37:1'],
    ['zeek__ssh-dups.pcap', '20:0 21:0 22:0 23:0 28:0 29:0 30:0 31:0 36:1 37:1 38:1 39:1'],
  ])('numbers the messages of %s as tshark does', (capture, expected) => {
    const rows = captureFieldRows(readFileSync, capture, ['frame.number', 'ssh.seq_num']);
    const shown = rows
      .map((r) => r.slice(-2))
      .filter(([, seq]) => seq !== '')
      .map(([frame, seq]) => `${frame}:${seq.split(',')[0]}`);
    expect(shown.slice(0, expected.split(' ').length).join(' ')).toBe(expected);
  });
});

describe('SSH conversations', () => {
  it('names the protocol from the client banner in both passes and prefixes the side', () => {
    const rows = conversationRows(22, [
      { dir: 's', data: 'SSH-2.0-OpenSSH_8.0\r\n' },
      { dir: 'c', data: 'SSH-2.0-test\r\n' },
      { dir: 'c', data: packet(kexinit('curve25519-sha256', 'aes128-ctr')) },
    ]);
    expect(rows.map((r) => [r.protocol, r.info])).toEqual([
      ['SSHv2', 'Server: Protocol (SSH-2.0-OpenSSH_8.0)'],
      ['SSHv2', 'Client: Protocol (SSH-2.0-test)'],
      ['SSHv2', 'Client: Key Exchange Init'],
    ]);
    expect(rows[0].protocols).toBe('raw:ip:tcp:ssh');
  });

  it('calls version 1 SSHv1 and shows only the first packet of a side in clear', () => {
    // plen 5: 3 bytes of padding, code 3 (session key), 4 bytes of payload.
    const v1 = (code: number): Uint8Array => Uint8Array.from([0, 0, 0, 5, 0, 0, 0, code, 1, 2, 3, 4]);
    const rows = conversationRows(22, [
      { dir: 'c', data: 'SSH-1.5-test\n' },
      { dir: 'c', data: v1(3) },
      { dir: 'c', data: v1(9) },
    ]);
    expect(rows.map((r) => [r.protocol, r.info])).toEqual([
      ['SSHv1', 'Client: Protocol (SSH-1.5-test)'],
      ['SSHv1', 'Client: Session Key'],
      ['SSHv1', 'Client: Encrypted packet (len=5)'],
    ]);
  });

  it('names messages 30-39 after the agreed key exchange and hides chacha20 packets after NEWKEYS', () => {
    const kex = 'diffie-hellman-group-exchange-sha256';
    const rows = conversationRows(22, [
      { dir: 'c', data: 'SSH-2.0-a\r\n' },
      { dir: 's', data: 'SSH-2.0-b\r\n' },
      { dir: 'c', data: packet(kexinit(kex, 'chacha20-poly1305@openssh.com,aes128-ctr')) },
      { dir: 's', data: packet(kexinit(kex, 'aes128-ctr,chacha20-poly1305@openssh.com')) },
      { dir: 'c', data: packet([34, 0, 0, 8, 0, 0, 0, 8, 0, 0, 0, 32, 0]) },
      { dir: 'c', data: packet([21]) },
      { dir: 's', data: packet([21]) },
      { dir: 'c', data: new Uint8Array(40).fill(0x55) },
      { dir: 's', data: new Uint8Array(40).fill(0x55) },
    ]);
    expect(rows.map((r) => r.info)).toEqual([
      'Client: Protocol (SSH-2.0-a)',
      'Server: Protocol (SSH-2.0-b)',
      'Client: Key Exchange Init',
      'Server: Key Exchange Init',
      'Client: Diffie-Hellman Group Exchange Request',
      'Client: New Keys',
      'Server: New Keys',
      // The client's first choice the server offers: chacha20, which Wireshark 4.0 tries to decrypt.
      'Client: ',
      'Server: ',
    ]);
  });

  it('shows encrypted packets with their length when the cipher is not decryptable', () => {
    const rows = conversationRows(22, [
      { dir: 'c', data: 'SSH-2.0-a\r\n' },
      { dir: 's', data: 'SSH-2.0-b\r\n' },
      { dir: 'c', data: packet(kexinit('curve25519-sha256', 'aes128-ctr')) },
      { dir: 's', data: packet(kexinit('curve25519-sha256', 'aes128-ctr')) },
      { dir: 'c', data: packet([21]) },
      { dir: 'c', data: new Uint8Array(40).fill(0x55) },
    ]);
    expect(rows.map((r) => r.info).slice(4)).toEqual(['Client: New Keys', 'Client: Encrypted packet (len=40)']);
  });

  it('reassembles a key exchange packet split over two segments', () => {
    const whole = packet(kexinit('curve25519-sha256', 'aes128-ctr'));
    const rows = conversationRows(22, [
      { dir: 'c', data: 'SSH-2.0-a\r\n' },
      { dir: 'c', data: whole.subarray(0, 50) },
      { dir: 'c', data: whole.subarray(50) },
    ]);
    expect(rows.map((r) => [r.protocols, r.info])).toEqual([
      ['raw:ip:tcp:ssh', 'Client: Protocol (SSH-2.0-a)'],
      ['raw:ip:tcp', expect.stringContaining('[TCP segment of a reassembled PDU]')],
      ['raw:ip:tcp:ssh', 'Client: Key Exchange Init'],
    ]);
  });

  it('stops without asking TCP when its SSH-1 request comes to 0 bytes (as tshark 4.0.17 shows)', () => {
    const rows = conversationRows(22, [
      { dir: 'c', data: 'SSH-1.5-x\n' },
      { dir: 'c', data: Uint8Array.from([0, 0, 0, 5, 0, 0, 0, 3]) },
      { dir: 'c', data: Uint8Array.from([1, 2, 3, 4]) },
    ]);
    expect(rows[1].protocol).toBe('SSHv1');
    expect(rows[1].info).toBe('');
    expect(rows[2].info).toContain('[TCP segment of a reassembled PDU]');
  });

  it('marks a key exchange packet whose name-list runs past the data as malformed', () => {
    const bad = packet([20, ...new Array<number>(16).fill(0), 0, 0, 0x10, 0]);
    const rows = conversationRows(22, [
      { dir: 'c', data: 'SSH-2.0-a\r\n' },
      { dir: 'c', data: bad },
    ]);
    expect(rows[1].info).toBe('Key Exchange Init[Malformed Packet]');
  });

  it('never throws on random payload, before and after the banners', () => {
    neverThrowsOnPort(22);
    neverThrowsOnPort(22, [
      { dir: 'c', data: 'SSH-2.0-a\r\n' },
      { dir: 's', data: 'SSH-2.0-b\r\n' },
    ]);
    neverThrowsOnPort(22, [{ dir: 'c', data: 'SSH-1.5-a\r\n' }]);
  });
});
