import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Dissection } from './index.js';
import type { Packet } from './packet.js';
import { dissectMedia, mediaMatch } from './media.js';
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
    return { p, result: dissectMedia(p, bytes, 0, bytes.length) };
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

describe('media', () => {
  it('media: the type in Info and the bytes with their count', () => {
    const { p } = run('zzz', 'application/foo');
    expect(p.protocols()).toBe('media');
    expect(p.infoCol).toBe('HTTP/1.1 200 OK  (application/foo)');
    expect(labelText(p, 'media.type')).toBe('Media type: application/foo (3 bytes)');
  });

  it('never throws on random bodies', () => {
    neverThrows(new Uint8Array(0));
  });
});
