// The web app dissects a capture in two shard workers, each given the packets of some pairs of
// hosts. These tests run the same load pass in one piece and split by shardOf (in process, no
// browser) and check that every packet gets the same columns, colouring rule and tcp.stream,
// on real captures where both shards get packets; and that the shard key is the same both ways.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { CaptureReader } from '../../src/core/capture/reader.js';
import { Indexer } from '../../web/src/worker/indexer.js';
import { PacketStore } from '../../web/src/worker/packet-store.js';
import { shardOf } from '../../web/src/worker/shard-key.js';

const CAPTURES = join(import.meta.dirname, '..', '..', '..', 'shared', 'captures');

interface Row {
  protocol: string;
  source: string;
  destination: string;
  info: string;
  colour: number;
  stream: number;
  udpStream: number;
}

/** The index of a capture made in one pass, or in `shards` passes as the worker makes it. */
function index(bytes: Uint8Array, shards: number): Row[] {
  const parts = Array.from({ length: shards }, () => {
    const store = new PacketStore(64);
    return { store, indexer: new Indexer(store), streams: new Map<number, number>(), udp: new Map<number, number>() };
  });
  const owner: number[] = [];
  let first = NaN;
  let prevSec = NaN;
  let prevNsec = 0;
  const reader = new CaptureReader();
  reader.push(bytes);
  reader.end();
  reader.drain((frame) => {
    const number = owner.length + 1;
    if (Number.isNaN(first)) {
      first = prevSec = frame.tsSec;
      prevNsec = frame.tsNsec;
      for (const p of parts) p.indexer.setFirstTime(frame.tsSec, frame.tsNsec);
    }
    const k = shards === 1 ? 0 : shardOf(frame.data, frame.linkType) % shards;
    owner.push(k);
    parts[k].indexer.add(frame, -1, number, prevSec, prevNsec);
    prevSec = frame.tsSec;
    prevNsec = frame.tsNsec;
  });
  const cursor = parts.map(() => 0);
  let streams = 0;
  let udpStreams = 0;
  return owner.map((k) => {
    const { store: s, streams: map, udp } = parts[k];
    const c = cursor[k]++;
    const local = s.stream[c];
    if (local >= 0 && !map.has(local)) map.set(local, streams++);
    const udpLocal = s.udpStream[c];
    if (udpLocal >= 0 && !udp.has(udpLocal)) udp.set(udpLocal, udpStreams++);
    return {
      protocol: s.strings.texts[s.protocol[c]],
      source: s.strings.texts[s.source[c]],
      destination: s.strings.texts[s.destination[c]],
      info: s.info(c),
      colour: s.colour[c],
      stream: local >= 0 ? (map.get(local) as number) : -1,
      udpStream: udpLocal >= 0 ? (udp.get(udpLocal) as number) : -1,
    };
  });
}

const SPLIT_CAPTURES = [
  'suricata__tls-subjectaltname.pcap',
  'zeek__206_example_b.pcap',
  'pcapplusplus__four_ipv6_http_streams.pcap',
  'pcapplusplus__VlanPackets.pcap',
  'zeek__icmp6-nd-options.pcap',
  'pcapplusplus__pcapng-example.pcapng',
  'ppa__http_espn.pcapng',
];

describe.skipIf(!existsSync(CAPTURES))('sharded load pass', () => {
  for (const name of SPLIT_CAPTURES) {
    test(`gives every packet of ${name} what one pass gives it`, () => {
      const bytes = new Uint8Array(readFileSync(join(CAPTURES, name)));
      const reader = new CaptureReader();
      reader.push(bytes);
      reader.end();
      const owners = new Set<number>();
      reader.drain((f) => void owners.add(shardOf(f.data, f.linkType) % 2));
      expect(owners.size, 'both shards get packets').toBe(2);
      expect(index(bytes, 2)).toEqual(index(bytes, 1));
    });
  }
});

describe('shardOf', () => {
  const frame = (src: number[], dst: number[], ethertype: number, ipv6: boolean): Uint8Array => {
    const b = new Uint8Array(14 + (ipv6 ? 40 : 20));
    b[12] = ethertype >> 8;
    b[13] = ethertype & 0xff;
    b[14] = ipv6 ? 0x60 : 0x45;
    b.set(src, ipv6 ? 22 : 26);
    b.set(dst, ipv6 ? 38 : 30);
    return b;
  };

  test('is the same in both directions (IPv4 and IPv6)', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        (ipv6, a, b) => {
          const n = ipv6 ? 16 : 4;
          const src = [...a.slice(0, n)];
          const dst = [...b.slice(0, n)];
          const type = ipv6 ? 0x86dd : 0x0800;
          expect(shardOf(frame(src, dst, type, ipv6), 1)).toBe(shardOf(frame(dst, src, type, ipv6), 1));
        },
      ),
    );
  });

  test('puts frames without IP, and short frames, in shard 0', () => {
    const arp = new Uint8Array(42).fill(0x11);
    arp.set([0x08, 0x06], 12);
    expect(shardOf(arp, 1)).toBe(0);
    expect(shardOf(new Uint8Array(10), 1)).toBe(0);
    expect(shardOf(new Uint8Array(60), 147)).toBe(0);
  });

  test('spreads host pairs over both shards', () => {
    const counts = [0, 0];
    for (let h = 1; h <= 200; h++) counts[shardOf(frame([10, 0, 0, h], [10, 0, 1, 1], 0x0800, false), 1) % 2]++;
    expect(Math.min(...counts)).toBeGreaterThan(60);
  });
});
