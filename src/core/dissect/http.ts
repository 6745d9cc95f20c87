// HTTP/1.x over TCP as Wireshark 4.0's packet-http.c shows it: request and status lines,
// headers, bodies (Content-Length, chunked, until the connection closes, gzip/deflate content
// coding) handed to the dissector of their media type, several messages per segment, TCP
// reassembly requests (req_resp_hdrs_do_reassembly) and request/response matching per stream.

import { defineFields, valueStrings } from './fields.js';
import type { Packet } from './packet.js';
import { GENERATED, HIDDEN } from './tree.js';
import {
  HeuristicTable,
  mediaTypeTable,
  NOT_MINE,
  StringDissectorTable,
  tcpHeuristics,
  tcpPortTable,
  udpPortTable,
} from './tables.js';
import { askForMore, DESEGMENT_ONE_MORE_SEGMENT, DESEGMENT_UNTIL_FIN } from './tcp-pdus.js';
import { dissectData } from './data.js';
import { dissectMedia, mediaMatch } from './media.js';
import { asciiValue, formatText } from './format-text.js';
import { inflateBody } from './inflate.js';
import { currentTcpFlags, dissectTcpPayload, TH } from './tcp.js';
import { currentTcpStream } from '../analysis/tcp.js';

export const httpFields = defineFields({
  http: { abbrev: 'http', name: 'Hypertext Transfer Protocol', type: 'protocol' },
  ssdp: { abbrev: 'ssdp', name: 'Simple Service Discovery Protocol', type: 'protocol' },
  notification: { abbrev: 'http.notification', name: 'Notification', type: 'bool' },
  response: { abbrev: 'http.response', name: 'Response', type: 'bool' },
  request: { abbrev: 'http.request', name: 'Request', type: 'bool' },
  responseNumber: { abbrev: 'http.response_number', name: 'Response number', type: 'uint', bits: 32, base: 'dec' },
  requestNumber: { abbrev: 'http.request_number', name: 'Request number', type: 'uint', bits: 32, base: 'dec' },
  authbasic: { abbrev: 'http.authbasic', name: 'Credentials', type: 'string' },
  responseLine: { abbrev: 'http.response.line', name: 'Response line', type: 'string' },
  requestLine: { abbrev: 'http.request.line', name: 'Request line', type: 'string' },
  method: { abbrev: 'http.request.method', name: 'Request Method', type: 'string' },
  uri: { abbrev: 'http.request.uri', name: 'Request URI', type: 'string' },
  uriPath: { abbrev: 'http.request.uri.path', name: 'Request URI Path', type: 'string' },
  uriQuery: { abbrev: 'http.request.uri.query', name: 'Request URI Query', type: 'string' },
  uriQueryParameter: {
    abbrev: 'http.request.uri.query.parameter',
    name: 'Request URI Query Parameter',
    type: 'string',
  },
  requestVersion: { abbrev: 'http.request.version', name: 'Request Version', type: 'string' },
  responseVersion: { abbrev: 'http.response.version', name: 'Response Version', type: 'string' },
  fullUri: { abbrev: 'http.request.full_uri', name: 'Full request URI', type: 'string' },
  code: { abbrev: 'http.response.code', name: 'Status Code', type: 'uint', bits: 16, base: 'dec' },
  codeDesc: { abbrev: 'http.response.code.desc', name: 'Status Code Description', type: 'string' },
  responseForUri: { abbrev: 'http.response_for.uri', name: 'Request URI', type: 'string' },
  phrase: { abbrev: 'http.response.phrase', name: 'Response Phrase', type: 'string' },
  authorization: { abbrev: 'http.authorization', name: 'Authorization', type: 'string' },
  proxyAuthenticate: { abbrev: 'http.proxy_authenticate', name: 'Proxy-Authenticate', type: 'string' },
  proxyAuthorization: { abbrev: 'http.proxy_authorization', name: 'Proxy-Authorization', type: 'string' },
  proxyConnectHost: { abbrev: 'http.proxy_connect_host', name: 'Proxy-Connect-Hostname', type: 'string' },
  proxyConnectPort: {
    abbrev: 'http.proxy_connect_port',
    name: 'Proxy-Connect-Port',
    type: 'uint',
    bits: 16,
    base: 'dec',
  },
  wwwAuthenticate: { abbrev: 'http.www_authenticate', name: 'WWW-Authenticate', type: 'string' },
  contentType: { abbrev: 'http.content_type', name: 'Content-Type', type: 'string' },
  contentLengthHeader: { abbrev: 'http.content_length_header', name: 'Content-Length', type: 'string' },
  contentLength: { abbrev: 'http.content_length', name: 'Content length', type: 'uint', bits: 64, base: 'dec' },
  contentEncoding: { abbrev: 'http.content_encoding', name: 'Content-Encoding', type: 'string' },
  transferEncoding: { abbrev: 'http.transfer_encoding', name: 'Transfer-Encoding', type: 'string' },
  upgrade: { abbrev: 'http.upgrade', name: 'Upgrade', type: 'string' },
  userAgent: { abbrev: 'http.user_agent', name: 'User-Agent', type: 'string' },
  host: { abbrev: 'http.host', name: 'Host', type: 'string' },
  connection: { abbrev: 'http.connection', name: 'Connection', type: 'string' },
  cookie: { abbrev: 'http.cookie', name: 'Cookie', type: 'string' },
  cookiePair: { abbrev: 'http.cookie_pair', name: 'Cookie pair', type: 'string' },
  accept: { abbrev: 'http.accept', name: 'Accept', type: 'string' },
  referer: { abbrev: 'http.referer', name: 'Referer', type: 'string' },
  acceptLanguage: { abbrev: 'http.accept_language', name: 'Accept-Language', type: 'string' },
  acceptEncoding: { abbrev: 'http.accept_encoding', name: 'Accept Encoding', type: 'string' },
  date: { abbrev: 'http.date', name: 'Date', type: 'string' },
  cacheControl: { abbrev: 'http.cache_control', name: 'Cache-Control', type: 'string' },
  server: { abbrev: 'http.server', name: 'Server', type: 'string' },
  location: { abbrev: 'http.location', name: 'Location', type: 'string' },
  secWebsocketAccept: { abbrev: 'http.sec_websocket_accept', name: 'Sec-WebSocket-Accept', type: 'string' },
  secWebsocketExtensions: {
    abbrev: 'http.sec_websocket_extensions',
    name: 'Sec-WebSocket-Extensions',
    type: 'string',
  },
  secWebsocketKey: { abbrev: 'http.sec_websocket_key', name: 'Sec-WebSocket-Key', type: 'string' },
  secWebsocketProtocol: { abbrev: 'http.sec_websocket_protocol', name: 'Sec-WebSocket-Protocol', type: 'string' },
  secWebsocketVersion: { abbrev: 'http.sec_websocket_version', name: 'Sec-WebSocket-Version', type: 'string' },
  setCookie: { abbrev: 'http.set_cookie', name: 'Set-Cookie', type: 'string' },
  lastModified: { abbrev: 'http.last_modified', name: 'Last-Modified', type: 'string' },
  xForwardedFor: { abbrev: 'http.x_forwarded_for', name: 'X-Forwarded-For', type: 'string' },
  http2Settings: { abbrev: 'http.http2_settings', name: 'HTTP2-Settings', type: 'string' },
  requestIn: { abbrev: 'http.request_in', name: 'Request in frame', type: 'framenum' },
  responseIn: { abbrev: 'http.response_in', name: 'Response in frame', type: 'framenum' },
  nextRequestIn: { abbrev: 'http.next_request_in', name: 'Next request in frame', type: 'framenum' },
  nextResponseIn: { abbrev: 'http.next_response_in', name: 'Next response in frame', type: 'framenum' },
  prevRequestIn: { abbrev: 'http.prev_request_in', name: 'Prev request in frame', type: 'framenum' },
  prevResponseIn: { abbrev: 'http.prev_response_in', name: 'Prev response in frame', type: 'framenum' },
  time: { abbrev: 'http.time', name: 'Time since request', type: 'reltime', unit: ' seconds' },
  chunkedTrailerPart: { abbrev: 'http.chunked_trailer_part', name: 'trailer-part', type: 'string' },
  chunkBoundary: { abbrev: 'http.chunk_boundary', name: 'Chunk boundary', type: 'bytes' },
  chunkSize: { abbrev: 'http.chunk_size', name: 'Chunk size', type: 'uint', bits: 32, base: 'dec' },
  chunkData: { abbrev: 'http.chunk_data', name: 'Chunk data', type: 'bytes' },
  fileData: { abbrev: 'http.file_data', name: 'File Data', type: 'string' },
  unknownHeader: { abbrev: 'http.unknown_header', name: 'Unknown header', type: 'string' },
});

const F = httpFields;

/**
 * Heuristic dissectors for message bodies (Wireshark's "http" heuristic list: png, image-jfif,
 * image-gif), tried when the media type has no dissector or it refused the body.
 */
export const httpHeuristics = new HeuristicTable('http');

/** Protocols a stream switches to after "101 Switching Protocols", by lower-case Upgrade token (http.upgrade). */
export const httpUpgradeTable = new StringDissectorTable('http.upgrade', 'HTTP Upgrade');

/** Wireshark's vals_http_status_code (http.response.code.desc). */
export const httpStatusCodes = valueStrings({
  100: 'Continue',
  101: 'Switching Protocols',
  102: 'Processing',
  103: 'Early Hints',
  199: 'Informational - Others',
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  203: 'Non-authoritative Information',
  204: 'No Content',
  205: 'Reset Content',
  206: 'Partial Content',
  207: 'Multi-Status',
  208: 'Already Reported',
  226: 'IM Used',
  299: 'Success - Others',
  300: 'Multiple Choices',
  301: 'Moved Permanently',
  302: 'Found',
  303: 'See Other',
  304: 'Not Modified',
  305: 'Use Proxy',
  307: 'Temporary Redirect',
  308: 'Permanent Redirect',
  399: 'Redirection - Others',
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  407: 'Proxy Authentication Required',
  408: 'Request Time-out',
  409: 'Conflict',
  410: 'Gone',
  411: 'Length Required',
  412: 'Precondition Failed',
  413: 'Request Entity Too Large',
  414: 'Request-URI Too Long',
  415: 'Unsupported Media Type',
  416: 'Requested Range Not Satisfiable',
  417: 'Expectation Failed',
  418: "I'm a teapot",
  421: 'Misdirected Request',
  422: 'Unprocessable Entity',
  423: 'Locked',
  424: 'Failed Dependency',
  425: 'Too Early',
  426: 'Upgrade Required',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  451: 'Unavailable For Legal Reasons',
  499: 'Client Error - Others',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Time-out',
  505: 'HTTP Version not supported',
  506: 'Variant Also Negotiates',
  507: 'Insufficient Storage',
  508: 'Loop Detected',
  510: 'Not Extended',
  511: 'Network Authentication Required',
  599: 'Server Error - Others',
});

/** HTTP preferences (Wireshark's http.* preferences, with their defaults). */
export const httpPreferences = {
  desegmentHeaders: true,
  desegmentBody: true,
  dechunkBody: true,
  decompressBody: true,
};

/** Wireshark's default http.tcp.port range. */
export const HTTP_TCP_PORTS = [80, 3128, 3132, 5985, 8080, 8088, 11371, 1900, 2869, 2710];

// ---------------------------------------------------------------------------------------------
// Per-capture state: conversations (by TCP stream) and the request/response records.

const TYPE_REQUEST = 1;
const TYPE_RESPONSE = 2;
const TYPE_NOTIFICATION = 3;
const TYPE_OTHERS = 0;

/** One request and its response in a conversation (http_req_res_t). */
class ReqRes {
  reqFrame = 0;
  resFrame = 0;
  /** Request time (seconds, nanoseconds); NaN when no request was seen. */
  reqSec = NaN;
  reqNsec = 0;
  prev: ReqRes | undefined = undefined;
  next: ReqRes | undefined = undefined;
  constructor(readonly number: number) {}
}

/** What HTTP remembers of one TCP conversation (http_conv_t). */
class HttpConv {
  requestMethod: string | undefined = undefined;
  requestUri: string | undefined = undefined;
  fullUri: string | undefined = undefined;
  httpHost: string | undefined = undefined;
  responseCode = 0;
  reqResNum = 0;
  tail: ReqRes | undefined = undefined;
  /** Frame (and offset in its data) from which the stream is another protocol (CONNECT, Upgrade). */
  startFrame = 0;
  startOffset = 0;
  /** The CONNECT/Upgrade server side: its port and address key. */
  serverPort = -1;
  serverAddr = '';
  /** The Upgrade token the server agreed to (101), whose dissector takes the stream. */
  upgradeProtocol = '';
  /** Where the reassembly check of an unfinished message stopped, by sender port. */
  readonly resume = new Map<number, Resume>();

  /** The conversation as the first pass left it (tshark -2 keeps one conversation for both passes). */
  copyFrom(c: HttpConv): void {
    this.requestMethod = c.requestMethod;
    this.requestUri = c.requestUri;
    this.fullUri = c.fullUri;
    this.httpHost = c.httpHost;
    this.responseCode = c.responseCode;
    this.reqResNum = c.reqResNum;
    this.startFrame = c.startFrame;
    this.startOffset = c.startOffset;
    this.serverPort = c.serverPort;
    this.serverAddr = c.serverAddr;
    this.upgradeProtocol = c.upgradeProtocol;
  }
}

/** Records kept per capture at most (each is a few numbers); past it no new exchanges are linked. */
const MAX_RECORDS = 1 << 21;

class HttpState {
  readonly convs = new Map<number | string, HttpConv>();
  /** The last request/response record of each frame (p_add_proto_data with key 0). */
  readonly frames = new Map<number, ReqRes>();
  /** Conversations the heuristic found, and the frame from which they are HTTP. */
  readonly heuristicFrom = new Map<number | string, number>();
  records = 0;
}

function newState(): HttpState {
  return new HttpState();
}

function stateOf(p: Packet): HttpState {
  return p.session.protocolState('http', newState);
}

/** The key of the packet's TCP conversation: its stream index, else its addresses and ports. */
function convKey(p: Packet): number | string {
  const stream = currentTcpStream();
  if (stream >= 0) return stream;
  const a = addrKey(p, true);
  const b = addrKey(p, false);
  const ea = `${a}:${p.srcPort}`;
  const eb = `${b}:${p.dstPort}`;
  return ea < eb ? `${ea}|${eb}` : `${eb}|${ea}`;
}

function addrKey(p: Packet, src: boolean): string {
  if (p.netType === 4) return String(src ? p.netSrc4 : p.netDst4);
  const a = src ? p.netSrc6 : p.netDst6;
  return a === undefined ? '' : Array.from(a).join('.');
}

function convOf(p: Packet, state: HttpState, key: number | string): HttpConv {
  let c = state.convs.get(key);
  if (c === undefined) {
    c = new HttpConv();
    const first = p.session.firstPass?.protocolState('http', newState).convs.get(key);
    if (first !== undefined) c.copyFrom(first);
    state.convs.set(key, c);
  }
  return c;
}

// ---------------------------------------------------------------------------------------------
// Lines and tokens.

/** Set by findLineEnd: the offset after the line terminator. */
let lineNext = 0;

/**
 * tvb_find_line_end over buf[from..from+len): the length of the line up to CR, LF or CRLF, with
 * lineNext after the terminator. Without a terminator: -1 when `desegment`, else the rest as a
 * line. A CR as the last byte counts as a terminator only without `desegment` (the LF may follow).
 */
function findLineEnd(buf: Uint8Array, from: number, len: number, desegment: boolean): number {
  const limit = from + len;
  for (let i = from; i < limit; i++) {
    const b = buf[i];
    if (b === 0x0a) {
      lineNext = i + 1;
      return i - from;
    }
    if (b === 0x0d) {
      if (i + 1 >= limit) {
        if (desegment) return -1;
        lineNext = i + 1;
      } else lineNext = buf[i + 1] === 0x0a ? i + 2 : i + 1;
      return i - from;
    }
  }
  if (desegment) return -1;
  lineNext = limit;
  return len;
}

/** Set by tokenLength: where the next token starts (after the spaces). */
let tokenNext = 0;

/** get_token_len: a token ends at a space, CR or LF; the spaces after it are skipped. */
function tokenLength(buf: Uint8Array, from: number, lineEnd: number): number {
  let i = from;
  while (i < lineEnd && buf[i] !== 0x20 && buf[i] !== 0x0d && buf[i] !== 0x0a) i++;
  const n = i - from;
  while (i < lineEnd && buf[i] === 0x20) i++;
  tokenNext = i;
  return n;
}

function startsWith(buf: Uint8Array, at: number, limit: number, text: string): boolean {
  if (at + text.length > limit) return false;
  for (let k = 0; k < text.length; k++) if (buf[at + k] !== text.charCodeAt(k)) return false;
  return true;
}

function startsWithNoCase(buf: Uint8Array, at: number, limit: number, text: string): boolean {
  if (at < 0 || at + text.length > limit) return false;
  for (let k = 0; k < text.length; k++) {
    let b = buf[at + k];
    if (b >= 0x41 && b <= 0x5a) b += 0x20;
    let c = text.charCodeAt(k);
    if (c >= 0x41 && c <= 0x5a) c += 0x20;
    if (b !== c) return false;
  }
  return true;
}

/** Request methods by length (is_http_request_or_reply); 3 marks the notification methods. */
const METHODS = new Map<string, number>([
  ...[
    'GET',
    'PUT',
    'COPY',
    'HEAD',
    'LOCK',
    'MOVE',
    'POLL',
    'POST',
    'BCOPY',
    'BMOVE',
    'MKCOL',
    'TRACE',
    'PATCH',
    'LABEL',
    'MERGE',
    'DELETE',
    'SEARCH',
    'UNLOCK',
    'REPORT',
    'UPDATE',
    'BDELETE',
    'CONNECT',
    'OPTIONS',
    'CHECKIN',
    'PROPFIND',
    'CHECKOUT',
    'CCM_POST',
    'PROPPATCH',
    'BPROPFIND',
    'BPROPPATCH',
    'UNCHECKOUT',
    'MKACTIVITY',
    'MKWORKSPACE',
    'RPC_CONNECT',
    'RPC_IN_DATA',
    'RPC_OUT_DATA',
    'VERSION-CONTROL',
    'BASELINE-CONTROL',
    'SSTP_DUPLEX_POST',
  ].map((m): [string, number] => [m, TYPE_REQUEST]),
  ['NOTIFY', TYPE_NOTIFICATION],
  ['SUBSCRIBE', TYPE_NOTIFICATION],
  ['UNSUBSCRIBE', TYPE_NOTIFICATION],
]);

/** Set by classifyLine for a request: the method and where it starts. */
let lineMethodStart = 0;
let lineMethodLength = 0;

/**
 * is_http_request_or_reply: the type of a message whose first line is buf[from..from+len)
 * (TYPE_OTHERS when it is neither). An "M-" prefix (RFC 2774) is skipped.
 */
function classifyLine(buf: Uint8Array, from: number, len: number): number {
  let at = from;
  let n = len;
  if (n >= 2 && buf[at] === 0x4d && buf[at + 1] === 0x2d) {
    at += 2;
    n -= 2;
  }
  const limit = at + n;
  if ((n >= 5 && startsWith(buf, at, limit, 'HTTP/')) || (n >= 3 && startsWith(buf, at, limit, 'ICY')))
    return TYPE_RESPONSE;
  let i = 0;
  while (i < n && buf[at + i] !== 0x20) i++;
  if (i < 3 || i > 16) return TYPE_OTHERS;
  let name = '';
  for (let k = 0; k < i; k++) {
    const c = buf[at + k];
    // Method names are upper-case letters, '_' and '-'.
    if (!((c >= 0x41 && c <= 0x5a) || c === 0x5f || c === 0x2d)) return TYPE_OTHERS;
    name += String.fromCharCode(c);
  }
  const type = METHODS.get(name);
  if (type === undefined) return TYPE_OTHERS;
  lineMethodStart = at;
  lineMethodLength = i;
  return type;
}

/** parse_http_status_code: the status code when the second token is exactly three digits, else 0. */
function parseStatusCode(buf: Uint8Array, from: number, lineEnd: number): number {
  if (tokenLength(buf, from, lineEnd) === 0) return 0;
  const at = tokenNext;
  if (tokenLength(buf, at, lineEnd) !== 3) return 0;
  let v = 0;
  for (let k = 0; k < 3; k++) {
    const c = buf[at + k] - 0x30;
    if (c < 0 || c > 9) return 0;
    v = v * 10 + c;
  }
  return v;
}

function isPrint(b: number): boolean {
  return b >= 0x20 && b < 0x7f;
}

// ---------------------------------------------------------------------------------------------
// Reassembly requests (req_resp_hdrs_do_reassembly).

/** Parses an unsigned hexadecimal chunk size the way sscanf("%x") does; -1 when none. */
function parseChunkSize(buf: Uint8Array, from: number, to: number): number {
  let i = from;
  while (i < to && (buf[i] === 0x20 || buf[i] === 0x09)) i++;
  if (i + 1 < to && buf[i] === 0x30 && (buf[i + 1] | 0x20) === 0x78) i += 2;
  let v = 0;
  let digits = 0;
  for (; i < to; i++) {
    const c = buf[i];
    let d: number;
    if (c >= 0x30 && c <= 0x39) d = c - 0x30;
    else if ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66) d = (c | 0x20) - 0x61 + 10;
    else break;
    v = v * 16 + d;
    if (v > 0xffffffff) v = 0xffffffff + 1;
    digits++;
  }
  return digits === 0 ? -1 : v;
}

/**
 * Where messageComplete stopped on a message that asked TCP for more, so that the next call with
 * the grown message goes on from there instead of reading every header line and chunk again
 * (Wireshark 4.2's last_chunk_offset; without it a long chunked body costs quadratic time).
 */
class Resume {
  frame = 0;
  /** Length of the message data at the last call (it only grows). */
  length = 0;
  desegmentBody = false;
  /** The first bytes of the message, to be sure it is the same one. */
  prefix = new Uint8Array(0);
  headersDone = false;
  /** Offset (from the message start) of the header line or chunk line to read next. */
  next = 0;
  contentLength = -1;
  contentTypeRpc = false;
  chunked = false;
}

/** The resume point of the message being checked, per conversation and sender port. */
function resumeFor(p: Packet, buf: Uint8Array, off: number, end: number, desegmentBody: boolean): Resume | undefined {
  const r = ctx.conv.resume.get(p.srcPort);
  if (r === undefined) return undefined;
  const n = r.prefix.length;
  let same =
    p.meta.number > r.frame && end - off > r.length && r.desegmentBody === desegmentBody && off + n <= buf.length;
  for (let k = 0; same && k < n; k++) if (buf[off + k] !== r.prefix[k]) same = false;
  if (!same) ctx.conv.resume.delete(p.srcPort);
  return same ? r : undefined;
}

/**
 * Whether the message at `off` is complete in buf[..end) (headers up to the blank line, the body
 * by Content-Length or chunks, or until the FIN for a response without either). When not, asks
 * TCP for more and returns false. Returns true when TCP cannot reassemble.
 */
function messageComplete(
  p: Packet,
  buf: Uint8Array,
  off: number,
  end: number,
  capEnd: number,
  desegmentHeaders: boolean,
  desegmentBody: boolean,
  untilFin: boolean,
): boolean {
  let next = off;
  let contentLength = -1;
  let contentTypeRpc = false;
  let chunked = false;
  let headersDone = false;
  const resume = p.canDesegment ? resumeFor(p, buf, off, end, desegmentBody) : undefined;
  if (resume !== undefined) {
    next = off + resume.next;
    contentLength = resume.contentLength;
    contentTypeRpc = resume.contentTypeRpc;
    chunked = resume.chunked;
    headersDone = resume.headersDone;
  }
  /** Asks TCP for more, remembering where to go on; false when it asked. */
  const more = (amount: number, at: number): boolean => {
    if (!askForMore(p, off, amount)) {
      ctx.conv.resume.delete(p.srcPort);
      return true;
    }
    let r = ctx.conv.resume.get(p.srcPort);
    if (r === undefined) {
      r = new Resume();
      ctx.conv.resume.set(p.srcPort, r);
    }
    r.frame = p.meta.number;
    r.length = end - off;
    r.desegmentBody = desegmentBody;
    if (r.prefix.length === 0 || resume === undefined) r.prefix = buf.slice(off, Math.min(off + 32, capEnd));
    r.headersDone = headersDone;
    r.next = at - off;
    r.contentLength = contentLength;
    r.contentTypeRpc = contentTypeRpc;
    r.chunked = chunked;
    return false;
  };
  if (desegmentHeaders && p.canDesegment && !headersDone) {
    for (;;) {
      const lineStart = next;
      if (end - next < 1) return more(DESEGMENT_ONE_MORE_SEGMENT, lineStart);
      const captured = capEnd - next;
      const len = findLineEnd(buf, next, captured, true);
      if (len === -1) {
        if (captured >= end - next) return more(DESEGMENT_ONE_MORE_SEGMENT, lineStart);
        // The rest was not captured: asking for more would not help.
        return true;
      }
      next = lineNext;
      if (len === 0) break;
      if (!desegmentBody) continue;
      const first = buf[lineStart] | 0x20;
      if (first !== 0x63 && first !== 0x74) continue;
      const lineEnd = lineStart + len;
      if (startsWithNoCase(buf, lineStart, lineEnd, 'content-length:')) {
        const v = parseDecimal(buf, lineStart + 15, lineEnd, true);
        if (v >= 0 && v <= 0x7fffffff) contentLength = v;
      } else if (startsWithNoCase(buf, lineStart, lineEnd, 'content-type:')) {
        let k = lineStart + 13;
        while (k < lineEnd && buf[k] === 0x20) k++;
        contentTypeRpc = startsWith(buf, k, lineEnd, 'application/rpc');
      } else if (startsWithNoCase(buf, lineStart, lineEnd, 'transfer-encoding:')) {
        let k = lineStart + 18;
        while (k < lineEnd && (buf[k] === 0x20 || buf[k] === 0x09)) k++;
        if (startsWithNoCase(buf, k, lineEnd, 'chunked')) chunked = true;
      }
    }
    headersDone = true;
  }
  ctx.conv.resume.delete(p.srcPort);
  if (!desegmentBody) return true;
  if (chunked) {
    for (;;) {
      const lineStart = next;
      const reported = end - next;
      if (reported < 1) return more(DESEGMENT_ONE_MORE_SEGMENT, lineStart);
      const captured = capEnd - next;
      const len = findLineEnd(buf, next, captured, true);
      if (len === -1 && captured >= reported) return more(DESEGMENT_ONE_MORE_SEGMENT, lineStart);
      if (len === -1) return true;
      const chunkStart = lineNext;
      let sizeEnd = next + len;
      for (let k = next; k < sizeEnd; k++)
        if (buf[k] === 0x3b) {
          sizeEnd = k;
          break;
        }
      const size = parseChunkSize(buf, next, sizeEnd);
      if (size < 0 || size > 2 ** 31) return true;
      if (size === 0) {
        const l2 = findLineEnd(buf, chunkStart, Math.max(0, capEnd - chunkStart), true);
        if (l2 === -1 && captured >= reported) return more(DESEGMENT_ONE_MORE_SEGMENT, lineStart);
        return true;
      }
      if (reported > size) next = chunkStart + size + 2;
      else return more(DESEGMENT_ONE_MORE_SEGMENT, lineStart);
    }
  }
  if (contentLength >= 0) {
    if (contentLength >= 128 * 1024) {
      // MS-RPCH: RPC_IN_DATA/RPC_OUT_DATA announce a length they never send.
      if (contentTypeRpc) return true;
      if (startsWith(buf, off, capEnd, 'RPC_IN_DATA') || startsWith(buf, off, capEnd, 'RPC_OUT_DATA')) return true;
    }
    if (next + contentLength > capEnd) {
      const captured = capEnd - next;
      if (captured < end - next) return true;
      return !askForMore(p, off, contentLength - Math.max(0, captured));
    }
    return true;
  }
  if (untilFin && p.canDesegment) {
    if (capEnd - next < end - next) return true;
    return !askForMore(p, off, DESEGMENT_UNTIL_FIN);
  }
  return true;
}

/**
 * A decimal number after optional spaces (g_ascii_strtoll / ws_strtoi32 style); -1 when there is
 * none, it is negative or too large, or (strict) other than spaces follow it.
 */
function parseDecimal(buf: Uint8Array, from: number, to: number, strict: boolean): number {
  let i = from;
  while (i < to && (buf[i] === 0x20 || buf[i] === 0x09)) i++;
  let negative = false;
  if (i < to && (buf[i] === 0x2b || buf[i] === 0x2d)) negative = buf[i++] === 0x2d;
  let v = 0;
  let digits = 0;
  while (i < to && buf[i] >= 0x30 && buf[i] <= 0x39) {
    v = v * 10 + (buf[i++] - 0x30);
    digits++;
  }
  if (digits === 0 || negative || v > Number.MAX_SAFE_INTEGER) return -1;
  if (strict) {
    while (i < to && (buf[i] === 0x20 || buf[i] === 0x09)) i++;
    if (i < to) return -1;
  } else if (i < to && !(buf[i] === 0x20 || (buf[i] >= 0x09 && buf[i] <= 0x0d))) return -1;
  return v;
}

// ---------------------------------------------------------------------------------------------
// Headers.

const SPECIAL_NONE = 0;
const SPECIAL_AUTHORIZATION = 1;
const SPECIAL_AUTHENTICATE = 2;
const SPECIAL_CONTENT_TYPE = 3;
const SPECIAL_CONTENT_LENGTH = 4;
const SPECIAL_CONTENT_ENCODING = 5;
const SPECIAL_TRANSFER_ENCODING = 6;
const SPECIAL_HOST = 7;
const SPECIAL_UPGRADE = 8;
const SPECIAL_COOKIE = 9;

/** The headers Wireshark gives a field, by lower-case name: [field, special processing]. */
const HEADERS = new Map<string, [number, number]>([
  ['authorization', [F.authorization, SPECIAL_AUTHORIZATION]],
  ['proxy-authorization', [F.proxyAuthorization, SPECIAL_AUTHORIZATION]],
  ['proxy-authenticate', [F.proxyAuthenticate, SPECIAL_AUTHENTICATE]],
  ['www-authenticate', [F.wwwAuthenticate, SPECIAL_AUTHENTICATE]],
  ['content-type', [F.contentType, SPECIAL_CONTENT_TYPE]],
  ['content-length', [F.contentLengthHeader, SPECIAL_CONTENT_LENGTH]],
  ['content-encoding', [F.contentEncoding, SPECIAL_CONTENT_ENCODING]],
  ['transfer-encoding', [F.transferEncoding, SPECIAL_TRANSFER_ENCODING]],
  ['upgrade', [F.upgrade, SPECIAL_UPGRADE]],
  ['user-agent', [F.userAgent, SPECIAL_NONE]],
  ['host', [F.host, SPECIAL_HOST]],
  ['connection', [F.connection, SPECIAL_NONE]],
  ['cookie', [F.cookie, SPECIAL_COOKIE]],
  ['accept', [F.accept, SPECIAL_NONE]],
  ['referer', [F.referer, SPECIAL_NONE]],
  ['accept-language', [F.acceptLanguage, SPECIAL_NONE]],
  ['accept-encoding', [F.acceptEncoding, SPECIAL_NONE]],
  ['date', [F.date, SPECIAL_NONE]],
  ['cache-control', [F.cacheControl, SPECIAL_NONE]],
  ['server', [F.server, SPECIAL_NONE]],
  ['location', [F.location, SPECIAL_NONE]],
  ['sec-websocket-accept', [F.secWebsocketAccept, SPECIAL_NONE]],
  ['sec-websocket-extensions', [F.secWebsocketExtensions, SPECIAL_NONE]],
  ['sec-websocket-key', [F.secWebsocketKey, SPECIAL_NONE]],
  ['sec-websocket-protocol', [F.secWebsocketProtocol, SPECIAL_NONE]],
  ['sec-websocket-version', [F.secWebsocketVersion, SPECIAL_NONE]],
  ['set-cookie', [F.setCookie, SPECIAL_NONE]],
  ['last-modified', [F.lastModified, SPECIAL_NONE]],
  ['x-forwarded-for', [F.xForwardedFor, SPECIAL_NONE]],
  ['http2-settings', [F.http2Settings, SPECIAL_NONE]],
]);

const TE_NONE = 0;
const TE_COMPRESS = 1;
const TE_DEFLATE = 2;
const TE_GZIP = 3;
const TE_IDENTITY = 4;
const TE_UNKNOWN = 5;

/** What the headers of one message say about its body (headers_t). */
class Headers {
  contentType: string | undefined = undefined;
  contentTypeParameters = '';
  haveContentLength = false;
  contentLength = 0;
  contentEncoding: string | undefined = undefined;
  chunked = false;
  transferEncoding = TE_NONE;
  upgrade: string | undefined = undefined;
  reset(): void {
    this.contentType = undefined;
    this.contentTypeParameters = '';
    this.haveContentLength = false;
    this.contentLength = 0;
    this.contentEncoding = undefined;
    this.chunked = false;
    this.transferEncoding = TE_NONE;
    this.upgrade = undefined;
  }
}

/** tchar of RFC 7230 §3.2.6: header names are tokens. */
function isTokenChar(c: number): boolean {
  if ((c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a)) return true;
  return '!#$%&\\:*+-.^_`|~'.indexOf(String.fromCharCode(c)) >= 0 && c !== 0;
}

/** http_parse_transfer_coding: false when a coding name is not understood. */
function parseTransferCoding(value: string, h: Headers): boolean {
  let fully = true;
  h.transferEncoding = TE_UNKNOWN;
  let i = 0;
  const n = value.length;
  while (i < n) {
    while (i < n && (value[i] === ' ' || value[i] === '\t' || value[i] === ',')) i++;
    if (i >= n) break;
    if (value.startsWith('chunked', i)) {
      h.chunked = true;
      i += 7;
      continue;
    }
    // chunked combines with at most one other (compression) coding.
    if (h.transferEncoding !== TE_UNKNOWN) {
      fully = false;
      break;
    }
    const known: [string, number][] = [
      ['compress', TE_COMPRESS],
      ['deflate', TE_DEFLATE],
      ['gzip', TE_GZIP],
      ['identity', TE_IDENTITY],
      ['x-compress', TE_COMPRESS],
      ['x-gzip', TE_GZIP],
    ];
    const k = known.find(([name]) => value.startsWith(name, i));
    if (k !== undefined) {
      h.transferEncoding = k[1];
      i += k[0].length;
    } else {
      fully = false;
      const comma = value.indexOf(',', i);
      if (comma < 0) break;
      i = comma;
    }
  }
  return fully;
}

// ---------------------------------------------------------------------------------------------
// Dissection.

/** The message being dissected: what the loops of one TCP payload share. */
class MessageContext {
  conv!: HttpConv;
  state!: HttpState;
  /** Whether the http layer was added to frame.protocols for this payload. */
  layerAdded = false;
  /** The protocol shown: HTTP, or SSDP for HTTP messages over UDP port 1900. */
  tag = 'HTTP';
  layer = 'http';
  protoField: number = F.http;
  /** Set when an exception-like error stopped the dissection of the payload. */
  aborted = false;
  /** Start of the payload given to the dissector (offsets of the stream switch are relative to it). */
  base = 0;
  /** This message's values (stat_info). */
  requestUri: string | undefined = undefined;
  host: string | undefined = undefined;
  responseCode = 0;
  type = TYPE_OTHERS;
}

const ctx = new MessageContext();
const headers = new Headers();

/** Adds the http protocol item (and the layer, once per payload); returns the item. */
function openHttpItem(p: Packet, start: number, capEnd: number): number {
  if (!ctx.layerAdded) {
    p.addLayer(ctx.layer);
    ctx.layerAdded = true;
  }
  const t = p.tree;
  const i = t.add(ctx.protoField, start, Math.max(0, capEnd - start));
  t.open(i);
  return i;
}

/** dissect_http_message: one message from `off`; returns its length, or -1 to stop. */
function dissectMessage(p: Packet, buf: Uint8Array, off: number, end: number, endOfStream: boolean): number {
  const capEnd = Math.min(end, buf.length);
  const t = p.tree;
  const conv = ctx.conv;
  if (end - off < 1) return -1;
  let o = off;
  let leadingCrlf = false;
  // RFC 2616 §4.1: an empty line before a request line is ignored.
  if (end - o > 3 && capEnd - o >= 2 && buf[o] === 0x0d && buf[o + 1] === 0x0a) {
    leadingCrlf = true;
    o += 2;
  }
  if (o >= capEnd) {
    // Reading the first byte fails: the capture cut the frame here.
    p.truncated(ctx.tag);
    ctx.aborted = true;
    return -1;
  }
  // Once a request was seen, whatever the conversation carries is HTTP (a body's continuation).
  const haveSeenHttp = conv.requestUri !== undefined;
  if (!isPrint(buf[o])) {
    if (haveSeenHttp) {
      p.setProtocol(ctx.tag);
      p.setInfo('Continuation');
      openHttpItem(p, o, capEnd);
      dissectData(p, buf, off, end);
      t.close();
    }
    return -1;
  }

  const firstLen = findLineEnd(buf, o, capEnd - o, true);
  if (firstLen === -1) {
    if (
      !messageComplete(p, buf, o, end, capEnd, httpPreferences.desegmentHeaders, httpPreferences.desegmentBody, false)
    )
      return -1;
  }
  let type = firstLen >= 0 ? classifyLine(buf, o, firstLen) : TYPE_OTHERS;
  if (type !== TYPE_OTHERS) {
    if (p.wantColumns) p.setInfo(formatText(buf, o, o + firstLen) + ' ');
    let tryBody = httpPreferences.desegmentBody && !endOfStream;
    if (tryBody && type === TYPE_RESPONSE) {
      // RFC 7230 §3.3: these responses never have a body.
      const code = parseStatusCode(buf, o, o + firstLen);
      const m = conv.requestMethod;
      if (
        m === 'HEAD' ||
        (Math.floor(code / 100) === 2 && (m === 'CONNECT' || m === 'SSTP_DUPLEX_POST')) ||
        Math.floor(code / 100) === 1 ||
        code === 204 ||
        code === 304
      )
        tryBody = false;
    }
    if (!messageComplete(p, buf, o, end, capEnd, httpPreferences.desegmentHeaders, tryBody, type === TYPE_RESPONSE))
      return -1;
  } else if (haveSeenHttp) {
    p.setInfo('Continuation');
  }

  let top = -1;
  // Whether the http item was added (top is -1 also when the item is not kept).
  let httpShown = false;
  if (type !== TYPE_OTHERS || haveSeenHttp) {
    p.setProtocol(ctx.tag);
    top = openHttpItem(p, o, capEnd);
    httpShown = true;
    if (leadingCrlf)
      p.expert(
        'HTTP',
        'http.leading_crlf',
        'error',
        'malformed',
        'Leading CRLF previous message in the stream may have extra CRLF',
        o - 2,
        2,
      );
  }

  ctx.requestUri = undefined;
  ctx.host = undefined;
  ctx.responseCode = 0;
  type = TYPE_OTHERS;
  headers.reset();
  let sawHeader = false;
  while (o < capEnd) {
    const len = findLineEnd(buf, o, capEnd - o, false);
    const next = lineNext;
    let colon = -1;
    const lineType = classifyLine(buf, o, len);
    if (lineType === TYPE_OTHERS && len !== 0) {
      for (let k = o; k < o + len; k++)
        if (buf[k] === 0x3a) {
          colon = k;
          break;
        }
      if (colon < 0) {
        if (sawHeader && o + len + 1 > capEnd) {
          // A line cut short after headers: Wireshark's bounds exception.
          if (capEnd < end) p.truncated(ctx.tag);
          else p.malformed(ctx.tag);
          ctx.aborted = true;
          return -1;
        }
        // Not part of a request or response: left for the body.
        break;
      }
    }
    if (!httpShown) {
      top = openHttpItem(p, off, capEnd);
      httpShown = true;
    }
    if (len === 0) {
      t.addText(o, next - o, formatText(buf, o, next));
      o = next;
      break;
    }
    sawHeader = true;
    if (lineType !== TYPE_OTHERS) {
      type = lineType;
      if (type !== TYPE_RESPONSE) {
        conv.requestMethod = asciiValue(buf, lineMethodStart, lineMethodStart + lineMethodLength);
      }
      const text = formatText(buf, o, next);
      const li = t.addText(o, next - o, text);
      t.open(li);
      // Expert texts are cut to Wireshark's item label length (ITEM_LABEL_LENGTH, 240 with the NUL).
      p.expert('HTTP', 'http.chat', 'chat', 'sequence', text.length > 239 ? text.slice(0, 239) : text, o, next - o);
      if (type === TYPE_RESPONSE) responseLine(p, buf, o, o + len);
      else requestLine(p, buf, o, o + len);
      t.close();
    } else {
      processHeader(p, buf, o, next, len, colon, type);
    }
    o = next;
  }
  ctx.type = type;
  // Nothing looked like HTTP (no request, response or header line): the payload is not shown.
  if (!httpShown) return -1;

  // The loop above set these through the header and line dissectors.
  const uri = ctx.requestUri as string | undefined;
  const host = ctx.host as string | undefined;
  if (host !== undefined && uri !== undefined) {
    let full: string;
    const lower = uri.slice(0, 8).toLowerCase();
    if (lower.startsWith('http://') || lower.startsWith('https://') || conv.requestMethod === 'CONNECT') full = uri;
    else full = `http://${host.trim()}${uri}`;
    conv.fullUri = full;
    t.addValue(F.fullUri, 0, 0, full, GENERATED);
  }

  linkMessage(p, type);

  // The body (RFC 7230 §3.3.3).
  let reportedLen = end - o;
  let datalen = capEnd - o;
  if (headers.haveContentLength && headers.transferEncoding === TE_NONE) {
    if (datalen > headers.contentLength) datalen = headers.contentLength;
    if (reportedLen > headers.contentLength) reportedLen = headers.contentLength;
  } else if (type === TYPE_REQUEST) {
    if (headers.transferEncoding === TE_NONE) datalen = 0;
  } else if (type === TYPE_RESPONSE) {
    const c = ctx.responseCode;
    if (Math.floor(c / 100) === 1 || c === 204 || c === 304) datalen = 0;
  }
  if (datalen > 0) {
    const used = dissectBody(p, buf, o, datalen, o + reportedLen, top);
    if (ctx.aborted) return -1;
    o += used;
  }
  t.closeAll();

  // A 101 answer to an Upgrade switches the stream to another protocol after these headers.
  if (
    conv.requestMethod !== undefined &&
    type === TYPE_RESPONSE &&
    p.desegmentLen === 0 &&
    ((conv.requestMethod === 'SSTP_DUPLEX_POST' && conv.responseCode === 200) ||
      (headers.upgrade !== undefined && conv.responseCode === 101))
  ) {
    conv.startFrame = p.meta.number;
    conv.startOffset = o - ctx.base;
    conv.upgradeProtocol = conv.responseCode === 101 ? (headers.upgrade ?? '') : '';
    conv.serverPort = p.srcPort;
    conv.serverAddr = addrKey(p, true);
  }
  return o - off;
}

/** basic_request_dissector: method, URI (path, query, parameters) and version. */
function requestLine(p: Packet, buf: Uint8Array, from: number, lineEnd: number): void {
  const t = p.tree;
  let at = from;
  let n = tokenLength(buf, at, lineEnd);
  if (n === 0) return;
  if (t.keeps(F.method)) t.addValue(F.method, at, n, asciiValue(buf, at, at + n));
  let next = tokenNext;
  // Two spaces: an empty URI.
  if (next - at > 2 && buf[next - 1] === 0x20 && buf[next - 2] === 0x20) next--;
  at = next;
  n = tokenLength(buf, at, lineEnd);
  next = tokenNext;
  const uri = asciiValue(buf, at, at + n);
  ctx.requestUri = uri;
  ctx.conv.requestUri = uri;
  const ui = t.addValue(F.uri, at, n, uri);
  const q = uri.indexOf('?');
  if (q >= 0 && uri.length - q > 1) {
    t.open(ui);
    t.addValue(F.uriPath, at, q, uri.slice(0, q));
    const query = uri.slice(q + 1);
    let qo = at + q + 1;
    const qi = t.addValue(F.uriQuery, qo, query.length, query);
    t.open(qi);
    if (t.keeps(F.uriQueryParameter))
      for (const param of query.split('&')) {
        // strtok: empty parameters are skipped.
        if (param.length === 0) continue;
        t.addValue(F.uriQueryParameter, qo, param.length, param);
        qo += param.length + 1;
      }
    t.close();
    t.close();
  }
  at = next;
  if (t.keeps(F.requestVersion)) t.addValue(F.requestVersion, at, lineEnd - at, asciiValue(buf, at, lineEnd));
}

/** basic_response_dissector: version, status code (and its description) and phrase. */
function responseLine(p: Packet, buf: Uint8Array, from: number, lineEnd: number): void {
  const t = p.tree;
  let at = from;
  let n = tokenLength(buf, at, lineEnd);
  if (n === 0) return;
  if (t.keeps(F.responseVersion)) t.addValue(F.responseVersion, at, n, asciiValue(buf, at, at + n));
  at = tokenNext;
  n = tokenLength(buf, at, lineEnd);
  const next = tokenNext;
  if (n < 3) return;
  // strtoul over the first three characters: the digits it reads.
  let code = 0;
  for (let k = 0; k < 3; k++) {
    const d = buf[at + k] - 0x30;
    if (d < 0 || d > 9) break;
    code = code * 10 + d;
  }
  ctx.responseCode = code;
  ctx.conv.responseCode = code;
  t.add(F.code, at, 3, code);
  if (t.keeps(F.codeDesc)) t.addValue(F.codeDesc, at, 3, httpStatusCodes.get(code) ?? `Unknown (${code})`, GENERATED);
  at = next;
  if (lineEnd - at >= 1 && t.keeps(F.phrase)) t.addValue(F.phrase, at, lineEnd - at, asciiValue(buf, at, lineEnd));
}

/** process_header: one header line buf[from..next) with its colon at `colon`. */
function processHeader(
  p: Packet,
  buf: Uint8Array,
  from: number,
  next: number,
  len: number,
  colon: number,
  type: number,
): void {
  const t = p.tree;
  const lineEnd = from + len;
  const nameLen = colon - from;
  let valid = nameLen !== 0;
  for (let k = from; valid && k < colon; k++) if (!isTokenChar(buf[k])) valid = false;
  const lineField = type === TYPE_REQUEST ? F.requestLine : type === TYPE_RESPONSE ? F.responseLine : -1;
  if (!valid) {
    const field = lineField >= 0 ? lineField : F.unknownHeader;
    const i = t.addValue(field, from, next - from, lineText(buf, from, next));
    if (t.full) t.setLabel(i, formatText(buf, from, next));
    t.open(i);
    p.expert(
      'HTTP',
      'http.bad_header_name',
      'warn',
      'protocol',
      'Illegal characters found in header name',
      from,
      next - from,
    );
    t.close();
    return;
  }
  let name = '';
  for (let k = from; k < colon; k++) {
    const c = buf[k];
    name += String.fromCharCode(c >= 0x41 && c <= 0x5a ? c + 0x20 : c);
  }
  let valueStart = colon + 1;
  while (valueStart < lineEnd && (buf[valueStart] === 0x20 || buf[valueStart] === 0x09)) valueStart++;
  const known = HEADERS.get(name);
  if (known === undefined) {
    const field = lineField >= 0 ? lineField : F.unknownHeader;
    if (t.keeps(field)) {
      const i = t.addValue(field, from, next - from, lineText(buf, from, next));
      if (t.full) t.setLabel(i, formatText(buf, from, next));
    }
    return;
  }
  const [field, special] = known;
  // The value string is made only when shown or needed by the dissection itself.
  const needValue =
    t.keeps(field) ||
    special === SPECIAL_CONTENT_TYPE ||
    special === SPECIAL_CONTENT_ENCODING ||
    special === SPECIAL_TRANSFER_ENCODING ||
    special === SPECIAL_HOST ||
    special === SPECIAL_UPGRADE ||
    (special === SPECIAL_AUTHORIZATION && t.keeps(F.authbasic)) ||
    (special === SPECIAL_COOKIE && t.keeps(F.cookiePair));
  const value = needValue ? asciiValue(buf, valueStart, lineEnd) : '';
  const hi = t.addValue(field, from, next - from, value);
  if (t.full) t.setLabel(hi, formatText(buf, from, next));
  if (lineField >= 0 && t.keeps(lineField)) {
    const li = t.addValue(lineField, from, next - from, lineText(buf, from, next), HIDDEN);
    if (t.full) t.setLabel(li, formatText(buf, from, next));
  }
  const h = headers;
  switch (special) {
    case SPECIAL_AUTHORIZATION:
      if (value.startsWith('Basic ')) {
        t.open(hi);
        t.addValue(F.authbasic, 0, 0, decodeBasic(value.slice(6)));
        t.close();
      }
      break;
    case SPECIAL_CONTENT_TYPE: {
      let i = 0;
      while (i < value.length && value[i] !== ';' && !isSpace(value.charCodeAt(i))) i++;
      h.contentType = value.slice(0, i).toLowerCase();
      i++;
      while (i < value.length && (value[i] === ';' || isSpace(value.charCodeAt(i)))) i++;
      h.contentTypeParameters = i < value.length ? value.slice(i) : '';
      break;
    }
    case SPECIAL_CONTENT_LENGTH: {
      const v = parseDecimal(buf, valueStart, lineEnd, false);
      if (v < 0) {
        h.haveContentLength = false;
      } else {
        h.haveContentLength = true;
        h.contentLength = v;
        t.open(hi);
        t.add(F.contentLength, from, next - from, v, GENERATED);
        t.close();
        if (h.transferEncoding !== TE_NONE) teAndLength(p, hi, from, next);
      }
      break;
    }
    case SPECIAL_CONTENT_ENCODING:
      h.contentEncoding = value;
      break;
    case SPECIAL_TRANSFER_ENCODING:
      if (h.haveContentLength) teAndLength(p, hi, from, next);
      if (!parseTransferCoding(value, h)) {
        t.open(hi);
        p.expert(
          'HTTP',
          'http.te_unknown',
          'warn',
          'undecoded',
          'Unknown transfer coding name in Transfer-Encoding header',
          from,
          next - from,
        );
        t.close();
      }
      break;
    case SPECIAL_HOST:
      ctx.host = value;
      ctx.conv.httpHost = value;
      break;
    case SPECIAL_UPGRADE:
      h.upgrade = value.toLowerCase();
      break;
    case SPECIAL_COOKIE:
      if (hi >= 0 && t.keeps(F.cookiePair)) {
        t.open(hi);
        let i = 0;
        while (i < value.length) {
          while (i < value.length && (value[i] === ';' || isSpace(value.charCodeAt(i)))) i++;
          if (i >= value.length) break;
          const semi = value.indexOf(';', i);
          const partEnd = semi < 0 ? value.length : semi;
          t.addValue(F.cookiePair, valueStart + i, partEnd - i, value.slice(i, partEnd));
          i = partEnd;
        }
        t.close();
      }
      break;
  }
}

/**
 * The value of a whole-line item (http.request.line, http.response.line, http.unknown_header):
 * the line and its end with control characters escaped (format_text) as tshark prints them, so
 * that -T fields output stays one line per frame.
 */
function lineText(buf: Uint8Array, from: number, next: number): string {
  return formatText(buf, from, next);
}

function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

function teAndLength(p: Packet, item: number, from: number, next: number): void {
  p.tree.open(item);
  p.expert(
    'HTTP',
    'http.te_and_length',
    'warn',
    'malformed',
    'The Content-Length and Transfer-Encoding header must not be set together',
    from,
    next - from,
  );
  p.tree.close();
}

/** Base64 text of HTTP Basic credentials, decoded as Latin-1 (g_base64_decode_inplace). */
function decodeBasic(text: string): string {
  if (text.length <= 1) return text;
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let bits = 0;
  let acc = 0;
  let out = '';
  for (const ch of text) {
    const v = alphabet.indexOf(ch);
    if (v < 0) continue;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      const b = (acc >> bits) & 0xff;
      if (b === 0) break;
      out += String.fromCharCode(b);
    }
  }
  return out;
}

/** push_req / push_res in the first pass, and the linking items (http.request_in ...). */
function linkMessage(p: Packet, type: number): void {
  const state = ctx.state;
  const conv = ctx.conv;
  const t = p.tree;
  const frame = p.meta.number;
  let curr: ReqRes | undefined;
  const firstPass = p.session.firstPass;
  if (firstPass === undefined) {
    if ((type === TYPE_REQUEST || type === TYPE_RESPONSE) && state.records < MAX_RECORDS) {
      if (type === TYPE_REQUEST) {
        curr = pushRecord(conv, p.session.isFirstPass);
        curr.reqFrame = frame;
        curr.reqSec = p.meta.tsSec;
        curr.reqNsec = p.meta.tsNsec;
      } else {
        curr = conv.tail;
        if (curr === undefined || curr.resFrame > 0) curr = pushRecord(conv, p.session.isFirstPass);
        curr.resFrame = frame;
      }
      // Only a first pass keeps every record, for the output pass's forward links.
      if (p.session.isFirstPass) {
        state.records++;
        state.frames.set(frame, curr);
      }
    } else curr = state.frames.get(frame);
  } else curr = firstPass.protocolState('http', newState).frames.get(frame);
  const prev = curr?.prev;
  const next = curr?.next;
  switch (type) {
    case TYPE_NOTIFICATION:
      t.add(F.notification, 0, 0, 1, HIDDEN);
      break;
    case TYPE_RESPONSE: {
      t.add(F.response, 0, 0, 1, HIDDEN);
      if (curr !== undefined) {
        const ni = t.add(F.responseNumber, 0, 0, curr.number, GENERATED);
        if (t.full) t.setLabel(ni, `[HTTP response ${curr.number}/${conv.reqResNum}]`);
        if (!Number.isNaN(curr.reqSec))
          t.addInterval(F.time, 0, 0, p.meta.tsSec - curr.reqSec, p.meta.tsNsec - curr.reqNsec, GENERATED);
      }
      if (prev !== undefined && prev.reqFrame) t.add(F.prevRequestIn, 0, 0, prev.reqFrame, GENERATED);
      if (prev !== undefined && prev.resFrame) t.add(F.prevResponseIn, 0, 0, prev.resFrame, GENERATED);
      if (curr !== undefined && curr.reqFrame) t.add(F.requestIn, 0, 0, curr.reqFrame, GENERATED);
      if (next !== undefined && next.reqFrame) t.add(F.nextRequestIn, 0, 0, next.reqFrame, GENERATED);
      if (next !== undefined && next.resFrame) t.add(F.nextResponseIn, 0, 0, next.resFrame, GENERATED);
      const forUri = conv.fullUri ?? conv.requestUri;
      if (forUri !== undefined) t.addValue(F.responseForUri, 0, 0, forUri, GENERATED);
      break;
    }
    case TYPE_REQUEST:
      t.add(F.request, 0, 0, 1, HIDDEN);
      if (curr !== undefined) {
        const ni = t.add(F.requestNumber, 0, 0, curr.number, GENERATED);
        if (t.full) t.setLabel(ni, `[HTTP request ${curr.number}/${conv.reqResNum}]`);
      }
      if (prev !== undefined && prev.reqFrame) t.add(F.prevRequestIn, 0, 0, prev.reqFrame, GENERATED);
      if (curr !== undefined && curr.resFrame) t.add(F.responseIn, 0, 0, curr.resFrame, GENERATED);
      if (next !== undefined && next.reqFrame) t.add(F.nextRequestIn, 0, 0, next.reqFrame, GENERATED);
      break;
  }
}

/**
 * Appends a record to the conversation's list. Outside a first pass only the last two records are
 * ever shown (curr and prev), so the list is cut behind them: memory stays bounded per stream.
 */
function pushRecord(conv: HttpConv, keepAll: boolean): ReqRes {
  const r = new ReqRes(++conv.reqResNum);
  if (conv.tail !== undefined) {
    r.prev = conv.tail;
    conv.tail.next = r;
    if (!keepAll) conv.tail.prev = undefined;
  }
  conv.tail = r;
  return r;
}

/**
 * The body buf[off..off+datalen) (reported end `reportedEnd`): de-chunked, decompressed, then
 * handed to the dissector of its media type. Returns the bytes it used from `off`.
 */
function dissectBody(
  p: Packet,
  buf: Uint8Array,
  off: number,
  datalen: number,
  reportedEnd: number,
  top: number,
): number {
  const t = p.tree;
  const h = headers;
  let used = datalen;
  let body = buf;
  let bodyOff = off;
  let bodyEnd = reportedEnd;
  const savedSource = t.currentSource;
  if (h.chunked) {
    if (!httpPreferences.dechunkBody) {
      dissectData(p, buf, off, reportedEnd);
      return datalen;
    }
    const r = dechunk(p, buf, off, reportedEnd);
    if (ctx.aborted || r === undefined) return r === undefined ? used : 0;
    used = r.consumed;
    const src = p.addSource('De-chunked entity body', r.data);
    t.currentSource = src;
    body = r.data;
    bodyOff = 0;
    bodyEnd = r.data.length;
  }
  if (h.transferEncoding === TE_COMPRESS || h.transferEncoding === TE_DEFLATE || h.transferEncoding === TE_GZIP) {
    // Compressed transfer codings are shown as data (Wireshark does not decode them).
    dissectData(p, body, bodyOff, bodyEnd);
    t.currentSource = savedSource;
    return used;
  }
  const enc = h.contentEncoding;
  if (enc !== undefined && enc.toLowerCase() !== 'identity') {
    const lower = enc.toLowerCase();
    const captured = Math.min(bodyEnd, body.length) - bodyOff;
    let plain: Uint8Array | undefined;
    if (
      httpPreferences.decompressBody &&
      (lower === 'gzip' || lower === 'deflate' || lower === 'x-gzip' || lower === 'x-deflate')
    )
      plain = inflateBody(body.subarray(bodyOff, bodyOff + captured));
    const ei = t.addText(bodyOff, captured, '');
    const label = `Content-encoded entity body (${enc}): ${captured} bytes`;
    if (plain === undefined) {
      if (t.full) t.setLabel(ei, label);
      t.open(ei);
      if (httpPreferences.decompressBody)
        p.expert('HTTP', 'http.decompression_failed', 'warn', 'undecoded', 'Decompression failed', bodyOff, captured);
      dissectData(p, body, bodyOff, bodyEnd);
      t.close();
      t.currentSource = savedSource;
      return used;
    }
    if (t.full) t.setLabel(ei, `${label} -> ${plain.length} bytes`);
    const src = p.addSource('Uncompressed entity body', plain);
    t.currentSource = src;
    body = plain;
    bodyOff = 0;
    bodyEnd = plain.length;
  }
  const bodyCaptured = Math.max(0, Math.min(bodyEnd, body.length) - bodyOff);
  if (t.keeps(F.fileData)) {
    const fi = t.addValue(F.fileData, bodyOff, bodyCaptured, asciiValue(body, bodyOff, bodyOff + bodyCaptured));
    if (t.full) t.setLabel(fi, `File Data: ${bodyCaptured} bytes`);
  }
  if (bodyCaptured === 0) {
    t.currentSource = savedSource;
    return used;
  }
  const type = h.contentType;
  let dissected = false;
  let handler = type !== undefined ? mediaTypeTable.get(type) : undefined;
  // An unknown multipart subtype is still tried as multipart.
  if (handler === undefined && type !== undefined && type.startsWith('multipart/'))
    handler = mediaTypeTable.get('multipart/');
  if (handler !== undefined) {
    t.closeAll();
    mediaMatch.type = type ?? '';
    mediaMatch.parameters = h.contentTypeParameters;
    dissected = handler(p, body, bodyOff, bodyEnd) !== NOT_MINE;
    mediaMatch.type = '';
    mediaMatch.parameters = '';
    if (!dissected) {
      t.open(top);
      p.expert(
        'HTTP',
        'http.subdissector_failed',
        'note',
        'malformed',
        'HTTP body subdissector failed, trying heuristic subdissector',
        0,
        0,
      );
      t.close();
    }
  }
  if (!dissected) {
    t.closeAll();
    dissected = httpHeuristics.try(p, body, bodyOff, bodyEnd);
  }
  if (!dissected) {
    if (type !== undefined) {
      t.closeAll();
      mediaMatch.type = type;
      mediaMatch.parameters = h.contentTypeParameters;
      dissectMedia(p, body, bodyOff, bodyEnd);
      mediaMatch.type = '';
      mediaMatch.parameters = '';
    } else {
      t.closeAll();
      t.open(top);
      dissectData(p, body, bodyOff, bodyEnd);
      t.close();
    }
  }
  t.currentSource = savedSource;
  return used;
}

/** Upper bound of a de-chunked body (bytes); a longer one is cut there. */
const MAX_DECHUNKED = 64 * 1024 * 1024;

/**
 * chunked_encoding_dissector over buf[off..end): the chunk items and the de-chunked data, with
 * the length of the chunked body; undefined when no chunk was found (ctx.aborted on a bounds error).
 */
function dechunk(
  p: Packet,
  buf: Uint8Array,
  off: number,
  end: number,
): { consumed: number; data: Uint8Array } | undefined {
  const t = p.tree;
  const capEnd = Math.min(end, buf.length);
  const origLen = end - off;
  let datalen = origLen;
  let o = off;
  const sub = t.addText(off, origLen, 'HTTP chunked response');
  t.open(sub);
  const pieces: Uint8Array[] = [];
  let total = 0;
  while (datalen > 0) {
    const len = findLineEnd(buf, o, Math.max(0, capEnd - o), true);
    if (len <= 0) break;
    const chunkOff = lineNext;
    let sizeEnd = o + len;
    for (let k = o; k < sizeEnd; k++)
      if (buf[k] === 0x3b) {
        sizeEnd = k;
        break;
      }
    let size = parseChunkSize(buf, o, sizeEnd);
    if (size < 0) size = 0;
    if (size > 0xffffffff) size = 0xffffffff;
    if (size > datalen) size = datalen;
    if (chunkOff + size > capEnd) {
      // Copying the chunk runs past the data: Wireshark's bounds exception.
      t.closeAll();
      if (chunkOff + size > end) p.malformed(ctx.tag);
      else p.truncated(ctx.tag);
      ctx.aborted = true;
      return undefined;
    }
    if (size > 0 && total + size <= MAX_DECHUNKED) {
      pieces.push(buf.subarray(chunkOff, chunkOff + size));
      total += size;
    }
    const ci = t.addText(
      o,
      chunkOff - o + size + 2,
      size === 0 ? 'End of chunked encoding' : `Data chunk (${size} octets)`,
    );
    t.open(ci);
    const si = t.add(F.chunkSize, o, chunkOff - o, size);
    if (t.full) t.setLabel(si, `Chunk size: ${size} octet${size === 1 ? '' : 's'}`);
    if (size > 0) {
      t.add(F.chunkData, chunkOff, size);
      if (chunkOff + size + 2 <= capEnd) t.add(F.chunkBoundary, chunkOff + size, 2);
    }
    t.close();
    o = chunkOff + size;
    if (size > 0) o += 2;
    datalen = end - o;
    if (size === 0) {
      // trailer-part CRLF (RFC 7230 §4.1.2).
      let trailerOff = o;
      let trailerLen: number;
      let fieldLen: number;
      do {
        trailerLen = trailerOff - o;
        fieldLen = findLineEnd(buf, trailerOff, Math.max(0, Math.min(datalen - trailerLen, capEnd - trailerOff)), true);
        if (fieldLen >= 0) trailerOff = lineNext;
      } while (fieldLen > 0);
      if (trailerLen > 0) {
        t.addValue(F.chunkedTrailerPart, o, trailerLen, asciiValue(buf, o, o + trailerLen));
        o += trailerLen;
        datalen -= trailerLen;
      }
      if (fieldLen === 0) {
        t.addText(o, trailerOff - o, formatText(buf, o, trailerOff));
        datalen -= trailerOff - o;
      }
      break;
    }
  }
  t.close();
  if (datalen >= origLen) return undefined;
  if (sub >= 0) t.setLength(sub, origLen - datalen);
  const data = new Uint8Array(total);
  let at = 0;
  for (const piece of pieces) {
    data.set(piece, at);
    at += piece.length;
  }
  return { consumed: origLen - datalen, data };
}

/**
 * HTTP over TCP (dissect_http_tcp and dissect_http_on_stream): the messages of buf[off..end),
 * or the tunnelled protocol after a CONNECT or an Upgrade.
 */
export function dissectHttpTcp(p: Packet, buf: Uint8Array, off: number, end: number): number | void {
  const state = stateOf(p);
  const key = convKey(p);
  const conv = convOf(p, state, key);
  ctx.conv = conv;
  ctx.state = state;
  ctx.tag = 'HTTP';
  ctx.layer = 'http';
  ctx.protoField = F.http;
  ctx.layerAdded = false;
  ctx.aborted = false;
  ctx.base = off;
  const frame = p.meta.number;

  // After a CONNECT answered with 200, the stream carries the tunnelled protocol.
  if (
    frame >= conv.startFrame &&
    conv.responseCode === 200 &&
    conv.requestMethod === 'CONNECT' &&
    conv.requestUri !== undefined
  ) {
    if (conv.startFrame === 0 && p.session.firstPass === undefined) {
      conv.startFrame = frame;
      conv.startOffset = 0;
      conv.serverPort = p.dstPort;
      conv.serverAddr = addrKey(p, false);
    }
    connectPayload(p, buf, off, end, conv);
    return end;
  }

  const endOfStream = (currentTcpFlags() & TH.FIN) !== 0;
  let at = off;
  while (end - at > 0) {
    if (conv.startFrame && (frame > conv.startFrame || (frame === conv.startFrame && at - off >= conv.startOffset))) {
      // After a 101 Switching Protocols the stream is another protocol; HTTP stays in the
      // layers (it hands the bytes on) and, without a dissector for that protocol, shows data.
      if (!ctx.layerAdded) {
        p.addLayer(ctx.layer);
        ctx.layerAdded = true;
      }
      const up = conv.upgradeProtocol;
      const next = up ? (httpUpgradeTable.get(up) ?? httpUpgradeTable.get(up.split('/')[0])) : undefined;
      if (next !== undefined) next(p, buf, at, end);
      else dissectData(p, buf, at, end);
      break;
    }
    const len = dissectMessage(p, buf, at, end, endOfStream);
    if (len === -1 || ctx.aborted) break;
    at += len;
    // The first message keeps its Info text; later ones append after it.
    p.fenceInfo();
    if (len === 0) break;
  }
  return end;
}

/** http_payload_subdissector: the tunnelled bytes go to the dissector of the CONNECT port. */
function connectPayload(p: Packet, buf: Uint8Array, off: number, end: number, conv: HttpConv): void {
  const uri = conv.requestUri ?? '';
  const colon = uri.indexOf(':');
  if (colon < 0) return;
  const host = uri.slice(0, colon);
  const portText = uri.slice(colon + 1);
  const port = parseInt(portText, 10);
  const uriPort = Number.isNaN(port) ? 0 : port & 0xffff;
  const t = p.tree;
  if (!ctx.layerAdded) {
    p.addLayer('http');
    ctx.layerAdded = true;
  }
  const hi = t.add(F.http, off, Math.max(0, Math.min(end, buf.length) - off));
  t.open(hi);
  t.addValue(F.proxyConnectHost, 0, 0, host, GENERATED);
  t.add(F.proxyConnectPort, 0, 0, uriPort, GENERATED);
  t.close();
  const fromServer = p.srcPort === conv.serverPort && addrKey(p, true) === conv.serverAddr;
  if (HTTP_TCP_PORTS.includes(uriPort)) {
    dissectData(p, buf, off, end);
    return;
  }
  const src = fromServer ? uriPort : p.srcPort;
  const dst = fromServer ? p.dstPort : uriPort;
  dissectTcpPayload(p, buf, off, end, src, dst, 0);
}

/**
 * The http_tcp heuristic: a first line that starts or ends with "HTTP/1." makes the whole TCP
 * conversation HTTP from this frame on (conversation_set_dissector).
 */
export function httpHeuristic(p: Packet, buf: Uint8Array, off: number, end: number): boolean {
  const state = stateOf(p);
  const key = convKey(p);
  const frame = p.meta.number;
  let from = state.heuristicFrom.get(key);
  if (from === undefined) from = p.session.firstPass?.protocolState('http', newState).heuristicFrom.get(key);
  if (from !== undefined && frame >= from) {
    dissectHttpTcp(p, buf, off, end);
    return true;
  }
  const capEnd = Math.min(end, buf.length);
  const len = findLineEnd(buf, off, capEnd - off, true);
  if (len === -1 || len === 8) return false;
  const atEnd = len >= 8 && startsWithNoCase(buf, off + len - 8, capEnd, 'HTTP/1.');
  if (!atEnd && !startsWithNoCase(buf, off, capEnd, 'HTTP/1.')) return false;
  if (!state.heuristicFrom.has(key)) state.heuristicFrom.set(key, frame);
  dissectHttpTcp(p, buf, off, end);
  return true;
}

/** SSDP (UPnP discovery): one HTTP message per UDP datagram on port 1900 (dissect_ssdp). */
export function dissectSsdp(p: Packet, buf: Uint8Array, off: number, end: number): number {
  const state = stateOf(p);
  const a = `${addrKey(p, true)}:${p.srcPort}`;
  const b = `${addrKey(p, false)}:${p.dstPort}`;
  const key = a < b ? `u|${a}|${b}` : `u|${b}|${a}`;
  ctx.conv = convOf(p, state, key);
  ctx.state = state;
  ctx.tag = 'SSDP';
  ctx.layer = 'ssdp';
  ctx.protoField = F.ssdp;
  ctx.layerAdded = false;
  ctx.aborted = false;
  ctx.base = off;
  // As over TCP, the layer shows only when something looked like HTTP (tshark: a binary datagram
  // on port 1900 is plain UDP, without data).
  ctx.layerAdded = false;
  dissectMessage(p, buf, off, end, false);
  return end;
}

for (const port of HTTP_TCP_PORTS) tcpPortTable.add(port, dissectHttpTcp);
udpPortTable.add(1900, dissectSsdp);
tcpHeuristics.add('http_tcp', httpHeuristic);
