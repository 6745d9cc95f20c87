// The web UI's figures (issue 7): a capture opened through `synack ui` in headless Chromium.
// Measures the time to ready (load + index, progress bar seen or not), display filters from Enter to
// the list shown again, selecting a packet, scrolling the list 50 pages (frame times, blank rows)
// and jumping to its middle, and the memory of the renderer process (page and workers).
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

/**
 * Resident memory (VmRSS) of the page's renderer process, in bytes: the page, its workers and
 * every buffer they hold, shared memory counted once. The page's renderer is the largest of
 * Chromium's renderers under this process (the others are blank helpers). null off Linux.
 */
function rendererRssBytes() {
  if (process.platform !== 'linux') return null;
  let largest = 0;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (!readFileSync(`/proc/${name}/cmdline`, 'utf8').includes('--type=renderer')) continue;
      let mine = false;
      for (let pid = Number(name); pid > 1 && !mine;) {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        pid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        mine = pid === process.pid;
      }
      if (!mine) continue;
      const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${name}/status`, 'utf8'));
      if (kb) largest = Math.max(largest, Number(kb[1]) * 1024);
    } catch {
      // the process has just exited
    }
  }
  return largest;
}

/**
 * The memory of the app: the renderer's resident memory as it is, then, after a garbage
 * collection in the page and every worker (what is still in use), again with the JS heaps
 * (DevTools protocol). Shared buffers count once in the resident figure.
 */
async function memory(browser, page) {
  const residentBefore = rendererRssBytes();
  const session = await browser.newBrowserCDPSession();
  try {
    const { targetInfos } = await session.send('Target.getTargets');
    const targets = targetInfos.filter((t) => t.type === 'worker' || t.targetId === targetIdOf(page, targetInfos));
    const replies = new Map();
    let nextId = 1;
    session.on('Target.receivedMessageFromTarget', (e) => {
      const message = JSON.parse(e.message);
      // Events (no id) come on the same channel: only replies to our requests count.
      if (message.id !== undefined) replies.get(message.id)?.(message.result ?? null);
    });
    const ask = async (sessionId, method) => {
      const id = nextId++;
      const reply = new Promise((resolve) => replies.set(id, resolve));
      await session.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method }) });
      return Promise.race([reply, new Promise((r) => setTimeout(() => r(null), 20_000))]);
    };
    const sessions = [];
    for (const t of targets) {
      const { sessionId } = await session.send('Target.attachToTarget', { targetId: t.targetId, flatten: false });
      sessions.push({ sessionId, page: t.type !== 'worker' });
    }
    for (const t of sessions) await ask(t.sessionId, 'HeapProfiler.collectGarbage');
    const heaps = await Promise.all(
      sessions.map(async (t) => ({ ...t, heap: await ask(t.sessionId, 'Runtime.getHeapUsage') })),
    );
    const sum = (list) => list.reduce((total, h) => total + (h.heap?.usedSize ?? 0), 0);
    return {
      residentBefore,
      resident: rendererRssBytes(),
      pageHeap: sum(heaps.filter((h) => h.page)),
      workerHeap: sum(heaps.filter((h) => !h.page)),
      workers: heaps.filter((h) => !h.page).length,
    };
  } finally {
    await session.detach().catch(() => undefined);
  }
}

/** The DevTools target id of a page (the page target whose URL is the page's). */
function targetIdOf(page, targetInfos) {
  return targetInfos.find((t) => t.type === 'page' && t.url === page.url())?.targetId;
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
      m.resident === null ? 'n/a' : mb(m.resident),
      `renderer process resident after a GC (${mb(m.residentBefore)} before): page + ${m.workers} workers, shared bytes counted once; JS heaps: page ${mb(m.pageHeap)}, workers ${mb(m.workerHeap)}`,
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
