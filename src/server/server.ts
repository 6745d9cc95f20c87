// The local HTTP server behind `synack ui`: it serves the built web app (dist/web) and the one
// capture it was given, nothing else, with headers that keep a capture's hostile bytes from ever
// running as code. node:http is enough for two routes and a static folder; no framework needed.

import { createReadStream, existsSync } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, extname, join, resolve, sep } from 'node:path';
import { resolveAppFile } from './request-path.js';
import { defaultAppDir } from './app-dir.js';

export interface ServerOptions {
  /** The capture served at /capture; without one, /capture and /capture/meta answer 404. */
  capture?: string;
  /** Address to listen on; 127.0.0.1 unless told otherwise. */
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** The built app (index.html and its assets); dist/web of this checkout by default. */
  appDir?: string;
}

export interface RunningServer {
  /** Where the app is, e.g. http://127.0.0.1:8742/ */
  url: string;
  /** The address it listens on, e.g. 127.0.0.1. */
  address: string;
  port: number;
  close(): Promise<void>;
}

/** The policy of every response: only the app's own scripts, styles and workers; nothing inline. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; worker-src 'self' blob:; img-src 'self' data:; " +
  "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  // With COOP, this makes the page cross-origin isolated: its workers may then share memory
  // (SharedArrayBuffer), so the capture's bytes are held once for all of them.
  'Cross-Origin-Embedder-Policy': 'require-corp',
  // Other sites may not even embed our responses (e.g. the capture as an <img> or <script>).
  'Cross-Origin-Resource-Policy': 'same-origin',
};

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

/** Host names a browser uses for a server on the loopback interface. */
const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

function isLoopback(host: string): boolean {
  return LOOPBACK_NAMES.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** The host part of a Host header (`[::1]:80` -> `[::1]`, `localhost:80` -> `localhost`). */
function hostName(header: string): string {
  const h = header.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  const colon = h.lastIndexOf(':');
  return colon < 0 ? h : h.slice(0, colon);
}

function send(res: ServerResponse, status: number, text: string, extra: Record<string, string> = {}): void {
  const body = Buffer.from(text + '\n', 'utf8');
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': String(body.length),
    'Cache-Control': 'no-store',
    ...extra,
  });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

function sendFile(res: ServerResponse, file: string, size: number, headers: Record<string, string>): void {
  res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Length': String(size), ...headers });
  if (res.req.method === 'HEAD' || size === 0) {
    res.end();
    return;
  }
  // Exactly the announced length, even if the file grows meanwhile (a capture still being written).
  // Large reads: a capture of hundreds of MB in 64 KB pieces costs noticeably more CPU.
  const stream = createReadStream(file, { start: 0, end: size - 1, highWaterMark: 1 << 20 });
  // The length is already sent: a read error can only cut the response short.
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}

/** Starts the server; resolves once it listens. */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const appDir = resolve(options.appDir ?? defaultAppDir());
  if (!existsSync(join(appDir, 'index.html'))) {
    throw new Error(`the web app is not built (no ${join(appDir, 'index.html')}); run \`npm run build\` first`);
  }
  const appDirReal = await realpath(appDir);
  let capture: { path: string; name: string } | null = null;
  if (options.capture !== undefined) {
    const path = resolve(options.capture);
    const info = await stat(path).catch(() => null);
    if (!info) throw new Error(`cannot open the capture ${options.capture}: no such file`);
    if (!info.isFile()) throw new Error(`cannot open the capture ${options.capture}: not a regular file`);
    capture = { path, name: basename(path) };
  }
  // Bound to loopback, answer only to loopback names: a web page whose own domain was re-pointed to
  // 127.0.0.1 (DNS rebinding) sends its own Host and must not read the capture.
  const checkHost = isLoopback(host);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, '405 Method Not Allowed: only GET and HEAD', { Allow: 'GET, HEAD' });
      return;
    }
    if (checkHost && !isLoopback(hostName(req.headers.host ?? ''))) {
      send(res, 403, '403 Forbidden: this server answers only to localhost, 127.0.0.1 or [::1]');
      return;
    }
    const raw = req.url ?? '/';
    const end = raw.search(/[?#]/);
    const path = end < 0 ? raw : raw.slice(0, end);
    if (path === '/capture' || path === '/capture/meta') {
      if (!capture) {
        send(res, 404, '404 Not Found: no capture was given to the server');
        return;
      }
      const info = await stat(capture.path).catch(() => null);
      if (!info || !info.isFile()) {
        send(res, 404, '404 Not Found: the capture file is gone');
        return;
      }
      if (path === '/capture/meta') {
        const body = JSON.stringify({ name: capture.name, size: info.size });
        send(res, 200, body, { 'Content-Type': 'application/json; charset=utf-8' });
        return;
      }
      sendFile(res, capture.path, info.size, {
        'Content-Type': 'application/octet-stream',
        'Cache-Control': 'no-store',
      });
      return;
    }
    const found = await resolveAppFile(appDirReal, path);
    if (found.kind === 'refused') {
      send(res, found.status, found.status === 400 ? `400 Bad Request: ${found.reason}` : '404 Not Found');
      return;
    }
    const type = CONTENT_TYPES[extname(found.file).toLowerCase()] ?? 'application/octet-stream';
    // Vite names assets by content hash: they never change; index.html must be asked for again.
    const cache = found.file.startsWith(join(appDirReal, 'assets') + sep)
      ? 'public, max-age=31536000, immutable'
      : 'no-cache';
    sendFile(res, found.file, found.size, { 'Content-Type': type, 'Cache-Control': cache });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, '500 Internal Server Error');
      else res.destroy();
    });
  });
  // Requests that Node's own parser rejects (a path starting with a backslash, bad headers) get the headers too.
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable || err.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const body = '400 Bad Request\n';
    const head = Object.entries({
      ...SECURITY_HEADERS,
      'Content-Type': 'text/plain; charset=utf-8',
      'Content-Length': String(body.length),
      Connection: 'close',
    })
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    socket.end(`HTTP/1.1 400 Bad Request\r\n${head}\r\n${body}`);
  });
  await new Promise<void>((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', rejectListen);
      resolveListen();
    });
  });
  const { address, port } = server.address() as AddressInfo;
  // A wildcard address is reachable locally as 127.0.0.1; IPv6 literals need brackets in a URL.
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shown}:${port}/`,
    address,
    port,
    close: () =>
      new Promise<void>((resolveClose) => {
        server.close(() => resolveClose());
        // The browser keeps connections alive; without this close() waits for them to time out.
        server.closeAllConnections();
      }),
  };
}
