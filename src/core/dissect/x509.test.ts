import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Dissection } from './index.js';
import { fieldText, hex } from './test-support.js';
import { berBounds } from './ber.js';
import { dissectCertificateAt } from './x509.js';
import { mediaTypeTable } from './tables.js';

// A self-signed certificate made with `openssl req -x509 -newkey ec -pkeyopt
// ec_paramgen_curve:P-256 -subj "/CN=example.test/C=NL" -addext
// "subjectAltName=DNS:example.test,DNS:www.example.test" -addext "basicConstraints=critical,CA:TRUE"`.
// Inside a TLS Certificate message tshark 4.0 lists its layers as
// tls:x509sat:x509sat:x509sat:x509sat:pkcs-1:x509ce:x509ce:x509ce:x509ce (issuer, subject, the EC
// parameters, then subjectKeyIdentifier, authorityKeyIdentifier, subjectAltName, basicConstraints).
const CERT = hex(
  '308201c83082016ea003020102021477ff6378a5f950dcdb5e275bbecd0c93f582b8ab300a06082a8648ce3d04030230' +
    '243115301306035504030c0c6578616d706c652e74657374310b3009060355040613024e4c301e170d32363131323431' +
    '36353234375a170d3336313132313136353234375a30243115301306035504030c0c6578616d706c652e74657374310b' +
    '3009060355040613024e4c3059301306072a8648ce3d020106082a8648ce3d03010703420004638ee4f6d9f9c4ba97f7' +
    '7151c274df4bd488775ebe57f960c7979fe244d005e0efd68e7e9051e24b2e146fa12884a23af25241ab5ae82cb850b0' +
    'dcfcd2467ba5a37e307c301d0603551d0e041604142e063c9b515c765e34232ca42ad1e9d88ac4a66e301f0603551d23' +
    '0418301680142e063c9b515c765e34232ca42ad1e9d88ac4a66e30290603551d1104223020820c6578616d706c652e74' +
    '65737482107777772e6578616d706c652e74657374300f0603551d130101ff040530030101ff300a06082a8648ce3d04' +
    '03020348003045022056abd6d5c75800d13d4d6b3d0809d9c6d9f11ba21c2cf5e2e36239d4869cf820022100ebd0d981' +
    '4d9715c2642925dd570b0edb3f13b6b3aaa8b488c14560cb6b0ad166',
);

function dissectCert(bytes: Uint8Array) {
  const d = new Dissection({ full: true });
  const p = d.packet;
  p.begin(bytes);
  berBounds.end = bytes.length;
  berBounds.exceeded = false;
  dissectCertificateAt(p, bytes, 0, bytes.length);
  return p;
}

describe('X.509', () => {
  it('walks a certificate and lists the protocols of its OIDs in the order Wireshark enters them', () => {
    const p = dissectCert(CERT);
    expect(p.protocols()).toBe('x509sat:x509sat:x509sat:x509sat:pkcs-1:x509ce:x509ce:x509ce:x509ce');
    expect(fieldText(p, 'x509ce.dNSName')).toBe('example.test,www.example.test');
    expect(fieldText(p, 'x509sat.CountryName')).toBe('NL,NL');
    expect(fieldText(p, 'x509sat.uTF8String')).toBe('example.test,example.test');
    expect(fieldText(p, 'x509af.version')).toBe('2');
    expect(fieldText(p, 'x509af.extension.id')).toBe('2.5.29.14,2.5.29.35,2.5.29.17,2.5.29.19');
    expect(fieldText(p, 'x509ce.cA')).toBe('1');
    expect(fieldText(p, 'x509af.utcTime')).toBe('2026-11-24 16:52:47 (UTC),2036-11-21 16:52:47 (UTC)');
    expect(fieldText(p, 'pkcs1.namedCurve')).toBe('1.2.840.10045.3.1.7');
  });

  it('adds nothing for RSA NULL parameters (a dissector that takes nothing)', () => {
    // AlgorithmIdentifier sha256WithRSAEncryption with NULL parameters inside a bare SEQUENCE.
    const p = dissectCert(hex('3010 300d06092a864886f70d01010b0500'));
    expect(p.protocols()).toBe('');
  });

  it('registers the X.509 media types for HTTP bodies', () => {
    expect(mediaTypeTable.get('application/pkix-crl')).toBeDefined();
    expect(mediaTypeTable.get('application/ocsp-response')).toBeDefined();
  });

  it('flags a length past the data (Wireshark ends the PDU as malformed there)', () => {
    dissectCert(hex('3006 3084fffffffa 0000'));
    expect(berBounds.exceeded).toBe(true);
  });

  it('never throws on random or mutated DER', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        expect(() => dissectCert(bytes)).not.toThrow();
      }),
    );
    fc.assert(
      fc.property(fc.nat(CERT.length - 1), fc.integer({ min: 0, max: 255 }), fc.nat(CERT.length), (i, b, cut) => {
        const m = CERT.slice(0, Math.max(1, cut));
        if (i < m.length) m[i] = b;
        expect(() => dissectCert(m)).not.toThrow();
      }),
    );
  });
});
