import { describe, expect, it } from 'vitest';
import { TcpFollower, tsharkFollowText, type FollowSegment } from './follow.js';
import { formatSize } from './conversations.js';
import { followText } from '../../output/follow-text.js';

const client = { address: '10.0.0.1', port: 40000, ipv6: false };
const server = { address: '10.0.0.2', port: 80, ipv6: false };
const text = (s: string) => new TextEncoder().encode(s);

function seg(frame: number, fromClient: boolean, seq: number, data: string, ack = 0, syn = false): FollowSegment {
  return {
    frame,
    src: fromClient ? client : server,
    dst: fromClient ? server : client,
    seq,
    ack,
    syn,
    length: data.length,
    payload: text(data),
  };
}

const chunks = (f: TcpFollower) => f.chunks.map((c) => `${c.server ? 'S' : 'C'}:${new TextDecoder().decode(c.data)}`);

describe('TCP follow (Wireshark 4.0 reassembly)', () => {
  it('keeps retransmitted bytes once and only the new tail of a longer retransmission', () => {
    const f = new TcpFollower();
    f.segment(seg(1, true, 0, '', 0, true));
    f.segment(seg(2, true, 1, 'abc'));
    f.segment(seg(3, true, 1, 'abc'));
    f.segment(seg(4, true, 1, 'abcdef'));
    expect(chunks(f)).toEqual(['C:abc', 'C:def']);
    expect(f.duplicateFrames).toEqual([3]);
  });

  it('holds a segment that arrives early until the gap before it is filled', () => {
    const f = new TcpFollower();
    f.segment(seg(1, true, 1, 'ab'));
    f.segment(seg(2, true, 5, 'ef'));
    f.segment(seg(3, true, 3, 'cd'));
    expect(chunks(f)).toEqual(['C:ab', 'C:cd', 'C:ef']);
  });

  it("marks a gap the other side acknowledges with Wireshark's text and its NUL", () => {
    const f = new TcpFollower();
    f.segment(seg(1, true, 1, 'VERY'));
    f.segment(seg(2, true, 9, 'DATA'));
    f.segment(seg(3, false, 1, '', 13));
    expect(chunks(f)).toEqual(['C:VERY', 'C:[4 bytes missing in capture file]\0', 'C:DATA']);
    expect(tsharkFollowText(f, 'ascii', 0)).toContain('\n34\n[4 bytes missing in capture file].\n4\nDATA\n');
  });

  it('flush shows held segments after a marker for the bytes never seen (synack follow)', () => {
    const f = new TcpFollower();
    f.segment(seg(1, true, 1, 'GET '));
    f.segment(seg(2, true, 15, 'tail'));
    f.flush();
    expect(followText(f, 0)).toContain('GET \n[10 bytes missing]\ntail\n');
  });

  it('prints the hex dump as tshark: offsets per side, the server indented', () => {
    const f = new TcpFollower();
    f.segment(seg(1, true, 1, '0123456789abcdefXYZ'));
    f.segment(seg(2, false, 1, 'hi'));
    expect(tsharkFollowText(f, 'hex', 3)).toBe(
      '\n' +
        '='.repeat(67) +
        '\nFollow: tcp,hex\nFilter: tcp.stream eq 3\nNode 0: 10.0.0.1:40000\nNode 1: 10.0.0.2:80\n' +
        '00000000  30 31 32 33 34 35 36 37  38 39 61 62 63 64 65 66  01234567 89abcdef\n' +
        '00000010  58 59 5a                                          XYZ\n' +
        '\t00000000  68 69                                             hi\n' +
        '='.repeat(67) +
        '\n',
    );
  });
});

describe('format_size', () => {
  it('prints bytes below 10 kB and whole SI units above', () => {
    expect(formatSize(9999)).toBe('9999 bytes');
    expect(formatSize(10000)).toBe('10 kB');
    expect(formatSize(176543)).toBe('176 kB');
    expect(formatSize(12_345_678)).toBe('12 MB');
  });
});
