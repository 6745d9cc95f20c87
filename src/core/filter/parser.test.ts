import { describe, expect, it } from 'vitest';
import { parse, type Expr } from './parser.js';

/** A compact picture of the tree: (and a b), (== f v), ... */
function shape(e: Expr | undefined): string {
  if (!e) return '';
  switch (e.kind) {
    case 'and':
    case 'or':
      return `(${e.kind} ${shape(e.left)} ${shape(e.right)})`;
    case 'not':
      return `(not ${shape(e.expr)})`;
    case 'test':
      return e.operand.kind === 'word' ? e.operand.text : e.operand.kind;
    case 'compare':
      return `(${e.op} ${e.left.kind === 'word' ? e.left.text : e.left.kind} ${e.right.kind === 'word' ? e.right.text : e.right.kind})`;
    case 'in':
      return `(${e.negated ? 'not in' : 'in'} ${e.items.length})`;
  }
}

describe('parser', () => {
  it('binds and tighter than or, and not tighter than and (Wireshark 4.0)', () => {
    expect(shape(parse('a or b and c').expr)).toBe('(or a (and b c))');
    expect(shape(parse('not a and b').expr)).toBe('(and (not a) b)');
    expect(shape(parse('!(a || b) && c').expr)).toBe('(and (not (or a b)) c)');
  });

  it('reads the word forms of the operators', () => {
    expect(shape(parse('frame.len ge 60').expr)).toBe('(>= frame.len 60)');
    expect(shape(parse('tcp.port any_ne 80').expr)).toBe('(!== tcp.port 80)');
    expect(shape(parse('tcp.port ~= 80').expr)).toBe('(!== tcp.port 80)');
    expect(shape(parse('frame.protocols ~ "tcp"').expr)).toBe('(matches frame.protocols string)');
  });

  it('reads sets with ranges, and "not in"', () => {
    expect(shape(parse('tcp.port in {80, 443, 8000..8080}').expr)).toBe('(in 3)');
    expect(shape(parse('tcp.port not in {80}').expr)).toBe('(not in 1)');
  });

  it('gives the comma-separated form of an old space-separated set', () => {
    const r = parse('tcp.port in {80 443} and ip');
    expect(r.errors).toEqual([
      { code: 'set-needs-commas', span: { start: 12, end: 20 }, fixed: 'tcp.port in {80, 443} and ip' },
    ]);
  });

  it('reads arithmetic with its precedence, a negative literal and a bitwise and', () => {
    const e = parse('frame.len - 14 * 2 == -6').expr;
    expect(e?.kind === 'compare' && e.left.kind === 'arith' && e.left.op).toBe('-');
    expect(e?.kind === 'compare' && e.right).toMatchObject({ kind: 'word', text: '-6' });
    expect(shape(parse('tcp.flags & 0x12 == 0x12').expr)).toBe('(== arith 0x12)');
  });

  it('marks an unclosed parenthesis where it opens, and a stray one where it is', () => {
    expect(parse('(tcp or udp').errors).toEqual([{ code: 'unbalanced-paren', span: { start: 0, end: 1 }, open: '(' }]);
    expect(parse('tcp)').errors[0]).toMatchObject({ code: 'unexpected-token', text: ')', span: { start: 3, end: 4 } });
  });

  it('reports the end of the filter where an operand is missing', () => {
    expect(parse('tcp and').errors[0]).toMatchObject({ code: 'unexpected-end', span: { start: 7, end: 7 } });
    expect(parse('tcp.port ==').errors[0]).toMatchObject({ code: 'unexpected-end' });
  });

  it('refuses chained comparisons', () => {
    expect(parse('a == 1 == 1').errors[0]).toMatchObject({ code: 'unexpected-token', text: '==' });
  });

  it('takes an empty filter as no filter', () => {
    expect(parse('   ')).toEqual({ expr: undefined, errors: [] });
  });
});
