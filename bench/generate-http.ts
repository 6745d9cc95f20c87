// The HTTP benchmark capture: many interleaved HTTP/1.1 connections over Ethernet/IPv4/TCP, made
// deterministically from a seed and written with synack's own pcap writer. Each connection has a
// handshake, one to three request/response pairs (responses from one segment to many MSS-sized
// segments, bodies by Content-Length or chunked), delayed ACKs and a FIN teardown, so the HTTP
// dissector, TCP reassembly and request/response linking all work on every connection.

import { closeSync, openSync, writeSync } from 'node:fs';
import { PcapWriter, writeRecordInto } from '../src/core/capture/pcap-writer.js';
import { Random, fold, sumWords } from './generate.js';

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
  /** HTTP requests written (each answered unless the file ends first). */
  requests: number;
  /** Capture duration in seconds (first to last packet). */
  duration: number;
}

const LINKTYPE_ETHERNET = 1;
const MSS = 1448;
const CAPTURE_START = 1710234000; // 2024-03-12 09:00:00 UTC
/** Connections open at the same time; their packets interleave. */
const ACTIVE = 64;

const FIN = 0x01;
const SYN = 0x02;
const PSH = 0x08;
const ACK = 0x10;

const encoder = new TextEncoder();

const PATHS = ['/', '/index.html', '/api/v1/items', '/api/v1/orders', '/static/app.js', '/img/logo.png', '/search'];
const HOSTS = ['www.example.com', 'api.example.com', 'intranet.example', 'cdn.example.net'];
const STATUSES: readonly [number, string][] = [
  [200, 'OK'],
  [200, 'OK'],
  [200, 'OK'],
  [200, 'OK'],
  [200, 'OK'],
  [304, 'Not Modified'],
  [301, 'Moved Permanently'],
  [404, 'Not Found'],
  [500, 'Internal Server Error'],
];
const WORDS = ['synack', 'packet', 'stream', 'window', 'segment', 'handshake', 'latency', 'socket', 'frame'];

function requestBytes(random: Random, host: string, index: number): Uint8Array {
  const post = random.next() < 0.2;
  const path = `${random.pick(PATHS)}?id=${random.int(1, 99999)}&n=${index}`;
  let text =
    `${post ? 'POST' : 'GET'} ${path} HTTP/1.1\r\nHost: ${host}\r\n` +
    'User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0\r\n' +
    'Accept: text/html,application/json;q=0.9,*/*;q=0.8\r\nAccept-Encoding: identity\r\n';
  if (post) {
    const body = `name=${random.pick(WORDS)}&value=${random.int(0, 1e6)}`;
    text += `Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
  } else text += '\r\n';
  return encoder.encode(text);
}

function htmlBody(random: Random, length: number): string {
  let text = '<!DOCTYPE html>\n<html><body><ul>\n';
  for (let i = 0; text.length < length; i++)
    text += `<li data-id="${i}">${WORDS[(i + random.int(0, 8)) % WORDS.length]} ${i * 7919}</li>\n`;
  return text.slice(0, Math.max(0, length - 15)) + '\n</body></html>\n'.slice(0, length);
}

function responseBytes(random: Random): Uint8Array {
  const [code, phrase] = random.pick(STATUSES);
  const r = random.next();
  const size =
    code === 304 ? 0 : r < 0.5 ? random.int(100, 1200) : r < 0.85 ? random.int(1500, 12000) : random.int(12000, 60000);
  const body = htmlBody(random, size);
  let head = `HTTP/1.1 ${code} ${phrase}\r\nServer: nginx/1.24.0\r\nDate: Tue, 12 Mar 2024 09:00:00 GMT\r\n`;
  if (code === 304) return encoder.encode(head + '\r\n');
  head += 'Content-Type: text/html; charset=utf-8\r\n';
  if (random.next() < 0.35) {
    // Chunked: the body in pieces of a few hundred to a few thousand bytes, then the last chunk.
    let chunked = '';
    for (let at = 0; at < body.length;) {
      const n = Math.min(body.length - at, random.int(300, 4000));
      chunked += `${n.toString(16)}\r\n${body.slice(at, at + n)}\r\n`;
      at += n;
    }
    return encoder.encode(`${head}Transfer-Encoding: chunked\r\n\r\n${chunked}0\r\n\r\n`);
  }
  return encoder.encode(`${head}Content-Length: ${body.length}\r\n\r\n${body}`);
}

/** One packet of a connection: direction, flags and the payload bytes it carries. */
interface Segment {
  fromClient: boolean;
  flags: number;
  payload: Uint8Array | null;
}

interface Connection {
  clientIp: number;
  serverIp: number;
  clientPort: number;
  serverPort: number;
  segments: Segment[];
  next: number;
  clientSeq: number;
  serverSeq: number;
  ipId: number;
}

/** The packets of one connection in order: handshake, 1-3 exchanges, FIN teardown. */
function planConnection(random: Random, host: string, firstRequest: number): { segments: Segment[]; requests: number } {
  const segments: Segment[] = [];
  const add = (fromClient: boolean, flags: number, payload: Uint8Array | null = null) =>
    segments.push({ fromClient, flags, payload });
  add(true, SYN);
  add(false, SYN | ACK);
  add(true, ACK);
  const requests = random.int(1, 3);
  for (let i = 0; i < requests; i++) {
    add(true, PSH | ACK, requestBytes(random, host, firstRequest + i));
    if (random.next() < 0.3) add(false, ACK);
    const response = responseBytes(random);
    const count = Math.ceil(response.length / MSS);
    for (let k = 0; k < count; k++) {
      const piece = response.subarray(k * MSS, Math.min(response.length, (k + 1) * MSS));
      add(false, k === count - 1 ? PSH | ACK : ACK, piece);
      // Delayed ACKs: one for every second segment and one for the last.
      if (k % 2 === 1 || k === count - 1) add(true, ACK);
    }
  }
  add(true, FIN | ACK);
  add(false, FIN | ACK);
  add(true, ACK);
  return { segments, requests };
}

const CLIENT_MAC = [0x00, 0x1b, 0x21, 0x3a, 0x4f, 0x01];
const SERVER_MAC = [0x52, 0x54, 0x00, 0x5e, 0x00, 0x01];

/** Ethernet/IPv4/TCP frame for the connection's next segment; returns its length. */
function buildFrame(frame: Uint8Array, view: DataView, c: Connection, s: Segment): number {
  const payload = s.payload?.length ?? 0;
  const ipTotal = 20 + 20 + payload;
  frame.set(s.fromClient ? SERVER_MAC : CLIENT_MAC, 0);
  frame.set(s.fromClient ? CLIENT_MAC : SERVER_MAC, 6);
  view.setUint16(12, 0x0800);
  const ip = 14;
  view.setUint16(ip, 0x4500);
  view.setUint16(ip + 2, ipTotal);
  view.setUint16(ip + 4, c.ipId++ & 0xffff);
  view.setUint16(ip + 6, 0x4000);
  frame[ip + 8] = 64;
  frame[ip + 9] = 6;
  view.setUint16(ip + 10, 0);
  const src = s.fromClient ? c.clientIp : c.serverIp;
  const dst = s.fromClient ? c.serverIp : c.clientIp;
  view.setUint32(ip + 12, src);
  view.setUint32(ip + 16, dst);
  view.setUint16(ip + 10, fold(sumWords(frame, ip, ip + 20, 0)));
  const tcp = ip + 20;
  view.setUint16(tcp, s.fromClient ? c.clientPort : c.serverPort);
  view.setUint16(tcp + 2, s.fromClient ? c.serverPort : c.clientPort);
  const seq = s.fromClient ? c.clientSeq : c.serverSeq;
  const ack = s.fromClient ? c.serverSeq : c.clientSeq;
  view.setUint32(tcp + 4, seq >>> 0);
  view.setUint32(tcp + 8, s.flags & ACK ? ack >>> 0 : 0);
  frame[tcp + 12] = 5 << 4;
  frame[tcp + 13] = s.flags;
  view.setUint16(tcp + 14, 64240);
  view.setUint16(tcp + 16, 0);
  view.setUint16(tcp + 18, 0);
  if (s.payload) frame.set(s.payload, tcp + 20);
  let sum = (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + 6 + 20 + payload;
  sum = sumWords(frame, tcp, tcp + 20 + payload, sum);
  view.setUint16(tcp + 16, fold(sum));
  const space = payload + (s.flags & (SYN | FIN) ? 1 : 0);
  if (s.fromClient) c.clientSeq = (c.clientSeq + space) >>> 0;
  else c.serverSeq = (c.serverSeq + space) >>> 0;
  return 14 + ipTotal;
}

/** Writes a capture of exactly `packets` packets to `path`. */
export function generateHttpCapture(options: GenerateOptions): GenerateResult {
  const random = new Random(options.seed);
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

  const active: Connection[] = [];
  let connections = 0;
  let requests = 0;
  let time = 0; // microseconds since the capture's start
  const open = () => {
    const host = random.pick(HOSTS);
    const plan = planConnection(random, host, requests);
    requests += plan.requests;
    connections++;
    active.push({
      clientIp: (0x0a000000 + random.int(0x010000, 0xfffffe)) >>> 0,
      serverIp: (0xc0a83200 + HOSTS.indexOf(host) + 10) >>> 0,
      // A distinct port per connection (wrapping over 28,000 ports) so streams never collide.
      clientPort: 32768 + (connections % 28000),
      serverPort: random.next() < 0.7 ? 80 : 8080,
      segments: plan.segments,
      next: 0,
      clientSeq: Math.floor(random.next() * 4294967296) >>> 0,
      serverSeq: Math.floor(random.next() * 4294967296) >>> 0,
      ipId: random.int(0, 65535),
    });
  };
  try {
    for (let written = 0; written < options.packets; written++) {
      while (active.length < ACTIVE) open();
      const k = random.int(0, active.length - 1);
      const c = active[k];
      const s = c.segments[c.next++];
      const length = buildFrame(frame, view, c, s);
      if (offset + 16 + length > chunk.length) flush();
      time += random.int(5, 400);
      const tsSec = CAPTURE_START + Math.floor(time / 1e6);
      const tsNsec = (time % 1e6) * 1000;
      offset = writeRecordInto(chunk, offset, tsSec, tsNsec, frame.subarray(0, length), length, false);
      if (c.next === c.segments.length) active.splice(k, 1);
    }
    flush();
  } finally {
    closeSync(fd);
  }
  return { packets: options.packets, bytes, connections, requests, duration: time / 1e6 };
}
