// The app's two ways of holding a capture's bytes. Served by synack's server the page is
// cross-origin isolated and its workers share one copy of the bytes; served without the
// Cross-Origin-Embedder-Policy header (another server, a proxy that drops it) the page is not
// isolated, every shard gets its own copy, and the packet list must be the same. And a gzipped
// capture of several MB, read in many pieces into one reused buffer and decompressed on the way.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { generateCapture } from '../../bench/generate.js';
import { columnTexts, openApp, ROOT, SAMPLE, skipBrowserReason } from './harness.js';

function cliInfo(capture: string): string[] {
  const args = [join(ROOT, 'bin', 'synack'), '-2', '-r', capture, '-T', 'fields', '-e', '_ws.col.Info'];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`synack failed: ${r.stderr}`);
  return r.stdout.split('\n').filter((l) => l !== '');
}

/** Serves the page without its Cross-Origin-Embedder-Policy header. */
async function withoutCoep(page: Page): Promise<void> {
  await page.route('**/*', async (route) => {
    const response = await route.fetch();
    const headers = { ...response.headers() };
    delete headers['cross-origin-embedder-policy'];
    await route.fulfill({ response, headers });
  });
}

describe.skipIf(skipBrowserReason !== null)('holding the capture bytes', () => {
  for (const isolated of [true, false]) {
    test(`${isolated ? 'an isolated page shares them' : 'a page that is not isolated copies them'}, same rows`, async () => {
      const s = await openApp({ capture: SAMPLE, beforeOpen: isolated ? undefined : withoutCoep });
      try {
        expect(await s.page.evaluate(() => crossOriginIsolated)).toBe(isolated);
        const status = s.page.locator('[data-testid=status]');
        expect(await status.getAttribute('data-shared-memory')).toBe(String(isolated));
        expect(await columnTexts(s.page, 'info')).toEqual(cliInfo(SAMPLE));
        // The details of a packet are dissected from the bytes too.
        await s.page.locator('[data-testid=packet-row][data-number="4"]').click();
        await expect.poll(() => s.page.locator('[data-testid=tree-item]').first().textContent()).toContain('Frame 4:');
        expect(s.consoleErrors).toEqual([]);
      } finally {
        await s.close();
      }
    });
  }

  test('a gzipped capture of several MB is read, decompressed and shown as the CLI shows it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'synack-gz-'));
    try {
      const plain = join(dir, 'gen.pcap');
      generateCapture({ path: plain, packets: 8000, seed: 7 });
      const capture = join(dir, 'gen.pcap.gz');
      writeFileSync(capture, gzipSync(readFileSync(plain)));
      const s = await openApp({ capture, timeoutMs: 60_000 });
      try {
        const status = s.page.locator('[data-testid=status]');
        expect(await status.getAttribute('data-total')).toBe('8000');
        const shown = await columnTexts(s.page, 'info');
        expect(shown.length).toBeGreaterThan(10);
        expect(shown).toEqual(cliInfo(capture).slice(0, shown.length));
        expect(s.consoleErrors).toEqual([]);
      } finally {
        await s.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
