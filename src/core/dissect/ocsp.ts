// OCSP (RFC 6960) as Wireshark 4.0's packet-ocsp.c shows it: requests and responses carried in
// HTTP bodies (media types application/ocsp-request and -response, Protocol "OCSP"), the
// response a TLS server staples in CertificateStatus, and the OCSP OIDs (the basic response
// type and the nonce, no-check, ... extensions) that add "ocsp" to frame.protocols.

import { defineFields, valueStrings } from './fields.js';
import type { Packet } from './packet.js';
import { mediaTypeTable } from './tables.js';
import {
  BER_CLASS,
  BER_TAG,
  berBounds,
  berTimeEpoch,
  callBerOid,
  oidLabel,
  oidText,
  readTlv,
  registerBerOid,
  Tlv,
} from './ber.js';
import {
  addBigInteger,
  dissectAlgorithmIdentifier,
  dissectCertificate,
  dissectExtensions,
  dissectName,
  x509Fields,
} from './x509.js';

export const ocspFields = defineFields({
  ocsp: { abbrev: 'ocsp', name: 'Online Certificate Status Protocol', type: 'protocol' },
  responseStatus: {
    abbrev: 'ocsp.responseStatus',
    name: 'responseStatus',
    type: 'uint',
    bits: 32,
    base: 'dec',
    strings: valueStrings({
      0: 'successful',
      1: 'malformedRequest',
      2: 'internalError',
      3: 'tryLater',
      5: 'sigRequired',
      6: 'unauthorized',
    }),
  },
  responseBytes: { abbrev: 'ocsp.responseBytes_element', name: 'responseBytes', type: 'none' },
  responseType: { abbrev: 'ocsp.responseType.id', name: 'ResponseType Id', type: 'string' },
  response: { abbrev: 'ocsp.response', name: 'response', type: 'bytes' },
  basicResponse: { abbrev: 'ocsp.BasicOCSPResponse_element', name: 'BasicOCSPResponse', type: 'none' },
  tbsResponseData: { abbrev: 'ocsp.tbsResponseData_element', name: 'tbsResponseData', type: 'none' },
  version: {
    abbrev: 'ocsp.version',
    name: 'version',
    type: 'int',
    bits: 32,
    base: 'dec',
    strings: valueStrings({ 0: 'v1' }),
  },
  responderID: {
    abbrev: 'ocsp.responderID',
    name: 'responderID',
    type: 'uint',
    bits: 32,
    base: 'dec',
    strings: valueStrings({ 1: 'byName', 2: 'byKey' }),
  },
  byName: {
    abbrev: 'ocsp.byName',
    name: 'byName',
    type: 'uint',
    bits: 32,
    base: 'dec',
    strings: valueStrings({ 0: 'rdnSequence' }),
  },
  byKey: { abbrev: 'ocsp.byKey', name: 'byKey', type: 'bytes' },
  producedAt: { abbrev: 'ocsp.producedAt', name: 'producedAt', type: 'abstime' },
  responses: { abbrev: 'ocsp.responses', name: 'responses', type: 'uint', bits: 32, base: 'dec' },
  singleResponse: { abbrev: 'ocsp.SingleResponse_element', name: 'SingleResponse', type: 'none' },
  certID: { abbrev: 'ocsp.certID_element', name: 'certID', type: 'none' },
  hashAlgorithm: { abbrev: 'ocsp.hashAlgorithm_element', name: 'hashAlgorithm', type: 'none' },
  issuerNameHash: { abbrev: 'ocsp.issuerNameHash', name: 'issuerNameHash', type: 'bytes' },
  issuerKeyHash: { abbrev: 'ocsp.issuerKeyHash', name: 'issuerKeyHash', type: 'bytes' },
  serialNumber: { abbrev: 'ocsp.serialNumber', name: 'serialNumber', type: 'bytes' },
  good: { abbrev: 'ocsp.good_element', name: 'good', type: 'none' },
  revoked: { abbrev: 'ocsp.revoked_element', name: 'revoked', type: 'none' },
  unknown: { abbrev: 'ocsp.unknown_element', name: 'unknown', type: 'none' },
  certStatus: {
    abbrev: 'ocsp.certStatus',
    name: 'certStatus',
    type: 'uint',
    bits: 32,
    base: 'dec',
    strings: valueStrings({ 0: 'good', 1: 'revoked', 2: 'unknown' }),
  },
  thisUpdate: { abbrev: 'ocsp.thisUpdate', name: 'thisUpdate', type: 'abstime' },
  nextUpdate: { abbrev: 'ocsp.nextUpdate', name: 'nextUpdate', type: 'abstime' },
  revocationTime: { abbrev: 'ocsp.revocationTime', name: 'revocationTime', type: 'abstime' },
  singleExtensions: { abbrev: 'ocsp.singleExtensions', name: 'singleExtensions', type: 'uint', bits: 32, base: 'dec' },
  responseExtensions: {
    abbrev: 'ocsp.responseExtensions',
    name: 'responseExtensions',
    type: 'uint',
    bits: 32,
    base: 'dec',
  },
  signatureAlgorithm: { abbrev: 'ocsp.signatureAlgorithm_element', name: 'signatureAlgorithm', type: 'none' },
  signature: { abbrev: 'ocsp.signature', name: 'signature', type: 'bytes' },
  certs: { abbrev: 'ocsp.certs', name: 'certs', type: 'uint', bits: 32, base: 'dec' },
  certificate: { abbrev: 'ocsp.Certificate_element', name: 'Certificate', type: 'none' },
  tbsRequest: { abbrev: 'ocsp.tbsRequest_element', name: 'tbsRequest', type: 'none' },
  requestorName: { abbrev: 'ocsp.requestorName', name: 'requestorName', type: 'uint', bits: 32, base: 'dec' },
  requestList: { abbrev: 'ocsp.requestList', name: 'requestList', type: 'uint', bits: 32, base: 'dec' },
  request: { abbrev: 'ocsp.Request_element', name: 'Request', type: 'none' },
  reqCert: { abbrev: 'ocsp.reqCert_element', name: 'reqCert', type: 'none' },
  singleRequestExtensions: {
    abbrev: 'ocsp.singleRequestExtensions',
    name: 'singleRequestExtensions',
    type: 'uint',
    bits: 32,
    base: 'dec',
  },
  requestExtensions: {
    abbrev: 'ocsp.requestExtensions',
    name: 'requestExtensions',
    type: 'uint',
    bits: 32,
    base: 'dec',
  },
  optionalSignature: { abbrev: 'ocsp.optionalSignature_element', name: 'optionalSignature', type: 'none' },
  nonce: { abbrev: 'ocsp.ReOcspNonce', name: 'ReOcspNonce', type: 'bytes' },
  nullElement: { abbrev: 'ocsp.NULL_element', name: 'NULL', type: 'none' },
  archiveCutoff: { abbrev: 'ocsp.ArchiveCutoff', name: 'ArchiveCutoff', type: 'abstime' },
});

const F = ocspFields;

function next(buf: Uint8Array, at: number, end: number, tlv: Tlv): boolean {
  return at < end && readTlv(buf, at, end, tlv);
}

function isTime(t: Tlv): boolean {
  return t.cls === BER_CLASS.UNI && t.tag === BER_TAG.GeneralizedTime;
}

function addTimeItem(p: Packet, field: number, buf: Uint8Array, t: Tlv): void {
  if (!p.tree.keeps(field)) return;
  const time = berTimeEpoch(buf, t.contentStart, t.end, t.tag);
  if (time !== undefined) p.tree.addTime(field, t.start, t.end - t.start, time[0], time[1]);
}

/** An [n] EXPLICIT Extensions wrapper: the SEQUENCE inside goes to the Extensions walker. */
function explicitExtensions(p: Packet, buf: Uint8Array, wrapper: Tlv, field: number, depth: number): void {
  const x = new Tlv();
  if (next(buf, wrapper.contentStart, wrapper.end, x) && x.is(BER_CLASS.UNI, BER_TAG.SEQUENCE))
    dissectExtensions(p, buf, x, field, depth, true);
}

/** CertID { hashAlgorithm, issuerNameHash, issuerKeyHash, serialNumber }. */
function dissectCertId(p: Packet, buf: Uint8Array, seq: Tlv, field: number, depth: number): void {
  const t = p.tree;
  const i = t.add(field, seq.start, seq.end - seq.start);
  t.open(i);
  const e = new Tlv();
  let at = seq.contentStart;
  if (next(buf, at, seq.end, e) && e.is(BER_CLASS.UNI, BER_TAG.SEQUENCE)) {
    dissectAlgorithmIdentifier(p, buf, e, F.hashAlgorithm, depth);
    at = e.end;
  }
  for (const f of [F.issuerNameHash, F.issuerKeyHash]) {
    if (!next(buf, at, seq.end, e)) break;
    t.add(f, e.contentStart, e.length);
    at = e.end;
  }
  if (next(buf, at, seq.end, e) && e.is(BER_CLASS.UNI, BER_TAG.INTEGER))
    addBigInteger(p, F.serialNumber, 'serialNumber', buf, e);
  t.close();
}

/** [0] EXPLICIT SEQUENCE OF Certificate (the responder's or signer's chain). */
function dissectCerts(p: Packet, buf: Uint8Array, wrapper: Tlv, depth: number): void {
  const t = p.tree;
  const s = new Tlv();
  if (!next(buf, wrapper.contentStart, wrapper.end, s) || !s.is(BER_CLASS.UNI, BER_TAG.SEQUENCE)) return;
  const i = t.add(F.certs, s.start, s.end - s.start, 0);
  t.open(i);
  const c = new Tlv();
  let n = 0;
  for (let at = s.contentStart; next(buf, at, s.end, c); at = c.end) {
    n++;
    const ci = t.add(F.certificate, c.start, c.end - c.start);
    t.open(ci);
    const subject = c.is(BER_CLASS.UNI, BER_TAG.SEQUENCE) ? dissectCertificate(p, buf, c, depth) : '';
    t.close();
    if (t.full && ci >= 0 && subject) t.setLabel(ci, `Certificate (${subject})`);
  }
  t.close();
  if (t.full && i >= 0) {
    t.setNumber(i, n);
    t.setLabel(i, `certs: ${n} item${n === 1 ? '' : 's'}`);
  }
}

/** BasicOCSPResponse (id-pkix-ocsp-basic), handed over by the responseType OID. */
function dissectBasicResponse(p: Packet, buf: Uint8Array, off: number, end: number, depth: number): void {
  const t = p.tree;
  const b = new Tlv();
  if (!readTlv(buf, off, end, b) || !b.is(BER_CLASS.UNI, BER_TAG.SEQUENCE)) return;
  const bi = t.add(F.basicResponse, b.start, b.end - b.start);
  t.open(bi);
  const e = new Tlv();
  const v = new Tlv();
  let at = b.contentStart;
  if (next(buf, at, b.end, e) && e.is(BER_CLASS.UNI, BER_TAG.SEQUENCE)) {
    at = e.end;
    const ti = t.add(F.tbsResponseData, e.start, e.end - e.start);
    t.open(ti);
    let a = e.contentStart;
    if (next(buf, a, e.end, v) && v.cls === BER_CLASS.CON && v.tag === 0) a = v.end;
    if (next(buf, a, e.end, v) && v.cls === BER_CLASS.CON && (v.tag === 1 || v.tag === 2)) {
      a = v.end;
      const ri = t.add(F.responderID, v.start, v.end - v.start, v.tag);
      t.open(ri);
      const inner = new Tlv();
      if (next(buf, v.contentStart, v.end, inner)) {
        if (v.tag === 1 && inner.is(BER_CLASS.UNI, BER_TAG.SEQUENCE))
          dissectName(p, buf, inner, F.byName, x509Fields.rdnSequence, depth);
        else if (v.tag === 2) t.add(F.byKey, inner.contentStart, inner.length);
      }
      t.close();
    }
    if (next(buf, a, e.end, v) && isTime(v)) {
      addTimeItem(p, F.producedAt, buf, v);
      a = v.end;
    }
    if (next(buf, a, e.end, v) && v.is(BER_CLASS.UNI, BER_TAG.SEQUENCE)) {
      a = v.end;
      const rs = t.add(F.responses, v.start, v.end - v.start, 0);
      t.open(rs);
      const sr = new Tlv();
      const f = new Tlv();
      let count = 0;
      for (let c = v.contentStart; next(buf, c, v.end, sr); c = sr.end) {
        count++;
        const si = t.add(F.singleResponse, sr.start, sr.end - sr.start);
        t.open(si);
        let d = sr.contentStart;
        if (next(buf, d, sr.end, f) && f.is(BER_CLASS.UNI, BER_TAG.SEQUENCE)) {
          dissectCertId(p, buf, f, F.certID, depth);
          d = f.end;
        }
        if (next(buf, d, sr.end, f) && f.cls === BER_CLASS.CON) {
          const ci = t.add(F.certStatus, f.start, f.end - f.start, f.tag);
          t.open(ci);
          const si2 = t.add(f.tag === 0 ? F.good : f.tag === 1 ? F.revoked : F.unknown, f.start, f.end - f.start);
          t.open(si2);
          if (f.tag === 1) {
            const rt = new Tlv();
            if (next(buf, f.contentStart, f.end, rt) && isTime(rt)) addTimeItem(p, F.revocationTime, buf, rt);
          }
          t.close();
          t.close();
          d = f.end;
        }
        if (next(buf, d, sr.end, f) && isTime(f)) {
          addTimeItem(p, F.thisUpdate, buf, f);
          d = f.end;
        }
        for (; next(buf, d, sr.end, f); d = f.end) {
          if (f.cls !== BER_CLASS.CON) continue;
          if (f.tag === 0) {
            const nt = new Tlv();
            if (next(buf, f.contentStart, f.end, nt) && isTime(nt)) addTimeItem(p, F.nextUpdate, buf, nt);
          } else if (f.tag === 1) explicitExtensions(p, buf, f, F.singleExtensions, depth);
        }
        t.close();
      }
      t.close();
      if (t.full && rs >= 0) {
        t.setNumber(rs, count);
        t.setLabel(rs, `responses: ${count} item${count === 1 ? '' : 's'}`);
      }
    }
    if (next(buf, a, e.end, v) && v.cls === BER_CLASS.CON && v.tag === 1)
      explicitExtensions(p, buf, v, F.responseExtensions, depth);
    t.close();
  }
  if (next(buf, at, b.end, e) && e.is(BER_CLASS.UNI, BER_TAG.SEQUENCE)) {
    dissectAlgorithmIdentifier(p, buf, e, F.signatureAlgorithm, depth);
    at = e.end;
  }
  if (next(buf, at, b.end, e) && e.is(BER_CLASS.UNI, BER_TAG.BITSTRING)) {
    if (e.length > 0) t.add(F.signature, e.contentStart + 1, e.length - 1);
    at = e.end;
  }
  if (next(buf, at, b.end, e) && e.cls === BER_CLASS.CON && e.tag === 0) dissectCerts(p, buf, e, depth);
  t.close();
}

/**
 * OCSPResponse { responseStatus, responseBytes [0] EXPLICIT { responseType, response } }: the
 * response OCTET STRING goes to the protocol registered for responseType. Exported for TLS's
 * CertificateStatus, which calls it directly (no layer of its own).
 */
export function dissectOcspResponse(p: Packet, buf: Uint8Array, off: number, end: number, depth = 0): void {
  const t = p.tree;
  const r = new Tlv();
  if (!readTlv(buf, off, end, r) || !r.is(BER_CLASS.UNI, BER_TAG.SEQUENCE)) return;
  const e = new Tlv();
  let at = r.contentStart;
  if (next(buf, at, r.end, e) && e.is(BER_CLASS.UNI, BER_TAG.ENUMERATED)) {
    t.add(F.responseStatus, e.start, e.end - e.start, buf[e.contentStart] ?? 0);
    at = e.end;
  }
  if (!next(buf, at, r.end, e) || e.cls !== BER_CLASS.CON || e.tag !== 0) return;
  const rb = new Tlv();
  if (!next(buf, e.contentStart, e.end, rb) || !rb.is(BER_CLASS.UNI, BER_TAG.SEQUENCE)) return;
  const bi = t.add(F.responseBytes, rb.start, rb.end - rb.start);
  t.open(bi);
  const v = new Tlv();
  if (next(buf, rb.contentStart, rb.end, v) && v.is(BER_CLASS.UNI, BER_TAG.OID)) {
    const oid = oidText(buf, v.contentStart, v.end);
    const oi = t.addValue(F.responseType, v.start, v.end - v.start, oid);
    if (t.full) t.setLabel(oi, `ResponseType Id: ${oidLabel(oid)}`);
    const o = new Tlv();
    if (next(buf, v.end, rb.end, o) && o.is(BER_CLASS.UNI, BER_TAG.OCTETSTRING)) {
      // The response OCTET STRING shows only as what its type's dissector makes of it.
      if (o.length > 0) callBerOid(p, oid, buf, o.contentStart, o.end, depth);
    }
  }
  t.close();
}

/** OCSPRequest { tbsRequest, optionalSignature [0] EXPLICIT Signature OPTIONAL }. */
function dissectOcspRequestBody(p: Packet, buf: Uint8Array, off: number, end: number): void {
  const t = p.tree;
  const r = new Tlv();
  const e = new Tlv();
  if (!readTlv(buf, off, end, r) || !r.is(BER_CLASS.UNI, BER_TAG.SEQUENCE)) return;
  let at = r.contentStart;
  if (next(buf, at, r.end, e) && e.is(BER_CLASS.UNI, BER_TAG.SEQUENCE)) {
    at = e.end;
    const ti = t.add(F.tbsRequest, e.start, e.end - e.start);
    t.open(ti);
    const v = new Tlv();
    for (let a = e.contentStart; next(buf, a, e.end, v); a = v.end) {
      if (v.is(BER_CLASS.UNI, BER_TAG.SEQUENCE)) {
        const li = t.add(F.requestList, v.start, v.end - v.start, 0);
        t.open(li);
        const q = new Tlv();
        const f = new Tlv();
        let count = 0;
        for (let b = v.contentStart; next(buf, b, v.end, q); b = q.end) {
          count++;
          const qi = t.add(F.request, q.start, q.end - q.start);
          t.open(qi);
          for (let c = q.contentStart; next(buf, c, q.end, f); c = f.end) {
            if (f.is(BER_CLASS.UNI, BER_TAG.SEQUENCE)) dissectCertId(p, buf, f, F.reqCert, 0);
            else if (f.cls === BER_CLASS.CON && f.tag === 0)
              explicitExtensions(p, buf, f, F.singleRequestExtensions, 0);
          }
          t.close();
        }
        t.close();
        if (t.full && li >= 0) {
          t.setNumber(li, count);
          t.setLabel(li, `requestList: ${count} item${count === 1 ? '' : 's'}`);
        }
      } else if (v.cls === BER_CLASS.CON && v.tag === 2) {
        explicitExtensions(p, buf, v, F.requestExtensions, 0);
      }
    }
    t.close();
  }
  if (next(buf, at, r.end, e) && e.cls === BER_CLASS.CON && e.tag === 0) {
    const si = t.add(F.optionalSignature, e.start, e.end - e.start);
    t.open(si);
    const s = new Tlv();
    const f = new Tlv();
    if (next(buf, e.contentStart, e.end, s) && s.is(BER_CLASS.UNI, BER_TAG.SEQUENCE)) {
      for (let a = s.contentStart; next(buf, a, s.end, f); a = f.end) {
        if (f.is(BER_CLASS.UNI, BER_TAG.SEQUENCE)) dissectAlgorithmIdentifier(p, buf, f, F.signatureAlgorithm, 0);
        else if (f.is(BER_CLASS.UNI, BER_TAG.BITSTRING) && f.length > 0)
          t.add(F.signature, f.contentStart + 1, f.length - 1);
        else if (f.cls === BER_CLASS.CON && f.tag === 0) dissectCerts(p, buf, f, 0);
      }
    }
    t.close();
  }
}

/** application/ocsp-request and -response bodies: the OCSP layer, Protocol and Info columns. */
function mediaDissector(isRequest: boolean) {
  return (p: Packet, buf: Uint8Array, off: number, end: number): void => {
    p.addLayer('ocsp');
    p.setProtocol('OCSP');
    p.setInfo(isRequest ? 'Request' : 'Response');
    const t = p.tree;
    const top = t.add(F.ocsp, off, Math.min(end, buf.length) - off);
    if (t.full) t.setLabel(top, 'Online Certificate Status Protocol');
    t.open(top);
    berBounds.end = end;
    berBounds.exceeded = false;
    if (isRequest) dissectOcspRequestBody(p, buf, off, end);
    else dissectOcspResponse(p, buf, off, end);
    t.close();
    if (berBounds.exceeded) p.malformed('OCSP');
  };
}

mediaTypeTable.add('application/ocsp-request', mediaDissector(true));
mediaTypeTable.add('application/ocsp-response', mediaDissector(false));

function octets(field: number) {
  return (p: Packet, buf: Uint8Array, off: number, end: number): void => {
    const v = new Tlv();
    if (readTlv(buf, off, end, v)) p.tree.add(field, v.contentStart, v.length);
  };
}

registerBerOid('1.3.6.1.5.5.7.48.1.1', 'id-pkix-ocsp-basic', 'ocsp', dissectBasicResponse);
registerBerOid('1.3.6.1.5.5.7.48.1.2', 'id-pkix-ocsp-nonce', 'ocsp', octets(F.nonce));
registerBerOid('1.3.6.1.5.5.7.48.1.3', 'id-pkix-ocsp-crl', 'ocsp');
registerBerOid('1.3.6.1.5.5.7.48.1.4', 'id-pkix-ocsp-response', 'ocsp');
registerBerOid('1.3.6.1.5.5.7.48.1.5', 'id-pkix-ocsp-nocheck', 'ocsp', (p, buf, off, end) => {
  const v = new Tlv();
  if (readTlv(buf, off, end, v)) p.tree.add(F.nullElement, v.start, v.end - v.start);
});
registerBerOid('1.3.6.1.5.5.7.48.1.6', 'id-pkix-ocsp-archive-cutoff', 'ocsp');
registerBerOid('1.3.6.1.5.5.7.48.1.7', 'id-pkix-ocsp-service-locator', 'ocsp');
