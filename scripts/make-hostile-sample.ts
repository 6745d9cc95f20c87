// Makes test/fixtures/web/hostile.pcap: packets whose texts are HTML and script, in every place the
// web UI shows text from a capture (HTTP request line, headers and body, DNS names, TLS SNI, raw TCP
// and UDP payload). The safety test opens it in the browser and checks that nothing runs and nothing
// is injected. Written with synack's own pcap writer; deterministic (fixed times, ports, sequence
// numbers), so the test can check that the committed file is what this script makes.
//
//   node scripts/make-hostile-sample.mjs [OUT]     (default test/fixtures/web/hostile.pcap)

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { PcapWriter } from '../src/core/capture/pcap-writer.js';

/** Each payload sets window.__pwned to say where it came from, should it ever run. */
export const HOSTILE = {
  img: '<img src=x onerror=window.__pwned="img">',
  script: '<script>window.__pwned="script"</script>',
  svg: '"><svg onload=window.__pwned="svg">',
  iframe: '<iframe srcdoc="<script>parent.__pwned=1</script>">',
  link: 'javascript:window.__pwned="link"',
  template: "{{constructor.constructor('window.__pwned=1')()}}",
  style: '<style>*{background:url(//127.0.0.1:1/x)}</style>',
} as const;

const LINKTYPE_ETHERNET = 1;
const START = 1_700_000_000; // 2023-11-14 22:13:20 UTC
const CLIENT = [10, 66, 6, 1];
const SERVER = [10, 66, 6, 2];
const CLIENT_MAC = [0x02, 0, 0, 0, 0x66, 0x01];
const SERVER_MAC = [0x02, 0, 0, 0, 0x66, 0x02];

const SYN = 0x02;
const ACK = 0x10;
const PSH = 0x08;
const FIN = 0x01;

const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);

function concat(parts: (Uint8Array | number[])[]): Uint8Array {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const be16 = (n: number): number[] => [(n >>> 8) & 0xff, n & 0xff];
const be24 = (n: number): number[] => [(n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
const be32 = (n: number): number[] => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];

/** The Internet checksum (RFC 1071) of the given bytes, folded and complemented. */
function internetChecksum(bytes: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i + 1 < bytes.length; i += 2) sum += (bytes[i] << 8) | bytes[i + 1];
  if (bytes.length & 1) sum += bytes[bytes.length - 1] << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

let ipId = 0x4000;

/** Ethernet + IPv4 (no options) around a transport segment whose checksum is filled in here. */
function ipv4Frame(fromClient: boolean, proto: number, transport: Uint8Array, checksumAt: number): Uint8Array {
  const [src, dst] = fromClient ? [CLIENT, SERVER] : [SERVER, CLIENT];
  const pseudo = concat([src, dst, [0, proto], be16(transport.length), transport]);
  const sum = internetChecksum(pseudo);
  transport[checksumAt] = sum >>> 8;
  transport[checksumAt + 1] = sum & 0xff;
  const ip = new Uint8Array(
    concat([[0x45, 0], be16(20 + transport.length), be16(ipId++), [0x40, 0, 64, proto, 0, 0], src, dst]),
  );
  const ipSum = internetChecksum(ip);
  ip[10] = ipSum >>> 8;
  ip[11] = ipSum & 0xff;
  const [dmac, smac] = fromClient ? [SERVER_MAC, CLIENT_MAC] : [CLIENT_MAC, SERVER_MAC];
  return concat([dmac, smac, [0x08, 0x00], ip, transport]);
}

/** A TCP connection: keeps both sides' sequence numbers so every segment is consistent. */
class TcpFlow {
  private clientSeq: number;
  private serverSeq: number;
  constructor(
    private readonly frames: Uint8Array[],
    private readonly clientPort: number,
    private readonly serverPort: number,
    isn: number,
  ) {
    this.clientSeq = isn;
    this.serverSeq = (isn * 7 + 12345) >>> 0;
  }

  private segment(fromClient: boolean, flags: number, payload: Uint8Array = new Uint8Array(0)): void {
    const [sport, dport] = fromClient ? [this.clientPort, this.serverPort] : [this.serverPort, this.clientPort];
    const seq = fromClient ? this.clientSeq : this.serverSeq;
    const ack = flags & ACK ? (fromClient ? this.serverSeq : this.clientSeq) : 0;
    const tcp = concat([
      be16(sport),
      be16(dport),
      be32(seq),
      be32(ack),
      [0x50, flags],
      be16(64240),
      [0, 0, 0, 0],
      payload,
    ]);
    this.frames.push(ipv4Frame(fromClient, 6, tcp, 16));
    const used = payload.length + (flags & (SYN | FIN) ? 1 : 0);
    if (fromClient) this.clientSeq = (this.clientSeq + used) >>> 0;
    else this.serverSeq = (this.serverSeq + used) >>> 0;
  }

  handshake(): this {
    this.segment(true, SYN);
    this.segment(false, SYN | ACK);
    this.segment(true, ACK);
    return this;
  }

  send(fromClient: boolean, payload: Uint8Array): this {
    this.segment(fromClient, PSH | ACK, payload);
    this.segment(!fromClient, ACK);
    return this;
  }

  close(): this {
    this.segment(true, FIN | ACK);
    this.segment(false, FIN | ACK);
    this.segment(true, ACK);
    return this;
  }
}

function udp(frames: Uint8Array[], fromClient: boolean, sport: number, dport: number, payload: Uint8Array): void {
  const datagram = concat([be16(sport), be16(dport), be16(8 + payload.length), [0, 0], payload]);
  frames.push(ipv4Frame(fromClient, 17, datagram, 6));
}

/** A DNS name in wire format; labels may hold any byte but '.' separates them here. */
function dnsName(name: string): number[] {
  const out: number[] = [];
  for (const label of name.split('.')) {
    const bytes = ascii(label);
    out.push(bytes.length, ...bytes);
  }
  out.push(0);
  return out;
}

function dnsQuery(id: number, name: string): Uint8Array {
  return concat([be16(id), [0x01, 0x00], be16(1), be16(0), be16(0), be16(0), dnsName(name), be16(1), be16(1)]);
}

/** A response with the question, a CNAME to `target` and a TXT record holding `text`. */
function dnsResponse(id: number, name: string, target: string, text: string): Uint8Array {
  const cname = dnsName(target);
  const txt = ascii(text);
  return concat([
    be16(id),
    [0x81, 0x80],
    be16(1),
    be16(2),
    be16(0),
    be16(0),
    dnsName(name),
    be16(1),
    be16(1),
    [0xc0, 0x0c],
    be16(5),
    be16(1),
    be32(300),
    be16(cname.length),
    cname,
    [0xc0, 0x0c],
    be16(16),
    be16(1),
    be32(300),
    be16(txt.length + 1),
    [txt.length],
    txt,
  ]);
}

/** A TLS 1.2-framed ClientHello whose server_name extension (RFC 6066 section 3) is `sni`. */
function tlsClientHello(sni: string): Uint8Array {
  const name = ascii(sni);
  const serverName = concat([be16(name.length + 3), [0], be16(name.length), name]);
  const extensions = concat([be16(0), be16(serverName.length), serverName]);
  const random = Array.from({ length: 32 }, (_, i) => (i * 37 + 11) & 0xff);
  const body = concat([[3, 3], random, [0], be16(2), [0x13, 0x01], [1, 0], be16(extensions.length), extensions]);
  const handshake = concat([[1], be24(body.length), body]);
  return concat([[0x16, 3, 1], be16(handshake.length), handshake]);
}

/** The frames of the hostile capture, in order. */
export function hostileFrames(): Uint8Array[] {
  const frames: Uint8Array[] = [];
  const h = HOSTILE;
  ipId = 0x4000; // every call makes the same bytes

  // HTTP: markup in the request line, the headers, the response headers and the body.
  const request =
    `GET /${h.img}?q=${h.script} HTTP/1.1\r\n` +
    `Host: ${h.svg}\r\n` +
    `User-Agent: ${h.script}\r\n` +
    `Referer: ${h.link}\r\n` +
    `Cookie: session=${h.iframe}\r\n` +
    `X-Template: ${h.template}\r\n` +
    `Accept: */*\r\n\r\n`;
  const body = `<!doctype html><title>${h.img}</title>${h.script}${h.svg}${h.style}\n`;
  const response =
    `HTTP/1.1 200 ${h.img}\r\n` +
    `Server: ${h.svg}\r\n` +
    `Content-Type: text/html\r\n` +
    `Content-Length: ${ascii(body).length}\r\n` +
    `Location: ${h.link}\r\n\r\n` +
    body;
  new TcpFlow(frames, 40001, 80, 1000).handshake().send(true, ascii(request)).send(false, ascii(response)).close();

  // DNS: markup in the query name, a CNAME target and a TXT string.
  // Dots in the markup split it into labels; the name reads back the same.
  const queried = `${h.img}.example`;
  udp(frames, true, 53001, 53, dnsQuery(0x6b1d, queried));
  udp(frames, false, 53, 53001, dnsResponse(0x6b1d, queried, `${h.svg}.example`, h.iframe));

  // TLS: markup as the server name of a ClientHello.
  new TcpFlow(frames, 40002, 443, 5000).handshake().send(true, tlsClientHello(h.svg + h.img));

  // Raw TCP and UDP payload on ports no dissector claims.
  new TcpFlow(frames, 40003, 9999, 9000)
    .handshake()
    .send(true, ascii(`${h.script}${h.img}${h.svg}`))
    .send(false, ascii(h.style));
  udp(frames, true, 50000, 9998, ascii(`${h.iframe}${h.template}`));
  return frames;
}

/** The whole pcap file. */
export function buildHostileCapture(): Uint8Array {
  const writer = new PcapWriter({ linkType: LINKTYPE_ETHERNET });
  const records = hostileFrames().map((data, i) => writer.record({ tsSec: START + i, tsNsec: i * 1000, data }));
  return concat([writer.header(), ...records]);
}

/** Writes the capture to `out` and says what it wrote. */
export function writeHostileCapture(out: string): string {
  mkdirSync(dirname(out), { recursive: true });
  const bytes = buildHostileCapture();
  writeFileSync(out, bytes);
  return `wrote ${out} (${hostileFrames().length} packets, ${bytes.length} bytes)`;
}
