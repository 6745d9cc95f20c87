import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Dissection } from './index.js';
import type { Packet } from './packet.js';
import { mediaMatch } from './media.js';
import { dissectTextLines } from './data-text-lines.js';
import { labelText } from './test-support.js';

// The body is given straight to the dissector, as HTTP does after "HTTP/1.1 200 OK "; the Info
// and Protocol texts are tshark 4.0.17's for the same body over HTTP.
const d = new Dissection({ full: true });

function run(body: string | Uint8Array, type: string): { p: Packet; result: number | void } {
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  const p = d.packet;
  p.begin(bytes);
  p.setProtocol('HTTP');
  p.setInfo('HTTP/1.1 200 OK ');
  mediaMatch.type = type;
  try {
    return { p, result: dissectTextLines(p, bytes, 0, bytes.length) };
  } finally {
    mediaMatch.type = '';
  }
}

function neverThrows(prefix: Uint8Array): void {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), (tail) => {
      expect(() => run(new Uint8Array([...prefix, ...tail]), 'x/y')).not.toThrow();
    }),
  );
}

describe('data-text-lines', () => {
  it('data-text-lines: Info gets the media type, the tree one item per line', () => {
    const { p } = run('a\r\nb\nc', 'text/html');
    expect(p.protocols()).toBe('data-text-lines');
    expect(p.infoCol).toBe('HTTP/1.1 200 OK  (text/html)');
    expect(labelText(p, 'data-text-lines')).toBe('Line-based text data: text/html (3 lines)');
  });
  it('data-text-lines: a long body starting with an XML declaration is XML', () => {
    const { p } = run('<?xml version="1.0" encoding="UTF-8"?><a/>', 'text/plain');
    expect(p.protocols()).toBe('data-text-lines:xml');
    expect(p.protocolCol).toBe('HTTP/XML');
    expect(p.infoCol).toBe('HTTP/1.1 200 OK ');
  });

  it('never throws on random bodies', () => {
    neverThrows(new Uint8Array(0));
  });
});
