// Issue 7's safety test: a capture whose packets carry HTML and script wherever the app shows text
// from a capture (HTTP request line and headers, response body, DNS names, TLS SNI, raw payload,
// even the file name) is opened in headless Chromium; every row is selected and its whole details
// tree opened, filters built from the hostile texts are applied; nothing may run, nothing may be
// injected into the DOM, no Content-Security-Policy violation may be reported, and the texts must
// appear literally, as the CLI prints them.

import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { buildHostileCapture, hostileFrames, HOSTILE } from '../../scripts/make-hostile-sample.js';
import { ROOT, openApp, skipBrowserReason, type AppSession } from './harness.js';

const FIXTURE = join(ROOT, 'test', 'fixtures', 'web', 'hostile.pcap');
/** The capture is served under a hostile name too: the status bar shows it. */
const HOSTILE_NAME = `${HOSTILE.img}${HOSTILE.svg}.pcap`;
const MARKERS = Object.values(HOSTILE);

declare global {
  interface Window {
    __pwned?: unknown;
  }
}

/** What the CLI prints for the capture: one Info text per packet, one -V tree per packet. */
function cliOutput(capture: string): { info: string[]; trees: string[] } {
  const bin = join(ROOT, 'bin', 'synack');
  // The page shows the list as tshark -2 does (after its load pass).
  const fields = spawnSync(process.execPath, [bin, '-2', '-r', capture, '-T', 'fields', '-e', '_ws.col.Info'], {
    encoding: 'utf8',
  });
  if (fields.status !== 0) throw new Error(`synack -T fields failed: ${fields.stderr}`);
  const details = spawnSync(process.execPath, [bin, '-r', capture, '-V'], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (details.status !== 0) throw new Error(`synack -V failed: ${details.stderr}`);
  return {
    info: fields.stdout.split('\n').slice(0, -1),
    trees: details.stdout.split(/^(?=Frame \d+:)/m).filter((t) => t.startsWith('Frame ')),
  };
}

/** Elements and attributes that only an injection could have put in the page. */
async function injected(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    for (const el of Array.from(document.querySelectorAll('*'))) {
      for (const attr of Array.from(el.attributes)) {
        if (attr.name.startsWith('on')) found.push(`<${el.localName} ${attr.name}>`);
        if (/^\s*javascript:/i.test(attr.value)) found.push(`<${el.localName} ${attr.name}="${attr.value}">`);
      }
    }
    for (const el of Array.from(
      document.querySelectorAll('img[src=x], svg[onload], iframe, object, embed, base, form'),
    )) {
      found.push(`<${el.localName}>`);
    }
    // The app's own scripts are files under /assets/; its styles come from a <link>.
    for (const s of Array.from(document.querySelectorAll('script'))) {
      if (!s.src || new URL(s.src).origin !== location.origin) found.push(`<script ${s.src}>`);
    }
    for (const s of Array.from(document.querySelectorAll('style'))) {
      if (s.textContent?.includes('127.0.0.1:1')) found.push('<style> from the capture');
    }
    if (window.__pwned !== undefined) found.push(`window.__pwned = ${String(window.__pwned)}`);
    return found;
  });
}

/** Opens every closed subtree of the details pane, level after level. */
async function expandAll(page: Page): Promise<void> {
  for (let round = 0; round < 50; round++) {
    const closed = page.locator('[data-testid=tree-item][aria-expanded=false] .twisty');
    if ((await closed.count()) === 0) return;
    await closed.first().click();
  }
  throw new Error('the details tree kept closed subtrees after 50 clicks');
}

it('the committed hostile capture is what scripts/make-hostile-sample.ts makes', () => {
  expect(Buffer.from(buildHostileCapture()).equals(readFileSync(FIXTURE))).toBe(true);
});

describe.skipIf(skipBrowserReason !== null)('web UI safety: texts from a capture stay text', () => {
  let dir: string;
  let s: AppSession;
  let page: Page;
  let cli: { info: string[]; trees: string[] };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'synack-hostile-'));
    const capture = join(dir, HOSTILE_NAME);
    copyFileSync(FIXTURE, capture);
    cli = cliOutput(capture);
    s = await openApp({ capture });
    page = s.page;
  });

  afterAll(async () => {
    await s?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('lists every packet with the Info text the CLI prints, literally', async () => {
    const frames = hostileFrames().length;
    expect(cli.info).toHaveLength(frames);
    await page.waitForSelector(`[data-testid=packet-row][data-number="${frames}"]`);
    const info = await page.locator('[data-testid=packet-row] [data-col=info]').allTextContents();
    expect(info).toEqual(cli.info);
    // The DNS name, at least, is in a column (the dissector exists): markup shown as text.
    expect(info.some((t) => t.includes(HOSTILE.img))).toBe(true);
    const status = page.locator('[data-testid=status]');
    expect(await status.getAttribute('data-file')).toBe(HOSTILE_NAME);
    expect(await status.textContent()).toContain(HOSTILE_NAME);
    expect(await injected(page)).toEqual([]);
  });

  it('selects every row and opens its whole tree: the texts appear as the CLI prints them, nothing runs', async () => {
    const frames = hostileFrames();
    const seen = new Set<string>();
    for (let n = 1; n <= frames.length; n++) {
      await page.locator(`[data-testid=packet-row][data-number="${n}"]`).click();
      // The details of packet n: its first item is "Frame n: ...".
      await page.waitForFunction(
        (k) => document.querySelector('[data-testid=tree-item]')?.textContent?.includes(`Frame ${k}:`) ?? false,
        n,
      );
      await expandAll(page);
      const details = (await page.locator('[data-testid=details]').textContent()) ?? '';
      const tree = cli.trees[n - 1];
      for (const marker of MARKERS) {
        if (tree.includes(marker)) {
          expect(details, `packet ${n}: ${marker}`).toContain(marker);
          seen.add(marker);
        }
      }
      // The bytes pane's ASCII column: the frame's printable bytes, dots for the others.
      const ascii = (await page.locator('[data-testid=bytes] [data-ascii-offset]').allTextContents()).join('');
      const expected = Array.from(frames[n - 1], (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join(
        '',
      );
      expect(ascii.slice(0, expected.length), `packet ${n} ASCII`).toBe(expected);
      expect(await injected(page), `after selecting packet ${n}`).toEqual([]);
    }
    // The DNS dissector shows the query name and CNAME (more markers once HTTP and TLS are dissected).
    expect(seen.has(HOSTILE.img)).toBe(true);
    expect(seen.has(HOSTILE.svg)).toBe(true);
    await s.screenshot('safety-hostile-details');
  });

  it('applies filters made of markup, and shows invalid ones as text', async () => {
    const input = page.locator('[data-testid=filter-input]');
    const status = page.locator('[data-testid=status]');
    // Valid: a string with markup; the frames whose bytes contain it.
    const needle = '<script>';
    const containing = hostileFrames().filter((f) => Buffer.from(f).includes(needle)).length;
    expect(containing).toBeGreaterThan(0);
    await input.fill(`frame contains "${needle}"`);
    expect(await input.getAttribute('data-state')).toBe('valid');
    await input.press('Enter');
    await page.waitForFunction(
      (k) => document.querySelector('[data-testid=status]')?.getAttribute('data-shown') === k,
      String(containing),
    );
    await s.waitReady();
    expect(await status.getAttribute('data-shown')).toBe(String(containing));
    // Invalid: markup as the filter itself; the error may quote it, as text.
    await input.fill(HOSTILE.img);
    expect(await input.getAttribute('data-state')).toBe('invalid');
    await expect.poll(() => page.locator('[data-testid=filter-error]').count()).toBe(1);
    await input.fill(`dns.qry.name == ${HOSTILE.svg}`);
    expect(await input.getAttribute('data-state')).toBe('invalid');
    expect(await injected(page)).toEqual([]);
    await s.screenshot('safety-hostile-filter-error');
    await input.fill('');
    await input.press('Enter');
    await s.waitReady();
  });

  it('Apply as Filter on a hostile DNS name quotes it into a filter that selects the query and response', async () => {
    await page.locator('[data-testid=packet-row][data-number="11"]').click();
    await page.waitForFunction(() =>
      document.querySelector('[data-testid=tree-item]')?.textContent?.includes('Frame 11:'),
    );
    await expandAll(page);
    const name = page.locator('[data-testid=tree-item][data-abbrev="dns.qry.name"]').first();
    await name.click({ button: 'right' });
    await page.locator('[data-testid=menu-apply-filter]').click();
    await s.waitReady();
    const input = page.locator('[data-testid=filter-input]');
    const text = await input.inputValue();
    expect(text.startsWith('dns.qry.name == ')).toBe(true);
    expect(await input.getAttribute('data-state')).toBe('valid');
    await expect.poll(() => page.locator('[data-testid=status]').getAttribute('data-shown')).toBe('2');
    expect(await injected(page)).toEqual([]);
  });

  it('would notice an injection (the checks above can fail)', async () => {
    const probe = await s.context.newPage();
    try {
      await probe.setContent(`<div>${HOSTILE.img}${HOSTILE.svg}</div>`);
      await probe.waitForFunction(() => window.__pwned !== undefined);
      expect(await injected(probe)).toEqual(expect.arrayContaining(['<img onerror>', '<svg onload>']));
    } finally {
      await probe.close();
    }
  });

  it('reported no console error, failed request or CSP violation, and ran nothing', async () => {
    expect(await page.evaluate(() => window.__pwned)).toBeUndefined();
    expect(s.cspViolations).toEqual([]);
    expect(s.consoleErrors).toEqual([]);
    expect(s.httpErrors).toEqual([]);
  });
});
