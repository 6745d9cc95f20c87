import { describe, expect, it } from 'vitest';
import { mediaBodyTester } from './media-test-support.js';
import { dissectGif } from './image-gif.js';
import { NOT_MINE } from './tables.js';
import { fieldText, hex } from './test-support.js';

// The body is given straight to the dissector, as HTTP does after "HTTP/1.1 200 OK "; the Info
// and Protocol texts are tshark 4.0.17's for the same body over HTTP.
const { run, neverThrows } = mediaBodyTester(dissectGif);

const GIF = hex('47494638396101000100800000ffffff00000021f90401000000002c00000000010001000002024401003b');

describe('image-gif', () => {
  it('image-gif: the version in Info; NOT_MINE for fewer than 20 bytes', () => {
    const { p } = run(GIF, 'image/gif');
    expect(p.infoCol).toBe('HTTP/1.1 200 OK  (GIF89a)');
    expect(fieldText(p, 'image-gif.screen.width')).toBe('1');
    expect(run(GIF.subarray(0, 14), 'image/gif').result).toBe(NOT_MINE);
  });

  it('never throws on random bodies', () => {
    neverThrows(GIF.subarray(0, 6));
  });
});
