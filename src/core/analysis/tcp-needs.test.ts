import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fieldByAbbrev } from '../dissect/fields.js';
import { sameFieldsBothWays } from '../dissect/test-support.js';
import { TCP_HEADER_FIELDS, needsTcpAnalysis } from './tcp-needs.js';

const dir = new URL('../../../../shared/captures/', import.meta.url).pathname;
const id = (name: string) => fieldByAbbrev(name)?.id ?? -1;

describe('needsTcpAnalysis', () => {
  it('asks for the analysis for analysis fields, frame.protocols, columns and the full tree', () => {
    expect(needsTcpAnalysis([id('tcp.srcport'), id('ip.src')], { full: false, columns: false })).toBe(false);
    expect(needsTcpAnalysis([id('tcp.seq')], { full: false, columns: false })).toBe(true);
    expect(needsTcpAnalysis([id('tcp.stream')], { full: false, columns: false })).toBe(true);
    expect(needsTcpAnalysis([id('frame.protocols')], { full: false, columns: false })).toBe(true);
    expect(needsTcpAnalysis([id('tcp.srcport')], { full: false, columns: true })).toBe(true);
    expect(needsTcpAnalysis([], { full: true, columns: false })).toBe(true);
  });

  it('skips it only where the fields read the same with it (every shared capture)', () => {
    const names = [
      ...TCP_HEADER_FIELDS,
      ...['frame.number', 'frame.time_relative', 'frame.len', 'eth.src', 'ip.src', 'ip.dst', 'ipv6.src'],
      ...['icmp.type', 'udp.srcport', 'udp.length', 'arp.opcode', 'vlan.id'],
    ].filter((n) => fieldByAbbrev(n));
    const captures = readdirSync(dir)
      .filter((n) => /\.pcap(ng)?$/.test(n))
      .map((name) => ({ name, bytes: new Uint8Array(readFileSync(join(dir, name))) }));
    const frames = sameFieldsBothWays(captures, names, { tcpAnalysis: true }, { tcpAnalysis: false });
    expect(frames).toBeGreaterThan(10000);
  });
});
