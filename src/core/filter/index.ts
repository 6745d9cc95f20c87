// Display filters (Wireshark 4.0's language): compileFilter() runs the stages (lexer, parser,
// checker, compiler) and returns a predicate over dissected packets with the field ids the
// dissection must keep, or the diagnostics that explain why the text is not a filter.

// Every protocol's fields, so that names resolve whoever imports the filter engine first.
import '../dissect/index.js';
import type { Packet } from '../dissect/packet.js';
import { check } from './checker.js';
import { compile, fieldIdsOf } from './compiler.js';
import type { FilterDiagnostic } from './diagnostics.js';
import { parse } from './parser.js';

export interface DisplayFilter {
  matches(p: Packet): boolean;
  /** Field ids the dissection must keep for `matches` to see them. */
  fieldIds: number[];
}

export type CompileResult =
  { ok: true; filter: DisplayFilter; warnings: FilterDiagnostic[] } | { ok: false; errors: FilterDiagnostic[] };

export function compileFilter(text: string): CompileResult {
  const parsed = parse(text);
  if (parsed.errors.length) return { ok: false, errors: parsed.errors };
  if (parsed.expr === undefined) return { ok: true, filter: { matches: () => true, fieldIds: [] }, warnings: [] };
  const checked = check(text, parsed.expr);
  if (checked.check === undefined) return { ok: false, errors: checked.errors };
  const predicate = compile(checked.check);
  return {
    ok: true,
    filter: { matches: predicate, fieldIds: [...fieldIdsOf(checked.check)] },
    warnings: checked.warnings,
  };
}

export type { FilterDiagnostic, Span } from './diagnostics.js';
export { formatDiagnostic, diagnosticMessage, diagnosticSuggestion, caretLines, isWarning } from './diagnostics.js';
