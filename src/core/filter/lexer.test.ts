import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { lex } from './lexer.js';

const kinds = (text: string) => lex(text).tokens.map((t) => `${t.kind}:${t.text}`);

describe('lexer', () => {
  it('reads field names, addresses, byte strings and CIDR masks as one word each', () => {
    expect(kinds('ip.addr == 10.0.0.0/8')).toEqual(['word:ip.addr', 'op:==', 'word:10.0.0.0/8', 'eof:']);
    expect(kinds('eth.src == 00:11:22:33:44:55')).toEqual(['word:eth.src', 'op:==', 'word:00:11:22:33:44:55', 'eof:']);
    expect(kinds('ipv6.addr == fe80::/10')).toEqual(['word:ipv6.addr', 'op:==', 'word:fe80::/10', 'eof:']);
  });

  it('splits a range in a set and keeps the longest operator', () => {
    expect(kinds('{1..5}')).toEqual(['op:{', 'word:1', 'op:..', 'word:5', 'op:}', 'eof:']);
    expect(kinds('a===b!==c~=d')).toEqual([
      'word:a',
      'op:===',
      'word:b',
      'op:!==',
      'word:c',
      'op:~=',
      'word:d',
      'eof:',
    ]);
  });

  it('takes a slice body as one token', () => {
    expect(kinds('eth.src[0:3]')).toEqual(['word:eth.src', 'slice:0:3', 'eof:']);
    expect(kinds('tcp.payload[-2:]')).toEqual(['word:tcp.payload', 'slice:-2:', 'eof:']);
  });

  it('decodes string escapes (\\x, octal, \\n, \\") and keeps raw strings as written', () => {
    expect(lex('"\\x47\\105T\\n\\""').tokens[0].text).toBe('GET\n"');
    expect(lex('r"\\d+"').tokens[0]).toMatchObject({ kind: 'string', text: '\\d+', raw: true });
    expect(lex("'G'").tokens[0]).toMatchObject({ kind: 'char', text: 'G' });
  });

  it('reports an unterminated string, a bad escape and a stray character with their spans', () => {
    expect(lex('frame contains "abc').errors).toEqual([{ code: 'unterminated-string', span: { start: 15, end: 19 } }]);
    expect(lex('"\\q"').errors[0]).toMatchObject({ code: 'bad-escape', span: { start: 1, end: 3 } });
    expect(lex('tcp @ 1').errors[0]).toMatchObject({
      code: 'unexpected-character',
      char: '@',
      span: { start: 4, end: 5 },
    });
  });

  it('never throws, and every token span lies inside the text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (text) => {
        const r = lex(text);
        for (const t of r.tokens) expect(t.span.start <= t.span.end && t.span.end <= text.length).toBe(true);
      }),
    );
  });
});
