import { describe, expect, it } from 'vitest';
import { mediaBodyTester } from './media-test-support.js';
import { dissectMedia } from './media.js';
import { labelText } from './test-support.js';

// The body is given straight to the dissector, as HTTP does after "HTTP/1.1 200 OK "; the Info
// and Protocol texts are tshark 4.0.17's for the same body over HTTP.
const { run, neverThrows } = mediaBodyTester(dissectMedia);

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
