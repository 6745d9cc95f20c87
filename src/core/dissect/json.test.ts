import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Dissection } from './index.js';
import type { Packet } from './packet.js';
import { dissectJson } from './json.js';
import { mediaMatch } from './media.js';
import { fieldText } from './test-support.js';

// The body is given straight to the dissector, as HTTP does after its headers ("HTTP" already
// in the Protocol column and "HTTP/1.1 200 OK " in Info); expected texts are tshark 4.0.17's.
const d = new Dissection({ full: true });

function run(body: string | Uint8Array, type = 'application/json'): Packet {
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  const p = d.packet;
  p.begin(bytes);
  p.setProtocol('HTTP');
  p.setInfo('HTTP/1.1 200 OK ');
  mediaMatch.type = type;
  try {
    dissectJson(p, bytes, 0, bytes.length);
  } finally {
    mediaMatch.type = '';
  }
  return p;
}

describe('JSON', () => {
  it('names itself in Protocol and Info and lists members and values', () => {
    const p = run('{"a": [1, true, null, "x"], "b": {"c": -2.5e1}}');
    expect(p.protocols()).toBe('json');
    expect(p.protocolCol).toBe('HTTP/JSON');
    expect(p.infoCol).toBe('HTTP/1.1 200 OK , JavaScript Object Notation (application/json)');
    expect(fieldText(p, 'json.key')).toBe('a,c,b');
    expect(fieldText(p, 'json.value.number')).toBe('1,-2.5e1');
    expect(fieldText(p, 'json.path_with_value')).toBe('/a/[]:1,/a/[]:true,/a/[]:null,/a/[]:x,/b/c:-2.5e1');
    expect(fieldText(p, 'json.path')).toBe('/a,/b/c,/b');
    expect(fieldText(p, 'json.value.string')).toBe('x');
  });

  it('shows text that is not JSON as lines of text, as Wireshark does', () => {
    const p = run('{"a":');
    expect(p.protocols()).toBe('json:data-text-lines');
    expect(p.infoCol).toBe('HTTP/1.1 200 OK , JavaScript Object Notation (application/json)');
  });

  it('accepts every JSON document and never throws on other bytes', () => {
    fc.assert(
      fc.property(fc.json({ maxDepth: 6 }), (doc) => {
        expect(run(doc).protocols()).toBe('json');
      }),
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        expect(() => run(bytes)).not.toThrow();
      }),
    );
  });

  it('treats nesting past its depth bound as not JSON, without deep recursion', () => {
    const deep = '['.repeat(5000) + ']'.repeat(5000);
    expect(run(deep).protocols()).toBe('json:data-text-lines');
  });
});
