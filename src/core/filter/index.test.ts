import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compileFilter, formatDiagnostic } from './index.js';

const words = [
  'tcp',
  'udp',
  'ip.addr',
  'tcp.port',
  'frame.len',
  'eth.src',
  'tcp.flags',
  'frame.protocols',
  'nosuch.field',
];
const values = ['80', '0x50', '10.0.0.0/8', '00:11:22:33:44:55', '"GET"', 'True', '{80, 443}', '{1..5}', 'ab', '-1'];
const operators = [
  '==',
  '!=',
  '===',
  '!==',
  '>',
  '<=',
  'contains',
  'matches',
  'in',
  '&',
  'and',
  'or',
  'not',
  '(',
  ')',
  '[0:2]',
  '#',
  ',',
];

describe('compileFilter', () => {
  it('formats a diagnostic as tshark does, with the suggestion under the caret', () => {
    const r = compileFilter('tcp.prot == 80');
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(formatDiagnostic('tcp.prot == 80', r.errors[0]).split('\n').slice(0, 4)).toEqual([
        'tcp.prot is neither a field nor a protocol name.',
        '    tcp.prot == 80',
        '    ^' + '~'.repeat(7),
        expect.stringMatching(/^ {4}Did you mean tcp\.port/),
      ]);
  });

  it('returns diagnostics, never throws, for any text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (text) => {
        const r = compileFilter(text);
        if (!r.ok) {
          expect(r.errors.length).toBeGreaterThan(0);
          for (const e of r.errors)
            expect(e.span.start >= 0 && e.span.start <= e.span.end && e.span.end <= text.length).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('returns a filter or diagnostics for any arrangement of filter tokens', () => {
    const token = fc.constantFrom(...words, ...values, ...operators);
    fc.assert(
      fc.property(fc.array(token, { maxLength: 12 }), (tokens) => {
        const text = tokens.join(' ');
        const r = compileFilter(text);
        if (r.ok) expect(Array.isArray(r.filter.fieldIds)).toBe(true);
        else for (const e of r.errors) expect(formatDiagnostic(text, e)).toContain(text);
      }),
      { numRuns: 2000 },
    );
  });
});
