import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Dissection } from './index.js';
import type { Packet } from './packet.js';
import { readCaptureBytes } from '../capture/reader.js';
import { fieldText, hex, labelText } from './test-support.js';
import { dissectTls, startTls, tlsTakesOver } from './tls.js';
import { NOT_MINE, tcpHeuristics } from './tables.js';

// Real TLS captures dissected in two passes as tshark -2 does; the expected columns come from the
// stored tshark 4.0 outputs (oracle/expected), the field values from `tshark -V` on the same frames.
const CAPTURES = new URL('../../../../shared/captures/', import.meta.url).pathname;
const EXPECTED = new URL('../../../../shared/oracle/expected/', import.meta.url).pathname;

interface Row {
  protocol: string;
  info: string;
  protocols: string;
  fields: Record<string, string>;
}

function dissectCapture(name: string, fields: string[]): Map<number, Row> {
  const bytes = new Uint8Array(readFileSync(CAPTURES + name));
  const first = new Dissection({ full: false });
  readCaptureBytes(bytes, (frame) => {
    first.dissect(frame);
  });
  const second = new Dissection({ full: true });
  second.session.firstPass = first.session;
  const rows = new Map<number, Row>();
  readCaptureBytes(bytes, (frame) => {
    const p = second.dissect(frame);
    const values: Record<string, string> = {};
    for (const f of fields) values[f] = fieldText(p, f);
    rows.set(p.meta.number, { protocol: p.protocolCol, info: p.infoCol, protocols: p.protocols(), fields: values });
  });
  return rows;
}

/** tshark's Protocol, Info and frame.protocols of the frames whose protocols mention TLS. */
function expectedTlsRows(name: string): Map<number, Omit<Row, 'fields'>> {
  const lines = readFileSync(EXPECTED + name + '.tsv', 'utf8').split('\n');
  const header = lines[0].split('\t');
  const col = (n: string): number => header.indexOf(n);
  const out = new Map<number, Omit<Row, 'fields'>>();
  for (const line of lines.slice(1)) {
    const c = line.split('\t');
    if (!/tls|x509|ocsp/.test(c[col('frame.protocols')] ?? '')) continue;
    out.set(Number(c[col('frame.number')]), {
      protocol: c[col('_ws.col.Protocol')],
      info: c[col('_ws.col.Info')],
      protocols: c[col('frame.protocols')],
    });
  }
  return out;
}

describe('TLS in the shared captures', () => {
  for (const name of ['pcapplusplus__tls.pcap', 'zeek__tls1_1.pcap', 'suricata__tls_DER-incomplete-content.pcap']) {
    it(`gives every TLS frame of ${name} tshark's Protocol, Info and frame.protocols`, () => {
      const rows = dissectCapture(name, []);
      const expected = expectedTlsRows(name);
      expect(expected.size).toBeGreaterThan(0);
      for (const [n, e] of expected) {
        const r = rows.get(n)!;
        expect({ frame: n, protocol: r.protocol, info: r.info, protocols: r.protocols }).toEqual({ frame: n, ...e });
      }
    });
  }

  const tls = dissectCapture('pcapplusplus__tls.pcap', [
    'tls.record.content_type',
    'tls.record.opaque_type',
    'tls.handshake.type',
    'tls.handshake.version',
    'tls.handshake.extensions_server_name',
    'tls.handshake.extensions_alpn_str',
    'tls.handshake.extensions.supported_version',
    'tls.handshake.extensions_key_share_group',
    'tls.handshake.ciphersuite',
    'x509ce.dNSName',
    'x509sat.CountryName',
    'pkcs1.namedCurve',
    'tls.app_data_proto',
  ]);

  it("names Application Data by the Server Hello's ALPN choice, else by the port", () => {
    expect(tls.get(18)!.fields['tls.app_data_proto']).toBe('SPDY');
    expect(tls.get(33)!.fields['tls.app_data_proto']).toBe('Hypertext Transfer Protocol');
  });

  it('reads a Client Hello: version, SNI, ALPN, supported versions and key shares (TLS 1.3)', () => {
    const f = tls.get(29)!.fields;
    expect(f['tls.handshake.type']).toBe('1');
    expect(f['tls.handshake.version']).toBe('0x0303');
    expect(f['tls.handshake.extensions_server_name']).toBe('www.gstatic.com');
    expect(f['tls.handshake.extensions_alpn_str']).toBe('h2,http/1.1');
    expect(f['tls.handshake.extensions.supported_version']).toContain('0x0304');
    expect(f['tls.handshake.extensions_key_share_group']).toBe('29,23');
  });

  it('takes TLS 1.3 from the Server Hello supported_versions and hides the outer type of its records', () => {
    expect(tls.get(31)).toMatchObject({ protocol: 'TLSv1.3', info: 'Server Hello, Change Cipher Spec' });
    expect(tls.get(31)!.fields['tls.handshake.ciphersuite']).toBe('0x1301');
    expect(tls.get(33)!.fields).toMatchObject({ 'tls.record.content_type': '', 'tls.record.opaque_type': '23' });
  });

  it('hands each certificate to X.509: names, subjectAltName and an EC key in pkcs-1', () => {
    const f = tls.get(15)!.fields;
    expect(f['x509ce.dNSName'].split(',')).toContain('*.google.com');
    expect(f['x509sat.CountryName'].split(',')[0]).toBe('US');
    expect(f['pkcs1.namedCurve']).toBe('1.2.840.10045.3.1.7');
  });
});

describe('TLS on hand-built records', () => {
  let d = new Dissection({ full: true });

  /** Runs dissectTls on `bytes` as the payload of a TCP segment 10.0.0.1:40000 -> 10.0.0.2:443. */
  function run(bytes: Uint8Array, reported = bytes.length, frame = 1): Packet {
    // A fresh session each time: the connection's TLS state must not leak between cases.
    d = new Dissection({ full: true });
    const p = d.packet;
    p.begin(bytes);
    p.meta.number = frame;
    p.netType = 4;
    p.netSrc4 = 0x0a000001;
    p.netDst4 = 0x0a000002;
    p.srcPort = 40000;
    p.dstPort = 443;
    p.addLayer('tcp');
    dissectTls(p, bytes, 0, reported);
    return p;
  }

  it('shows a clear alert with its level and description', () => {
    const p = run(hex('15 0303 0002 02 28'));
    expect(p.infoCol).toBe('Alert (Level: Fatal, Description: Handshake Failure)');
    expect(fieldText(p, 'tls.alert_message.desc')).toBe('40');
  });

  it('calls a longer alert record encrypted', () => {
    const p = run(hex('15 0303 001a' + '11'.repeat(26)));
    expect(p.infoCol).toBe('Encrypted Alert');
  });

  it('calls a handshake record that starts with an 8-byte zero nonce an encrypted handshake message', () => {
    const p = run(hex('16 0303 0028' + '00'.repeat(8) + 'ab'.repeat(32)));
    expect(p.infoCol).toBe('Encrypted Handshake Message');
    expect(fieldText(p, 'tls.handshake.type')).toBe('');
  });

  it('reassembles a handshake message split over two records, with the fragment in Info first', () => {
    // A Server Hello Done-like message of type 14 with 4 body bytes, split 6 + 2.
    const p = run(hex('16 0303 0006 0e 000004 0102' + '16 0303 0002 0304'));
    expect(p.infoCol).toBe('[Server Hello Done Fragment], Server Hello Done');
    expect(p.sources.map((s) => s.name)).toContain('Reassembled TLS Handshake');
  });

  it('leaves data starting with four printable characters to other dissectors', () => {
    const p = d.packet;
    const bytes = new TextEncoder().encode('GET / HTTP/1.1\r\n');
    p.begin(bytes);
    expect(dissectTls(p, bytes, 0, bytes.length)).toBe(NOT_MINE);
    expect(p.layerCount).toBe(0);
  });

  it('shows an SSLv2-compatible Client Hello', () => {
    const body = '01 0301 0003 0000 0020 000035' + '11'.repeat(32);
    const len = hex(body).length;
    const p = run(hex(`80${len.toString(16).padStart(2, '0')}` + body), undefined, 5);
    expect(p.protocolCol).toBe('SSLv2');
    expect(p.infoCol).toBe('Client Hello');
  });

  it('switches a connection to TLS after a STARTTLS frame', () => {
    const p = run(hex('17 0303 0003 010203'), undefined, 7);
    startTls(p);
    expect(tlsTakesOver(p)).toBe(false);
    expect(dissectTls(p, hex('17 0303 0001 01'), 0, 6)).toBe(NOT_MINE);
    p.meta.number = 8;
    expect(tlsTakesOver(p)).toBe(true);
  });

  it('shows the version a Server Hello settles in the Protocol column, even in its first pass', () => {
    // Server Hello in a TLS 1.0 record choosing TLS 1.1 (tshark -r, one pass: "TLSv1.1").
    const hello = '02 000026 0302' + '00'.repeat(32) + '00 002f 00';
    const p = run(hex('16 0301 002a' + hello), undefined, 1);
    expect(p.protocolCol).toBe('TLSv1.1');
    expect(p.infoCol).toBe('Server Hello');
  });

  it('keeps a connection the heuristic found on TLS, even for records the heuristic refuses', () => {
    const d2 = new Dissection({ full: false });
    const frames = [
      hex('16 0303 0004 0e 000000'), // a handshake record: the heuristic takes it
      hex('14 0303 0001 01'), // Change Cipher Spec: refused by the heuristic alone
    ];
    const infos = frames.map((payload, n) => {
      const p = d2.packet;
      p.begin(payload);
      p.meta.number = n + 1;
      p.netType = 4;
      p.netSrc4 = 0x0a000001;
      p.netDst4 = 0x0a000002;
      p.srcPort = 40000;
      p.dstPort = 8444;
      return tcpHeuristics.try(p, payload, 0, payload.length) ? p.infoCol : 'not TLS';
    });
    expect(infos).toEqual(['Server Hello Done', 'Change Cipher Spec']);
  });

  it('labels the record and message as Wireshark does', () => {
    const p = run(hex('16 0303 0004 0e 000000'));
    expect(p.infoCol).toBe('Server Hello Done');
    expect(labelText(p, 'tls.handshake')).toBe('Handshake Protocol: Server Hello Done');
  });

  it('never throws on random records, cut anywhere', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(0x14, 0x15, 0x16, 0x17, 0x18, 0x80, 0x01),
        fc.uint8Array({ maxLength: 300 }),
        fc.nat(320),
        (type, body, cut) => {
          const rec = new Uint8Array(5 + body.length);
          rec.set([type, 3, 3, body.length >> 8, body.length & 0xff]);
          rec.set(body, 5);
          const data = rec.subarray(0, Math.min(rec.length, cut));
          const p = run(data, rec.length);
          expect(p.experts.some((e) => e.message.startsWith('Dissector error'))).toBe(false);
        },
      ),
    );
  });

  it('never throws on random Client Hello and Certificate bodies', () => {
    fc.assert(
      fc.property(fc.constantFrom(1, 2, 11, 12, 13, 16, 22, 4), fc.uint8Array({ maxLength: 400 }), (type, body) => {
        const msg = new Uint8Array(4 + body.length);
        msg.set([type, 0, body.length >> 8, body.length & 0xff]);
        msg.set(body, 4);
        const rec = new Uint8Array(5 + msg.length);
        rec.set([0x16, 3, 3, msg.length >> 8, msg.length & 0xff]);
        rec.set(msg, 5);
        expect(() => run(rec, rec.length, 1)).not.toThrow();
      }),
    );
  });
});
