import { describe, expect, it } from 'vitest';
import { mediaBodyTester } from './media-test-support.js';
import { dissectJfif } from './image-jfif.js';
import { NOT_MINE } from './tables.js';
import { fieldText, hex } from './test-support.js';

// The body is given straight to the dissector, as HTTP does after "HTTP/1.1 200 OK "; the Info
// and Protocol texts are tshark 4.0.17's for the same body over HTTP.
const { run, neverThrows } = mediaBodyTester(dissectJfif);

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
