// The benchmark capture: thousands of interleaved TCP connections over Ethernet/IPv4, seen from a tap
// next to the servers, made deterministically from a seed and written with synack's own pcap writer.
// Every connection has a handshake, HTTP-like (or TLS-record) requests and multi-segment responses with
// delayed ACKs and slow-start flights, and a FIN teardown; checksums, sequence/ack numbers and TCP
// timestamps are consistent, so tshark and tcpdump read the file without complaint.

import { closeSync, openSync, writeSync } from 'node:fs';
import { PcapWriter, writeRecordInto } from '../src/core/capture/pcap-writer.js';

/** Bump when the bytes written for a given seed and packet count change: it invalidates cached files. */
export const GENERATOR_VERSION = 1;

export interface GenerateOptions {
  path: string;
  packets: number;
  seed: number;
}

export interface GenerateResult {
  packets: number;
  bytes: number;
  connections: number;
  /** Capture duration in seconds (first to last packet). */
  duration: number;
}

const LINKTYPE_ETHERNET = 1;
const MSS = 1448; // 1460 minus the 12 bytes of the timestamps option every segment carries
const CAPTURE_START = 1710234000; // 2024-03-12 09:00:00 UTC
const CONNECTIONS_PER_SECOND = 2500;

const FIN = 0x01;
const SYN = 0x02;
const PSH = 0x08;
const ACK = 0x10;

/** mulberry32: small, fast and good enough to make traffic look varied (generate-http.ts uses it too). */
export class Random {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  /** Log-uniform in [lo, hi]: as many values between 1 and 10 ms as between 10 and 100 ms. */
  logUniform(lo: number, hi: number): number {
    return Math.round(lo * Math.pow(hi / lo, this.next()));
  }
  uint32(): number {
    return Math.floor(this.next() * 4294967296) >>> 0;
  }
  /** One of `items`, uniformly. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
}

type PayloadKind = 'http' | 'tls';

interface Server {
  ip: number;
  port: number;
  kind: PayloadKind;
  weight: number;
  name: string;
}

function ipv4(text: string): number {
  const [a, b, c, d] = text.split('.').map(Number);
  return ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
}

// A few servers; ports 80 and 443 carry about a quarter of the connections, so filters on them select a subset.
const SERVERS: Server[] = [
  { ip: ipv4('172.16.5.10'), port: 8080, kind: 'http', weight: 30, name: 'app.internal' },
  { ip: ipv4('172.16.5.11'), port: 3000, kind: 'http', weight: 22, name: 'api.internal' },
  { ip: ipv4('192.168.50.2'), port: 8443, kind: 'tls', weight: 20, name: 'auth.internal' },
  { ip: ipv4('10.20.0.80'), port: 80, kind: 'http', weight: 10, name: 'intranet.example' },
  { ip: ipv4('10.20.0.43'), port: 443, kind: 'tls', weight: 8, name: 'portal.example' },
  { ip: ipv4('203.0.113.80'), port: 80, kind: 'http', weight: 5, name: 'www.example.com' },
  { ip: ipv4('198.51.100.43'), port: 443, kind: 'tls', weight: 5, name: 'cdn.example.net' },
];
const SERVER_WEIGHT_TOTAL = SERVERS.reduce((sum, s) => sum + s.weight, 0);

// Capture point: between the router (client side) and the servers' switch.
const ROUTER_MAC = new Uint8Array([0x00, 0x1b, 0x21, 0x3a, 0x4f, 0x01]);
const SERVER_MACS = SERVERS.map((_, i) => new Uint8Array([0x52, 0x54, 0x00, 0x5e, 0x00, i + 1]));

interface ClientHost {
  ip: number;
  ttl: number;
  tsBase: number;
  nextPort: number;
}

/** Client addresses: a bit over half in 10.0.0.0/8, the rest in other private and public ranges. */
function makeClients(random: Random, count: number): ClientHost[] {
  const clients: ClientHost[] = [];
  const seen = new Set<number>();
  while (clients.length < count) {
    const r = random.next();
    let ip: number;
    if (r < 0.55) ip = ipv4('10.0.0.0') + random.int(0x010000, 0xfffffe);
    else if (r < 0.75) ip = ipv4('192.168.0.0') + random.int(0x0100, 0xfffe);
    else if (r < 0.85) ip = ipv4('172.16.0.0') + random.int(0x010000, 0x0ffffe);
    else if (r < 0.93) ip = ipv4('100.64.0.0') + random.int(0x010000, 0x3ffffe);
    else ip = (ipv4('81.0.0.0') + random.int(0, 0x0effffff)) >>> 0;
    if ((ip & 0xff) === 0 || (ip & 0xff) === 0xff || seen.has(ip)) continue;
    seen.add(ip);
    clients.push({ ip, ttl: 64 - random.int(1, 8), tsBase: random.uint32(), nextPort: random.int(32768, 60999) });
  }
  return clients;
}

/** An application message (request or response): a literal head and a generated remainder. */
interface Message {
  kind: PayloadKind;
  head: Uint8Array;
  length: number;
  /** Where in the filler table the generated part starts, so messages differ. */
  salt: number;
}

const FILLER_SIZE = 65536;
const encoder = new TextEncoder();

function makeHtmlFiller(): Uint8Array {
  const words = ['synack', 'packet', 'stream', 'window', 'segment', 'handshake', 'latency', 'socket', 'frame'];
  let text = '<!DOCTYPE html>\n<html><head><title>Items</title></head><body><ul>\n';
  for (let i = 0; text.length < FILLER_SIZE; i++) {
    text += `<li class="item" data-id="${i}"><a href="/items/${i}">${words[i % words.length]} ${i * 7919}</a></li>\n`;
  }
  return encoder.encode(text.slice(0, FILLER_SIZE));
}

function makeRandomFiller(random: Random): Uint8Array {
  const bytes = new Uint8Array(FILLER_SIZE);
  for (let i = 0; i < FILLER_SIZE; i++) bytes[i] = random.int(0, 255);
  return bytes;
}

const TLS_RECORD_BODY = 16401; // TLS 1.3: 16384 bytes of data, the content type byte and a 16-byte tag
const TLS_RECORD = 5 + TLS_RECORD_BODY;

/** An ASCII string of exactly `length` bytes (or as short as the fixed part allows). */
function padTo(fixed: string, tail: string, length: number, padChar: string): string {
  const pad = length - fixed.length - tail.length;
  return fixed + (pad > 0 ? padChar.repeat(pad) : '') + tail;
}

function httpRequest(random: Random, server: Server, length: number): Message {
  const paths = ['/api/v1/items', '/static/app.js', '/index.html', '/search', '/api/v2/orders', '/img/logo.png'];
  const fixed =
    `GET ${paths[random.int(0, paths.length - 1)]}?id=${random.int(1, 99999)} HTTP/1.1\r\n` +
    `Host: ${server.name}:${server.port}\r\n` +
    'User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0\r\n' +
    'Accept: text/html,application/json;q=0.9,*/*;q=0.8\r\nAccept-Encoding: gzip, deflate\r\n' +
    'Cookie: session=';
  const head = encoder.encode(padTo(fixed, '\r\n\r\n', length, 'a'));
  return { kind: 'http', head, length: head.length, salt: 0 };
}

function httpResponse(random: Random, total: number, close: boolean): Message {
  const notFound = random.next() < 0.04;
  const status = notFound ? '404 Not Found' : '200 OK';
  if (notFound) total = random.int(300, 600);
  const build = (bodyLength: number) =>
    `HTTP/1.1 ${status}\r\nServer: nginx/1.24.0\r\nDate: Tue, 12 Mar 2024 09:00:00 GMT\r\n` +
    `Content-Type: text/html; charset=utf-8\r\nContent-Length: ${bodyLength}\r\n` +
    `Connection: ${close ? 'close' : 'keep-alive'}\r\n\r\n`;
  // The head's length depends on the digits of the body length: a few rounds settle it (within a byte).
  let bodyLength = total;
  for (let i = 0; i < 3; i++) bodyLength = Math.max(0, total - build(bodyLength).length);
  const head = encoder.encode(build(bodyLength));
  return { kind: 'http', head, length: head.length + bodyLength, salt: random.int(0, FILLER_SIZE - 1) };
}

function tlsMessage(random: Random, length: number): Message {
  return { kind: 'tls', head: new Uint8Array(0), length: Math.max(length, 6), salt: random.int(0, FILLER_SIZE - 1) };
}

/** One packet of a connection, in capture order. */
interface Segment {
  time: number; // microseconds since the connection's first packet
  fromClient: boolean;
  flags: number;
  length: number;
  message: Message | null;
  messageOffset: number;
  // Filled by numberSegments():
  seq: number;
  ack: number;
  tsval: number;
  tsecr: number;
}

interface Connection {
  client: ClientHost;
  server: Server;
  serverIndex: number;
  clientPort: number;
  start: number; // microseconds since the capture's start
  segments: Segment[];
  next: number; // index of the next segment to write
  clientIsn: number;
  serverIsn: number;
  clientIpId: number;
  serverIpId: number;
  serverTsBase: number;
}

/** Time to put a frame on a 1 Gbit/s wire, in whole microseconds (at least 1, so order is strict). */
function wireTime(payload: number): number {
  return Math.max(1, Math.round(((14 + 20 + 32 + payload + 24) * 8) / 1000));
}

function responseSize(random: Random): number {
  const r = random.next();
  if (r < 0.45) return random.int(250, 1400); // fits one segment
  if (r < 0.85) return random.logUniform(1500, 16000); // a few segments
  return random.logUniform(16000, 120000); // a bulk download, several slow-start flights
}

/**
 * Plans one connection: when each packet passes the tap (next to the server, so the server's
 * packets answer at once and the client's come one RTT after what they answer) and what it carries.
 */
function planConnection(random: Random, server: Server): { segments: Segment[]; rtt: number } {
  const segments: Segment[] = [];
  const add = (
    time: number,
    fromClient: boolean,
    flags: number,
    length = 0,
    message: Message | null = null,
    offset = 0,
  ) =>
    segments.push({
      time,
      fromClient,
      flags,
      length,
      message,
      messageOffset: offset,
      seq: 0,
      ack: 0,
      tsval: 0,
      tsecr: 0,
    });

  const rtt = random.logUniform(300, 80000);
  const serverCloses = server.kind === 'http' && random.next() < 0.3;
  const r = random.next();
  const requests = r < 0.6 ? 1 : r < 0.8 ? 2 : random.int(3, 6);

  add(0, true, SYN);
  const synAck = random.int(20, 80);
  add(synAck, false, SYN | ACK);
  let t = synAck + rtt;
  add(t, true, ACK);

  let cwnd = 10; // RFC 6928 initial window
  let lastSegment = 0;
  for (let i = 0; i < requests; i++) {
    t += i === 0 ? random.int(5, 150) : random.logUniform(2000, 400000);
    const last = i === requests - 1;
    const request =
      server.kind === 'http'
        ? httpRequest(random, server, random.int(200, 600))
        : tlsMessage(random, random.int(200, 600));
    add(t, true, PSH | ACK, request.length, request);

    const processing = random.logUniform(80, 40000);
    // A slow answer gets the request acknowledged on its own first, as Linux does when the delayed ACK timer fires.
    if (processing > 20000) add(t + random.int(20, 60), false, ACK);
    const response =
      server.kind === 'http'
        ? httpResponse(random, responseSize(random), serverCloses && last)
        : tlsMessage(random, responseSize(random));
    const count = Math.ceil(response.length / MSS);
    const segmentTimes: number[] = [];
    let flightStart = t + processing;
    for (let sent = 0; sent < count;) {
      let at = flightStart;
      const flight = Math.min(cwnd, count - sent);
      for (let j = 0; j < flight; j++, sent++) {
        const offset = sent * MSS;
        const length = Math.min(MSS, response.length - offset);
        add(at, false, sent === count - 1 ? PSH | ACK : ACK, length, response, offset);
        segmentTimes.push(at);
        at += wireTime(length) + random.int(0, 2);
      }
      // Slow start: the next flight leaves when the first ACKs of this one come back, twice as large.
      flightStart = Math.max(flightStart + rtt, at);
      cwnd = Math.min(cwnd * 2, 256);
    }
    // Delayed ACKs: one for every second full segment, and one for the last.
    for (let j = 1; j < count; j += 2) add(segmentTimes[j] + rtt, true, ACK);
    if (count % 2 === 1) add(segmentTimes[count - 1] + rtt, true, ACK);
    lastSegment = segmentTimes[count - 1];
    t = lastSegment + rtt;
  }

  if (serverCloses) {
    // HTTP with "Connection: close": the server closes right after the last byte, the client follows.
    const serverFin = lastSegment + random.int(10, 40);
    add(serverFin, false, FIN | ACK);
    const clientFin = serverFin + rtt + random.int(0, 30);
    add(clientFin, true, FIN | ACK);
    add(clientFin + random.int(10, 50), false, ACK);
  } else {
    const clientFin = t + random.logUniform(500, 200000);
    add(clientFin, true, FIN | ACK);
    const serverFin = clientFin + random.int(20, 80);
    add(serverFin, false, FIN | ACK);
    add(serverFin + rtt, true, ACK);
  }

  segments.sort((a, b) => a.time - b.time); // stable: simultaneous packets keep their planned order
  return { segments, rtt };
}

/**
 * Sequence and acknowledgement numbers (relative) and TCP timestamps. The server has seen every client
 * packet before its own; a client packet acknowledges what the server sent at least one RTT earlier.
 */
function numberSegments(segments: Segment[], rtt: number, start: number, clientTsBase: number, serverTsBase: number) {
  let clientNext = 0;
  let serverNext = 0;
  let lastClientTsval = 0;
  let serverAcked = 0;
  let serverEcho = 0;
  const serverSent: Segment[] = [];
  let seen = 0;
  for (const s of segments) {
    const sequenceSpace = s.length + (s.flags & SYN ? 1 : 0) + (s.flags & FIN ? 1 : 0);
    const millis = Math.floor((start + s.time) / 1000);
    if (s.fromClient) {
      while (seen < serverSent.length && serverSent[seen].time <= s.time - rtt) {
        const answered = serverSent[seen++];
        serverAcked = answered.seq + answered.length + (answered.flags & (SYN | FIN) ? 1 : 0);
        serverEcho = answered.tsval;
      }
      s.seq = clientNext;
      s.ack = serverAcked;
      s.tsval = (clientTsBase + millis) >>> 0;
      s.tsecr = serverEcho;
      clientNext += sequenceSpace;
      lastClientTsval = s.tsval;
    } else {
      s.seq = serverNext;
      s.ack = clientNext;
      s.tsval = (serverTsBase + millis) >>> 0;
      s.tsecr = lastClientTsval;
      serverNext += sequenceSpace;
      serverSent.push(s);
    }
  }
}

/** Min-heap of connections by the time of their next packet. */
class ConnectionHeap {
  readonly items: Connection[] = [];
  private key(c: Connection): number {
    return c.start + c.segments[c.next].time;
  }
  get size(): number {
    return this.items.length;
  }
  peekTime(): number {
    return this.items.length ? this.key(this.items[0]) : Infinity;
  }
  push(c: Connection): void {
    const items = this.items;
    items.push(c);
    let i = items.length - 1;
    const k = this.key(c);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.key(items[parent]) <= k) break;
      items[i] = items[parent];
      i = parent;
    }
    items[i] = c;
  }
  /** Re-sorts after the top connection's next packet moved later in time. */
  updateTop(): void {
    this.siftDown(0);
  }
  removeTop(): void {
    const last = this.items.pop() as Connection;
    if (this.items.length === 0) return;
    this.items[0] = last;
    this.siftDown(0);
  }
  private siftDown(i: number): void {
    const items = this.items;
    const n = items.length;
    const c = items[i];
    const k = this.key(c);
    while (true) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && this.key(items[child + 1]) < this.key(items[child])) child++;
      if (this.key(items[child]) >= k) break;
      items[i] = items[child];
      i = child;
    }
    items[i] = c;
  }
}

/** Internet checksum (RFC 1071) of bytes[from, to), added to `sum`, not yet folded. */
export function sumWords(bytes: Uint8Array, from: number, to: number, sum: number): number {
  let i = from;
  for (; i + 1 < to; i += 2) sum += (bytes[i] << 8) | bytes[i + 1];
  if (i < to) sum += bytes[i] << 8;
  return sum;
}

/** The folded one's complement of a sum from sumWords: the checksum field's value. */
export function fold(sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 65536);
  return ~sum & 0xffff;
}

/** Copies message bytes [offset, offset + length) into out at `at`. */
function fillPayload(
  out: Uint8Array,
  at: number,
  m: Message,
  offset: number,
  length: number,
  html: Uint8Array,
  noise: Uint8Array,
) {
  const end = offset + length;
  let o = offset;
  if (m.kind === 'http') {
    if (o < m.head.length) {
      const n = Math.min(end, m.head.length) - o;
      out.set(m.head.subarray(o, o + n), at);
      at += n;
      o += n;
    }
    while (o < end) {
      const from = (o - m.head.length + m.salt) % FILLER_SIZE;
      const n = Math.min(end - o, FILLER_SIZE - from);
      out.set(html.subarray(from, from + n), at);
      at += n;
      o += n;
    }
    return;
  }
  // TLS: application-data records of at most TLS_RECORD bytes, each with its 5-byte header.
  while (o < end) {
    const recordStart = o - (o % TLS_RECORD);
    const inRecord = o - recordStart;
    if (inRecord < 5) {
      const bodyLength = Math.min(TLS_RECORD_BODY, m.length - recordStart - 5);
      const header = [0x17, 0x03, 0x03, bodyLength >> 8, bodyLength & 0xff];
      out[at++] = header[inRecord];
      o++;
      continue;
    }
    const from = (o + m.salt) % FILLER_SIZE;
    const n = Math.min(end - o, FILLER_SIZE - from, recordStart + TLS_RECORD - o);
    out.set(noise.subarray(from, from + n), at);
    at += n;
    o += n;
  }
}

/** Builds the Ethernet/IPv4/TCP frame for segment s of connection c into frame; returns its length. */
function buildFrame(frame: Uint8Array, view: DataView, c: Connection, s: Segment, html: Uint8Array, noise: Uint8Array) {
  const isSyn = (s.flags & SYN) !== 0;
  const optionsLength = isSyn ? 20 : 12;
  const tcpHeader = 20 + optionsLength;
  const ipTotal = 20 + tcpHeader + s.length;
  const serverMac = SERVER_MACS[c.serverIndex];
  frame.set(s.fromClient ? serverMac : ROUTER_MAC, 0);
  frame.set(s.fromClient ? ROUTER_MAC : serverMac, 6);
  view.setUint16(12, 0x0800);

  const srcIp = s.fromClient ? c.client.ip : c.server.ip;
  const dstIp = s.fromClient ? c.server.ip : c.client.ip;
  const ip = 14;
  view.setUint16(ip, 0x4500);
  view.setUint16(ip + 2, ipTotal);
  view.setUint16(ip + 4, s.fromClient ? c.clientIpId++ & 0xffff : c.serverIpId++ & 0xffff);
  view.setUint16(ip + 6, 0x4000); // DF
  frame[ip + 8] = s.fromClient ? c.client.ttl : 64;
  frame[ip + 9] = 6;
  view.setUint16(ip + 10, 0);
  view.setUint32(ip + 12, srcIp);
  view.setUint32(ip + 16, dstIp);
  view.setUint16(ip + 10, fold(sumWords(frame, ip, ip + 20, 0)));

  const tcp = ip + 20;
  view.setUint16(tcp, s.fromClient ? c.clientPort : c.server.port);
  view.setUint16(tcp + 2, s.fromClient ? c.server.port : c.clientPort);
  view.setUint32(tcp + 4, ((s.fromClient ? c.clientIsn : c.serverIsn) + s.seq) >>> 0);
  view.setUint32(tcp + 8, s.flags & ACK ? ((s.fromClient ? c.serverIsn : c.clientIsn) + s.ack) >>> 0 : 0);
  frame[tcp + 12] = (tcpHeader / 4) << 4;
  frame[tcp + 13] = s.flags;
  // Window: SYNs unscaled (Linux defaults), then scaled by 2^7; the client's is larger as it receives the bulk.
  view.setUint16(tcp + 14, isSyn ? (s.fromClient ? 64240 : 65160) : s.fromClient ? 2048 : 502);
  view.setUint16(tcp + 16, 0);
  view.setUint16(tcp + 18, 0);
  let o = tcp + 20;
  if (isSyn) {
    frame.set([2, 4, 0x05, 0xb4, 4, 2], o); // MSS 1460, SACK permitted
    o += 6;
  } else {
    frame[o++] = 1;
    frame[o++] = 1;
  }
  frame[o++] = 8; // timestamps
  frame[o++] = 10;
  view.setUint32(o, s.tsval);
  view.setUint32(o + 4, s.tsecr);
  o += 8;
  if (isSyn) {
    frame.set([1, 3, 3, 7], o); // NOP, window scale 7
    o += 4;
  }
  if (s.message) fillPayload(frame, o, s.message, s.messageOffset, s.length, html, noise);

  // TCP checksum over the pseudo-header (RFC 793 section 3.1) and the segment.
  const tcpLength = tcpHeader + s.length;
  let sum = (srcIp >>> 16) + (srcIp & 0xffff) + (dstIp >>> 16) + (dstIp & 0xffff) + 6 + tcpLength;
  sum = sumWords(frame, tcp, tcp + tcpLength, sum);
  view.setUint16(tcp + 16, fold(sum));
  return 14 + ipTotal;
}

/** Writes a capture of exactly `packets` packets to `path`. */
export function generateCapture(options: GenerateOptions): GenerateResult {
  const random = new Random(options.seed);
  const clients = makeClients(random, 4000);
  const html = makeHtmlFiller();
  const noise = makeRandomFiller(random);
  const heap = new ConnectionHeap();
  const frame = new Uint8Array(2048);
  const view = new DataView(frame.buffer);
  const writer = new PcapWriter({ linkType: LINKTYPE_ETHERNET, snaplen: 262144, nanosecond: false });
  const chunk = new Uint8Array(4 << 20);
  const fd = openSync(options.path, 'w');
  let bytes = 0;
  let offset = 0;
  const flush = () => {
    writeSync(fd, chunk, 0, offset);
    bytes += offset;
    offset = 0;
  };

  const header = writer.header();
  chunk.set(header, 0);
  offset = header.length;

  let nextArrival = 0;
  let connections = 0;
  let lastTime = 0;
  try {
    for (let written = 0; written < options.packets;) {
      if (nextArrival <= heap.peekTime()) {
        // Poisson arrivals of new connections.
        const pick = random.next() * SERVER_WEIGHT_TOTAL;
        let serverIndex = 0;
        for (let acc = SERVERS[0].weight; acc <= pick; acc += SERVERS[++serverIndex].weight);
        const server = SERVERS[serverIndex];
        const client = clients[random.int(0, clients.length - 1)];
        const clientPort = client.nextPort;
        client.nextPort = clientPort === 60999 ? 32768 : clientPort + 1;
        const { segments, rtt } = planConnection(random, server);
        const serverTsBase = random.uint32();
        numberSegments(segments, rtt, nextArrival, client.tsBase, serverTsBase);
        heap.push({
          client,
          server,
          serverIndex,
          clientPort,
          start: nextArrival,
          segments,
          next: 0,
          clientIsn: random.uint32(),
          serverIsn: random.uint32(),
          clientIpId: random.int(0, 65535),
          serverIpId: random.int(0, 65535),
          serverTsBase,
        });
        connections++;
        nextArrival += Math.max(1, Math.round((-Math.log(1 - random.next()) * 1e6) / CONNECTIONS_PER_SECOND));
        continue;
      }
      const c = heap.items[0];
      const s = c.segments[c.next];
      const time = c.start + s.time;
      const length = buildFrame(frame, view, c, s, html, noise);
      if (offset + 16 + length > chunk.length) flush();
      const tsSec = CAPTURE_START + Math.floor(time / 1e6);
      const tsNsec = (time % 1e6) * 1000;
      offset = writeRecordInto(chunk, offset, tsSec, tsNsec, frame.subarray(0, length), length, false);
      lastTime = time;
      written++;
      c.next++;
      if (c.next === c.segments.length) heap.removeTop();
      else heap.updateTop();
    }
    flush();
  } finally {
    closeSync(fd);
  }
  return { packets: options.packets, bytes, connections, duration: lastTime / 1e6 };
}
