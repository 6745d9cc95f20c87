import '../dissect/index.js';
import { describe, expect, it } from 'vitest';
import { check } from './checker.js';
import type { FilterDiagnostic } from './diagnostics.js';
import { parse } from './parser.js';

function errors(text: string): FilterDiagnostic[] {
  const p = parse(text);
  if (p.errors.length) return p.errors;
  return check(text, p.expr!).errors;
}

describe('checker', () => {
  it('accepts fields, protocols and literals of the field type', () => {
    for (const ok of [
      'tcp',
      'ip.src == 10.0.0.0/8',
      'eth.src == 00-11-22-33-44-55',
      'ipv6.addr == ::1',
      'tcp.flags.syn == True',
      'tcp.flags.syn == "Set"',
      'ip.proto == "udp"',
      'eth.type == IPv4',
      'frame.len == 0x3c',
      "frame.len == 'B'",
      'frame.time > "2010-01-07 19:38:34"',
      'tcp.payload[0:3] == 47.45.54',
      'frame.len == 54 + 12',
    ])
      expect(errors(ok), ok).toEqual([]);
  });

  it('names an unknown field with the closest registered names', () => {
    expect(errors('tcp.prot == 80')).toEqual([
      {
        code: 'unknown-field',
        span: { start: 0, end: 8 },
        name: 'tcp.prot',
        close: expect.arrayContaining(['tcp.port']),
      },
    ]);
  });

  it('says when a Wireshark protocol is not dissected by synack yet, and how to reach its packets', () => {
    expect(errors('smtp.req.command == "EHLO"')[0]).toMatchObject({
      code: 'not-dissected',
      protocol: 'smtp',
      hint: expect.stringContaining('tcp.port == 25'),
    });
    expect(errors('ospf')[0]).toMatchObject({ code: 'not-dissected', protocol: 'ospf' });
    // A protocol synack dissects: an unknown name in it is an unknown field, with suggestions.
    expect(errors('http.request.methd == "GET"')[0]).toMatchObject({ code: 'unknown-field' });
  });

  it('marks a literal that is not of the field type', () => {
    expect(errors('ip.src == "foo"')[0]).toMatchObject({
      code: 'bad-literal',
      span: { start: 10, end: 15 },
      expected: 'IPv4 address',
    });
    expect(errors('frame.len > 1e2')[0]).toMatchObject({ code: 'bad-literal', text: '1e2' });
    expect(errors('tcp.flags.syn == true')[0]).toMatchObject({ code: 'bad-literal', text: 'true' });
    expect(errors('eth.src == 00:11:22')[0]).toMatchObject({ code: 'bad-literal', expected: 'Ethernet address' });
  });

  it('refuses fields of incompatible types and a literal on the left', () => {
    expect(errors('ip.proto == tcp')[0]).toMatchObject({ code: 'type-mismatch', left: 'ip.proto', right: 'tcp' });
    expect(errors('80 == tcp.port')[0]).toMatchObject({ code: 'not-a-field', side: 'Left' });
  });

  it('refuses operators and functions that do not apply to the type', () => {
    expect(errors('tcp.port contains 80')[0]).toMatchObject({ code: 'bad-operator', op: 'contains' });
    expect(errors('tcp.port[0] == 0')[0]).toMatchObject({ code: 'bad-operator', op: '[]' });
    expect(errors('lower(tcp.port) == 1')[0]).toMatchObject({ code: 'bad-function', name: 'lower' });
    expect(errors('nosuch(tcp.port) == 1')[0]).toMatchObject({ code: 'bad-function', name: 'nosuch' });
  });

  it('explains a regular expression it cannot translate', () => {
    expect(errors('frame.protocols matches "("')[0]).toMatchObject({ code: 'bad-regex' });
    expect(errors('frame.protocols matches "a++"')[0]).toMatchObject({ code: 'bad-regex' });
  });

  it('reads the layer operator on fields only', () => {
    expect(errors('ip.src#1 == 10.0.0.1')).toEqual([]);
    expect(errors('ip.src#[1-2] == 10.0.0.1')).toEqual([]);
    expect(errors('len(tcp.options)#1 == 1')[0]).toMatchObject({ code: 'bad-operator', op: '#' });
  });

  it('accepts field references, which have no value without a selected packet', () => {
    expect(errors('tcp.srcport == ${tcp.dstport}')).toEqual([]);
    expect(errors('tcp.srcport == ${tcp.dstprt}')[0]).toMatchObject({ code: 'unknown-field' });
  });

  it('warns that ~= is deprecated without rejecting the filter', () => {
    const p = parse('tcp.port ~= 80');
    const r = check('tcp.port ~= 80', p.expr!);
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([{ code: 'deprecated', span: { start: 9, end: 11 }, old: '~=', replacement: '!==' }]);
  });
});
