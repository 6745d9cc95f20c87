// The UI server serves the app folder and the one capture it was given, nothing else: traversal in
// every spelling is refused without file contents, and every response carries the security headers.

import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, startServer, type RunningServer } from '../../src/server/server.js';
import { ARTIFACTS, ROOT, SAMPLE, ensureAppBuilt, launchBrowser, skipBrowserReason } from './harness.js';

const SECRET = 'SECRET-FILE-CONTENTS-7f3a';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** Sends the path exactly as written (no URL normalisation), as an attacker's client would. */
function fetchRaw(server: RunningServer, path: string, method = 'GET', host?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: server.port, path, method, headers: host ? { host } : {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

function expectSecurityHeaders(reply: Reply): void {
  expect(reply.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
  expect(reply.headers['x-content-type-options']).toBe('nosniff');
  expect(reply.headers['referrer-policy']).toBe('no-referrer');
  expect(reply.headers['cross-origin-opener-policy']).toBe('same-origin');
  expect(reply.headers['cross-origin-embedder-policy']).toBe('require-corp');
  expect(reply.headers['cross-origin-resource-policy']).toBe('same-origin');
}

let root: string;
let appDir: string;
let server: RunningServer;
let empty: RunningServer;

beforeAll(async () => {
  // root/secret.txt and root/package.json sit next to the app folder: what traversal would reach.
  root = mkdtempSync(join(tmpdir(), 'synack-server-'));
  appDir = join(root, 'web');
  mkdirSync(join(appDir, 'assets'), { recursive: true });
  writeFileSync(join(root, 'secret.txt'), SECRET);
  writeFileSync(join(root, 'package.json'), SECRET);
  writeFileSync(join(appDir, 'index.html'), '<!doctype html><title>app</title>');
  writeFileSync(join(appDir, 'assets', 'index-abc123.js'), 'console.log(1)');
  writeFileSync(join(appDir, 'assets', 'index-abc123.css'), 'body{}');
  symlinkSync(join(root, 'secret.txt'), join(appDir, 'link-out.txt'));
  symlinkSync(root, join(appDir, 'dir-link'));
  symlinkSync(join(appDir, 'index.html'), join(appDir, 'link-in.html'));
  server = await startServer({ appDir, capture: SAMPLE });
  empty = await startServer({ appDir });
});

afterAll(async () => {
  await server?.close();
  await empty?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('synack UI server', () => {
  it('listens on 127.0.0.1 by default, on a free port', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(server.address).toBe('127.0.0.1');
    expect(server.port).toBeGreaterThan(0);
  });

  it('serves index.html at / with the security headers', async () => {
    const r = await fetchRaw(server, '/');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.body.toString()).toContain('<title>app</title>');
    expectSecurityHeaders(r);
    expect((await fetchRaw(server, '/index.html?x=1')).status).toBe(200);
  });

  it('serves hashed assets with their type, cached for good', async () => {
    const js = await fetchRaw(server, '/assets/index-abc123.js');
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toContain('immutable');
    expect((await fetchRaw(server, '/assets/index-abc123.css')).headers['content-type']).toBe(
      'text/css; charset=utf-8',
    );
  });

  it('serves exactly the bytes of the given capture at /capture', async () => {
    const r = await fetchRaw(server, '/capture');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/octet-stream');
    expect(r.body.equals(readFileSync(SAMPLE))).toBe(true);
    expect(Number(r.headers['content-length'])).toBe(readFileSync(SAMPLE).length);
    expectSecurityHeaders(r);
  });

  it('describes the capture at /capture/meta', async () => {
    const r = await fetchRaw(server, '/capture/meta');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(r.body.toString())).toEqual({ name: 'http-handshake.pcap', size: readFileSync(SAMPLE).length });
    expectSecurityHeaders(r);
  });

  it('serves an empty capture file as an empty body (the app reports it, not the server)', async () => {
    const file = join(root, 'empty.pcap');
    writeFileSync(file, '');
    const one = await startServer({ appDir, capture: file });
    try {
      const r = await fetchRaw(one, '/capture');
      expect(r.status).toBe(200);
      expect(r.body.length).toBe(0);
      expect(r.headers['content-length']).toBe('0');
    } finally {
      await one.close();
    }
  });

  it('answers 404 for /capture and /capture/meta when no capture was given', async () => {
    for (const path of ['/capture', '/capture/meta']) {
      const r = await fetchRaw(empty, path);
      expect(r.status).toBe(404);
      expectSecurityHeaders(r);
    }
  });

  const traversals = [
    '/../package.json',
    '/../secret.txt',
    '/%2e%2e/%2e%2e/etc/passwd',
    '/%2E%2E/secret.txt',
    '/..%2fpackage.json',
    '/..%2Fsecret.txt',
    '/%2e%2e%2fsecret.txt',
    '/assets/../../secret.txt',
    '/assets/%2e%2e/%2e%2e/secret.txt',
    '//etc/passwd',
    '///etc/passwd',
    '/..\\package.json',
    '/..%5csecret.txt',
    '/%5c..%5csecret.txt',
    '\\..\\secret.txt',
    '/capture/../secret.txt',
    '/capture/../x',
    '/capture/%2e%2e/secret.txt',
    '/etc/passwd',
    '/%2fetc%2fpasswd',
    '/index.html%00.js',
    '/secret.txt%00',
    '/link-out.txt',
    '/dir-link/secret.txt',
    '/dir-link/package.json',
    '/./index.html',
    '/%252e%252e/secret.txt',
    '/C:/Windows/win.ini',
    'http://127.0.0.1/../secret.txt',
  ];
  for (const path of traversals) {
    it(`refuses ${JSON.stringify(path)} without the file's contents`, async () => {
      const r = await fetchRaw(server, path);
      expect([400, 404]).toContain(r.status);
      expect(r.body.toString()).not.toContain(SECRET);
      expect(r.body.toString()).not.toMatch(/root:.*:0:0:/);
      expectSecurityHeaders(r);
    });
  }

  it('follows a symbolic link that stays inside the app folder', async () => {
    const r = await fetchRaw(server, '/link-in.html');
    expect(r.status).toBe(200);
    expect(r.body.toString()).toContain('<title>app</title>');
  });

  it('answers 404 for a file that is not there and for a folder', async () => {
    expect((await fetchRaw(server, '/nope.js')).status).toBe(404);
    expect((await fetchRaw(server, '/assets')).status).toBe(404);
  });

  for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
    it(`answers 405 to ${method}, saying what is allowed`, async () => {
      for (const path of ['/', '/capture', '/index.html']) {
        const r = await fetchRaw(server, path, method);
        expect(r.status).toBe(405);
        expect(r.headers.allow).toBe('GET, HEAD');
        expectSecurityHeaders(r);
      }
    });
  }

  it('answers HEAD with the headers of GET and no body', async () => {
    const r = await fetchRaw(server, '/capture', 'HEAD');
    expect(r.status).toBe(200);
    expect(Number(r.headers['content-length'])).toBe(readFileSync(SAMPLE).length);
    expect(r.body.length).toBe(0);
    expectSecurityHeaders(r);
  });

  it('answers only to loopback host names (DNS rebinding)', async () => {
    const r = await fetchRaw(server, '/capture', 'GET', 'evil.example:80');
    expect(r.status).toBe(403);
    expect(r.body.toString()).not.toContain('pcap');
    expectSecurityHeaders(r);
    for (const host of [`localhost:${server.port}`, `127.0.0.1:${server.port}`, `[::1]:${server.port}`]) {
      expect((await fetchRaw(server, '/capture/meta', 'GET', host)).status).toBe(200);
    }
  });

  it('refuses to start without the built app or with a missing capture', async () => {
    await expect(startServer({ appDir: join(root, 'nothing') })).rejects.toThrow(/not built/);
    await expect(startServer({ appDir, capture: join(root, 'missing.pcap') })).rejects.toThrow(/no such file/);
    await expect(startServer({ appDir, capture: root })).rejects.toThrow(/not a regular file/);
  });
});

describe('synack ui (the command behind npm start)', () => {
  it('serves the bundled sample, prints its URL, and stops on Ctrl-C with status 0', async () => {
    await ensureAppBuilt();
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'synack'), 'ui', '--no-open', '--port', '0'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.setEncoding('utf8').on('data', (text: string) => {
          out += text;
          const m = /^synack UI: (http:\/\/127\.0\.0\.1:\d+\/)$/m.exec(out);
          if (m) resolve(m[1]);
        });
        void exited.then((code) => reject(new Error(`synack ui exited with ${code} before printing its URL`)));
      });
      const meta = await fetch(`${url}capture/meta`);
      expect(await meta.json()).toEqual({ name: 'http-handshake.pcap', size: readFileSync(SAMPLE).length });
      if (!skipBrowserReason) {
        // What a newcomer sees after `npm install && npm start`: the handshake in three panes.
        const browser = await launchBrowser();
        try {
          const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
          await page.goto(url);
          await page.waitForFunction(() => document.body.dataset.state === 'ready');
          expect(await page.locator('[data-testid=packet-row]').count()).toBe(12);
          await page.locator('[data-testid=packet-row][data-number="1"]').click();
          await page.waitForSelector('[data-testid=tree-item]');
          await page.waitForSelector('[data-testid=bytes] [data-offset]');
          mkdirSync(ARTIFACTS, { recursive: true });
          await page.screenshot({ path: join(ARTIFACTS, 'npm-start.png') });
        } finally {
          await browser.close();
        }
      }
      child.kill('SIGINT');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  }, 120_000);

  it('says what is wrong with a missing capture or a bad port', async () => {
    const run = (args: string[]) =>
      new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [join(ROOT, 'bin', 'synack'), 'ui', '--no-open', ...args], { cwd: ROOT });
        let stderr = '';
        child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
        child.on('exit', (code) => resolve({ code, stderr }));
      });
    const missing = await run(['no-such.pcap']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('cannot open no-such.pcap: no such file');
    const port = await run(['--port', '70000']);
    expect(port.code).toBe(1);
    expect(port.stderr).toContain('--port needs a port number');
  });
});
