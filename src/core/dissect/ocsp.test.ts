import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Dissection } from './index.js';
import { readCaptureBytes } from '../capture/reader.js';
import { fieldText } from './test-support.js';
import { mediaTypeTable } from './tables.js';
import './ocsp.js';

// OCSP in suricata__tls-subjectaltname.pcap: a response over HTTP (frame 87) and one stapled in
// a TLS CertificateStatus (frame 2971). Expected layers and columns are tshark 4.0's
// (oracle/expected), field values those of `tshark -V` on the same frames.
const CAPTURES = new URL('../../../../shared/captures/', import.meta.url).pathname;

function twoPass(name: string, wanted: number[], fields: string[]) {
  const bytes = new Uint8Array(readFileSync(CAPTURES + name));
  const first = new Dissection({ full: false });
  readCaptureBytes(bytes, (frame) => {
    first.dissect(frame);
  });
  const second = new Dissection({ full: true });
  second.session.firstPass = first.session;
  const out = new Map<number, { protocol: string; info: string; protocols: string; fields: Record<string, string> }>();
  readCaptureBytes(bytes, (frame) => {
    const p = second.dissect(frame);
    if (!wanted.includes(p.meta.number)) return;
    const values: Record<string, string> = {};
    for (const f of fields) values[f] = fieldText(p, f);
    out.set(p.meta.number, { protocol: p.protocolCol, info: p.infoCol, protocols: p.protocols(), fields: values });
  });
  return out;
}

describe('OCSP', () => {
  const frames = twoPass(
    'suricata__tls-subjectaltname.pcap',
    [87, 2971],
    ['ocsp.responseStatus', 'ocsp.responseType.id', 'ocsp.certStatus', 'ocsp.issuerKeyHash', 'x509ce.KeyPurposeId'],
  );

  it('shows a response in an HTTP body with the basic response and its certificate', () => {
    expect(frames.get(87)).toMatchObject({
      protocol: 'OCSP',
      info: 'Response',
      protocols:
        'eth:ethertype:ip:tcp:http:ocsp:ocsp:x509sat:x509sat:x509sat:x509sat:x509sat:x509sat:x509sat:x509ce:x509ce:x509ce:x509ce:x509ce:x509ce:pkix1explicit:ocsp',
    });
    expect(frames.get(87)!.fields).toMatchObject({
      'ocsp.responseStatus': '0',
      'ocsp.responseType.id': '1.3.6.1.5.5.7.48.1.1',
      'ocsp.certStatus': '0',
    });
  });

  it('shows a response a TLS server stapled, the no-check extension of its signer under ocsp', () => {
    expect(frames.get(2971)).toMatchObject({
      protocol: 'TLSv1.2',
      info: 'Certificate Status',
      protocols:
        'eth:ethertype:ip:tcp:tls:ocsp:x509sat:x509sat:x509sat:x509sat:x509ce:x509ce:x509ce:ocsp:x509ce:x509ce:x509ce',
    });
    expect(frames.get(2971)!.fields['x509ce.KeyPurposeId']).toBe('1.3.6.1.5.5.7.3.9');
  });

  it('never throws on random request and response bodies', () => {
    const d = new Dissection({ full: true });
    const request = mediaTypeTable.get('application/ocsp-request')!;
    const response = mediaTypeTable.get('application/ocsp-response')!;
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (body) => {
        const p = d.packet;
        p.begin(body);
        expect(() => request(p, body, 0, body.length)).not.toThrow();
        p.begin(body);
        expect(() => response(p, body, 0, body.length)).not.toThrow();
      }),
    );
  });
});
