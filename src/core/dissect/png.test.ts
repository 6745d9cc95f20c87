import { describe, expect, it } from 'vitest';
import { mediaBodyTester } from './media-test-support.js';
import { dissectPng } from './png.js';
import { NOT_MINE } from './tables.js';
import { fieldText, hex } from './test-support.js';

// The body is given straight to the dissector, as HTTP does after "HTTP/1.1 200 OK "; the Info
// and Protocol texts are tshark 4.0.17's for the same body over HTTP.
const { run, neverThrows } = mediaBodyTester(dissectPng);

const PNG = hex('89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000049454e44ae426082');

describe('png', () => {
  it('png: the chunk list and " (PNG)"; NOT_MINE without the signature', () => {
    const { p } = run(PNG, 'image/png');
    expect(p.infoCol).toBe('HTTP/1.1 200 OK  (PNG)');
    expect(fieldText(p, 'png.chunk.type')).toBe('IHDR,IEND');
    expect(run('notpng', 'image/png').result).toBe(NOT_MINE);
  });

  it('never throws on random bodies', () => {
    neverThrows(PNG.subarray(0, 8));
  });
});
