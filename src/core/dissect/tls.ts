// TLS and SSL over TCP as Wireshark 4.0's packet-tls.c and packet-tls-utils.c show them (without
// decryption): records, handshake messages with their hello extensions, certificates handed to
// the X.509 dissector, alerts, heartbeats, the Protocol column from the session's version and the
// Info texts ("Client Hello", "Server Hello, Certificate", "Encrypted Alert", ...).

import { defineFields, valueStrings } from './fields.js';
import type { Packet } from './packet.js';
import { NOT_MINE, tcpHeuristics, tcpPortTable } from './tables.js';
import { askForMore, DESEGMENT_ONE_MORE_SEGMENT } from './tcp-pdus.js';
import { GENERATED } from './tree.js';
import { md5Hex } from './md5.js';
import { currentTcpStream } from '../analysis/tcp.js';
import { berBounds, registerBerOid, readTlv, Tlv, BER_CLASS, BER_TAG } from './ber.js';
import { dissectCertificateAt, dissectName, x509Fields } from './x509.js';
import { dissectOcspResponse } from './ocsp.js';
import {
  ALERT_DESCRIPTIONS,
  ALERT_LEVELS,
  CERT_STATUS_TYPES,
  CIPHER_SUITES,
  CLIENT_CERT_TYPES,
  COMPRESSION_METHODS,
  EC_POINT_FORMATS,
  EXTENSION_TYPES,
  HASH_ALGORITHMS,
  HEARTBEAT_MODES,
  HEARTBEAT_TYPES,
  SERVER_NAME_TYPES,
  SIGNATURE_ALGORITHMS,
  SIGNATURE_SCHEMES,
  SUPPORTED_GROUPS,
} from './tls-values.js';

// ProtocolVersion values (packet-tls-utils.h)
const SSLV2 = 0x0002;
const SSLV3 = 0x0300;
const TLSV1 = 0x0301;
const TLSV1_1 = 0x0302;
const TLSV1_2 = 0x0303;
const TLSV1_3 = 0x0304;
const GMTLSV1 = 0x0101;
const VERSION_UNKNOWN = 0;

// ContentType (RFC 8446 5.1, RFC 6520, RFC 9146)
const CT_CHANGE_CIPHER_SPEC = 20;
const CT_ALERT = 21;
const CT_HANDSHAKE = 22;
const CT_APP_DATA = 23;
const CT_HEARTBEAT = 24;
const CT_TLS12_CID = 25;

// HandshakeType
const HS_CLIENT_HELLO = 1;
const HS_SERVER_HELLO = 2;
const HS_NEW_SESSION_TICKET = 4;
const HS_HELLO_RETRY_REQUEST = 6;
const HS_CERTIFICATE = 11;
const HS_SERVER_KEY_EXCHANGE = 12;
const HS_CERT_REQUEST = 13;
const HS_CERT_VERIFY = 15;
const HS_CLIENT_KEY_EXCHANGE = 16;
const HS_FINISHED = 20;
const HS_CERT_STATUS = 22;

const VERSIONS = valueStrings({
  0x0002: 'SSL 2.0',
  0x0300: 'SSL 3.0',
  0x0301: 'TLS 1.0',
  0x0101: 'GMTLS',
  0x0302: 'TLS 1.1',
  0x0303: 'TLS 1.2',
  0x0304: 'TLS 1.3',
  0xfeff: 'DTLS 1.0',
  0xfefd: 'DTLS 1.2',
  0x0a0a: 'Reserved (GREASE)',
  0x1a1a: 'Reserved (GREASE)',
  0x2a2a: 'Reserved (GREASE)',
  0x3a3a: 'Reserved (GREASE)',
  0x4a4a: 'Reserved (GREASE)',
  0x5a5a: 'Reserved (GREASE)',
  0x6a6a: 'Reserved (GREASE)',
  0x7a7a: 'Reserved (GREASE)',
  0x8a8a: 'Reserved (GREASE)',
  0x9a9a: 'Reserved (GREASE)',
  0xaaaa: 'Reserved (GREASE)',
  0xbaba: 'Reserved (GREASE)',
  0xcaca: 'Reserved (GREASE)',
  0xdada: 'Reserved (GREASE)',
  0xeaea: 'Reserved (GREASE)',
  0xfafa: 'Reserved (GREASE)',
});

/** ssl_version_short_names: the Protocol column. */
const SHORT_NAMES = new Map<number, string>([
  [SSLV2, 'SSLv2'],
  [SSLV3, 'SSLv3'],
  [TLSV1, 'TLSv1'],
  [GMTLSV1, 'GMTLSv1'],
  [TLSV1_1, 'TLSv1.1'],
  [TLSV1_2, 'TLSv1.2'],
  [TLSV1_3, 'TLSv1.3'],
]);

const CONTENT_TYPES = valueStrings({
  20: 'Change Cipher Spec',
  21: 'Alert',
  22: 'Handshake',
  23: 'Application Data',
  24: 'Heartbeat',
  25: 'Connection ID',
});

const HANDSHAKE_TYPES = valueStrings({
  0: 'Hello Request',
  1: 'Client Hello',
  2: 'Server Hello',
  3: 'Hello Verify Request',
  4: 'New Session Ticket',
  5: 'End of Early Data',
  6: 'Hello Retry Request',
  8: 'Encrypted Extensions',
  11: 'Certificate',
  12: 'Server Key Exchange',
  13: 'Certificate Request',
  14: 'Server Hello Done',
  15: 'Certificate Verify',
  16: 'Client Key Exchange',
  20: 'Finished',
  21: 'Client Certificate URL',
  22: 'Certificate Status',
  23: 'Supplemental Data',
  24: 'Key Update',
  25: 'Compressed Certificate',
  67: 'Encrypted Extensions',
});

const SSL2_MSG_TYPES = valueStrings({
  0: 'Error',
  1: 'Client Hello',
  2: 'Client Master Key',
  3: 'Client Finished',
  4: 'Server Hello',
  5: 'Server Verify',
  6: 'Server Finished',
  7: 'Request Certificate',
  8: 'Client Certificate',
});

export const tlsFields = defineFields({
  tls: { abbrev: 'tls', name: 'Transport Layer Security', type: 'protocol' },
  record: { abbrev: 'tls.record', name: 'Record Layer', type: 'none' },
  ignoredUnknownRecord: { abbrev: 'tls.ignored_unknown_record', name: 'Ignored Unknown Record', type: 'none' },
  npnLength: {
    abbrev: 'tls.handshake.extensions_npn_str_len',
    name: 'Protocol string length',
    type: 'uint',
    bits: 8,
    base: 'dec',
  },
  npn: { abbrev: 'tls.handshake.extensions_npn', name: 'Next Protocol', type: 'string' },
  ja3Full: { abbrev: 'tls.handshake.ja3_full', name: 'JA3 Fullstring', type: 'string' },
  ja3: { abbrev: 'tls.handshake.ja3', name: 'JA3', type: 'string' },
  ja3sFull: { abbrev: 'tls.handshake.ja3s_full', name: 'JA3S Fullstring', type: 'string' },
  ja3s: { abbrev: 'tls.handshake.ja3s', name: 'JA3S', type: 'string' },
  contentType: {
    abbrev: 'tls.record.content_type',
    name: 'Content Type',
    type: 'uint',
    bits: 8,
    base: 'dec',
    strings: CONTENT_TYPES,
  },
  opaqueType: {
    abbrev: 'tls.record.opaque_type',
    name: 'Opaque Type',
    type: 'uint',
    bits: 8,
    base: 'dec',
    strings: CONTENT_TYPES,
  },
  recordVersion: {
    abbrev: 'tls.record.version',
    name: 'Version',
    type: 'uint',
    bits: 16,
    base: 'hex',
    strings: VERSIONS,
  },
  recordLength: { abbrev: 'tls.record.length', name: 'Length', type: 'uint', bits: 16, base: 'dec' },
  appData: { abbrev: 'tls.app_data', name: 'Encrypted Application Data', type: 'bytes' },
  appDataProto: { abbrev: 'tls.app_data_proto', name: 'Application Data Protocol', type: 'string' },
  ssl2IsEscape: { abbrev: 'tls.record.is_escape', name: 'Is Escape', type: 'bool' },
  ssl2PaddingLength: {
    abbrev: 'tls.record.padding_length',
    name: 'Padding Length',
    type: 'uint',
    bits: 8,
    base: 'dec',
  },
  ssl2CipherSpecLength: {
    abbrev: 'tls.handshake.cipher_spec_len',
    name: 'Cipher Spec Length',
    type: 'uint',
    bits: 16,
    base: 'dec',
  },
  ssl2ChallengeLength: {
    abbrev: 'tls.handshake.challenge_length',
    name: 'Challenge Length',
    type: 'uint',
    bits: 16,
    base: 'dec',
  },
  ssl2CipherSpec: { abbrev: 'tls.handshake.cipherspec', name: 'Cipher Spec', type: 'uint', bits: 24, base: 'hex' },
  ssl2Challenge: { abbrev: 'tls.handshake.challenge', name: 'Challenge', type: 'none' },
  ssl2MsgType: {
    abbrev: 'tls.ssl2.handshake.type',
    name: 'Handshake Message Type',
    type: 'uint',
    bits: 8,
    base: 'dec',
    strings: SSL2_MSG_TYPES,
  },
  alert: { abbrev: 'tls.alert_message', name: 'Alert Message', type: 'none' },
  alertLevel: {
    abbrev: 'tls.alert_message.level',
    name: 'Level',
    type: 'uint',
    bits: 8,
    base: 'dec',
    strings: ALERT_LEVELS,
  },
  alertDescription: {
    abbrev: 'tls.alert_message.desc',
    name: 'Description',
    type: 'uint',
    bits: 8,
    base: 'dec',
    strings: ALERT_DESCRIPTIONS,
  },
  changeCipherSpec: { abbrev: 'tls.change_cipher_spec', name: 'Change Cipher Spec Message', type: 'none' },
  handshake: { abbrev: 'tls.handshake', name: 'Handshake Protocol', type: 'none' },
  hsType: {
    abbrev: 'tls.handshake.type',
    name: 'Handshake Type',
    type: 'uint',
    bits: 8,
    base: 'dec',
    strings: HANDSHAKE_TYPES,
  },
  hsLength: { abbrev: 'tls.handshake.length', name: 'Length', type: 'uint', bits: 24, base: 'dec' },
  hsVersion: {
    abbrev: 'tls.handshake.version',
    name: 'Version',
    type: 'uint',
    bits: 16,
    base: 'hex',
    strings: VERSIONS,
  },
  random: { abbrev: 'tls.handshake.random', name: 'Random', type: 'bytes' },
  randomTime: { abbrev: 'tls.handshake.random_time', name: 'GMT Unix Time', type: 'abstime' },
  randomBytes: { abbrev: 'tls.handshake.random_bytes', name: 'Random Bytes', type: 'bytes' },
  sessionIdLength: {
    abbrev: 'tls.handshake.session_id_length',
    name: 'Session ID Length',
    type: 'uint',
    bits: 8,
    base: 'dec',
  },
  sessionId: { abbrev: 'tls.handshake.session_id', name: 'Session ID', type: 'bytes' },
  cipherSuitesLength: {
    abbrev: 'tls.handshake.cipher_suites_length',
    name: 'Cipher Suites Length',
    type: 'uint',
    bits: 16,
    base: 'dec',
  },
  cipherSuites: { abbrev: 'tls.handshake.ciphersuites', name: 'Cipher Suites', type: 'none' },
  cipherSuite: {
    abbrev: 'tls.handshake.ciphersuite',
    name: 'Cipher Suite',
    type: 'uint',
    bits: 16,
    base: 'hex',
    strings: CIPHER_SUITES,
  },
  compMethodsLength: {
    abbrev: 'tls.handshake.comp_methods_length',
    name: 'Compression Methods Length',
    type: 'uint',
    bits: 8,
    base: 'dec',
  },
  compMethods: { abbrev: 'tls.handshake.comp_methods', name: 'Compression Methods', type: 'none' },
  compMethod: {
    abbrev: 'tls.handshake.comp_method',
    name: 'Compression Method',
    type: 'uint',
    bits: 8,
    base: 'dec',
    strings: COMPRESSION_METHODS,
  },
  extensionsLength: {
    abbrev: 'tls.handshake.extensions_length',
    name: 'Extensions Length',
    type: 'uint',
    bits: 16,
    base: 'dec',
  },
  extensionType: {
    abbrev: 'tls.handshake.extension.type',
    name: 'Type',
    type: 'uint',
    bits: 16,
    base: 'dec',
    strings: EXTENSION_TYPES,
  },
  extensionLength: { abbrev: 'tls.handshake.extension.len', name: 'Length', type: 'uint', bits: 16, base: 'dec' },
  extensionData: { abbrev: 'tls.handshake.extension.data', name: 'Data', type: 'bytes' },
  serverNameListLength: {
    abbrev: 'tls.handshake.extensions_server_name_list_len',
    name: 'Server Name list length',
    type: 'uint',
    bits: 16,
    base: 'dec',
  },
  serverNameType: {
    abbrev: 'tls.handshake.extensions_server_name_type',
    name: 'Server Name Type',
    type: 'uint',
    bits: 8,
    base: 'dec',
    strings: SERVER_NAME_TYPES,
  },
  serverNameLength: {
    abbrev: 'tls.handshake.extensions_server_name_len',
    name: 'Server Name length',
    type: 'uint',
    bits: 16,
    base: 'dec',
  },
  serverName: { abbrev: 'tls.handshake.extensions_server_name', name: 'Server Name', type: 'string' },
  maxFragmentLength: {
    abbrev: 'tls.handshake.max_fragment_length',
    name: 'Maximum Fragment Length',
    type: 'uint',
    bits: 8,
    base: 'dec',
  },
  statusRequestType: {
    abbrev: 'tls.handshake.extensions_status_request_type',
    name: 'Certificate Status Type',
    type: 'uint',
    bits: 8,
    base: 'dec',
    strings: CERT_STATUS_TYPES,
  },
  statusResponderIdsLength: {
    abbrev: 'tls.handshake.extensions_status_request_responder_ids_len',
    name: 'Responder ID list Length',
    type: 'uint',
    bits: 16,
    base: 'dec',
  },
  statusExtsLength: {
    abbrev: 'tls.handshake.extensions_status_request_exts_len',
    name: 'Request Extensions Length',
    type: 'uint',
    bits: 16,
    base: 'dec',
  },
  supportedGroupsLength: {
    abbrev: 'tls.handshake.extensions_supported_groups_length',
    name: 'Supported Groups List Length',
    type: 'uint',
    bits: 16,
    base: 'dec',
  },
  supportedGroups: { abbrev: 'tls.handshake.extensions_supported_groups', name: 'Supported Groups List', type: 'none' },
  supportedGroup: {
    abbrev: 'tls.handshake.extensions_supported_group',
    name: 'Supported Group',
    type: 'uint',
    bits: 16,
    base: 'hex',
    strings: SUPPORTED_GROUPS,
  },
  ecPointFormatsLength: {
    abbrev: 'tls.handshake.extensions_ec_point_formats_length',
    name: 'EC point formats Length',
    type: 'uint',
    bits: 8,
    base: 'dec',
  },
  ecPointFormats: { abbrev: 'tls.handshake.extensions_ec_point_formats', name: 'EC point formats', type: 'none' },
  ecPointFormat: {
    abbrev: 'tls.handshake.extensions_ec_point_format',
    name: 'EC point format',
    type: 'uint',
    bits: 8,
    base: 'dec',
    strings: EC_POINT_FORMATS,
  },
  sigHashAlgLength: {
    abbrev: 'tls.handshake.sig_hash_alg_len',
    name: 'Signature Hash Algorithms Length',
    type: 'uint',
    bits: 16,
    base: 'dec',
  },
  sigHashAlgs: { abbrev: 'tls.handshake.sig_hash_algs', name: 'Signature Algorithms', type: 'none' },
  sigHashAlg: {
    abbrev: 'tls.handshake.sig_hash_alg',
    name: 'Signature Algorithm',
    type: 'uint',
    bits: 16,
    base: 'hex',
    strings: SIGNATURE_SCHEMES,
  },
  sigHashHash: {
    abbrev: 'tls.handshake.sig_hash_hash',
    name: 'Signature Hash Algorithm Hash',
    type: 'uint',
    bits: 8,
    base: 'dec',
    strings: HASH_ALGORITHMS,
  },
  sigHashSig: {
    abbrev: 'tls.handshake.sig_hash_sig',
    name: 'Signature Hash Algorithm Signature',
    type: 'uint',
    bits: 8,
    base: 'dec',
    strings: SIGNATURE_ALGORITHMS,
  },
  heartbeatMode: {
    abbrev: 'tls.handshake.extension.heartbeat.mode',
    name: 'Mode',
    type: 'uint',
    bits: 8,
    base: 'dec',
    strings: HEARTBEAT_MODES,
  },
  alpnLength: {
    abbrev: 'tls.handshake.extensions_alpn_len',
    name: 'ALPN Extension Length',
    type: 'uint',
    bits: 16,
    base: 'dec',
  },
  alpnList: { abbrev: 'tls.handshake.extensions_alpn_list', name: 'ALPN Protocol', type: 'none' },
  alpnStrLength: {
    abbrev: 'tls.handshake.extensions_alpn_str_len',
    name: 'ALPN string length',
    type: 'uint',
    bits: 8,
    base: 'dec',
  },
  alpnStr: { abbrev: 'tls.handshake.extensions_alpn_str', name: 'ALPN Next Protocol', type: 'string' },
  paddingData: { abbrev: 'tls.handshake.extensions_padding_data', name: 'Padding Data', type: 'bytes' },
  supportedVersionsLength: {
    abbrev: 'tls.handshake.extensions.supported_versions_len',
    name: 'Supported Versions length',
    type: 'uint',
    bits: 8,
    base: 'dec',
  },
  supportedVersion: {
    abbrev: 'tls.handshake.extensions.supported_version',
    name: 'Supported Version',
    type: 'uint',
    bits: 16,
    base: 'hex',
    strings: VERSIONS,
  },
  cookieLength: {
    abbrev: 'tls.handshake.extensions.cookie_len',
    name: 'Cookie length',
    type: 'uint',
    bits: 16,
    base: 'dec',
  },
  cookie: { abbrev: 'tls.handshake.extensions.cookie', name: 'Cookie', type: 'bytes' },
  pskKeModesLength: {
    abbrev: 'tls.extension.psk_ke_modes_length',
    name: 'PSK Key Exchange Modes Length',
    type: 'uint',
    bits: 8,
    base: 'dec',
  },
  pskKeMode: {
    abbrev: 'tls.extension.psk_ke_mode',
    name: 'PSK Key Exchange Mode',
    type: 'uint',
    bits: 8,
    base: 'dec',
    strings: valueStrings({
      0: 'PSK-only key establishment (psk_ke)',
      1: 'PSK with (EC)DHE key establishment (psk_dhe_ke)',
    }),
  },
  pskIdentitiesLength: {
    abbrev: 'tls.handshake.extensions.psk.identities.length',
    name: 'Identities Length',
    type: 'uint',
    bits: 16,
    base: 'dec',
  },
  pskIdentityLength: {
    abbrev: 'tls.handshake.extensions.psk.identity.identity_length',
    name: 'Identity Length',
    type: 'uint',
    bits: 16,
    base: 'dec',
  },
  pskIdentity: { abbrev: 'tls.handshake.extensions.psk.identity.identity', name: 'Identity', type: 'bytes' },
  pskTicketAge: {
    abbrev: 'tls.handshake.extensions.psk.identity.obfuscated_ticket_age',
    name: 'Obfuscated Ticket Age',
    type: 'uint',
    bits: 32,
    base: 'dec',
  },
  pskBindersLength: {
    abbrev: 'tls.handshake.extensions.psk.binders_len',
    name: 'PSK Binders length',
    type: 'uint',
    bits: 16,
    base: 'dec',
  },
  pskBinders: { abbrev: 'tls.handshake.extensions.psk.binders', name: 'PSK Binders', type: 'none' },
  pskSelected: {
    abbrev: 'tls.handshake.extensions.psk.identity.selected',
    name: 'Selected Identity',
    type: 'uint',
    bits: 16,
    base: 'dec',
  },
  maxEarlyDataSize: {
    abbrev: 'tls.early_data.max_early_data_size',
    name: 'Maximum Early Data Size',
    type: 'uint',
    bits: 32,
    base: 'dec',
  },
  keyShareClientLength: {
    abbrev: 'tls.handshake.extensions_key_share_client_length',
    name: 'Client Key Share Length',
    type: 'uint',
    bits: 16,
    base: 'dec',
  },
  keyShareGroup: {
    abbrev: 'tls.handshake.extensions_key_share_group',
    name: 'Group',
    type: 'uint',
    bits: 16,
    base: 'dec',
    strings: SUPPORTED_GROUPS,
  },
  keyShareKeyExchangeLength: {
    abbrev: 'tls.handshake.extensions_key_share_key_exchange_length',
    name: 'Key Exchange Length',
    type: 'uint',
    bits: 16,
    base: 'dec',
  },
  keyShareKeyExchange: {
    abbrev: 'tls.handshake.extensions_key_share_key_exchange',
    name: 'Key Exchange',
    type: 'bytes',
  },
  keyShareSelectedGroup: {
    abbrev: 'tls.handshake.extensions_key_share_selected_group',
    name: 'Selected Group',
    type: 'uint',
    bits: 16,
    base: 'dec',
    strings: SUPPORTED_GROUPS,
  },
  renegInfoLength: {
    abbrev: 'tls.handshake.extensions_reneg_info_len',
    name: 'Renegotiation info extension length',
    type: 'uint',
    bits: 8,
    base: 'dec',
  },
  renegInfo: { abbrev: 'tls.handshake.extensions_reneg_info', name: 'Renegotiation info', type: 'bytes' },
  recordSizeLimit: { abbrev: 'tls.record_size_limit', name: 'Record Size Limit', type: 'uint', bits: 16, base: 'dec' },
  certificatesLength: {
    abbrev: 'tls.handshake.certificates_length',
    name: 'Certificates Length',
    type: 'uint',
    bits: 24,
    base: 'dec',
  },
  certificates: { abbrev: 'tls.handshake.certificates', name: 'Certificates', type: 'none' },
  certificateLength: {
    abbrev: 'tls.handshake.certificate_length',
    name: 'Certificate Length',
    type: 'uint',
    bits: 24,
    base: 'dec',
  },
  certificate: { abbrev: 'tls.handshake.certificate', name: 'Certificate', type: 'bytes' },
  certRequestContextLength: {
    abbrev: 'tls.handshake.certificate_request_context_length',
    name: 'Certificate Request Context Length',
    type: 'uint',
    bits: 8,
    base: 'dec',
  },
  certRequestContext: {
    abbrev: 'tls.handshake.certificate_request_context',
    name: 'Certificate Request Context',
    type: 'bytes',
  },
  serverCurveType: {
    abbrev: 'tls.handshake.server_curve_type',
    name: 'Curve Type',
    type: 'uint',
    bits: 8,
    base: 'hex',
    strings: valueStrings({ 1: 'explicit_prime', 2: 'explicit_char2', 3: 'named_curve' }),
  },
  serverNamedCurve: {
    abbrev: 'tls.handshake.server_named_curve',
    name: 'Named Curve',
    type: 'uint',
    bits: 16,
    base: 'hex',
    strings: SUPPORTED_GROUPS,
  },
  serverPointLength: {
    abbrev: 'tls.handshake.server_point_len',
    name: 'Pubkey Length',
    type: 'uint',
    bits: 8,
    base: 'dec',
  },
  serverPoint: { abbrev: 'tls.handshake.server_point', name: 'Pubkey', type: 'bytes' },
  sigLength: { abbrev: 'tls.handshake.sig_len', name: 'Signature Length', type: 'uint', bits: 16, base: 'dec' },
  sig: { abbrev: 'tls.handshake.sig', name: 'Signature', type: 'bytes' },
  clientPointLength: {
    abbrev: 'tls.handshake.client_point_len',
    name: 'Pubkey Length',
    type: 'uint',
    bits: 8,
    base: 'dec',
  },
  clientPoint: { abbrev: 'tls.handshake.client_point', name: 'Pubkey', type: 'bytes' },
  pLength: { abbrev: 'tls.handshake.p_len', name: 'p Length', type: 'uint', bits: 16, base: 'dec' },
  p: { abbrev: 'tls.handshake.p', name: 'p', type: 'bytes' },
  gLength: { abbrev: 'tls.handshake.g_len', name: 'g Length', type: 'uint', bits: 16, base: 'dec' },
  g: { abbrev: 'tls.handshake.g', name: 'g', type: 'bytes' },
  ysLength: { abbrev: 'tls.handshake.ys_len', name: 'Pubkey Length', type: 'uint', bits: 16, base: 'dec' },
  ys: { abbrev: 'tls.handshake.ys', name: 'Pubkey', type: 'bytes' },
  ycLength: { abbrev: 'tls.handshake.yc_len', name: 'Pubkey Length', type: 'uint', bits: 16, base: 'dec' },
  yc: { abbrev: 'tls.handshake.yc', name: 'Pubkey', type: 'bytes' },
  epmsLength: {
    abbrev: 'tls.handshake.epms_len',
    name: 'Encrypted PreMaster length',
    type: 'uint',
    bits: 16,
    base: 'dec',
  },
  epms: { abbrev: 'tls.handshake.epms', name: 'Encrypted PreMaster', type: 'bytes' },
  certTypesCount: {
    abbrev: 'tls.handshake.cert_types_count',
    name: 'Certificate types count',
    type: 'uint',
    bits: 8,
    base: 'dec',
  },
  certTypes: { abbrev: 'tls.handshake.cert_types', name: 'Certificate types', type: 'none' },
  certType: {
    abbrev: 'tls.handshake.cert_type',
    name: 'Certificate Type',
    type: 'uint',
    bits: 8,
    base: 'dec',
    strings: CLIENT_CERT_TYPES,
  },
  dnamesLength: {
    abbrev: 'tls.handshake.dnames_len',
    name: 'Distinguished Names Length',
    type: 'uint',
    bits: 16,
    base: 'dec',
  },
  dnames: { abbrev: 'tls.handshake.dnames', name: 'Distinguished Names', type: 'none' },
  dnameLength: {
    abbrev: 'tls.handshake.dname_len',
    name: 'Distinguished Name Length',
    type: 'uint',
    bits: 16,
    base: 'dec',
  },
  dname: { abbrev: 'tls.handshake.dname', name: 'Distinguished Name', type: 'none' },
  ticketLifetimeHint: {
    abbrev: 'tls.handshake.session_ticket_lifetime_hint',
    name: 'Session Ticket Lifetime Hint',
    type: 'uint',
    bits: 32,
    base: 'dec',
  },
  ticketAgeAdd: {
    abbrev: 'tls.handshake.session_ticket_age_add',
    name: 'Session Ticket Age Add',
    type: 'uint',
    bits: 32,
    base: 'dec',
  },
  ticketNonceLength: {
    abbrev: 'tls.handshake.session_ticket_nonce_length',
    name: 'Session Ticket Nonce Length',
    type: 'uint',
    bits: 8,
    base: 'dec',
  },
  ticketNonce: { abbrev: 'tls.handshake.session_ticket_nonce', name: 'Session Ticket Nonce', type: 'bytes' },
  ticketLength: {
    abbrev: 'tls.handshake.session_ticket_length',
    name: 'Session Ticket Length',
    type: 'uint',
    bits: 16,
    base: 'dec',
  },
  ticket: { abbrev: 'tls.handshake.session_ticket', name: 'Session Ticket', type: 'bytes' },
  verifyData: { abbrev: 'tls.handshake.verify_data', name: 'Verify Data', type: 'none' },
  certVerifySigLength: {
    abbrev: 'tls.handshake.client_cert_vrfy.sig_len',
    name: 'Signature length',
    type: 'uint',
    bits: 16,
    base: 'dec',
  },
  certVerifySig: { abbrev: 'tls.handshake.client_cert_vrfy.sig', name: 'Signature', type: 'bytes' },
  ocspResponseLength: {
    abbrev: 'tls.handshake.ocsp_response_len',
    name: 'OCSP Response Length',
    type: 'uint',
    bits: 24,
    base: 'dec',
  },
  heartbeat: { abbrev: 'tls.heartbeat_message', name: 'Heartbeat Message', type: 'none' },
  heartbeatType: {
    abbrev: 'tls.heartbeat_message.type',
    name: 'Type',
    type: 'uint',
    bits: 8,
    base: 'dec',
    strings: HEARTBEAT_TYPES,
  },
  heartbeatPayloadLength: {
    abbrev: 'tls.heartbeat_message.payload_length',
    name: 'Payload Length',
    type: 'uint',
    bits: 16,
    base: 'dec',
  },
  heartbeatPayload: { abbrev: 'tls.heartbeat_message.payload', name: 'Payload Length', type: 'bytes' },
  heartbeatPadding: { abbrev: 'tls.heartbeat_message.padding', name: 'Payload Length', type: 'bytes' },
  sctListLength: {
    abbrev: 'tls.sct.scts_length',
    name: 'Serialized SCT List Length',
    type: 'uint',
    bits: 16,
    base: 'dec',
  },
  sctLength: { abbrev: 'tls.sct.sct_length', name: 'Serialized SCT Length', type: 'uint', bits: 16, base: 'dec' },
  sctVersion: { abbrev: 'tls.sct.sct_version', name: 'SCT Version', type: 'uint', bits: 8, base: 'dec' },
  sctLogId: { abbrev: 'tls.sct.sct_logid', name: 'Log ID', type: 'bytes' },
  sctSignature: { abbrev: 'tls.sct.sct_signature', name: 'Signature', type: 'bytes' },
  sctTimestamp: { abbrev: 'tls.sct.sct_timestamp', name: 'Timestamp', type: 'abstime' },
  sctExtensionsLength: {
    abbrev: 'tls.sct.sct_extensions_length',
    name: 'Extensions length',
    type: 'uint',
    bits: 16,
    base: 'dec',
  },
  sctSignatureLength: {
    abbrev: 'tls.sct.sct_signature_length',
    name: 'Signature Length',
    type: 'uint',
    bits: 16,
    base: 'dec',
  },
  handshakeReassembledIn: {
    abbrev: 'tls.handshake.reassembled_in',
    name: 'Reassembled Handshake Message in frame',
    type: 'framenum',
  },
});

const F = tlsFields;

/** The TLS state of one TCP connection (Wireshark's SslSession in the conversation). */
class TlsSession {
  version = VERSION_UNKNOWN;
  /** The server's port and address (set by the Client Hello); port -1 while unknown. */
  serverPort = -1;
  serverAddr = '';
  /** Frame of the first ChangeCipherSpec from each side (0: none yet). */
  clientCcsFrame = 0;
  serverCcsFrame = 0;
  /** The application protocol the Server Hello's ALPN chose ('' while none). */
  appProtocol = '';
  /** The cipher suite the Server Hello chose (0: none yet); it decides the key exchange layout. */
  cipher = 0;
  /** A STARTTLS connection: frames up to this one are not TLS (0: from the start). */
  lastNonTlsFrame = 0;
  /** Handshake messages split over records, per direction (client 0, server 1). */
  pending: (PendingHandshake | undefined)[] = [undefined, undefined];
}

interface PendingHandshake {
  type: number;
  /** Whole message length (header included); 0 while the 4-byte header is incomplete. */
  total: number;
  parts: Uint8Array[];
  have: number;
}

/** Most handshake bytes kept for one message that spans records (certificate chains fit). */
const MAX_PENDING_HANDSHAKE = 1 << 20;
/** Connections whose TLS state is kept; the oldest is dropped past this. */
const MAX_SESSIONS = 20000;

/** All handshake bytes held for split messages across connections (memory bound). */
const MAX_PENDING_TOTAL = 16 << 20;

class TlsState {
  readonly sessions = new Map<number | string, TlsSession>();
  /** Bytes held in TlsSession.pending over all sessions. */
  pendingBytes = 0;
  /** STARTTLS hand-overs: connection -> frame after which TLS starts. */
  readonly startTls = new Map<number | string, number>();
}

function newState(): TlsState {
  return new TlsState();
}

function connectionKey(p: Packet): number | string {
  const s = currentTcpStream();
  if (s >= 0) return s;
  // Without TCP analysis there is no stream number: key by the two endpoints.
  const a = `${addrKey(p, true)}:${p.srcPort}`;
  const b = `${addrKey(p, false)}:${p.dstPort}`;
  return a < b ? a + '-' + b : b + '-' + a;
}

function addrKey(p: Packet, src: boolean): string {
  if (p.netType === 4) return String(src ? p.netSrc4 : p.netDst4);
  const a = src ? p.netSrc6 : p.netDst6;
  if (a === undefined) return '';
  let s = '';
  for (let i = 0; i < a.length; i++) s += a[i].toString(16).padStart(2, '0');
  return s;
}

/**
 * The session of this packet's connection. In the output pass of a two-pass run it starts from
 * what the first pass ended with, as Wireshark's session survives into its second pass (which is
 * why a TLS 1.3 Client Hello already shows "TLSv1.3").
 */
function sessionOf(p: Packet): TlsSession {
  const state = p.session.protocolState('tls', newState);
  const key = connectionKey(p);
  let s = state.sessions.get(key);
  if (s === undefined) {
    s = new TlsSession();
    const first = p.session.firstPass?.protocolState('tls', newState).sessions.get(key);
    if (first !== undefined) {
      s.version = first.version;
      s.serverPort = first.serverPort;
      s.serverAddr = first.serverAddr;
      s.clientCcsFrame = first.clientCcsFrame;
      s.serverCcsFrame = first.serverCcsFrame;
      s.lastNonTlsFrame = first.lastNonTlsFrame;
      s.appProtocol = first.appProtocol;
    }
    if (state.sessions.size >= MAX_SESSIONS) {
      const oldest = state.sessions.keys().next().value;
      if (oldest !== undefined) {
        const gone = state.sessions.get(oldest);
        for (const m of gone?.pending ?? []) if (m !== undefined) state.pendingBytes -= m.have;
        state.sessions.delete(oldest);
      }
    }
    state.sessions.set(key, s);
  }
  return s;
}

/** Ports whose TLS payload Wireshark associates with an application protocol (tls.port). */
const TLS_APP_PORTS = new Set([
  443, 465, 636, 853, 993, 995, 5061, 802, 324, 1300, 2221, 2443, 3249, 3250, 3251, 3252, 3389, 3496, 5671, 5684, 5868,
  8883, 11207, 19999, 27017,
]);

/** ssl_packet_from_server: the known server endpoint, else a source port in tls.port. */
function fromServer(p: Packet, s: TlsSession): boolean {
  if (s.serverPort >= 0) return s.serverPort === p.srcPort && s.serverAddr === addrKey(p, true);
  return TLS_APP_PORTS.has(p.srcPort);
}

function versionShortName(v: number): string {
  return SHORT_NAMES.get(v) ?? 'SSL';
}

/** tls_try_get_version: TLS 1.3 drafts and Facebook's fizz map to TLS 1.3; unknown values to 0. */
function normalizeVersion(v: number): number {
  if (v >> 8 === 0x7f || v === 0xfb17 || v === 0xfb1a) return TLSV1_3;
  switch (v) {
    case SSLV3:
    case TLSV1:
    case TLSV1_1:
    case TLSV1_2:
    case TLSV1_3:
    case GMTLSV1:
      return v;
  }
  return VERSION_UNKNOWN;
}

function isValidContentType(t: number): boolean {
  return t >= CT_CHANGE_CIPHER_SPEC && t <= CT_TLS12_CID;
}

/** ssl_try_set_version: every record type but a Client Hello tells the session's version. */
function trySetVersion(s: TlsSession, contentType: number, hsType: number, version: number): void {
  const authoritative =
    (contentType === CT_HANDSHAKE && HANDSHAKE_TYPES.has(hsType) && hsType !== HS_CLIENT_HELLO) ||
    (contentType !== CT_HANDSHAKE && isValidContentType(contentType));
  if (!authoritative) return;
  const v = normalizeVersion(version);
  if (v !== VERSION_UNKNOWN) s.version = v;
}

/** Info text appended with ", " when the column holds something (col_append_sep_str). */
function appendInfo(p: Packet, text: string): void {
  if (!p.wantColumns) return;
  p.appendInfo(p.infoCol.length > 0 ? ', ' + text : text);
}

function u16(buf: Uint8Array, o: number): number {
  return (buf[o] << 8) | buf[o + 1];
}
function u24(buf: Uint8Array, o: number): number {
  return (buf[o] << 16) | (buf[o + 1] << 8) | buf[o + 2];
}

/** The session whose handshake message is being read (for extensions that change it). */
let currentSession: TlsSession | undefined;

/** Per-call context of one record's dissection. */
interface Ctx {
  p: Packet;
  s: TlsSession;
  server: boolean;
  /** Version shown for this record (the session's, or the record header's while unknown). */
  version: number;
  /** Set when an ASN.1 length ran past the data (Wireshark's exception): dissection stops. */
  aborted: boolean;
}

/**
 * The TLS dissector (dissect_ssl): records one after another; a record that runs past the data
 * is asked of TCP reassembly, or, when it cannot be reassembled, what is there is taken as is.
 * Data that starts with four printable characters is not TLS (NOT_MINE), as Wireshark decides.
 */
export function dissectTls(p: Packet, buf: Uint8Array, off: number, end: number): number {
  const capEnd = Math.min(end, buf.length);
  if (capEnd - off > 4 && isPrint(buf[off]) && isPrint(buf[off + 1]) && isPrint(buf[off + 2]) && isPrint(buf[off + 3]))
    return NOT_MINE;
  const s = sessionOf(p);
  if (s.lastNonTlsFrame !== 0 && s.lastNonTlsFrame >= p.meta.number) return NOT_MINE;
  const server = fromServer(p, s);
  p.addLayer('tls');
  p.setProtocol(versionShortName(s.version));
  p.setInfo('');
  const t = p.tree;
  const top = t.add(F.tls, off, capEnd - off);
  t.open(top);
  const ctx: Ctx = { p, s, server, version: s.version, aborted: false };
  berBounds.end = end;
  let at = off;
  while (at < end) {
    const remaining = end - at;
    if (at >= buf.length) {
      // The capture stops inside the data: nothing more to read.
      break;
    }
    switch (s.version) {
      case SSLV2:
        at = dissectSsl2Record(ctx, buf, at, end);
        break;
      case SSLV3:
      case TLSV1:
      case TLSV1_1:
      case TLSV1_2:
      case GMTLSV1:
        if (remaining < 5) {
          if (askForMore(p, at, DESEGMENT_ONE_MORE_SEGMENT)) return askedForMore(p, end);
          at = end;
          break;
        }
        at = isV2ClientHello(buf, at) ? dissectSsl2Record(ctx, buf, at, end) : dissectRecord(ctx, buf, at, end);
        break;
      default:
        if (remaining < 5) {
          if (askForMore(p, at, DESEGMENT_ONE_MORE_SEGMENT)) return askedForMore(p, end);
          at = end;
          break;
        }
        if (looksLikeSslv2(buf, at)) at = dissectSsl2Record(ctx, buf, at, end);
        else if (looksLikeSslv3(buf, at)) at = dissectRecord(ctx, buf, at, end);
        else {
          at = end;
          appendInfo(p, 'Continuation Data');
        }
    }
    if (p.desegmentLen !== 0) return askedForMore(p, end);
    if (ctx.aborted) {
      // An exception in Wireshark: the rest of the data is not dissected, no fence is set.
      p.malformed('TLS');
      return end;
    }
  }
  t.close();
  p.fenceInfo();
  return end;
}

/** The rest of the data waits for TCP reassembly (desegmentOffset/Len are set): stop here. */
function askedForMore(p: Packet, end: number): number {
  p.tree.close();
  return end;
}

function isPrint(c: number): boolean {
  return c >= 0x20 && c < 0x7f;
}

/** ssl_is_v2_client_hello: 0x80, length, msg type 1. */
function isV2ClientHello(buf: Uint8Array, at: number): boolean {
  return buf[at] === 0x80 && buf[at + 2] === 0x01;
}

/** ssl_looks_like_sslv2: a two-byte length header and a clear handshake message type. */
function looksLikeSslv2(buf: Uint8Array, at: number): boolean {
  if (buf[at] < 0x80) return false;
  const t = buf[at + 2];
  return t === 0 || t === 1 || t === 2 || t === 4;
}

/** ssl_looks_like_sslv3: a content type and a known version. */
function looksLikeSslv3(buf: Uint8Array, at: number): boolean {
  if (!isValidContentType(buf[at])) return false;
  switch (u16(buf, at + 1)) {
    case SSLV3:
    case TLSV1:
    case TLSV1_1:
    case TLSV1_2:
    case TLSV1_3:
    case GMTLSV1:
      return true;
  }
  return false;
}

/** dissect_ssl3_record: one record at buf[at..]; returns where the next one starts. */
function dissectRecord(ctx: Ctx, buf: Uint8Array, at: number, end: number): number {
  const { p, s } = ctx;
  const t = p.tree;
  const available = end - at;
  // RFC 2246 6: TLS 1.0-1.2 ignore records of unknown type (the rest of the data here).
  if (
    (s.version === TLSV1 || s.version === TLSV1_1 || s.version === TLSV1_2 || s.version === GMTLSV1) &&
    !isValidContentType(buf[at])
  ) {
    // An item for the rest, with the warning under it (as Wireshark shows it).
    const i = t.add(F.ignoredUnknownRecord, at, Math.max(0, Math.min(end, buf.length) - at));
    t.open(i);
    p.expert('tls', 'tls.ignored_unknown_record', 'warn', 'protocol', 'Ignored Unknown Record', at, available);
    t.close();
    appendInfo(p, 'Ignored Unknown Record');
    return end;
  }
  if (available < 5) {
    if (askForMore(p, at, DESEGMENT_ONE_MORE_SEGMENT)) return at;
    return end;
  }
  if (at + 5 > buf.length) {
    p.truncated('TLS');
    return end;
  }
  const contentType = buf[at];
  let version = u16(buf, at + 1);
  const recordLength = u16(buf, at + 3);
  if (!isValidContentType(contentType)) {
    appendInfo(p, 'Continuation Data');
    return at + 5 + recordLength;
  }
  if (available < recordLength + 5) {
    if (askForMore(p, at, recordLength + 5 - available)) return at;
    // Wireshark dissects no part of a record it cannot have whole.
    return end;
  }
  const recordEnd = at + 5 + recordLength;
  const ri = t.add(F.record, at, 5 + recordLength);
  t.open(ri);
  if (s.version === TLSV1_3 && contentType === CT_APP_DATA) t.add(F.opaqueType, at, 1, contentType);
  else t.add(F.contentType, at, 1, contentType);
  t.add(F.recordVersion, at + 1, 2, version);
  t.add(F.recordLength, at + 3, 2, recordLength);
  const body = at + 5;
  if (s.version === VERSION_UNKNOWN) {
    trySetVersion(s, contentType, body < buf.length ? buf[body] : -1, version);
    p.setProtocol(versionShortName(version));
  } else {
    version = s.version;
  }
  ctx.version = version;
  const capRecordEnd = Math.min(recordEnd, buf.length);
  const versionName = versionShortName(version);
  switch (contentType) {
    case CT_CHANGE_CIPHER_SPEC:
      appendInfo(p, 'Change Cipher Spec');
      if (t.full)
        t.setLabel(ri, `${versionShortName(s.version)} Record Layer: Change Cipher Spec Protocol: Change Cipher Spec`);
      t.add(F.changeCipherSpec, body, 1);
      if (s.version !== TLSV1_3) {
        if (ctx.server) {
          if (s.serverCcsFrame === 0) s.serverCcsFrame = p.meta.number;
        } else if (s.clientCcsFrame === 0) s.clientCcsFrame = p.meta.number;
      }
      break;
    case CT_ALERT:
      dissectAlert(ctx, buf, body, recordLength, ri);
      break;
    case CT_HANDSHAKE:
      dissectHandshakeRecord(ctx, buf, body, recordEnd, ri);
      break;
    case CT_APP_DATA:
      appendInfo(p, 'Application Data');
      {
        const app = s.appProtocol || appProtocolName(p);
        if (t.full)
          t.setLabel(ri, `${versionName} Record Layer: Application Data Protocol: ${app || 'Application Data'}`);
        t.add(F.appData, body, capRecordEnd - body);
        if (app && t.keeps(F.appDataProto)) t.addValue(F.appDataProto, body, 0, app, GENERATED);
      }
      break;
    case CT_HEARTBEAT:
      if (version !== TLSV1_3) dissectHeartbeat(ctx, buf, body, recordLength, ri);
      break;
  }
  t.close();
  return recordEnd;
}

/** The application protocol a record label names (the port's, as Wireshark's tls.port table). */
function appProtocolName(p: Packet): string {
  const port = TLS_APP_PORTS.has(p.srcPort) ? p.srcPort : TLS_APP_PORTS.has(p.dstPort) ? p.dstPort : -1;
  switch (port) {
    case 443:
      return 'Hypertext Transfer Protocol';
    case 853:
      return 'Domain Name System';
    case 993:
      return 'Internet Message Access Protocol';
    case 995:
      return 'Post Office Protocol';
    case 465:
      return 'Simple Mail Transfer Protocol';
    case 636:
      return 'Lightweight Directory Access Protocol';
    case 5061:
      return 'Session Initiation Protocol';
  }
  return '';
}

/**
 * Application protocols by ALPN id (the tls.alpn table): the Server Hello's choice names the
 * protocol of the connection's Application Data records.
 */
function alpnProtocol(id: string): string {
  if (id.startsWith('spdy/')) return 'SPDY';
  if (id.startsWith('stun.')) return 'Session Traversal Utilities for NAT';
  switch (id) {
    case 'http/1.0':
    case 'http/1.1':
      return 'Hypertext Transfer Protocol';
    case 'h2':
    case 'h2c':
      return 'HyperText Transfer Protocol 2';
    case 'imap':
      return 'Internet Message Access Protocol';
    case 'pop3':
      return 'Post Office Protocol';
    case 'mqtt':
      return 'MQ Telemetry Transport Protocol';
    case 'dot':
      return 'Domain Name System';
    case 'coap':
      return 'Constrained Application Protocol';
  }
  return '';
}

/** dissect_ssl3_alert: two bytes in clear, anything else is encrypted. */
function dissectAlert(ctx: Ctx, buf: Uint8Array, at: number, length: number, ri: number): void {
  const { p, s } = ctx;
  const t = p.tree;
  const ai = t.add(F.alert, at, length);
  if (length !== 2) {
    appendInfo(p, 'Encrypted Alert');
    if (t.full) {
      t.setLabel(
        ri,
        `${versionShortName(s.version) === 'SSL' ? 'TLS' : versionShortName(s.version)} Record Layer: Encrypted Alert`,
      );
      t.setLabel(ai, 'Alert Message: Encrypted Alert');
    }
    return;
  }
  if (at + 2 > buf.length) return;
  const level = ALERT_LEVELS.get(buf[at]) ?? 'Unknown';
  const desc = ALERT_DESCRIPTIONS.get(buf[at + 1]) ?? 'Unknown';
  if (p.wantColumns) appendInfo(p, `Alert (Level: ${level}, Description: ${desc})`);
  if (t.full)
    t.setLabel(
      ri,
      `${versionShortName(s.version) === 'SSL' ? 'TLS' : versionShortName(s.version)} Record Layer: Alert (Level: ${level}, Description: ${desc})`,
    );
  t.open(ai);
  t.add(F.alertLevel, at, 1, buf[at]);
  t.add(F.alertDescription, at + 1, 1, buf[at + 1]);
  t.close();
}

/** dissect_ssl3_heartbeat (RFC 6520): clear when small enough to have no MAC. */
function dissectHeartbeat(ctx: Ctx, buf: Uint8Array, at: number, length: number, ri: number): void {
  const { p, s } = ctx;
  const t = p.tree;
  const hi = t.add(F.heartbeat, at, length);
  if (at + 3 > buf.length) return;
  const type = HEARTBEAT_TYPES.get(buf[at]);
  let payloadLength = u16(buf, at + 1);
  // Before ChangeCipherSpec heartbeats are clear; sizes tell clear from encrypted otherwise.
  const decrypted = length <= 19 || 3 + payloadLength + 16 <= length;
  if (type !== undefined && decrypted) {
    appendInfo(p, `Heartbeat ${type}`);
    if (t.full) t.setLabel(ri, `${versionShortName(s.version)} Record Layer: Heartbeat ${type}`);
    t.open(hi);
    t.add(F.heartbeatType, at, 1, buf[at]);
    t.add(F.heartbeatPayloadLength, at + 1, 2, payloadLength);
    let padding = length - 3 - payloadLength;
    if (3 + payloadLength + 16 > length) {
      p.expert(
        'tls',
        'tls.heartbeat_message.payload_length.invalid',
        'error',
        'malformed',
        `Invalid heartbeat payload length (${payloadLength})`,
        at + 1,
        2,
      );
      payloadLength = length - 3;
      padding = 0;
    }
    t.add(F.heartbeatPayload, at + 3, payloadLength);
    if (padding > 0) t.add(F.heartbeatPadding, at + 3 + payloadLength, padding);
    t.close();
  } else {
    appendInfo(p, 'Encrypted Heartbeat');
    if (t.full) {
      t.setLabel(ri, `${versionShortName(s.version)} Record Layer: Encrypted Heartbeat`);
      t.setLabel(hi, 'Encrypted Heartbeat Message');
    }
  }
}

/**
 * is_encrypted_handshake_message: a handshake record after the sender's ChangeCipherSpec, or
 * starting with a GCM nonce of zeros, or with an unknown type or a length of 64 KiB or more.
 */
function looksEncrypted(ctx: Ctx, buf: Uint8Array, at: number, end: number): boolean {
  if (end - at < 16) return false;
  if (at + 5 > buf.length) return false;
  let encrypted = buf[at] === 0 && buf[at + 1] === 0 && buf[at + 2] === 0 && buf[at + 3] === 0 && buf[at + 4] === 0;
  if (!encrypted) {
    const ccs = ctx.server ? ctx.s.serverCcsFrame : ctx.s.clientCcsFrame;
    encrypted = ccs !== 0 && ctx.p.meta.number > ccs;
  }
  if (!encrypted) {
    encrypted = !HANDSHAKE_TYPES.has(buf[at]) || u24(buf, at + 1) >= 0x10000;
  }
  return encrypted;
}

/**
 * tls_show_handshake_details: the Info text (a complete message, or the first fragment) and the
 * record's label. Returns the handshake item.
 */
function showHandshake(
  ctx: Ctx,
  ri: number,
  type: number,
  encrypted: boolean,
  firstInRecord: boolean,
  complete: boolean,
  at: number,
  length: number,
): number {
  const { p } = ctx;
  const t = p.tree;
  const name = encrypted ? 'Encrypted Handshake Message' : (HANDSHAKE_TYPES.get(type) ?? 'Encrypted Handshake Message');
  if (complete) appendInfo(p, name);
  else if (firstInRecord) appendInfo(p, `[${name} Fragment]`);
  if (t.full) {
    const v = versionShortName(ctx.version) === 'SSL' ? 'TLS' : versionShortName(ctx.version);
    if (firstInRecord)
      t.setLabel(ri, `${v} Record Layer: Handshake Protocol: ${name}${!complete && !encrypted ? ' (fragment)' : ''}`);
    else t.setLabel(ri, `${v} Record Layer: Handshake Protocol: Multiple Handshake Messages`);
  }
  const hi = t.add(F.handshake, at, length);
  if (t.full) t.setLabel(hi, `Handshake Protocol: ${name}${!complete && !encrypted ? ' (fragment)' : ''}`);
  return hi;
}

/**
 * Sets (or clears) the message being collected in direction `dir`, keeping the bytes held over
 * all connections under MAX_PENDING_TOTAL; returns false when the new bytes do not fit.
 */
function holdPending(ctx: Ctx, dir: number, next: PendingHandshake | undefined, added: number): boolean {
  const state = ctx.p.session.protocolState('tls', newState);
  const old = ctx.s.pending[dir];
  const before = old === undefined ? 0 : old.have - (next === old ? added : 0);
  const after = next === undefined ? 0 : next.have;
  if (state.pendingBytes - before + after > MAX_PENDING_TOTAL) {
    state.pendingBytes -= before;
    ctx.s.pending[dir] = undefined;
    return false;
  }
  state.pendingBytes += after - before;
  ctx.s.pending[dir] = next;
  return true;
}

/** dissect_tls_handshake: the messages of one handshake record, reassembling split messages. */
function dissectHandshakeRecord(ctx: Ctx, buf: Uint8Array, at: number, end: number, ri: number): void {
  const { p, s } = ctx;
  const t = p.tree;
  const dir = ctx.server ? 1 : 0;
  let firstInRecord = true;
  const pending = s.pending[dir];
  if (pending !== undefined) {
    // A message started in an earlier record continues here.
    let need = pending.total > 0 ? pending.total - pending.have : 0;
    if (pending.total === 0) {
      const head = concat(pending.parts, pending.have);
      const joined = new Uint8Array(Math.min(4, head.length + (end - at)));
      joined.set(head.subarray(0, Math.min(4, head.length)));
      for (let i = head.length; i < joined.length; i++) joined[i] = buf[at + i - head.length];
      if (joined.length >= 4) {
        pending.total = 4 + u24(joined, 1);
        need = pending.total - pending.have;
      }
    }
    const take = need > 0 ? Math.min(need, end - at) : end - at;
    if (at + take > buf.length || pending.have + take > MAX_PENDING_HANDSHAKE) {
      holdPending(ctx, dir, undefined, 0);
      showHandshake(ctx, ri, pending.type, false, false, false, at, end - at);
      return;
    }
    pending.parts.push(buf.slice(at, at + take));
    pending.have += take;
    if (!holdPending(ctx, dir, pending, take)) {
      showHandshake(ctx, ri, pending.type, false, false, false, at, end - at);
      return;
    }
    if (pending.total > 0 && pending.have >= pending.total) {
      holdPending(ctx, dir, undefined, 0);
      const hi = t.add(F.handshake, at, take);
      if (t.full)
        t.setLabel(
          hi,
          `Handshake Protocol: ${HANDSHAKE_TYPES.get(pending.type) ?? 'Encrypted Handshake Message'} (last fragment)`,
        );
      const whole = concat(pending.parts, pending.have);
      const source = p.addSource('Reassembled TLS Handshake', whole);
      const saved = t.currentSource;
      t.currentSource = source;
      const savedEnd = berBounds.end;
      berBounds.end = whole.length;
      dissectHandshakeMessage(ctx, whole, 0, ri, true);
      berBounds.end = savedEnd;
      t.currentSource = saved;
      if (ctx.aborted) return;
      firstInRecord = false;
      at += take;
    } else {
      showHandshake(ctx, ri, pending.type, false, false, false, at, end - at);
      return;
    }
  } else if (looksEncrypted(ctx, buf, at, end)) {
    showHandshake(ctx, ri, 0, true, true, true, at, end - at);
    return;
  }
  while (at < end) {
    const available = end - at;
    const msgLength = available >= 4 && at + 4 <= buf.length ? 4 + u24(buf, at + 1) : 0;
    if (msgLength === 0 || available < msgLength) {
      // The message continues in the next handshake record of this direction.
      const type = at < buf.length ? buf[at] : 0;
      if (at + available <= buf.length && available <= MAX_PENDING_HANDSHAKE)
        holdPending(
          ctx,
          dir,
          { type, total: msgLength, parts: [buf.slice(at, at + available)], have: available },
          available,
        );
      showHandshake(ctx, ri, type, false, firstInRecord, false, at, available);
      return;
    }
    if (at + 4 > buf.length) return;
    const type = buf[at];
    if (!HANDSHAKE_TYPES.has(type) && !firstInRecord) return;
    dissectHandshakeMessage(ctx, buf, at, ri, firstInRecord);
    if (ctx.aborted) return;
    at += msgLength;
    firstInRecord = false;
  }
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let o = 0;
  for (const part of parts) {
    out.set(part.subarray(0, Math.min(part.length, total - o)), o);
    o += part.length;
  }
  return out;
}

/** HelloRetryRequest's special Random (RFC 8446 4.1.3): SHA-256 of "HelloRetryRequest". */
const HRR_RANDOM = [
  0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91, 0xc2, 0xa2, 0x11,
  0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
];

/**
 * tls_scan_server_hello: the version a Server Hello settles (supported_versions when present)
 * and whether it is a HelloRetryRequest.
 */
function scanServerHello(buf: Uint8Array, at: number, end: number): { version: number; hrr: boolean } {
  const stop = Math.min(end, buf.length);
  if (at + 2 > stop) return { version: 0, hrr: false };
  let version = u16(buf, at);
  let hrr = at + 34 <= stop;
  for (let i = 0; hrr && i < 32; i++) if (buf[at + 2 + i] !== HRR_RANDOM[i]) hrr = false;
  let o = at + 34;
  if (o >= stop) return { version, hrr };
  o += 1 + buf[o]; // session id
  o += 3; // cipher suite, compression
  if (o + 2 > stop) return { version, hrr };
  const extEnd = Math.min(stop, o + 2 + u16(buf, o));
  o += 2;
  while (o + 4 <= extEnd) {
    const type = u16(buf, o);
    const len = u16(buf, o + 2);
    if (type === 43 && len === 2 && o + 6 <= extEnd) {
      version = u16(buf, o + 4);
      break;
    }
    o += 4 + len;
  }
  return { version, hrr };
}

/** dissect_tls_handshake_full: one whole handshake message at buf[at..]. */
function dissectHandshakeMessage(ctx: Ctx, buf: Uint8Array, at: number, ri: number, firstInRecord: boolean): void {
  const { p, s } = ctx;
  const t = p.tree;
  const type = buf[at];
  const length = u24(buf, at + 1);
  let hrr = false;
  if (firstInRecord && type === HS_SERVER_HELLO && length > 2) {
    const scan = scanServerHello(buf, at + 4, at + 4 + length);
    hrr = scan.hrr;
    trySetVersion(s, CT_HANDSHAKE, HS_SERVER_HELLO, scan.version);
    // The Protocol column follows the version the Server Hello settles (as tshark shows even
    // in one pass: "TLSv1.3" on a Server Hello in a TLS 1.2 record).
    if (s.version !== VERSION_UNKNOWN) p.setProtocol(versionShortName(s.version));
  }
  const hi = showHandshake(ctx, ri, hrr ? HS_HELLO_RETRY_REQUEST : type, false, firstInRecord, true, at, length + 4);
  if (!HANDSHAKE_TYPES.has(type)) return;
  t.open(hi);
  t.add(F.hsType, at, 1, type);
  t.add(F.hsLength, at + 1, 3, length);
  const body = at + 4;
  const end = body + length;
  if (type === HS_CLIENT_HELLO) {
    // The Client Hello's destination is the server (ssl_set_server).
    s.serverPort = p.dstPort;
    s.serverAddr = addrKey(p, false);
  }
  const r = new Reader(p, buf, body, end);
  currentSession = s;
  switch (type) {
    case HS_CLIENT_HELLO:
      clientHello(r, s.version === TLSV1_3);
      break;
    case HS_SERVER_HELLO:
      serverHello(r, hrr, s.version === TLSV1_3, s);
      break;
    case HS_NEW_SESSION_TICKET:
      newSessionTicket(r, ctx.version === TLSV1_3 || s.version === TLSV1_3);
      break;
    case HS_CERTIFICATE:
      certificate(r, s.version === TLSV1_3);
      break;
    case HS_SERVER_KEY_EXCHANGE:
      serverKeyExchange(r, keyExchangeOf(s.cipher), s.version);
      break;
    case HS_CERT_REQUEST:
      certificateRequest(r, s.version === TLSV1_3);
      break;
    case HS_CERT_VERIFY:
      certificateVerify(r, s.version);
      break;
    case HS_CLIENT_KEY_EXCHANGE:
      clientKeyExchange(r, keyExchangeOf(s.cipher), s.version);
      break;
    case HS_FINISHED:
      if (length > 0) t.add(F.verifyData, body, length);
      break;
    case HS_CERT_STATUS:
      certificateStatus(r);
      break;
  }
  t.close();
  if (r.aborted) ctx.aborted = true;
}

/** A bounds-checked cursor over one handshake message; reading past its end marks it malformed. */
class Reader {
  ok = true;
  /** An ASN.1 value inside ran past the data: the whole TLS dissection stops (an exception). */
  aborted = false;
  constructor(
    readonly p: Packet,
    readonly buf: Uint8Array,
    public at: number,
    readonly end: number,
  ) {}

  /** True when n more bytes are there; else marks the message once and returns false. */
  has(n: number): boolean {
    if (!this.ok) return false;
    if (this.at + n <= this.end && this.at + n <= this.buf.length) return true;
    this.ok = false;
    if (this.at + n > this.end) {
      this.p.expert(
        'tls',
        'tls.malformed.buffer_too_small',
        'error',
        'malformed',
        'Malformed message, not enough data is available',
        this.at,
        0,
      );
    } else {
      this.p.truncated('TLS');
    }
    return false;
  }

  u8(field: number): number {
    if (!this.has(1)) return -1;
    const v = this.buf[this.at];
    this.p.tree.add(field, this.at, 1, v);
    this.at += 1;
    return v;
  }

  u16(field: number): number {
    if (!this.has(2)) return -1;
    const v = u16(this.buf, this.at);
    this.p.tree.add(field, this.at, 2, v);
    this.at += 2;
    return v;
  }

  u24(field: number): number {
    if (!this.has(3)) return -1;
    const v = u24(this.buf, this.at);
    this.p.tree.add(field, this.at, 3, v);
    this.at += 3;
    return v;
  }

  u32(field: number): number {
    if (!this.has(4)) return -1;
    const v = u16(this.buf, this.at) * 65536 + u16(this.buf, this.at + 2);
    this.p.tree.add(field, this.at, 4, v);
    this.at += 4;
    return v;
  }

  bytes(field: number, n: number): boolean {
    if (n < 0 || !this.has(n)) return false;
    if (n > 0) this.p.tree.add(field, this.at, n);
    this.at += n;
    return true;
  }

  /** An opaque vector's bounds check against `limit` (ssl_add_vector's "vector length" error). */
  fits(n: number, limit: number): boolean {
    if (this.at + n <= limit) return true;
    this.p.expert(
      'tls',
      'tls.malformed.vector_length',
      'error',
      'protocol',
      `Vector length ${n} is too large, truncating it to ${Math.max(0, limit - this.at)}`,
      this.at,
      0,
    );
    this.ok = false;
    return false;
  }
}

function subtree(r: Reader, field: number, at: number, length: number, label: string | undefined): number {
  const t = r.p.tree;
  const i = t.add(field, at, length);
  if (t.full && label !== undefined) t.setLabel(i, label);
  t.open(i);
  return i;
}

/**
 * Random (32 bytes): before TLS 1.3 its first four bytes are the sender's clock, which Wireshark
 * shows apart (ssl_dissect_hnd_hello_common).
 */
function random(r: Reader, tls13: boolean): void {
  if (!r.has(32)) return;
  const t = r.p.tree;
  const i = t.add(F.random, r.at, 32);
  if (t.full && i >= 0) t.setLabel(i, `Random: ${hexOf(r.buf, r.at, 32)}`);
  if (!tls13) {
    t.open(i);
    t.addTime(F.randomTime, r.at, 4, u16(r.buf, r.at) * 65536 + u16(r.buf, r.at + 2), 0);
    const b = t.add(F.randomBytes, r.at + 4, 28);
    if (t.full && b >= 0) t.setLabel(b, `Random Bytes: ${hexOf(r.buf, r.at + 4, 28)}`);
    t.close();
  }
  r.at += 32;
}

function hexOf(buf: Uint8Array, from: number, n: number): string {
  let s = '';
  for (let i = from; i < from + n && i < buf.length; i++) s += buf[i].toString(16).padStart(2, '0');
  return s;
}

function clientHello(r: Reader, tls13: boolean): void {
  const t = r.p.tree;
  const helloStart = r.at;
  r.u16(F.hsVersion);
  random(r, tls13);
  const sidLength = r.u8(F.sessionIdLength);
  if (sidLength > 0) r.bytes(F.sessionId, sidLength);
  const csLength = r.u16(F.cipherSuitesLength);
  if (csLength >= 0 && r.fits(csLength, r.end)) {
    subtree(
      r,
      F.cipherSuites,
      r.at,
      csLength,
      `Cipher Suites (${csLength >> 1} suite${csLength >> 1 === 1 ? '' : 's'})`,
    );
    const stop = r.at + csLength;
    while (r.at + 2 <= stop && r.ok) r.u16(F.cipherSuite);
    r.at = stop;
    t.close();
  }
  const cmLength = r.u8(F.compMethodsLength);
  if (cmLength >= 0 && r.fits(cmLength, r.end)) {
    subtree(r, F.compMethods, r.at, cmLength, `Compression Methods (${cmLength} method${cmLength === 1 ? '' : 's'})`);
    const stop = r.at + cmLength;
    while (r.at < stop && r.ok) r.u8(F.compMethod);
    t.close();
  }
  if (r.ok && r.at < r.end) extensions(r, HS_CLIENT_HELLO);
  if (r.ok && (t.keeps(F.ja3Full) || t.keeps(F.ja3)))
    fingerprint(r, F.ja3Full, F.ja3, ja3Text(r.buf, helloStart, r.end));
}

/** The JA3 or JA3S text and its MD5 after the hello's items, as Wireshark 4.0 adds them. */
function fingerprint(r: Reader, full: number, digest: number, text: string | undefined): void {
  if (text === undefined) return;
  const t = r.p.tree;
  t.addValue(full, r.end, 0, text, GENERATED);
  t.addValue(digest, r.end, 0, md5Hex(text), GENERATED);
}

/** GREASE values (RFC 8701), which JA3 leaves out. */
function isGrease(v: number): boolean {
  return (v & 0x0f0f) === 0x0a0a && v >> 8 === (v & 0xff);
}

/**
 * JA3 of a Client Hello body buf[at..end): "version,ciphers,extensions,groups,point formats" in
 * decimal, lists joined by '-', GREASE values left out. undefined when the hello is cut short.
 */
function ja3Text(buf: Uint8Array, at: number, end: number): string | undefined {
  const stop = Math.min(end, buf.length);
  if (at + 35 > stop) return undefined;
  const version = u16(buf, at);
  let o = at + 34;
  o += 1 + buf[o];
  if (o + 2 > stop) return undefined;
  const csEnd = o + 2 + u16(buf, o);
  if (csEnd > stop) return undefined;
  const ciphers: number[] = [];
  for (let k = o + 2; k + 2 <= csEnd; k += 2) if (!isGrease(u16(buf, k))) ciphers.push(u16(buf, k));
  o = csEnd;
  if (o >= stop) return undefined;
  o += 1 + buf[o];
  const types: number[] = [];
  let groups: number[] = [];
  let formats: number[] = [];
  if (o + 2 <= stop) {
    const extEnd = Math.min(stop, o + 2 + u16(buf, o));
    for (let e = o + 2; e + 4 <= extEnd;) {
      const type = u16(buf, e);
      const length = u16(buf, e + 2);
      const data = e + 4;
      if (data + length > extEnd) break;
      if (!isGrease(type)) types.push(type);
      if (type === 10 && length >= 2) {
        groups = [];
        for (let k = data + 2; k + 2 <= Math.min(data + length, data + 2 + u16(buf, data)); k += 2)
          if (!isGrease(u16(buf, k))) groups.push(u16(buf, k));
      } else if (type === 11 && length >= 1) {
        formats = [];
        for (let k = data + 1; k < Math.min(data + length, data + 1 + buf[data]); k++) formats.push(buf[k]);
      }
      e = data + length;
    }
  }
  return `${version},${ciphers.join('-')},${types.join('-')},${groups.join('-')},${formats.join('-')}`;
}

/** JA3S of a Server Hello body: "version,cipher,extensions", GREASE left out. */
function ja3sText(buf: Uint8Array, at: number, end: number): string | undefined {
  const stop = Math.min(end, buf.length);
  if (at + 35 > stop) return undefined;
  const version = u16(buf, at);
  let o = at + 34;
  o += 1 + buf[o];
  if (o + 3 > stop) return undefined;
  const cipher = u16(buf, o);
  o += 3;
  const types: number[] = [];
  if (o + 2 <= stop) {
    const extEnd = Math.min(stop, o + 2 + u16(buf, o));
    for (let e = o + 2; e + 4 <= extEnd;) {
      const type = u16(buf, e);
      const length = u16(buf, e + 2);
      if (e + 4 + length > extEnd) break;
      if (!isGrease(type)) types.push(type);
      e += 4 + length;
    }
  }
  return `${version},${cipher},${types.join('-')}`;
}

function serverHello(r: Reader, hrr: boolean, tls13: boolean, s: TlsSession): void {
  const t = r.p.tree;
  const helloStart = r.at;
  r.u16(F.hsVersion);
  random(r, tls13);
  const sidLength = r.u8(F.sessionIdLength);
  if (sidLength > 0) r.bytes(F.sessionId, sidLength);
  const cipher = r.u16(F.cipherSuite);
  if (cipher >= 0) s.cipher = cipher;
  r.u8(F.compMethod);
  if (r.ok && r.at < r.end) extensions(r, hrr ? HS_HELLO_RETRY_REQUEST : HS_SERVER_HELLO);
  if (!hrr && r.ok && (t.keeps(F.ja3sFull) || t.keeps(F.ja3s)))
    fingerprint(r, F.ja3sFull, F.ja3s, ja3sText(r.buf, helloStart, r.end));
}

/** The hello extensions block (ssl_dissect_hnd_extension). */
function extensions(r: Reader, hsType: number): void {
  const t = r.p.tree;
  const total = r.u16(F.extensionsLength);
  if (total < 0 || !r.fits(total, r.end)) return;
  const stop = r.at + total;
  while (r.ok && r.at + 4 <= stop) {
    const start = r.at;
    if (!r.has(4)) return;
    const type = u16(r.buf, start);
    const length = u16(r.buf, start + 2);
    const item = t.addText(
      start,
      4 + length,
      `Extension: ${EXTENSION_TYPES.get(type) ?? `Unknown type ${type}`} (len=${length})`,
    );
    t.open(item);
    r.u16(F.extensionType);
    r.u16(F.extensionLength);
    const extEnd = r.at + length;
    if (extEnd > stop) {
      r.fits(length, stop);
      t.close();
      return;
    }
    extension(r, type, hsType, extEnd);
    r.ok = true;
    r.at = extEnd;
    t.close();
  }
}

function extension(r: Reader, type: number, hsType: number, end: number): void {
  const t = r.p.tree;
  const sub = new Reader(r.p, r.buf, r.at, end);
  switch (type) {
    case 0: {
      // server_name (RFC 6066 3): empty in a Server Hello
      if (end === sub.at) return;
      const i = t.addText(sub.at, end - sub.at, 'Server Name Indication extension');
      t.open(i);
      const listLength = sub.u16(F.serverNameListLength);
      const stop = Math.min(end, sub.at + Math.max(0, listLength));
      while (sub.ok && sub.at + 3 <= stop) {
        const nameLength = u16(sub.buf, sub.at + 1);
        sub.u8(F.serverNameType);
        sub.u16(F.serverNameLength);
        if (sub.has(nameLength)) {
          if (t.keeps(F.serverName))
            t.addValue(F.serverName, sub.at, nameLength, asciiText(sub.buf, sub.at, sub.at + nameLength));
          sub.at += nameLength;
        }
      }
      t.close();
      return;
    }
    case 1:
      sub.u8(F.maxFragmentLength);
      return;
    case 13172: {
      // next_protocol_negotiation: empty in a Client Hello; the server's protocols are a list
      // of length-prefixed strings.
      while (sub.ok && sub.at < end) {
        const n = sub.u8(F.npnLength);
        if (n < 0 || !sub.has(n)) return;
        if (t.keeps(F.npn)) t.addValue(F.npn, sub.at, n, asciiText(sub.buf, sub.at, sub.at + n));
        sub.at += n;
      }
      return;
    }
    case 5:
      // status_request: the request in a Client Hello, empty in a Server Hello
      if (hsType !== HS_CLIENT_HELLO) return;
      sub.u8(F.statusRequestType);
      if (sub.ok && sub.buf[sub.at - 1] === 1) {
        const ids = sub.u16(F.statusResponderIdsLength);
        if (ids > 0) sub.at += ids;
        sub.u16(F.statusExtsLength);
      }
      return;
    case 10: {
      const length = sub.u16(F.supportedGroupsLength);
      if (length < 0 || !sub.fits(length, end)) return;
      subtree(
        sub,
        F.supportedGroups,
        sub.at,
        length,
        `Supported Groups (${length >> 1} group${length >> 1 === 1 ? '' : 's'})`,
      );
      const stop = sub.at + length;
      while (sub.ok && sub.at + 2 <= stop) sub.u16(F.supportedGroup);
      t.close();
      return;
    }
    case 11: {
      const length = sub.u8(F.ecPointFormatsLength);
      if (length < 0 || !sub.fits(length, end)) return;
      subtree(sub, F.ecPointFormats, sub.at, length, `Elliptic curves point formats (${length})`);
      const stop = sub.at + length;
      while (sub.ok && sub.at < stop) sub.u8(F.ecPointFormat);
      t.close();
      return;
    }
    case 13:
    case 50:
      signatureAlgorithms(sub, end);
      return;
    case 15:
      sub.u8(F.heartbeatMode);
      return;
    case 16: {
      // ALPN (RFC 7301)
      const length = sub.u16(F.alpnLength);
      if (length < 0 || !sub.fits(length, end)) return;
      subtree(sub, F.alpnList, sub.at, length, undefined);
      const stop = sub.at + length;
      while (sub.ok && sub.at < stop) {
        const n = sub.u8(F.alpnStrLength);
        if (n < 0 || !sub.has(n)) break;
        if (t.keeps(F.alpnStr) || hsType === HS_SERVER_HELLO) {
          const id = asciiText(sub.buf, sub.at, sub.at + n);
          t.addValue(F.alpnStr, sub.at, n, id);
          if (hsType === HS_SERVER_HELLO && currentSession !== undefined) {
            const app = alpnProtocol(id);
            if (app) currentSession.appProtocol = app;
          }
        }
        sub.at += n;
      }
      t.close();
      return;
    }
    case 18:
      // signed_certificate_timestamp: the list in a Server Hello
      if (end > sub.at) sctList(sub, end);
      return;
    case 21:
      if (end > sub.at) sub.bytes(F.paddingData, end - sub.at);
      return;
    case 28:
      sub.u16(F.recordSizeLimit);
      return;
    case 35:
      extensionData(sub, end);
      return;
    case 42:
      // early_data: the ticket's limit in a New Session Ticket, a flag elsewhere
      if (hsType === HS_NEW_SESSION_TICKET) sub.u32(F.maxEarlyDataSize);
      return;
    case 22: // encrypt_then_mac
    case 23: // extended_master_secret
    case 49: // post_handshake_auth
      // Flags with no data (Wireshark shows nothing under them).
      return;
    case 41:
      preSharedKey(sub, hsType, end);
      return;
    case 43:
      if (hsType === HS_CLIENT_HELLO) {
        const length = sub.u8(F.supportedVersionsLength);
        if (length < 0 || !sub.fits(length, end)) return;
        const stop = sub.at + length;
        while (sub.ok && sub.at + 2 <= stop) sub.u16(F.supportedVersion);
      } else {
        sub.u16(F.supportedVersion);
      }
      return;
    case 44: {
      const length = sub.u16(F.cookieLength);
      if (length > 0) sub.bytes(F.cookie, length);
      return;
    }
    case 45: {
      const length = sub.u8(F.pskKeModesLength);
      for (let i = 0; i < length && sub.ok; i++) sub.u8(F.pskKeMode);
      return;
    }
    case 51: {
      const i = t.addText(sub.at, end - sub.at, 'Key Share extension');
      t.open(i);
      keyShare(sub, hsType, end);
      t.close();
      return;
    }
    case 0xff01: {
      const i = t.addText(sub.at, end - sub.at, 'Renegotiation Info extension');
      t.open(i);
      const length = sub.u8(F.renegInfoLength);
      if (length > 0) sub.bytes(F.renegInfo, length);
      t.close();
      return;
    }
    default:
      extensionData(sub, end);
  }
}

/** An extension body shown as bytes: "Data (N bytes)", also for an empty one. */
function extensionData(r: Reader, end: number): void {
  const t = r.p.tree;
  const n = Math.max(0, end - r.at);
  const i = t.add(F.extensionData, r.at, n);
  if (t.full && i >= 0) t.setLabel(i, `Data (${n} byte${n === 1 ? '' : 's'})`);
  r.at = end;
}

function signatureAlgorithms(r: Reader, end: number): void {
  const t = r.p.tree;
  const length = r.u16(F.sigHashAlgLength);
  if (length < 0 || !r.fits(length, end)) return;
  subtree(
    r,
    F.sigHashAlgs,
    r.at,
    length,
    `Signature Hash Algorithms (${length >> 1} algorithm${length >> 1 === 1 ? '' : 's'})`,
  );
  const stop = r.at + length;
  while (r.ok && r.at + 2 <= stop) {
    const at = r.at;
    if (!r.has(2)) break;
    const i = t.add(F.sigHashAlg, at, 2, u16(r.buf, at));
    r.at += 2;
    // The TLS 1.2 view of the two bytes, nested under the algorithm
    t.open(i);
    t.add(F.sigHashHash, at, 1, r.buf[at]);
    t.add(F.sigHashSig, at + 1, 1, r.buf[at + 1]);
    t.close();
  }
  t.close();
}

/** pre_shared_key (RFC 8446 4.2.11): the client's identities and binders, the server's choice. */
function preSharedKey(r: Reader, hsType: number, end: number): void {
  const t = r.p.tree;
  if (hsType !== HS_CLIENT_HELLO) {
    r.u16(F.pskSelected);
    return;
  }
  const i = t.addText(r.at, end - r.at, 'Pre-Shared Key extension');
  t.open(i);
  const length = r.u16(F.pskIdentitiesLength);
  if (length >= 0 && r.fits(length, end)) {
    const stop = r.at + length;
    while (r.ok && r.at + 2 <= stop) {
      const n = u16(r.buf, r.at);
      const pi = t.addText(r.at, 6 + n, `PSK Identity (length: ${n})`);
      t.open(pi);
      r.u16(F.pskIdentityLength);
      r.bytes(F.pskIdentity, n);
      r.u32(F.pskTicketAge);
      t.close();
    }
    r.at = stop;
    const bl = r.u16(F.pskBindersLength);
    if (bl > 0 && r.fits(bl, end)) {
      const bi = t.add(F.pskBinders, r.at, bl);
      if (t.full && bi >= 0) t.setLabel(bi, `PSK Binders (${bl} bytes)`);
      r.at += bl;
    }
  }
  t.close();
}

/** key_share (RFC 8446 4.2.8): the client's entries, the server's one, or HRR's selected group. */
function keyShare(r: Reader, hsType: number, end: number): void {
  const t = r.p.tree;
  if (hsType === HS_HELLO_RETRY_REQUEST) {
    r.u16(F.keyShareSelectedGroup);
    return;
  }
  let stop = end;
  if (hsType === HS_CLIENT_HELLO) {
    const length = r.u16(F.keyShareClientLength);
    if (length < 0 || !r.fits(length, end)) return;
    stop = r.at + length;
  }
  while (r.ok && r.at + 4 <= stop) {
    const group = u16(r.buf, r.at);
    const n = u16(r.buf, r.at + 2);
    const i = t.addText(
      r.at,
      4 + n,
      `Key Share Entry: Group: ${SUPPORTED_GROUPS.get(group) ?? 'Unknown'}, Key Exchange length: ${n}`,
    );
    t.open(i);
    r.u16(F.keyShareGroup);
    r.u16(F.keyShareKeyExchangeLength);
    r.bytes(F.keyShareKeyExchange, n);
    t.close();
    if (hsType !== HS_CLIENT_HELLO) break;
  }
}

/** SignedCertificateTimestampList (RFC 6962 3.3), in a TLS extension or a certificate. */
function sctList(r: Reader, end: number): void {
  const t = r.p.tree;
  const length = r.u16(F.sctListLength);
  if (length < 0 || !r.fits(length, end)) return;
  const stop = r.at + length;
  while (r.ok && r.at + 2 <= stop) {
    const n = u16(r.buf, r.at);
    const i = t.addText(r.at, 2 + n, 'Signed Certificate Timestamp');
    t.open(i);
    r.u16(F.sctLength);
    const sctEnd = Math.min(r.at + n, stop);
    const sct = new Reader(r.p, r.buf, r.at, sctEnd);
    sct.u8(F.sctVersion);
    sct.bytes(F.sctLogId, 32);
    if (sct.has(8)) {
      // Milliseconds since the epoch
      const ms =
        (u16(sct.buf, sct.at) * 65536 + u16(sct.buf, sct.at + 2)) * 4294967296 +
        u16(sct.buf, sct.at + 4) * 65536 +
        u16(sct.buf, sct.at + 6);
      t.addTime(F.sctTimestamp, sct.at, 8, Math.floor(ms / 1000), (ms % 1000) * 1e6);
      sct.at += 8;
    }
    const e = sct.u16(F.sctExtensionsLength);
    if (e > 0) sct.at += e;
    digitallySigned(sct, TLSV1_2, F.sctSignatureLength, F.sctSignature);
    r.at = sctEnd;
    t.close();
  }
}

function newSessionTicket(r: Reader, tls13: boolean): void {
  const t = r.p.tree;
  const i = t.addText(r.at, r.end - r.at, 'TLS Session Ticket');
  t.open(i);
  const hint = r.u32(F.ticketLifetimeHint);
  if (hint >= 0 && t.full)
    t.setLabel(
      t.count - 1,
      `Session Ticket Lifetime Hint: ${hint} second${hint === 1 ? '' : 's'} (${secondsText(hint)})`,
    );
  if (tls13) {
    r.u32(F.ticketAgeAdd);
    const n = r.u8(F.ticketNonceLength);
    if (n > 0) r.bytes(F.ticketNonce, n);
  }
  const length = r.u16(F.ticketLength);
  if (length > 0) r.bytes(F.ticket, length);
  t.close();
  if (tls13 && r.ok && r.at < r.end) extensions(r, HS_NEW_SESSION_TICKET);
}

/** Wireshark's unsigned_time_secs_to_str: "1 day, 4 hours, 5 seconds". */
function secondsText(n: number): string {
  if (n === 0) return '0 seconds';
  const parts: string[] = [];
  const units: [number, string][] = [
    [86400, 'day'],
    [3600, 'hour'],
    [60, 'minute'],
    [1, 'second'],
  ];
  for (const [size, name] of units) {
    const k = Math.floor(n / size);
    n -= k * size;
    if (k > 0) parts.push(`${k} ${name}${k === 1 ? '' : 's'}`);
  }
  return parts.join(', ');
}

/**
 * Certificate: the chain, each certificate handed to x509af (dissect_x509af_Certificate, called
 * directly, so no layer of its own: its attribute values and extensions add theirs).
 */
function certificate(r: Reader, tls13: boolean): void {
  const t = r.p.tree;
  if (tls13) {
    const n = r.u8(F.certRequestContextLength);
    if (n > 0) r.bytes(F.certRequestContext, n);
  }
  const total = r.u24(F.certificatesLength);
  if (total < 0 || !r.fits(total, r.end)) return;
  const stop = r.at + total;
  subtree(r, F.certificates, r.at, total, `Certificates (${total} bytes)`);
  while (r.ok && r.at + 3 <= stop) {
    const n = r.u24(F.certificateLength);
    if (n < 0 || !r.fits(n, stop)) break;
    const ci = t.add(F.certificate, r.at, n);
    t.open(ci);
    berBounds.exceeded = false;
    const subject = dissectCertificateAt(r.p, r.buf, r.at, r.at + n);
    t.close();
    if (berBounds.exceeded) {
      r.ok = false;
      r.aborted = true;
      return;
    }
    if (t.full && ci >= 0)
      t.setAppendedLabel(
        ci,
        `Certificate: ${hexOf(r.buf, r.at, Math.min(n, 36))}${n > 36 ? '…' : ''}${subject ? ` (${subject})` : ''}`,
      );
    r.at += n;
    if (tls13 && r.at + 2 <= stop) {
      // CertificateEntry extensions
      const e = u16(r.buf, r.at);
      r.at += 2 + e;
    }
  }
  t.close();
}

/** Key exchange families (ssl_get_keyex_alg), read from the suite's IANA name. */
const KEX_NONE = 0;
const KEX_RSA = 1;
const KEX_DH = 2;
const KEX_ECDH = 3;
const KEX_PSK = 4;

/** The key exchange of a cipher suite; none for unknown suites and TLS 1.3's. */
function keyExchangeOf(cipher: number): number {
  const name = CIPHER_SUITES.get(cipher);
  if (name === undefined || cipher === 0) return KEX_NONE;
  if (name.includes('PSK') || name.includes('SRP') || name.includes('KRB5')) return KEX_PSK;
  if (name.includes('_ECDHE_') || name.includes('_ECDH_')) return KEX_ECDH;
  if (name.includes('_DHE_') || name.includes('_DH_')) return KEX_DH;
  if (name.startsWith('TLS_RSA_') || name.startsWith('SSL_RSA_')) return KEX_RSA;
  return KEX_NONE;
}

/** Server Key Exchange (ssl_dissect_hnd_srv_keyex): the suite's parameters and their signature. */
function serverKeyExchange(r: Reader, kex: number, version: number): void {
  const t = r.p.tree;
  if (kex === KEX_ECDH) {
    const i = t.addText(r.at, r.end - r.at, 'EC Diffie-Hellman Server Params');
    t.open(i);
    r.u8(F.serverCurveType);
    r.u16(F.serverNamedCurve);
    const n = r.u8(F.serverPointLength);
    if (n > 0) r.bytes(F.serverPoint, n);
    if (r.ok && r.at < r.end) digitallySigned(r, version, F.sigLength, F.sig);
    t.close();
  } else if (kex === KEX_DH) {
    const i = t.addText(r.at, r.end - r.at, 'Diffie-Hellman Server Params');
    t.open(i);
    r.bytes(F.p, r.u16(F.pLength));
    r.bytes(F.g, r.u16(F.gLength));
    r.bytes(F.ys, r.u16(F.ysLength));
    if (r.ok && r.at < r.end) digitallySigned(r, version, F.sigLength, F.sig);
    t.close();
  }
}

/** DigitallySigned: the SignatureAndHashAlgorithm came with TLS 1.2. */
function digitallySigned(r: Reader, version: number, lengthField: number, sigField: number): void {
  if (version === TLSV1_2 || version === TLSV1_3) signatureScheme(r);
  const n = r.u16(lengthField);
  if (n > 0) r.bytes(sigField, n);
}

function certificateVerify(r: Reader, version: number): void {
  digitallySigned(r, version, F.certVerifySigLength, F.certVerifySig);
}

/** A SignatureScheme with its TLS 1.2 hash and signature bytes under it. */
function signatureScheme(r: Reader): void {
  if (!r.has(2)) return;
  const t = r.p.tree;
  const at = r.at;
  const i = t.add(F.sigHashAlg, at, 2, u16(r.buf, at));
  r.at += 2;
  t.open(i);
  t.add(F.sigHashHash, at, 1, r.buf[at]);
  t.add(F.sigHashSig, at + 1, 1, r.buf[at + 1]);
  t.close();
}

/** Client Key Exchange (ssl_dissect_hnd_cli_keyex): laid out by the chosen suite's key exchange. */
function clientKeyExchange(r: Reader, kex: number, version: number): void {
  const t = r.p.tree;
  if (kex === KEX_ECDH) {
    const i = t.addText(r.at, r.end - r.at, 'EC Diffie-Hellman Client Params');
    t.open(i);
    r.bytes(F.clientPoint, r.u8(F.clientPointLength));
    t.close();
  } else if (kex === KEX_DH) {
    const i = t.addText(r.at, r.end - r.at, 'Diffie-Hellman Client Params');
    t.open(i);
    r.bytes(F.yc, r.u16(F.ycLength));
    t.close();
  } else if (kex === KEX_RSA) {
    const i = t.addText(r.at, r.end - r.at, 'RSA Encrypted PreMaster Secret');
    t.open(i);
    // SSL 3.0 sends the encrypted premaster without a length (RFC 6101 5.6.7.1).
    if (version === SSLV3) r.bytes(F.epms, r.end - r.at);
    else r.bytes(F.epms, r.u16(F.epmsLength));
    t.close();
  }
}

/**
 * Certificate Request: certificate types, signature algorithms (TLS 1.2), and the CAs'
 * distinguished names, whose attribute values go to x509sat as in a certificate.
 */
function certificateRequest(r: Reader, tls13: boolean): void {
  const t = r.p.tree;
  if (tls13) {
    const n = r.u8(F.certRequestContextLength);
    if (n > 0) r.bytes(F.certRequestContext, n);
    if (r.ok && r.at < r.end) extensions(r, HS_CERT_REQUEST);
    return;
  }
  const count = r.u8(F.certTypesCount);
  if (count < 0 || !r.fits(count, r.end)) return;
  subtree(r, F.certTypes, r.at, count, `Certificate types (${count} type${count === 1 ? '' : 's'})`);
  for (let i = 0; i < count && r.ok; i++) r.u8(F.certType);
  t.close();
  // Signature algorithms came with TLS 1.2: present when the rest is not just the DN list.
  if (r.ok && r.at + 2 <= r.end && u16(r.buf, r.at) !== r.end - r.at - 2) signatureAlgorithms(r, r.end);
  const total = r.u16(F.dnamesLength);
  if (total <= 0 || !r.fits(total, r.end)) return;
  const stop = r.at + total;
  subtree(r, F.dnames, r.at, total, `Distinguished Names (${total} bytes)`);
  const tlv = new Tlv();
  while (r.ok && r.at + 2 <= stop) {
    const n = r.u16(F.dnameLength);
    if (n < 0 || !r.fits(n, stop)) break;
    const di = t.add(F.dname, r.at, n);
    t.open(di);
    berBounds.exceeded = false;
    if (readTlv(r.buf, r.at, r.at + n, tlv) && tlv.is(BER_CLASS.UNI, BER_TAG.SEQUENCE)) {
      const summary = dissectName(r.p, r.buf, tlv, -1, x509Fields.rdnSequence, 0);
      if (t.full && di >= 0) t.setAppendedLabel(di, `Distinguished Name: (${summary})`);
    }
    t.close();
    r.at += n;
  }
  t.close();
}

/** Certificate Status (RFC 6066 8): an OCSP response, dissected by OCSP in place. */
function certificateStatus(r: Reader): void {
  const type = r.u8(F.statusRequestType);
  if (type !== 1) return;
  const n = r.u24(F.ocspResponseLength);
  if (n <= 0 || !r.fits(n, r.end)) return;
  berBounds.exceeded = false;
  const t = r.p.tree;
  const i = t.addText(r.at, n, 'OCSP Response');
  t.open(i);
  dissectOcspResponse(r.p, r.buf, r.at, r.at + n);
  t.close();
  if (berBounds.exceeded) {
    r.ok = false;
    r.aborted = true;
    return;
  }
  r.at += n;
}

/**
 * An SSL 2.0 record (dissect_ssl2_record): in practice the SSLv2-compatible Client Hello that
 * old clients send first (RFC 5246 appendix E.2).
 */
function dissectSsl2Record(ctx: Ctx, buf: Uint8Array, at: number, end: number): number {
  const { p, s } = ctx;
  const t = p.tree;
  const available = end - at;
  const twoByte = (buf[at] & 0x80) !== 0;
  const headerLength = twoByte ? 2 : 3;
  if (available < headerLength) {
    if (askForMore(p, at, DESEGMENT_ONE_MORE_SEGMENT)) return at;
    return end;
  }
  if (at + headerLength > buf.length) return end;
  const recordLength = twoByte ? ((buf[at] & 0x7f) << 8) | buf[at + 1] : ((buf[at] & 0x3f) << 8) | buf[at + 1];
  if (available < headerLength + recordLength) {
    if (askForMore(p, at, headerLength + recordLength - available)) return at;
    return end;
  }
  const body = at + headerLength;
  const recordEnd = body + recordLength;
  const ri = t.add(F.record, at, headerLength + recordLength);
  t.open(ri);
  const msgType = body < buf.length ? buf[body] : -1;
  if (s.version === VERSION_UNKNOWN && msgType >= 2 && msgType <= 8) s.version = SSLV2;
  p.setProtocol('SSLv2');
  const msgName = SSL2_MSG_TYPES.get(msgType);
  const generatedVersion = (): void => {
    t.add(F.recordVersion, at, 0, 0x0002, GENERATED);
  };
  if (msgName === undefined || !validV2Handshake(buf, body, recordLength)) {
    if (t.full) t.setLabel(ri, 'SSLv2 Record Layer: Encrypted Data');
    generatedVersion();
    appendInfo(p, 'Encrypted Data');
    t.close();
    return recordEnd;
  }
  appendInfo(p, msgName);
  if (t.full) t.setLabel(ri, `SSLv2 Record Layer: ${msgName}`);
  generatedVersion();
  t.add(F.recordLength, at, headerLength, recordLength);
  if (!twoByte) {
    // The three-byte header (a padded record): escape flag and padding length
    t.add(F.ssl2IsEscape, at, 1, (buf[at] & 0x40) !== 0 ? 1 : 0);
    t.add(F.ssl2PaddingLength, at + 2, 1, buf[at + 2]);
  }
  // SSLv2's message type is tls.handshake.type too, with its own names.
  const mi = t.add(F.hsType, body, 1, msgType);
  if (t.full) t.setLabel(mi, `Handshake Message Type: ${msgName} (${msgType})`);
  if (msgType === 1) ssl2ClientHello(ctx, buf, body + 1, Math.min(recordEnd, buf.length));
  t.close();
  return recordEnd;
}

/** V2ClientHello (RFC 5246 E.2): version, the three lengths, cipher specs, session id, challenge. */
function ssl2ClientHello(ctx: Ctx, buf: Uint8Array, at: number, end: number): void {
  const { p, s } = ctx;
  const t = p.tree;
  if (at + 8 > end || !VERSIONS.has(u16(buf, at))) return;
  if (s.serverPort < 0) {
    s.serverPort = p.dstPort;
    s.serverAddr = addrKey(p, false);
  }
  t.add(F.hsVersion, at, 2, u16(buf, at));
  const specLength = u16(buf, at + 2);
  const sidLength = u16(buf, at + 4);
  const challengeLength = u16(buf, at + 6);
  t.add(F.ssl2CipherSpecLength, at + 2, 2, specLength);
  t.add(F.sessionIdLength, at + 4, 2, sidLength);
  if (sidLength > 16) return;
  t.add(F.ssl2ChallengeLength, at + 6, 2, challengeLength);
  let o = at + 8;
  const n = Math.floor(specLength / 3);
  const ci = t.add(F.cipherSuites, o, specLength);
  if (t.full) t.setLabel(ci, `Cipher Specs (${n} specs)`);
  t.open(ci);
  for (let k = 0; k < n && o + 3 <= end; k++, o += 3) {
    const v = (buf[o] << 16) | u16(buf, o + 1);
    const i = t.add(F.ssl2CipherSpec, o, 3, v);
    if (t.full) {
      const name = buf[o] === 0 ? CIPHER_SUITES.get(v) : undefined;
      t.setLabel(i, `Cipher Spec: ${name ?? 'Unknown'} (0x${v.toString(16).padStart(6, '0')})`);
    }
  }
  t.close();
  o = at + 8 + specLength;
  if (sidLength > 0 && o + sidLength <= end) {
    t.add(F.sessionId, o, sidLength);
    o += sidLength;
  }
  if (challengeLength > 0 && o + challengeLength <= end) t.add(F.ssl2Challenge, o, challengeLength);
}

/** ssl_looks_like_valid_v2_handshake. */
function validV2Handshake(buf: Uint8Array, at: number, length: number): boolean {
  if (at + 10 > buf.length) return false;
  switch (buf[at]) {
    case 1:
      return VERSIONS.has(u16(buf, at + 1));
    case 4:
      return VERSIONS.has(u16(buf, at + 3));
    case 2:
      return u16(buf, at + 4) + u16(buf, at + 6) + u16(buf, at + 8) <= length;
  }
  return false;
}

function asciiText(buf: Uint8Array, from: number, to: number): string {
  let s = '';
  for (let i = from; i < to && i < buf.length; i++) s += buf[i] < 0x80 ? String.fromCharCode(buf[i]) : '\ufffd';
  return s;
}

/**
 * Heuristic TLS over TCP (Wireshark's "tls_tcp", on by default): a Handshake or Application
 * Data record header with a known version and a sane length, or an SSLv2 Client Hello.
 */
function tlsHeuristic(p: Packet, buf: Uint8Array, off: number, end: number): boolean {
  const capEnd = Math.min(end, buf.length);
  // A connection found to be TLS stays TLS (Wireshark sets the conversation's dissector), so its
  // Change Cipher Spec and Alert records, which the test below would refuse, are TLS too.
  let ok = tlsTakesOver(p);
  if (!ok && capEnd - off >= 5) {
    const ct = buf[off];
    const v = u16(buf, off + 1);
    const length = u16(buf, off + 3);
    ok =
      (ct === CT_HANDSHAKE || ct === CT_APP_DATA) &&
      (v === SSLV3 || v === TLSV1 || v === TLSV1_1 || v === TLSV1_2 || v === GMTLSV1) &&
      length !== 0 &&
      length < 16384 + 2048;
  }
  if (!ok && capEnd - off >= 46) {
    const csl = u16(buf, off + 5);
    const sidl = u16(buf, off + 7);
    ok =
      buf[off] === 0x80 &&
      buf[off + 2] === 1 &&
      csl !== 0 &&
      csl % 3 === 0 &&
      (sidl === 0 || sidl === 16) &&
      u16(buf, off + 9) === 32;
  }
  if (!ok) return false;
  // The connection is TLS from now on (conversation_set_dissector_from_frame_number).
  markTls(p);
  return dissectTls(p, buf, off, end) !== NOT_MINE;
}

/** Connections the heuristic or a STARTTLS found to be TLS: later segments go straight to TLS. */
function markTls(p: Packet): void {
  const state = p.session.protocolState('tls', newState);
  const key = connectionKey(p);
  if (!state.startTls.has(key)) {
    if (state.startTls.size >= MAX_SESSIONS) {
      const oldest = state.startTls.keys().next().value;
      if (oldest !== undefined) state.startTls.delete(oldest);
    }
    state.startTls.set(key, p.meta.number);
  }
}

/**
 * STARTTLS (ssl_starttls_ack): the application protocol over TCP calls this on the frame that
 * accepts the upgrade; from the next frame on, the connection's data is TLS. The caller's
 * dissector should then hand its payload to dissectTls when tlsTakesOver(p) is true.
 */
export function startTls(p: Packet): void {
  const state = p.session.protocolState('tls', newState);
  const key = connectionKey(p);
  state.startTls.set(key, p.meta.number + 1);
  const s = sessionOf(p);
  s.lastNonTlsFrame = p.meta.number;
}

/**
 * True when this frame's connection is TLS from an earlier frame on: after a STARTTLS, or since
 * the heuristic recognised it (conversation_set_dissector_from_frame_number).
 */
export function tlsTakesOver(p: Packet): boolean {
  const key = connectionKey(p);
  let from = p.session.protocolState('tls', newState).startTls.get(key);
  if (from === undefined) from = p.session.firstPass?.protocolState('tls', newState).startTls.get(key);
  return from !== undefined && p.meta.number >= from;
}

/** The registered dissector for TLS ports. */
function tlsPortDissector(p: Packet, buf: Uint8Array, off: number, end: number): number {
  return dissectTls(p, buf, off, end);
}

// Wireshark 4.0's TCP ports for TLS: 443 and the ports of protocols it knows over TLS
// (ssl_dissector_add: HTTPS, SMTPS, LDAPS, DNS over TLS, IMAPS, POP3S, SIP-TLS, AMQPS, MQTTS, ...).
for (const port of [
  443, 465, 636, 853, 993, 995, 5061, 802, 324, 1300, 2221, 2443, 3249, 3250, 3251, 3252, 3496, 5671, 5684, 5868, 8883,
  11207, 19999, 27017,
])
  tcpPortTable.add(port, tlsPortDissector);
tcpHeuristics.add('tls_tcp', tlsHeuristic);

/** Certificate Transparency SCT lists in X.509 extensions (RFC 6962 3.3), registered by TLS. */
function sctExtension(p: Packet, buf: Uint8Array, off: number, end: number): void {
  const v = new Tlv();
  if (!readTlv(buf, off, end, v) || v.tag !== BER_TAG.OCTETSTRING) return;
  sctList(new Reader(p, buf, v.contentStart, v.end), v.end);
}
registerBerOid('1.3.6.1.4.1.11129.2.4.2', 'SignedCertificateTimestampList', 'tls', sctExtension);
registerBerOid('1.3.6.1.4.1.11129.2.4.5', 'SignedCertificateTimestampList', 'tls', sctExtension);
