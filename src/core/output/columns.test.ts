import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readCaptureBytes } from '../capture/reader.js';
import { Dissection } from '../dissect/index.js';
import type { Packet } from '../dissect/packet.js';
import { SummaryWriter, summaryLine } from './columns.js';

const CAPTURES = '../shared/captures/';

/** The UTF-8 bytes of summaryLine() and of SummaryWriter.line() for every packet of a capture. */
function bothWays(capture: string): [Buffer[], Buffer[]] {
  const d = new Dissection({ columns: true });
  const writer = new SummaryWriter();
  const strings: Buffer[] = [];
  const bytes: Buffer[] = [];
  readCaptureBytes(new Uint8Array(readFileSync(CAPTURES + capture)), (frame) => {
    const p = d.dissect(frame);
    const digits = frame.tsPrecision ?? 6;
    strings.push(Buffer.from(summaryLine(p, digits), 'utf8'));
    const n = writer.line(p, digits);
    bytes.push(Buffer.from(writer.bytes.subarray(0, n)));
  });
  return [strings, bytes];
}

/** Just what summaryLine and SummaryWriter read of a packet. */
function fakePacket(f: {
  number: number;
  origLen: number;
  sec: number;
  nsec: number;
  firstSec: number;
  firstNsec: number;
  src: string;
  dst: string;
  protocol: string;
  info: string;
}): Packet {
  return {
    meta: { number: f.number, origLen: f.origLen, tsSec: f.sec, tsNsec: f.nsec },
    session: { firstSec: f.firstSec, firstNsec: f.firstNsec },
    srcCol: f.src,
    dstCol: f.dst,
    protocolCol: f.protocol,
    infoCol: f.info,
  } as unknown as Packet;
}

describe('SummaryWriter', () => {
  // IPv4 and IPv6 TCP with options, nanosecond timestamps, MAC-only (ARP) and non-ASCII text.
  for (const capture of [
    'ppa__tcp_retransmissions.pcapng',
    'pcapplusplus__four_ipv6_http_streams.pcap',
    'pcapplusplus__nanosecs_big_endian.pcap',
    'ppa__arp_resolution.pcapng',
    'ppa__dns_axfr.pcapng',
  ]) {
    it(`writes the UTF-8 of summaryLine() (${capture})`, () => {
      const [strings, bytes] = bothWays(capture);
      expect(strings.length).toBeGreaterThan(0);
      expect(bytes).toEqual(strings);
    });
  }

  it('matches summaryLine() for any text, number and time (surrogates, wide numbers, earlier packets)', () => {
    const writer = new SummaryWriter();
    const text = fc.string({ unit: 'binary', maxLength: 40 });
    fc.assert(
      fc.property(
        fc.record({
          number: fc.nat({ max: 2 ** 32 - 1 }),
          origLen: fc.nat({ max: 2 ** 32 - 1 }),
          sec: fc.integer({ min: 0, max: 2 ** 33 }),
          nsec: fc.integer({ min: 0, max: 999_999_999 }),
          firstSec: fc.integer({ min: 0, max: 2 ** 33 }),
          firstNsec: fc.integer({ min: 0, max: 999_999_999 }),
          src: text,
          dst: text,
          protocol: text,
          info: fc.string({ unit: 'binary', maxLength: 2000 }),
        }),
        fc.integer({ min: 0, max: 9 }),
        (f, digits) => {
          const p = fakePacket(f);
          const n = writer.line(p, digits);
          expect(Buffer.from(writer.bytes.subarray(0, n))).toEqual(Buffer.from(summaryLine(p, digits), 'utf8'));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
