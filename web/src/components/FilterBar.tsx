// The display-filter bar: the text is compiled on every keystroke (green when it is a filter,
// red with the error and its suggestion when not), Enter applies it, and the last filters
// applied are kept in localStorage for the drop-down.

import { useMemo, useState } from 'react';
import { compileFilter, diagnosticMessage, diagnosticSuggestion } from '../../../src/core/filter/index.js';

const RECENT_KEY = 'synack.recentFilters';
const RECENT_MAX = 12;

export function loadRecent(): string[] {
  try {
    const v: unknown = JSON.parse(localStorage.getItem(RECENT_KEY) ?? '[]');
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string').slice(0, RECENT_MAX) : [];
  } catch {
    return [];
  }
}

export function rememberFilter(text: string): string[] {
  const list = [text, ...loadRecent().filter((t) => t !== text)].slice(0, RECENT_MAX);
  try {
    localStorage.setItem(RECENT_KEY, JSON.stringify(list));
  } catch {
    // Storage may be full or disabled: the list is a convenience.
  }
  return list;
}

export interface FilterCheck {
  state: 'empty' | 'valid' | 'invalid';
  message: string;
}

export function checkFilter(text: string): FilterCheck {
  if (text.trim() === '') return { state: 'empty', message: '' };
  const result = compileFilter(text);
  if (result.ok) {
    const warning = result.warnings[0];
    return { state: 'valid', message: warning ? diagnosticMessage(warning) : '' };
  }
  const first = result.errors[0];
  const suggestion = diagnosticSuggestion(first);
  return { state: 'invalid', message: diagnosticMessage(first) + (suggestion ? ` ${suggestion}` : '') };
}

interface Props {
  text: string;
  onChange(text: string): void;
  onApply(text: string): void;
  busy: boolean;
  disabled: boolean;
  applied: string;
  /** Error from the worker for an applied filter, if any. */
  recent: string[];
}

export function FilterBar({ text, onChange, onApply, busy, disabled, applied, recent }: Props) {
  const check = useMemo(() => checkFilter(text), [text]);
  const [focused, setFocused] = useState(false);
  return (
    <div className="filter-bar">
      <input
        className={`filter-input ${check.state}`}
        data-testid="filter-input"
        data-state={check.state}
        type="text"
        list="recent-filters"
        spellCheck={false}
        autoComplete="off"
        placeholder="Apply a display filter … (Enter)"
        aria-invalid={check.state === 'invalid'}
        value={text}
        disabled={disabled}
        onFocus={() => setFocused(true)}
        onBlur={() => setFocused(false)}
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && check.state !== 'invalid') onApply(text);
          if (e.key === 'Escape') onChange(applied);
        }}
      />
      <datalist id="recent-filters">
        {recent.map((r) => (
          <option key={r} value={r} />
        ))}
      </datalist>
      <button
        type="button"
        className="apply"
        data-testid="filter-apply"
        disabled={disabled || check.state === 'invalid'}
        onClick={() => onApply(text)}
      >
        {busy ? 'Filtering…' : 'Apply'}
      </button>
      {check.state === 'invalid' || (check.message && focused) ? (
        <div className={`filter-error ${check.state}`} data-testid="filter-error" role="alert">
          {check.message}
        </div>
      ) : null}
    </div>
  );
}
