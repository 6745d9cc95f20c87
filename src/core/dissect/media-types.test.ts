import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Dissection } from './index.js';
import type { Packet } from './packet.js';
import { NOT_MINE, type Dissector } from './tables.js';
import { dissectMedia, mediaMatch } from './media.js';
import { dissectTextLines } from './data-text-lines.js';
import { dissectXml } from './xml.js';
import { dissectPng } from './png.js';
import { dissectGif } from './image-gif.js';
import { dissectJfif } from './image-jfif.js';
import { dissectUrlencodedForm } from './urlencoded-form.js';
import { fieldText, hex, labelText } from './test-support.js';

// Bodies given straight to each media-type dissector, as HTTP does after "HTTP/1.1 200 OK ";
// the Info and Protocol texts are tshark 4.0.17's for the same bodies over HTTP.
const d = new Dissection({ full: true });

function run(dissector: Dissector, body: string | Uint8Array, type: string): { p: Packet; result: number | void } {
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  const p = d.packet;
  p.begin(bytes);
  p.setProtocol('HTTP');
  p.setInfo('HTTP/1.1 200 OK ');
  mediaMatch.type = type;
  try {
    return { p, result: dissector(p, bytes, 0, bytes.length) };
  } finally {
    mediaMatch.type = '';
  }
}

const GIF = hex('47494638396101000100800000ffffff00000021f90401000000002c00000000010001000002024401003b');
const PNG = hex('89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000049454e44ae426082');
const JPEG = hex('ffd8ffe000104a46494600010100000100010000ffd9');

describe('media-type dissectors', () => {
  it('data-text-lines: Info gets the media type, the tree one item per line', () => {
    const { p } = run(dissectTextLines, 'a\r\nb\nc', 'text/html');
    expect(p.protocols()).toBe('data-text-lines');
    expect(p.infoCol).toBe('HTTP/1.1 200 OK  (text/html)');
    expect(labelText(p, 'data-text-lines')).toBe('Line-based text data: text/html (3 lines)');
  });

  it('data-text-lines: a long body starting with an XML declaration is XML', () => {
    const { p } = run(dissectTextLines, '<?xml version="1.0" encoding="UTF-8"?><a/>', 'text/plain');
    expect(p.protocols()).toBe('data-text-lines:xml');
    expect(p.protocolCol).toBe('HTTP/XML');
    expect(p.infoCol).toBe('HTTP/1.1 200 OK ');
  });

  it('xml: Protocol gets /XML and the tree the tags', () => {
    const { p } = run(dissectXml, '<a><b x="1">t</b></a>', 'text/xml');
    expect(p.protocolCol).toBe('HTTP/XML');
    expect(fieldText(p, 'xml.tag')).toBe('<a>,<b x="1">,</b>,</a>');
  });

  it('png: the chunk list and " (PNG)"; NOT_MINE without the signature', () => {
    const { p } = run(dissectPng, PNG, 'image/png');
    expect(p.infoCol).toBe('HTTP/1.1 200 OK  (PNG)');
    expect(fieldText(p, 'png.chunk.type')).toBe('IHDR,IEND');
    expect(run(dissectPng, 'notpng', 'image/png').result).toBe(NOT_MINE);
  });

  it('image-gif: the version in Info; NOT_MINE for fewer than 20 bytes', () => {
    const { p } = run(dissectGif, GIF, 'image/gif');
    expect(p.infoCol).toBe('HTTP/1.1 200 OK  (GIF89a)');
    expect(fieldText(p, 'image-gif.screen.width')).toBe('1');
    expect(run(dissectGif, GIF.subarray(0, 14), 'image/gif').result).toBe(NOT_MINE);
  });

  it('image-jfif: " (JPEG JFIF image)" and the APP0 identifier; NOT_MINE without SOI', () => {
    const { p } = run(dissectJfif, JPEG, 'image/jpeg');
    expect(p.infoCol).toBe('HTTP/1.1 200 OK  (JPEG JFIF image)');
    expect(fieldText(p, 'image-jfif.identifier')).toBe('JFIF');
    expect(run(dissectJfif, 'notjpeg', 'image/jpeg').result).toBe(NOT_MINE);
  });

  it('urlencoded-form: keys and values, percent and plus decoded', () => {
    const { p } = run(dissectUrlencodedForm, 'q=a%2Bb+c&x', 'application/x-www-form-urlencoded');
    expect(p.infoCol).toBe('HTTP/1.1 200 OK  (application/x-www-form-urlencoded)');
    expect(fieldText(p, 'urlencoded-form.key')).toBe('q,x');
    expect(fieldText(p, 'urlencoded-form.value')).toBe('a+b c');
  });

  it('media: the type in Info and the bytes with their count', () => {
    const { p } = run(dissectMedia, 'zzz', 'application/foo');
    expect(p.protocols()).toBe('media');
    expect(p.infoCol).toBe('HTTP/1.1 200 OK  (application/foo)');
    expect(labelText(p, 'media.type')).toBe('Media type: application/foo (3 bytes)');
  });

  it('never throw on random bodies', () => {
    const all: Dissector[] = [
      dissectTextLines,
      dissectXml,
      dissectPng,
      dissectGif,
      dissectJfif,
      dissectUrlencodedForm,
      dissectMedia,
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...all),
        fc.constantFrom(new Uint8Array(0), GIF.subarray(0, 6), PNG.subarray(0, 8), JPEG.subarray(0, 4)),
        fc.uint8Array({ maxLength: 200 }),
        (dissector, prefix, tail) => {
          const body = new Uint8Array([...prefix, ...tail]);
          expect(() => run(dissector, body, 'x/y')).not.toThrow();
        },
      ),
    );
  });
});
