import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Dissection } from './index.js';
import type { Packet } from './packet.js';
import { mediaMatch } from './media.js';
import { dissectXml } from './xml.js';
import { fieldText } from './test-support.js';

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
    return { p, result: dissectXml(p, bytes, 0, bytes.length) };
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

describe('xml', () => {
  it('xml: Protocol gets /XML and the tree the tags', () => {
    const { p } = run('<a><b x="1">t</b></a>', 'text/xml');
    expect(p.protocolCol).toBe('HTTP/XML');
    expect(fieldText(p, 'xml.tag')).toBe('<a>,<b x="1">,</b>,</a>');
  });

  it('never throws on random bodies', () => {
    neverThrows(new Uint8Array(0));
  });
});
