// The data pseudo-protocol: bytes that no dissector claimed, shown as they are.

import { defineFields } from './fields.js';
import type { Packet } from './packet.js';

export const dataFields = defineFields({
  data: { abbrev: 'data', name: 'Data', type: 'protocol' },
  bytes: { abbrev: 'data.data', name: 'Data', type: 'bytes' },
  len: { abbrev: 'data.len', name: 'Length', type: 'uint', bits: 32, base: 'dec' },
});

/** Shows buf[off..end) (the captured part of it) as data; does nothing for an empty range. */
export function dissectData(p: Packet, buf: Uint8Array, off: number, end: number): void {
  const capEnd = Math.min(end, buf.length);
  if (capEnd <= off) return;
  const n = capEnd - off;
  p.addLayer('data');
  const t = p.tree;
  const top = t.add(dataFields.data, off, n);
  // Labels only for the full tree: building them for every payload was garbage on the summary path.
  if (t.full) t.setLabel(top, `Data (${n} byte${n === 1 ? '' : 's'})`);
  t.open(top);
  t.add(dataFields.bytes, off, n);
  const l = t.add(dataFields.len, off, 0, n, 1);
  if (t.full) t.setLabel(l, `[Length: ${n}]`);
  t.close();
}
