// The statistics synack prints for -z: parses tshark's specifications, lets each statistic see
// every packet, and prints them after the packets in tshark's order (the last -z first, as tshark
// draws its tap listeners).

import type { Packet } from '../../dissect/packet.js';
import { fieldByAbbrev } from '../../dissect/fields.js';
import type { Severity } from '../../dissect/packet.js';
import { ConversationTable } from './conversations.js';
import { EndpointTable } from './endpoints.js';
import { ExpertStats } from './expert.js';
import { FollowStatistic, type FollowMode } from './follow.js';
import { ProtocolHierarchy } from './protocol-hierarchy.js';
import { HttpTree } from './http-tree.js';
import { DnsTree } from './dns-tree.js';
import { IoStat } from './io-stat.js';
import { compileFilter, formatDiagnostic, type DisplayFilter } from '../../filter/index.js';
import type { TapKind } from './taps.js';
import type { Statistic } from './statistic.js';

export type { Statistic } from './statistic.js';

/** The -z specifications synack knows, as tshark lists them. */
export const SUPPORTED_STATS = [
  'conv,eth',
  'conv,ip',
  'conv,ipv6',
  'conv,tcp',
  'conv,udp',
  'endpoints,eth',
  'endpoints,ip',
  'endpoints,ipv6',
  'endpoints,tcp',
  'endpoints,udp',
  'expert',
  'follow,tcp',
  'io,phs',
  'http,tree',
  'dns,tree',
  'io,stat',
];

/** A -z argument synack cannot run; the message is tshark's, with synack's list. */
export class StatsSpecError extends Error {}

const KINDS = new Set<string>(['eth', 'ip', 'ipv6', 'tcp', 'udp']);
const SEVERITIES = new Set<string>(['error', 'warn', 'note', 'chat', 'comment']);

function invalid(spec: string): StatsSpecError {
  return new StatsSpecError(
    `Invalid -z argument "${spec}"; it must be one of:\n${SUPPORTED_STATS.map((s) => `     ${s}`).join('\n')}`,
  );
}

/** Compiles the display filter of a -z argument, or throws tshark's complaint with the diagnostic. */
export function tapFilter(text: string, stat: string): DisplayFilter {
  const r = compileFilter(text);
  if (!r.ok) {
    const why = r.errors.map((e) => formatDiagnostic(text, e)).join('\n');
    throw new StatsSpecError(`Couldn't register ${stat} tap: ${why}`);
  }
  return r.filter;
}

/** Builds the statistic for one -z argument. */
export function createStatistic(spec: string): Statistic {
  const parts = spec.split(',');
  const [name, kind] = parts;
  if ((name === 'conv' || name === 'endpoints') && KINDS.has(kind)) {
    if (parts.length > 2)
      throw new StatsSpecError(`-z ${spec}: synack does not support a display filter in -z ${name},${kind} yet`);
    return name === 'conv' ? new ConversationTable(kind as TapKind) : new EndpointTable(kind as TapKind);
  }
  if (name === 'expert') {
    const level = parts[1]?.toLowerCase();
    if (level !== undefined && !SEVERITIES.has(level))
      throw new StatsSpecError(`-z ${spec}: use -z expert or -z expert,error|warn|note|chat|comment`);
    if (parts.length > 2)
      throw new StatsSpecError(`-z ${spec}: synack does not support a display filter in -z expert yet`);
    return new ExpertStats(level as Severity | undefined);
  }
  if (name === 'io' && kind === 'phs') {
    // tshark takes everything after "io,phs," as the filter, commas included.
    const filter = spec.length > 'io,phs,'.length ? spec.slice('io,phs,'.length) : undefined;
    if (parts.length > 2 && filter === undefined) return new ProtocolHierarchy('');
    return new ProtocolHierarchy(filter ?? '', filter === undefined ? undefined : tapFilter(filter, 'io,phs'));
  }
  if (name === 'io' && kind === 'stat') {
    const seconds = Number(parts[2]);
    if (parts[2] === undefined || parts[2] === '' || !Number.isFinite(seconds) || seconds < 0)
      throw new StatsSpecError(`invalid "-z io,stat,<interval>[,<filter>]" argument: ${spec}`);
    if (seconds !== 0 && Math.floor(seconds * 1e6 + 0.5) < 1)
      throw new StatsSpecError(`"-z io,stat,${parts[2]}": the interval must be at least 0.000001 s`);
    const filters = parts.slice(3).map((text) => {
      if (/^\s*(COUNT|SUM|MIN|MAX|AVG|LOAD)\s*\(/i.test(text))
        throw new StatsSpecError(`-z ${spec}: synack's io,stat counts frames and bytes; ${text} is not supported yet`);
      return { text, filter: text ? tapFilter(text, 'io,stat') : undefined };
    });
    return new IoStat(seconds, filters);
  }
  if ((name === 'http' || name === 'dns') && kind === 'tree') {
    // stats_tree: "-z http,tree[,filter]", the filter being the rest of the argument.
    const prefix = `${name},tree,`;
    const filter = spec.length > prefix.length ? spec.slice(prefix.length) : undefined;
    const compiled = filter === undefined ? undefined : tapFilter(filter, `${name},tree`);
    return name === 'http' ? new HttpTree(compiled) : new DnsTree(compiled);
  }
  if (name === 'follow') {
    if (kind !== 'tcp') throw invalid(spec);
    const mode = parts[2];
    if (mode !== 'ascii' && mode !== 'hex' && mode !== 'raw')
      throw new StatsSpecError(
        `follow - Invalid display mode (${mode ?? 'none'}): synack follows with ascii, hex or raw`,
      );
    const stream = parts[3];
    if (parts.length !== 4 || !/^\d+$/.test(stream))
      throw new StatsSpecError(`-z ${spec}: give the stream as a tcp.stream number, e.g. -z follow,tcp,${mode},0`);
    return new FollowStatistic(mode as FollowMode, Number(stream));
  }
  throw invalid(spec);
}

/** Every -z statistic of one run. */
export class Statistics {
  private readonly list: Statistic[];
  private firstTime: [number, number] | undefined;

  constructor(specs: readonly string[]) {
    this.list = specs.map(createStatistic);
  }

  /** Field ids the statistics read. */
  wantedIds(): number[] {
    const ids: number[] = [];
    for (const s of this.list)
      for (const abbrev of s.fields()) {
        const f = fieldByAbbrev(abbrev);
        if (f) ids.push(f.id);
      }
    return ids;
  }

  add(p: Packet): void {
    this.firstTime ??= [p.meta.tsSec, p.meta.tsNsec];
    for (const s of this.list) s.add(p, this.firstTime);
  }

  /** The statistics as tshark prints them at the end: the last one given first. */
  text(): string {
    return this.list
      .map((s) => s.text())
      .reverse()
      .join('');
  }
}
