import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allFields, fieldByAbbrev } from './fields.js';
import { sameFieldsBothWays } from './test-support.js';
import { needsPayloads } from './payload-needs.js';

const dir = new URL('../../../../shared/captures/', import.meta.url).pathname;
const id = (name: string) => fieldByAbbrev(name)?.id ?? -1;
const none = { full: false, columns: false };

describe('needsPayloads', () => {
  it('asks for the payload for fields above TCP and UDP, reassembly fields, frame.protocols, columns and trees', () => {
    expect(needsPayloads([id('ip.src'), id('tcp.flags'), id('tcp.analysis.flags'), id('udp.length')], none)).toBe(
      false,
    );
    expect(needsPayloads([id('http.request.uri')], none)).toBe(true);
    expect(needsPayloads([id('dns.qry.name')], none)).toBe(true);
    expect(needsPayloads([id('data.len')], none)).toBe(true);
    expect(needsPayloads([id('tcp.reassembled_in')], none)).toBe(true);
    expect(needsPayloads([id('frame.protocols')], none)).toBe(true);
    expect(needsPayloads([id('tcp.srcport')], { full: false, columns: true })).toBe(true);
    expect(needsPayloads([], { full: true, columns: false })).toBe(true);
  });

  it('every field of the lower layers reads the same without the payload dissected (every shared capture)', () => {
    // All fields of the protocols up to TCP and UDP that needsPayloads lets go without it.
    const names = allFields()
      .filter((f) => f.type !== 'protocol' || ['eth', 'ip', 'ipv6', 'tcp', 'udp', 'icmp'].includes(f.abbrev))
      .filter((f) => !needsPayloads([f.id], none))
      .map((f) => f.abbrev);
    expect(names.length).toBeGreaterThan(300);
    expect(names).toContain('tcp.analysis.flags');
    const captures = readdirSync(dir)
      .filter((n) => /\.pcap(ng)?$/.test(n))
      .map((name) => ({ name, bytes: new Uint8Array(readFileSync(join(dir, name))) }));
    const frames = sameFieldsBothWays(captures, names, { tcpAnalysis: true }, { tcpAnalysis: true, payloads: false });
    expect(frames).toBeGreaterThan(10000);
  }, 120_000);
});
