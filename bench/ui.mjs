// The web UI's figures (issue 7): a capture opened through `synack ui` in headless Chromium.
// Measures the time to ready (load + index, progress bar seen or not), display filters from Enter to
// the list shown again, selecting a packet, scrolling the list 50 pages (frame times, blank rows)
// and jumping to its middle, and the JS memory of the page and of its parsing worker.
// `npm run bench` runs it after the CLI cases (skip it with --no-ui); alone:
//
//   node bench/ui.mjs [--capture FILE] [--timeout SECONDS]     (default bench/out/bench-1m.pcap)

/* global window, document, MutationObserver, requestAnimationFrame -- page.evaluate bodies run in the page */

import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const CHROMIUM = process.env.SYNACK_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--no-first-run',
];

const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' })) || 100;
  } catch {
    return 100;
  }
})();

/**
 * CPU seconds (user + system) used so far by the processes under this one: Chromium's and the
 * server's. Beside the wall clock it tells a slow app from a busy machine. null off Linux.
 */
function childrenCpuSeconds() {
  if (process.platform !== 'linux') return null;
  const parent = new Map();
  const ticks = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // The command name may hold spaces and parentheses: the fields start after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parent.set(Number(name), Number(fields[1]));
      ticks.set(Number(name), Number(fields[11]) + Number(fields[12]));
    } catch {
      // the process has just exited
    }
  }
  let total = 0;
  for (const [pid, t] of ticks) {
    for (let p = parent.get(pid); p !== undefined && p > 1; p = parent.get(p)) {
      if (p === process.pid) {
        total += t;
        break;
      }
    }
  }
  return total / CLOCK_TICKS;
}

const cpuSince = (start) => (start === null ? null : childrenCpuSeconds() - start);

/** Goals from issue 7, checked against the figures. */
export const UI_TARGETS = [
  { label: 'UI: ready (load + index) < 10 s', measure: 'readyMs', below: 10_000 },
  { label: 'UI: every display filter < 2 s', measure: 'slowestFilterMs', below: 2_000 },
];

/** Starts `synack ui FILE --no-open --port 0` and resolves with its URL and a stop function. */
function startUi(capture) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'synack'), 'ui', '--no-open', '--port', '0', capture], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    const stop = () =>
      new Promise((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGINT');
      });
    child.stdout.setEncoding('utf8').on('data', (text) => {
      out += text;
      const m = /synack UI: (\S+)/.exec(out);
      if (m) resolve({ url: m[1], stop });
    });
    child.stderr.setEncoding('utf8').on('data', (text) => (err += text));
    child.on('exit', (code) => reject(new Error(`synack ui exited (${code}) before printing its URL: ${err.trim()}`)));
  });
}

/** The page's JS heap, and the worker's (with its ArrayBuffers), through the DevTools protocol. */
async function memory(browser, page) {
  const cdp = await page.context().newCDPSession(page);
  const pageHeap = await cdp.send('Runtime.getHeapUsage');
  await cdp.detach();
  const session = await browser.newBrowserCDPSession();
  try {
    // The app may run several workers (a reader and shards): their heaps are added up.
    const { targetInfos } = await session.send('Target.getTargets');
    const workers = targetInfos.filter((t) => t.type === 'worker');
    if (!workers.length) return { page: pageHeap, worker: null, workers: 0 };
    const replies = new Map();
    session.on('Target.receivedMessageFromTarget', (e) => {
      const message = JSON.parse(e.message);
      // Events (no id) come on the same channel: only the reply to our request counts.
      if (message.id === 1) replies.get(e.sessionId)?.(message.result ?? null);
    });
    const heaps = await Promise.all(
      workers.map(async (worker) => {
        const { sessionId } = await session.send('Target.attachToTarget', {
          targetId: worker.targetId,
          flatten: false,
        });
        const reply = new Promise((resolve) => replies.set(sessionId, resolve));
        await session.send('Target.sendMessageToTarget', {
          sessionId,
          message: JSON.stringify({ id: 1, method: 'Runtime.getHeapUsage' }),
        });
        return Promise.race([reply, new Promise((r) => setTimeout(() => r(null), 10_000))]);
      }),
    );
    const sum = (key) => heaps.reduce((total, h) => total + (h?.[key] ?? 0), 0);
    return {
      page: pageHeap,
      worker: { usedSize: sum('usedSize'), backingStorageSize: sum('backingStorageSize') },
      workers: workers.length,
    };
  } finally {
    await session.detach().catch(() => undefined);
  }
}

async function statusData(page) {
  return page.locator('[data-testid=status]').evaluate((e) => ({ ...e.dataset }));
}

/**
 * Applies a filter by typing it and pressing Enter; times from the keydown to the app being
 * 'ready' again after 'filtering' (a MutationObserver in the page, so no polling delay counts).
 */
async function timeFilter(page, text, timeoutMs) {
  const input = page.locator('[data-testid=filter-input]');
  await input.fill(text);
  await page.evaluate(() => {
    const w = window;
    w.__bench = { start: 0, end: 0, sawFiltering: false };
    const input = document.querySelector('[data-testid=filter-input]');
    input.addEventListener('keydown', (e) => e.key === 'Enter' && (w.__bench.start = performance.now()), {
      capture: true,
      once: true,
    });
    const observer = new MutationObserver(() => {
      const state = document.body.dataset.state;
      if (state === 'filtering') w.__bench.sawFiltering = true;
      else if (w.__bench.sawFiltering && (state === 'ready' || state === 'error')) {
        w.__bench.end = performance.now();
        w.__bench.state = state;
        observer.disconnect();
      }
    });
    observer.observe(document.body, { attributes: true, attributeFilter: ['data-state'] });
  });
  const cpuAtStart = childrenCpuSeconds();
  await input.press('Enter');
  await page.waitForFunction(() => window.__bench.end > 0, null, { timeout: timeoutMs, polling: 50 });
  const cpuSeconds = cpuSince(cpuAtStart);
  const timing = await page.evaluate(() => window.__bench);
  const status = await statusData(page);
  return {
    filter: text,
    ms: timing.end - timing.start,
    state: timing.state,
    shown: Number(status.shown),
    appMs: status.filterMs === '' ? null : Number(status.filterMs),
    cpuSeconds,
  };
}

/** Scrolls the list one page per animation frame, 50 pages; then jumps to the middle. */
async function timeScroll(page) {
  return page.evaluate(async () => {
    const list = document.querySelector('[data-testid=packet-list]');
    const frame = () => new Promise((r) => requestAnimationFrame(() => r(performance.now())));
    const blank = () => list.querySelectorAll('.placeholder').length;
    const intervals = [];
    let blankFrames = 0;
    let last = await frame();
    for (let i = 0; i < 50; i++) {
      list.scrollTop += list.clientHeight;
      const now = await frame();
      intervals.push(now - last);
      last = now;
      if (blank() > 0) blankFrames++;
    }
    const settle = async () => {
      const start = performance.now();
      while (blank() > 0 && performance.now() - start < 10_000) await frame();
      return performance.now() - start;
    };
    const fillAfterScrollMs = await settle();
    const jumpStart = performance.now();
    list.scrollTop = list.scrollHeight / 2;
    await frame();
    await settle();
    const jumpMs = performance.now() - jumpStart;
    intervals.sort((a, b) => a - b);
    const at = (q) => intervals[Math.min(intervals.length - 1, Math.floor(q * intervals.length))];
    return {
      frames: intervals.length,
      medianMs: at(0.5),
      p95Ms: at(0.95),
      maxMs: intervals[intervals.length - 1],
      over50Ms: intervals.filter((t) => t > 50).length,
      blankFrames,
      fillAfterScrollMs,
      jumpMs,
    };
  });
}

/** Clicks the first row on screen; the time until its details tree shows "Frame N:". */
async function timeSelect(page, timeoutMs) {
  const row = page.locator('[data-testid=packet-row]').first();
  const number = await row.getAttribute('data-number');
  const start = Date.now();
  await row.click();
  await page.waitForFunction(
    (n) => document.querySelector('[data-testid=tree-item]')?.textContent?.includes(`Frame ${n}:`) ?? false,
    number,
    { timeout: timeoutMs, polling: 20 },
  );
  return { number: Number(number), ms: Date.now() - start };
}

/** Runs every measurement on one capture; throws when the app cannot open it. */
export async function runUiBench({ capture, timeoutSeconds = 300, log = (line) => console.log(line) }) {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing (apt-get install chromium)`);
  const timeoutMs = timeoutSeconds * 1000;
  const ui = await startUi(capture);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    log(`ui: opening ${relative(ROOT, capture)} in headless Chromium ...`);
    const started = Date.now();
    const cpuAtStart = childrenCpuSeconds();
    let progressSeen = false;
    const progress = page
      .waitForSelector('[data-testid=progress]', { timeout: timeoutMs })
      .then(() => (progressSeen = true))
      .catch(() => undefined);
    await page.goto(ui.url);
    await page.waitForFunction(() => ['ready', 'error'].includes(document.body.dataset.state), null, {
      timeout: timeoutMs,
      polling: 50,
    });
    const readyMs = Date.now() - started;
    const readyCpuSeconds = cpuSince(cpuAtStart);
    if ((await page.evaluate(() => document.body.dataset.state)) === 'error') {
      throw new Error(`the app could not open the capture: ${errors.join(' | ')}`);
    }
    await Promise.race([progress, new Promise((r) => setTimeout(r, 100))]);
    const status = await statusData(page);
    const packets = Number(status.total);
    log(`ui: ready after ${(readyMs / 1000).toFixed(2)} s (${packets.toLocaleString('en-US')} packets)`);
    const afterLoad = await memory(browser, page);

    const select = await timeSelect(page, timeoutMs);
    const scroll = await timeScroll(page);
    log(`ui: scrolled 50 pages, median frame ${scroll.medianMs.toFixed(1)} ms`);

    const host = (await page.locator('[data-testid=packet-row] [data-col=source]').first().textContent())?.trim();
    const filterTexts = [
      'tcp.flags.syn == 1 && tcp.flags.ack == 0',
      `ip.addr == ${host}`,
      'ip.addr == 10.0.0.0/8 && tcp.port in {80, 443} && frame.len > 100',
      '',
    ];
    const filters = [];
    for (const text of filterTexts) {
      const result = await timeFilter(page, text, timeoutMs);
      filters.push(result);
      log(`ui: filter ${JSON.stringify(text)}: ${(result.ms / 1000).toFixed(2)} s, ${result.shown} shown`);
    }
    const afterFilters = await memory(browser, page);
    return {
      capture: relative(ROOT, capture),
      bytes: statSync(capture).size,
      packets,
      readyMs,
      readyCpuSeconds,
      appLoadMs: status.loadMs === '' ? null : Number(status.loadMs),
      progressSeen,
      select,
      scroll,
      filters,
      slowestFilterMs: Math.max(...filters.filter((f) => f.filter !== '').map((f) => f.ms)),
      memory: { afterLoad, afterFilters },
      errors,
      loadAverage: loadavg()[0],
    };
  } finally {
    await browser.close().catch(() => undefined);
    await ui.stop();
  }
}

/** The targets with their status, for results.json and the report. */
export function uiTargets(result) {
  return UI_TARGETS.map((t) => {
    const value = result ? result[t.measure] : null;
    if (value === null || value === undefined) return { ...t, status: 'not measured', value: null };
    return { ...t, status: value < t.below ? 'met' : 'missed', value };
  });
}

const mb = (bytes) => (bytes === null || bytes === undefined ? '' : `${(bytes / 2 ** 20).toFixed(0)} MB`);
const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;
const cpu = (s) => (s === null || s === undefined ? '' : `CPU ${s.toFixed(1)} s (browser + server); `);

export function printUiReport(r) {
  const rows = [
    [
      'ready (load + index)',
      seconds(r.readyMs),
      `${cpu(r.readyCpuSeconds)}app's own load time ${r.appLoadMs === null ? '?' : seconds(r.appLoadMs)}; progress bar ${r.progressSeen ? 'shown' : 'not seen'}`,
    ],
    ['select a packet (details)', `${r.select.ms} ms`, `frame ${r.select.number}`],
    ...r.filters.map((f) => [
      `filter ${f.filter === '' ? '(cleared)' : f.filter}`,
      seconds(f.ms),
      `${cpu(f.cpuSeconds)}${f.shown.toLocaleString('en-US')} shown${f.appMs === null ? '' : `; app's own ${f.appMs} ms`}${f.state === 'error' ? '; ERROR' : ''}`,
    ]),
    [
      'scroll 50 pages',
      `${r.scroll.medianMs.toFixed(1)} ms`,
      `median frame; p95 ${r.scroll.p95Ms.toFixed(1)}, max ${r.scroll.maxMs.toFixed(1)} ms; ${r.scroll.over50Ms} frames > 50 ms; ${r.scroll.blankFrames} frames with blank rows, filled ${r.scroll.fillAfterScrollMs.toFixed(0)} ms after`,
    ],
    ['jump to the middle', `${r.scroll.jumpMs.toFixed(0)} ms`, 'until every visible row is filled'],
  ];
  for (const [when, m] of [
    ['after load', r.memory.afterLoad],
    ['after filters', r.memory.afterFilters],
  ]) {
    rows.push([
      `memory ${when}`,
      mb(
        m.page.usedSize +
          (m.worker?.usedSize ?? 0) +
          (m.worker?.backingStorageSize ?? 0) +
          (m.page.backingStorageSize ?? 0),
      ),
      `page JS heap ${mb(m.page.usedSize)}; ${m.workers} worker(s): JS heap ${mb(m.worker?.usedSize)} + ArrayBuffers ${mb(m.worker?.backingStorageSize)}`,
    ]);
  }
  const width = [Math.max(...rows.map((row) => row[0].length)), Math.max(...rows.map((row) => row[1].length))];
  console.log(
    `\nweb UI, headless Chromium: ${r.packets.toLocaleString('en-US')} packets, ${(r.bytes / 1e6).toFixed(0)} MB (${r.capture})\n`,
  );
  console.log(`${'measure'.padEnd(width[0])}  ${'value'.padStart(width[1])}  notes`);
  console.log(`${'-'.repeat(width[0])}  ${'-'.repeat(width[1])}  -----`);
  for (const row of rows) console.log(`${row[0].padEnd(width[0])}  ${row[1].padStart(width[1])}  ${row[2]}`);
  if (r.errors.length) console.log(`page errors: ${r.errors.join(' | ')}`);
  console.log(
    `load average ${r.loadAverage.toFixed(1)}: wall times well above CPU times mean a machine busy with other work`,
  );
  console.log('\nUI targets:');
  for (const t of uiTargets(r)) {
    console.log(`  ${t.status.padEnd(12)} ${t.label}${t.value === null ? '' : ` (${seconds(t.value)})`}`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const option = (name) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  if (args.includes('-h') || args.includes('--help')) {
    console.log('usage: node bench/ui.mjs [--capture FILE] [--timeout SECONDS]   (default bench/out/bench-1m.pcap)');
    process.exit(0);
  }
  const capture = option('--capture') ?? join(ROOT, 'bench', 'out', 'bench-1m.pcap');
  if (!existsSync(capture)) {
    console.error(`bench/ui.mjs: ${capture} is missing; \`npm run bench\` makes it (or pass --capture FILE)`);
    process.exit(1);
  }
  const result = await runUiBench({ capture, timeoutSeconds: Number(option('--timeout') ?? 300) });
  printUiReport(result);
}
