// `-z dns,tree[,filter]`: Wireshark 4.0's "DNS" stats tree (packet-dns.c). DNS taps once per DNS
// message (not mDNS or LLMNR, not a message quoted in an ICMP error): its query/response flag,
// first question's type and class, rcode, opcode and size, then query-only or response-only
// figures. 4.0 adds a solicited response's record counts twice, which the table shows; kept.
// Read from the tree: each "dns" item and the dns.* fields after it.

import { fieldByAbbrev, fieldById } from '../../dissect/fields.js';
import type { Packet } from '../../dissect/packet.js';
import type { DisplayFilter } from '../../filter/index.js';
import { StatsTree, relativeMs } from './stats-tree.js';
import type { Statistic } from './statistic.js';

const FIELDS = [
  'dns',
  'icmp',
  'icmpv6',
  'dns.flags',
  'dns.count.queries',
  'dns.count.zones',
  'dns.count.answers',
  'dns.count.prerequisites',
  'dns.count.auth_rr',
  'dns.count.updates',
  'dns.count.add_rr',
  'dns.qry.type',
  'dns.qry.class',
  'dns.qry.name.len',
  'dns.count.labels',
  'dns.time',
  'dns.retransmission',
];

function idOf(abbrev: string): number {
  return fieldByAbbrev(abbrev)?.id ?? -2;
}

function named(abbrev: string, value: number, unknown: string): string {
  return fieldByAbbrev(abbrev)?.strings?.get(value) ?? `${unknown} (${value})`;
}

/** What DNS's tap carries for one message (struct DnsTap). */
interface DnsMessage {
  flags: number;
  /** The first question's (NaN until seen; 0 for a message without questions). */
  qtype: number;
  qclass: number;
  size: number;
  counts: [number, number, number, number];
  qnameLength: number;
  labels: number;
  /** request-response time in ms, or -1 */
  time: number;
  retransmission: boolean;
}

export class DnsTree implements Statistic {
  private readonly tree = new StatsTree('DNS');
  private readonly packets: number;
  private readonly qr: number;
  private readonly qtypes: number;
  private readonly qclasses: number;
  private readonly rcodes: number;
  private readonly opcodes: number;
  private readonly ids = {
    dns: idOf('dns'),
    icmp: idOf('icmp'),
    icmpv6: idOf('icmpv6'),
    flags: idOf('dns.flags'),
    qtype: idOf('dns.qry.type'),
    qclass: idOf('dns.qry.class'),
    nameLength: idOf('dns.qry.name.len'),
    labels: idOf('dns.count.labels'),
    time: idOf('dns.time'),
    retransmission: idOf('dns.retransmission'),
  };
  /** Field id -> which of the four header counts it is. */
  private readonly countIds = new Map<number, number>([
    [idOf('dns.count.queries'), 0],
    [idOf('dns.count.zones'), 0],
    [idOf('dns.count.answers'), 1],
    [idOf('dns.count.prerequisites'), 1],
    [idOf('dns.count.auth_rr'), 2],
    [idOf('dns.count.updates'), 2],
    [idOf('dns.count.add_rr'), 3],
  ]);

  constructor(private readonly filter?: DisplayFilter) {
    const t = this.tree;
    this.packets = t.createNode('Total Packets', 0, true);
    this.qr = t.createPivot('Query/Response', this.packets);
    this.qtypes = t.createPivot('Query Type', this.packets);
    this.qclasses = t.createPivot('Class', this.packets);
    this.rcodes = t.createPivot('rcode', this.packets);
    this.opcodes = t.createPivot('opcodes', this.packets);
    t.createNode('Payload size', 0, false);
    const query = t.createNode('Query Stats', 0, true);
    t.createNode('Qname Len', query, false);
    const labels = t.createNode('Label Stats', query, true);
    for (const name of ['1st Level', '2nd Level', '3rd Level', '4th Level or more']) t.createNode(name, labels, false);
    const response = t.createNode('Response Stats', 0, true);
    for (const name of ['no. of questions', 'no. of answers', 'no. of authorities', 'no. of additionals'])
      t.createNode(name, response, false);
    const service = t.createNode('Service Stats', 0, true);
    t.createNode('no. of unsolicited responses', service, false);
    t.createNode('no. of retransmissions', service, false);
    t.createNode('request-response time (msec)', service, false, true);
  }

  fields(): string[] {
    return [...FIELDS, ...(this.filter?.fieldIds ?? []).map((id) => fieldById(id).abbrev)];
  }

  add(p: Packet, firstTime: readonly [number, number]): void {
    if (this.filter && !this.filter.matches(p)) return;
    const t = p.tree;
    const ids = this.ids;
    let m: DnsMessage | undefined;
    const now = relativeMs(p.meta.tsSec, p.meta.tsNsec, firstTime);
    for (let i = 0; i <= t.count; i++) {
      const f = i < t.count ? t.field[i] : -1;
      if (i === t.count || f === ids.dns) {
        if (m) this.message(now, m);
        m = undefined;
        if (i < t.count && !this.inIcmpError(p, i))
          m = {
            flags: 0,
            qtype: NaN,
            qclass: NaN,
            size: t.length[i],
            counts: [0, 0, 0, 0],
            qnameLength: NaN,
            labels: NaN,
            time: -1,
            retransmission: false,
          };
        continue;
      }
      if (!m) continue;
      const count = this.countIds.get(f);
      if (count !== undefined) m.counts[count] = t.num[i];
      else if (f === ids.flags) m.flags = t.num[i];
      else if (f === ids.time) m.time = t.num[i] * 1000 + Number(t.obj[i] ?? 0) / 1e6;
      else if (f === ids.retransmission) m.retransmission = true;
      // Only the first question counts (get_dns_name_type_class reads the first one).
      else if (f === ids.qtype) m.qtype = Number.isNaN(m.qtype) ? t.num[i] : m.qtype;
      else if (f === ids.qclass) m.qclass = Number.isNaN(m.qclass) ? t.num[i] : m.qclass;
      else if (f === ids.nameLength) m.qnameLength = Number.isNaN(m.qnameLength) ? t.num[i] : m.qnameLength;
      else if (f === ids.labels) m.labels = Number.isNaN(m.labels) ? t.num[i] : m.labels;
    }
  }

  /** A DNS message quoted inside an ICMP error is not tapped (pinfo->flags.in_error_pkt). */
  private inIcmpError(p: Packet, i: number): boolean {
    const t = p.tree;
    for (let k = t.parent[i]; k >= 0; k = t.parent[k])
      if (t.field[k] === this.ids.icmp || t.field[k] === this.ids.icmpv6) return true;
    return false;
  }

  /** dns_stats_tree_packet for one message. */
  private message(now: number, m: DnsMessage): void {
    const t = this.tree;
    const first = (n: number): number => (Number.isNaN(n) ? 0 : n);
    const qr = m.flags >> 15;
    const opcode = (m.flags >> 11) & 0xf;
    const rcode = m.flags & 0xf;
    t.packet(now);
    t.tick('Total Packets', 0);
    t.tickPivot(this.qr, qr === 0 ? 'Query' : 'Response');
    t.tickPivot(this.qtypes, named('dns.qry.type', first(m.qtype), 'Unknown packet type'));
    t.tickPivot(this.qclasses, named('dns.qry.class', first(m.qclass), 'Unknown class'));
    t.tickPivot(this.rcodes, named('dns.flags.rcode', rcode, 'Unknown rcode'));
    t.tickPivot(this.opcodes, named('dns.flags.opcode', opcode, 'Unknown opcode'));
    t.addValue('Payload size', 0, m.size);
    if (qr === 0) {
      t.addValue('Qname Len', 0, first(m.qnameLength));
      const level = first(m.labels);
      t.tick(
        level === 1 ? '1st Level' : level === 2 ? '2nd Level' : level === 3 ? '3rd Level' : '4th Level or more',
        0,
      );
      return;
    }
    const counts = (): void => {
      t.addValue('no. of questions', 0, m.counts[0]);
      t.addValue('no. of answers', 0, m.counts[1]);
      t.addValue('no. of authorities', 0, m.counts[2]);
      t.addValue('no. of additionals', 0, m.counts[3]);
    };
    counts();
    // A response with no request is unsolicited; otherwise 4.0 counts the records again.
    const solicited = m.time >= 0 || m.retransmission;
    if (!solicited) {
      t.tick('no. of unsolicited responses', 0);
      return;
    }
    counts();
    if (m.retransmission) t.tick('no. of retransmissions', 0);
    else t.addValue('request-response time (msec)', 0, m.time, true);
  }

  text(): string {
    return this.tree.text();
  }
}
