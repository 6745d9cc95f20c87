// `-z expert[,error|warn|note|chat|comment]`: tshark's expert-info statistics. Items are counted by
// severity, then by protocol and summary in order of first appearance, and printed from Errors down
// to Comments with each severity's total (tap-expert.c).

import type { Packet, Severity } from '../../dissect/packet.js';
import type { Statistic } from './statistic.js';

const LEVELS: readonly Severity[] = ['comment', 'chat', 'note', 'warn', 'error'];
const TITLES: Record<Severity, string> = {
  error: 'Errors',
  warn: 'Warns',
  note: 'Notes',
  chat: 'Chats',
  comment: 'Comments',
};
/** Wireshark's expert_group_vals. */
const GROUPS: Record<string, string> = {
  checksum: 'Checksum',
  sequence: 'Sequence',
  response: 'Response code',
  request: 'Request code',
  undecoded: 'Undecoded',
  reassemble: 'Reassemble',
  malformed: 'Malformed',
  debug: 'Debug',
  protocol: 'Protocol',
  security: 'Security',
  comment: 'Comment',
  decryption: 'Decryption',
  assumption: 'Assumption',
  deprecated: 'Deprecated',
};
/** Wireshark's protocol short names for the layer names some dissectors record. */
const PROTOCOL_NAMES: Record<string, string> = {
  arp: 'ARP',
  eth: 'Ethernet',
  icmp: 'ICMP',
  icmpv6: 'ICMPv6',
  ip: 'IPv4',
  ipv6: 'IPv6',
  tcp: 'TCP',
  udp: 'UDP',
  vlan: 'VLAN',
};

interface ExpertEntry {
  group: string;
  protocol: string;
  summary: string;
  frequency: number;
}

export class ExpertStats implements Statistic {
  private readonly entries = new Map<Severity, Map<string, ExpertEntry>>(LEVELS.map((l) => [l, new Map()]));

  /** `lowest`: the least severe level counted (tshark's "-z expert,warn" counts warnings and errors). */
  constructor(private readonly lowest: Severity = 'comment') {}

  fields(): string[] {
    return [];
  }

  add(p: Packet): void {
    for (const e of p.experts) {
      if (LEVELS.indexOf(e.severity) < LEVELS.indexOf(this.lowest)) continue;
      const protocol = PROTOCOL_NAMES[e.protocol] ?? e.protocol;
      const level = this.entries.get(e.severity);
      if (!level) continue;
      const key = `${protocol}\0${e.message}`;
      const entry = level.get(key);
      if (entry) entry.frequency++;
      else level.set(key, { group: GROUPS[e.group] ?? e.group, protocol, summary: e.message, frequency: 1 });
    }
  }

  text(): string {
    let s = '';
    for (const level of [...LEVELS].reverse()) {
      const items = [...(this.entries.get(level)?.values() ?? [])];
      if (!items.length) continue;
      const total = items.reduce((n, e) => n + e.frequency, 0);
      s += `\n${TITLES[level]} (${total})\n=============\n   Frequency      Group           Protocol  Summary\n`;
      for (const e of items)
        s += `${String(e.frequency).padStart(12)} ${e.group.padStart(10)} ${e.protocol.padStart(18)}  ${e.summary}\n`;
    }
    return s;
  }
}
