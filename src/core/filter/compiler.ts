// Stage 4 of the display-filter compiler: the checked tree as a predicate over a dissected
// Packet. Values come straight from the packet's tree (numbers from `num`, strings and big
// values from `obj`, addresses and byte strings as views of the packet's bytes); a comparison
// of a field with a constant loops over the tree without building arrays.

import type { Packet } from '../dissect/packet.js';
import { formatValue, itemBytes } from '../output/format.js';
import type { Check, SliceRange, Typed, ValueKind } from './checker.js';

type Value = number | string | Uint8Array;
export type Predicate = (p: Packet) => boolean;

/** The value of tree item i read as `vk`. */
function itemValue(p: Packet, i: number, vk: ValueKind): Value {
  const t = p.tree;
  switch (vk) {
    case 'number':
    case 'bool':
    case 'ipv4': {
      const o = t.obj[i];
      return typeof o === 'bigint' ? Number(o) : t.num[i];
    }
    case 'time':
      return t.num[i] + ((t.obj[i] as number | undefined) ?? 0) / 1e9;
    case 'string': {
      const o = t.obj[i];
      return o === undefined ? '' : String(o);
    }
    case 'protocol': {
      // A protocol's value is its layer's bytes to the end of the data (the tvb it was added with).
      const data = itemBytes(p, i);
      return data.subarray(t.start[i], data.length);
    }
    default: {
      const o = t.obj[i];
      if (o instanceof Uint8Array) return o;
      return itemBytes(p, i).subarray(t.start[i], t.start[i] + t.length[i]);
    }
  }
}

/** Wireshark orders byte strings by length first, then by content (ftypes' bytes cmp_order). */
function compareBytes(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) return a.length - b.length;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return a[k] - b[k];
  return 0;
}

function bytesContain(hay: Uint8Array, needle: Uint8Array): boolean {
  if (needle.length === 0) return true;
  const first = needle[0];
  const last = hay.length - needle.length;
  outer: for (let k = 0; k <= last; k++) {
    if (hay[k] !== first) continue;
    for (let j = 1; j < needle.length; j++) if (hay[k + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

function latin1(b: Uint8Array): string {
  let s = '';
  for (let k = 0; k < b.length; k += 4096) s += String.fromCharCode(...b.subarray(k, k + 4096));
  return s;
}

const encoder = new TextEncoder();

function asBytes(v: Value): Uint8Array {
  if (v instanceof Uint8Array) return v;
  if (typeof v === 'string') return encoder.encode(v);
  // IPv4 addresses sliced or compared as bytes.
  return Uint8Array.of(v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
}

/** -1, 0, 1 or NaN (not comparable). */
function order(a: Value, b: Value, vk: ValueKind): number {
  if (typeof a === 'number' && typeof b === 'number') {
    if (vk === 'bool') return (a !== 0 ? 1 : 0) - (b !== 0 ? 1 : 0);
    return a < b ? -1 : a > b ? 1 : a === b ? 0 : NaN;
  }
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return compareBytes(asBytes(a), asBytes(b));
}

function prefixEqual(a: Value, b: Value, prefix: number): boolean {
  if (typeof a === 'number' && typeof b === 'number') {
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
    return (a & mask) >>> 0 === (b & mask) >>> 0;
  }
  if (a instanceof Uint8Array && b instanceof Uint8Array && a.length === 16 && b.length === 16) {
    const whole = prefix >> 3;
    for (let k = 0; k < whole; k++) if (a[k] !== b[k]) return false;
    const bits = prefix & 7;
    if (bits === 0) return true;
    const mask = (0xff << (8 - bits)) & 0xff;
    return (a[whole] & mask) === (b[whole] & mask);
  }
  return false;
}

/** Whether a relation holds for one pair of values. */
type PairTest = (a: Value, b: Value) => boolean;

function pairTest(
  op: Exclude<Check, { kind: 'and' | 'or' | 'not' | 'exists' | 'matches' | 'in' }>['op'],
  right: Typed,
  vk: ValueKind,
): PairTest {
  const prefix = right.kind === 'const' ? right.prefix : -1;
  const masked = prefix >= 0 && ((vk === 'ipv4' && prefix < 32) || (vk === 'ipv6' && prefix < 128));
  const eq: PairTest = masked ? (a, b) => prefixEqual(a, b, prefix) : (a, b) => order(a, b, vk) === 0;
  switch (op) {
    case '==':
    case '!=':
    case '===':
      return eq;
    case '!==':
      return (a, b) => !eq(a, b);
    case '>':
      return (a, b) => order(a, b, vk) > 0;
    case '<':
      return (a, b) => order(a, b, vk) < 0;
    case '>=':
      return (a, b) => order(a, b, vk) >= 0;
    case '<=':
      return (a, b) => order(a, b, vk) <= 0;
    case 'contains':
      return (a, b) =>
        typeof a === 'string' && typeof b === 'string' ? a.includes(b) : bytesContain(asBytes(a), asBytes(b));
  }
}

function resolveRange(r: SliceRange, n: number): [number, number] | undefined {
  const s = r.start < 0 ? n + r.start : r.start;
  let e: number;
  if (r.length !== undefined) e = s + r.length;
  else if (r.end !== undefined) e = (r.end < 0 ? n + r.end : r.end) + 1;
  else e = n;
  if (s < 0 || e > n || e < s) return undefined;
  return [s, e];
}

function slice(v: Value, ranges: readonly SliceRange[]): Uint8Array | undefined {
  const b = asBytes(v);
  if (ranges.length === 1) {
    const r = resolveRange(ranges[0], b.length);
    return r && b.subarray(r[0], r[1]);
  }
  const parts: Uint8Array[] = [];
  let total = 0;
  for (const range of ranges) {
    const r = resolveRange(range, b.length);
    if (!r) return undefined;
    parts.push(b.subarray(r[0], r[1]));
    total += r[1] - r[0];
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function arith(op: string, a: number, b: number): number | undefined {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return b === 0 ? undefined : Math.trunc(a / b);
    case '%':
      return b === 0 ? undefined : a % b;
    default:
      return Number(BigInt(Math.trunc(a)) & BigInt(Math.trunc(b)));
  }
}

type FieldTyped = Extract<Typed, { kind: 'field' }>;

/** The tree items of a field, within the layers the layer operator names (a layer starts at its protocol's item). */
function fieldItems(t: FieldTyped, p: Packet): number[] {
  const tree = p.tree;
  const id = t.field.id;
  const out: number[] = [];
  const layers = t.layers;
  let layer = 0;
  for (let i = 0; i < tree.count; i++) {
    const f = tree.field[i];
    if (layers && f === layers.protocolId) layer++;
    if (f === id && (!layers || (layer >= layers.from && layer <= layers.to))) out.push(i);
  }
  return out;
}

/** Appends the values of `t` in packet p to `out`. */
function collect(t: Typed, p: Packet, out: Value[]): void {
  switch (t.kind) {
    case 'const':
      out.push(t.value);
      return;
    case 'field': {
      if (t.layers) {
        for (const i of fieldItems(t, p)) out.push(itemValue(p, i, t.vk));
        return;
      }
      const tree = p.tree;
      const id = t.field.id;
      for (let i = 0; i < tree.count; i++) if (tree.field[i] === id) out.push(itemValue(p, i, t.vk));
      return;
    }
    case 'slice': {
      const inner: Value[] = [];
      collect(t.of, p, inner);
      for (const v of inner) {
        const s = slice(v, t.ranges);
        if (s) out.push(s);
      }
      return;
    }
    case 'negate': {
      const inner: Value[] = [];
      collect(t.of, p, inner);
      for (const v of inner) out.push(-(v as number));
      return;
    }
    case 'arith': {
      const l: Value[] = [];
      const r: Value[] = [];
      collect(t.left, p, l);
      collect(t.right, p, r);
      if (t.vk === 'bytes') {
        for (const a of l)
          for (const b of r) {
            const x = asBytes(a);
            const y = asBytes(b);
            out.push(x.map((v, k) => v & (y[k] ?? 0)));
          }
        return;
      }
      for (const a of l)
        for (const b of r) {
          const v = arith(t.op, a as number, b as number);
          if (v !== undefined) out.push(v);
        }
      return;
    }
    case 'call':
      callValues(t, p, out);
      return;
    case 'reference':
      // No selected packet here: a reference has no value and comparisons with it are false.
      return;
  }
}

function callValues(t: Extract<Typed, { kind: 'call' }>, p: Packet, out: Value[]): void {
  const arg = t.args[0];
  const tree = p.tree;
  switch (t.fn) {
    case 'count': {
      if (arg.kind !== 'field') return;
      const n = fieldItems(arg, p).length;
      if (n) out.push(n);
      return;
    }
    case 'len': {
      if (arg.kind === 'field') {
        for (const i of fieldItems(arg, p)) {
          const v =
            arg.vk === 'string' || arg.vk === 'protocol' || arg.vk === 'bytes' ? itemValue(p, i, arg.vk) : undefined;
          out.push(
            v === undefined
              ? tree.length[i]
              : typeof v === 'string'
                ? encoder.encode(v).length
                : (v as Uint8Array).length,
          );
        }
        return;
      }
      const inner: Value[] = [];
      collect(arg, p, inner);
      for (const v of inner) out.push(typeof v === 'string' ? encoder.encode(v).length : asBytes(v).length);
      return;
    }
    case 'string': {
      if (arg.kind !== 'field') return;
      for (const i of fieldItems(arg, p)) out.push(formatValue(p, i));
      return;
    }
    case 'lower':
    case 'upper': {
      const inner: Value[] = [];
      collect(arg, p, inner);
      for (const v of inner) out.push(t.fn === 'lower' ? String(v).toLowerCase() : String(v).toUpperCase());
      return;
    }
    case 'abs': {
      const inner: Value[] = [];
      collect(arg, p, inner);
      for (const v of inner) out.push(Math.abs(v as number));
      return;
    }
    case 'max':
    case 'min': {
      const all: Value[] = [];
      for (const a of t.args) collect(a, p, all);
      if (!all.length) return;
      let best = all[0] as number;
      for (const v of all) best = t.fn === 'max' ? Math.max(best, v as number) : Math.min(best, v as number);
      out.push(best);
      return;
    }
  }
}

function valuesOf(t: Typed, p: Packet): Value[] {
  const out: Value[] = [];
  collect(t, p, out);
  return out;
}

function truthy(v: Value): boolean {
  if (typeof v === 'number') return v !== 0;
  if (v instanceof Uint8Array) return v.some((b) => b !== 0);
  return true;
}

export function compile(c: Check): Predicate {
  switch (c.kind) {
    case 'and': {
      const l = compile(c.left);
      const r = compile(c.right);
      return (p) => l(p) && r(p);
    }
    case 'or': {
      const l = compile(c.left);
      const r = compile(c.right);
      return (p) => l(p) || r(p);
    }
    case 'not': {
      const e = compile(c.expr);
      return (p) => !e(p);
    }
    case 'exists': {
      const o = c.operand;
      if (o.kind === 'field' && !o.layers) {
        const id = o.field.id;
        return (p) => p.tree.find(id) >= 0;
      }
      // A value test ("tcp.flags & 0x02"): true when some value is not zero.
      return (p) => valuesOf(o, p).some(truthy);
    }
    case 'matches': {
      const re = c.regex;
      const left = c.left;
      // PCRE2 runs on bytes in Wireshark 4.0 (no UTF mode): match the UTF-8 bytes, one char each.
      return (p) => valuesOf(left, p).some((v) => re.test(latin1(asBytes(v))));
    }
    case 'in': {
      const left = c.left;
      const vk = left.vk;
      const items = c.items;
      const negated = c.negated;
      if (
        left.kind === 'field' &&
        !left.layers &&
        items.every((it) => it.low.kind === 'const' && (!it.high || it.high.kind === 'const'))
      )
        return compileConstantSet(left.field.id, vk, items, negated);
      return (p) => {
        const vs = valuesOf(left, p);
        const lows = items.map((it) => valuesOf(it.low, p));
        const highs = items.map((it) => (it.high ? valuesOf(it.high, p) : undefined));
        let any = false;
        for (const v of vs) {
          for (let k = 0; k < items.length && !any; k++) {
            const hs = highs[k];
            if (hs === undefined) any = lows[k].some((x) => matchesMember(v, x, items[k].low, vk));
            else any = lows[k].some((lo) => hs.some((hi) => order(v, lo, vk) >= 0 && order(v, hi, vk) <= 0));
          }
          if (any) break;
        }
        // "not in" is the negation of "in" (Wireshark 4.0 expands it that way).
        return negated ? !any : any;
      };
    }
    case 'compare':
      return compileCompare(c);
  }
}

/** `field in {constants}` without arrays per packet: the summary path's common case. */
function compileConstantSet(
  id: number,
  vk: ValueKind,
  items: Extract<Check, { kind: 'in' }>['items'],
  negated: boolean,
): Predicate {
  const lows = items.map((it) => (it.low as Extract<Typed, { kind: 'const' }>).value);
  const highs = items.map((it) => (it.high as Extract<Typed, { kind: 'const' }> | undefined)?.value);
  const n = items.length;
  return (p) => {
    const t = p.tree;
    let any = false;
    for (let i = 0; i < t.count && !any; i++) {
      if (t.field[i] !== id) continue;
      const v = itemValue(p, i, vk);
      for (let k = 0; k < n && !any; k++) {
        const hi = highs[k];
        any =
          hi === undefined
            ? matchesMember(v, lows[k], items[k].low, vk)
            : order(v, lows[k], vk) >= 0 && order(v, hi, vk) <= 0;
      }
    }
    return negated ? !any : any;
  };
}

function matchesMember(v: Value, member: Value, typed: Typed, vk: ValueKind): boolean {
  const prefix = typed.kind === 'const' ? typed.prefix : -1;
  if (prefix >= 0 && ((vk === 'ipv4' && prefix < 32) || (vk === 'ipv6' && prefix < 128)))
    return prefixEqual(v, member, prefix);
  return order(v, member, vk) === 0;
}

function compileCompare(c: Extract<Check, { kind: 'compare' }>): Predicate {
  const { op, left, right } = c;
  const test = pairTest(op, right, left.vk);
  // "!=" is "all not equal": !(a == b) over the values there are, false when there are none.
  const all = op === '===' || op === '!=';
  const negate = op === '!=';
  if (left.kind === 'field' && !left.layers && right.kind === 'const') {
    const id = left.field.id;
    const vk = left.vk;
    const k = right.value;
    return (p) => {
      const t = p.tree;
      let seen = false;
      for (let i = 0; i < t.count; i++) {
        if (t.field[i] !== id) continue;
        seen = true;
        const r = test(itemValue(p, i, vk), k);
        if (all) {
          if (r === negate) return false;
        } else if (r) return true;
      }
      return all && seen;
    };
  }
  return (p) => {
    const ls = valuesOf(left, p);
    const rs = valuesOf(right, p);
    if (!ls.length || !rs.length) return false;
    for (const a of ls)
      for (const b of rs) {
        const r = test(a, b);
        if (all) {
          if (r === negate) return false;
        } else if (r) return true;
      }
    return all;
  };
}

/** The field ids a checked filter reads (the dissection must keep them). */
export function fieldIdsOf(c: Check, out = new Set<number>()): Set<number> {
  const typed = (t: Typed): void => {
    switch (t.kind) {
      case 'field':
        out.add(t.field.id);
        if (t.layers) out.add(t.layers.protocolId);
        break;
      case 'slice':
        typed(t.of);
        break;
      case 'negate':
        typed(t.of);
        break;
      case 'arith':
        typed(t.left);
        typed(t.right);
        break;
      case 'call':
        t.args.forEach(typed);
        break;
      case 'const':
      case 'reference':
        break;
    }
  };
  switch (c.kind) {
    case 'and':
    case 'or':
      fieldIdsOf(c.left, out);
      fieldIdsOf(c.right, out);
      break;
    case 'not':
      fieldIdsOf(c.expr, out);
      break;
    case 'exists':
      typed(c.operand);
      break;
    case 'matches':
      typed(c.left);
      break;
    case 'compare':
      typed(c.left);
      typed(c.right);
      break;
    case 'in':
      typed(c.left);
      for (const it of c.items) {
        typed(it.low);
        if (it.high) typed(it.high);
      }
      break;
  }
  return out;
}
