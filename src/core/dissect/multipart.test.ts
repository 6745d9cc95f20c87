import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Dissection } from './index.js';
import type { Packet } from './packet.js';
import { mediaMatch } from './media.js';
import { dissectMultipart } from './multipart.js';
import { fieldText } from './test-support.js';

// The body is given straight to the dissector, as HTTP does after "POST /up HTTP/1.1 "; the Info
// and frame.protocols texts are tshark 4.0.17's for the same body over HTTP.
const d = new Dissection({ full: true });

function run(body: string | Uint8Array, type: string, parameters: string): Packet {
  const bytes = typeof body === 'string' ? Uint8Array.from(body, (c) => c.charCodeAt(0) & 0xff) : body;
  const p = d.packet;
  p.begin(bytes);
  p.setProtocol('HTTP');
  p.setInfo('POST /up HTTP/1.1 ');
  mediaMatch.type = type;
  mediaMatch.parameters = parameters;
  try {
    dissectMultipart(p, bytes, 0, bytes.length);
  } finally {
    mediaMatch.type = '';
    mediaMatch.parameters = '';
  }
  return p;
}

const FORM =
  '--XyZ\r\nContent-Disposition: form-data; name="a"\r\n\r\nvalue1\r\n--XyZ\r\n' +
  'Content-Disposition: form-data; name="f"; filename="x.txt"\r\nContent-Type: text/plain\r\n\r\nhello\r\n--XyZ--\r\n';

describe('mime_multipart', () => {
  it('hands each part to the dissector of its type, data without one', () => {
    const p = run(FORM, 'multipart/form-data', 'boundary=XyZ');
    expect(p.protocols()).toBe('mime_multipart:data:data-text-lines');
    expect(p.infoCol).toBe('POST /up HTTP/1.1  (text/plain)');
    expect(fieldText(p, 'mime_multipart.type')).toBe('multipart/form-data');
    expect(fieldText(p, 'mime_multipart.header.content-type')).toBe('text/plain');
  });

  it('reads a quoted boundary and skips a preamble', () => {
    const p = run(
      'preamble\r\n--zz\r\nContent-Type: application/json\r\n\r\n{"a":1}\r\n--zz--',
      'multipart/x-weird',
      'boundary="zz"',
    );
    expect(p.protocols()).toBe('mime_multipart:json');
  });

  it('shows the body as data with an error note when there is no boundary', () => {
    const p = run('hello', 'multipart/mixed', '');
    expect(p.protocols()).toBe('mime_multipart:data');
    expect(p.experts.map((e) => e.message)).toContain('The multipart dissector could not find a required parameter.');
  });

  it('never throws on random bodies', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.boolean(), (tail, withDelimiter) => {
        const head = withDelimiter
          ? Uint8Array.from('--b\r\nContent-Type: text/plain\r\n', (c) => c.charCodeAt(0))
          : new Uint8Array(0);
        expect(() => run(new Uint8Array([...head, ...tail]), 'multipart/mixed', 'boundary=b')).not.toThrow();
      }),
    );
  });
});
