// Stage 2 of the display-filter compiler: tokens to a syntax tree, following Wireshark 4.0's
// grammar (epan/dfilter/grammar.lemon): `or` binds looser than `and`, `not` binds tightest of the
// logical operators, then comparisons, then `&`, `+ -`, `* / %` and unary minus.

import type { FilterDiagnostic, Span } from './diagnostics.js';
import { lex, type Token } from './lexer.js';

export type CompareOp = '==' | '!=' | '===' | '!==' | '>' | '<' | '>=' | '<=' | 'contains' | 'matches';
export type ArithOp = '+' | '-' | '*' | '/' | '%' | '&';

export type Operand =
  | { kind: 'word'; text: string; span: Span }
  | { kind: 'string'; value: string; raw: boolean; span: Span }
  | { kind: 'char'; value: string; span: Span }
  | { kind: 'slice'; operand: Operand; ranges: string; rangesSpan: Span; span: Span }
  | { kind: 'layer'; operand: Operand; layer: string; span: Span }
  | { kind: 'call'; name: string; nameSpan: Span; args: Operand[]; span: Span }
  | { kind: 'arith'; op: ArithOp; left: Operand; right: Operand; opSpan: Span; span: Span }
  | { kind: 'negate'; operand: Operand; span: Span }
  | { kind: 'reference'; name: string; span: Span };

export interface SetItem {
  low: Operand;
  /** The upper bound of a range `low..high`. */
  high?: Operand;
  span: Span;
}

export type Expr =
  | { kind: 'or' | 'and'; left: Expr; right: Expr; span: Span }
  | { kind: 'not'; expr: Expr; span: Span }
  | { kind: 'test'; operand: Operand; span: Span }
  | { kind: 'compare'; op: CompareOp; opText: string; opSpan: Span; left: Operand; right: Operand; span: Span }
  | { kind: 'in'; negated: boolean; left: Operand; items: SetItem[]; span: Span };

export interface ParseResult {
  /** Undefined for an empty filter (which matches every frame) or when there were errors. */
  expr: Expr | undefined;
  errors: FilterDiagnostic[];
}

const COMPARE_WORDS: Record<string, CompareOp> = {
  eq: '==',
  any_eq: '==',
  ne: '!=',
  all_ne: '!=',
  all_eq: '===',
  any_ne: '!==',
  gt: '>',
  lt: '<',
  ge: '>=',
  le: '<=',
  contains: 'contains',
  matches: 'matches',
};
const COMPARE_OPS: Record<string, CompareOp> = {
  '==': '==',
  '!=': '!=',
  '===': '===',
  '!==': '!==',
  '~=': '!==',
  '>': '>',
  '<': '<',
  '>=': '>=',
  '<=': '<=',
  '~': 'matches',
};
const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'bitwise_and', ...Object.keys(COMPARE_WORDS)]);

class ParseStop extends Error {}

class Parser {
  private pos = 0;
  readonly errors: FilterDiagnostic[] = [];

  constructor(
    private readonly text: string,
    private readonly tokens: Token[],
  ) {}

  private peekKind(): Token['kind'] {
    return this.tokens[this.pos].kind;
  }

  private get tok(): Token {
    return this.tokens[this.pos];
  }

  private isOp(t: Token, ...ops: string[]): boolean {
    return t.kind === 'op' && ops.includes(t.text);
  }

  private isWord(t: Token, ...words: string[]): boolean {
    return t.kind === 'word' && words.includes(t.text);
  }

  private fail(expected: string): never {
    const t = this.tok;
    if (t.kind === 'eof') this.errors.push({ code: 'unexpected-end', span: t.span, expected });
    else {
      const shown = t.kind === 'string' ? `"${t.text}"` : t.kind === 'slice' ? `[${t.text}]` : t.text;
      this.errors.push({ code: 'unexpected-token', span: t.span, text: shown, expected });
    }
    throw new ParseStop();
  }

  parseFilter(): Expr | undefined {
    if (this.tok.kind === 'eof') return undefined;
    const e = this.parseOr();
    if (this.peekKind() !== 'eof') {
      if (this.isOp(this.tok, ')')) this.fail('"and", "or" or the end of the filter (this ")" closes nothing)');
      this.fail('"and", "or" or the end of the filter');
    }
    return e;
  }

  private parseOr(): Expr {
    let left = this.parseAnd();
    while (this.isWord(this.tok, 'or') || this.isOp(this.tok, '||')) {
      this.pos++;
      const right = this.parseAnd();
      left = { kind: 'or', left, right, span: { start: left.span.start, end: right.span.end } };
    }
    return left;
  }

  private parseAnd(): Expr {
    let left = this.parseUnary();
    while (this.isWord(this.tok, 'and') || this.isOp(this.tok, '&&')) {
      this.pos++;
      const right = this.parseUnary();
      left = { kind: 'and', left, right, span: { start: left.span.start, end: right.span.end } };
    }
    return left;
  }

  private parseUnary(): Expr {
    const t = this.tok;
    if (this.isWord(t, 'not') || this.isOp(t, '!')) {
      this.pos++;
      const e = this.parseUnary();
      return { kind: 'not', expr: e, span: { start: t.span.start, end: e.span.end } };
    }
    if (this.isOp(t, '(')) {
      this.pos++;
      const e = this.parseOr();
      if (!this.isOp(this.tok, ')')) {
        if (this.peekKind() === 'eof') {
          this.errors.push({ code: 'unbalanced-paren', span: t.span, open: '(' });
          throw new ParseStop();
        }
        this.fail('")"');
      }
      this.pos++;
      return { ...e, span: { start: t.span.start, end: this.tokens[this.pos - 1].span.end } };
    }
    return this.parseRelation();
  }

  private compareOp(t: Token): CompareOp | undefined {
    if (t.kind === 'op') return COMPARE_OPS[t.text];
    if (t.kind === 'word') return COMPARE_WORDS[t.text];
    return undefined;
  }

  private parseRelation(): Expr {
    const left = this.parseArith();
    const t = this.tok;
    const op = this.compareOp(t);
    if (op !== undefined) {
      this.pos++;
      const right = this.parseArith();
      if (this.compareOp(this.tok) !== undefined) this.fail('"and", "or" or ")" (comparisons do not chain)');
      return { kind: 'compare', op, opText: t.text, opSpan: t.span, left, right, span: join(left.span, right.span) };
    }
    if (this.isWord(t, 'in') || (this.isWord(t, 'not') && this.isWord(this.tokens[this.pos + 1], 'in'))) {
      const negated = t.text === 'not';
      this.pos += negated ? 2 : 1;
      return this.parseSet(left, negated);
    }
    return { kind: 'test', operand: left, span: left.span };
  }

  private parseSet(left: Operand, negated: boolean): Expr {
    const open = this.tok;
    if (!this.isOp(open, '{')) this.fail('"{" to start a set');
    this.pos++;
    const items: SetItem[] = [];
    let missingComma = false;
    for (;;) {
      if (this.isOp(this.tok, '}') && items.length) break;
      if (this.peekKind() === 'eof') {
        this.errors.push({ code: 'unbalanced-paren', span: open.span, open: '{' });
        throw new ParseStop();
      }
      const low = this.parseArith();
      let item: SetItem = { low, span: low.span };
      if (this.isOp(this.tok, '..')) {
        this.pos++;
        const high = this.parseArith();
        item = { low, high, span: join(low.span, high.span) };
      }
      items.push(item);
      if (this.isOp(this.tok, ',')) {
        this.pos++;
        // "{80,}" is an error in Wireshark 4.0: a comma must be followed by an element.
        if (this.isOp(this.tok, '}')) this.fail('a set element after ","');
        continue;
      }
      if (this.isOp(this.tok, '}')) break;
      if (this.tok.kind === 'eof') continue;
      // Wireshark before 4.0 took "{80 443}"; 4.0 requires commas.
      missingComma = true;
    }
    const close = this.tok;
    this.pos++;
    const span = { start: left.span.start, end: close.span.end };
    if (missingComma) {
      const body = items.map((it) => this.text.slice(it.span.start, it.span.end)).join(', ');
      const fixed = this.text.slice(0, open.span.start) + '{' + body + '}' + this.text.slice(close.span.end);
      this.errors.push({ code: 'set-needs-commas', span: { start: open.span.start, end: close.span.end }, fixed });
    }
    return { kind: 'in', negated, left, items, span };
  }

  private parseArith(): Operand {
    let left = this.parseAdditive();
    while (this.isOp(this.tok, '&') || this.isWord(this.tok, 'bitwise_and')) {
      const opSpan = this.tok.span;
      this.pos++;
      const right = this.parseAdditive();
      left = { kind: 'arith', op: '&', left, right, opSpan, span: join(left.span, right.span) };
    }
    return left;
  }

  private parseAdditive(): Operand {
    let left = this.parseMultiplicative();
    while (this.isOp(this.tok, '+', '-')) {
      const op = this.tok.text as ArithOp;
      const opSpan = this.tok.span;
      this.pos++;
      const right = this.parseMultiplicative();
      left = { kind: 'arith', op, left, right, opSpan, span: join(left.span, right.span) };
    }
    return left;
  }

  private parseMultiplicative(): Operand {
    let left = this.parseNegate();
    while (this.isOp(this.tok, '*', '/', '%')) {
      const op = this.tok.text as ArithOp;
      const opSpan = this.tok.span;
      this.pos++;
      const right = this.parseNegate();
      left = { kind: 'arith', op, left, right, opSpan, span: join(left.span, right.span) };
    }
    return left;
  }

  private parseNegate(): Operand {
    const t = this.tok;
    if (this.isOp(t, '-')) {
      this.pos++;
      const operand = this.parseNegate();
      // "-5" is a literal, not arithmetic: fold the sign into the word.
      if (operand.kind === 'word' && operand.span.start === t.span.end && /^[0-9]/.test(operand.text))
        return { kind: 'word', text: '-' + operand.text, span: join(t.span, operand.span) };
      return { kind: 'negate', operand, span: join(t.span, operand.span) };
    }
    if (this.isOp(t, '+')) {
      this.pos++;
      return this.parseNegate();
    }
    return this.parsePostfix();
  }

  private parsePostfix(): Operand {
    let operand = this.parsePrimary();
    for (;;) {
      const t = this.tok;
      if (t.kind === 'slice') {
        this.pos++;
        operand = {
          kind: 'slice',
          operand,
          ranges: t.text,
          rangesSpan: { start: t.span.start + 1, end: t.span.end - 1 },
          span: join(operand.span, t.span),
        };
      } else if (this.isOp(t, '#')) {
        this.pos++;
        const layer = this.tok;
        if (layer.kind !== 'word' && layer.kind !== 'slice') this.fail('a layer number or range after "#"');
        this.pos++;
        const text = layer.kind === 'slice' ? `[${layer.text}]` : layer.text;
        operand = { kind: 'layer', operand, layer: text, span: join(operand.span, layer.span) };
      } else return operand;
    }
  }

  private parsePrimary(): Operand {
    const t = this.tok;
    if (t.kind === 'string') {
      this.pos++;
      return { kind: 'string', value: t.text, raw: t.raw === true, span: t.span };
    }
    if (t.kind === 'char') {
      this.pos++;
      return { kind: 'char', value: t.text, span: t.span };
    }
    if (t.kind === 'word' && !KEYWORDS.has(t.text)) {
      this.pos++;
      if (this.isOp(this.tok, '(') && this.tok.span.start === t.span.end) return this.parseCall(t);
      return { kind: 'word', text: t.text, span: t.span };
    }
    if (this.isOp(t, '{')) {
      this.pos++;
      const inner = this.parseArith();
      if (!this.isOp(this.tok, '}')) {
        if (this.peekKind() === 'eof') {
          this.errors.push({ code: 'unbalanced-paren', span: t.span, open: '{' });
          throw new ParseStop();
        }
        this.fail('"}"');
      }
      this.pos++;
      return inner;
    }
    if (this.isOp(t, '${')) {
      this.pos++;
      const name = this.tok;
      if (name.kind !== 'word') this.fail('a field name');
      this.pos++;
      if (!this.isOp(this.tok, '}')) this.fail('"}"');
      this.pos++;
      return { kind: 'reference', name: name.text, span: join(t.span, this.tokens[this.pos - 1].span) };
    }
    this.fail('a field, a value or a function');
  }

  private parseCall(name: Token): Operand {
    const open = this.tok;
    this.pos++;
    const args: Operand[] = [];
    if (!this.isOp(this.tok, ')')) {
      for (;;) {
        if (this.peekKind() === 'eof') {
          this.errors.push({ code: 'unbalanced-paren', span: open.span, open: '(' });
          throw new ParseStop();
        }
        args.push(this.parseArith());
        if (this.isOp(this.tok, ',')) {
          this.pos++;
          continue;
        }
        if (!this.isOp(this.tok, ')')) this.fail('"," or ")"');
        break;
      }
    }
    const close = this.tok;
    this.pos++;
    return { kind: 'call', name: name.text, nameSpan: name.span, args, span: join(name.span, close.span) };
  }
}

function join(a: Span, b: Span): Span {
  return { start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}

export function parse(text: string): ParseResult {
  const lexed = lex(text);
  if (lexed.errors.length) return { expr: undefined, errors: lexed.errors };
  const p = new Parser(text, lexed.tokens);
  try {
    const expr = p.parseFilter();
    return p.errors.length ? { expr: undefined, errors: p.errors } : { expr, errors: [] };
  } catch (e) {
    if (e instanceof ParseStop) return { expr: undefined, errors: p.errors };
    throw e;
  }
}
