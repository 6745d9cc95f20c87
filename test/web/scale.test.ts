// The web UI at scale, in CI: a 100,000-packet capture from the benchmark's generator opened in
// headless Chromium must load, scroll to its end and filter, with the same packet counts as the
// CLI. Timings are printed, never asserted (CI machines vary); `npm run bench` checks the targets
// on 1,000,000 packets.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { generateCapture } from '../../bench/generate.js';
import { BLOCK_SIZE } from '../../web/src/worker/packet-store.js';
import { ROOT, ensureAppBuilt, openApp, skipBrowserReason, type AppSession } from './harness.js';

const PACKETS = 100_000;
const FILTERS = ['tcp.flags.syn == 1 && tcp.flags.ack == 0', 'ip.addr == 10.0.0.0/8 && tcp.port in {80, 443}'];

/** How many packets the CLI's -Y selects: what the app must show. */
function cliCount(capture: string, filter: string): number {
  const bin = join(ROOT, 'bin', 'synack');
  const r = spawnSync(process.execPath, [bin, '-r', capture, '-Y', filter, '-T', 'fields', '-e', 'frame.number'], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  if (r.status !== 0) throw new Error(`synack -Y failed: ${r.stderr}`);
  return r.stdout.split('\n').filter((line) => line !== '').length;
}

/** Numbers of the frames of a little-endian pcap file whose record crosses a multiple of `size` bytes. */
function framesAcross(file: string, size: number): number[] {
  const bytes = readFileSync(file);
  const out: number[] = [];
  for (let at = 24, n = 1; at + 16 <= bytes.length; n++) {
    const end = at + 16 + bytes.readUInt32LE(at + 8);
    if (Math.floor(at / size) !== Math.floor((end - 1) / size)) out.push(n);
    at = end;
  }
  return out;
}

/** The CLI's columns (as the page shows them, after its load pass: -2) of the frames a filter selects. */
function cliRows(capture: string, filter: string): string[] {
  const args = [join(ROOT, 'bin', 'synack'), '-2', '-r', capture, '-Y', filter, '-T', 'fields'];
  for (const c of ['No.', 'Source', 'Destination', 'Protocol', 'Length', 'Info']) args.push('-e', `_ws.col.${c}`);
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`synack -Y failed: ${r.stderr}`);
  return r.stdout.split('\n').filter((line) => line !== '');
}

async function status(page: Page): Promise<Record<string, string>> {
  return page
    .locator('[data-testid=status]')
    .evaluate((e) => ({ ...(e as HTMLElement).dataset }) as Record<string, string>);
}

describe.skipIf(skipBrowserReason !== null)(`web UI with ${PACKETS.toLocaleString('en-US')} packets`, () => {
  let dir: string;
  let capture: string;
  let s: AppSession;
  let openMs: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'synack-scale-'));
    capture = join(dir, 'scale-100k.pcap');
    generateCapture({ path: capture, packets: PACKETS, seed: 0x5eed });
    await ensureAppBuilt(); // not part of the time to ready
    const started = Date.now();
    s = await openApp({ capture, timeoutMs: 120_000 });
    openMs = Date.now() - started;
  }, 240_000);

  afterAll(async () => {
    await s?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('loads every packet and shows the last one after scrolling to the end', async () => {
    const st = await status(s.page);
    expect(st.total).toBe(String(PACKETS));
    expect(st.shown).toBe(String(PACKETS));
    // The page is cross-origin isolated: its workers share one copy of the capture's bytes.
    expect(st.sharedMemory).toBe('true');
    console.log(`scale: ${PACKETS} packets ready in ${openMs} ms (app's own load time ${st.loadMs} ms)`);
    const list = s.page.locator('[data-testid=packet-list]');
    await list.evaluate((e) => (e.scrollTop = e.scrollHeight));
    await s.page.waitForSelector(`[data-testid=packet-row][data-number="${PACKETS}"]`, { timeout: 30_000 });
  });

  it('shows the frames that straddle two blocks of bytes (and their neighbours) as the CLI does', async () => {
    const across = framesAcross(capture, BLOCK_SIZE);
    // 74 MB in blocks of 16 MB: four boundaries, each inside a frame or between two.
    expect(across.length).toBeGreaterThanOrEqual(3);
    const numbers = across.flatMap((n) => [n - 1, n, n + 1]);
    const filter = `frame.number in {${numbers.join(', ')}}`;
    const expected = cliRows(capture, filter);
    expect(expected.length).toBe(numbers.length);
    const input = s.page.locator('[data-testid=filter-input]');
    await input.fill(filter);
    await input.press('Enter');
    await s.page.waitForFunction(
      (n) => document.querySelector('[data-testid=status]')?.getAttribute('data-shown') === n,
      String(numbers.length),
      { timeout: 60_000 },
    );
    await s.waitReady(60_000);
    await expect.poll(() => s.page.locator('[data-testid=packet-row]').count()).toBe(numbers.length);
    const rows = await s.page
      .locator('[data-testid=packet-row]')
      .evaluateAll((list) =>
        list.map((row) =>
          ['no', 'source', 'destination', 'protocol', 'length', 'info']
            .map((c) => row.querySelector(`[data-col=${c}]`)?.textContent ?? '')
            .join('\t'),
        ),
      );
    expect(rows).toEqual(expected);
  });

  for (const filter of FILTERS) {
    it(`filters with ${filter} to the CLI's count`, async () => {
      const expected = cliCount(capture, filter);
      expect(expected).toBeGreaterThan(0);
      const input = s.page.locator('[data-testid=filter-input]');
      await input.fill(filter);
      const started = Date.now();
      await input.press('Enter');
      await s.page.waitForFunction(
        (n) => document.querySelector('[data-testid=status]')?.getAttribute('data-shown') === n,
        String(expected),
        { timeout: 60_000 },
      );
      await s.waitReady(60_000);
      const st = await status(s.page);
      console.log(`scale: ${filter}: ${expected} shown after ${Date.now() - started} ms (app's own ${st.filterMs} ms)`);
      // The list was scrolled to its end before: it must show rows of the shorter list, not a blank pane.
      await expect
        .poll(() => s.page.locator('[data-testid=packet-row]').count(), { timeout: 10_000 })
        .toBeGreaterThan(0);
      await s.screenshot(`scale-filter-${FILTERS.indexOf(filter)}`);
    });
  }

  it('reported no page error', () => {
    expect(s.consoleErrors).toEqual([]);
    expect(s.cspViolations).toEqual([]);
    expect(s.httpErrors).toEqual([]);
  });
});
