// Stage 3 of the display-filter compiler: names resolved against the field registry and every
// literal read as the type of the other side (Wireshark 4.0's semantic check, epan/dfilter/
// semcheck.c): the result is a typed tree the compiler turns into a predicate.

import { closeFieldNames, fieldByAbbrev, type FieldInfo } from '../dissect/fields.js';
import type { FilterDiagnostic, Span } from './diagnostics.js';
import {
  parseAbsoluteTime,
  parseBoolean,
  parseBytes,
  parseFloatLiteral,
  parseInteger,
  parseIPv4,
  parseIPv6,
  parseMac,
  utf8,
  valueStringLookup,
} from './literals.js';
import type { ArithOp, CompareOp, Expr, Operand } from './parser.js';
import { translateRegex } from './regex.js';

/** What a value is at run time: numbers (integers, booleans, times), strings or bytes. */
export type ValueKind =
  'number' | 'bool' | 'time' | 'ipv4' | 'ipv6' | 'ether' | 'bytes' | 'string' | 'protocol' | 'none';

/**
 * One range of a slice: `start` (negative: from the end), then either `length` or the inclusive
 * `end` (negative: from the end); neither means to the end.
 */
export interface SliceRange {
  start: number;
  length?: number;
  end?: number;
}

export type FunctionName = 'len' | 'count' | 'lower' | 'upper' | 'string' | 'max' | 'min' | 'abs';

export type Typed =
  | {
      kind: 'field';
      field: FieldInfo;
      vk: ValueKind;
      /** The layer operator (ip.src#2, ip.src#[1-2]): 1-based layers of the field's protocol, and that protocol's id. */
      layers?: { from: number; to: number; protocolId: number };
    }
  | { kind: 'const'; vk: ValueKind; value: number | string | Uint8Array; prefix: number }
  | { kind: 'slice'; of: Typed; ranges: SliceRange[]; vk: 'bytes' }
  | { kind: 'call'; fn: FunctionName; args: Typed[]; vk: ValueKind }
  | { kind: 'arith'; op: ArithOp; left: Typed; right: Typed; vk: 'number' | 'bytes' }
  | { kind: 'negate'; of: Typed; vk: 'number' }
  /** ${field}: the field's value in the selected packet; the CLI has none, so it has no value (as tshark). */
  | { kind: 'reference'; field: FieldInfo; vk: ValueKind };

export type Check =
  | { kind: 'and' | 'or'; left: Check; right: Check }
  | { kind: 'not'; expr: Check }
  | { kind: 'exists'; operand: Typed }
  | { kind: 'compare'; op: Exclude<CompareOp, 'matches'>; left: Typed; right: Typed }
  | { kind: 'matches'; left: Typed; regex: RegExp }
  | { kind: 'in'; negated: boolean; left: Typed; items: { low: Typed; high?: Typed }[] };

export interface CheckResult {
  check: Check | undefined;
  errors: FilterDiagnostic[];
  warnings: FilterDiagnostic[];
}

function kindOf(info: FieldInfo): ValueKind {
  switch (info.type) {
    case 'uint':
    case 'int':
    case 'float':
    case 'framenum':
      return 'number';
    case 'abstime':
    case 'reltime':
      return 'time';
    case 'bool':
      return 'bool';
    default:
      return info.type;
  }
}

/** How Wireshark names a type in its messages. */
function typeName(t: Typed): string {
  if (t.kind === 'field') return t.field.abbrev;
  return t.vk;
}

const NUMERIC = new Set<ValueKind>(['number', 'bool', 'time']);
const BYTES_LIKE = new Set<ValueKind>(['bytes', 'ether', 'protocol', 'ipv6']);
const ARITH_OPS: Record<ArithOp, (a: number, b: number) => number> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => Math.trunc(a / b),
  '%': (a, b) => a % b,
  '&': (a, b) => Number(BigInt(Math.trunc(a)) & BigInt(Math.trunc(b))),
};

function compatible(a: ValueKind, b: ValueKind): boolean {
  if (a === b) return a !== 'none';
  if (NUMERIC.has(a) && NUMERIC.has(b)) return a !== 'time' && b !== 'time';
  // Slices (bytes) compare with any field that has bytes.
  return (a === 'bytes' && BYTES_LIKE.has(b)) || (b === 'bytes' && BYTES_LIKE.has(a));
}

class CheckStop extends Error {}

class Checker {
  readonly errors: FilterDiagnostic[] = [];
  readonly warnings: FilterDiagnostic[] = [];

  constructor(private readonly text: string) {}

  private stop(d: FilterDiagnostic): never {
    this.errors.push(d);
    throw new CheckStop();
  }

  expr(e: Expr): Check {
    switch (e.kind) {
      case 'and':
      case 'or':
        return { kind: e.kind, left: this.expr(e.left), right: this.expr(e.right) };
      case 'not':
        return { kind: 'not', expr: this.expr(e.expr) };
      case 'test': {
        const operand = this.entity(e.operand, 'test');
        if (operand === undefined)
          this.stop({
            code: 'unknown-field',
            span: e.operand.span,
            name: this.text.slice(e.span.start, e.span.end),
            close: this.close(e.operand),
          });
        return { kind: 'exists', operand };
      }
      case 'compare':
        return this.compare(e);
      case 'in': {
        const left = this.entity(e.left, 'in');
        // Wireshark 4.0: "Only a field may be tested for membership in a set."
        if (left !== undefined && left.kind !== 'field' && left.kind !== 'slice')
          this.stop({ code: 'bad-operator', span: e.left.span, op: 'in', type: 'anything but a field' });
        if (left === undefined)
          this.stop({
            code: 'not-a-field',
            span: e.left.span,
            side: 'Left',
            op: 'in',
            text: this.spanText(e.left.span),
          });
        const items = e.items.map((it) => {
          const low = this.valueFor(it.low, left);
          if (it.high === undefined) return { low };
          const high = this.valueFor(it.high, left);
          if (!NUMERIC.has(left.vk)) this.stop({ code: 'bad-operator', span: it.span, op: '..', type: typeName(left) });
          return { low, high };
        });
        return { kind: 'in', negated: e.negated, left, items };
      }
    }
  }

  private close(o: Operand): string[] {
    return o.kind === 'word' ? closeFieldNames(o.text.replace(/^\./, '')) : [];
  }

  private spanText(s: Span): string {
    return this.text.slice(s.start, s.end);
  }

  private compare(e: Extract<Expr, { kind: 'compare' }>): Check {
    if (e.opText === '~=') this.warnings.push({ code: 'deprecated', span: e.opSpan, old: '~=', replacement: '!==' });
    const left = this.entity(e.left, e.opText);
    if (left === undefined) {
      // Wireshark 4.0 wants the field on the left: "80 == tcp.port" is an error.
      if (this.entity(e.right, e.opText) !== undefined)
        this.stop({
          code: 'not-a-field',
          span: e.left.span,
          side: 'Left',
          op: e.opText,
          text: this.spanText(e.left.span),
        });
      if (
        e.left.kind === 'word' &&
        !/^[-0-9]/.test(e.left.text) &&
        /^\.?[a-z]/i.test(e.left.text) &&
        e.left.text.includes('.')
      )
        this.stop({ code: 'unknown-field', span: e.left.span, name: e.left.text, close: this.close(e.left) });
      this.stop({
        code: 'not-a-field',
        span: e.left.span,
        side: 'Left',
        op: e.opText,
        text: this.spanText(e.left.span),
      });
    }
    if (isConstant(left)) this.stop({ code: 'constant-expression', span: e.left.span });
    if (e.op === 'matches') {
      if (!['string', 'bytes', 'protocol', 'ether', 'ipv6'].includes(left.vk))
        this.stop({ code: 'bad-operator', span: e.opSpan, op: e.opText, type: typeName(left) });
      if (e.right.kind !== 'string')
        this.stop({
          code: 'bad-literal',
          span: e.right.span,
          text: this.spanText(e.right.span),
          expected: 'regular expression',
          hint: 'Quote the pattern: matches "^GET"',
        });
      const r = translateRegex(e.right.value);
      if (typeof r === 'string') this.stop({ code: 'bad-regex', span: e.right.span, detail: r });
      return { kind: 'matches', left, regex: r };
    }
    if (e.op === 'contains') {
      if (!['string', 'bytes', 'protocol', 'ether', 'ipv6'].includes(left.vk))
        this.stop({ code: 'bad-operator', span: e.opSpan, op: e.opText, type: typeName(left) });
    } else if (left.vk === 'none') {
      // A label field (FT_NONE) has no value: it can only be tested for presence.
      this.stop({ code: 'bad-operator', span: e.opSpan, op: e.opText, type: typeName(left) });
    }
    const right = this.valueFor(e.right, left);
    return { kind: 'compare', op: e.op, left, right };
  }

  /** The other side of a comparison: a field, a function, or a literal read as `like`'s type. */
  private valueFor(o: Operand, like: Typed): Typed {
    const t = this.entity(o, 'value');
    if (t !== undefined) {
      if (!compatible(like.vk, t.vk) && !(like.vk === 'string' && t.vk === 'string'))
        this.stop({ code: 'type-mismatch', span: o.span, left: typeName(like), right: typeName(t) });
      return t;
    }
    return this.literal(o, like);
  }

  /**
   * A field, slice, function or arithmetic on them; undefined for a literal. `context` names the
   * operator for messages.
   */
  private entity(o: Operand, context: string): Typed | undefined {
    switch (o.kind) {
      case 'word': {
        const forced = o.text.startsWith('.');
        const name = forced ? o.text.slice(1) : o.text;
        const info = fieldByAbbrev(name);
        if (info) return { kind: 'field', field: info, vk: kindOf(info) };
        if (forced) this.stop({ code: 'unknown-field', span: o.span, name, close: closeFieldNames(name) });
        return undefined;
      }
      case 'string':
      case 'char':
        return undefined;
      case 'slice': {
        const of = this.entity(o.operand, context);
        if (of === undefined) {
          if (o.operand.kind === 'word')
            this.stop({
              code: 'unknown-field',
              span: o.operand.span,
              name: o.operand.text,
              close: this.close(o.operand),
            });
          this.stop({ code: 'bad-slice', span: o.span, text: this.spanText(o.span) });
        }
        if (of.vk === 'number' || of.vk === 'bool' || of.vk === 'time' || of.vk === 'none')
          this.stop({
            code: 'bad-operator',
            span: o.operand.span,
            op: '[]',
            type: `${typeName(of)} (not a sequence of bytes)`,
          });
        return { kind: 'slice', of, ranges: this.ranges(o.ranges, o.rangesSpan), vk: 'bytes' };
      }
      case 'layer': {
        const of = this.entity(o.operand, context);
        if (of === undefined || of.kind !== 'field' || of.layers)
          this.stop({ code: 'bad-operator', span: o.span, op: '#', type: 'anything but a field' });
        const protocol = fieldByAbbrev(of.field.protocol);
        const m = /^\[?(\d+)(?:([-:])(\d+))?\]?$/.exec(o.layer);
        if (!m || !protocol || o.layer.startsWith('[') !== o.layer.endsWith(']'))
          this.stop({ code: 'bad-slice', span: o.span, text: this.spanText(o.span) });
        const from = Number(m[1]);
        const to = m[2] === undefined ? from : m[2] === '-' ? Number(m[3]) : from + Number(m[3]) - 1;
        return { ...of, layers: { from, to, protocolId: protocol.id } };
      }
      case 'reference': {
        const info = fieldByAbbrev(o.name.replace(/^\./, ''));
        if (!info) this.stop({ code: 'unknown-field', span: o.span, name: o.name, close: closeFieldNames(o.name) });
        return { kind: 'reference', field: info, vk: kindOf(info) };
      }
      case 'call':
        return this.call(o);
      case 'negate': {
        const of = this.entity(o.operand, context);
        if (of === undefined) return undefined;
        if (!NUMERIC.has(of.vk)) this.stop({ code: 'bad-operator', span: o.span, op: '-', type: typeName(of) });
        return { kind: 'negate', of, vk: 'number' };
      }
      case 'arith': {
        const left = this.entity(o.left, context);
        const right = this.entity(o.right, context);
        if (left === undefined && right === undefined) return undefined;
        const l = left ?? this.literal(o.left, right!);
        const r = right ?? this.literal(o.right, l);
        // "&" also masks byte strings (tcp[13] & 02); the rest is integer arithmetic.
        if (o.op === '&' && BYTES_LIKE.has(l.vk) && compatible(l.vk, r.vk))
          return { kind: 'arith', op: o.op, left: l, right: r, vk: 'bytes' };
        for (const side of [l, r])
          if (side.vk !== 'number' && side.vk !== 'bool')
            this.stop({ code: 'bad-operator', span: o.opSpan, op: o.op, type: typeName(side) });
        return { kind: 'arith', op: o.op, left: l, right: r, vk: 'number' };
      }
    }
    return undefined;
  }

  private call(o: Extract<Operand, { kind: 'call' }>): Typed {
    const fn = o.name as FunctionName;
    const known: FunctionName[] = ['len', 'count', 'lower', 'upper', 'string', 'max', 'min', 'abs'];
    if (!known.includes(fn))
      this.stop({
        code: 'bad-function',
        span: o.nameSpan,
        name: o.name,
        detail: `unknown function (Wireshark 4.0 has ${known.join(', ')})`,
      });
    const single = fn !== 'max' && fn !== 'min';
    if (single ? o.args.length !== 1 : o.args.length < 1)
      this.stop({
        code: 'bad-function',
        span: o.span,
        name: fn,
        detail: single ? 'takes exactly one argument' : 'takes at least one argument',
      });
    const args = o.args.map((a) => {
      const t = this.entity(a, fn);
      if (t === undefined)
        this.stop({ code: 'bad-function', span: a.span, name: fn, detail: 'the argument must be a field' });
      return t;
    });
    const a = args[0];
    switch (fn) {
      case 'len':
        if (a.kind !== 'field')
          this.stop({ code: 'bad-function', span: o.args[0].span, name: fn, detail: 'takes a field' });
        return { kind: 'call', fn, args, vk: 'number' };
      case 'count':
        if (a.kind !== 'field') this.stop({ code: 'bad-function', span: o.span, name: fn, detail: 'takes a field' });
        return { kind: 'call', fn, args, vk: 'number' };
      case 'lower':
      case 'upper':
        if (a.vk !== 'string')
          this.stop({
            code: 'bad-function',
            span: o.args[0].span,
            name: fn,
            detail: `only string type fields can be used as parameter for ${fn}()`,
          });
        return { kind: 'call', fn, args, vk: 'string' };
      case 'string':
        if (a.kind !== 'field' || a.vk === 'none' || a.vk === 'protocol')
          this.stop({ code: 'bad-function', span: o.args[0].span, name: fn, detail: 'takes a field that has a value' });
        return { kind: 'call', fn, args, vk: 'string' };
      default:
        for (const [k, t] of args.entries()) {
          if (t.vk !== 'number' && t.vk !== 'bool')
            this.stop({ code: 'bad-function', span: o.args[k].span, name: fn, detail: 'takes numeric fields' });
          // Wireshark 4.0 wants one type for all of max()'s and min()'s arguments (FT_UINT16 is not FT_UINT32).
          const f = leadingField(t);
          const first = leadingField(args[0]);
          if (f && first && (f.type !== first.type || (f.bits ?? 0) !== (first.bits ?? 0)))
            this.stop({
              code: 'bad-function',
              span: o.args[k].span,
              name: fn,
              detail: `arguments must have the same type (${first.abbrev} is ${first.type}${first.bits ?? ''}, ${f.abbrev} is ${f.type}${f.bits ?? ''})`,
            });
        }
        return { kind: 'call', fn, args, vk: 'number' };
    }
  }

  private ranges(text: string, span: Span): SliceRange[] {
    const out: SliceRange[] = [];
    for (const part of text.split(',')) {
      const p = part.trim();
      let m: RegExpExecArray | null;
      const bad = () => this.stop({ code: 'bad-slice', span, text: `[${text}]` });
      if ((m = /^(-?\d+):(\d+)$/.exec(p))) out.push({ start: Number(m[1]), length: Number(m[2]) });
      else if ((m = /^(-?\d+)-(-?\d+)$/.exec(p))) {
        const s = Number(m[1]);
        const e = Number(m[2]);
        if ((s >= 0 && e >= 0 && e < s) || (s < 0 && e < 0 && e < s)) bad();
        out.push({ start: s, end: e });
      } else if ((m = /^(-?\d+):$/.exec(p))) out.push({ start: Number(m[1]) });
      else if ((m = /^:(\d+)$/.exec(p))) out.push({ start: 0, length: Number(m[1]) });
      else if ((m = /^(-?\d+)$/.exec(p))) out.push({ start: Number(m[1]), length: 1 });
      else bad();
    }
    return out;
  }

  /** A literal read as the type of `like`. */
  private literal(o: Operand, like: Typed): Typed {
    const field = leadingField(like);
    const text = o.kind === 'word' ? o.text : o.kind === 'string' || o.kind === 'char' ? o.value : undefined;
    if (text === undefined) {
      // Constant arithmetic on the right ("frame.len == 54 + 12") folds to one value.
      if (o.kind === 'arith' && (like.vk === 'number' || like.vk === 'time')) {
        const a = this.literal(o.left, like);
        const b = this.literal(o.right, like);
        if (a.kind === 'const' && b.kind === 'const' && typeof a.value === 'number' && typeof b.value === 'number') {
          const v = ARITH_OPS[o.op](a.value, b.value);
          if (Number.isFinite(v)) return { ...a, value: v };
        }
      }
      if (o.kind === 'negate') {
        const inner = this.literal(o.operand, like);
        if (inner.kind === 'const' && typeof inner.value === 'number') return { ...inner, value: -inner.value };
      }
      this.stop({ code: 'bad-literal', span: o.span, text: this.spanText(o.span), expected: like.vk });
    }
    const bad = (expected: string, hint?: string): never =>
      this.stop({ code: 'bad-literal', span: o.span, text, expected, hint });
    const constant = (vk: ValueKind, value: number | string | Uint8Array, prefix = -1): Typed => ({
      kind: 'const',
      vk,
      value,
      prefix,
    });
    if (o.kind === 'char') {
      const code = text.length === 1 ? text.charCodeAt(0) : NaN;
      if (Number.isNaN(code) || code > 255) bad('character constant');
      if (like.vk === 'string') return constant('string', text);
      if (NUMERIC.has(like.vk)) return constant('number', code);
      return constant('bytes', Uint8Array.of(code));
    }
    const quoted = o.kind === 'string';
    switch (like.vk) {
      case 'number': {
        const isFloat = field ? field.type === 'float' : false;
        // A quoted value can only be a value string's name ("60" is not 60 for Wireshark).
        const n = quoted ? undefined : isFloat ? parseFloatLiteral(text) : parseInteger(text);
        if (n !== undefined) {
          const range = field && !isFloat ? integerRange(field) : undefined;
          if (range && range[0] === 0 && n < 0) {
            // Wireshark reads "-1" for an unsigned field as strtoul does: the magnitude must fit, and it wraps.
            if (-n > range[1]) bad('number', `${field!.abbrev} holds 0 to ${range[1]}`);
            return constant('number', range[1] + 1 + n);
          }
          if (range && (n < range[0] || n > range[1]))
            bad('number', `${field!.abbrev} holds ${range[0]} to ${range[1]}`);
          return constant('number', n);
        }
        if (field) {
          const v = valueStringLookup(field, text);
          if (v !== undefined) return constant('number', v);
          if (field.strings && (quoted || /^[A-Za-z]/.test(text)))
            return this.stop({
              code: 'bad-literal',
              span: o.span,
              text,
              expected: `value of ${field.abbrev}`,
              hint: `Its named values: ${[...new Set(field.strings.values())].slice(0, 8).join(', ')}${field.strings.size > 8 ? ', ...' : ''}`,
            });
        }
        return bad('number', 'Integers are decimal, 0x hex, 0 octal or 0b binary.');
      }
      case 'bool': {
        // Quoted, only the field's own true/false texts ("Set", "Not set") are booleans.
        const b = quoted ? trueFalseValue(field, text) : parseBoolean(field, text);
        if (b === undefined)
          return bad(
            'boolean',
            `Use True, False, 1 or 0${field?.trueFalse ? ` (or "${field.trueFalse[0]}", "${field.trueFalse[1]}")` : ''}.`,
          );
        return constant('bool', b);
      }
      case 'time': {
        if (field?.type === 'abstime') {
          const t = quoted ? parseAbsoluteTime(text) : parseFloatLiteral(text);
          if (t === undefined)
            return bad('absolute time', 'Write a time as "2010-01-07 19:38:34" or "Jan 7, 2010 19:38:34".');
          return constant('time', t);
        }
        // Wireshark reads relative times as seconds with an optional fraction, no exponent.
        const t = /^-?(\d+\.?\d*|\.\d+)$/.test(text) ? Number(text) : undefined;
        if (t === undefined) return bad('time', 'Write a time interval in seconds, e.g. 0.5.');
        return constant('time', t);
      }
      case 'ipv4': {
        const a = parseIPv4(text);
        if (a === undefined)
          return bad(
            'IPv4 address',
            quoted
              ? 'Addresses are written without quotes: ip.src == 10.0.0.1 or 10.0.0.0/8.'
              : 'Write an address as 10.0.0.1 or a network as 10.0.0.0/8; synack does not resolve host names.',
          );
        return constant('ipv4', a.value, a.prefix);
      }
      case 'ipv6': {
        const a = parseIPv6(text);
        if (a === undefined)
          return bad('IPv6 address', 'Write an address as 2001:db8::1 or a network as 2001:db8::/32.');
        return constant('ipv6', a.value, a.prefix);
      }
      case 'ether': {
        const b = quoted ? undefined : parseMac(text);
        if (b === undefined) return bad('Ethernet address', 'Write a MAC address as 00:11:22:33:44:55.');
        return constant('ether', b);
      }
      case 'bytes':
      case 'protocol': {
        const b = quoted ? utf8(text) : parseBytes(text);
        if (b === undefined)
          return bad('byte string', 'Write bytes as 01:02:03, 01.02.03 or 010203, or text in quotes.');
        return constant('bytes', b);
      }
      case 'string':
        return constant('string', text);
      case 'none':
        return bad(`value: ${typeName(like)} has no value to compare`);
    }
  }
}

/** The field whose type a value takes: the field itself, or the left-most field of arithmetic on it. */
function leadingField(t: Typed): FieldInfo | undefined {
  switch (t.kind) {
    case 'field':
    case 'reference':
      return t.field;
    case 'arith':
      return leadingField(t.left) ?? leadingField(t.right);
    default:
      // A negated field's values are not the field's own (-frame.len < -1000): no range applies.
      return undefined;
  }
}

/** A boolean written as the field's own texts ("Set", "Not set"), compared case-insensitively. */
function trueFalseValue(f: FieldInfo | undefined, text: string): number | undefined {
  if (!f?.trueFalse) return undefined;
  const t = text.toLowerCase();
  return t === f.trueFalse[0].toLowerCase() ? 1 : t === f.trueFalse[1].toLowerCase() ? 0 : undefined;
}

/** The values an integer field can hold (Wireshark refuses literals outside them). */
function integerRange(f: FieldInfo): [number, number] | undefined {
  const bits = f.bits ?? 32;
  if (bits > 32) return undefined;
  if (f.type === 'uint' || f.type === 'framenum') return [0, 2 ** bits - 1];
  if (f.type === 'int') return [-(2 ** (bits - 1)), 2 ** (bits - 1) - 1];
  return undefined;
}

function isConstant(t: Typed): boolean {
  switch (t.kind) {
    case 'const':
      return true;
    case 'field':
    case 'call':
    case 'reference':
      return false;
    case 'slice':
      return isConstant(t.of);
    case 'negate':
      return isConstant(t.of);
    case 'arith':
      return isConstant(t.left) && isConstant(t.right);
  }
}

/**
 * Common Wireshark protocols, with where their packets can be found when synack does not
 * dissect them (those it dissects register a protocol field and are skipped below).
 */
const NOT_DISSECTED: Record<string, string> = {
  http: 'tcp.port == 80',
  http2: 'tcp.port == 443',
  tls: 'tcp.port == 443',
  ssl: 'tcp.port == 443',
  quic: 'udp.port == 443',
  dns: 'udp.port == 53 || tcp.port == 53',
  mdns: 'udp.port == 5353',
  dhcp: 'udp.port in {67, 68}',
  bootp: 'udp.port in {67, 68}',
  ntp: 'udp.port == 123',
  snmp: 'udp.port in {161, 162}',
  ssh: 'tcp.port == 22',
  smtp: 'tcp.port == 25',
  ftp: 'tcp.port == 21',
  telnet: 'tcp.port == 23',
  smb: 'tcp.port == 445',
  smb2: 'tcp.port == 445',
  sip: 'udp.port == 5060',
  rtp: 'udp',
  bgp: 'tcp.port == 179',
  syslog: 'udp.port == 514',
  gre: 'ip.proto == 47',
  sctp: 'ip.proto == 132',
  igmp: 'ip.proto == 2',
  ospf: 'ip.proto == 89',
  vxlan: 'udp.port == 4789',
  sflow: 'udp.port == 6343',
  nbns: 'udp.port == 137',
  ldap: 'tcp.port == 389',
  kerberos: 'udp.port == 88 || tcp.port == 88',
  radius: 'udp.port in {1812, 1813}',
  mqtt: 'tcp.port == 1883',
};

/** An unknown name from a protocol synack does not dissect gets that said, not "did you mean". */
function explainUnknown(d: FilterDiagnostic): FilterDiagnostic {
  if (d.code !== 'unknown-field') return d;
  const protocol = d.name.replace(/^\./, '').split('.')[0].toLowerCase();
  const where = NOT_DISSECTED[protocol];
  // A protocol synack dissects: the name is an unknown field of it ("did you mean" stays).
  if (where === undefined || fieldByAbbrev(protocol) !== undefined) return d;
  return {
    code: 'not-dissected',
    span: d.span,
    name: d.name,
    protocol,
    hint: `Its packets can be selected by transport for now: ${where}`,
  };
}

export function check(text: string, expr: Expr): CheckResult {
  const c = new Checker(text);
  try {
    const result = c.expr(expr);
    return { check: result, errors: c.errors.map(explainUnknown), warnings: c.warnings };
  } catch (e) {
    if (e instanceof CheckStop) return { check: undefined, errors: c.errors.map(explainUnknown), warnings: c.warnings };
    throw e;
  }
}
