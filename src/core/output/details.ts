// The details tree as text (tshark -V): every shown item under its parent, indented four spaces
// per level. Items are grouped under their parent even when a dissector added a child after
// a later sibling (the tree stores items in the order they were added). Like tshark without -x,
// the bytes of each "Data" item follow its line as a hex dump (print.c's print_hex_for_data).

import type { Packet } from '../dissect/packet.js';
import { HIDDEN } from '../dissect/tree.js';
import { formatLabel } from './format.js';
import { hexDump } from './hexdump.js';
import { fieldByAbbrev } from '../dissect/fields.js';

const DATA = fieldByAbbrev('data')?.id ?? -1;

/** `dataHex`: dump the bytes of Data items (tshark -V does unless -x dumps the whole packet). */
export function detailsText(p: Packet, dataHex = true): string {
  const t = p.tree;
  const children: number[][] = [];
  const roots: number[] = [];
  for (let i = 0; i < t.count; i++) {
    if (t.flags[i] & HIDDEN) continue;
    const parent = t.parent[i];
    if (parent >= 0) (children[parent] ??= []).push(i);
    else roots.push(i);
  }
  let out = '';
  const visit = (i: number, depth: number): void => {
    out += '    '.repeat(depth) + formatLabel(p, i) + '\n';
    if (dataHex && t.field[i] === DATA && t.length[i] > 0) {
      const source = p.sources[t.source[i]]?.data ?? p.data;
      out += '\n' + hexDump(source.subarray(t.start[i], t.start[i] + t.length[i]));
    }
    for (const c of children[i] ?? []) visit(c, depth + 1);
  };
  for (const r of roots) visit(r, 0);
  return out;
}
