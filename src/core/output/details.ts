// The details tree as text (tshark -V): every shown item, indented four spaces per level.

import type { Packet } from '../dissect/packet.js';
import { HIDDEN } from '../dissect/tree.js';
import { formatLabel } from './format.js';

export function detailsText(p: Packet): string {
  const t = p.tree;
  const depth = new Int32Array(t.count);
  const hidden = new Uint8Array(t.count);
  let out = '';
  for (let i = 0; i < t.count; i++) {
    const parent = t.parent[i];
    depth[i] = parent >= 0 ? depth[parent] + 1 : 0;
    hidden[i] = (t.flags[i] & HIDDEN) !== 0 || (parent >= 0 && hidden[parent] === 1) ? 1 : 0;
    if (hidden[i]) continue;
    out += '    '.repeat(depth[i]) + formatLabel(p, i) + '\n';
  }
  return out;
}
