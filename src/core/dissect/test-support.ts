// Helpers shared by the dissector tests: hand-written packets from hex, dissection of one frame
// in full mode, reading a field's values and labels, and the property that random bytes never
// make a dissector throw. Test-only: nothing in the product imports it.

import fc from 'fast-check';
import { expect } from 'vitest';
import { Dissection } from './index.js';
import type { Packet } from './packet.js';
import { fieldByAbbrev } from './fields.js';
import { formatLabel, formatValue } from '../output/format.js';

/** Bytes from hex text; spaces and newlines are ignored ("4500 0014 ..."). */
export const hex = (s: string): Uint8Array =>
  Uint8Array.from(s.replace(/\s+/g, '').match(/../g) ?? [], (b) => parseInt(b, 16));

/** Dissects one frame of `linkType` with the whole tree kept. */
export function dissectBytes(linkType: number, bytes: Uint8Array, origLen = bytes.length): Packet {
  const d = new Dissection({ full: true });
  return d.dissect({ data: bytes, tsSec: 0, tsNsec: 0, capLen: bytes.length, origLen, linkType, interfaceId: 0 });
}

/** Every occurrence of a field as tshark -T fields prints it, comma-joined ('' when absent). */
export function fieldText(p: Packet, abbrev: string): string {
  const f = fieldByAbbrev(abbrev);
  if (!f) throw new Error(`no field ${abbrev}`);
  const out: string[] = [];
  for (let i = 0; i < p.tree.count; i++) if (p.tree.field[i] === f.id) out.push(formatValue(p, i));
  return out.join(',');
}

/** The details-tree label of the nth occurrence of a field ('' when absent). */
export function labelText(p: Packet, abbrev: string, nth = 0): string {
  const f = fieldByAbbrev(abbrev);
  if (!f) throw new Error(`no field ${abbrev}`);
  for (let i = 0; i < p.tree.count; i++) if (p.tree.field[i] === f.id && nth-- === 0) return formatLabel(p, i);
  return '';
}

/** Random bytes after `prefix`, cut anywhere, never make a dissector throw. */
export function neverThrows(linkType: number, prefix: Uint8Array): void {
  const d = new Dissection({ full: true });
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 100 }), fc.nat(140), (body, cut) => {
      const f = new Uint8Array(prefix.length + body.length);
      f.set(prefix);
      f.set(body, prefix.length);
      const data = f.subarray(0, Math.min(f.length, cut));
      const p = d.dissect({
        data,
        tsSec: 0,
        tsNsec: 0,
        capLen: data.length,
        origLen: f.length,
        linkType,
        interfaceId: 0,
      });
      expect(p.experts.some((e) => e.message.startsWith('Dissector error'))).toBe(false);
    }),
  );
}
