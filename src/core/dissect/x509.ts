// X.509 certificates and CRLs (Wireshark 4.0's x509af, x509if, x509sat, x509ce, pkix1explicit,
// pkix1implicit and pkcs-1 dissectors): the certificate structure, names, extensions, and the
// OID registrations that hand attribute values, extension values and algorithm parameters to the
// protocol that owns them, which is what lists x509sat/x509ce/... in frame.protocols.

import { defineFields, fieldById, valueStrings } from './fields.js';
import type { Packet } from './packet.js';
import { mediaTypeTable } from './tables.js';
import {
  BER_CLASS,
  BER_MAX_DEPTH,
  BER_TAG,
  berBounds,
  berFields,
  berInt,
  berString,
  berTime,
  berUint,
  callBerOid,
  nameOid,
  oidLabel,
  oidName,
  oidResolved,
  oidText,
  readTlv,
  registerBerOid,
  Tlv,
} from './ber.js';

const CHOICE_NAME = valueStrings({ 0: 'rdnSequence' });
const TIME_CHOICE = valueStrings({ 0: 'utcTime', 1: 'generalizedTime' });
const DIRECTORY_STRING = valueStrings({
  0: 'teletexString',
  1: 'printableString',
  2: 'universalString',
  3: 'bmpString',
  4: 'uTF8String',
});
const GENERAL_NAME = valueStrings({
  0: 'otherName',
  1: 'rfc822Name',
  2: 'dNSName',
  3: 'x400Address',
  4: 'directoryName',
  5: 'ediPartyName',
  6: 'uniformResourceIdentifier',
  7: 'iPAddress',
  8: 'registeredID',
});

export const x509Fields = defineFields({
  // x509af
  certificate: { abbrev: 'x509af.Certificate_element', name: 'Certificate', type: 'none' },
  signedCertificate: { abbrev: 'x509af.signedCertificate_element', name: 'signedCertificate', type: 'none' },
  version: {
    abbrev: 'x509af.version',
    name: 'version',
    type: 'int',
    bits: 32,
    base: 'dec',
    strings: valueStrings({ 0: 'v1', 1: 'v2', 2: 'v3' }),
  },
  serialNumber: { abbrev: 'x509af.serialNumber', name: 'serialNumber', type: 'bytes' },
  signature: { abbrev: 'x509af.signature_element', name: 'signature', type: 'none' },
  algorithmId: { abbrev: 'x509af.algorithm.id', name: 'Algorithm Id', type: 'string' },
  issuer: { abbrev: 'x509af.issuer', name: 'issuer', type: 'uint', bits: 32, base: 'dec', strings: CHOICE_NAME },
  validity: { abbrev: 'x509af.validity_element', name: 'validity', type: 'none' },
  notBefore: {
    abbrev: 'x509af.notBefore',
    name: 'notBefore',
    type: 'uint',
    bits: 32,
    base: 'dec',
    strings: TIME_CHOICE,
  },
  notAfter: { abbrev: 'x509af.notAfter', name: 'notAfter', type: 'uint', bits: 32, base: 'dec', strings: TIME_CHOICE },
  utcTime: { abbrev: 'x509af.utcTime', name: 'utcTime', type: 'string' },
  generalizedTime: { abbrev: 'x509af.generalizedTime', name: 'generalizedTime', type: 'abstime' },
  subject: { abbrev: 'x509af.subject', name: 'subject', type: 'uint', bits: 32, base: 'dec', strings: CHOICE_NAME },
  subjectRdnSequence: { abbrev: 'x509af.rdnSequence', name: 'rdnSequence', type: 'uint', bits: 32, base: 'dec' },
  subjectPublicKeyInfo: { abbrev: 'x509af.subjectPublicKeyInfo_element', name: 'subjectPublicKeyInfo', type: 'none' },
  algorithm: { abbrev: 'x509af.algorithm_element', name: 'algorithm', type: 'none' },
  subjectPublicKey: { abbrev: 'x509af.subjectPublicKey', name: 'subjectPublicKey', type: 'bytes' },
  issuerUniqueIdentifier: { abbrev: 'x509af.issuerUniqueIdentifier', name: 'issuerUniqueIdentifier', type: 'bytes' },
  subjectUniqueIdentifier: { abbrev: 'x509af.subjectUniqueIdentifier', name: 'subjectUniqueIdentifier', type: 'bytes' },
  extensions: { abbrev: 'x509af.extensions', name: 'extensions', type: 'uint', bits: 32, base: 'dec' },
  extension: { abbrev: 'x509af.Extension_element', name: 'Extension', type: 'none' },
  extensionId: { abbrev: 'x509af.extension.id', name: 'Extension Id', type: 'string' },
  critical: { abbrev: 'x509af.critical', name: 'critical', type: 'bool', trueFalse: ['True', 'False'] },
  algorithmIdentifier: { abbrev: 'x509af.algorithmIdentifier_element', name: 'algorithmIdentifier', type: 'none' },
  encrypted: { abbrev: 'x509af.encrypted', name: 'encrypted', type: 'bytes' },
  // CertificateList (CRL)
  signedCertificateList: {
    abbrev: 'x509af.signedCertificateList_element',
    name: 'signedCertificateList',
    type: 'none',
  },
  thisUpdate: {
    abbrev: 'x509af.thisUpdate',
    name: 'thisUpdate',
    type: 'uint',
    bits: 32,
    base: 'dec',
    strings: TIME_CHOICE,
  },
  nextUpdate: {
    abbrev: 'x509af.nextUpdate',
    name: 'nextUpdate',
    type: 'uint',
    bits: 32,
    base: 'dec',
    strings: TIME_CHOICE,
  },
  revokedCertificates: {
    abbrev: 'x509af.revokedCertificates',
    name: 'revokedCertificates',
    type: 'uint',
    bits: 32,
    base: 'dec',
  },
  revokedCertificate: {
    abbrev: 'x509af.revokedCertificates_item_element',
    name: 'revokedCertificates item',
    type: 'none',
  },
  revokedSerialNumber: { abbrev: 'x509af.serialNumber', name: 'serialNumber', type: 'bytes' },
  revocationDate: {
    abbrev: 'x509af.revocationDate',
    name: 'revocationDate',
    type: 'uint',
    bits: 32,
    base: 'dec',
    strings: TIME_CHOICE,
  },
  crlEntryExtensions: {
    abbrev: 'x509af.crlEntryExtensions',
    name: 'crlEntryExtensions',
    type: 'uint',
    bits: 32,
    base: 'dec',
  },
  crlExtensions: { abbrev: 'x509af.crlExtensions', name: 'crlExtensions', type: 'uint', bits: 32, base: 'dec' },
  // x509if
  rdnSequence: { abbrev: 'x509if.rdnSequence', name: 'rdnSequence', type: 'uint', bits: 32, base: 'dec' },
  rdnItem: { abbrev: 'x509if.RDNSequence_item', name: 'RDNSequence item', type: 'uint', bits: 32, base: 'dec' },
  rdnAttribute: {
    abbrev: 'x509if.RelativeDistinguishedName_item_element',
    name: 'RelativeDistinguishedName item',
    type: 'none',
  },
  attributeOid: { abbrev: 'x509if.oid', name: 'Object Id', type: 'string' },
  attributeType: { abbrev: 'x509if.type', name: 'type', type: 'string' },
  // x509sat
  directoryString: {
    abbrev: 'x509sat.DirectoryString',
    name: 'DirectoryString',
    type: 'uint',
    bits: 32,
    base: 'dec',
    strings: DIRECTORY_STRING,
  },
  teletexString: { abbrev: 'x509sat.teletexString', name: 'teletexString', type: 'string' },
  printableString: { abbrev: 'x509sat.printableString', name: 'printableString', type: 'string' },
  universalString: { abbrev: 'x509sat.universalString', name: 'universalString', type: 'string' },
  bmpString: { abbrev: 'x509sat.bmpString', name: 'bmpString', type: 'string' },
  uTF8String: { abbrev: 'x509sat.uTF8String', name: 'uTF8String', type: 'string' },
  countryName: { abbrev: 'x509sat.CountryName', name: 'CountryName', type: 'string' },
  ia5String: { abbrev: 'x509sat.IA5String', name: 'IA5String', type: 'string' },
  satPrintableString: { abbrev: 'x509sat.PrintableString', name: 'PrintableString', type: 'string' },
  // x509ce
  generalNames: { abbrev: 'x509ce.GeneralNames', name: 'GeneralNames', type: 'uint', bits: 32, base: 'dec' },
  generalName: {
    abbrev: 'x509ce.GeneralName',
    name: 'GeneralName',
    type: 'uint',
    bits: 32,
    base: 'dec',
    strings: GENERAL_NAME,
  },
  otherName: { abbrev: 'x509ce.otherName_element', name: 'otherName', type: 'none' },
  typeId: { abbrev: 'x509ce.type_id', name: 'type-id', type: 'string' },
  rfc822Name: { abbrev: 'x509ce.rfc822Name', name: 'rfc822Name', type: 'string' },
  dNSName: { abbrev: 'x509ce.dNSName', name: 'dNSName', type: 'string' },
  directoryName: {
    abbrev: 'x509ce.directoryName',
    name: 'directoryName',
    type: 'uint',
    bits: 32,
    base: 'dec',
    strings: CHOICE_NAME,
  },
  uniformResourceIdentifier: {
    abbrev: 'x509ce.uniformResourceIdentifier',
    name: 'uniformResourceIdentifier',
    type: 'string',
  },
  iPAddress: { abbrev: 'x509ce.iPAddress', name: 'iPAddress', type: 'bytes' },
  iPAddressV4: { abbrev: 'x509ce.IPAddress.ipv4', name: 'iPAddress', type: 'ipv4' },
  iPAddressV6: { abbrev: 'x509ce.IPAddress.ipv6', name: 'iPAddress', type: 'ipv6' },
  registeredID: { abbrev: 'x509ce.registeredID', name: 'registeredID', type: 'string' },
  keyPurposeIds: { abbrev: 'x509ce.KeyPurposeIDs', name: 'KeyPurposeIDs', type: 'uint', bits: 32, base: 'dec' },
  keyPurposeId: { abbrev: 'x509ce.KeyPurposeId', name: 'KeyPurposeId', type: 'string' },
  basicConstraints: { abbrev: 'x509ce.BasicConstraintsSyntax_element', name: 'BasicConstraintsSyntax', type: 'none' },
  cA: { abbrev: 'x509ce.cA', name: 'cA', type: 'bool', trueFalse: ['True', 'False'] },
  pathLenConstraint: {
    abbrev: 'x509ce.pathLenConstraint',
    name: 'pathLenConstraint',
    type: 'uint',
    bits: 64,
    base: 'dec',
  },
  keyUsage: { abbrev: 'x509ce.KeyUsage', name: 'KeyUsage', type: 'bytes' },
  kuDigitalSignature: {
    abbrev: 'x509ce.KeyUsage.digitalSignature',
    name: 'digitalSignature',
    type: 'bool',
    bits: 8,
    mask: 0x80,
    trueFalse: ['True', 'False'],
  },
  kuContentCommitment: {
    abbrev: 'x509ce.KeyUsage.contentCommitment',
    name: 'contentCommitment',
    type: 'bool',
    bits: 8,
    mask: 0x40,
    trueFalse: ['True', 'False'],
  },
  kuKeyEncipherment: {
    abbrev: 'x509ce.KeyUsage.keyEncipherment',
    name: 'keyEncipherment',
    type: 'bool',
    bits: 8,
    mask: 0x20,
    trueFalse: ['True', 'False'],
  },
  kuDataEncipherment: {
    abbrev: 'x509ce.KeyUsage.dataEncipherment',
    name: 'dataEncipherment',
    type: 'bool',
    bits: 8,
    mask: 0x10,
    trueFalse: ['True', 'False'],
  },
  kuKeyAgreement: {
    abbrev: 'x509ce.KeyUsage.keyAgreement',
    name: 'keyAgreement',
    type: 'bool',
    bits: 8,
    mask: 0x08,
    trueFalse: ['True', 'False'],
  },
  kuKeyCertSign: {
    abbrev: 'x509ce.KeyUsage.keyCertSign',
    name: 'keyCertSign',
    type: 'bool',
    bits: 8,
    mask: 0x04,
    trueFalse: ['True', 'False'],
  },
  kuCRLSign: {
    abbrev: 'x509ce.KeyUsage.cRLSign',
    name: 'cRLSign',
    type: 'bool',
    bits: 8,
    mask: 0x02,
    trueFalse: ['True', 'False'],
  },
  kuEncipherOnly: {
    abbrev: 'x509ce.KeyUsage.encipherOnly',
    name: 'encipherOnly',
    type: 'bool',
    bits: 8,
    mask: 0x01,
    trueFalse: ['True', 'False'],
  },
  kuDecipherOnly: {
    abbrev: 'x509ce.KeyUsage.decipherOnly',
    name: 'decipherOnly',
    type: 'bool',
    bits: 8,
    mask: 0x80,
    trueFalse: ['True', 'False'],
  },
  subjectKeyIdentifier: { abbrev: 'x509ce.SubjectKeyIdentifier', name: 'SubjectKeyIdentifier', type: 'bytes' },
  authorityKeyIdentifier: {
    abbrev: 'x509ce.AuthorityKeyIdentifier_element',
    name: 'AuthorityKeyIdentifier',
    type: 'none',
  },
  keyIdentifier: { abbrev: 'x509ce.keyIdentifier', name: 'keyIdentifier', type: 'bytes' },
  authorityCertIssuer: {
    abbrev: 'x509ce.authorityCertIssuer',
    name: 'authorityCertIssuer',
    type: 'uint',
    bits: 32,
    base: 'dec',
  },
  authorityCertSerialNumber: {
    abbrev: 'x509ce.authorityCertSerialNumber',
    name: 'authorityCertSerialNumber',
    type: 'bytes',
  },
  certificatePolicies: {
    abbrev: 'x509ce.CertificatePoliciesSyntax',
    name: 'CertificatePoliciesSyntax',
    type: 'uint',
    bits: 32,
    base: 'dec',
  },
  policyInformation: { abbrev: 'x509ce.PolicyInformation_element', name: 'PolicyInformation', type: 'none' },
  policyIdentifier: { abbrev: 'x509ce.policyIdentifier', name: 'policyIdentifier', type: 'string' },
  policyQualifiers: {
    abbrev: 'x509ce.policyQualifiers',
    name: 'policyQualifiers',
    type: 'uint',
    bits: 32,
    base: 'dec',
  },
  policyQualifierInfo: { abbrev: 'x509ce.PolicyQualifierInfo_element', name: 'PolicyQualifierInfo', type: 'none' },
  policyQualifierId: { abbrev: 'x509ce.id', name: 'Id', type: 'string' },
  crlDistPoints: {
    abbrev: 'x509ce.CRLDistPointsSyntax',
    name: 'CRLDistPointsSyntax',
    type: 'uint',
    bits: 32,
    base: 'dec',
  },
  distributionPointElement: { abbrev: 'x509ce.DistributionPoint_element', name: 'DistributionPoint', type: 'none' },
  distributionPoint: {
    abbrev: 'x509ce.distributionPoint',
    name: 'distributionPoint',
    type: 'uint',
    bits: 32,
    base: 'dec',
    strings: valueStrings({ 0: 'fullName', 1: 'nameRelativeToCRLIssuer' }),
  },
  fullName: { abbrev: 'x509ce.fullName', name: 'fullName', type: 'uint', bits: 32, base: 'dec' },
  cRLIssuer: { abbrev: 'x509ce.cRLIssuer', name: 'cRLIssuer', type: 'uint', bits: 32, base: 'dec' },
  certificateTemplate: { abbrev: 'x509ce.CertificateTemplate_element', name: 'CertificateTemplate', type: 'none' },
  templateID: { abbrev: 'x509ce.templateID', name: 'templateID', type: 'string' },
  templateMajorVersion: {
    abbrev: 'x509ce.templateMajorVersion',
    name: 'templateMajorVersion',
    type: 'int',
    bits: 32,
    base: 'dec',
  },
  templateMinorVersion: {
    abbrev: 'x509ce.templateMinorVersion',
    name: 'templateMinorVersion',
    type: 'int',
    bits: 32,
    base: 'dec',
  },
  cRLNumber: { abbrev: 'x509ce.CRLNumber', name: 'CRLNumber', type: 'uint', bits: 64, base: 'dec' },
  cRLReason: {
    abbrev: 'x509ce.CRLReason',
    name: 'CRLReason',
    type: 'uint',
    bits: 32,
    base: 'dec',
    strings: valueStrings({
      0: 'unspecified',
      1: 'keyCompromise',
      2: 'cACompromise',
      3: 'affiliationChanged',
      4: 'superseded',
      5: 'cessationOfOperation',
      6: 'certificateHold',
      8: 'removeFromCRL',
      9: 'privilegeWithdrawn',
      10: 'aaCompromise',
    }),
  },
  // pkix1explicit's Extension (OCSP and other PKIX structures use it instead of x509af's)
  p1eExtension: { abbrev: 'pkix1explicit.Extension_element', name: 'Extension', type: 'none' },
  p1eId: { abbrev: 'pkix1explicit.id', name: 'Id', type: 'string' },
  p1eCritical: { abbrev: 'pkix1explicit.critical', name: 'critical', type: 'bool', trueFalse: ['True', 'False'] },
  pkixCert: { abbrev: 'pkix-cert', name: 'PKIX CERT File Format', type: 'protocol' },
  // pkix1implicit / pkix1explicit
  authorityInfoAccess: {
    abbrev: 'pkix1implicit.AuthorityInfoAccessSyntax',
    name: 'AuthorityInfoAccessSyntax',
    type: 'uint',
    bits: 32,
    base: 'dec',
  },
  accessDescription: { abbrev: 'pkix1implicit.AccessDescription_element', name: 'AccessDescription', type: 'none' },
  accessMethod: { abbrev: 'pkix1implicit.accessMethod', name: 'accessMethod', type: 'string' },
  accessLocation: {
    abbrev: 'pkix1implicit.accessLocation',
    name: 'accessLocation',
    type: 'uint',
    bits: 32,
    base: 'dec',
  },
  userNotice: { abbrev: 'pkix1implicit.UserNotice_element', name: 'UserNotice', type: 'none' },
  explicitText: { abbrev: 'pkix1implicit.explicitText', name: 'explicitText', type: 'string' },
  cpsUri: { abbrev: 'pkix1explicit.DirectoryString', name: 'DirectoryString', type: 'string' },
  // pkcs-1
  ecParameters: {
    abbrev: 'pkcs1.ECParameters',
    name: 'ECParameters',
    type: 'uint',
    bits: 32,
    base: 'dec',
    strings: valueStrings({ 0: 'specifiedCurve', 1: 'namedCurve', 2: 'implicitCurve' }),
  },
  namedCurve: { abbrev: 'pkcs1.namedCurve', name: 'namedCurve', type: 'string' },
  modulus: { abbrev: 'pkcs1.modulus', name: 'modulus', type: 'bytes' },
  publicExponent: { abbrev: 'pkcs1.publicExponent', name: 'publicExponent', type: 'int', bits: 32, base: 'dec' },
});

const F = x509Fields;
const RSA_ENCRYPTION = '1.2.840.113549.1.1.1';

/** Reads the next TLV of a constructed value; false at its end or on a malformed element. */
function next(buf: Uint8Array, at: number, end: number, tlv: Tlv): boolean {
  return at < end && readTlv(buf, at, end, tlv);
}

/** Marks an X.509 structure that does not parse (BER error), once per frame layer. */
function berError(p: Packet, start: number, end: number): void {
  if (p.tree.full) p.tree.addText(start, Math.max(0, end - start), 'BER Error: malformed ASN.1 structure');
}

/** Adds an OBJECT IDENTIFIER item; returns the dotted OID ('' when malformed). */
function addOid(p: Packet, field: number, buf: Uint8Array, tlv: Tlv): string {
  const oid = oidText(buf, tlv.contentStart, tlv.end);
  const t = p.tree;
  const i = t.addValue(field, tlv.start, tlv.end - tlv.start, oid);
  if (t.full && i >= 0) t.setLabel(i, `${fieldLabel(field)}: ${oidLabel(oid)}`);
  return oid;
}

const fieldNames = new Map<number, string>([
  [F.algorithmId, 'Algorithm Id'],
  [F.attributeOid, 'Object Id'],
  [F.extensionId, 'Extension Id'],
  [F.p1eId, 'Id'],
  [F.keyPurposeId, 'KeyPurposeId'],
  [F.policyIdentifier, 'policyIdentifier'],
  [F.policyQualifierId, 'Id'],
  [F.accessMethod, 'accessMethod'],
  [F.namedCurve, 'namedCurve'],
  [F.typeId, 'type-id'],
  [F.templateID, 'templateID'],
  [F.registeredID, 'registeredID'],
]);
function fieldLabel(field: number): string {
  return fieldNames.get(field) ?? '';
}

/** Adds a string item for a string-typed TLV (the field's default label shows it). */
function addString(p: Packet, field: number, buf: Uint8Array, tlv: Tlv): string {
  const t = p.tree;
  if (!t.keeps(field)) return '';
  const s = berString(buf, tlv.contentStart, tlv.end, tlv.tag);
  t.addValue(field, tlv.start, tlv.end - tlv.start, s);
  return s;
}

/** Adds a bytes item over a TLV's contents (INTEGER as bytes, OCTET STRING, BIT STRING minus padding). */
function addContents(p: Packet, field: number, tlv: Tlv, skip = 0): void {
  p.tree.add(field, tlv.contentStart + skip, Math.max(0, tlv.length - skip));
}

/** Time ::= CHOICE { utcTime, generalizedTime }: the choice item and the time under it. */
function addTime(p: Packet, field: number, buf: Uint8Array, tlv: Tlv): void {
  const t = p.tree;
  const gen = tlv.tag === BER_TAG.GeneralizedTime;
  const i = t.add(field, tlv.start, tlv.end - tlv.start, gen ? 1 : 0);
  t.open(i);
  if (t.keeps(gen ? F.generalizedTime : F.utcTime))
    t.addValue(
      gen ? F.generalizedTime : F.utcTime,
      tlv.contentStart,
      tlv.length,
      berTime(buf, tlv.contentStart, tlv.end, tlv.tag),
    );
  t.close();
}

/**
 * AlgorithmIdentifier { algorithm OID, parameters ANY DEFINED BY algorithm OPTIONAL }: the
 * parameters go to the protocol registered for the algorithm (pkcs-1's ECParameters for
 * id-ecPublicKey; RSA's NULL to a dissector that takes nothing). Returns the algorithm OID.
 */
export function dissectAlgorithmIdentifier(p: Packet, buf: Uint8Array, seq: Tlv, field: number, depth: number): string {
  const t = p.tree;
  const top = t.add(field, seq.start, seq.end - seq.start);
  t.open(top);
  const e = new Tlv();
  let oid = '';
  let at = seq.contentStart;
  if (next(buf, at, seq.end, e) && e.is(BER_CLASS.UNI, BER_TAG.OID)) {
    oid = addOid(p, F.algorithmId, buf, e);
    at = e.end;
    if (t.full) {
      const n = oidName(oid);
      if (n) t.setAppendedLabel(top, `${fieldByName(field)} (${n})`);
    }
    if (at < seq.end) callBerOid(p, oid, buf, at, seq.end, depth);
  } else {
    berError(p, seq.start, seq.end);
  }
  t.close();
  return oid;
}

function fieldByName(field: number): string {
  return fieldById(field).name;
}

/**
 * Name ::= CHOICE { rdnSequence RDNSequence }: each attribute value is handed to the protocol of
 * its type (x509sat for most). `choiceField` is the item for the CHOICE (issuer, subject, ...),
 * `seqField` the rdnSequence item (x509if's, or x509af's for a subject, as Wireshark names them).
 * Returns the one-line summary Wireshark puts in labels (full tree only, else '').
 */
export function dissectName(
  p: Packet,
  buf: Uint8Array,
  seq: Tlv,
  choiceField: number,
  seqField: number,
  depth: number,
): string {
  const t = p.tree;
  const choice = choiceField >= 0 ? t.add(choiceField, seq.start, seq.end - seq.start, 0) : -1;
  t.open(choice);
  const rs = t.add(seqField, seq.start, seq.end - seq.start, 0);
  t.open(rs);
  const parts: string[] = [];
  const rdn = new Tlv();
  const atv = new Tlv();
  const e = new Tlv();
  let count = 0;
  let at = seq.contentStart;
  while (next(buf, at, seq.end, rdn)) {
    at = rdn.end;
    count++;
    const ri = t.add(F.rdnItem, rdn.start, rdn.end - rdn.start, 0);
    t.open(ri);
    let items = 0;
    const rdnParts: string[] = [];
    let a = rdn.contentStart;
    while (next(buf, a, rdn.end, atv)) {
      a = atv.end;
      items++;
      const ai = t.add(F.rdnAttribute, atv.start, atv.end - atv.start);
      t.open(ai);
      if (next(buf, atv.contentStart, atv.end, e) && e.is(BER_CLASS.UNI, BER_TAG.OID)) {
        const oid = addOid(p, F.attributeOid, buf, e);
        const valueAt = e.end;
        let text = '';
        if (t.full && valueAt < atv.end && readTlv(buf, valueAt, atv.end, e))
          text = berString(buf, e.contentStart, e.end, e.tag);
        if (valueAt < atv.end) callBerOid(p, oid, buf, valueAt, atv.end, depth);
        if (t.full) {
          const part = `${oidResolved(oid)}=${text}`;
          rdnParts.push(part);
          t.setAppendedLabel(ai, `RelativeDistinguishedName item (${part})`);
        }
      } else {
        berError(p, atv.start, atv.end);
      }
      t.close();
    }
    t.close();
    if (t.full) {
      t.setAppendedLabel(ri, `RDNSequence item: ${items} item${items === 1 ? '' : 's'} (${rdnParts.join('+')})`);
      parts.push(rdnParts.join('+'));
    }
  }
  t.close();
  t.close();
  if (!t.full) return '';
  const summary = parts.reverse().join(',');
  t.setNumber(rs, count);
  t.setAppendedLabel(rs, `rdnSequence: ${count} item${count === 1 ? '' : 's'} (${summary})`);
  return summary;
}

/**
 * GeneralName ::= CHOICE (RFC 5280 4.2.1.6), context-tagged: otherName values go to the
 * protocol of their type-id, directory names through the attribute types' protocols.
 */
function dissectGeneralName(p: Packet, buf: Uint8Array, g: Tlv, field: number, depth: number): void {
  const t = p.tree;
  if (g.cls !== BER_CLASS.CON) {
    berError(p, g.start, g.end);
    return;
  }
  const i = t.add(field, g.start, g.end - g.start, g.tag);
  t.open(i);
  const e = new Tlv();
  switch (g.tag) {
    case 0: {
      // otherName: type-id OID, value [0] EXPLICIT ANY DEFINED BY type-id
      const oi = t.add(F.otherName, g.start, g.end - g.start);
      t.open(oi);
      if (next(buf, g.contentStart, g.end, e) && e.is(BER_CLASS.UNI, BER_TAG.OID)) {
        const oid = addOid(p, F.typeId, buf, e);
        const v = new Tlv();
        if (next(buf, e.end, g.end, v) && v.cls === BER_CLASS.CON && v.tag === 0 && v.length > 0)
          callBerOid(p, oid, buf, v.contentStart, v.end, depth);
      }
      t.close();
      break;
    }
    case 1:
      if (t.keeps(F.rfc822Name))
        t.addValue(F.rfc822Name, g.start, g.end - g.start, berString(buf, g.contentStart, g.end, BER_TAG.IA5String));
      break;
    case 2:
      if (t.keeps(F.dNSName))
        t.addValue(F.dNSName, g.start, g.end - g.start, berString(buf, g.contentStart, g.end, BER_TAG.IA5String));
      break;
    case 4:
      // directoryName [4] EXPLICIT Name
      if (next(buf, g.contentStart, g.end, e) && e.is(BER_CLASS.UNI, BER_TAG.SEQUENCE))
        dissectName(p, buf, e, F.directoryName, F.rdnSequence, depth + 1);
      break;
    case 6:
      if (t.keeps(F.uniformResourceIdentifier))
        t.addValue(
          F.uniformResourceIdentifier,
          g.start,
          g.end - g.start,
          berString(buf, g.contentStart, g.end, BER_TAG.IA5String),
        );
      break;
    case 7:
      // An IPv4 or IPv6 address shows as one; other lengths (name constraints' masks) as bytes.
      if (g.length === 4 && g.end <= buf.length)
        t.add(
          F.iPAddressV4,
          g.contentStart,
          4,
          ((buf[g.contentStart] << 24) |
            (buf[g.contentStart + 1] << 16) |
            (buf[g.contentStart + 2] << 8) |
            buf[g.contentStart + 3]) >>>
            0,
        );
      else if (g.length === 16 && g.end <= buf.length) t.add(F.iPAddressV6, g.contentStart, 16);
      else t.add(F.iPAddress, g.contentStart, g.length);
      break;
    case 8: {
      const oid = oidText(buf, g.contentStart, g.end);
      t.addValue(F.registeredID, g.start, g.end - g.start, oid);
      break;
    }
  }
  t.close();
}

/** GeneralNames ::= SEQUENCE OF GeneralName, from the contents buf[from..to). */
function dissectGeneralNames(
  p: Packet,
  buf: Uint8Array,
  start: number,
  from: number,
  to: number,
  field: number,
  depth: number,
): void {
  const t = p.tree;
  const top = t.add(field, start, to - start, 0);
  t.open(top);
  const g = new Tlv();
  let n = 0;
  for (let at = from; next(buf, at, to, g); at = g.end) {
    n++;
    dissectGeneralName(p, buf, g, F.generalName, depth);
  }
  t.close();
  if (t.full && top >= 0) {
    t.setNumber(top, n);
    t.setLabel(
      top,
      `${field === F.generalNames ? 'GeneralNames' : (t.abbrevOf(top).split('.')[1] ?? '')}: ${n} item${n === 1 ? '' : 's'}`,
    );
  }
}

/** Sets "name: N items" on a SEQUENCE OF item. */
function countLabel(p: Packet, i: number, name: string, n: number): void {
  const t = p.tree;
  if (!t.full || i < 0) return;
  t.setNumber(i, n);
  t.setLabel(i, `${name}: ${n} item${n === 1 ? '' : 's'}`);
}

/**
 * Extensions ::= SEQUENCE OF Extension { extnID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET
 * STRING }: the value inside the OCTET STRING goes to the protocol registered for extnID.
 */
export function dissectExtensions(
  p: Packet,
  buf: Uint8Array,
  seq: Tlv,
  field: number,
  depth: number,
  pkix1explicit = false,
): void {
  const t = p.tree;
  const top = t.add(field, seq.start, seq.end - seq.start, 0);
  t.open(top);
  const ext = new Tlv();
  const e = new Tlv();
  let n = 0;
  for (let at = seq.contentStart; next(buf, at, seq.end, ext); at = ext.end) {
    n++;
    const ei = t.add(pkix1explicit ? F.p1eExtension : F.extension, ext.start, ext.end - ext.start);
    t.open(ei);
    let a = ext.contentStart;
    if (!next(buf, a, ext.end, e) || !e.is(BER_CLASS.UNI, BER_TAG.OID)) {
      berError(p, ext.start, ext.end);
      t.close();
      continue;
    }
    const oid = addOid(p, pkix1explicit ? F.p1eId : F.extensionId, buf, e);
    if (t.full && !pkix1explicit) t.setAppendedLabel(ei, `Extension (${oidResolved(oid)})`);
    a = e.end;
    if (next(buf, a, ext.end, e) && e.is(BER_CLASS.UNI, BER_TAG.BOOLEAN)) {
      t.add(
        pkix1explicit ? F.p1eCritical : F.critical,
        e.start,
        e.end - e.start,
        berUint(buf, e.contentStart, e.end) !== 0 ? 1 : 0,
      );
      a = e.end;
    }
    if (next(buf, a, ext.end, e) && e.is(BER_CLASS.UNI, BER_TAG.OCTETSTRING)) {
      if (e.length > 0) callBerOid(p, oid, buf, e.contentStart, e.end, depth);
    } else {
      berError(p, a, ext.end);
    }
    t.close();
  }
  t.close();
  countLabel(p, top, fieldById(field).name, n);
}

/** SubjectPublicKeyInfo { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING }. */
function dissectSubjectPublicKeyInfo(p: Packet, buf: Uint8Array, seq: Tlv, depth: number): void {
  const t = p.tree;
  const top = t.add(F.subjectPublicKeyInfo, seq.start, seq.end - seq.start);
  t.open(top);
  const e = new Tlv();
  let oid = '';
  let at = seq.contentStart;
  if (next(buf, at, seq.end, e) && e.is(BER_CLASS.UNI, BER_TAG.SEQUENCE)) {
    oid = dissectAlgorithmIdentifier(p, buf, e, F.algorithm, depth);
    at = e.end;
  }
  if (next(buf, at, seq.end, e) && e.is(BER_CLASS.UNI, BER_TAG.BITSTRING) && e.length > 0) {
    // An RSA key's BIT STRING is decoded as RSAPublicKey, without the padding item.
    if (oid !== RSA_ENCRYPTION) bitStringPadding(p, buf, e);
    const ki = t.add(F.subjectPublicKey, e.contentStart + 1, e.length - 1);
    // x509af decodes an RSA key in place (dissect_pkcs1_RSAPublicKey, no layer of its own).
    if (oid === RSA_ENCRYPTION) {
      t.open(ki);
      const k = new Tlv();
      const v = new Tlv();
      if (next(buf, e.contentStart + 1, e.end, k) && k.is(BER_CLASS.UNI, BER_TAG.SEQUENCE)) {
        if (next(buf, k.contentStart, k.end, v) && v.is(BER_CLASS.UNI, BER_TAG.INTEGER)) {
          addBigInteger(p, F.modulus, 'modulus', buf, v);
          if (next(buf, v.end, k.end, v) && v.is(BER_CLASS.UNI, BER_TAG.INTEGER))
            t.add(F.publicExponent, v.start, v.end - v.start, berInt(buf, v.contentStart, v.end));
        }
      }
      t.close();
    }
  }
  t.close();
}

/**
 * Certificate ::= SIGNED { TBSCertificate } (X.509 / RFC 5280 4.1) at the TLV `cert`. Returns the
 * subject summary in full mode (for the TLS certificate label), else ''.
 */
export function dissectCertificate(p: Packet, buf: Uint8Array, cert: Tlv, depth: number): string {
  if (depth > BER_MAX_DEPTH) return '';
  const t = p.tree;
  const e = new Tlv();
  let subject = '';
  if (!next(buf, cert.contentStart, cert.end, e) || !e.is(BER_CLASS.UNI, BER_TAG.SEQUENCE)) {
    berError(p, cert.start, cert.end);
    return '';
  }
  const tbs = new Tlv();
  tbs.start = e.start;
  tbs.contentStart = e.contentStart;
  tbs.length = e.length;
  const ti = t.add(F.signedCertificate, tbs.start, tbs.end - tbs.start);
  t.open(ti);
  let at = tbs.contentStart;
  // version [0] EXPLICIT Version DEFAULT v1
  if (next(buf, at, tbs.end, e) && e.cls === BER_CLASS.CON && e.tag === 0) {
    const v = new Tlv();
    if (next(buf, e.contentStart, e.end, v) && v.is(BER_CLASS.UNI, BER_TAG.INTEGER))
      t.add(F.version, v.start, v.end - v.start, berInt(buf, v.contentStart, v.end));
    at = e.end;
  }
  if (next(buf, at, tbs.end, e) && e.is(BER_CLASS.UNI, BER_TAG.INTEGER)) {
    addBigInteger(p, F.serialNumber, 'serialNumber', buf, e);
    at = e.end;
  }
  if (next(buf, at, tbs.end, e) && e.is(BER_CLASS.UNI, BER_TAG.SEQUENCE)) {
    dissectAlgorithmIdentifier(p, buf, e, F.signature, depth);
    at = e.end;
  }
  if (next(buf, at, tbs.end, e) && e.is(BER_CLASS.UNI, BER_TAG.SEQUENCE)) {
    dissectName(p, buf, e, F.issuer, F.rdnSequence, depth);
    at = e.end;
  }
  if (next(buf, at, tbs.end, e) && e.is(BER_CLASS.UNI, BER_TAG.SEQUENCE)) {
    const vi = t.add(F.validity, e.start, e.end - e.start);
    t.open(vi);
    const v = new Tlv();
    let va = e.contentStart;
    if (next(buf, va, e.end, v)) {
      addTime(p, F.notBefore, buf, v);
      va = v.end;
    }
    if (next(buf, va, e.end, v)) addTime(p, F.notAfter, buf, v);
    t.close();
    at = e.end;
  }
  if (next(buf, at, tbs.end, e) && e.is(BER_CLASS.UNI, BER_TAG.SEQUENCE)) {
    subject = dissectName(p, buf, e, F.subject, F.subjectRdnSequence, depth);
    at = e.end;
  }
  if (next(buf, at, tbs.end, e) && e.is(BER_CLASS.UNI, BER_TAG.SEQUENCE)) {
    dissectSubjectPublicKeyInfo(p, buf, e, depth);
    at = e.end;
  }
  while (next(buf, at, tbs.end, e)) {
    at = e.end;
    if (e.cls !== BER_CLASS.CON) continue;
    if (e.tag === 1) addContents(p, F.issuerUniqueIdentifier, e, 1);
    else if (e.tag === 2) addContents(p, F.subjectUniqueIdentifier, e, 1);
    else if (e.tag === 3) {
      const x = new Tlv();
      if (next(buf, e.contentStart, e.end, x) && x.is(BER_CLASS.UNI, BER_TAG.SEQUENCE))
        dissectExtensions(p, buf, x, F.extensions, depth);
    }
  }
  t.close();
  at = tbs.end;
  if (next(buf, at, cert.end, e) && e.is(BER_CLASS.UNI, BER_TAG.SEQUENCE)) {
    dissectAlgorithmIdentifier(p, buf, e, F.algorithmIdentifier, depth);
    at = e.end;
  }
  if (next(buf, at, cert.end, e) && e.is(BER_CLASS.UNI, BER_TAG.BITSTRING)) {
    bitStringPadding(p, buf, e);
    addContents(p, F.encrypted, e, 1);
  }
  return subject;
}

/**
 * Dissects a DER certificate at buf[off..end) (as TLS and the media type hand it over). Returns
 * the subject summary in full mode.
 */
export function dissectCertificateAt(p: Packet, buf: Uint8Array, off: number, end: number, depth = 0): string {
  const c = new Tlv();
  if (!readTlv(buf, off, end, c) || !c.is(BER_CLASS.UNI, BER_TAG.SEQUENCE)) {
    berError(p, off, end);
    return '';
  }
  return dissectCertificate(p, buf, c, depth);
}

/**
 * CertificateList (a CRL, RFC 5280 5.1): TBSCertList { version OPTIONAL, signature, issuer,
 * thisUpdate, nextUpdate OPTIONAL, revokedCertificates OPTIONAL, crlExtensions [0] OPTIONAL }.
 */
export function dissectCertificateList(p: Packet, buf: Uint8Array, off: number, end: number): void {
  const t = p.tree;
  const c = new Tlv();
  const e = new Tlv();
  if (
    !readTlv(buf, off, end, c) ||
    !c.is(BER_CLASS.UNI, BER_TAG.SEQUENCE) ||
    !next(buf, c.contentStart, c.end, e) ||
    !e.is(BER_CLASS.UNI, BER_TAG.SEQUENCE)
  ) {
    berError(p, off, end);
    return;
  }
  const tbsEnd = e.end;
  const ti = t.add(F.signedCertificateList, e.start, e.end - e.start);
  t.open(ti);
  let at = e.contentStart;
  if (next(buf, at, tbsEnd, e) && e.is(BER_CLASS.UNI, BER_TAG.INTEGER)) {
    t.add(F.version, e.start, e.end - e.start, berInt(buf, e.contentStart, e.end));
    at = e.end;
  }
  if (next(buf, at, tbsEnd, e) && e.is(BER_CLASS.UNI, BER_TAG.SEQUENCE)) {
    dissectAlgorithmIdentifier(p, buf, e, F.signature, 0);
    at = e.end;
  }
  if (next(buf, at, tbsEnd, e) && e.is(BER_CLASS.UNI, BER_TAG.SEQUENCE)) {
    dissectName(p, buf, e, F.issuer, F.rdnSequence, 0);
    at = e.end;
  }
  if (
    next(buf, at, tbsEnd, e) &&
    e.cls === BER_CLASS.UNI &&
    (e.tag === BER_TAG.UTCTime || e.tag === BER_TAG.GeneralizedTime)
  ) {
    addTime(p, F.thisUpdate, buf, e);
    at = e.end;
  }
  if (
    next(buf, at, tbsEnd, e) &&
    e.cls === BER_CLASS.UNI &&
    (e.tag === BER_TAG.UTCTime || e.tag === BER_TAG.GeneralizedTime)
  ) {
    addTime(p, F.nextUpdate, buf, e);
    at = e.end;
  }
  if (next(buf, at, tbsEnd, e) && e.is(BER_CLASS.UNI, BER_TAG.SEQUENCE)) {
    const ri = t.add(F.revokedCertificates, e.start, e.end - e.start, 0);
    t.open(ri);
    const r = new Tlv();
    const v = new Tlv();
    let n = 0;
    for (let a = e.contentStart; next(buf, a, e.end, r); a = r.end) {
      n++;
      const ii = t.add(F.revokedCertificate, r.start, r.end - r.start);
      t.open(ii);
      let b = r.contentStart;
      if (next(buf, b, r.end, v) && v.is(BER_CLASS.UNI, BER_TAG.INTEGER)) {
        addBigInteger(p, F.revokedSerialNumber, 'serialNumber', buf, v);
        b = v.end;
      }
      if (
        next(buf, b, r.end, v) &&
        v.cls === BER_CLASS.UNI &&
        (v.tag === BER_TAG.UTCTime || v.tag === BER_TAG.GeneralizedTime)
      ) {
        addTime(p, F.revocationDate, buf, v);
        b = v.end;
      }
      if (next(buf, b, r.end, v) && v.is(BER_CLASS.UNI, BER_TAG.SEQUENCE))
        dissectExtensions(p, buf, v, F.crlEntryExtensions, 0);
      t.close();
    }
    t.close();
    countLabel(p, ri, 'revokedCertificates', n);
    at = e.end;
  }
  if (next(buf, at, tbsEnd, e) && e.cls === BER_CLASS.CON && e.tag === 0) {
    const x = new Tlv();
    if (next(buf, e.contentStart, e.end, x) && x.is(BER_CLASS.UNI, BER_TAG.SEQUENCE))
      dissectExtensions(p, buf, x, F.crlExtensions, 0);
  }
  t.close();
  at = tbsEnd;
  if (next(buf, at, c.end, e) && e.is(BER_CLASS.UNI, BER_TAG.SEQUENCE)) {
    dissectAlgorithmIdentifier(p, buf, e, F.algorithmIdentifier, 0);
    at = e.end;
  }
  if (next(buf, at, c.end, e) && e.is(BER_CLASS.UNI, BER_TAG.BITSTRING)) {
    bitStringPadding(p, buf, e);
    addContents(p, F.encrypted, e, 1);
  }
}

// ---------------------------------------------------------------------------------------------
// Values handed over by OID. Each receives buf[off..end) holding the value's TLV.

/** x509sat DirectoryString ::= CHOICE { teletexString, printableString, universalString, bmpString, uTF8String }. */
function directoryString(p: Packet, buf: Uint8Array, off: number, end: number): void {
  const v = new Tlv();
  if (!readTlv(buf, off, end, v)) return;
  const t = p.tree;
  const choice =
    v.tag === BER_TAG.TeletexString
      ? 0
      : v.tag === BER_TAG.PrintableString
        ? 1
        : v.tag === BER_TAG.UniversalString
          ? 2
          : v.tag === BER_TAG.BMPString
            ? 3
            : v.tag === BER_TAG.UTF8String
              ? 4
              : -1;
  if (choice < 0 || v.cls !== BER_CLASS.UNI) {
    // Wireshark accepts IA5 here too in practice (a BER choice mismatch): show it as IA5String.
    addString(p, F.ia5String, buf, v);
    return;
  }
  const i = t.add(F.directoryString, v.start, v.end - v.start, choice);
  t.open(i);
  const field = [F.teletexString, F.printableString, F.universalString, F.bmpString, F.uTF8String][choice];
  addString(p, field, buf, v);
  t.close();
}

function stringValue(field: number): (p: Packet, buf: Uint8Array, off: number, end: number) => void {
  return (p, buf, off, end) => {
    const v = new Tlv();
    if (readTlv(buf, off, end, v)) addString(p, field, buf, v);
  };
}

/** Extension values wrapped in a SEQUENCE: read it, then `body` walks its contents. */
function withSequence(body: (p: Packet, buf: Uint8Array, seq: Tlv, depth: number) => void) {
  return (p: Packet, buf: Uint8Array, off: number, end: number, depth: number): void => {
    const s = new Tlv();
    if (readTlv(buf, off, end, s) && s.constructed) body(p, buf, s, depth);
  };
}

const generalNamesValue = withSequence((p, buf, s, depth) =>
  dissectGeneralNames(p, buf, s.start, s.contentStart, s.end, F.generalNames, depth),
);

const basicConstraints = withSequence((p, buf, s) => {
  const t = p.tree;
  const i = t.add(F.basicConstraints, s.start, s.end - s.start);
  if (s.length === 0) t.setLabel(i, 'BasicConstraintsSyntax [0 length]');
  t.open(i);
  const e = new Tlv();
  let at = s.contentStart;
  if (next(buf, at, s.end, e) && e.is(BER_CLASS.UNI, BER_TAG.BOOLEAN)) {
    t.add(F.cA, e.start, e.end - e.start, berUint(buf, e.contentStart, e.end) !== 0 ? 1 : 0);
    at = e.end;
  }
  if (next(buf, at, s.end, e) && e.is(BER_CLASS.UNI, BER_TAG.INTEGER))
    t.add(F.pathLenConstraint, e.start, e.end - e.start, berUint(buf, e.contentStart, e.end));
  t.close();
});

const KEY_USAGE_BITS = [
  F.kuDigitalSignature,
  F.kuContentCommitment,
  F.kuKeyEncipherment,
  F.kuDataEncipherment,
  F.kuKeyAgreement,
  F.kuKeyCertSign,
  F.kuCRLSign,
  F.kuEncipherOnly,
];

/** KeyUsage ::= BIT STRING (RFC 5280 4.2.1.3): each named bit, decipherOnly in the second byte. */
function keyUsage(p: Packet, buf: Uint8Array, off: number, end: number): void {
  const v = new Tlv();
  if (!readTlv(buf, off, end, v) || v.length === 0 || v.end > buf.length) return;
  const t = p.tree;
  bitStringPadding(p, buf, v);
  const i = t.add(F.keyUsage, v.contentStart + 1, v.length - 1);
  t.open(i);
  const b0 = v.length > 1 ? buf[v.contentStart + 1] : 0;
  for (let k = 0; k < 8; k++) t.add(KEY_USAGE_BITS[k], v.contentStart + 1, 1, (b0 >> (7 - k)) & 1);
  const b1 = v.length > 2 ? buf[v.contentStart + 2] : 0;
  t.add(F.kuDecipherOnly, v.contentStart + Math.min(2, v.length - 1), 1, b1 >> 7);
  t.close();
}

/** A BIT STRING's first content octet: the unused bits of its last octet. */
function bitStringPadding(p: Packet, buf: Uint8Array, v: Tlv): void {
  if (v.length > 0 && v.contentStart < buf.length)
    p.tree.add(berFields.bitstringPadding, v.contentStart, 1, buf[v.contentStart]);
}

/** An INTEGER too wide for a number, shown as Wireshark does: "0x" and its octets. */
export function addBigInteger(p: Packet, field: number, name: string, buf: Uint8Array, v: Tlv): void {
  const t = p.tree;
  const i = t.add(field, v.contentStart, v.length);
  if (!t.full || i < 0) return;
  let hex = '';
  const n = Math.min(v.length, 36);
  for (let k = v.contentStart; k < v.contentStart + n && k < buf.length; k++)
    hex += buf[k].toString(16).padStart(2, '0');
  t.setLabel(i, `${name}: 0x${hex}${v.length > 36 ? '…' : ''}`);
}

function subjectKeyIdentifier(p: Packet, buf: Uint8Array, off: number, end: number): void {
  const v = new Tlv();
  if (readTlv(buf, off, end, v)) addContents(p, F.subjectKeyIdentifier, v);
}

const authorityKeyIdentifier = withSequence((p, buf, s, depth) => {
  const t = p.tree;
  const i = t.add(F.authorityKeyIdentifier, s.start, s.end - s.start);
  t.open(i);
  const e = new Tlv();
  for (let at = s.contentStart; next(buf, at, s.end, e); at = e.end) {
    if (e.cls !== BER_CLASS.CON) continue;
    if (e.tag === 0) addContents(p, F.keyIdentifier, e);
    else if (e.tag === 1) dissectGeneralNames(p, buf, e.start, e.contentStart, e.end, F.authorityCertIssuer, depth);
    else if (e.tag === 2) addContents(p, F.authorityCertSerialNumber, e);
  }
  t.close();
});

const extKeyUsage = withSequence((p, buf, s) => {
  const t = p.tree;
  const i = t.add(F.keyPurposeIds, s.start, s.end - s.start, 0);
  t.open(i);
  const e = new Tlv();
  let n = 0;
  for (let at = s.contentStart; next(buf, at, s.end, e); at = e.end) {
    n++;
    if (e.is(BER_CLASS.UNI, BER_TAG.OID)) addOid(p, F.keyPurposeId, buf, e);
  }
  t.close();
  countLabel(p, i, 'KeyPurposeIDs', n);
});

/** CertificatePolicies: each qualifier goes to the protocol of its policyQualifierId. */
const certificatePolicies = withSequence((p, buf, s, depth) => {
  const t = p.tree;
  const top = t.add(F.certificatePolicies, s.start, s.end - s.start, 0);
  t.open(top);
  const pi = new Tlv();
  const e = new Tlv();
  const q = new Tlv();
  const f = new Tlv();
  let n = 0;
  for (let at = s.contentStart; next(buf, at, s.end, pi); at = pi.end) {
    n++;
    const ii = t.add(F.policyInformation, pi.start, pi.end - pi.start);
    t.open(ii);
    let a = pi.contentStart;
    if (next(buf, a, pi.end, e) && e.is(BER_CLASS.UNI, BER_TAG.OID)) {
      addOid(p, F.policyIdentifier, buf, e);
      a = e.end;
    }
    if (next(buf, a, pi.end, e) && e.is(BER_CLASS.UNI, BER_TAG.SEQUENCE)) {
      const qs = t.add(F.policyQualifiers, e.start, e.end - e.start, 0);
      t.open(qs);
      let m = 0;
      for (let b = e.contentStart; next(buf, b, e.end, q); b = q.end) {
        m++;
        const qi = t.add(F.policyQualifierInfo, q.start, q.end - q.start);
        t.open(qi);
        if (next(buf, q.contentStart, q.end, f) && f.is(BER_CLASS.UNI, BER_TAG.OID)) {
          const oid = addOid(p, F.policyQualifierId, buf, f);
          if (f.end < q.end) callBerOid(p, oid, buf, f.end, q.end, depth);
        }
        t.close();
      }
      t.close();
      countLabel(p, qs, 'policyQualifiers', m);
    }
    t.close();
  }
  t.close();
  countLabel(p, top, 'CertificatePoliciesSyntax', n);
});

/** CRLDistributionPoints ::= SEQUENCE OF DistributionPoint (RFC 5280 4.2.1.13). */
const crlDistributionPoints = withSequence((p, buf, s, depth) => {
  const t = p.tree;
  const top = t.add(F.crlDistPoints, s.start, s.end - s.start, 0);
  t.open(top);
  const dp = new Tlv();
  const e = new Tlv();
  const n2 = new Tlv();
  let n = 0;
  for (let at = s.contentStart; next(buf, at, s.end, dp); at = dp.end) {
    n++;
    const di = t.add(F.distributionPointElement, dp.start, dp.end - dp.start);
    t.open(di);
    for (let a = dp.contentStart; next(buf, a, dp.end, e); a = e.end) {
      if (e.cls !== BER_CLASS.CON) continue;
      if (e.tag === 0 && next(buf, e.contentStart, e.end, n2) && n2.cls === BER_CLASS.CON) {
        const ci = t.add(F.distributionPoint, e.start, e.end - e.start, n2.tag);
        t.open(ci);
        if (n2.tag === 0) dissectGeneralNames(p, buf, n2.start, n2.contentStart, n2.end, F.fullName, depth);
        else if (n2.tag === 1) {
          // nameRelativeToCRLIssuer: one RDN's attribute values, by type
          const atv = new Tlv();
          const o = new Tlv();
          for (let b = n2.contentStart; next(buf, b, n2.end, atv); b = atv.end)
            if (next(buf, atv.contentStart, atv.end, o) && o.is(BER_CLASS.UNI, BER_TAG.OID)) {
              const oid = addOid(p, F.attributeOid, buf, o);
              if (o.end < atv.end) callBerOid(p, oid, buf, o.end, atv.end, depth);
            }
        }
        t.close();
      } else if (e.tag === 2) {
        dissectGeneralNames(p, buf, e.start, e.contentStart, e.end, F.cRLIssuer, depth);
      }
    }
    t.close();
  }
  t.close();
  countLabel(p, top, 'CRLDistPointsSyntax', n);
});

/** CRLNumber ::= INTEGER, CRLReason ::= ENUMERATED (RFC 5280 5.2.3, 5.3.1). */
function crlNumber(p: Packet, buf: Uint8Array, off: number, end: number): void {
  const v = new Tlv();
  if (readTlv(buf, off, end, v)) p.tree.add(F.cRLNumber, v.start, v.end - v.start, berUint(buf, v.contentStart, v.end));
}
function crlReason(p: Packet, buf: Uint8Array, off: number, end: number): void {
  const v = new Tlv();
  if (readTlv(buf, off, end, v)) p.tree.add(F.cRLReason, v.start, v.end - v.start, berUint(buf, v.contentStart, v.end));
}

/** Microsoft's CertificateTemplate { templateID, templateMajorVersion, templateMinorVersion OPTIONAL }. */
const certificateTemplate = withSequence((p, buf, s) => {
  const t = p.tree;
  const i = t.add(F.certificateTemplate, s.start, s.end - s.start);
  t.open(i);
  const e = new Tlv();
  let at = s.contentStart;
  if (next(buf, at, s.end, e) && e.is(BER_CLASS.UNI, BER_TAG.OID)) {
    addOid(p, F.templateID, buf, e);
    at = e.end;
  }
  for (const f of [F.templateMajorVersion, F.templateMinorVersion]) {
    if (!next(buf, at, s.end, e) || !e.is(BER_CLASS.UNI, BER_TAG.INTEGER)) break;
    t.add(f, e.start, e.end - e.start, berInt(buf, e.contentStart, e.end));
    at = e.end;
  }
  t.close();
});

/** NameConstraints { permittedSubtrees [0], excludedSubtrees [1] } of GeneralSubtree { base, ... }. */
const nameConstraints = withSequence((p, buf, s, depth) => {
  const e = new Tlv();
  const st = new Tlv();
  const b = new Tlv();
  for (let at = s.contentStart; next(buf, at, s.end, e); at = e.end)
    for (let a = e.contentStart; next(buf, a, e.end, st); a = st.end)
      if (next(buf, st.contentStart, st.end, b)) dissectGeneralName(p, buf, b, F.generalName, depth);
});

/** SubjectDirectoryAttributes ::= SEQUENCE OF Attribute { type, values SET OF ANY DEFINED BY type }. */
const subjectDirectoryAttributes = withSequence((p, buf, s, depth) => {
  const a = new Tlv();
  const o = new Tlv();
  const set = new Tlv();
  const v = new Tlv();
  for (let at = s.contentStart; next(buf, at, s.end, a); at = a.end) {
    if (!next(buf, a.contentStart, a.end, o) || !o.is(BER_CLASS.UNI, BER_TAG.OID)) continue;
    const oid = addOid(p, F.attributeType, buf, o);
    if (!next(buf, o.end, a.end, set)) continue;
    for (let b = set.contentStart; next(buf, b, set.end, v); b = v.end) callBerOid(p, oid, buf, v.start, v.end, depth);
  }
});

/** AuthorityInfoAccessSyntax ::= SEQUENCE OF AccessDescription { accessMethod, accessLocation }. */
const authorityInfoAccess = withSequence((p, buf, s, depth) => {
  const t = p.tree;
  const top = t.add(F.authorityInfoAccess, s.start, s.end - s.start, 0);
  t.open(top);
  const ad = new Tlv();
  const e = new Tlv();
  let n = 0;
  for (let at = s.contentStart; next(buf, at, s.end, ad); at = ad.end) {
    n++;
    const ai = t.add(F.accessDescription, ad.start, ad.end - ad.start);
    t.open(ai);
    if (next(buf, ad.contentStart, ad.end, e) && e.is(BER_CLASS.UNI, BER_TAG.OID)) {
      addOid(p, F.accessMethod, buf, e);
      if (next(buf, e.end, ad.end, e)) dissectGeneralName(p, buf, e, F.accessLocation, depth);
    }
    t.close();
  }
  t.close();
  countLabel(p, top, 'AuthorityInfoAccessSyntax', n);
});

/** UserNotice { noticeRef OPTIONAL, explicitText DisplayText OPTIONAL } (RFC 5280 4.2.1.4). */
const userNotice = withSequence((p, buf, s) => {
  const t = p.tree;
  const i = t.add(F.userNotice, s.start, s.end - s.start);
  t.open(i);
  const e = new Tlv();
  for (let at = s.contentStart; next(buf, at, s.end, e); at = e.end)
    if (!e.constructed) addString(p, F.explicitText, buf, e);
  t.close();
});

/** pkcs-1 ECParameters ::= CHOICE { specifiedCurve, namedCurve OID, implicitCurve NULL }. */
function ecParameters(p: Packet, buf: Uint8Array, off: number, end: number): void {
  const v = new Tlv();
  if (!readTlv(buf, off, end, v)) return;
  const t = p.tree;
  const choice = v.is(BER_CLASS.UNI, BER_TAG.OID) ? 1 : v.is(BER_CLASS.UNI, BER_TAG.NULL) ? 2 : 0;
  const i = t.add(F.ecParameters, v.start, v.end - v.start, choice);
  t.open(i);
  if (choice === 1) addOid(p, F.namedCurve, buf, v);
  t.close();
}

const X509SAT = 'x509sat';
const X509CE = 'x509ce';
const X509AF = 'x509af';
const X509IF = 'x509if';
const PKCS1 = 'pkcs-1';
const P1I = 'pkix1implicit';
const P1E = 'pkix1explicit';

// x509sat attribute types (Wireshark 4.0's registrations; DirectoryString unless noted).
const directoryStringAttributes: [number, string][] = [
  [3, 'id-at-commonName'],
  [4, 'id-at-surname'],
  [7, 'id-at-localityName'],
  [8, 'id-at-stateOrProvinceName'],
  [9, 'id-at-streetAddress'],
  [10, 'id-at-organizationName'],
  [11, 'id-at-organizationalUnitName'],
  [12, 'id-at-title'],
  [13, 'id-at-description'],
  [15, 'id-at-businessCategory'],
  [17, 'id-at-postalCode'],
  [18, 'id-at-postOfficeBox'],
  [19, 'id-at-physicalDeliveryOfficeName'],
  [41, 'id-at-name'],
  [42, 'id-at-givenName'],
  [43, 'id-at-initials'],
  [44, 'id-at-generationQualifier'],
  [46, 'id-at-dnQualifier'],
  [51, 'id-at-houseIdentifier'],
  [54, 'id-at-dmdName'],
  [65, 'id-at-pseudonym'],
];
for (const [n, name] of directoryStringAttributes) registerBerOid(`2.5.4.${n}`, name, X509SAT, directoryString);
registerBerOid('2.5.4.6', 'id-at-countryName', X509SAT, stringValue(F.countryName));
registerBerOid('2.5.4.5', 'id-at-serialNumber', X509SAT, stringValue(F.satPrintableString));
const otherSatAttributes: [number, string][] = [
  [0, 'id-at-objectClass'],
  [2, 'id-at-knowledgeInformation'],
  [14, 'id-at-searchGuide'],
  [16, 'id-at-postalAddress'],
  [20, 'id-at-telephoneNumber'],
  [21, 'id-at-telexNumber'],
  [23, 'id-at-facsimileTelephoneNumber'],
  [24, 'id-at-x121Address'],
  [25, 'id-at-internationalISDNNumber'],
  [26, 'id-at-registeredAddress'],
  [27, 'id-at-destinationIndicator'],
  [28, 'id-at-preferredDeliveryMethod'],
  [29, 'id-at-presentationAddress'],
  [30, 'id-at-supportedApplicationContext'],
  [35, 'id-at-userPassword'],
  [45, 'id-at-uniqueIdentifier'],
  [47, 'id-at-enhancedSearchGuide'],
  [48, 'id-at-protocolInformation'],
  [50, 'id-at-uniqueMember'],
  [52, 'id-at-supportedAlgorithms'],
  [56, 'id-at-dmdName'],
  [66, 'id-at-communicationsService'],
  [67, 'id-at-communicationsNetwork'],
];
for (const [n, name] of otherSatAttributes) registerBerOid(`2.5.4.${n}`, name, X509SAT);
for (const n of [1, 31, 32, 33, 34, 49]) registerBerOid(`2.5.4.${n}`, `id-at-${n}`, X509IF);
for (const n of [36, 37, 38, 39, 40, 53, 58, 59]) registerBerOid(`2.5.4.${n}`, `id-at-${n}`, X509AF);
registerBerOid('2.5.4.55', 'id-at-clearance', 'pkixac');
registerBerOid('2.5.4.72', 'id-at-role', 'pkixac');
registerBerOid('1.2.840.113549.1.9.1', 'pkcs-9-at-emailAddress', X509SAT, stringValue(F.ia5String));
for (const n of [7, 8, 13, 20, 21]) registerBerOid(`1.2.840.113549.1.9.${n}`, `pkcs-9-at-${n}`, X509SAT);
for (const n of [3, 4, 5, 6, 15]) registerBerOid(`1.2.840.113549.1.9.${n}`, `pkcs-9-at-${n}`, 'cms');
registerBerOid('1.2.840.113549.1.9.9', 'pkcs-9-at-extendedCertificateAttributes', 'pkcs10');
registerBerOid('1.2.840.113549.1.9.14', 'pkcs-9-at-extensionRequest', P1E);
registerBerOid('0.9.2342.19200300.100.1.25', 'dc', X509SAT, stringValue(F.ia5String));
registerBerOid('0.9.2342.19200300.100.1.1', 'userid', X509AF);
for (const n of [1, 2, 3, 4, 5]) registerBerOid(`1.3.6.1.5.5.7.9.${n}`, `id-pda-${n}`, X509SAT);
registerBerOid('1.3.6.1.4.1.311.60.2.1.1', 'jurisdictionOfIncorporationLocalityName', X509SAT, directoryString);
registerBerOid('1.3.6.1.4.1.311.60.2.1.2', 'jurisdictionOfIncorporationStateOrProvinceName', X509SAT, directoryString);
registerBerOid(
  '1.3.6.1.4.1.311.60.2.1.3',
  'jurisdictionOfIncorporationCountryName',
  X509SAT,
  stringValue(F.countryName),
);
registerBerOid('1.3.6.1.4.1.311.20.2.3', 'id-ms-user-principal-name', X509SAT);
for (const n of [1, 2, 3, 4]) registerBerOid(`1.3.6.1.4.1.311.21.${n}`, `ms-cert-21-${n}`, X509SAT);
for (const n of [1, 2]) registerBerOid(`1.3.6.1.4.1.311.20.2.${n}`, `ms-cert-20-2-${n}`, P1I);
for (const n of [5, 6]) registerBerOid(`1.3.6.1.4.1.311.21.${n}`, `ms-cert-21-${n}`, P1I);
registerBerOid('1.3.6.1.4.1.311.21.7', 'id-ms-certificate-template', X509CE, certificateTemplate);
registerBerOid('1.3.6.1.4.1.311.21.10', 'id-ms-application-certificate-policies', X509CE, certificatePolicies);
registerBerOid('1.2.840.113533.7.65.0', 'id-ce-entrustVersionInfo', X509CE);

// x509ce certificate and CRL extensions (2.5.29.*)
const ceExtensions: [
  number,
  string,
  ((p: Packet, buf: Uint8Array, off: number, end: number, depth: number) => void) | undefined,
][] = [
  [3, 'id-ce-certificatePolicies', undefined],
  [9, 'id-ce-subjectDirectoryAttributes', subjectDirectoryAttributes],
  [14, 'id-ce-subjectKeyIdentifier', subjectKeyIdentifier],
  [15, 'id-ce-keyUsage', keyUsage],
  [16, 'id-ce-privateKeyUsagePeriod', undefined],
  [17, 'id-ce-subjectAltName', generalNamesValue],
  [18, 'id-ce-issuerAltName', generalNamesValue],
  [19, 'id-ce-basicConstraints', basicConstraints],
  [20, 'id-ce-cRLNumber', crlNumber],
  [21, 'id-ce-cRLReasons', crlReason],
  [23, 'id-ce-holdInstructionCode', undefined],
  [24, 'id-ce-invalidityDate', undefined],
  [27, 'id-ce-deltaCRLIndicator', crlNumber],
  [28, 'id-ce-issuingDistributionPoint', undefined],
  [29, 'id-ce-certificateIssuer', generalNamesValue],
  [30, 'id-ce-nameConstraints', nameConstraints],
  [31, 'id-ce-cRLDistributionPoints', crlDistributionPoints],
  [32, 'id-ce-certificatePolicies', certificatePolicies],
  [33, 'id-ce-policyMappings', undefined],
  [35, 'id-ce-authorityKeyIdentifier', authorityKeyIdentifier],
  [36, 'id-ce-policyConstraints', undefined],
  [37, 'id-ce-extKeyUsage', extKeyUsage],
  [40, 'id-ce-crlStreamIdentifier', undefined],
  [44, 'id-ce-crlScope', undefined],
  [45, 'id-ce-statusReferrals', undefined],
  [46, 'id-ce-freshestCRL', crlDistributionPoints],
  [47, 'id-ce-orderedList', undefined],
  [51, 'id-ce-baseUpdateTime', undefined],
  [53, 'id-ce-deltaInfo', undefined],
  [54, 'id-ce-inhibitAnyPolicy', undefined],
  [58, 'id-ce-toBeRevoked', undefined],
  [59, 'id-ce-revokedGroups', undefined],
  [60, 'id-ce-expiredCertsOnCRL', undefined],
  [61, 'id-ce-aAissuingDistributionPoint', undefined],
];
for (const [n, name, fn] of ceExtensions) registerBerOid(`2.5.29.${n}`, name, X509CE, fn);
registerBerOid('2.5.29.55', 'id-ce-targetInformation', 'pkixac');

// PKIX (RFC 5280) private extensions and qualifiers
registerBerOid('1.3.6.1.5.5.7.1.1', 'id-pe-authorityInfoAccess', P1I, authorityInfoAccess);
registerBerOid('1.3.6.1.5.5.7.1.2', 'id-pe-biometricInfo', 'pkixqualified');
registerBerOid('1.3.6.1.5.5.7.1.3', 'id-pe-qcStatements', 'pkixqualified');
registerBerOid('1.3.6.1.5.5.7.1.6', 'id-pe-ac-auditIdentity', 'pkixac');
registerBerOid('1.3.6.1.5.5.7.1.7', 'id-pe-ipAddrBlocks', P1E);
registerBerOid('1.3.6.1.5.5.7.1.8', 'id-pe-autonomousSysIds', P1E);
registerBerOid('1.3.6.1.5.5.7.1.10', 'id-pe-ac-proxying', 'pkixac');
registerBerOid('1.3.6.1.5.5.7.1.12', 'id-pe-logotype', 'logotypecertextn');
registerBerOid('1.3.6.1.5.5.7.1.13', 'id-pe-wlanSSID', 'wlancertextn');
registerBerOid('1.3.6.1.5.5.7.1.14', 'id-pe-proxyCertInfo', 'pkixproxy');
registerBerOid('1.3.6.1.5.5.7.1.24', 'id-pe-tlsfeature', P1E);
registerBerOid('1.3.6.1.5.5.7.1.25', 'id-pe-mud-url', 'mudurl');
registerBerOid('1.3.6.1.5.5.7.2.1', 'id-qt-cps', P1E, stringValue(F.cpsUri));
registerBerOid('1.3.6.1.5.5.7.2.2', 'id-qt-unotice', P1I, userNotice);
for (const [n, name] of [
  [1, 'id-kp-serverAuth'],
  [2, 'id-kp-clientAuth'],
  [3, 'id-kp-codeSigning'],
  [4, 'id-kp-emailProtection'],
  [5, 'id-kp-ipsecEndSystem'],
  [6, 'id-kp-ipsecTunnel'],
  [7, 'id-kp-ipsecUser'],
  [8, 'id-kp-timeStamping'],
  [9, 'OCSPSigning'],
] as [number, string][])
  registerBerOid(`1.3.6.1.5.5.7.3.${n}`, name, P1I);
registerBerOid('1.3.6.1.5.5.7.3.35', 'id-kp-bundleSecurity', 'tcpcl');
registerBerOid('1.3.6.1.5.5.7.48.1', 'id-ad-ocsp', P1I);
registerBerOid('1.3.6.1.5.5.7.48.2', 'id-ad-caIssuers', P1I);
for (const n of [1, 2, 3, 4, 7, 8, 12, 13])
  registerBerOid(`2.16.840.1.113730.1.${n}`, `ns-cert-ext-${n}`, 'ns_cert_exts');

// Algorithms: pkcs-1 and x509af register most with a dissector that takes nothing ('').
for (const [oid, name] of [
  ['1.2.840.113549.2.2', 'md2'],
  ['1.2.840.113549.2.4', 'md4'],
  ['1.2.840.113549.2.5', 'md5'],
  ['1.2.840.113549.1.1.1', 'rsaEncryption'],
  ['1.2.840.113549.1.1.2', 'md2WithRSAEncryption'],
  ['1.2.840.113549.1.1.3', 'md4WithRSAEncryption'],
  ['1.2.840.113549.1.1.4', 'md5WithRSAEncryption'],
  ['1.2.840.113549.1.1.5', 'sha1WithRSAEncryption'],
  ['1.2.840.113549.1.1.6', 'rsaOAEPEncryptionSET'],
  ['1.2.840.113549.1.1.11', 'sha256WithRSAEncryption'],
  ['1.2.840.113549.1.1.12', 'sha384WithRSAEncryption'],
  ['1.2.840.113549.1.1.13', 'sha512WithRSAEncryption'],
  ['1.2.840.113549.1.1.14', 'sha224WithRSAEncryption'],
  ['1.2.840.10045.4.1', 'ecdsa-with-SHA1'],
  ['1.2.840.10045.4.3.1', 'ecdsa-with-SHA224'],
  ['1.2.840.10045.4.3.2', 'ecdsa-with-SHA256'],
  ['1.2.840.10045.4.3.3', 'ecdsa-with-SHA384'],
  ['1.2.840.10045.4.3.4', 'ecdsa-with-SHA512'],
  ['2.16.840.1.101.3.4.3.1', 'dsa-with-sha224'],
  ['2.16.840.1.101.3.4.3.2', 'dsa-with-sha256'],
])
  registerBerOid(oid, name, '');
registerBerOid('1.2.840.10045.2.1', 'id-ecPublicKey', PKCS1, ecParameters);
registerBerOid('1.2.840.113549.1.1.10', 'id-RSASSA-PSS', PKCS1);
registerBerOid('1.2.840.113549.1.1.8', 'id-mgf1', PKCS1);
for (const [n, name] of [
  [2, 'md4WithRSA'],
  [3, 'md5WithRSA'],
  [4, 'md4WithRSAEncryption'],
  [6, 'desECB'],
  [11, 'rsaSignature'],
  [14, 'mdc2WithRSASignature'],
  [15, 'shaWithRSASignature'],
  [16, 'dhWithCommonModulus'],
  [17, 'desEDE'],
  [18, 'sha'],
  [19, 'mdc-2'],
  [20, 'dsaCommon'],
  [21, 'dsaCommonWithSHA'],
  [22, 'rsaKeyTransport'],
  [23, 'keyed-hash-seal'],
  [24, 'md2WithRSASignature'],
  [25, 'md5WithRSASignature'],
  [26, 'SHA-1'],
  [27, 'dsaWithSHA1'],
  [28, 'dsaWithCommonSHA1'],
  [29, 'sha-1WithRSAEncryption'],
] as [number, string][])
  registerBerOid(`1.3.14.3.2.${n}`, name, '');
registerBerOid('1.2.840.10040.4.1', 'id-dsa', X509AF);
nameOid('2.16.840.1.101.3.4.2.1', 'sha256');
nameOid('2.16.840.1.101.3.4.2.2', 'sha384');
nameOid('2.16.840.1.101.3.4.2.3', 'sha512');
nameOid('1.2.840.10045.3.1.7', 'secp256r1');
nameOid('1.3.132.0.34', 'secp384r1');
nameOid('1.3.132.0.35', 'secp521r1');
nameOid('1.3.101.112', 'id-Ed25519');
nameOid('1.3.6.1.5.5.7.3.1', 'id-kp-serverAuth');
nameOid('1.3.6.1.5.5.7.3.2', 'id-kp-clientAuth');
nameOid('2.5.29.32.0', 'anyPolicy');

/**
 * application/pkix-cert (a DER certificate in an HTTP body): Wireshark's "PKIX Certificate"
 * dissector, which adds its layer and leaves the columns as HTTP set them.
 */
function dissectPkixCert(p: Packet, buf: Uint8Array, off: number, end: number): void {
  p.addLayer('pkix-cert');
  const t = p.tree;
  const top = t.add(F.pkixCert, off, Math.min(end, buf.length) - off);
  t.open(top);
  const ci = t.addText(off, Math.min(end, buf.length) - off, 'Certificate');
  t.open(ci);
  berBounds.end = end;
  berBounds.exceeded = false;
  const subject = dissectCertificateAt(p, buf, off, end);
  t.close();
  t.close();
  if (t.full && subject) t.setAppendedLabel(ci, `Certificate (${subject})`);
  if (berBounds.exceeded) p.malformed('PKIX-CERT');
}

/** application/pkix-crl: x509af's CRL dissector (Protocol "PKIX-CRL"). */
function dissectPkixCrl(p: Packet, buf: Uint8Array, off: number, end: number): void {
  p.addLayer('x509af');
  p.setProtocol('PKIX-CRL');
  p.setInfo('Certificate Revocation List');
  const t = p.tree;
  const top = t.addText(off, Math.min(end, buf.length) - off, 'Certificate Revocation List');
  t.open(top);
  berBounds.end = end;
  berBounds.exceeded = false;
  dissectCertificateList(p, buf, off, end);
  t.close();
  if (berBounds.exceeded) p.malformed('X509AF');
}

mediaTypeTable.add('application/pkix-cert', dissectPkixCert);
mediaTypeTable.add('application/pkix-crl', dissectPkixCrl);
