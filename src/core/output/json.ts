// tshark's -T json structure: an array of packets, each with _source.layers holding one object
// per protocol; a field with children is followed by "<abbrev>_tree"; labels without a field
// use their text as the key. Every value is a string. Hidden fields are included, as tshark does.

import { fieldById } from '../dissect/fields.js';
import type { Packet } from '../dissect/packet.js';
import { formatLabel, formatValue } from './format.js';

type JsonNode = [string, string | JsonNode][];

function jsonString(s: string): string {
  return JSON.stringify(s);
}

/** One packet as a tshark -T json element (without the separating comma). */
export function packetJson(p: Packet, indent = '  '): string {
  const t = p.tree;
  const children: number[][] = Array.from({ length: t.count }, () => []);
  const roots: number[] = [];
  for (let i = 0; i < t.count; i++) {
    const parent = t.parent[i];
    if (parent >= 0) children[parent].push(i);
    else roots.push(i);
  }
  const node = (i: number): JsonNode => {
    const out: JsonNode = [];
    for (const c of children[i]) {
      const fid = t.field[c];
      const kids = children[c];
      if (fid < 0) {
        out.push([formatLabel(p, c), kids.length ? node(c) : '']);
        continue;
      }
      const info = fieldById(fid);
      const value = info.type === 'none' || info.type === 'protocol' ? '' : formatValue(p, c);
      out.push([info.abbrev, value]);
      if (kids.length) out.push([info.abbrev + '_tree', node(c)]);
    }
    return out;
  };
  const layers: JsonNode = [];
  for (const r of roots) {
    const fid = t.field[r];
    const key = fid >= 0 ? fieldById(fid).abbrev : formatLabel(p, r);
    layers.push([key, node(r)]);
  }
  const d = new Date(p.meta.tsSec * 1000);
  const day = Number.isNaN(d.getTime()) ? '1970-01-01' : d.toISOString().slice(0, 10);
  const doc: JsonNode = [
    ['_index', `packets-${day}`],
    ['_type', 'doc'],
    ['_score', 'null'],
    ['_source', [['layers', layers]]],
  ];
  return indent + render(doc, indent);
}

function render(n: JsonNode, indent: string): string {
  if (n.length === 0) return '{}';
  const inner = indent + '  ';
  const parts = n.map(([k, v]) => {
    const value = typeof v === 'string' ? (k === '_score' ? 'null' : jsonString(v)) : render(v, inner);
    return `${inner}${jsonString(k)}: ${value}`;
  });
  return `{\n${parts.join(',\n')}\n${indent}}`;
}
