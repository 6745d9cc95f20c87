import { describe, expect, it } from 'vitest';
import { mediaBodyTester } from './media-test-support.js';
import { dissectXml } from './xml.js';
import { fieldText } from './test-support.js';

// The body is given straight to the dissector, as HTTP does after "HTTP/1.1 200 OK "; the Info
// and Protocol texts are tshark 4.0.17's for the same body over HTTP.
const { run, neverThrows } = mediaBodyTester(dissectXml);

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
