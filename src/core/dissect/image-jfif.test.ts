import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Dissection } from './index.js';
import type { Packet } from './packet.js';
import { mediaMatch } from './media.js';
import { dissectJfif } from './image-jfif.js';
import { NOT_MINE } from './tables.js';
import { fieldText, hex } from './test-support.js';

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
    return { p, result: dissectJfif(p, bytes, 0, bytes.length) };
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

const JPEG = hex('ffd8ffe000104a46494600010100000100010000ffd9');

describe('image-jfif', () => {
  it('image-jfif: " (JPEG JFIF image)" and the APP0 identifier; NOT_MINE without SOI', () => {
    const { p } = run(JPEG, 'image/jpeg');
    expect(p.infoCol).toBe('HTTP/1.1 200 OK  (JPEG JFIF image)');
    expect(fieldText(p, 'image-jfif.identifier')).toBe('JFIF');
    expect(run('notjpeg', 'image/jpeg').result).toBe(NOT_MINE);
  });

  it('never throws on random bodies', () => {
    neverThrows(JPEG.subarray(0, 4));
  });
});
