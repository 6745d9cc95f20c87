import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Dissection } from './index.js';
import type { Packet } from './packet.js';
import { LINKTYPE } from './linktypes.js';
import { readCaptureBytes } from '../capture/reader.js';
import { fieldText, hex, labelText } from './test-support.js';
import { conversation as conversationFrames, enc, type Seg } from './tcp-app-test-support.js';

// TCP conversations built here as raw IPv4 frames (10.0.0.1:40000 → 10.0.0.2:80, a handshake
// first). Expected values were checked with tshark 4.0.17 -2 on the same bytes written as pcap.

const ACK = 0x10;
const FIN = 0x01;

const CLIENT = 0x0a000001;

/** The frames of a conversation on `port`: handshake, then the segments in order. */
function conversation(segs: Seg[], port = 80): Uint8Array[] {
  return conversationFrames(port, segs).map((f) => f.data);
}

interface Shown {
  protocols: string;
  protocol: string;
  info: string;
  experts: string[];
  field(abbrev: string): string;
  label(abbrev: string, nth?: number): string;
}

function snapshot(p: Packet): Shown {
  const fields = new Map<string, string>();
  const labels = new Map<string, string>();
  return {
    protocols: p.protocols(),
    protocol: p.protocolCol,
    info: p.infoCol,
    experts: p.experts.map((e) => e.message),
    field: (a) => fields.get(a) ?? (fields.set(a, fieldText(p, a)), fields.get(a) ?? ''),
    label: (a, n = 0) => labels.get(`${a}#${n}`) ?? (labels.set(`${a}#${n}`, labelText(p, a, n)), labelText(p, a, n)),
  };
}

/** Dissects the frames as tshark -2 does (a first pass, then the shown pass); one entry per frame. */
function dissect(frames: Uint8Array[], twoPass = true): Shown[] {
  const feed = (d: Dissection, keep: boolean): Shown[] => {
    const shown: Shown[] = [];
    frames.forEach((data, i) => {
      const p = d.dissect({
        data,
        tsSec: 1000 + i,
        tsNsec: 0,
        capLen: data.length,
        origLen: data.length,
        linkType: LINKTYPE.RAW,
        interfaceId: 0,
      });
      if (keep) {
        // Read the values now: the Packet is reused by the next frame.
        const s = snapshot(p);
        const eager: Record<string, string> = {};
        for (const a of WATCHED) eager[a] = fieldText(p, a);
        const lab: Record<string, string> = {};
        for (const a of LABELLED) lab[a] = labelText(p, a);
        shown.push({ ...s, field: (a) => eager[a] ?? s.field(a), label: (a) => lab[a] ?? '' });
      }
    });
    return shown;
  };
  const shownPass = new Dissection({ full: true });
  if (twoPass) {
    const first = new Dissection({ full: false, columns: false });
    first.session.isFirstPass = true;
    feed(first, false);
    shownPass.session.firstPass = first.session;
  }
  return feed(shownPass, true);
}

const WATCHED = [
  'http.request.method',
  'http.request.uri',
  'http.request.uri.path',
  'http.request.uri.query',
  'http.request.uri.query.parameter',
  'http.request.version',
  'http.request.full_uri',
  'http.host',
  'http.user_agent',
  'http.cookie_pair',
  'http.request.line',
  'http.response.code',
  'http.response.code.desc',
  'http.response.phrase',
  'http.response.version',
  'http.content_type',
  'http.content_length',
  'http.content_length_header',
  'http.response_in',
  'http.request_in',
  'http.time',
  'http.prev_request_in',
  'http.next_request_in',
  'http.response_for.uri',
  'http.request_number',
  'http.response_number',
  'http.chunk_size',
  'http.file_data',
  'http.unknown_header',
  'http.authbasic',
  'json.key',
  'urlencoded-form.key',
  'urlencoded-form.value',
  'image-gif.version',
  'png.chunk.type',
  'tcp.reassembled_in',
];
const LABELLED = ['http.request_number', 'http.response_number', 'http.chunk_size', 'http.file_data', 'http.host'];

const GET = 'GET /a/b?x=1&&y=%20 HTTP/1.1\r\nHost: example.com\r\nUser-Agent: t/1\r\nCookie: a=1; b=2;c\r\n\r\n';
const OK_HTML = 'HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: 11\r\n\r\n<p>hi</p>\r\n';

describe('HTTP request and response', () => {
  it('shows the request line, headers and Info as tshark does', () => {
    const shown = dissect(conversation([{ dir: 'c', data: GET }]));
    const r = shown[3];
    expect(r.protocols).toBe('raw:ip:tcp:http');
    expect(r.protocol).toBe('HTTP');
    expect(r.info).toBe('GET /a/b?x=1&&y=%20 HTTP/1.1 ');
    expect(r.field('http.request.method')).toBe('GET');
    expect(r.field('http.request.uri')).toBe('/a/b?x=1&&y=%20');
    expect(r.field('http.request.uri.path')).toBe('/a/b');
    expect(r.field('http.request.uri.query')).toBe('x=1&&y=%20');
    expect(r.field('http.request.uri.query.parameter')).toBe('x=1,y=%20');
    expect(r.field('http.request.version')).toBe('HTTP/1.1');
    expect(r.field('http.host')).toBe('example.com');
    expect(r.label('http.host')).toBe('Host: example.com\\r\\n');
    expect(r.field('http.user_agent')).toBe('t/1');
    expect(r.field('http.cookie_pair')).toBe('a=1,b=2,c');
    expect(r.field('http.request.full_uri')).toBe('http://example.com/a/b?x=1&&y=%20');
    // Each header line also as a hidden http.request.line, with its line end.
    expect(r.field('http.request.line').split(',')[0]).toBe('Host: example.com\\r\\n');
    expect(r.experts).toContain('GET /a/b?x=1&&y=%20 HTTP/1.1\\r\\n');
  });

  it('shows the status line and hands a text/html body to data-text-lines', () => {
    const shown = dissect(
      conversation([
        { dir: 'c', data: GET },
        { dir: 's', data: OK_HTML },
      ]),
    );
    const r = shown[4];
    expect(r.protocols).toBe('raw:ip:tcp:http:data-text-lines');
    expect(r.info).toBe('HTTP/1.1 200 OK  (text/html)');
    expect(r.field('http.response.version')).toBe('HTTP/1.1');
    expect(r.field('http.response.code')).toBe('200');
    expect(r.field('http.response.code.desc')).toBe('OK');
    expect(r.field('http.response.phrase')).toBe('OK');
    expect(r.field('http.content_type')).toBe('text/html; charset=utf-8');
    expect(r.field('http.content_length_header')).toBe('11');
    expect(r.field('http.content_length')).toBe('11');
    expect(r.label('http.file_data')).toBe('File Data: 11 bytes');
  });

  it('links requests and responses in order per stream, forward links only with a first pass', () => {
    const segs: Seg[] = [
      { dir: 'c', data: GET },
      { dir: 's', data: OK_HTML },
      { dir: 'c', data: 'GET /2 HTTP/1.1\r\nHost: example.com\r\n\r\n' },
      { dir: 's', data: 'HTTP/1.1 304 Not Modified\r\n\r\n' },
    ];
    const two = dissect(conversation(segs));
    expect(two[3].field('http.response_in')).toBe('5');
    expect(two[3].field('http.next_request_in')).toBe('6');
    expect(two[3].label('http.request_number')).toBe('[HTTP request 1/2]');
    expect(two[4].field('http.request_in')).toBe('4');
    expect(two[4].field('http.time')).toBe('1.000000000');
    expect(two[4].field('http.response_for.uri')).toBe('http://example.com/a/b?x=1&&y=%20');
    expect(two[6].field('http.prev_request_in')).toBe('4');
    expect(two[6].field('http.request_in')).toBe('6');
    expect(two[6].info).toBe('HTTP/1.1 304 Not Modified ');
    expect(two[6].label('http.response_number')).toBe('[HTTP response 2/2]');
    const one = dissect(conversation(segs), false);
    expect(one[3].field('http.response_in')).toBe('');
    expect(one[4].field('http.request_in')).toBe('4');
    expect(one[3].label('http.request_number')).toBe('[HTTP request 1/1]');
  });

  it('dissects pipelined messages of one segment, fencing Info after the first', () => {
    const shown = dissect(
      conversation([{ dir: 'c', data: 'GET /1 HTTP/1.1\r\nHost: h\r\n\r\nGET /2 HTTP/1.1\r\nHost: h\r\n\r\n' }]),
    );
    expect(shown[3].info).toBe('GET /1 HTTP/1.1 GET /2 HTTP/1.1 ');
    expect(shown[3].field('http.request.uri')).toBe('/1,/2');
    expect(shown[3].protocols).toBe('raw:ip:tcp:http');
  });

  it('reports headers with characters outside a token, and keeps unknown headers as request lines', () => {
    const shown = dissect(conversation([{ dir: 'c', data: 'GET / HTTP/1.1\r\nBad Name: q\r\nX-Y: z\r\n\r\n' }]));
    expect(shown[3].experts).toContain('Illegal characters found in header name');
    expect(shown[3].field('http.request.line')).toBe('Bad Name: q\\r\\n,X-Y: z\\r\\n');
  });

  it('decodes Basic credentials', () => {
    const shown = dissect(
      conversation([{ dir: 'c', data: 'GET / HTTP/1.1\r\nAuthorization: Basic dXNlcjpwYXNz\r\n\r\n' }]),
    );
    expect(shown[3].field('http.authbasic')).toBe('user:pass');
  });
});

describe('HTTP bodies', () => {
  it('reassembles a chunked body over segments and de-chunks it for the media dissector', () => {
    const body =
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n';
    const segs: Seg[] = [{ dir: 'c', data: 'GET / HTTP/1.1\r\nHost: x\r\n\r\n' }];
    for (let i = 0; i < body.length; i += 20) segs.push({ dir: 's', data: body.slice(i, i + 20) });
    const shown = dissect(conversation(segs));
    const last = shown[shown.length - 1];
    expect(shown[4].info).toContain('[TCP segment of a reassembled PDU]');
    expect(shown[4].field('tcp.reassembled_in')).toBe(String(shown.length));
    expect(last.protocols).toBe('raw:ip:tcp:http:data-text-lines');
    expect(last.info).toBe('HTTP/1.1 200 OK  (text/plain)');
    expect(last.field('http.chunk_size')).toBe('5,6,0');
    expect(last.label('http.chunk_size')).toBe('Chunk size: 5 octets');
    expect(last.field('http.file_data')).toBe('hello world');
    expect(last.field('http.request_in')).toBe('4');
  });

  it('waits for Content-Length bytes and shows JSON as HTTP/JSON', () => {
    const b =
      'HTTP/1.1 200 OK\r\nContent-Length: 30\r\nContent-Type: application/json\r\n\r\n{"a":"' + 'x'.repeat(22) + '"}';
    const segs: Seg[] = [{ dir: 'c', data: 'GET / HTTP/1.1\r\nHost: x\r\n\r\n' }];
    for (let i = 0; i < b.length; i += 25) segs.push({ dir: 's', data: b.slice(i, i + 25) });
    const shown = dissect(conversation(segs));
    const last = shown[shown.length - 1];
    expect(last.protocols).toBe('raw:ip:tcp:http:json');
    expect(last.protocol).toBe('HTTP/JSON');
    expect(last.info).toBe('HTTP/1.1 200 OK , JavaScript Object Notation (application/json)');
    expect(last.field('json.key')).toBe('a');
  });

  it('takes a response without length until the FIN', () => {
    const shown = dissect(
      conversation([
        { dir: 'c', data: 'GET / HTTP/1.0\r\n\r\n' },
        { dir: 's', data: 'HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n<html>' },
        { dir: 's', data: 'more</html>' },
        { dir: 's', data: '', flags: FIN | ACK },
      ]),
    );
    expect(shown[4].protocols).toBe('raw:ip:tcp');
    expect(shown[6].protocols).toBe('raw:ip:tcp:http:data-text-lines');
    expect(shown[6].field('http.file_data')).toBe('<html>more</html>');
  });

  it('inflates a gzip Content-Encoding body before its media dissector', () => {
    const gz = hex('1f8b0800000000000203ab56ca2fca4ccfcc53b252503234d0034143a55a003701a6a216000000');
    const head = enc(
      `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: ${gz.length}\r\n\r\n`,
    );
    const msg = new Uint8Array(head.length + gz.length);
    msg.set(head);
    msg.set(gz, head.length);
    const shown = dissect(
      conversation([
        { dir: 'c', data: 'GET / HTTP/1.1\r\n\r\n' },
        { dir: 's', data: msg },
      ]),
    );
    expect(shown[4].protocols).toBe('raw:ip:tcp:http:json');
    expect(shown[4].field('http.file_data')).toBe('{"origin": "10.0.0.1"}');
  });

  it('shows a body that fails to inflate as data with an expert note', () => {
    const shown = dissect(
      conversation([
        { dir: 'c', data: 'GET / HTTP/1.1\r\n\r\n' },
        { dir: 's', data: 'HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 4\r\n\r\nnope' },
      ]),
    );
    expect(shown[4].protocols).toBe('raw:ip:tcp:http:data');
    expect(shown[4].experts).toContain('Decompression failed');
  });

  it('hands each media type to its dissector as tshark 4.0 does', () => {
    const gif = hex('47494638396101000100800000ffffff00000021f90401000000002c00000000010001000002024401003b');
    const png = hex('89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de');
    const cases: [string | undefined, Uint8Array | string, string, string][] = [
      ['application/octet-stream', '\x01\x02abc', 'http:data', 'HTTP/1.1 200 OK '],
      ['text/xml', '<a><b x="1">t</b></a>', 'http:xml', 'HTTP/1.1 200 OK '],
      [
        'image/jpeg',
        hex('ffd8ffe000104a46494600010100000100010000ffd9'),
        'http:image-jfif',
        'HTTP/1.1 200 OK  (JPEG JFIF image)',
      ],
      ['image/png', png, 'http:png', 'HTTP/1.1 200 OK  (PNG)'],
      ['image/gif', gif, 'http:image-gif', 'HTTP/1.1 200 OK  (GIF89a)'],
      ['image/gif', 'GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'http:media', 'HTTP/1.1 200 OK  (image/gif)'],
      [
        'application/x-www-form-urlencoded',
        'a=1&b=2',
        'http:urlencoded-form',
        'HTTP/1.1 200 OK  (application/x-www-form-urlencoded)',
      ],
      ['application/foo', 'zzz', 'http:media', 'HTTP/1.1 200 OK  (application/foo)'],
      ['text/plain', '<?xml version="1.0" encoding="UTF-8"?><a/>', 'http:data-text-lines:xml', 'HTTP/1.1 200 OK '],
      ['application/vnd.api+json', '{}', 'http:media', 'HTTP/1.1 200 OK  (application/vnd.api+json)'],
      ['TEXT/HTML; charset=utf-8', 'hi', 'http:data-text-lines', 'HTTP/1.1 200 OK  (text/html)'],
      ['text/html', '', 'http', 'HTTP/1.1 200 OK '],
      ['image/jpeg', 'notjpeg', 'http:media', 'HTTP/1.1 200 OK  (image/jpeg)'],
      [
        'application/json',
        '{"a":',
        'http:json:data-text-lines',
        'HTTP/1.1 200 OK , JavaScript Object Notation (application/json)',
      ],
      [undefined, gif, 'http:image-gif', 'HTTP/1.1 200 OK  (GIF89a)'],
      [undefined, 'plain text', 'http:data', 'HTTP/1.1 200 OK '],
    ];
    for (const [type, body, protocols, info] of cases) {
      const b = typeof body === 'string' ? enc(body) : body;
      const head = enc(
        `HTTP/1.1 200 OK\r\n${type ? `Content-Type: ${type}\r\n` : ''}Content-Length: ${b.length}\r\n\r\n`,
      );
      const msg = new Uint8Array(head.length + b.length);
      msg.set(head);
      msg.set(b, head.length);
      const shown = dissect(
        conversation([
          { dir: 'c', data: 'GET / HTTP/1.1\r\n\r\n' },
          { dir: 's', data: msg },
        ]),
      );
      expect([type, shown[4].protocols, shown[4].info]).toEqual([type, `raw:ip:tcp:${protocols}`, info]);
    }
  });

  it('reads form keys and values, percent-decoded', () => {
    const shown = dissect(
      conversation([
        {
          dir: 'c',
          data: 'POST /p HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 15\r\n\r\na=1&b=x%20y+z&c',
        },
      ]),
    );
    expect(shown[3].info).toBe('POST /p HTTP/1.1  (application/x-www-form-urlencoded)');
    expect(shown[3].field('urlencoded-form.key')).toBe('a,b,c');
    expect(shown[3].field('urlencoded-form.value')).toBe('1,x y z');
  });
});

describe('HTTP on a conversation that is not (yet) HTTP', () => {
  it('shows nothing for data on port 80 that does not look like HTTP', () => {
    const shown = dissect(
      conversation([
        { dir: 's', data: 'hello world\r\nfoo' },
        { dir: 's', data: '\x9fbin' },
      ]),
      false,
    );
    expect(shown[3].protocols).toBe('raw:ip:tcp');
    expect(shown[3].protocol).toBe('TCP');
    expect(shown[4].protocols).toBe('raw:ip:tcp');
  });

  it('shows header-like lines as HTTP without a Protocol column, the rest as data', () => {
    const shown = dissect(conversation([{ dir: 's', data: 'foo: bar\r\n\r\nbody' }]));
    expect(shown[3].protocols).toBe('raw:ip:tcp:http:data');
    expect(shown[3].protocol).toBe('TCP');
    expect(shown[3].field('http.unknown_header')).toBe('foo: bar\\r\\n');
  });

  it('calls binary data after a request Continuation (with -2 also before it, as tshark)', () => {
    const segs: Seg[] = [
      { dir: 's', data: '\x9fhello' },
      { dir: 'c', data: 'GET / HTTP/1.1\r\nHost: h\r\n\r\n' },
      { dir: 's', data: '\x9fbin' },
    ];
    const two = dissect(conversation(segs));
    expect(two[3].info).toBe('Continuation');
    expect(two[5].info).toBe('Continuation');
    expect(two[5].protocols).toBe('raw:ip:tcp:http:data');
    const one = dissect(conversation(segs), false);
    expect(one[3].protocols).toBe('raw:ip:tcp');
    expect(one[5].info).toBe('Continuation');
  });

  it('finds HTTP on another port by the heuristic, and keeps the conversation HTTP', () => {
    const shown = dissect(
      conversation(
        [
          { dir: 'c', data: 'GET / HTTP/1.1\r\nHost: h\r\n\r\n' },
          { dir: 's', data: 'HTTP/1.1 204 No Content\r\n\r\n' },
        ],
        4321,
      ),
    );
    expect(shown[3].protocols).toBe('raw:ip:tcp:http');
    expect(shown[4].info).toBe('HTTP/1.1 204 No Content ');
    expect(shown[4].field('http.request_in')).toBe('4');
  });
});

describe('SSDP', () => {
  it('shows HTTP messages on UDP port 1900 as SSDP', () => {
    const msg = enc('M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMX: 1\r\n\r\n');
    const f = new Uint8Array(28 + msg.length);
    const v = new DataView(f.buffer);
    v.setUint8(0, 0x45);
    v.setUint16(2, f.length);
    v.setUint8(8, 1);
    v.setUint8(9, 17);
    v.setUint32(12, CLIENT);
    v.setUint32(16, 0xeffffffa);
    v.setUint16(20, 50000);
    v.setUint16(22, 1900);
    v.setUint16(24, 8 + msg.length);
    f.set(msg, 28);
    const d = new Dissection({ full: true });
    const p = d.dissect({
      data: f,
      tsSec: 0,
      tsNsec: 0,
      capLen: f.length,
      origLen: f.length,
      linkType: LINKTYPE.RAW,
      interfaceId: 0,
    });
    expect(p.protocols()).toBe('raw:ip:udp:ssdp');
    expect(p.protocolCol).toBe('SSDP');
    expect(p.infoCol).toBe('M-SEARCH * HTTP/1.1 ');
    expect(fieldText(p, 'http.request.method')).toBe('M-SEARCH');
    expect(fieldText(p, 'http.host')).toBe('239.255.255.250:1900');
    expect(fieldText(p, 'http.request.line')).toBe('HOST: 239.255.255.250:1900\\r\\n,MX: 1\\r\\n');
  });

  it('leaves a binary datagram on port 1900 as plain UDP', () => {
    const f = new Uint8Array(28 + 4);
    const v = new DataView(f.buffer);
    v.setUint8(0, 0x45);
    v.setUint16(2, f.length);
    v.setUint8(9, 17);
    v.setUint16(20, 50000);
    v.setUint16(22, 1900);
    v.setUint16(24, 12);
    f.set([1, 2, 3, 4], 28);
    const d = new Dissection({ full: true });
    const p = d.dissect({
      data: f,
      tsSec: 0,
      tsNsec: 0,
      capLen: f.length,
      origLen: f.length,
      linkType: LINKTYPE.RAW,
      interfaceId: 0,
    });
    expect(p.protocols()).toBe('raw:ip:udp');
    expect(p.protocolCol).toBe('UDP');
  });
});

describe('HTTP on hostile input', () => {
  const prefixes = [
    'GET / HTTP/1.1\r\n',
    'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n',
    'HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n',
    'HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 20\r\n\r\n\x1f\x8b\x08\x00',
    'POST / HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 30\r\n\r\n',
  ];

  it('never throws on random bytes after a message start, in one or two passes', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...prefixes),
        fc.uint8Array({ maxLength: 300 }),
        fc.array(fc.integer({ min: 1, max: 64 }), { maxLength: 6 }),
        fc.boolean(),
        (prefix, tail, cuts, twoPass) => {
          const all = new Uint8Array(prefix.length + tail.length);
          all.set(enc(prefix));
          all.set(tail, prefix.length);
          const segs: Seg[] = [];
          let at = 0;
          for (const c of cuts) {
            if (at >= all.length) break;
            segs.push({ dir: 's', data: all.subarray(at, at + c) });
            at += c;
          }
          if (at < all.length) segs.push({ dir: 's', data: all.subarray(at) });
          const shown = dissect(conversation(segs), twoPass);
          for (const s of shown) expect(s.experts.some((e) => e.startsWith('Dissector error'))).toBe(false);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('bounds the work on a long run of tiny chunks and many headers', () => {
    const chunks = '1\r\na\r\n'.repeat(5000);
    const headers = 'X: y\r\n'.repeat(5000);
    const start = performance.now();
    const shown = dissect(
      conversation([
        { dir: 's', data: `HTTP/1.1 200 OK\r\n${headers}Transfer-Encoding: chunked\r\n\r\n${chunks}0\r\n\r\n` },
      ]),
      false,
    );
    expect(performance.now() - start).toBeLessThan(5000);
    expect(shown[3].protocols).toBe('raw:ip:tcp:http:data');
    expect(shown[3].field('http.file_data').length).toBe(5000);
  });

  it('shows a snapshot-cut message as truncated', () => {
    const frames = conversation([{ dir: 's', data: 'HTTP/1.1 200 OK\r\nDate: Thu, 10 Mar 2011 12:00:00 GMT\r\n\r\n' }]);
    const cut = frames[3].subarray(0, 40 + 31);
    const d = new Dissection({ full: true });
    let p: Packet | undefined;
    for (const [i, f] of [...frames.slice(0, 3), cut].entries())
      p = d.dissect({
        data: f,
        tsSec: i,
        tsNsec: 0,
        capLen: f.length,
        origLen: i === 3 ? frames[3].length : f.length,
        linkType: LINKTYPE.RAW,
        interfaceId: 0,
      });
    expect(p?.infoCol).toBe('HTTP/1.1 200 OK [Packet size limited during capture]');
    expect(p?.protocols()).toBe('raw:ip:tcp:http');
  });
});

describe('HTTP in the shared captures', () => {
  function fields(capture: string, abbrevs: string[]): string[][] {
    const d = new Dissection({ full: true });
    const rows: string[][] = [];
    readCaptureBytes(new Uint8Array(readFileSync('../shared/captures/' + capture)), (frame) => {
      const p = d.dissect(frame);
      rows.push([p.protocols(), p.infoCol, ...abbrevs.map((a) => fieldText(p, a))]);
    });
    return rows;
  }

  it('decompresses the gzip JSON of zeek__get-gzip.pcap', () => {
    const rows = fields('zeek__get-gzip.pcap', ['http.content_length', 'http.request_in']);
    expect(rows[7]).toEqual([
      'eth:ethertype:ip:tcp:http:json',
      'HTTP/1.1 200 OK , JavaScript Object Notation (application/json)',
      '165',
      '4',
    ]);
  });
});
