// `-z io,phs[,filter]`: tshark 4.0's protocol hierarchy (ui/cli/tap-protohierstat.c). Wireshark
// walks the top-level items of each frame's tree (the protocols, plus items such as the
// "[N Reassembled TCP Segments]" list that TCP puts beside them) and files each one under the
// previous, counting frames and frame lengths per path; nested protocols (an X.509 certificate
// inside TLS, ICMP's echo data) are not top-level and do not count.

import { allFields, fieldByAbbrev } from '../../dissect/fields.js';
import type { Packet } from '../../dissect/packet.js';
import type { DisplayFilter } from '../../filter/index.js';
import type { Statistic } from './statistic.js';

interface HierarchyNode {
  name: string;
  frames: number;
  bytes: number;
  children: HierarchyNode[];
}

/** Top-level items that are not protocols but sit beside them in Wireshark's tree. */
const NON_PROTOCOL_ITEMS = ['tcp.segments', '_ws.short'];

const RULE = '='.repeat(67);

export class ProtocolHierarchy implements Statistic {
  private readonly root: HierarchyNode = { name: '', frames: 0, bytes: 0, children: [] };
  private readonly frameId = fieldByAbbrev('frame')?.id ?? -1;
  private readonly commentsId = fieldByAbbrev('pkt_comment')?.id ?? -1;
  private readonly segmentsId = fieldByAbbrev('tcp.segments')?.id ?? -1;
  /** Indexes of the packet's top-level items (reused). */
  private top: number[] = [];
  /** Field ids whose top-level items count: filled on first use (every dissector has registered by then). */
  private counted: Uint8Array | undefined;

  constructor(
    private readonly filterText = '',
    private readonly filter?: DisplayFilter,
  ) {}

  fields(): string[] {
    const names = allFields()
      .filter((f) => f.type === 'protocol')
      .map((f) => f.abbrev);
    return [...names, ...NON_PROTOCOL_ITEMS, ...this.filterFields()];
  }

  private filterFields(): string[] {
    return (this.filter?.fieldIds ?? []).map((id) => allFields()[id].abbrev);
  }

  private countedIds(): Uint8Array {
    if (this.counted) return this.counted;
    const fields = allFields();
    const counted = new Uint8Array(fields.length);
    for (const f of fields) if (f.type === 'protocol' || NON_PROTOCOL_ITEMS.includes(f.abbrev)) counted[f.id] = 1;
    // tshark leaves the frame item (and the packet comments before it) out of the tree unless a
    // filter names it or one of its fields.
    const framed = (this.filter?.fieldIds ?? []).some((id) => fields[id].protocol === 'frame');
    if (this.frameId >= 0 && !framed) counted[this.frameId] = 0;
    if (this.commentsId >= 0 && !framed) counted[this.commentsId] = 0;
    this.counted = counted;
    return counted;
  }

  add(p: Packet): void {
    if (this.filter && !this.filter.matches(p)) return;
    const counted = this.countedIds();
    const length = p.meta.origLen;
    const t = p.tree;
    let level = this.root;
    // pcapng packet comments: 4.0 puts a "pkt_comment" item before everything else.
    if (p.meta.comments && p.meta.comments.length) level = this.step(level, 'pkt_comment', length);
    const top = this.top;
    let n = 0;
    for (let i = 0; i < t.count; i++) {
      if (t.parent[i] !== -1) continue;
      const field = t.field[i];
      if (field < 0 || counted[field] !== 1) continue;
      top[n++] = i;
    }
    // Wireshark lists a message's reassembled segments after the protocols dissected from it;
    // synack's tree has the list first: move it past the items read from the reassembled bytes
    // (or from data sources made of them: a dechunked or decompressed body), i.e. not the frame's.
    for (let j = 0; j < n; j++) {
      const i = top[j];
      if (t.field[i] !== this.segmentsId) continue;
      let k = j;
      while (k + 1 < n && t.source[top[k + 1]] !== 0 && t.field[top[k + 1]] !== this.segmentsId) {
        top[k] = top[k + 1];
        k++;
      }
      top[k] = i;
      j = k;
    }
    for (let j = 0; j < n; j++) level = this.step(level, t.abbrevOf(top[j]), length);
  }

  /** Counts the frame under `name` below `level` and returns that node. */
  private step(level: HierarchyNode, name: string, length: number): HierarchyNode {
    let node: HierarchyNode | undefined;
    for (const c of level.children)
      if (c.name === name) {
        node = c;
        break;
      }
    if (!node) {
      node = { name, frames: 0, bytes: 0, children: [] };
      level.children.push(node);
    }
    node.frames++;
    node.bytes += length;
    return node;
  }

  text(): string {
    let s = `\n${RULE}\nProtocol Hierarchy Statistics\nFilter: ${this.filterText}\n\n`;
    const draw = (node: HierarchyNode, depth: number): void => {
      for (const c of node.children) {
        // phs_draw: two spaces a level, "..." past 16 levels, in an 80-byte buffer.
        let prefix = '';
        for (let i = 0; i < depth; i++) {
          if (i > 15) {
            prefix += '...';
            break;
          }
          prefix += '  ';
        }
        const label = (prefix + c.name).slice(0, 79);
        s += `${label.padEnd(40)} frames:${c.frames} bytes:${c.bytes}\n`;
        draw(c, depth + 1);
      }
    };
    draw(this.root, 0);
    return s + RULE + '\n';
  }
}
