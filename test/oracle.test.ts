// Golden test against the tshark oracle: runs ../shared/oracle/compare.mjs over every shared
// capture for every field group and holds each to its bar, with no crash: the foundation's
// groups at 99.5%, TCP analysis at 99%, application protocols (app) at 99%, the columns and
// frame.protocols (all frames, application layers included) at 98%. frame.protocols is also
// checked up to the transport layer at 99.5%.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('..', import.meta.url).pathname;
const shared = join(root, '..', 'shared');
const oracle = join(shared, 'oracle');
const captures = join(shared, 'captures');
const haveOracle = existsSync(join(oracle, 'compare.mjs'));

const groups = JSON.parse(haveOracle ? readFileSync(join(oracle, 'fields.json'), 'utf8') : '{}') as Record<
  string,
  string[]
>;

/** The TCP analysis groups of fields.json (tcp.stream, relative numbers, expert flags). */
const TCP_ANALYSIS_GROUPS = ['tcp', 'tcp_flags'];

/** Protocol names synack dissects today; frame.protocols is compared on frames made only of these. */
const COVERED = new Set([
  'eth',
  'ethertype',
  'vlan',
  'sll',
  'null',
  'raw',
  'pppoes',
  'ppp',
  'llc',
  'stp',
  'arp',
  'ip',
  'ipv6',
  'ipv6.hopopts',
  'ipv6.routing',
  'ipv6.fraghdr',
  'ipv6.dstopts',
  'icmp',
  'icmpv6',
  'udp',
  'tcp',
  'data',
]);

describe.runIf(haveOracle)('tshark oracle', () => {
  it('matches tshark at 99.5% or better for the frame, link, ip and transport groups, 99% for tcp, tcp_flags and app, 98% for the columns and frame.protocols, with no crash', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'synack-oracle-'));
    const fields = Object.values(groups).flat();
    const jsonPath = join(dir, 'result.json');
    // Asynchronous, so the test worker stays responsive to vitest during the long run.
    await run('node', [join(oracle, 'compare.mjs'), '--quiet', '--fields', fields.join(','), '--json', jsonPath], {
      cwd: root,
      maxBuffer: 1 << 26,
    });
    const result = JSON.parse(readFileSync(jsonPath, 'utf8')) as {
      crashes: number;
      groups: Record<string, { matched: number; considered: number }>;
      fields: Record<string, { matched: number; considered: number; examples: string[] }>;
    };
    const report = Object.entries(result.fields)
      .filter(([, s]) => s.matched < s.considered)
      .map(([f, s]) => `${f} ${s.matched}/${s.considered} ${s.examples.join(' | ')}`);
    expect(result.crashes, report.join('\n')).toBe(0);
    for (const g of ['frame', 'link', 'ip', 'transport']) {
      const s = result.groups[g];
      expect(s, `group ${g}`).toBeDefined();
      expect(
        s.matched / s.considered,
        `group ${g}: ${s.matched}/${s.considered}\n${report.join('\n')}`,
      ).toBeGreaterThanOrEqual(0.995);
    }
    // TCP stream analysis (issue 4) and application protocols (issue 5): 99% per group.
    for (const g of [...TCP_ANALYSIS_GROUPS, 'app']) {
      const s = result.groups[g];
      expect(s, `group ${g}`).toBeDefined();
      expect(
        s.matched / s.considered,
        `group ${g}: ${s.matched}/${s.considered}\n${report.join('\n')}`,
      ).toBeGreaterThanOrEqual(0.99);
    }
    // Every frame's Protocol and Info (and Source, Destination), and its whole protocol stack.
    const columns = result.groups.columns;
    expect(
      columns.matched / columns.considered,
      `columns: ${columns.matched}/${columns.considered}`,
    ).toBeGreaterThanOrEqual(0.98);
    for (const f of ['_ws.col.Protocol', '_ws.col.Info', 'frame.protocols']) {
      const s = result.fields[f];
      expect(
        s.matched / s.considered,
        `${f}: ${s.matched}/${s.considered} ${s.examples.join(' | ')}`,
      ).toBeGreaterThanOrEqual(0.98);
    }
  }, 600_000);

  it('names the same protocols as tshark (frame.protocols) up to the transport layer', async () => {
    let considered = 0;
    let matched = 0;
    const misses: string[] = [];
    for (const name of readdirSync(join(oracle, 'expected')).filter((n) => n.endsWith('.tsv'))) {
      const capture = name.slice(0, -4);
      const expected = parseTsv(readFileSync(join(oracle, 'expected', name), 'utf8'));
      const r = await run(
        join(root, 'bin', 'synack'),
        ['-r', join(captures, capture), '-T', 'fields', '-e', 'frame.number', '-e', 'frame.protocols'],
        { encoding: 'utf8', maxBuffer: 1 << 26 },
      ).catch((err: { stdout?: string }) => ({ stdout: err.stdout ?? '' }));
      const got = new Map(
        r.stdout
          .split('\n')
          .filter(Boolean)
          .map((l) => l.split('\t') as [string, string]),
      );
      for (const [num, row] of expected) {
        const want = upToTransport(row['frame.protocols'] ?? '');
        if (!want || !want.split(':').every((x) => COVERED.has(x))) continue;
        considered++;
        const have = upToTransport(got.get(num) ?? '');
        if (have === want) matched++;
        else if (misses.length < 20) misses.push(`${capture} #${num}: tshark=${want} synack=${have}`);
      }
    }
    expect(considered).toBeGreaterThan(1000);
    expect(matched / considered, `${matched}/${considered}\n${misses.join('\n')}`).toBeGreaterThanOrEqual(0.995);
  }, 600_000);
});

/** The protocol list cut after the first TCP or UDP layer. */
function upToTransport(protocols: string): string {
  const parts = protocols.split(':');
  const t = parts.findIndex((x) => x === 'tcp' || x === 'udp');
  return t < 0 ? protocols : parts.slice(0, t + 1).join(':');
}

const run = promisify(execFile);

function parseTsv(text: string): Map<string, Record<string, string>> {
  const lines = text.split('\n').filter((l) => l !== '');
  const header = lines[0]?.split('\t') ?? [];
  const rows = new Map<string, Record<string, string>>();
  for (const line of lines.slice(1)) {
    const cells = line.split('\t');
    const rec: Record<string, string> = {};
    header.forEach((h, i) => (rec[h] = cells[i] ?? ''));
    rows.set(rec['frame.number'], rec);
  }
  return rows;
}
