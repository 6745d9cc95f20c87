// Display-filter problems as data: a discriminated union keyed by `code`, each with the span of
// the filter text it is about, formatted by the pure functions below (message, caret picture).

export interface Span {
  /** Offset of the first character (0-based, in UTF-16 units of the filter text). */
  start: number;
  /** Offset just after the last character. */
  end: number;
}

export type FilterDiagnostic =
  | { code: 'unexpected-character'; span: Span; char: string }
  | { code: 'unterminated-string'; span: Span }
  | { code: 'bad-escape'; span: Span; escape: string }
  | { code: 'unexpected-token'; span: Span; text: string; expected: string }
  | { code: 'unexpected-end'; span: Span; expected: string }
  | { code: 'unbalanced-paren'; span: Span; open: string }
  | { code: 'set-needs-commas'; span: Span; fixed: string }
  | { code: 'unknown-field'; span: Span; name: string; close: readonly string[] }
  | { code: 'not-dissected'; span: Span; name: string; protocol: string; hint: string }
  | { code: 'bad-literal'; span: Span; text: string; expected: string; hint?: string }
  | { code: 'type-mismatch'; span: Span; left: string; right: string }
  | { code: 'not-a-field'; span: Span; side: 'Left' | 'Right'; op: string; text: string }
  | { code: 'constant-expression'; span: Span }
  | { code: 'bad-operator'; span: Span; op: string; type: string }
  | { code: 'bad-function'; span: Span; name: string; detail: string }
  | { code: 'bad-slice'; span: Span; text: string }
  | { code: 'bad-regex'; span: Span; detail: string }
  | { code: 'deprecated'; span: Span; old: string; replacement: string };

/** Problems that do not reject the filter. */
export function isWarning(d: FilterDiagnostic): boolean {
  return d.code === 'deprecated';
}

/** One sentence saying what is wrong (tshark's wording where tshark has one). */
export function diagnosticMessage(d: FilterDiagnostic): string {
  switch (d.code) {
    case 'unexpected-character':
      return `"${d.char}" cannot start anything in a display filter.`;
    case 'unterminated-string':
      return 'The quoted string has no closing quote.';
    case 'bad-escape':
      return `"${d.escape}" is not a valid escape sequence.`;
    case 'unexpected-token':
      return `"${d.text}" was unexpected in this context.`;
    case 'unexpected-end':
      return 'Unexpected end of filter expression.';
    case 'unbalanced-paren':
      return `This "${d.open}" is never closed.`;
    case 'set-needs-commas':
      return 'Set elements must be separated by commas (Wireshark 4.0).';
    case 'unknown-field':
      return `${d.name} is neither a field nor a protocol name.`;
    case 'not-dissected':
      return `${d.name} is a Wireshark ${d.name === d.protocol ? 'protocol' : 'field'}, but synack does not dissect ${d.protocol} yet.`;
    case 'bad-literal':
      return `"${d.text}" is not a valid ${d.expected}.`;
    case 'type-mismatch':
      return `${d.left} and ${d.right} are not of compatible types.`;
    case 'not-a-field':
      return `${d.side} side of "${d.op}" expression must be a field or function, not ${d.text}.`;
    case 'constant-expression':
      return 'Constant expression is invalid: one side must be a field or a function of one.';
    case 'bad-operator':
      return `"${d.op}" cannot be applied to ${d.type}.`;
    case 'bad-function':
      return `${d.name}(): ${d.detail}`;
    case 'bad-slice':
      return `"${d.text}" is not a valid slice.`;
    case 'bad-regex':
      return `Invalid regular expression: ${d.detail}`;
    case 'deprecated':
      return `"${d.old}" is deprecated.`;
  }
}

/** What to do about it, when there is something to say. */
export function diagnosticSuggestion(d: FilterDiagnostic): string | undefined {
  switch (d.code) {
    case 'unknown-field':
      return d.close.length ? `Did you mean ${d.close.join(', ')}?` : undefined;
    case 'set-needs-commas':
      return `Write: ${d.fixed}`;
    case 'not-dissected':
      return d.hint;
    case 'unbalanced-paren':
      return `Add the matching "${d.open === '(' ? ')' : d.open === '{' ? '}' : ']'}".`;
    case 'unterminated-string':
      return 'Close the string with ", or escape a quote inside it as \\".';
    case 'bad-literal':
      return d.hint;
    case 'type-mismatch':
      return 'Compare the field with a value of its own type, or with a field of the same type.';
    case 'not-a-field':
    case 'constant-expression':
      return 'Put a field on the left: e.g. frame.len > 100.';
    case 'deprecated':
      return `Use "${d.replacement}" instead.`;
    case 'bad-regex':
      return 'matches takes a PCRE pattern in a quoted string, e.g. http.host matches "(?i)example\\.(com|org)".';
    case 'unexpected-end':
      return d.expected ? `Expected ${d.expected}.` : undefined;
    case 'unexpected-token':
      return d.expected ? `Expected ${d.expected}.` : undefined;
    default:
      return undefined;
  }
}

/** The filter text with a caret line under the span: "    ip.src == "foo"\n              ^~~~~". */
export function caretLines(text: string, span: Span, indent = '    '): string {
  const start = Math.min(Math.max(0, span.start), text.length);
  const end = Math.max(start + 1, Math.min(span.end, text.length + 1));
  return `${indent}${text}\n${indent}${' '.repeat(start)}^${'~'.repeat(end - start - 1)}`;
}

/** The full report of one diagnostic: message, filter with caret, suggestion. */
export function formatDiagnostic(text: string, d: FilterDiagnostic): string {
  const hint = diagnosticSuggestion(d);
  return `${isWarning(d) ? 'Warning: ' : ''}${diagnosticMessage(d)}\n${caretLines(text, d.span)}${hint ? `\n    ${hint}` : ''}`;
}
