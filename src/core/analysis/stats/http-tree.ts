// `-z http,tree[,filter]`: Wireshark 4.0's "HTTP/Packet Counter" stats tree (packet-http.c). HTTP
// taps once per message it dissects (SSDP's messages too, as they go through the same code):
// responses by status class and code, requests by method, and messages that are neither (a body
// continuation) as "Other HTTP Packets". Read from the tree: one http/ssdp item per message, with
// its http.request.method or http.response.code and http.response.code.desc.

import { fieldByAbbrev, fieldById } from '../../dissect/fields.js';
import type { Packet } from '../../dissect/packet.js';
import type { DisplayFilter } from '../../filter/index.js';
import { itemBytes } from '../../output/format.js';
import { StatsTree, relativeMs } from './stats-tree.js';
import type { Statistic } from './statistic.js';

const FIELDS = ['http', 'ssdp', 'http.request.method', 'http.response.code', 'http.response.code.desc'];

function idOf(abbrev: string): number {
  return fieldByAbbrev(abbrev)?.id ?? -2;
}

/** Response classes: the node name for codes from `below - 100` up to `below`. */
const CLASSES: readonly [number, string][] = [
  [200, '1xx: Informational'],
  [300, '2xx: Success'],
  [400, '3xx: Redirection'],
  [500, '4xx: Client Error'],
  [600, '5xx: Server Error'],
];
const BROKEN = '???: broken';

export class HttpTree implements Statistic {
  private readonly tree = new StatsTree('HTTP/Packet Counter');
  private readonly packets: number;
  private readonly requests: number;
  private readonly responses: number;
  private readonly classIds = new Map<string, number>();
  private readonly messageIds = new Set([idOf('http'), idOf('ssdp')]);
  private readonly methodId = idOf('http.request.method');
  private readonly codeId = idOf('http.response.code');
  private readonly descId = idOf('http.response.code.desc');

  constructor(private readonly filter?: DisplayFilter) {
    const t = this.tree;
    this.packets = t.createNode('Total HTTP Packets', 0, true);
    this.requests = t.createPivot('HTTP Request Packets', this.packets);
    this.responses = t.createNode('HTTP Response Packets', this.packets, true);
    this.classIds.set(BROKEN, t.createNode(BROKEN, this.responses, true));
    for (const [, name] of CLASSES) this.classIds.set(name, t.createNode(name, this.responses, true));
    t.createNode('Other HTTP Packets', this.packets, false);
  }

  fields(): string[] {
    return [...FIELDS, ...(this.filter?.fieldIds ?? []).map((id) => fieldById(id).abbrev)];
  }

  add(p: Packet, firstTime: readonly [number, number]): void {
    if (this.filter && !this.filter.matches(p)) return;
    const t = p.tree;
    let message = false;
    let tapped = false;
    let method: string | undefined;
    let code = 0;
    let desc: string | undefined;
    const now = relativeMs(p.meta.tsSec, p.meta.tsNsec, firstTime);
    for (let i = 0; i <= t.count; i++) {
      const f = i < t.count ? t.field[i] : -1;
      if (i === t.count || this.messageIds.has(f)) {
        if (message && (tapped || method !== undefined || code)) this.message(now, method, code, desc);
        message = i < t.count;
        tapped = message && this.startsPrintable(p, i);
        method = desc = undefined;
        code = 0;
      } else if (f === this.methodId) method ??= String(t.obj[i]);
      else if (f === this.codeId) code = t.num[i];
      else if (f === this.descId) desc = String(t.obj[i]);
    }
  }

  /**
   * A message that starts with a byte that is not printable ASCII is a binary continuation, which
   * dissect_http_message names without tapping.
   */
  private startsPrintable(p: Packet, i: number): boolean {
    const bytes = itemBytes(p, i);
    const at = p.tree.start[i];
    return at < bytes.length && bytes[at] >= 0x20 && bytes[at] < 0x7f;
  }

  /** http_stats_tree_packet for one message. */
  private message(now: number, method: string | undefined, code: number, desc: string | undefined): void {
    const t = this.tree;
    t.packet(now);
    t.tick('Total HTTP Packets', 0);
    if (code) {
      t.tick('HTTP Response Packets', this.packets);
      let group = BROKEN;
      if (code >= 100 && code < 600)
        for (const [below, name] of CLASSES) if (code < below && group === BROKEN) group = name;
      t.tick(group, this.responses);
      t.tick(`${code} ${desc ?? `Unknown (${code})`}`, this.classIds.get(group) ?? 0);
    } else if (method !== undefined) t.tickPivot(this.requests, method);
    else t.tick('Other HTTP Packets', this.packets);
  }

  text(): string {
    return this.tree.text();
  }
}
