// Stage 1 of the display-filter compiler: the filter text as tokens with their spans.
// Words are Wireshark's "unparsed" literals: field names, numbers, addresses and byte strings
// all look alike here and are told apart by the checker against the field registry.

import type { FilterDiagnostic, Span } from './diagnostics.js';

export type TokenKind =
  | 'word'
  | 'string' // "..." with escapes decoded, or r"..." raw
  | 'char' // 'c' character constant
  | 'slice' // [ ... ] raw text of the ranges
  | 'op' // punctuation operators
  | 'eof';

export interface Token {
  kind: TokenKind;
  /** Word text, decoded string, slice body or operator. */
  text: string;
  span: Span;
  /** For strings: written as r"..." (no escapes). */
  raw?: boolean;
}

// Longest first: the scanner takes the first that matches.
const OPERATORS = [
  '===',
  '!==',
  '==',
  '!=',
  '~=',
  '>=',
  '<=',
  '&&',
  '||',
  '${',
  '..',
  '>',
  '<',
  '!',
  '&',
  '~',
  '+',
  '-',
  '*',
  '/',
  '%',
  '(',
  ')',
  '{',
  '}',
  ',',
  '#',
];

function isWordChar(c: string): boolean {
  return /[A-Za-z0-9_.:]/.test(c);
}

export interface LexResult {
  tokens: Token[];
  errors: FilterDiagnostic[];
}

export function lex(text: string): LexResult {
  const tokens: Token[] = [];
  const errors: FilterDiagnostic[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === '"' || ((c === 'r' || c === 'R') && text[i + 1] === '"')) {
      const raw = c !== '"';
      const r = readString(text, raw ? i + 1 : i, raw, errors);
      tokens.push({ kind: 'string', text: r.value, span: { start: i, end: r.end }, raw });
      i = r.end;
      continue;
    }
    if (c === "'") {
      const r = readString(text, i, false, errors, "'");
      tokens.push({ kind: 'char', text: r.value, span: { start: i, end: r.end } });
      i = r.end;
      continue;
    }
    if (c === '[') {
      const close = text.indexOf(']', i + 1);
      if (close < 0) {
        errors.push({ code: 'unbalanced-paren', span: { start: i, end: i + 1 }, open: '[' });
        tokens.push({ kind: 'slice', text: text.slice(i + 1), span: { start: i, end: n } });
        i = n;
      } else {
        tokens.push({ kind: 'slice', text: text.slice(i + 1, close), span: { start: i, end: close + 1 } });
        i = close + 1;
      }
      continue;
    }
    if (isWordChar(c) && !(c === '.' && text[i + 1] === '.')) {
      let j = i + 1;
      while (j < n) {
        const d = text[j];
        if (d === '.' && text[j + 1] === '.') break; // "1..5" is a range
        if (isWordChar(d)) j++;
        // "mac-lte", "1-3": a dash between word characters belongs to the word.
        else if (d === '-' && j + 1 < n && /[A-Za-z0-9_]/.test(text[j + 1]) && /[A-Za-z0-9_]/.test(text[j - 1])) j++;
        // CIDR masks: "10.0.0.0/8", "fe80::/10".
        else if (d === '/' && /[0-9]/.test(text[j + 1] ?? '') && /[0-9A-Fa-f:.]/.test(text[j - 1])) j++;
        else break;
      }
      tokens.push({ kind: 'word', text: text.slice(i, j), span: { start: i, end: j } });
      i = j;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (op !== undefined) {
      tokens.push({ kind: 'op', text: op, span: { start: i, end: i + op.length } });
      i += op.length;
      continue;
    }
    errors.push({ code: 'unexpected-character', span: { start: i, end: i + 1 }, char: c });
    i++;
  }
  tokens.push({ kind: 'eof', text: '', span: { start: n, end: n } });
  return { tokens, errors };
}

const SIMPLE_ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
  '\\': '\\',
  '"': '"',
  "'": "'",
};

/** Reads a quoted string from `at` (the opening quote); decodes escapes as Wireshark does. */
function readString(
  text: string,
  at: number,
  raw: boolean,
  errors: FilterDiagnostic[],
  quote = '"',
): { value: string; end: number } {
  let value = '';
  let i = at + 1;
  while (i < text.length) {
    const c = text[i];
    if (c === quote) return { value, end: i + 1 };
    if (c === '\\' && i + 1 < text.length) {
      const e = text[i + 1];
      if (raw) {
        // Raw strings keep the backslash; only \" does not end the string.
        value += c + e;
        i += 2;
        continue;
      }
      if (e in SIMPLE_ESCAPES) {
        value += SIMPLE_ESCAPES[e];
        i += 2;
      } else if (e === 'x' && /^[0-9A-Fa-f]{1,2}/.test(text.slice(i + 2, i + 4))) {
        const h = /^[0-9A-Fa-f]{1,2}/.exec(text.slice(i + 2, i + 4))![0];
        value += String.fromCharCode(parseInt(h, 16));
        i += 2 + h.length;
      } else if (/[0-7]/.test(e)) {
        const o = /^[0-7]{1,3}/.exec(text.slice(i + 1, i + 4))![0];
        value += String.fromCharCode(parseInt(o, 8) & 0xff);
        i += 1 + o.length;
      } else {
        errors.push({ code: 'bad-escape', span: { start: i, end: i + 2 }, escape: '\\' + e });
        i += 2;
      }
      continue;
    }
    value += c;
    i++;
  }
  errors.push({ code: 'unterminated-string', span: { start: at, end: text.length } });
  return { value, end: text.length };
}
