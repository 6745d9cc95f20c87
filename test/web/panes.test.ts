// End-to-end tests of the web app's panes in headless Chromium (issue 7): the bundled sample
// served by `synack ui`'s server, its rows against the CLI's columns, selection, details and
// bytes, the filter bar, Apply as Filter, sorting, keyboard navigation, themes and the file
// picker. Screenshots of each state go to test/web/artifacts/.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import {
  columnTexts,
  launchBrowser,
  openApp,
  ROOT,
  SAMPLE,
  skipBrowserReason,
  wholeTree,
  type AppSession,
} from './harness.js';

/** The Time column of the CLI's packet list (its summary lines: the capture's precision, not -T fields' nine digits). */
function cliTimes(capture: string): string[] {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'synack'), '-r', capture], { encoding: 'utf8' });
  return r.stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => l.trim().split(/\s+/)[1]);
}

/**
 * Columns of the CLI's packet list for a capture (synack -2 -T fields -e _ws.col.X): the page
 * shows the list after its load pass, as Wireshark's window and tshark -2 do (a message's first
 * segment as "[TCP segment of a reassembled PDU]" with TCP's own Info).
 */
function cliColumns(capture: string, fields: string[]): string[][] {
  const args = [join(ROOT, 'bin', 'synack'), '-2', '-r', capture, '-T', 'fields'];
  for (const f of fields) args.push('-e', f);
  const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`synack failed: ${r.stderr}`);
  return r.stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split('\t'));
}

async function rowCells(page: Page, number: number): Promise<string[]> {
  return page.locator(`[data-testid=packet-row][data-number="${number}"] [data-col]`).allTextContents();
}

async function status(page: Page): Promise<Record<string, string>> {
  return page
    .locator('[data-testid=status]')
    .evaluate((e) => ({ ...(e as HTMLElement).dataset }) as Record<string, string>);
}

describe.skipIf(skipBrowserReason !== null)('web app panes', () => {
  let browser: Browser;
  let s: AppSession;
  let page: Page;

  beforeAll(async () => {
    browser = await launchBrowser();
    s = await openApp({ capture: SAMPLE, browser, timeoutMs: 90_000 });
    page = s.page;
  });

  afterAll(async () => {
    await s?.close();
    await browser?.close();
  });

  test('shows the sample as the CLI does: 12 rows, the same column texts', async () => {
    const expected = cliColumns(SAMPLE, [
      '_ws.col.No.',
      '_ws.col.Time',
      '_ws.col.Source',
      '_ws.col.Destination',
      '_ws.col.Protocol',
      '_ws.col.Length',
      '_ws.col.Info',
    ]);
    expect(expected).toHaveLength(12);
    const times = cliTimes(SAMPLE);
    expected.forEach((row, k) => (row[1] = times[k]));
    expect(times[3]).toBe('0.000846');
    await page.waitForSelector('[data-testid=packet-row][data-number="12"]');
    expect(await page.locator('[data-testid=packet-row]').count()).toBe(12);
    expect(await columnTexts(page, 'info')).toEqual(expected.map((r) => r[6]));
    for (const row of expected) expect(await rowCells(page, Number(row[0]))).toEqual(row);
    const st = await status(page);
    expect(st).toMatchObject({ file: 'http-handshake.pcap', shown: '12', total: '12' });
    expect(Number(st.loadMs)).toBeGreaterThanOrEqual(0);
    // Wireshark's colouring: port 80 is HTTP's rule, which comes before TCP SYN/FIN and TCP.
    expect(await page.locator('[data-testid=packet-row][data-number="1"]').getAttribute('data-rule')).toBe('HTTP');
    await expect.poll(() => page.locator('[data-testid=legend] [data-rule]').allTextContents()).toContain('TCP RST');
    await s.screenshot('panes-sample-light');
  });

  test('selecting a packet shows its layers, a field highlights its bytes, a byte selects its field', async () => {
    await page.locator('[data-testid=packet-row][data-number="4"]').click();
    expect(await page.locator('[data-testid=packet-row][data-number="4"]').getAttribute('aria-selected')).toBe('true');
    await page.waitForSelector('[data-testid=tree-item][data-abbrev=tcp]');
    const layers = await page
      .locator('[data-testid=tree-item]')
      .evaluateAll((items) => items.map((i) => i.getAttribute('data-abbrev')));
    // The payload is HTTP's once src/core dissects HTTP, data before.
    expect(layers.slice(0, 4)).toEqual(['frame', 'eth', 'ip', 'tcp']);
    expect(['data', 'http']).toContain(layers[4]);
    const tcp = page.locator('[data-testid=tree-item][data-abbrev=tcp]');
    expect(await tcp.getAttribute('aria-expanded')).toBe('false');
    expect(await tcp.getAttribute('title')).toContain('tcp');
    expect(await tcp.textContent()).toContain(
      'Transmission Control Protocol, Src Port: 51016, Dst Port: 80, Seq: 1, Ack: 1, Len: 74',
    );
    await tcp.locator('.twisty').click();
    expect(await tcp.getAttribute('aria-expanded')).toBe('true');
    const srcport = page.locator('[data-testid=tree-item][data-abbrev="tcp.srcport"]');
    expect(await srcport.textContent()).toContain('Source Port: 51016');
    expect(await srcport.getAttribute('title')).toContain('tcp.srcport');
    await srcport.click();
    // Ethernet 14 + IPv4 20: the source port is bytes 34 and 35 of the frame.
    const lit = await page
      .locator('[data-testid=bytes] [data-offset][data-highlight=true]')
      .evaluateAll((cells) => cells.map((c) => Number(c.getAttribute('data-offset'))));
    expect(lit).toEqual([34, 35]);
    expect(await page.locator('[data-testid=bytes] [data-offset="34"]').textContent()).toBe('c7');
    // The sequence analysis shown on re-dissection needs the stream's earlier frames.
    const seq = page.locator('[data-testid=tree-item][data-abbrev="tcp.seq"]');
    expect(await seq.textContent()).toContain('Sequence Number: 1    (relative sequence number)');
    expect(await page.locator('[data-testid=tree-item][data-abbrev="tcp.stream"]').textContent()).toContain(
      'Stream index: 0',
    );
    // A click on byte 37 (destination port, low byte) selects that field.
    await page.locator('[data-testid=bytes] [data-offset="37"]').click();
    expect(await page.locator('[data-testid=tree-item][aria-selected=true]').getAttribute('data-abbrev')).toBe(
      'tcp.dstport',
    );
    expect(
      await page
        .locator('[data-testid=bytes] [data-offset][data-highlight=true]')
        .evaluateAll((cells) => cells.map((c) => Number(c.getAttribute('data-offset')))),
    ).toEqual([36, 37]);
    // A byte of the HTTP payload selects an item of the payload (data, or HTTP once it is dissected).
    await page.locator('[data-testid=bytes] [data-offset="70"]').click();
    const chosen = await page.locator('[data-testid=tree-item][aria-selected=true]').getAttribute('data-abbrev');
    expect(['frame', 'eth', 'ip', 'tcp']).not.toContain(chosen);
    expect(await page.locator('[data-testid=bytes] [data-offset="70"]').getAttribute('data-highlight')).toBe('true');
    await s.screenshot('panes-details-bytes');
  });

  test("the whole tree of a packet reads as the CLI's -2 -V for it", async () => {
    // Forward through the TCP stream (each continues the replay of the one before), then back
    // (a replay from the stream's start).
    for (const number of [1, 6, 7, 9, 12, 4]) {
      const shown = await wholeTree(page, number);
      // No filter in the page: every frame up to this one is displayed, so the CLI shows frames
      // 1..N and the last one's tree is compared (its delta from the previous displayed frame).
      const r = spawnSync(
        process.execPath,
        [join(ROOT, 'bin', 'synack'), '-r', SAMPLE, '-2', '-V', '-Y', `frame.number <= ${number}`],
        { encoding: 'utf8' },
      );
      const blocks = r.stdout.split('\n\n').filter((b) => b.trim() !== '');
      const cli = blocks[blocks.length - 1]
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l !== '');
      expect(shown).toEqual(cli);
    }
  });

  test('the filter bar turns green or red as it is typed and applies on Enter', async () => {
    const input = page.locator('[data-testid=filter-input]');
    expect(await input.getAttribute('data-state')).toBe('empty');
    await input.fill('tcp.flags.syn == 1');
    expect(await input.getAttribute('data-state')).toBe('valid');
    await input.press('Enter');
    await page.waitForFunction(
      () => document.querySelector('[data-testid=status]')?.getAttribute('data-shown') === '2',
    );
    expect(
      await page.locator('[data-testid=packet-row]').evaluateAll((r) => r.map((e) => e.getAttribute('data-number'))),
    ).toEqual(['1', '2']);
    await input.fill('tcp.flgs == 1');
    expect(await input.getAttribute('data-state')).toBe('invalid');
    const error = page.locator('[data-testid=filter-error]');
    expect(await error.textContent()).toContain('tcp.flgs');
    expect(await error.textContent()).toMatch(/tcp\.flags/);
    // The message takes a line of its own: it covers neither the column headers nor a row.
    const errorBox = await error.boundingBox();
    const headerBox = await page.locator('[data-sort-column=no]').boundingBox();
    expect(errorBox && headerBox && errorBox.y + errorBox.height <= headerBox.y).toBe(true);
    await s.screenshot('panes-filter-invalid');
    // Enter does not apply an invalid filter: still 2 shown.
    await input.press('Enter');
    expect((await status(page)).shown).toBe('2');
    await input.fill('');
    expect(await input.getAttribute('data-state')).toBe('empty');
    await input.press('Enter');
    await page.waitForFunction(
      () => document.querySelector('[data-testid=status]')?.getAttribute('data-shown') === '12',
    );
    // The applied filter is remembered for the drop-down.
    const recent = await page.evaluate(() => localStorage.getItem('synack.recentFilters'));
    expect(JSON.parse(recent ?? '[]')).toContain('tcp.flags.syn == 1');
  });

  test('Apply as Filter puts "abbrev == value" in the bar and applies it', async () => {
    await page.locator('[data-testid=packet-row][data-number="2"]').click();
    await expect
      .poll(() => page.locator('[data-testid=tree-item][data-abbrev=frame]').textContent())
      .toContain('Frame 2:');
    const tcp = page.locator('[data-testid=tree-item][data-abbrev=tcp]');
    if ((await tcp.getAttribute('aria-expanded')) === 'false') await tcp.locator('.twisty').click();
    await page.locator('[data-testid=tree-item][data-abbrev="tcp.srcport"]').click({ button: 'right' });
    await page.locator('[data-testid=menu-apply-filter]').click();
    expect(await page.locator('[data-testid=filter-input]').inputValue()).toBe('tcp.srcport == 80');
    await page.waitForFunction(
      () => document.querySelector('[data-testid=status]')?.getAttribute('data-shown') === '6',
    );
    expect(
      await page.locator('[data-testid=packet-row]').evaluateAll((r) => r.map((e) => e.getAttribute('data-number'))),
    ).toEqual(['2', '5', '6', '8', '10', '12']);
    // The selected packet stays selected and shown.
    expect(await page.locator('[data-testid=packet-row][data-number="2"]').getAttribute('aria-selected')).toBe('true');
    await page.locator('[data-testid=filter-input]').fill('');
    await page.locator('[data-testid=filter-input]').press('Enter');
    await page.waitForFunction(
      () => document.querySelector('[data-testid=status]')?.getAttribute('data-shown') === '12',
    );
  });

  test('Copy Value puts the field value on the clipboard', async () => {
    await s.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(s.server.url).origin });
    await page.locator('[data-testid=packet-row][data-number="1"]').click();
    await expect
      .poll(() => page.locator('[data-testid=tree-item][data-abbrev=frame]').textContent())
      .toContain('Frame 1:');
    const tcp = page.locator('[data-testid=tree-item][data-abbrev=tcp]');
    if ((await tcp.getAttribute('aria-expanded')) === 'false') await tcp.locator('.twisty').click();
    await page.locator('[data-testid=tree-item][data-abbrev="tcp.dstport"]').click({ button: 'right' });
    await page.locator('[data-testid=menu-copy-value]').click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe('80');
  });

  test('a header click sorts (ascending, descending, packet order)', async () => {
    const numbers = () =>
      page.locator('[data-testid=packet-row]').evaluateAll((r) => r.map((e) => Number(e.getAttribute('data-number'))));
    const header = page.locator('[data-sort-column=length]');
    await header.click();
    await expect.poll(async () => (await columnTexts(page, 'length'))[0]).toBe('66');
    const asc = (await columnTexts(page, 'length')).map(Number);
    expect(asc).toEqual([...asc].sort((a, b) => a - b));
    await header.click();
    await expect.poll(async () => (await columnTexts(page, 'length'))[0]).toBe('274');
    await header.click();
    await expect.poll(numbers).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  test('arrow keys, Home and End move the selection', async () => {
    await page.locator('[data-testid=packet-row][data-number="1"]').click();
    const selected = () => page.locator('[data-testid=packet-row][aria-selected=true]').getAttribute('data-number');
    await page.keyboard.press('ArrowDown');
    await expect.poll(selected).toBe('2');
    await page.keyboard.press('End');
    await expect.poll(selected).toBe('12');
    await page.keyboard.press('ArrowUp');
    await expect.poll(selected).toBe('11');
    await page.keyboard.press('Home');
    await expect.poll(selected).toBe('1');
    // The details follow the keyboard selection.
    await expect
      .poll(() => page.locator('[data-testid=tree-item][data-abbrev=frame]').textContent())
      .toContain('Frame 1:');
  });

  test('the theme toggle switches light and dark, and the choice is remembered', async () => {
    const theme = () => page.evaluate(() => document.documentElement.dataset.theme);
    expect(await theme()).toBe('light');
    await page.locator('[data-testid=theme-toggle]').click();
    expect(await theme()).toBe('dark');
    await page.locator('[data-testid=packet-row][data-number="6"]').click();
    await s.screenshot('panes-sample-dark');
    await page.reload();
    await s.waitReady(90_000);
    expect(await theme()).toBe('dark');
    await page.locator('[data-testid=theme-toggle]').click();
    expect(await theme()).toBe('light');
  });

  test('the page has no console errors and no CSP violations', () => {
    expect(s.cspViolations).toEqual([]);
    expect(s.consoleErrors).toEqual([]);
  });
});

describe.skipIf(skipBrowserReason !== null)('opening a capture in the page', () => {
  const pcapng = join(ROOT, '..', 'shared', 'captures', 'ppa__arp_resolution.pcapng');

  test('a capture dropped on the page is opened', async () => {
    const s = await openApp({ waitFor: 'empty', timeoutMs: 90_000 });
    try {
      const base64 = readFileSync(SAMPLE).toString('base64');
      await s.page.evaluate((b64) => {
        const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        const data = new DataTransfer();
        data.items.add(new File([bytes], 'dropped.pcap'));
        const target = document.querySelector('.app') as HTMLElement;
        target.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
        target.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
      }, base64);
      await s.waitReady(90_000);
      expect(await status(s.page)).toMatchObject({ file: 'dropped.pcap', total: '12', shown: '12' });
    } finally {
      await s.close();
    }
  });

  test('the file picker opens a capture parsed in the page (empty state first)', async () => {
    const s = await openApp({ waitFor: 'empty', timeoutMs: 90_000 });
    try {
      const page = s.page;
      expect(await page.locator('[data-testid=packet-row]').count()).toBe(0);
      expect(await page.textContent('body')).toContain('nothing is uploaded');
      await s.screenshot('panes-empty');
      const file = existsSync(pcapng) ? pcapng : SAMPLE;
      await page.locator('[data-testid=file-input]').setInputFiles(file);
      await s.waitReady(90_000);
      const expected = cliColumns(file, ['_ws.col.Info', '_ws.col.Protocol']);
      const st = await status(page);
      expect(st.file).toBe(file.split('/').pop());
      expect(Number(st.total)).toBe(expected.length);
      await page.waitForSelector('[data-testid=packet-row]');
      const n = Math.min(expected.length, await page.locator('[data-testid=packet-row]').count());
      expect((await columnTexts(page, 'info')).slice(0, n)).toEqual(expected.slice(0, n).map((r) => r[0]));
      if (file === pcapng) {
        expect(await page.locator('[data-testid=packet-row][data-number="1"]').getAttribute('data-rule')).toBe('ARP');
      }
      await s.screenshot('panes-file-picker');
      expect(s.cspViolations).toEqual([]);
      expect(s.consoleErrors).toEqual([]);
    } finally {
      await s.close();
    }
  });
});
