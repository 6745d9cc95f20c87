// The details tree as text (tshark -V): every shown item under its parent, indented four spaces
// per level. Items are grouped under their parent even when a dissector added a child after
// a later sibling (the tree stores items in the order they were added).

import type { Packet } from '../dissect/packet.js';
import { HIDDEN } from '../dissect/tree.js';
import { formatLabel } from './format.js';

export function detailsText(p: Packet): string {
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
    for (const c of children[i] ?? []) visit(c, depth + 1);
  };
  for (const r of roots) visit(r, 0);
  return out;
}
