import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCapture } from '../capture/reader.js';
import { Dissection } from '../dissect/index.js';
import { compileFilter } from './index.js';

// Three frames of a TCP handshake: 172.16.16.128:2826 -> 212.58.226.142:80 SYN (66 bytes),
// SYN/ACK (66 bytes), ACK (54 bytes); the SYNs carry MSS, SACK_PERM and window-scale options.
const capture = new URL('../../../../shared/captures/ppa__tcp_handshake.pcapng', import.meta.url);
let frames: Uint8Array;

async function select(filter: string): Promise<number[]> {
  const r = compileFilter(filter);
  if (!r.ok) throw new Error(`${filter}: ${r.errors.map((e) => e.code).join(', ')}`);
  const d = new Dissection({ wanted: r.filter.fieldIds, columns: false });
  const hits: number[] = [];
  async function* chunks() {
    yield frames;
  }
  await readCapture(chunks(), (frame) => {
    const p = d.dissect(frame);
    if (r.filter.matches(p)) hits.push(p.meta.number);
    return true;
  });
  return hits;
}

describe('compiled filters on a TCP handshake', () => {
  beforeAll(() => {
    frames = new Uint8Array(readFileSync(capture));
  });

  it('tests fields and protocols for presence', async () => {
    expect(await select('tcp')).toEqual([1, 2, 3]);
    expect(await select('udp')).toEqual([]);
    expect(await select('tcp.options.mss_val')).toEqual([1, 2]);
  });

  it('applies any/all semantics to repeated fields (ip.addr holds source and destination)', async () => {
    expect(await select('ip.addr == 172.16.16.128')).toEqual([1, 2, 3]);
    expect(await select('ip.addr != 172.16.16.128')).toEqual([]);
    expect(await select('ip.addr !== 172.16.16.128')).toEqual([1, 2, 3]);
    expect(await select('ip.addr === 172.16.16.128')).toEqual([]);
    expect(await select('tcp.port === tcp.srcport')).toEqual([]);
  });

  it('compares with CIDR masks, sets, ranges and bitwise and', async () => {
    expect(await select('ip.src == 172.16.0.0/12')).toEqual([1, 3]);
    expect(await select('tcp.srcport in {80, 443}')).toEqual([2]);
    expect(await select('tcp.srcport in {2000..3000}')).toEqual([1, 3]);
    expect(await select('tcp.flags & 0x12 == 0x12')).toEqual([2]);
    expect(await select('tcp.flags & 0x02 && !(tcp.flags & 0x10)')).toEqual([1]);
  });

  it('slices byte fields and protocols', async () => {
    expect(await select('tcp[0:2] == 0b:0a')).toEqual([1, 3]);
    expect(await select('tcp.options[-12:2] == 02:04')).toEqual([1, 2]);
    expect(await select('tcp.options[0:1,2-3] == 02:05:b4')).toEqual([1]);
    expect(await select('tcp.options[10:5] == 04:02')).toEqual([]);
  });

  it('orders byte strings by length first, as Wireshark does', async () => {
    expect(await select('tcp.options > ff')).toEqual([1, 2]);
  });

  it('matches case-insensitively by default, on the bytes of the value', async () => {
    expect(await select('frame.protocols matches "IP:TCP$"')).toEqual([1, 2, 3]);
    expect(await select('frame.protocols matches "(?-i)IP:TCP$"')).toEqual([]);
    expect(await select('tcp.flags.str matches "^·+A"')).toEqual([]);
  });

  it('computes functions and arithmetic per occurrence', async () => {
    expect(await select('len(tcp.options) == 12')).toEqual([1, 2]);
    expect(await select('count(ip.addr) == 2')).toEqual([1, 2, 3]);
    expect(await select('count(tcp.options.mss_val) == 0')).toEqual([]);
    expect(await select('string(tcp.srcport) matches "^28"')).toEqual([1, 3]);
    expect(await select('max(tcp.srcport, tcp.dstport) == 2826')).toEqual([1, 2, 3]);
    expect(await select('frame.len - 12 == 54')).toEqual([1, 2]);
    expect(await select('-frame.len == -54')).toEqual([3]);
  });

  it('compares a field with another field', async () => {
    expect(await select('tcp.srcport > tcp.dstport')).toEqual([1, 3]);
    expect(await select('ip.src > ip.dst')).toEqual([2]);
  });

  it('lists the fields the dissection must keep', () => {
    const r = compileFilter('tcp.port == 80 && frame.len > 60');
    expect(r.ok && r.filter.fieldIds.length).toBe(2);
  });
});
