import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Dissection } from './index.js';
import { dissectBytes, etherUdpFrame, fieldText, neverThrows } from './test-support.js';
import { LINKTYPE } from './linktypes.js';

// Hand-built sFlow v5 datagrams shaped like frame 66 of pcapplusplus__tcp-reassembly.pcap (agent
// 192.168.150.2, flow samples whose raw headers are Ethernet frames); the Info format and the
// nested frame.protocols are tshark 4.0's for that frame.

const be32 = (v: number): number[] => [(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];

/** Ethernet + IPv4 (10.0.0.1 -> 10.0.0.2) + UDP 1853 -> 53807 with 4 payload bytes. */
const SAMPLED = [
  ...[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x08, 0x00],
  ...[0x45, 0, 0, 32, 0, 0, 0x40, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2],
  ...[0x07, 0x3d, 0xd2, 0x2f, 0, 12, 0, 0, 1, 2, 3, 4],
];

function flowSample(seq: number): number[] {
  const header = [...be32(1), ...be32(SAMPLED.length + 4), ...be32(0), ...be32(SAMPLED.length), ...SAMPLED];
  const record = [...be32(1), ...be32(header.length), ...header];
  const body = [seq, 13, 60, 316961147, 778791, 13, 0x80000002, 1].flatMap(be32).concat(record);
  return [...be32(1), ...be32(body.length), ...body];
}

function datagram(samples: number[][]): Uint8Array {
  const sflow = [5, 1, 0xc0a89602, 0, 280085, 286635860, samples.length].flatMap(be32).concat(...samples);
  return etherUdpFrame(
    { dst: [0, 0x90, 0x7f, 0x3e, 2, 0xd0], src: [0xc0, 0x91, 0x34, 0xca, 0xfd, 0x80] },
    { src: [172, 16, 133, 254], dst: [172, 16, 128, 233] },
    0x995b,
    0x18c7,
    sflow,
  );
}

describe('sFlow', () => {
  it('shows the datagram header in Info and dissects the sampled headers inside', () => {
    const p = dissectBytes(LINKTYPE.ETHERNET, datagram([flowSample(1899767), flowSample(1899768)]));
    expect(p.protocolCol).toBe('sFlow');
    expect(p.infoCol).toBe('V5, agent 192.168.150.2, sub-agent ID 0, seq 280085, 2 samples');
    expect(p.protocols()).toBe('eth:ethertype:ip:udp:sflow:eth:ethertype:ip:udp:data:eth:ethertype:ip:udp:data');
    expect(fieldText(p, 'sflow.flow_sample.sequence_number')).toBe('1899767,1899768');
    expect(fieldText(p, 'sflow_245.header_protocol')).toBe('1,1');
    expect(fieldText(p, 'udp.srcport')).toBe('39259,1853,1853');
  });

  it('keeps the columns and the outer addresses and ports of the datagram', () => {
    const p = dissectBytes(LINKTYPE.ETHERNET, datagram([flowSample(1)]));
    expect(p.srcCol).toBe('172.16.133.254');
    expect(p.dstCol).toBe('172.16.128.233');
    expect(p.srcPort).toBe(39259);
    expect(p.netSrc4).toBe(0xac1085fe);
  });

  it('never throws on random samples or on any cut of a datagram', () => {
    neverThrows(LINKTYPE.ETHERNET, datagram([]).slice(0, 42 + 28));
    const whole = datagram([flowSample(1), flowSample(2)]);
    const d = new Dissection({ full: true });
    fc.assert(
      fc.property(fc.nat(whole.length), fc.nat(whole.length - 1), fc.nat(255), (cut, at, value) => {
        const f = whole.slice(0, Math.max(cut, 1));
        if (at < f.length) f[at] = value;
        const p = d.dissect({
          data: f,
          tsSec: 0,
          tsNsec: 0,
          capLen: f.length,
          origLen: whole.length,
          linkType: 1,
          interfaceId: 0,
        });
        expect(p.experts.some((e) => e.message.startsWith('Dissector error'))).toBe(false);
      }),
    );
  });
});
