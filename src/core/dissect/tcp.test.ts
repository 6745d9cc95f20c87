import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Dissection } from './index.js';
import type { Packet } from './packet.js';
import { fieldByAbbrev } from './fields.js';
import { tcpPortTable } from './tables.js';
import {
  dissectTcp,
  setTcpAnalysisHook,
  tcpFlagsLetters,
  tcpFlagsText,
  tcpPreferences,
  TCP_PAYLOAD,
  type TcpAnalysisHook,
  type TcpSegment,
} from './tcp.js';
import { LINKTYPE } from './linktypes.js';
import { hex, fieldText as field, labelText as label } from './test-support.js';

// Test packets are TCP segments only: the tests play the IP layer (addresses, reported end),
// so that they do not depend on the IP dissectors. Expected values were checked with tshark 4.0.17
// on the same segments inside IPv4 (`-o tcp.analyze_sequence_numbers:FALSE`).

interface Run {
  /** Reported end of the segment (the IP payload length); defaults to the bytes given. */
  reported?: number;
  /** Captured bytes (a snapshot length); defaults to all. */
  captured?: number;
  ipv6?: boolean;
  inErrorPacket?: boolean;
}

/** Item i's custom label (the details-tree text the dissector set). */
function formatLabel(p: Packet, i: number): string {
  return p.tree.label[i] ?? '';
}

const dissection = new Dissection({ full: true });

/** Dissects `segment` as TCP over 192.168.0.1 → 192.168.0.2 (or 2001:db8::1 → 2001:db8::2). */
function run(segment: Uint8Array, o: Run = {}): Packet {
  const p = dissection.packet;
  const data = segment.subarray(0, o.captured ?? segment.length);
  p.begin(data);
  p.addLayer('ip');
  if (o.ipv6) {
    p.netType = 6;
    p.netSrc6 = hex('20010db8000000000000000000000001');
    p.netDst6 = hex('20010db8000000000000000000000002');
  } else {
    p.netType = 4;
    p.netSrc4 = 0xc0a80001;
    p.netDst4 = 0xc0a80002;
  }
  p.inErrorPacket = o.inErrorPacket ?? false;
  dissectTcp(p, data, 0, o.reported ?? segment.length);
  return p;
}

const experts = (p: Packet): string[] => p.experts.map((e) => e.message);

// ppa tcp_handshake.pcapng frame 1:
// 2826 > 80: Flags [S], seq 3691127924, win 8192, options [mss 1460,nop,wscale 2,nop,nop,sackOK]
const SYN = hex(`
  0b0a 0050 dc02 2474 0000 0000 8002 2000
  cfeb 0000 0204 05b4 0103 0302 0101 0402`);

// 443 > 51000: Flags [.], seq 5000, ack 900, win 512, options [nop,nop,TS val 100 ecr 200,nop,nop,sack 1 {1000:2000}]
const ACK_SACK = hex(`
  01bb c738 0000 1388 0000 0384 b010 0200
  d06e 0000 0101 080a 0000 0064 0000 00c8
  0101 050a 0000 03e8 0000 07d0`);

// The engine installs the stream analysis; these tests look at the dissector alone.
beforeEach(() => setTcpAnalysisHook(undefined));

afterEach(() => {
  setTcpAnalysisHook(undefined);
  tcpPreferences.checkChecksum = false;
});

describe('TCP header', () => {
  it('shows a SYN with its options as tshark does (raw numbers without the stream analysis)', () => {
    const p = run(SYN);
    expect(p.protocols()).toBe('ip:tcp');
    expect(p.protocolCol).toBe('TCP');
    expect(p.infoCol).toBe('2826 \u2192 80 [SYN] Seq=3691127924 Win=8192 Len=0 MSS=1460 WS=4 SACK_PERM');
    expect(field(p, 'tcp.srcport')).toBe('2826');
    expect(field(p, 'tcp.dstport')).toBe('80');
    expect(field(p, 'tcp.port')).toBe('2826,80');
    expect(field(p, 'tcp.seq_raw')).toBe('3691127924');
    expect(field(p, 'tcp.seq')).toBe('3691127924');
    expect(field(p, 'tcp.nxtseq')).toBe('3691127925');
    expect(field(p, 'tcp.ack_raw')).toBe('0');
    expect(field(p, 'tcp.hdr_len')).toBe('32');
    expect(field(p, 'tcp.flags')).toBe('0x0002');
    expect(field(p, 'tcp.flags.syn')).toBe('1');
    expect(field(p, 'tcp.flags.ack')).toBe('0');
    expect(field(p, 'tcp.flags.str')).toBe('\u00b7\u00b7\u00b7\u00b7\u00b7\u00b7\u00b7\u00b7\u00b7\u00b7S\u00b7');
    expect(field(p, 'tcp.len')).toBe('0');
    expect(field(p, 'tcp.window_size_value')).toBe('8192');
    expect(field(p, 'tcp.window_size')).toBe('8192');
    expect(field(p, 'tcp.checksum')).toBe('0xcfeb');
    expect(field(p, 'tcp.checksum.status')).toBe('2');
    expect(field(p, 'tcp.urgent_pointer')).toBe('0');
    expect(field(p, 'tcp.options')).toBe('020405b40103030201010402');
    expect(field(p, 'tcp.option_kind')).toBe('2,1,3,1,1,4');
    expect(field(p, 'tcp.option_len')).toBe('4,3,2');
    expect(field(p, 'tcp.options.mss_val')).toBe('1460');
    expect(field(p, 'tcp.options.wscale.shift')).toBe('2');
    expect(field(p, 'tcp.options.wscale.multiplier')).toBe('4');
    expect(field(p, 'tcp.options.nop')).toBe('01,01,01');
    expect(field(p, 'tcp.options.sack_perm')).toBe('0402');
    expect(experts(p)).toEqual(['Connection establish request (SYN): server port 80']);
    expect(p.srcPort).toBe(2826);
    expect(p.dstPort).toBe(80);
    expect(p.ipProto).toBe(6);
  });

  it('labels the details tree as Wireshark does', () => {
    const p = run(SYN);
    const top = p.tree.find(fieldByAbbrev('tcp')!.id);
    expect(formatLabel(p, top)).toBe(
      'Transmission Control Protocol, Src Port: 2826, Dst Port: 80, Seq: 3691127924, Len: 0',
    );
    expect(p.tree.length[top]).toBe(32);
    expect(label(p, 'tcp.hdr_len')).toBe('1000 .... = Header Length: 32 bytes (8)');
    expect(label(p, 'tcp.flags')).toBe('Flags: 0x002 (SYN)');
    expect(label(p, 'tcp.checksum')).toBe('Checksum: 0xcfeb [unverified]');
    expect(label(p, 'tcp.options')).toBe(
      'Options: (12 bytes), Maximum segment size, No-Operation (NOP), Window scale, No-Operation (NOP), No-Operation (NOP), SACK permitted',
    );
    expect(label(p, 'tcp.options.mss')).toBe('TCP Option - Maximum segment size: 1460 bytes');
    expect(label(p, 'tcp.options.wscale')).toBe('TCP Option - Window scale: 2 (multiply by 4)');
  });

  it('shows timestamps and SACK blocks in option order, with the SACK count', () => {
    const p = run(ACK_SACK);
    expect(p.infoCol).toBe(
      '443 \u2192 51000 [ACK] Seq=5000 Ack=900 Win=512 Len=0 TSval=100 TSecr=200 SLE=1000 SRE=2000',
    );
    expect(field(p, 'tcp.options.timestamp.tsval')).toBe('100');
    expect(field(p, 'tcp.options.timestamp.tsecr')).toBe('200');
    expect(field(p, 'tcp.options.sack_le')).toBe('1000');
    expect(field(p, 'tcp.options.sack_re')).toBe('2000');
    expect(field(p, 'tcp.options.sack.count')).toBe('1');
    expect(field(p, 'tcp.options.sack.dsack_le')).toBe('');
    expect(field(p, 'tcp.ack')).toBe('900');
  });

  it('marks a first SACK block at or below the ACK as a D-SACK (RFC 2883)', () => {
    // 443 > 51000: Flags [.], ack 900, options [nop,nop,sack 2 {10:20}{30:40}]
    const p = run(
      hex('01bb c738 0000 1388 0000 0384 a010 0200 f5f5 0000 0101 0512 0000 000a 0000 0014 0000 001e 0000 0028'),
    );
    expect(p.infoCol).toBe('443 \u2192 51000 [ACK] Seq=5000 Ack=900 Win=512 Len=0 SLE=10 SRE=20 SLE=30 SRE=40');
    expect(field(p, 'tcp.options.sack.count')).toBe('2');
    expect(field(p, 'tcp.options.sack.dsack_le')).toBe('10');
    expect(field(p, 'tcp.options.sack.dsack_re')).toBe('20');
    expect(experts(p)).toEqual(['D-SACK Sequence']);
  });

  it('names every flag in Info and in tcp.flags.str', () => {
    expect(tcpFlagsText(0x0ff, false)).toBe('FIN, SYN, RST, PSH, ACK, URG, ECE, CWR');
    expect(tcpFlagsText(0x1c2, false)).toBe('SYN, ECE, CWR, AE');
    expect(tcpFlagsText(0xe00, false)).toBe('Reserved');
    expect(tcpFlagsText(0x000, false)).toBe('<None>');
    expect(tcpFlagsText(0x090, true)).toBe('ACK, ACE=2');
    expect(tcpFlagsLetters(0x012, false)).toBe('\u00b7\u00b7\u00b7\u00b7\u00b7\u00b7\u00b7A\u00b7\u00b7S\u00b7');
    expect(tcpFlagsLetters(0xfff, false)).toBe('RRRACEUAPRSF');
    expect(tcpFlagsLetters(0x150, true)).toBe('\u00b7\u00b7\u00b7-5-\u00b7A\u00b7\u00b7\u00b7\u00b7');
    // tcpdump tcp_eight_lowest_weight_flags_set.pcap: 6260 > 80: Flags [FSRPUEW], seq 576462951, ack 486026015, win 512, urg 0
    const p = run(hex('1874 0050 225c 2067 1cf8 2b1f 50ff 0200 f4c3 0000'));
    expect(p.infoCol).toBe(
      '6260 \u2192 80 [FIN, SYN, RST, PSH, ACK, URG, ECE, CWR] Seq=576462951 Ack=486026015 Win=512 Urg=0 Len=0',
    );
    expect(field(p, 'tcp.flags')).toBe('0x00ff');
  });

  it('notes an ACK number without the ACK flag and an urgent pointer without URG', () => {
    // 1 > 2: Flags [S], seq 3, ack 4, win 5, urg 9
    const p = run(hex('0001 0002 0000 0003 0000 0004 5002 0005 2e77 0009'));
    expect(p.infoCol).toBe('1 \u2192 2 [SYN] Seq=3 Win=5 Len=0');
    expect(field(p, 'tcp.ack_raw')).toBe('4');
    expect(experts(p)).toEqual([
      'The acknowledgment number field is nonzero while the ACK flag is not set',
      'Connection establish request (SYN): server port 2',
      'The urgent pointer field is nonzero while the URG flag is not set',
    ]);
  });

  it('stops at a header length below 20 with the bogus-length expert', () => {
    // data offset 4 (16 bytes)
    const p = run(hex('0001 0002 0000 0003 0000 0004 4010 0005 0000 0000'));
    expect(p.infoCol).toBe('1 \u2192 2 [ACK] Seq=3 Ack=4 Win=5, bogus TCP header length (16, must be at least 20)');
    expect(field(p, 'tcp.hdr_len')).toBe('16');
    expect(field(p, 'tcp.flags')).toBe('');
    expect(experts(p)).toEqual(['Bogus TCP header length (16, must be at least 20)']);
    expect(p.malformedCount).toBe(0);
  });
});

describe('TCP short and malformed segments', () => {
  it('marks a header cut by the snapshot length after the ports (tcpdump tcp_header_heapoverflow)', () => {
    const seg = hex('3030 3030 3030 3030 3030 3030 3030 3030 3030 3030');
    const p = run(seg, { captured: 12, reported: 12316 });
    expect(p.infoCol).toBe('12336 \u2192 12336[Packet size limited during capture]');
    expect(field(p, 'tcp.srcport')).toBe('12336');
    expect(field(p, 'tcp.seq_raw')).toBe('');
    expect(p.truncatedCount).toBe(1);
  });

  it('is malformed when the IP length ends inside the fixed header', () => {
    const p = run(SYN, { reported: 10 });
    expect(p.infoCol).toBe('2826 \u2192 80[Malformed Packet]');
    expect(p.malformedCount).toBe(1);
  });

  it('flags a short segment and a malformed packet when options lie past the IP length (pcapplusplus tcp-malformed)', () => {
    // 49671 > 25014: Flags [.], seq 1464094811, ack 1302630585, win 2193, urg 57354, header 28 bytes, IP payload 20
    const seg = hex('c207 61b6 5744 505b 4da4 90b9 7010 0891 bbe7 e00a 0000 0000 0000');
    const p = run(seg, { reported: 20 });
    expect(p.infoCol).toBe('49671 \u2192 25014 [ACK] Seq=1464094811 Ack=1302630585 Win=2193[Malformed Packet]');
    expect(field(p, 'tcp.len')).toBe('');
    expect(field(p, 'tcp.hdr_len')).toBe('28');
    expect(field(p, 'tcp.urgent_pointer')).toBe('57354');
    expect(experts(p)[0]).toMatch(/^Short segment/);
    expect(p.malformedCount).toBe(1);
  });

  it('stops after the last whole option when the capture is cut inside the options (zeek truncated-header)', () => {
    // zeek truncated-header.pcap frame 1: 60827 > 25: Flags [SEW], win 5840, options [mss 1460,sackOK,
    // kind 8 with length 8, ...]: 34 of the 40 header bytes captured
    const seg = hex(
      'ed9b 0019 3e17 75de 0000 0000 a0c2 16d0 90d6 0000 0204 05b4 0402 0808 0000 0001 0000 0000 0000 0000',
    );
    const p = run(seg, { captured: 34 });
    expect(p.infoCol).toBe(
      '60827 \u2192 25 [SYN, ECE, CWR] Seq=1041724894 Win=5840 Len=0 MSS=1460 SACK_PERM[Packet size limited during capture]',
    );
    expect(field(p, 'tcp.options.mss_val')).toBe('1460');
    expect(field(p, 'tcp.options.timestamp.tsval')).toBe('');
    expect(experts(p)).toContain('option length should be 10');
  });

  it("reports an option that overruns the segment as Wireshark's contained-bounds error", () => {
    // 33440 > 62215: Flags [SEW], header 52 bytes, options [echoreply 2212713205, mss 52682, exp-253 of 6
    // bytes whose last 2 lie past the IP payload (34 bytes)]
    const seg = hex('82a0 f307 4301 b666 0000 0000 d1c2 1a8f 9e1b 673d 0706 83e3 52f5 0204 cdca fd06 1234');
    const p = run(seg, { reported: 34 });
    expect(p.infoCol).toBe(
      '33440 \u2192 62215 [SYN, ECE, CWR, AE] Seq=1124185702 Win=6799 ECHO=2212713205 MSS=52682[Malformed Packet: length of contained item exceeds length of containing item]',
    );
    expect(field(p, 'tcp.options.echo')).toBe('070683e352f5');
    expect(field(p, 'tcp.options.experimental.exid')).toBe('0x1234');
  });

  it('adds tcp.option.len.invalid for a wrong option length and goes on', () => {
    // 1000 > 2000: Flags [S], options [mss with length 3, eol]
    const p = run(hex('03e8 07d0 0000 0001 0000 0000 6002 0400 07cf 0000 0203 0500'));
    expect(p.infoCol).toBe('1000 \u2192 2000 [SYN] Seq=1 Win=1024 Len=0');
    expect(field(p, 'tcp.options.mss_val')).toBe('');
    expect(experts(p)).toEqual(['Connection establish request (SYN): server port 2000', 'option length should be 4']);
  });

  it('stops the option walk at a length running past the header', () => {
    // options [TFO cookie aabbccdd, user timeout 30 min, kind 99 length 4 with 2 bytes left]
    const p = run(hex('03e8 07d0 0000 0001 0000 0000 8002 0400 54ff 0000 2206 aabb ccdd 1c04 801e 6304 0102'));
    expect(p.infoCol).toBe('1000 \u2192 2000 [SYN] Seq=1 Win=1024 Len=2 TFO=C USER_TO=30');
    expect(field(p, 'tcp.options.tfo.cookie')).toBe('aabbccdd');
    expect(field(p, 'tcp.options.user_to_val')).toBe('30');
    expect(experts(p)).toEqual([
      'Connection establish request (SYN): server port 2000',
      'TCP SYN with TFO Cookie',
      'Unknown (0x63) (option length = 4 bytes says option goes past end of options)',
    ]);
  });

  it('warns about four NOPs in a row and shows unknown experiment identifiers', () => {
    // 1 > 2: Flags [P.], options [nop,nop,nop,nop,exp-253 ExID 0x1234 data 5678,eol,eol], payload "hi"
    const p = run(hex('0001 0002 0000 0003 0000 0004 8018 0005 2e3d 0000 0101 0101 fd06 1234 5678 0000 6869'));
    expect(p.infoCol).toBe('1 \u2192 2 [PSH, ACK] Seq=3 Ack=4 Win=5 Len=2 ExID=1234');
    expect(experts(p)).toEqual(['4 NOP in a row - a router may have removed some options']);
    expect(field(p, 'tcp.options.experimental.data')).toBe('5678');
    expect(field(p, 'tcp.options.eol')).toBe('00,00');
    expect(p.protocols()).toBe('ip:tcp:data');
    expect(field(p, 'tcp.payload')).toBe('6869');
  });

  it('shows AccECN counters from an experimental option (tcpdump accecn_handshake)', () => {
    // tcpdump accecn_handshake.pcap frame 2: 80 > 16433: Flags [S.W], options [mss 1460,sackOK,TS val 2783239876
    // ecr 112147477,exp-254 ExID 0xacc0 EE0B 1 ECEB 0 EE1B 0,nop,wscale 7]
    const p = run(
      hex(
        '0050 4031 b128 b393 741d 4a2e d092 fe88 22a8 0000 0204 05b4 0402 080a a5e4 dec4 06af 3c15 fe0d acc0 0000 0100 0000 0000 0003 0307',
      ),
    );
    expect(p.infoCol).toBe(
      '80 \u2192 16433 [SYN, ACK, CWR] Seq=2972234643 Ack=1948076590 Win=65160 Len=0 MSS=1460 SACK_PERM TSval=2783239876 TSecr=112147477 EE0B=1 ECEB=0 EE1B=0 WS=128',
    );
    expect(field(p, 'tcp.options.acc_ecn.ee0b')).toBe('1');
    expect(field(p, 'tcp.options.acc_ecn.ee1b')).toBe('0');
  });

  it('makes Multipath TCP a protocol of its own and checks the subtype reads', () => {
    // options [mptcp MP_CAPABLE v0 flags 0x81 key 0x0102030405060708 (12 bytes)]
    const p = run(hex('0001 0002 0000 0003 0000 0000 8002 0005 0000 0000 1e0c 0081 0102 0304 0506 0708'));
    expect(p.protocols()).toBe('ip:tcp:mptcp');
    expect(p.protocolCol).toBe('MPTCP');
    expect(field(p, 'tcp.options.mptcp.subtype')).toBe('0');
    // A DSS whose flags ask for a data ACK the option does not hold
    const q = run(hex('0001 0002 0000 0003 0000 0000 6010 0005 0000 0000 1e04 2001'));
    expect(q.infoCol).toBe('1 \u2192 2 [ACK] Seq=3 Ack=0 Win=5 Len=0[Malformed Packet]');
  });
});

describe('TCP checksum', () => {
  it('is not verified by default', () => {
    expect(field(run(SYN), 'tcp.checksum.status')).toBe('2');
  });

  it('verifies over the IPv4 pseudo-header on request', () => {
    tcpPreferences.checkChecksum = true;
    const p = run(ACK_SACK);
    expect(field(p, 'tcp.checksum.status')).toBe('1');
    expect(field(p, 'tcp.checksum_calculated')).toBe('0xd06e');
    expect(label(p, 'tcp.checksum')).toBe('Checksum: 0xd06e [correct]');
    const bad = ACK_SACK.slice();
    bad[16] = 0x12;
    bad[17] = 0x34;
    const q = run(bad);
    expect(field(q, 'tcp.checksum.status')).toBe('0');
    expect(field(q, 'tcp.checksum_calculated')).toBe('0xd06e');
    expect(q.infoCol).toBe(
      '443 \u2192 51000 [ACK] Seq=5000 Ack=900 Win=512 [TCP CHECKSUM INCORRECT] Len=0 TSval=100 TSecr=200 SLE=1000 SRE=2000',
    );
    expect(experts(q)).toEqual(['Bad checksum [should be 0xd06e]']);
  });

  it('verifies over the IPv6 pseudo-header on request', () => {
    tcpPreferences.checkChecksum = true;
    // 2001:db8::1.2826 > 2001:db8::2.80: Flags [S], seq 1, win 8192
    const seg = hex('0b0a 0050 0000 0001 0000 0000 5002 2000 0000 0000');
    expect(field(run(seg, { ipv6: true }), 'tcp.checksum_calculated')).toBe('0x2913');
    seg[16] = 0x29;
    seg[17] = 0x13;
    expect(field(run(seg, { ipv6: true }), 'tcp.checksum.status')).toBe('1');
  });

  it('is left unverified when the segment is not all captured', () => {
    tcpPreferences.checkChecksum = true;
    const p = run(ACK_SACK, { reported: ACK_SACK.length + 10 });
    expect(field(p, 'tcp.checksum.status')).toBe('2');
  });
});

describe('TCP payload', () => {
  it('hands payload to the lower registered port first, else to data', () => {
    const seen: number[] = [];
    tcpPortTable.add(7, (p, buf, off, end) => {
      seen.push(end - off);
      p.addLayer('echo');
    });
    // 40000 > 7: Flags [P.], payload "abc"
    const p = run(hex('9c40 0007 0000 0001 0000 0001 5018 0100 0000 0000 6162 63'));
    expect(p.protocols()).toBe('ip:tcp:echo');
    expect(seen).toEqual([3]);
    expect(field(p, 'tcp.payload')).toBe('616263');
  });

  it('shows the data of a RST as its reset cause, not as payload', () => {
    // 80 > 5000: Flags [R.], payload "reset!\x01"
    const p = run(hex('0050 1388 0000 0003 0000 0004 5014 0000 bfaa 0000 7265 7365 7421 01'));
    expect(p.infoCol).toBe('80 \u2192 5000 [RST, ACK] Seq=3 Ack=4 Win=0 Len=7');
    expect(field(p, 'tcp.reset_cause')).toBe('reset!\u0001');
    expect(field(p, 'tcp.payload')).toBe('');
    expect(p.protocols()).toBe('ip:tcp');
    expect(experts(p)).toEqual(['Connection reset (RST)']);
  });
});

describe('TCP inside an ICMP error', () => {
  it('shows ports and sequence number of an 8-byte quote without marking the packet', () => {
    const p = dissection.packet;
    const before = run(hex('9c40 0050 075b cd15'), { inErrorPacket: true, reported: 8 });
    expect(before).toBe(p);
    expect(field(p, 'tcp.srcport')).toBe('40000');
    expect(field(p, 'tcp.seq')).toBe('123456789');
    expect(field(p, 'tcp.seq_raw')).toBe('');
    expect(p.malformedCount + p.truncatedCount).toBe(0);
    expect(p.infoCol).toBe('');
    expect(p.protocolCol).toBe('');
    expect(p.srcPort).toBe(-1);
  });

  it('dissects a whole quoted header without tcp.len', () => {
    const p = run(hex('9c40 0050 0000 0001 0000 0002 5002 0064 0000 0000'), { inErrorPacket: true });
    expect(field(p, 'tcp.seq')).toBe('1');
    expect(field(p, 'tcp.len')).toBe('');
    expect(field(p, 'tcp.flags')).toBe('0x0002');
    expect(field(p, 'tcp.window_size_value')).toBe('100');
  });
});

describe('TCP analysis hook', () => {
  /** A stand-in analysis: relative numbers from fixed bases, window scale 64, AccECN on. */
  function relativeHook(log: string[]): TcpAnalysisHook {
    return {
      begin(_p, s: TcpSegment) {
        s.relative = true;
        s.seq = (s.seqRaw - 4999) >>> 0;
        s.ack = (s.ackRaw - 899) >>> 0;
        s.sackBase = 899;
        s.window = s.windowRaw * 64;
        s.windowScaleFactor = 64;
        log.push('begin');
      },
      option(_p, _s, kind, a, b) {
        log.push(`option ${kind} ${a} ${b}`);
      },
      end(_p, s) {
        s.payloadMode = TCP_PAYLOAD.NONE;
        log.push('end');
      },
    };
  }

  it('lets the analysis supply relative numbers, SACK base and window scale before they are shown', () => {
    const log: string[] = [];
    setTcpAnalysisHook(relativeHook(log));
    const p = run(ACK_SACK);
    expect(p.infoCol).toBe('443 \u2192 51000 [ACK] Seq=1 Ack=1 Win=32768 Len=0 TSval=100 TSecr=200 SLE=101 SRE=1101');
    expect(field(p, 'tcp.seq')).toBe('1');
    expect(field(p, 'tcp.seq_raw')).toBe('5000');
    expect(field(p, 'tcp.ack')).toBe('1');
    expect(field(p, 'tcp.window_size')).toBe('32768');
    expect(field(p, 'tcp.window_size_scalefactor')).toBe('64');
    expect(field(p, 'tcp.options.sack_le')).toBe('101');
    expect(label(p, 'tcp.seq')).toBe('Sequence Number: 1    (relative sequence number)');
    expect(label(p, 'tcp.options.sack_le')).toBe('left edge = 101 (relative)');
    expect(log).toEqual(['begin', 'option 8 100 200', 'option 5 101 1101', 'end']);
  });

  it('shows the ACE counter when the analysis says AccECN was negotiated', () => {
    setTcpAnalysisHook({
      begin(_p, s) {
        s.useAce = true;
      },
    });
    // tcpdump accecn_handshake.pcap frame 3: 16433 > 80: Flags [.W], win 1027 (AE=0 CWR=1 ECE=0: ACE=2),
    // options [nop,nop,TS val 112147698 ecr 2783239876,exp-254 ExID 0xacc0 EE0B 0 ECEB 16777215 EE1B 16777215]
    const p = run(
      hex(
        '4031 0050 741d 4a2e b128 b394 c090 0403 20a4 0000 0101 080a 06af 3cf2 a5e4 dec4 fe0d acc0 0000 00ff ffff ffff ff00 0000',
      ),
    );
    expect(p.infoCol).toBe(
      '16433 \u2192 80 [ACK, ACE=2] Seq=1948076590 Ack=2972234644 Win=1027 Len=0 TSval=112147698 TSecr=2783239876 EE0B=0 ECEB=16777215 EE1B=16777215',
    );
    expect(field(p, 'tcp.flags.ace')).toBe('2');
    expect(field(p, 'tcp.flags.cwr')).toBe('');
    expect(field(p, 'tcp.flags.str')).toBe('\u00b7\u00b7\u00b7-2-\u00b7A\u00b7\u00b7\u00b7\u00b7');
  });

  it('keeps payload from subdissectors when the analysis says so', () => {
    setTcpAnalysisHook(relativeHook([]));
    const p = run(hex('9c40 4e20 0000 1388 0000 0384 5018 0100 0000 0000 6162 63'));
    expect(p.protocols()).toBe('ip:tcp');
    expect(field(p, 'tcp.payload')).toBe('616263');
  });
});

describe('TCP robustness', () => {
  it('never throws on random segments, truncations and lengths', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 0, maxLength: 80 }),
        fc.nat(100),
        fc.nat(100),
        fc.boolean(),
        fc.boolean(),
        (bytes, captured, reported, v6, inError) => {
          tcpPreferences.checkChecksum = captured % 2 === 0;
          const p = run(bytes, {
            captured: Math.min(captured, bytes.length),
            reported,
            ipv6: v6,
            inErrorPacket: inError,
          });
          expect(p.layers[1]).toBe('tcp');
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('never throws through the engine (Ethernet, IPv4, TCP) on random TCP bytes', () => {
    const d = new Dissection({ full: true });
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 80 }), fc.nat(120), (tcpBytes, cut) => {
        const ip = hex('4500 0000 0001 4000 4006 0000 c0a8 0001 c0a8 0002');
        const total = 20 + tcpBytes.length;
        ip[2] = total >> 8;
        ip[3] = total & 255;
        const frame = new Uint8Array(14 + total);
        frame.set(hex('0000 0000 0001 0000 0000 0002 0800'));
        frame.set(ip, 14);
        frame.set(tcpBytes, 34);
        const data = frame.subarray(0, Math.min(frame.length, 14 + cut));
        const p = d.dissect({
          data,
          tsSec: 0,
          tsNsec: 0,
          capLen: data.length,
          origLen: frame.length,
          linkType: LINKTYPE.ETHERNET,
          interfaceId: 0,
          comments: undefined,
        });
        expect(p.experts.some((e) => e.message.startsWith('Dissector error'))).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });
});
