// DNS (RFC 1034/1035) over UDP and TCP, with mDNS (RFC 6762, UDP 5353) and LLMNR (RFC 4795,
// UDP 5355) on the same message format: header and flags, questions and resource records with
// Wireshark 4.0's fields, labels and Info texts, name compression with its loop and length
// guards, and request/response linking (dns.response_in, dns.response_to, dns.time).

import { defineFields, valueStrings } from './fields.js';
import { tcpPortTable, udpHeuristics, udpPortTable } from './tables.js';
import type { Packet } from './packet.js';
import { FieldGroup, GENERATED } from './tree.js';
import { formatIPv4, formatIPv6, hex4, u16, u32 } from './bytes.js';
import { tcpDissectPdus } from './tcp-pdus.js';
import { formatText } from './format-text.js';

// ---------------------------------------------------------------------------------------------
// Value strings

const OPCODES = valueStrings({
  0: 'Standard query',
  1: 'Inverse query',
  2: 'Server status request',
  4: 'Zone change notification',
  5: 'Dynamic update',
  6: 'DNS Stateful operations (DSO)',
});

const RCODES = valueStrings({
  0: 'No error',
  1: 'Format error',
  2: 'Server failure',
  3: 'No such name',
  4: 'Not implemented',
  5: 'Refused',
  6: 'Name exists',
  7: 'RRset exists',
  8: 'RRset does not exist',
  9: 'Not authoritative',
  10: 'Name out of zone',
  11: 'DSO-Type not implemented',
  16: 'Bad OPT Version or TSIG Signature Failure',
  17: 'Key not recognized',
  18: 'Signature out of time window',
  19: 'Bad TKEY Mode',
  20: 'Duplicate key name',
  21: 'Algorithm not supported',
  22: 'Bad Truncation',
  23: 'Bad/missing Server Cookie',
});

/** Record types: [mnemonic (Info column), description (details tree)], as Wireshark 4.0 names them. */
const TYPES: Record<number, readonly [string, string]> = {
  0: ['Unused', 'Unused'],
  1: ['A', 'A (Host Address)'],
  2: ['NS', 'NS (authoritative Name Server)'],
  3: ['MD', 'MD (Mail Destination)'],
  4: ['MF', 'MF (Mail Forwarder)'],
  5: ['CNAME', 'CNAME (Canonical NAME for an alias)'],
  6: ['SOA', 'SOA (Start Of a zone of Authority)'],
  7: ['MB', 'MB (MailBox domain name)'],
  8: ['MG', 'MG (Mail Group member)'],
  9: ['MR', 'MR (Mail Rename domain)'],
  10: ['NULL', 'NULL RR'],
  11: ['WKS', 'WKS (Well Known Service)'],
  12: ['PTR', 'PTR (domain name PoinTeR)'],
  13: ['HINFO', 'HINFO (host information)'],
  14: ['MINFO', 'MINFO (Mailbox or mail list information)'],
  15: ['MX', 'MX (Mail eXchange)'],
  16: ['TXT', 'TXT (Text strings)'],
  17: ['RP', 'RP (Responsible Person)'],
  18: ['AFSDB', 'AFSDB (AFS Data Base location)'],
  19: ['X25', 'X25 (XX.25 PSDN address)'],
  20: ['ISDN', 'ISDN (ISDN address)'],
  21: ['RT', 'RT (Route Through)'],
  22: ['NSAP', 'NSAP (NSAP address)'],
  23: ['NSAP-PTR', 'NSAP-PTR (NSAP domain name pointer)'],
  24: ['SIG', 'SIG (security signature)'],
  25: ['KEY', 'KEY (security key)'],
  26: ['PX', 'PX (X.400 mail mapping information)'],
  27: ['GPOS', 'GPOS (Geographical Position)'],
  28: ['AAAA', 'AAAA (IPv6 Address)'],
  29: ['LOC', 'LOC (Location Information)'],
  30: ['NXT', 'NXT (Next Domain)'],
  31: ['EID', 'EID (Endpoint Identifier)'],
  32: ['NIMLOC', 'NIMLOC (Nimrod Locator)'],
  33: ['SRV', 'SRV (Server Selection)'],
  34: ['ATMA', 'ATMA (ATM Address)'],
  35: ['NAPTR', 'NAPTR (Naming Authority Pointer)'],
  36: ['KX', 'KX (Key Exchanger)'],
  37: ['CERT', 'CERT'],
  38: ['A6', 'A6 (OBSOLETE - use AAAA)'],
  39: ['DNAME', 'DNAME'],
  40: ['SINK', 'SINK'],
  41: ['OPT', 'OPT'],
  42: ['APL', 'APL'],
  43: ['DS', 'DS (Delegation Signer)'],
  44: ['SSHFP', 'SSHFP (SSH Key Fingerprint)'],
  45: ['IPSECKEY', 'IPSECKEY'],
  46: ['RRSIG', 'RRSIG (Resource Record Signature)'],
  47: ['NSEC', 'NSEC (Next Secure)'],
  48: ['DNSKEY', 'DNSKEY (DNS Public Key)'],
  49: ['DHCID', 'DHCID'],
  50: ['NSEC3', 'NSEC3'],
  51: ['NSEC3PARAM', 'NSEC3PARAM'],
  52: ['TLSA', 'TLSA'],
  55: ['HIP', 'HIP (Host Identity Protocol)'],
  57: ['RKEY', 'RKEY'],
  58: ['TALINK', 'TALINK (Trust Anchor LINK)'],
  59: ['CDS', 'CDS (Child DS)'],
  60: ['CDNSKEY', 'CDNSKEY (DNSKEY(s) the Child wants reflected in DS)'],
  61: ['OPENPGPKEY', 'OPENPGPKEY (OpenPGP Key)'],
  62: ['CSYNC', 'CSYNC (Child-to-Parent Synchronization)'],
  63: ['ZONEMD', 'ZONEMD'],
  64: ['SVCB', 'SVCB (General Purpose Service Endpoints)'],
  65: ['HTTPS', 'HTTPS (HTTPS Specific Service Endpoints)'],
  99: ['SPF', 'SPF'],
  100: ['UINFO', 'UINFO'],
  101: ['UID', 'UID'],
  102: ['GID', 'GID'],
  103: ['UNSPEC', 'UNSPEC'],
  104: ['NID', 'NID (NodeID)'],
  105: ['L32', 'L32 (Locator32)'],
  106: ['L64', 'L64 (Locator64)'],
  107: ['LP', 'LP (Locator FQDN)'],
  108: ['EUI48', 'EUI48'],
  109: ['EUI64', 'EUI64'],
  249: ['TKEY', 'TKEY (Transaction Key)'],
  250: ['TSIG', 'TSIG (Transaction Signature)'],
  251: ['IXFR', 'IXFR (incremental transfer)'],
  252: ['AXFR', 'AXFR (transfer of an entire zone)'],
  // Wireshark 4.0's mnemonic table has these two the other way round; its descriptions do not.
  253: ['MAILA', 'MAILB (mailbox-related RRs)'],
  254: ['MAILB', 'MAILA (mail agent RRs)'],
  255: ['ANY', '* (A request for all records the server/cache has available)'],
  256: ['URI', 'URI'],
  257: ['CAA', 'CAA (Certification Authority Restriction)'],
  32768: ['TA', 'TA (DNSSEC Trust Authorities)'],
  32769: ['DLV', 'DLV (DNSSEC Lookaside Validation)'],
  65281: ['WINS', 'WINS'],
  65282: ['WINS-R', 'WINS-R'],
  65422: ['XPF', 'XPF'],
};

const TYPE_DESCRIPTIONS = valueStrings(Object.entries(TYPES).map(([k, v]) => [Number(k), v[1]] as [number, string]));

const CLASSES = valueStrings({ 1: 'IN', 2: 'CS', 3: 'CH', 4: 'HS', 254: 'NONE', 255: 'ANY' });

const OPT_CODES = valueStrings({
  0: 'Reserved',
  1: 'LLQ - Long-lived query',
  2: 'UL - Update lease',
  3: 'NSID - Name Server Identifier',
  4: 'Owner (reserved)',
  5: 'DAU - DNSSEC Algorithm Understood (RFC6975)',
  6: 'DHU - DS Hash Understood (RFC6975)',
  7: 'N3U - NSEC3 Hash Understood (RFC6975)',
  8: 'CSUBNET - Client subnet',
  9: 'EDNS EXPIRE (RFC7314)',
  10: 'COOKIE',
  11: 'EDNS TCP Keepalive',
  12: 'PADDING',
  13: 'CHAIN',
  15: 'Extended DNS Error',
  20730: 'Experimental - CSUBNET - Client subnet',
});

/** DNSSEC algorithm numbers (RFC 8624 and IANA), as Wireshark 4.0 names them. */
const DNSSEC_ALGORITHMS = valueStrings({
  1: 'RSA/MD5',
  2: 'Diffie-Hellman',
  3: 'DSA',
  4: 'Elliptic curve crypto',
  5: 'RSA/SHA1',
  6: 'DSA + NSEC3/SHA1',
  7: 'RSA/SHA1 + NSEC3/SHA1',
  8: 'RSA/SHA-256',
  10: 'RSA/SHA-512',
  12: 'GOST R 34.10-2001',
  13: 'ECDSA Curve P-256 with SHA-256',
  14: 'ECDSA Curve P-386 with SHA-386',
  15: 'Ed25519',
  16: 'Ed448',
  157: 'HMAC/MD5',
  252: 'Indirect key',
  253: 'Private, domain name',
  254: 'Private, OID',
});

/** The Info-column mnemonic of a record type ("Unknown (n)" for types Wireshark does not name). */
export function dnsTypeName(type: number): string {
  const n = TYPES[type];
  return n !== undefined ? n[0] : `Unknown (${type})`;
}

// ---------------------------------------------------------------------------------------------
// Fields (Wireshark 4.0's abbreviations, names and types; `tshark -G fields`)

const flag = (abbrev: string, name: string, mask: number, tf: readonly [string, string]) =>
  ({ abbrev, name, type: 'bool', bits: 16, mask, trueFalse: tf }) as const;

export const dnsFields = defineFields({
  dns: { abbrev: 'dns', name: 'Domain Name System', type: 'protocol' },
  mdns: { abbrev: 'mdns', name: 'Multicast Domain Name System', type: 'protocol' },
  llmnr: { abbrev: 'llmnr', name: 'Link-local Multicast Name Resolution', type: 'protocol' },
  length: { abbrev: 'dns.length', name: 'Length', type: 'uint', bits: 16, base: 'dec' },
  id: { abbrev: 'dns.id', name: 'Transaction ID', type: 'uint', bits: 16, base: 'hex' },
  flags: { abbrev: 'dns.flags', name: 'Flags', type: 'uint', bits: 16, base: 'hex' },
  response: flag('dns.flags.response', 'Response', 0x8000, ['Message is a response', 'Message is a query']),
  opcode: {
    abbrev: 'dns.flags.opcode',
    name: 'Opcode',
    type: 'uint',
    bits: 16,
    base: 'dec',
    mask: 0x7800,
    strings: OPCODES,
  },
  authoritative: flag('dns.flags.authoritative', 'Authoritative', 0x0400, [
    'Server is an authority for domain',
    'Server is not an authority for domain',
  ]),
  conflict: flag('dns.flags.conflict', 'Conflict', 0x0400, ['The sender received multiple responses', 'None']),
  truncated: flag('dns.flags.truncated', 'Truncated', 0x0200, ['Message is truncated', 'Message is not truncated']),
  recdesired: flag('dns.flags.recdesired', 'Recursion desired', 0x0100, [
    'Do query recursively',
    "Don't do query recursively",
  ]),
  tentative: flag('dns.flags.tentative', 'Tentative', 0x0100, ['Tentative', 'Not tentative']),
  recavail: flag('dns.flags.recavail', 'Recursion available', 0x0080, [
    'Server can do recursive queries',
    "Server can't do recursive queries",
  ]),
  z: flag('dns.flags.z', 'Z', 0x0040, ['reserved - incorrect!', 'reserved (0)']),
  authenticated: flag('dns.flags.authenticated', 'Answer authenticated', 0x0020, [
    'Answer/authority portion was authenticated by the server',
    'Answer/authority portion was not authenticated by the server',
  ]),
  checkdisable: flag('dns.flags.checkdisable', 'Non-authenticated data', 0x0010, ['Acceptable', 'Unacceptable']),
  rcode: {
    abbrev: 'dns.flags.rcode',
    name: 'Reply code',
    type: 'uint',
    bits: 16,
    base: 'dec',
    mask: 0x000f,
    strings: RCODES,
  },
  countQueries: { abbrev: 'dns.count.queries', name: 'Questions', type: 'uint', bits: 16, base: 'dec' },
  countZones: { abbrev: 'dns.count.zones', name: 'Zones', type: 'uint', bits: 16, base: 'dec' },
  countAnswers: { abbrev: 'dns.count.answers', name: 'Answer RRs', type: 'uint', bits: 16, base: 'dec' },
  countPrerequisites: {
    abbrev: 'dns.count.prerequisites',
    name: 'Prerequisites',
    type: 'uint',
    bits: 16,
    base: 'dec',
  },
  countAuth: { abbrev: 'dns.count.auth_rr', name: 'Authority RRs', type: 'uint', bits: 16, base: 'dec' },
  countUpdates: { abbrev: 'dns.count.updates', name: 'Updates', type: 'uint', bits: 16, base: 'dec' },
  countAdd: { abbrev: 'dns.count.add_rr', name: 'Additional RRs', type: 'uint', bits: 16, base: 'dec' },
  qryName: { abbrev: 'dns.qry.name', name: 'Name', type: 'string' },
  qryNameLen: { abbrev: 'dns.qry.name.len', name: 'Name Length', type: 'uint', bits: 16, base: 'dec' },
  labels: { abbrev: 'dns.count.labels', name: 'Label Count', type: 'uint', bits: 16, base: 'dec' },
  qryType: {
    abbrev: 'dns.qry.type',
    name: 'Type',
    type: 'uint',
    bits: 16,
    base: 'dec',
    strings: TYPE_DESCRIPTIONS,
  },
  qryClass: { abbrev: 'dns.qry.class', name: 'Class', type: 'uint', bits: 16, base: 'hex', strings: CLASSES },
  qryQu: flag('dns.qry.qu', '"QU" question', 0x8000, ['True', 'False']),
  respName: { abbrev: 'dns.resp.name', name: 'Name', type: 'string' },
  respType: {
    abbrev: 'dns.resp.type',
    name: 'Type',
    type: 'uint',
    bits: 16,
    base: 'dec',
    strings: TYPE_DESCRIPTIONS,
  },
  respClass: { abbrev: 'dns.resp.class', name: 'Class', type: 'uint', bits: 16, base: 'hex', strings: CLASSES },
  cacheFlush: flag('dns.resp.cache_flush', 'Cache flush', 0x8000, ['True', 'False']),
  ttl: { abbrev: 'dns.resp.ttl', name: 'Time to live', type: 'uint', bits: 32, base: 'dec' },
  rdLength: { abbrev: 'dns.resp.len', name: 'Data length', type: 'uint', bits: 16, base: 'dec' },
  a: { abbrev: 'dns.a', name: 'Address', type: 'ipv4' },
  aaaa: { abbrev: 'dns.aaaa', name: 'AAAA Address', type: 'ipv6' },
  cname: { abbrev: 'dns.cname', name: 'CNAME', type: 'string' },
  ns: { abbrev: 'dns.ns', name: 'Name Server', type: 'string' },
  ptr: { abbrev: 'dns.ptr.domain_name', name: 'Domain Name', type: 'string' },
  dname: { abbrev: 'dns.dname', name: 'Dname', type: 'string' },
  mxPreference: { abbrev: 'dns.mx.preference', name: 'Preference', type: 'uint', bits: 16, base: 'dec' },
  mxExchange: { abbrev: 'dns.mx.mail_exchange', name: 'Mail Exchange', type: 'string' },
  txtLength: { abbrev: 'dns.txt.length', name: 'TXT Length', type: 'uint', bits: 8, base: 'dec' },
  txt: { abbrev: 'dns.txt', name: 'TXT', type: 'string' },
  hinfoCpuLength: { abbrev: 'dns.hinfo.cpu_length', name: 'CPU Length', type: 'uint', bits: 8, base: 'dec' },
  hinfoCpu: { abbrev: 'dns.hinfo.cpu', name: 'CPU', type: 'string' },
  hinfoOsLength: { abbrev: 'dns.hinfo.os_length', name: 'OS Length', type: 'uint', bits: 8, base: 'dec' },
  hinfoOs: { abbrev: 'dns.hinfo.os', name: 'OS', type: 'string' },
  soaMname: { abbrev: 'dns.soa.mname', name: 'Primary name server', type: 'string' },
  soaRname: { abbrev: 'dns.soa.rname', name: "Responsible authority's mailbox", type: 'string' },
  soaSerial: { abbrev: 'dns.soa.serial_number', name: 'Serial Number', type: 'uint', bits: 32, base: 'dec' },
  soaRefresh: { abbrev: 'dns.soa.refresh_interval', name: 'Refresh Interval', type: 'uint', bits: 32, base: 'dec' },
  soaRetry: { abbrev: 'dns.soa.retry_interval', name: 'Retry Interval', type: 'uint', bits: 32, base: 'dec' },
  soaExpire: { abbrev: 'dns.soa.expire_limit', name: 'Expire limit', type: 'uint', bits: 32, base: 'dec' },
  soaMinimum: { abbrev: 'dns.soa.minimum_ttl', name: 'Minimum TTL', type: 'uint', bits: 32, base: 'dec' },
  srvService: { abbrev: 'dns.srv.service', name: 'Service', type: 'string' },
  srvProto: { abbrev: 'dns.srv.proto', name: 'Protocol', type: 'string' },
  srvName: { abbrev: 'dns.srv.name', name: 'Name', type: 'string' },
  srvPriority: { abbrev: 'dns.srv.priority', name: 'Priority', type: 'uint', bits: 16, base: 'dec' },
  srvWeight: { abbrev: 'dns.srv.weight', name: 'Weight', type: 'uint', bits: 16, base: 'dec' },
  srvPort: { abbrev: 'dns.srv.port', name: 'Port', type: 'uint', bits: 16, base: 'dec' },
  srvTarget: { abbrev: 'dns.srv.target', name: 'Target', type: 'string' },
  udpPayloadSize: {
    abbrev: 'dns.rr.udp_payload_size',
    name: 'UDP payload size',
    type: 'uint',
    bits: 16,
    base: 'dec',
  },
  extRcode: { abbrev: 'dns.resp.ext_rcode', name: 'Higher bits in extended RCODE', type: 'uint', bits: 8, base: 'hex' },
  ednsVersion: { abbrev: 'dns.resp.edns0_version', name: 'EDNS0 version', type: 'uint', bits: 8, base: 'dec' },
  z16: { abbrev: 'dns.resp.z', name: 'Z', type: 'uint', bits: 16, base: 'hex' },
  zDo: flag('dns.resp.z.do', 'DO bit', 0x8000, ['Accepts DNSSEC security RRs', 'Cannot handle DNSSEC security RRs']),
  zReserved: { abbrev: 'dns.resp.z.reserved', name: 'Reserved', type: 'uint', bits: 16, base: 'hex', mask: 0x7fff },
  opt: { abbrev: 'dns.opt', name: 'Option', type: 'none' },
  optCode: { abbrev: 'dns.opt.code', name: 'Option Code', type: 'uint', bits: 16, base: 'dec', strings: OPT_CODES },
  optLen: { abbrev: 'dns.opt.len', name: 'Option Length', type: 'uint', bits: 16, base: 'dec' },
  optData: { abbrev: 'dns.opt.data', name: 'Option Data', type: 'bytes' },
  optClientFamily: { abbrev: 'dns.opt.client.family', name: 'Family', type: 'uint', bits: 16, base: 'dec' },
  optClientNetmask: { abbrev: 'dns.opt.client.netmask', name: 'Source Netmask', type: 'uint', bits: 8, base: 'dec' },
  optClientScope: { abbrev: 'dns.opt.client.scope', name: 'Scope Netmask', type: 'uint', bits: 8, base: 'dec' },
  optClientAddr: { abbrev: 'dns.opt.client.addr', name: 'Client Subnet', type: 'bytes' },
  optCookieClient: { abbrev: 'dns.opt.cookie.client', name: 'Client Cookie', type: 'bytes' },
  optCookieServer: { abbrev: 'dns.opt.cookie.server', name: 'Server Cookie', type: 'bytes' },
  optPadding: { abbrev: 'dns.opt.padding', name: 'Padding', type: 'bytes' },
  rrsigTypeCovered: {
    abbrev: 'dns.rrsig.type_covered',
    name: 'Type Covered',
    type: 'uint',
    bits: 16,
    base: 'dec',
    strings: TYPE_DESCRIPTIONS,
  },
  rrsigAlgorithm: {
    abbrev: 'dns.rrsig.algorithm',
    name: 'Algorithm',
    type: 'uint',
    bits: 8,
    base: 'dec',
    strings: DNSSEC_ALGORITHMS,
  },
  rrsigExpiration: { abbrev: 'dns.rrsig.signature_expiration', name: 'Signature Expiration', type: 'abstime' },
  rrsigInception: { abbrev: 'dns.rrsig.signature_inception', name: 'Signature Inception', type: 'abstime' },
  nsec3Algo: {
    abbrev: 'dns.nsec3.algo',
    name: 'Hash algorithm',
    type: 'uint',
    bits: 8,
    base: 'dec',
    strings: valueStrings({ 0: 'Reserved', 1: 'SHA-1' }),
  },
  nsec3Flags: { abbrev: 'dns.nsec3.flags', name: 'NSEC3 flags', type: 'uint', bits: 8, base: 'dec' },
  nsec3OptOut: {
    abbrev: 'dns.nsec3.flags.opt_out',
    name: 'NSEC3 Opt-out flag',
    type: 'bool',
    bits: 8,
    mask: 0x01,
    trueFalse: ['Additional insecure delegations allowed', 'Additional insecure delegations forbidden'],
  },
  nsec3Iterations: { abbrev: 'dns.nsec3.iterations', name: 'NSEC3 iterations', type: 'uint', bits: 16, base: 'dec' },
  nsec3SaltLength: { abbrev: 'dns.nsec3.salt_length', name: 'Salt length', type: 'uint', bits: 8, base: 'dec' },
  nsec3SaltValue: { abbrev: 'dns.nsec3.salt_value', name: 'Salt value', type: 'bytes' },
  nsec3HashLength: { abbrev: 'dns.nsec3.hash_length', name: 'Hash length', type: 'uint', bits: 8, base: 'dec' },
  nsec3HashValue: { abbrev: 'dns.nsec3.hash_value', name: 'Next hashed owner', type: 'string' },
  rrsigLabels: { abbrev: 'dns.rrsig.labels', name: 'Labels', type: 'uint', bits: 8, base: 'dec' },
  rrsigOriginalTtl: { abbrev: 'dns.rrsig.original_ttl', name: 'Original TTL', type: 'uint', bits: 32, base: 'dec' },
  rrsigKeyTag: { abbrev: 'dns.rrsig.key_tag', name: 'Key Tag', type: 'uint', bits: 16, base: 'dec' },
  rrsigSigner: { abbrev: 'dns.rrsig.signers_name', name: "Signer's name", type: 'string' },
  rrsigSignature: { abbrev: 'dns.rrsig.signature', name: 'Signature', type: 'bytes' },
  nsecNext: { abbrev: 'dns.nsec.next_domain_name', name: 'Next Domain Name', type: 'string' },
  data: { abbrev: 'dns.data', name: 'Data', type: 'bytes' },
  responseIn: { abbrev: 'dns.response_in', name: 'Response In', type: 'framenum' },
  responseTo: { abbrev: 'dns.response_to', name: 'Request In', type: 'framenum' },
  time: { abbrev: 'dns.time', name: 'Time', type: 'reltime', unit: ' seconds' },
  retransmission: { abbrev: 'dns.retransmission', name: 'Retransmission', type: 'bool' },
  retransmitRequestIn: {
    abbrev: 'dns.retransmit_request_in',
    name: 'Retransmitted request. Original request in',
    type: 'framenum',
  },
  retransmitResponseIn: {
    abbrev: 'dns.retransmit_response_in',
    name: 'Retransmitted response. Original response in',
    type: 'framenum',
  },
  unsolicited: { abbrev: 'dns.unsolicited', name: 'Unsolicited', type: 'bool' },
  extraneousData: { abbrev: 'dns.extraneous.data', name: 'Extraneous Data Bytes', type: 'bytes' },
  extraneousLength: {
    abbrev: 'dns.extraneous.length',
    name: 'Extraneous Data Length',
    type: 'int',
    bits: 32,
    base: 'dec',
  },
});

const F = dnsFields;

/** Fields whose values are names: when none is kept and no column is built, names are not formatted. */
const NAME_FIELDS = new FieldGroup([
  F.qryName,
  F.respName,
  F.cname,
  F.ns,
  F.ptr,
  F.dname,
  F.mxExchange,
  F.soaMname,
  F.soaRname,
  F.srvService,
  F.srvProto,
  F.srvName,
  F.srvTarget,
  F.rrsigSigner,
  F.nsecNext,
  F.txt,
  F.hinfoCpu,
  F.hinfoOs,
]);

// ---------------------------------------------------------------------------------------------
// Bounds: a read past the data ends the message as Wireshark's tvb exceptions do.

/** Thrown (one shared instance each, no stack) when a read runs past the data. */
export class DnsBoundsError extends Error {
  constructor(readonly truncatedCapture: boolean) {
    super(truncatedCapture ? 'DNS truncated' : 'DNS malformed');
  }
}
const PAST_REPORTED = new DnsBoundsError(false);
const PAST_CAPTURED = new DnsBoundsError(true);

/** The message being dissected: its bytes, where it starts (compression offsets) and ends. */
interface Msg {
  buf: Uint8Array;
  /** Offset of the DNS header: compression pointers count from here. */
  start: number;
  /** Reported end of the message. */
  end: number;
  /** Captured end: min(end, buf.length). */
  capEnd: number;
}

function need(m: Msg, o: number, n: number): void {
  if (o < m.start || o + n > m.end) throw PAST_REPORTED;
  if (o + n > m.capEnd) throw PAST_CAPTURED;
}

function byteAt(m: Msg, o: number): number {
  need(m, o, 1);
  return m.buf[o];
}

function u16At(m: Msg, o: number): number {
  need(m, o, 2);
  return u16(m.buf, o);
}

function u32At(m: Msg, o: number): number {
  need(m, o, 4);
  return u32(m.buf, o);
}

// ---------------------------------------------------------------------------------------------
// Names (RFC 1035 §4.1.4 compression), following Wireshark 4.0's expand_dns_name

/** Longest name text Wireshark keeps (MAX_DNAME_LEN), the terminating NUL included. */
const MAX_DNAME_LEN = 255;
/** A name of at most this many bytes with no text is the root (MIN_DNAME_LEN). */
const MIN_DNAME_LEN = 2;
/**
 * Label steps allowed for all the names of one message: pointer chains that visit many distinct
 * offsets make each name cost up to the message length, so a hostile message with many names
 * could otherwise take quadratic time. Past the budget the message is treated as malformed.
 */
const NAME_STEP_BUDGET = 1 << 20;

const LOOP_TEXT = '<Name contains a pointer that loops>';
const TOO_LONG_TEXT = '<Name too long>';
const UNKNOWN_EXT_TEXT = '<Unknown extended label>';
const ROOT_TEXT = '<Root>';

/** The result of reading one name; reused for every name. */
const nameOut = {
  /** Bytes consumed at the name's position (2 for a leading pointer). */
  used: 0,
  /** The name as Wireshark shows it (format_text of the raw bytes, or one of its messages). */
  text: '',
  /** Wireshark's name_len: bytes of label text and dots, or the length of its message. */
  length: 0,
  /** Dots in the raw text (for dns.count.labels). */
  dots: 0,
};

const raw = new Uint8Array(MAX_DNAME_LEN + 64);
let stepBudget = NAME_STEP_BUDGET;
/** Pointer targets followed while reading the current name (loop detection). */
const visited: number[] = [];

/**
 * Reads the name at `o` into nameOut; `format` false skips building the text (only lengths and
 * bounds matter then). Throws DnsBoundsError where Wireshark throws its bounds exception.
 */
function readName(m: Msg, o: number, format: boolean): void {
  const start = o;
  let len = -1;
  let chars = 0;
  const dataSize = m.end - m.start;
  let maxname = MAX_DNAME_LEN;
  let np = 0; // bytes written into raw (Wireshark's np - name)
  let nameLen = 0; // Wireshark's name_len
  let message: string | undefined;
  visited.length = 0;
  for (;;) {
    if (--stepBudget < 0) throw PAST_REPORTED;
    const c = byteAt(m, o);
    o++;
    if (c === 0) break;
    chars++;
    const kind = c & 0xc0;
    if (kind === 0x00) {
      if (np !== 0) {
        if (maxname > 0) {
          raw[np++] = 0x2e;
          nameLen++;
          maxname--;
        }
      } else {
        maxname--;
      }
      need(m, o, c);
      for (let k = 0; k < c; k++) {
        if (maxname > 0) {
          raw[np++] = m.buf[o + k];
          nameLen++;
          maxname--;
        }
      }
      o += c;
      chars += c;
      stepBudget -= c >> 4;
    } else if (kind === 0x40) {
      if ((c & 0x3f) !== 0x01) {
        // RFC 2673 extended label of an unknown kind: its length is unknown, so the name stops.
        message = UNKNOWN_EXT_TEXT;
        len = o - start;
        break;
      }
      // RFC 2673 bit-string label: Wireshark writes "\[x<hex>/<bits>]" into its buffer but does
      // not count it in the name length, so only what follows it may show.
      const bitCount = byteAt(m, o);
      o++;
      const labelLen = ((bitCount - 1) >> 3) + 1;
      need(m, o, labelLen);
      const text = bitLabelText(m.buf, o, labelLen, bitCount);
      for (let k = 0; k < text.length && maxname > 0; k++) {
        raw[np++] = text.charCodeAt(k);
        maxname--;
      }
      o += labelLen;
    } else if (kind === 0x80) {
      throw PAST_REPORTED;
    } else {
      const target = m.start + (((c & 0x3f) << 8) | byteAt(m, o));
      o++;
      chars++;
      if (len < 0) len = o - start;
      // Wireshark calls it a loop once the pointers have made it read as many bytes as the
      // message has. A target already visited repeats the same walk forever, which can only end
      // that way, so stop at once instead of walking it again.
      if (chars >= dataSize || visited.includes(target)) {
        message = LOOP_TEXT;
        break;
      }
      if (visited.length < 256) visited.push(target);
      o = target;
    }
  }
  if (message === undefined && maxname <= 0) message = TOO_LONG_TEXT;
  if (len < 0) len = o - start;
  nameOut.used = len;
  if (message !== undefined) {
    // get_dns_name rejects a name shorter than two bytes even when expansion gave up on it.
    if (len < MIN_DNAME_LEN) throw PAST_REPORTED;
    nameOut.text = message;
    nameOut.length = message.length;
    nameOut.dots = 0;
    return;
  }
  if (np === 0 && len <= MIN_DNAME_LEN) {
    nameOut.text = ROOT_TEXT;
    nameOut.length = ROOT_TEXT.length;
    nameOut.dots = 0;
    return;
  }
  if (len < MIN_DNAME_LEN || (len > MIN_DNAME_LEN && nameLen === 0)) throw PAST_REPORTED;
  let dots = 0;
  for (let k = 0; k < nameLen; k++) if (raw[k] === 0x2e) dots++;
  nameOut.dots = dots;
  nameOut.length = nameLen;
  nameOut.text = format ? formatText(raw, 0, nameLen) : '';
}

/**
 * Reads a name in DNS encoding for the protocols that share it (NBNS, NBDGM): the bytes it takes
 * at `o` and its raw text (one character per byte), or Wireshark's text for a bad or empty name
 * ("<Root>", "<Name contains a pointer that loops>" ...). Compression offsets count from
 * `start`; `end` is the reported end of the message. Throws DnsBoundsError past the data.
 */
export function readRawDnsName(buf: Uint8Array, o: number, start: number, end: number): { used: number; raw: string } {
  const m: Msg = { buf, start, end, capEnd: Math.min(end, buf.length) };
  stepBudget = NAME_STEP_BUDGET;
  readName(m, o, false);
  // An empty text with format off means a valid name whose bytes are in the scratch buffer.
  const text = nameOut.text !== '' ? nameOut.text : String.fromCharCode(...raw.subarray(0, nameOut.length));
  return { used: nameOut.used, raw: text };
}

function bitLabelText(b: Uint8Array, o: number, n: number, bits: number): string {
  let s = '\\[x';
  for (let k = 0; k < n; k++) s += (b[o + k] >> 4).toString(16) + (b[o + k] & 15).toString(16);
  return `${s}/${bits}]`;
}

/** The bits of `mask` in a 16-bit value as Wireshark draws them (".000 0101 1010 0000"). */
function bitPictureOf(value: number, mask: number): string {
  let s = '';
  for (let b = 15; b >= 0; b--) {
    s += mask & (1 << b) ? (value & (1 << b) ? '1' : '0') : '.';
    if (b > 0 && b % 4 === 0) s += ' ';
  }
  return s;
}

/** A string Wireshark reads into a C string: it ends at the first NUL. */
function cText(b: Uint8Array, o: number, n: number): string {
  let k = 0;
  while (k < n && b[o + k] !== 0) k++;
  return formatText(b, o, o + k);
}

// ---------------------------------------------------------------------------------------------
// Request/response linking (Wireshark keys transactions by conversation, id and frame)

interface Transaction {
  /** Its conversation's key. */
  key: string;
  id: number;
  reqFrame: number;
  repFrame: number;
  reqSec: number;
  reqNsec: number;
  /** The question asked for a zone transfer: several responses are normal. */
  multipleResponses: boolean;
}

/** Requests sent again within this many seconds are retransmissions (dns.retransmission_timer). */
const RETRANSMISSION_TIMER = 5;
/** Transactions kept for the whole capture; the oldest are forgotten past this. */
export const MAX_TRANSACTIONS = 200_000;

export class DnsState {
  /** Conversation key -> transaction id -> transactions in frame order. */
  readonly conversations = new Map<string, Map<number, Transaction[]>>();
  /** Every transaction in insertion order (for forgetting the oldest). */
  private readonly order: Transaction[] = [];
  private head = 0;
  private count = 0;

  /** The latest transaction of `id` started at or before `frame` (wmem_tree_lookup32_array_le). */
  lookup(key: string, id: number, frame: number): Transaction | undefined {
    const list = this.conversations.get(key)?.get(id);
    if (list === undefined) return undefined;
    for (let i = list.length - 1; i >= 0; i--) if (list[i].reqFrame <= frame) return list[i];
    return undefined;
  }

  insert(key: string, t: Transaction): void {
    let byId = this.conversations.get(key);
    if (byId === undefined) {
      byId = new Map();
      this.conversations.set(key, byId);
    }
    let list = byId.get(t.id);
    if (list === undefined) {
      list = [];
      byId.set(t.id, list);
    }
    list.push(t);
    this.order.push(t);
    if (++this.count > MAX_TRANSACTIONS) this.forgetOldest();
  }

  /** Drops the oldest transaction, and its id and conversation entries once they are empty. */
  private forgetOldest(): void {
    const oldest = this.order[this.head++];
    this.count--;
    const byId = this.conversations.get(oldest.key);
    const list = byId?.get(oldest.id);
    // It is the first of its list: transactions are added in frame order.
    if (byId !== undefined && list !== undefined) {
      list.shift();
      if (list.length === 0) byId.delete(oldest.id);
      if (byId.size === 0) this.conversations.delete(oldest.key);
    }
    if (this.head > 4096 && this.head * 2 > this.order.length) {
      this.order.splice(0, this.head);
      this.head = 0;
    }
  }

  /** Transactions held (for the memory bound's test). */
  get size(): number {
    return this.count;
  }
}

const newState = () => new DnsState();

/** The conversation of the packet (addresses and ports, either direction) as a map key. */
export function conversationKey(p: Packet): string {
  let a: string;
  let b: string;
  if (p.netType === 4) {
    a = `${p.netSrc4}:${p.srcPort}`;
    b = `${p.netDst4}:${p.dstPort}`;
  } else if (p.netType === 6 && p.netSrc6 !== undefined && p.netDst6 !== undefined) {
    a = `${formatIPv6(p.netSrc6, 0)}:${p.srcPort}`;
    b = `${formatIPv6(p.netDst6, 0)}:${p.dstPort}`;
  } else {
    a = `:${p.srcPort}`;
    b = `:${p.dstPort}`;
  }
  return a < b ? `${p.ipProto}|${a}|${b}` : `${p.ipProto}|${b}|${a}`;
}

// ---------------------------------------------------------------------------------------------
// The dissector

const enum Flavor {
  DNS,
  MDNS,
  LLMNR,
}

const F_RESPONSE = 0x8000;
const OPCODE_UPDATE = 5;
const T_A = 1;
const T_OPT = 41;

/**
 * Dissects one DNS message buf[off..end) (the header at `off`). For TCP, `lengthAt` is the offset
 * of its two-byte length prefix (else -1).
 */
function dissectMessage(p: Packet, buf: Uint8Array, off: number, end: number, flavor: Flavor, lengthAt: number): void {
  const t = p.tree;
  const m: Msg = { buf, start: off, end, capEnd: Math.min(end, buf.length) };
  const info = p.wantColumns && !p.inErrorPacket;
  stepBudget = NAME_STEP_BUDGET;
  const top = t.add(
    flavor === Flavor.MDNS ? F.mdns : flavor === Flavor.LLMNR ? F.llmnr : F.dns,
    lengthAt >= 0 ? lengthAt : off,
    Math.max(0, m.capEnd - (lengthAt >= 0 ? lengthAt : off)),
  );
  t.open(top);
  try {
    dissectBody(p, m, flavor, lengthAt, top, info);
  } catch (e) {
    if (!(e instanceof DnsBoundsError)) throw e;
    if (e.truncatedCapture) p.truncated('DNS');
    else p.malformed('DNS');
  }
  t.closeAll();
  // No fence: in Wireshark 4.0 each message of a TCP segment replaces the Info of the one before.
}

function dissectBody(p: Packet, m: Msg, flavor: Flavor, lengthAt: number, top: number, info: boolean): void {
  const t = p.tree;
  const off = m.start;
  const id = u16At(m, off);
  const flags = u16At(m, off + 2);
  const opcode = (flags >> 11) & 0xf;
  const rcode = flags & 0xf;
  const isResponse = (flags & F_RESPONSE) !== 0;
  if (info) {
    let s = `${OPCODES.get(opcode) ?? `Unknown operation (${opcode})`}${isResponse ? ' response' : ''} 0x${hex4(id)}`;
    if (isResponse && rcode !== 0) s += ` ${RCODES.get(rcode) ?? `Unknown error (${rcode})`}`;
    p.setInfo(s);
  }
  if (t.full) {
    const name =
      flavor === Flavor.MDNS
        ? 'Multicast Domain Name System'
        : flavor === Flavor.LLMNR
          ? 'Link-local Multicast Name Resolution'
          : 'Domain Name System';
    t.setLabel(top, `${name} (${isResponse ? 'response' : 'query'})`);
  }
  const isUpdate = opcode === OPCODE_UPDATE;

  // Linking runs before the body, as in Wireshark: a message cut short is still counted.
  const link = p.inErrorPacket ? undefined : linkTransaction(p, id, isResponse);

  if (lengthAt >= 0) t.add(F.length, lengthAt, 2, u16(m.buf, lengthAt));
  const idItem = t.add(F.id, off, 2, id);
  const fi = t.add(F.flags, off + 2, 2, flags);
  if (t.full) {
    let s = `Flags: 0x${hex4(flags)} ${OPCODES.get(opcode) ?? 'Unknown operation'}`;
    if (isResponse) s += ` response, ${RCODES.get(rcode) ?? 'Unknown error'}`;
    t.setLabel(fi, s);
  }
  t.open(fi);
  const at = off + 2;
  t.add(F.response, at, 2, isResponse ? 1 : 0);
  t.add(F.opcode, at, 2, opcode);
  const bit = (mask: number) => ((flags & mask) !== 0 ? 1 : 0);
  if (flavor === Flavor.LLMNR) {
    // RFC 4795 §2.1.1: the C bit means different things in queries and responses (one field,
    // two texts in Wireshark).
    const ci = t.add(F.conflict, at, 2, bit(0x0400));
    if (t.full && isResponse)
      t.setLabel(
        ci,
        `.... .${bit(0x0400)}.. .... .... = Conflict: ${bit(0x0400) ? 'The name is not considered unique' : 'The name is considered unique'}`,
      );
    t.add(F.truncated, at, 2, bit(0x0200));
    t.add(F.tentative, at, 2, bit(0x0100));
    if (isResponse) t.add(F.rcode, at, 2, rcode);
  } else {
    if (isResponse) t.add(F.authoritative, at, 2, bit(0x0400));
    t.add(F.truncated, at, 2, bit(0x0200));
    t.add(F.recdesired, at, 2, bit(0x0100));
    if (isResponse) t.add(F.recavail, at, 2, bit(0x0080));
    t.add(F.z, at, 2, bit(0x0040));
    if (isResponse) t.add(F.authenticated, at, 2, bit(0x0020));
    t.add(F.checkdisable, at, 2, bit(0x0010));
    if (isResponse) t.add(F.rcode, at, 2, rcode);
  }
  t.close();

  const quest = u16At(m, off + 4);
  t.add(isUpdate ? F.countZones : F.countQueries, off + 4, 2, quest);
  const ans = u16At(m, off + 6);
  t.add(isUpdate ? F.countPrerequisites : F.countAnswers, off + 6, 2, ans);
  const auth = u16At(m, off + 8);
  t.add(isUpdate ? F.countUpdates : F.countAuth, off + 8, 2, auth);
  const add = u16At(m, off + 10);
  t.add(F.countAdd, off + 10, 2, add);

  const format = info || t.keepsAny(NAME_FIELDS);
  let cur = off + 12;
  let multiple = false;
  if (quest > 0) {
    const si = t.addText(cur, 0, isUpdate ? 'Zone' : 'Queries');
    t.open(si);
    const s0 = cur;
    for (let q = 0; q < quest; q++) {
      const r = dissectQuestion(p, m, cur, flavor === Flavor.MDNS, format, info);
      if (r < 0) {
        multiple = true;
        cur -= r;
      } else cur += r;
    }
    t.setLength(si, cur - s0);
    t.close();
    // Wireshark records it on the transaction whenever the message has questions.
    if (link?.trans !== undefined) link.trans.multipleResponses = multiple;
  }
  if (ans > 0) cur = dissectRecords(p, m, cur, ans, isUpdate ? 'Prerequisites' : 'Answers', flavor, format, info);
  if (auth > 0)
    cur = dissectRecords(p, m, cur, auth, isUpdate ? 'Updates' : 'Authoritative nameservers', flavor, format, info);
  if (add > 0) cur = dissectRecords(p, m, cur, add, 'Additional records', flavor, format, info);

  if (link !== undefined) showLink(p, link, isResponse, idItem);

  // Bytes after the last record (extraneous data, hidden expert as in Wireshark).
  const extra = m.end - cur;
  if (extra > 0) {
    const ei = t.addText(cur, extra, `Extraneous Data (${extra} bytes)`);
    t.open(ei);
    t.add(F.extraneousData, cur, Math.min(extra, m.capEnd - cur));
    t.add(F.extraneousLength, 0, 0, extra, GENERATED);
    p.expert('DNS', 'dns.extraneous', 'note', 'undecoded', 'Extraneous data', cur, extra);
    t.close();
  }
}

/** Link state of the current message: what showLink prints. */
interface Link {
  trans: Transaction | undefined;
  retransmission: boolean;
}

/**
 * Records the message in the transaction table (every pass) and finds its transaction as
 * Wireshark 4.0 does: a request opens a transaction unless one with the same id is unanswered
 * and younger than the retransmission timer; a response closes the latest transaction with its id.
 */
function linkTransaction(p: Packet, id: number, isResponse: boolean): Link {
  const key = conversationKey(p);
  const frame = p.meta.number;
  const state = p.session.protocolState('dns', newState);
  const link: Link = { trans: undefined, retransmission: false };
  // The first pass of -2 or the only pass: build the table.
  let trans = state.lookup(key, id, frame);
  if (!isResponse) {
    let fresh = trans === undefined || trans.repFrame > 0;
    if (!fresh && trans !== undefined) {
      const ds = p.meta.tsSec - trans.reqSec + (p.meta.tsNsec - trans.reqNsec) / 1e9;
      if (ds < RETRANSMISSION_TIMER) link.retransmission = true;
      else fresh = true;
    }
    if (fresh) {
      trans = {
        key,
        id,
        reqFrame: frame,
        repFrame: 0,
        reqSec: p.meta.tsSec,
        reqNsec: p.meta.tsNsec,
        multipleResponses: false,
      };
      state.insert(key, trans);
    }
  } else if (trans !== undefined) {
    if (trans.repFrame === 0) trans.repFrame = frame;
    else if (!trans.multipleResponses && trans.repFrame !== frame) link.retransmission = true;
  }
  link.trans = trans;
  const first = p.session.firstPass?.protocolState('dns', newState);
  if (first !== undefined) {
    // Output pass: answer from the complete first-pass table, as a visited frame.
    link.retransmission = false;
    const ft = first.lookup(key, id, frame);
    if (ft === undefined) link.trans = undefined;
    else if (!isResponse && ft.reqFrame !== frame) {
      link.trans = { ...ft, repFrame: 0 };
      link.retransmission = true;
    } else {
      link.trans = ft;
      if (isResponse && ft.repFrame !== frame && !ft.multipleResponses) link.retransmission = true;
    }
  }
  return link;
}

function showLink(p: Packet, link: Link, isResponse: boolean, idItem: number): void {
  const t = p.tree;
  const tr = link.trans;
  if (tr === undefined) {
    if (isResponse && !link.retransmission) t.add(F.unsolicited, 0, 0, 1, GENERATED);
    return;
  }
  if (!isResponse) {
    if (link.retransmission && tr.reqFrame !== 0 && tr.reqFrame !== p.meta.number) {
      t.open(idItem);
      p.expert(
        'DNS',
        'dns.retransmit_request',
        'warn',
        'protocol',
        `DNS query retransmission. Original request in frame ${tr.reqFrame}`,
        0,
        0,
      );
      t.close();
      t.add(F.retransmitRequestIn, 0, 0, tr.reqFrame, GENERATED);
      t.add(F.retransmission, 0, 0, 1, GENERATED);
    } else if (tr.repFrame !== 0) {
      t.add(F.responseIn, 0, 0, tr.repFrame, GENERATED);
    }
    return;
  }
  if (tr.reqFrame === 0) return;
  if (link.retransmission && tr.repFrame !== 0) {
    t.open(idItem);
    p.expert(
      'DNS',
      'dns.retransmit_response',
      'note',
      'sequence',
      `DNS response retransmission. Original response in frame ${tr.repFrame}`,
      0,
      0,
    );
    t.close();
    t.add(F.retransmitResponseIn, 0, 0, tr.repFrame, GENERATED);
    t.add(F.retransmission, 0, 0, 1, GENERATED);
    return;
  }
  t.add(F.responseTo, 0, 0, tr.reqFrame, GENERATED);
  t.addInterval(F.time, 0, 0, p.meta.tsSec - tr.reqSec, p.meta.tsNsec - tr.reqNsec, GENERATED);
}

/**
 * One question; returns the bytes used (negated when its type asks for a zone transfer, whose
 * several responses are not retransmissions).
 */
function dissectQuestion(p: Packet, m: Msg, o: number, mdns: boolean, format: boolean, info: boolean): number {
  const t = p.tree;
  readName(m, o, format);
  const nameUsed = nameOut.used;
  const type = u16At(m, o + nameUsed);
  let cls = u16At(m, o + nameUsed + 2);
  const used = nameUsed + 4;
  const qu = mdns ? cls & 0x8000 : 0;
  if (mdns) cls &= 0x7fff;
  const typeName = dnsTypeName(type);
  if (info) {
    p.appendInfo(` ${typeName} ${nameOut.text}`);
    if (mdns) p.appendInfo(`, "${qu ? 'QU' : 'QM'}" question`);
  }
  const qi = t.addText(
    o,
    used,
    `${nameOut.text}: type ${typeName}, class ${CLASSES.get(cls) ?? 'Unknown'}${mdns ? `, "${qu ? 'QU' : 'QM'}" question` : ''}`,
  );
  t.open(qi);
  if (t.keeps(F.qryName)) t.addValue(F.qryName, o, nameUsed, nameOut.text);
  t.add(F.qryNameLen, o, nameUsed, nameOut.length > 1 ? nameOut.length : 0, GENERATED);
  t.add(F.labels, o, nameUsed, nameOut.length > 1 ? nameOut.dots + 1 : 0, GENERATED);
  t.add(F.qryType, o + nameUsed, 2, type);
  t.add(F.qryClass, o + nameUsed + 2, 2, cls);
  if (mdns) t.add(F.qryQu, o + nameUsed + 2, 2, qu ? 1 : 0);
  t.close();
  // RFC 5936 / RFC 1995: zone transfers answer with several messages.
  return type === 252 || type === 251 ? -used : used;
}

function dissectRecords(
  p: Packet,
  m: Msg,
  o: number,
  count: number,
  title: string,
  flavor: Flavor,
  format: boolean,
  info: boolean,
): number {
  const t = p.tree;
  const si = t.addText(o, 0, title);
  t.open(si);
  const s0 = o;
  for (let i = 0; i < count; i++) o += dissectRecord(p, m, o, flavor === Flavor.MDNS, format, info);
  t.setLength(si, o - s0);
  t.close();
  return o;
}

/** One resource record; returns its length. */
function dissectRecord(p: Packet, m: Msg, o: number, mdns: boolean, format: boolean, info: boolean): number {
  const t = p.tree;
  readName(m, o, format);
  const nameUsed = nameOut.used;
  const owner = nameOut.text;
  const type = u16At(m, o + nameUsed);
  const rawClass = u16At(m, o + nameUsed + 2);
  const flush = mdns ? rawClass & 0x8000 : 0;
  const cls = mdns ? rawClass & 0x7fff : rawClass;
  const dataLen = u16At(m, o + nameUsed + 8);
  const rd = o + nameUsed + 10;
  const typeName = dnsTypeName(type);
  if (info) {
    p.appendInfo(` ${typeName}`);
    if (flush) p.appendInfo(', cache flush');
  }
  const ri = t.addText(
    o,
    nameUsed + 10 + dataLen,
    type === T_OPT
      ? `${owner}: type ${typeName}${flush ? ', cache flush' : ''}`
      : `${owner}: type ${typeName}, class ${CLASSES.get(cls) ?? 'Unknown'}${flush ? ', cache flush' : ''}`,
  );
  t.open(ri);
  if (type === 33 && owner !== '' && owner !== ROOT_TEXT) srvOwner(p, o, nameUsed, owner);
  else if (t.keeps(F.respName)) t.addValue(F.respName, o, nameUsed, owner);
  t.add(F.respType, o + nameUsed, 2, type);
  const ca = o + nameUsed + 2;
  if (type === T_OPT) {
    if (mdns) {
      // mDNS keeps the cache-flush bit in the same word (RFC 6762 §10.2): Wireshark shows the
      // payload size masked, in hex.
      const ui = t.add(F.udpPayloadSize, ca, 2, rawClass & 0x7fff);
      if (t.full) t.setLabel(ui, `${bitPictureOf(rawClass, 0x7fff)} = UDP payload size: 0x${hex4(rawClass & 0x7fff)}`);
    } else t.add(F.udpPayloadSize, ca, 2, rawClass);
    if (mdns) t.add(F.cacheFlush, ca, 2, flush ? 1 : 0);
    const ext = byteAt(m, ca + 2);
    const ver = byteAt(m, ca + 3);
    const z = u16At(m, ca + 4);
    t.add(F.extRcode, ca + 2, 1, ext);
    t.add(F.ednsVersion, ca + 3, 1, ver);
    const zi = t.add(F.z16, ca + 4, 2, z);
    t.open(zi);
    t.add(F.zDo, ca + 4, 2, z & 0x8000 ? 1 : 0);
    t.add(F.zReserved, ca + 4, 2, z & 0x7fff);
    t.close();
  } else {
    t.add(F.respClass, ca, 2, cls);
    if (mdns) t.add(F.cacheFlush, ca, 2, flush ? 1 : 0);
    const ttl = u32At(m, ca + 2);
    const tti = t.add(F.ttl, ca + 2, 4, ttl);
    if (t.full) t.setLabel(tti, `Time to live: ${ttl} (${timeSecsText(ttl)})`);
    if (ttl >= 0x80000000) {
      // RFC 2181 §8: the top bit must be zero; receivers treat such a TTL as zero.
      t.open(tti);
      p.expert(
        'DNS',
        'dns.ttl.high_bit_set',
        'warn',
        'protocol',
        'The uppermost bit of the TTL is set (RFC 2181, section 8)',
        ca + 2,
        4,
      );
      t.close();
    }
  }
  t.add(F.rdLength, o + nameUsed + 8, 2, dataLen);
  if (dataLen > 0) dissectRdata(p, m, rd, dataLen, type, cls, owner, ri, format, info);
  t.close();
  return nameUsed + 10 + dataLen;
}

/**
 * An SRV record's owner (_service._proto.name, RFC 2782) is shown split in three instead of as
 * a name, as Wireshark 4.0 does.
 */
function srvOwner(p: Packet, o: number, n: number, owner: string): void {
  const t = p.tree;
  const a = owner.indexOf('.');
  t.addValue(F.srvService, o, n, a < 0 ? owner : owner.slice(0, a));
  if (a < 0) return;
  const b = owner.indexOf('.', a + 1);
  t.addValue(F.srvProto, o, n, b < 0 ? owner.slice(a + 1) : owner.slice(a + 1, b));
  if (b >= 0) t.addValue(F.srvName, o, n, owner.slice(b + 1));
}

/** Appends ", text" to a record's subtree label (full mode) . */
function appendLabel(p: Packet, ri: number, text: string): void {
  const t = p.tree;
  if (t.full && ri >= 0) t.label[ri] = (t.label[ri] ?? '') + text;
}

function dissectRdata(
  p: Packet,
  m: Msg,
  o: number,
  len: number,
  type: number,
  cls: number,
  owner: string,
  ri: number,
  format: boolean,
  info: boolean,
): void {
  const t = p.tree;
  const buf = m.buf;
  switch (type) {
    case T_A: {
      if (cls === 1) {
        const a = u32At(m, o);
        if (info || t.full) {
          const s = formatIPv4(a);
          if (info) p.appendInfo(` ${s}`);
          appendLabel(p, ri, `, addr ${s}`);
        }
        t.add(F.a, o, 4, a);
      } else if (cls === 3) {
        // CHAOS: a domain name and a 16-bit octal address (RFC 1034 §3.6).
        readName(m, o, format);
        const chaos = u16At(m, o + nameOut.used);
        if (info) p.appendInfo(` ${nameOut.text}/0${chaos.toString(8)}`);
      } else {
        t.add(F.data, o, Math.min(len, m.capEnd - o));
      }
      return;
    }
    case 28: {
      need(m, o, 16);
      if (info || t.full) {
        const s = formatIPv6(buf, o);
        if (info) p.appendInfo(` ${s}`);
        appendLabel(p, ri, `, addr ${s}`);
      }
      t.add(F.aaaa, o, 16);
      return;
    }
    case 2:
    case 5:
    case 12:
    case 39:
    case 30:
    case 47: {
      readName(m, o, format);
      const fid = type === 2 ? F.ns : type === 5 ? F.cname : type === 12 ? F.ptr : type === 39 ? F.dname : F.nsecNext;
      if (info) p.appendInfo(` ${nameOut.text}`);
      if (t.full) {
        const what =
          type === 2 ? 'ns' : type === 5 ? 'cname' : type === 12 ? '' : type === 39 ? 'dname' : 'next domain name';
        appendLabel(p, ri, what ? `, ${what} ${nameOut.text}` : `, ${nameOut.text}`);
      }
      if (t.keeps(fid)) t.addValue(fid, o, nameOut.used, nameOut.text);
      if (type === 47) typeBitmap(p, m, o + nameOut.used, len - nameOut.used);
      else if (type === 30) nxtBitmap(p, m, o + nameOut.used, len - nameOut.used);
      return;
    }
    case 50: {
      // NSEC3 (RFC 5155 §3.2): hash parameters, next hashed owner, then the type bitmap.
      need(m, o, 5);
      const b = m.buf;
      t.add(F.nsec3Algo, o, 1, b[o]);
      const fi = t.add(F.nsec3Flags, o + 1, 1, b[o + 1]);
      t.open(fi);
      t.add(F.nsec3OptOut, o + 1, 1, b[o + 1] & 1);
      t.close();
      t.add(F.nsec3Iterations, o + 2, 2, u16(b, o + 2));
      const saltLen = b[o + 4];
      t.add(F.nsec3SaltLength, o + 4, 1, saltLen);
      need(m, o + 5, saltLen);
      const si = t.add(F.nsec3SaltValue, o + 5, saltLen);
      if (t.full && saltLen === 0) t.setLabel(si, 'Salt value: <MISSING>');
      const hashLenAt = o + 5 + saltLen;
      const hashLen = byteAt(m, hashLenAt);
      t.add(F.nsec3HashLength, hashLenAt, 1, hashLen);
      need(m, hashLenAt + 1, hashLen);
      if (hashLen > 0 && t.keeps(F.nsec3HashValue))
        t.addValue(F.nsec3HashValue, hashLenAt + 1, hashLen, base32hex(b, hashLenAt + 1, hashLen), GENERATED);
      const bitmapAt = hashLenAt + 1 + hashLen;
      typeBitmap(p, m, bitmapAt, len - (bitmapAt - o));
      return;
    }
    case 62:
      // CSYNC (RFC 7477 §2.1): SOA serial, flags, type bitmap.
      typeBitmap(p, m, o + 6, len - 6);
      return;
    case 6: {
      readName(m, o, format);
      if (info) p.appendInfo(` ${nameOut.text}`);
      appendLabel(p, ri, `, mname ${nameOut.text}`);
      if (t.keeps(F.soaMname)) t.addValue(F.soaMname, o, nameOut.used, nameOut.text);
      let c = o + nameOut.used;
      readName(m, c, format);
      if (t.keeps(F.soaRname)) t.addValue(F.soaRname, c, nameOut.used, nameOut.text);
      c += nameOut.used;
      const fields = [F.soaSerial, F.soaRefresh, F.soaRetry, F.soaExpire, F.soaMinimum];
      for (let k = 0; k < 5; k++) {
        const v = u32At(m, c);
        const i = t.add(fields[k], c, 4, v);
        if (k > 0 && t.full) {
          const base = ['', 'Refresh Interval', 'Retry Interval', 'Expire limit', 'Minimum TTL'][k];
          t.setLabel(i, `${base}: ${v} (${timeSecsText(v)})`);
        }
        c += 4;
      }
      return;
    }
    case 15:
    case 36: {
      const pref = u16At(m, o);
      readName(m, o + 2, format);
      if (info) p.appendInfo(` ${pref} ${nameOut.text}`);
      appendLabel(p, ri, `, preference ${pref}, ${type === 15 ? 'mx' : 'kx'} ${nameOut.text}`);
      if (type === 15) {
        t.add(F.mxPreference, o, 2, pref);
        if (t.keeps(F.mxExchange)) t.addValue(F.mxExchange, o + 2, nameOut.used, nameOut.text);
      }
      return;
    }
    case 16:
    case 99: {
      // Character strings until the record's end (RFC 1035 §3.3.14).
      let c = o;
      let left = len;
      while (left > 0) {
        const n = byteAt(m, c);
        if (type === 16) t.add(F.txtLength, c, 1, n);
        c++;
        left--;
        need(m, c, n);
        if (type === 16 && t.keeps(F.txt)) t.addValue(F.txt, c, n, formatText(buf, c, c + n));
        c += n;
        left -= n;
      }
      return;
    }
    case 13: {
      const cpuLen = byteAt(m, o);
      need(m, o + 1, cpuLen);
      const osAt = o + 1 + cpuLen;
      const osLen = byteAt(m, osAt);
      need(m, osAt + 1, osLen);
      const cpu = cText(buf, o + 1, cpuLen);
      const os = cText(buf, osAt + 1, osLen);
      if (info) p.appendInfo(` ${cpu} ${os}`);
      appendLabel(p, ri, `, CPU ${cpu}, OS ${os}`);
      t.add(F.hinfoCpuLength, o, 1, cpuLen);
      if (t.keeps(F.hinfoCpu)) t.addValue(F.hinfoCpu, o + 1, cpuLen, cpu);
      t.add(F.hinfoOsLength, osAt, 1, osLen);
      if (t.keeps(F.hinfoOs)) t.addValue(F.hinfoOs, osAt + 1, osLen, os);
      return;
    }
    case 33: {
      const prio = u16At(m, o);
      const weight = u16At(m, o + 2);
      const port = u16At(m, o + 4);
      t.add(F.srvPriority, o, 2, prio);
      t.add(F.srvWeight, o + 2, 2, weight);
      t.add(F.srvPort, o + 4, 2, port);
      readName(m, o + 6, format);
      if (t.keeps(F.srvTarget)) t.addValue(F.srvTarget, o + 6, nameOut.used, nameOut.text);
      if (info) p.appendInfo(` ${prio} ${weight} ${port} ${nameOut.text}`);
      appendLabel(p, ri, `, priority ${prio}, weight ${weight}, port ${port}, target ${nameOut.text}`);
      return;
    }
    case 35: {
      // NAPTR (RFC 3403): order, preference, then flags shown in Info.
      const order = u16At(m, o);
      const pref = u16At(m, o + 2);
      const fl = byteAt(m, o + 4);
      need(m, o + 5, fl);
      if (info) p.appendInfo(` ${order} ${pref} ${cText(buf, o + 5, fl)}`);
      return;
    }
    case 38: {
      // A6 (RFC 2874): prefix length, address suffix, prefix name.
      const pre = byteAt(m, o);
      const sufLen = 128 - pre;
      const octets = sufLen > 0 ? ((sufLen - 1) >> 3) + 1 : 0;
      const addr = new Uint8Array(16);
      for (let k = 16 - octets; k < 16; k++) addr[k] = byteAt(m, o + 1 + k - (16 - octets));
      let pname = '';
      if (pre > 0) {
        readName(m, o + 1 + octets, format);
        pname = nameOut.text;
      }
      if (info) p.appendInfo(` ${pre} ${formatIPv6(addr, 0)} ${pname}`);
      return;
    }
    case 41:
      dissectOptions(p, m, o, len);
      return;
    case 11: {
      // WKS (RFC 1035 §3.4.2): address, protocol, port bitmap.
      const a = u32At(m, o);
      if (info) p.appendInfo(` ${formatIPv4(a)}`);
      byteAt(m, o + 4);
      return;
    }
    case 64:
    case 65: {
      // SVCB/HTTPS (RFC 9460 §2.2): priority, target, then key-length-value parameters.
      u16At(m, o);
      readName(m, o + 2, false);
      let c = o + 2 + nameOut.used;
      const stop = o + len;
      while (c < stop) {
        const plen = u16At(m, c + 2);
        need(m, c + 4, plen);
        c += 4 + plen;
      }
      return;
    }
    case 249: {
      // TKEY (RFC 2930 §2): algorithm name, times, mode, error, key and other data.
      readName(m, o, false);
      let c = o + nameOut.used + 12;
      c += 2 + u16At(m, c);
      need(m, c + 2, u16At(m, c));
      return;
    }
    case 65281: {
      // Microsoft WINS: flags, two timeouts, a server count and the servers.
      let servers = u32At(m, o + 12);
      let left = len - 16;
      for (let c = o + 16; left > 0 && servers > 0; c += 4, left -= 4, servers--) u32At(m, c);
      return;
    }
    case 65282: {
      readName(m, o + 12, format);
      if (info) p.appendInfo(` ${nameOut.text}`);
      return;
    }
    case 46:
    case 24: {
      const covered = u16At(m, o);
      t.add(F.rrsigTypeCovered, o, 2, covered);
      t.add(F.rrsigAlgorithm, o + 2, 1, byteAt(m, o + 2));
      t.add(F.rrsigLabels, o + 3, 1, byteAt(m, o + 3));
      const ottl = u32At(m, o + 4);
      const oi = t.add(F.rrsigOriginalTtl, o + 4, 4, ottl);
      if (t.full) t.setLabel(oi, `Original TTL: ${ottl} (${timeSecsText(ottl)})`);
      t.addTime(F.rrsigExpiration, o + 8, 4, u32At(m, o + 8), 0);
      t.addTime(F.rrsigInception, o + 12, 4, u32At(m, o + 12), 0);
      t.add(F.rrsigKeyTag, o + 16, 2, u16At(m, o + 16));
      readName(m, o + 18, format);
      if (t.keeps(F.rrsigSigner)) t.addValue(F.rrsigSigner, o + 18, nameOut.used, nameOut.text);
      const sigAt = o + 18 + nameOut.used;
      const sigLen = len - 18 - nameOut.used;
      if (sigLen > 0) {
        need(m, sigAt, sigLen);
        t.add(F.rrsigSignature, sigAt, sigLen);
      }
      return;
    }
    // Types whose Info shows the record's owner name (Wireshark appends name_out, which still
    // holds the owner name for these).
    case 3:
    case 4:
    case 7:
    case 8:
    case 9:
    case 10:
    case 14:
    case 17:
    case 18:
    case 19:
    case 20:
    case 21:
    case 22:
    case 23:
    case 26:
    case 27:
    case 42:
    case 49:
    case 51:
    case 52:
    case 55:
      if (info) p.appendInfo(` ${owner}`);
      need(m, o, 1);
      return;
    default:
      if (UNDECODED_TYPES.has(type) || TYPES[type] === undefined) {
        t.open(ri);
        p.expert(
          'DNS',
          'dns.undecoded.type',
          'note',
          'undecoded',
          `Dissector for DNS Type (${type}) code not implemented, Contact Wireshark developers if you want this supported`,
          o,
          len,
        );
        t.close();
      }
      need(m, o, Math.min(len, 1));
      t.add(F.data, o, Math.min(len, m.capEnd - o));
  }
}

/** Named types that Wireshark 4.0 still does not decode (its "code not implemented" note). */
const UNDECODED_TYPES = new Set([31, 32, 34, 40, 57, 58, 100, 101, 102, 103, 251, 252, 253, 254, 255, 256, 32768]);

/**
 * RFC 4034 §4.1.2 type bitmap (window, length, bits): each type set is a dns.resp.type item, as
 * Wireshark lists them. Like Wireshark it reads until the length is used up; a bad length runs
 * into the bytes that follow and ends at the message end.
 */
function typeBitmap(p: Packet, m: Msg, o: number, left: number): void {
  while (left > 0) {
    const window = byteAt(m, o);
    let size = byteAt(m, o + 1);
    o += 2;
    left -= 2;
    let type = window * 256;
    for (; size > 0; size--) {
      const bits = byteAt(m, o);
      for (let mask = 0x80; mask > 0; mask >>= 1, type++) if (bits & mask) bitmapType(p, o, type);
      o++;
      left--;
    }
  }
}

/** RFC 2535 §5.2 NXT bitmap: one bit per type from type 0. */
function nxtBitmap(p: Packet, m: Msg, o: number, left: number): void {
  let type = 0;
  for (; left > 0; left--, o++) {
    const bits = byteAt(m, o);
    for (let mask = 0x80; mask > 0; mask >>= 1, type++) if (bits & mask) bitmapType(p, o, type);
  }
}

function bitmapType(p: Packet, o: number, type: number): void {
  const t = p.tree;
  const i = t.add(F.respType, o, 1, type);
  if (t.full) t.setLabel(i, `RR type in bit map: ${TYPES[type]?.[1] ?? `Unknown (${type})`}`);
}

/** RFC 4648 §7 base 32 with the extended hex alphabet, unpadded (RFC 5155 §1.3). */
function base32hex(b: Uint8Array, o: number, n: number): string {
  const alphabet = '0123456789abcdefghijklmnopqrstuv';
  let s = '';
  let acc = 0;
  let bits = 0;
  for (let k = 0; k < n; k++) {
    acc = ((acc << 8) | b[o + k]) & 0xfff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      s += alphabet[(acc >> bits) & 31];
    }
  }
  if (bits > 0) s += alphabet[(acc << (5 - bits)) & 31];
  return s;
}

/** EDNS(0) options of an OPT record (RFC 6891 §6.1.2). */
function dissectOptions(p: Packet, m: Msg, o: number, len: number): void {
  const t = p.tree;
  let left = len;
  while (left > 0) {
    const code = u16At(m, o);
    const olen = u16At(m, o + 2);
    left -= 4 + olen;
    const oi = t.add(F.opt, o, 4 + olen);
    if (t.full) t.setLabel(oi, `Option: ${OPT_CODES.get(code) ?? `Unknown (${code})`}`);
    t.open(oi);
    t.add(F.optCode, o, 2, code);
    t.add(F.optLen, o + 2, 2, olen);
    need(m, o + 4, olen);
    t.add(F.optData, o + 4, olen);
    const d = o + 4;
    if ((code === 8 || code === 20730) && olen >= 4) {
      t.add(F.optClientFamily, d, 2, u16(m.buf, d));
      t.add(F.optClientNetmask, d + 2, 1, m.buf[d + 2]);
      t.add(F.optClientScope, d + 3, 1, m.buf[d + 3]);
      t.add(F.optClientAddr, d + 4, olen - 4);
    } else if (code === 10 && olen >= 8) {
      t.add(F.optCookieClient, d, 8);
      if (olen > 8) t.add(F.optCookieServer, d + 8, olen - 8);
    } else if (code === 12) {
      t.add(F.optPadding, d, olen);
    }
    t.close();
    o += 4 + olen;
  }
}

/** Wireshark's unsigned_time_secs_to_str ("1 hour, 2 minutes, 3 seconds"). */
export function timeSecsText(v: number): string {
  if (v === 0) return '0 seconds';
  const parts: string[] = [];
  const units: [number, string][] = [
    [86400, 'day'],
    [3600, 'hour'],
    [60, 'minute'],
    [1, 'second'],
  ];
  let rest = v;
  for (const [size, name] of units) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0) parts.push(`${n} ${name}${n === 1 ? '' : 's'}`);
  }
  return parts.join(', ');
}

// ---------------------------------------------------------------------------------------------
// Entry points and registration

function flavorName(flavor: Flavor): [string, string] {
  return flavor === Flavor.MDNS ? ['mdns', 'MDNS'] : flavor === Flavor.LLMNR ? ['llmnr', 'LLMNR'] : ['dns', 'DNS'];
}

function dissectUdpFlavor(p: Packet, buf: Uint8Array, off: number, end: number, flavor: Flavor): void {
  const [layer, col] = flavorName(flavor);
  p.addLayer(layer);
  if (p.wantColumns && !p.inErrorPacket) p.setProtocol(col);
  dissectMessage(p, buf, off, end, flavor, -1);
}

/** DNS over UDP (port 53). */
export function dissectDnsUdp(p: Packet, buf: Uint8Array, off: number, end: number): void {
  dissectUdpFlavor(p, buf, off, end, Flavor.DNS);
}

/** DNS over TCP (RFC 1035 §4.2.2): messages with a two-byte length prefix. */
export function dissectDnsTcp(p: Packet, buf: Uint8Array, off: number, end: number): number {
  // One layer for the segment, however many messages it carries (tcp_dissect_pdus calls the
  // message dissector directly). Returns where it stopped: `off` when it waits for the rest of
  // the first message (tshark's one pass then drops the layer).
  p.addLayer('dns');
  return tcpDissectPdus(p, buf, off, end, 2, dnsTcpLength, dnsTcpMessage, 'DNS');
}

function dnsTcpLength(_p: Packet, buf: Uint8Array, off: number): number {
  return u16(buf, off) + 2;
}

function dnsTcpMessage(p: Packet, buf: Uint8Array, off: number, end: number): void {
  if (p.wantColumns && !p.inErrorPacket) p.setProtocol('DNS');
  dissectMessage(p, buf, off + 2, end, Flavor.DNS, off);
}

/**
 * Wireshark's DNS heuristic over UDP (enabled in 4.0): a standard-opcode message with one
 * question (queries) or few records (responses), long enough to hold them.
 */
export function dnsHeuristic(p: Packet, buf: Uint8Array, off: number, end: number): boolean {
  if (end - off <= 12 || Math.min(end, buf.length) - off < 12) return false;
  const flags = u16(buf, off + 2);
  if ((flags & 0x7800) !== 0) return false;
  const quest = u16(buf, off + 4);
  const ans = u16(buf, off + 6);
  const auth = u16(buf, off + 8);
  if (!(flags & F_RESPONSE)) {
    if (quest !== 1 || ans !== 0 || auth !== 0) return false;
  } else if (quest > 1 || ans > 100 || auth > 10) return false;
  const add = u16(buf, off + 10);
  if (add > 10) return false;
  if (quest + ans === 0) return false;
  if (quest * 6 + (ans + auth + add) * 11 > end - off - 12) return false;
  dissectDnsUdp(p, buf, off, end);
  return true;
}

udpPortTable.add(53, dissectDnsUdp);
udpPortTable.add(5353, (p, buf, off, end) => dissectUdpFlavor(p, buf, off, end, Flavor.MDNS));
udpPortTable.add(5355, (p, buf, off, end) => dissectUdpFlavor(p, buf, off, end, Flavor.LLMNR));
tcpPortTable.add(53, dissectDnsTcp);
tcpPortTable.add(5353, dissectDnsTcp);
udpHeuristics.add('dns_udp', dnsHeuristic);
