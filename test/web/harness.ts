// Shared by every browser test and the UI benchmark: builds the web app when needed, starts synack's
// server in process on a free port with a given capture, drives Debian's chromium through
// playwright-core, and records what the page complains about (console errors, uncaught errors,
// Content-Security-Policy violations). Screenshots go to test/web/artifacts/ (git-ignored).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startServer, type RunningServer } from '../../src/server/server.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const APP_DIR = join(ROOT, 'dist', 'web');
export const ARTIFACTS = join(ROOT, 'test', 'web', 'artifacts');
export const SAMPLE = join(ROOT, 'samples', 'http-handshake.pcap');
export const CHROMIUM = process.env.SYNACK_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--no-first-run',
];

/**
 * Why the browser tests cannot run here, or null when they can. Only a developer's machine without
 * chromium skips; in CI (CI set) a missing browser is a failure, so the tests run and fail at launch.
 */
export const skipBrowserReason: string | null =
  !existsSync(CHROMIUM) && !process.env.CI
    ? `browser tests skipped: ${CHROMIUM} is missing (install it with \`apt-get install chromium\`, or run \`node scripts/ensure-chromium.mjs\`)`
    : null;
if (skipBrowserReason) console.warn(skipBrowserReason);

/** Newest modification time of the files under dir (0 when it does not exist). */
function newestMtime(dir: string): number {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const parent = entry.parentPath;
    if (parent.includes('node_modules')) continue;
    newest = Math.max(newest, statSync(join(parent, entry.name)).mtimeMs);
  }
  return newest;
}

/** True when dist/web is missing or older than its sources (web/, src/core/). */
export function appNeedsBuild(): boolean {
  const index = join(APP_DIR, 'index.html');
  if (!existsSync(index)) return true;
  if (process.env.SYNACK_WEB_NO_BUILD) return false;
  const built = statSync(index).mtimeMs;
  return newestMtime(join(ROOT, 'web')) > built || newestMtime(join(ROOT, 'src', 'core')) > built;
}

/**
 * Builds the app with `npm run build` when it is missing or stale. Test files run in parallel
 * processes: a lock folder makes one of them build while the others wait for it.
 */
export async function ensureAppBuilt(): Promise<void> {
  if (!appNeedsBuild()) return;
  const lock = join(ROOT, 'dist', '.web-build.lock');
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  const deadline = Date.now() + 300_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Someone else is building; a lock older than 5 minutes was left by a killed run.
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 300_000)
        rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`waited 5 minutes for ${lock}; remove it if no build is running`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    if (!appNeedsBuild()) return;
    const r = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
    if (r.status !== 0 || !existsSync(join(APP_DIR, 'index.html'))) {
      throw new Error(`\`npm run build\` did not make ${APP_DIR}/index.html:\n${r.stdout}${r.stderr}`);
    }
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: the browser tests need Debian's chromium (npm test installs it in CI)`);
  }
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** The states of the app (document.body.dataset.state), the DOM contract the tests are written against. */
export type AppState = 'empty' | 'loading' | 'ready' | 'filtering' | 'error';

export interface OpenOptions {
  /** Another app folder than dist/web (then nothing is built). */
  appDir?: string;
  /** The capture the server serves; none: the app's empty state. */
  capture?: string;
  /** The browser to use (e.g. one per test file); a fresh one when omitted, closed with the session. */
  browser?: Browser;
  viewport?: { width: number; height: number };
  colorScheme?: 'light' | 'dark';
  /** Wait for the first load; 'ready' by default when a capture is given, 'empty' otherwise; false: do not wait. */
  waitFor?: AppState | false;
  timeoutMs?: number;
  /** Called with the new page before it opens the app (e.g. to route its requests). */
  beforeOpen?: (page: Page) => Promise<void>;
}

export interface AppSession {
  server: RunningServer;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** console.error/console.warn texts and uncaught exceptions of the page. */
  consoleErrors: string[];
  /** Requests the server answered with 400 or more ("404 http://.../x"), but for the browser's own /favicon.ico. */
  httpErrors: string[];
  /** Content-Security-Policy violations: "directive blocked-uri sample". */
  cspViolations: string[];
  /** Waits until document.body.dataset.state is one of `states`; fails early on 'error'. */
  waitForState(states: AppState | AppState[], timeoutMs?: number): Promise<AppState>;
  waitReady(timeoutMs?: number): Promise<void>;
  /** Saves a PNG to test/web/artifacts/NAME.png and returns its path. */
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

declare global {
  interface Window {
    __synackCsp?: (text: string) => void;
  }
}

/** Starts the server, opens the app in a new page and records its errors. */
export async function openApp(options: OpenOptions = {}): Promise<AppSession> {
  if (!options.appDir) await ensureAppBuilt();
  const server = await startServer({ capture: options.capture, appDir: options.appDir ?? APP_DIR });
  const ownBrowser = !options.browser;
  let browser: Browser | undefined;
  try {
    browser = options.browser ?? (await launchBrowser());
    const context = await browser.newContext({
      viewport: options.viewport ?? { width: 1280, height: 800 },
      colorScheme: options.colorScheme ?? 'light',
    });
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    const cspViolations: string[] = [];
    const httpErrors: string[] = [];
    page.on('console', (message) => {
      // Chromium's "Failed to load resource" names no URL: httpErrors below says which one.
      if (message.text().startsWith('Failed to load resource')) return;
      if (message.type() === 'error' || message.type() === 'warning') consoleErrors.push(message.text());
    });
    page.on('response', (response) => {
      if (response.status() >= 400 && !response.url().endsWith('/favicon.ico')) {
        httpErrors.push(`${response.status()} ${response.url()}`);
      }
    });
    page.on('pageerror', (error) => consoleErrors.push(`uncaught: ${error.message}`));
    await page.exposeFunction('__synackCsp', (text: string) => {
      cspViolations.push(text);
    });
    // Injected by the browser's debugging protocol, so the page's own CSP does not block it.
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        window.__synackCsp?.(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`);
      });
    });
    const session: AppSession = {
      server,
      browser,
      context,
      page,
      consoleErrors,
      httpErrors,
      cspViolations,
      async waitForState(states, timeoutMs = options.timeoutMs ?? 30_000) {
        const wanted = Array.isArray(states) ? states : [states];
        const handle = await page.waitForFunction(
          (w: string[]) => {
            const s = document.body?.dataset.state;
            return s && (w.includes(s) || s === 'error') ? s : false;
          },
          wanted,
          { timeout: timeoutMs },
        );
        const state = (await handle.jsonValue()) as AppState;
        if (!wanted.includes(state)) {
          const status = await page
            .locator('[data-testid=status]')
            .textContent()
            .catch(() => null);
          throw new Error(
            `the app is in state 'error' (status: ${status ?? 'none'}; console: ${consoleErrors.join(' | ')})`,
          );
        }
        return state;
      },
      async waitReady(timeoutMs) {
        await session.waitForState('ready', timeoutMs);
      },
      async screenshot(name) {
        mkdirSync(ARTIFACTS, { recursive: true });
        const path = join(ARTIFACTS, `${name}.png`);
        await page.screenshot({ path });
        return path;
      },
      async close() {
        await context.close().catch(() => undefined);
        if (ownBrowser) await browser?.close().catch(() => undefined);
        await server.close();
      },
    };
    await options.beforeOpen?.(page);
    await page.goto(server.url);
    const waitFor = options.waitFor ?? (options.capture ? 'ready' : 'empty');
    if (waitFor) await session.waitForState(waitFor);
    return session;
  } catch (err) {
    if (ownBrowser) await browser?.close().catch(() => undefined);
    await server.close();
    throw err;
  }
}

/** The text of every cell of one column of the rendered rows, top to bottom. */
export async function columnTexts(page: Page, column: string): Promise<string[]> {
  return page.locator(`[data-testid=packet-row] [data-col=${column}]`).allTextContents();
}

/**
 * Clicks the packet's row, waits for its details tree, opens every subtree and returns the
 * labels of the whole tree, top to bottom (what `synack -V` prints for the packet, trimmed).
 */
export async function wholeTree(page: Page, number: number): Promise<string[]> {
  await page.locator(`[data-testid=packet-row][data-number="${number}"]`).click();
  await page.waitForFunction(
    (n) =>
      document.querySelector('[data-testid=tree-item][data-abbrev=frame]')?.textContent?.includes(`Frame ${n}:`) ??
      false,
    number,
  );
  for (;;) {
    const closed = page.locator('[data-testid=tree-item][aria-expanded=false]').first();
    if ((await closed.count()) === 0) break;
    await closed.locator('.twisty').click();
  }
  return (await page.locator('[data-testid=tree-item] .label').allTextContents()).map((t) => t.trim());
}
