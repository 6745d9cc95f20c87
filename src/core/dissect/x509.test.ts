import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Dissection } from './index.js';
import { fieldText, hex, labelText } from './test-support.js';
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

// An RSA certificate with an unregistered extension (1.2.3.4), CT's precertificate poison (a
// NULL under an OID nobody registers), and a subjectAltName with an IP address, an e-mail
// address, a URI and a directory name; made with openssl req -x509 -addext ... (see the test).
const CERT2 = hex(
  '308202e23082024ba003020102021412848a157c3dcc5e68cddb221f03be2662553312300d06092a864886f70d01010b' +
    '0500304d310f300d06035504030c06782e746573743114301206092a864886f70d01090116056140622e633117301506' +
    '0a0992268993f22c64011916076578616d706c65310b3009060355040513023432301e170d3236313132343137323730' +
    '365a170d3236313232343137323730365a304d310f300d06035504030c06782e746573743114301206092a864886f70d' +
    '01090116056140622e6331173015060a0992268993f22c64011916076578616d706c65310b3009060355040513023432' +
    '30819f300d06092a864886f70d010101050003818d0030818902818100c44f29f15ad71fe666a3f368a9bf740e306374' +
    'd9700fcf4b37d0cadba46551ac510e25fad07717cec2dce8d5916302b274d4989d1f33b934d45a72ea6b090cbcf3c7ce' +
    '347b4e6d790c7a20530399e475f8c6915a6ca6f186a10acd90a063e2b083bf12447c722d89789be353db4fd9d450227c' +
    '7f69e8a412725c3f191f8f11c90203010001a381be3081bb301d0603551d0e04160414e1be4d63a12774fecd585c699f' +
    'f1a00bc569fbe5301f0603551d23041830168014e1be4d63a12774fecd585c699ff1a00bc569fbe5300f0603551d1301' +
    '01ff040530030101ff3013060a2b06010401d6790204030101ff04020500300e06032a030404070c0568656c6c6f3043' +
    '0603551d11043c303a87040102030481056140622e638609687474703a2f2f782fa420301e310e300c06035504030c05' +
    '696e6e6572310c300a060355040a0c036f7267300d06092a864886f70d01010b050003818100a3d904e6e336c3d35147' +
    '31bc946414d5f77ba84434d415c1bdd05cf892ce1d3c4d7765070b805dd5ba7c4f1bf4b602dcd4abedbaff8eb4011eec' +
    'b35ea654b61996962f59a7597492425197510dcf0948cda013b552a1990e4d60097b04218c2d3c7c2d62dd78bf9dbac9' +
    'c6f530ac823f93caae239542ddca6b33393c537579ff',
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

  it('marks values of unregistered OIDs undecoded, except NULLs, and resolves their names as Wireshark', () => {
    const p = dissectCert(CERT2);
    // tshark 4.0: ...:x509ce:x509ce:x509ce:x509ce:x509sat:x509sat (the directory name's two attributes)
    expect(p.protocols()).toBe(
      'x509sat:x509sat:x509sat:x509sat:x509sat:x509sat:x509sat:x509sat:x509ce:x509ce:x509ce:x509ce:x509sat:x509sat',
    );
    expect(p.experts.map((e) => e.message)).toEqual([
      'BER: Dissector for OID not implemented. Contact Wireshark developers if you want this supported',
    ]);
    expect(fieldText(p, 'x509ce.IPAddress.ipv4')).toBe('1.2.3.4');
    expect(fieldText(p, 'x509ce.rfc822Name')).toBe('a@b.c');
    expect(labelText(p, 'x509af.Extension_element', 4)).toBe('Extension (iso.2.3.4)');
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
