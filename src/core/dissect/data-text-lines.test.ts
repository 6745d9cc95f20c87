import { describe, expect, it } from 'vitest';
import { mediaBodyTester } from './media-test-support.js';
import { dissectTextLines } from './data-text-lines.js';
import { labelText } from './test-support.js';

// The body is given straight to the dissector, as HTTP does after "HTTP/1.1 200 OK "; the Info
// and Protocol texts are tshark 4.0.17's for the same body over HTTP.
const { run, neverThrows } = mediaBodyTester(dissectTextLines);

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
