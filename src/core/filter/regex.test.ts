import { describe, expect, it } from 'vitest';
import { translateRegex } from './regex.js';

function re(p: string): RegExp {
  const r = translateRegex(p);
  if (typeof r === 'string') throw new Error(r);
  return r;
}

describe('PCRE to JavaScript', () => {
  it('is caseless unless (?-i) says otherwise', () => {
    expect(re('get').test('GET')).toBe(true);
    expect(re('(?-i)get').test('GET')).toBe(false);
    expect(re('(?i)get').test('GET')).toBe(true);
  });

  it('translates POSIX classes, \\A, \\z, \\Q..\\E and (?P<name>)', () => {
    expect(re('^[[:digit:]]+$').test('123')).toBe(true);
    expect(re('\\Afoo\\z').test('foo')).toBe(true);
    expect(re('\\Qa.b\\E').test('axb')).toBe(false);
    expect(re('(?P<x>a)').test('a')).toBe(true);
  });

  it('refuses what has no equivalent instead of matching something else', () => {
    for (const p of ['a++', '(?>a)', '\\K', '(?x)a b', '(']) expect(typeof translateRegex(p)).toBe('string');
  });
});
