// The details pane against the CLI on a capture with many UDP and TCP streams split between the
// two shard workers: a packet's tree (stream numbers counted over the whole capture, times within
// its stream) must read as `synack -2 -V` for it, forward through a stream and after a jump back.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { openApp, ROOT, skipBrowserReason, wholeTree, type AppSession } from './harness.js';

const CAPTURES = join(ROOT, '..', 'shared', 'captures');
const CAPTURE = join(CAPTURES, 'suricata__tls-subjectaltname.pcap');
/** pcapng with packet comments, packet flags and drop counts (pcapng's own test files). */
const PCAPNG = join(CAPTURES, 'pcapngtg__be_test009.pcapng');

function cliTree(number: number, capture = CAPTURE): string[] {
  const args = [join(ROOT, 'bin', 'synack'), '-r', capture, '-2', '-V', '-Y', `frame.number == ${number}`];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
  return r.stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

/** Selects packet `number` (jumping to it with a filter) and returns its whole tree, every subtree open. */
async function pageTree(page: Page, number: number): Promise<string[]> {
  const input = page.locator('[data-testid=filter-input]');
  await input.fill(`frame.number == ${number}`);
  await input.press('Enter');
  await page.locator(`[data-testid=packet-row][data-number="${number}"]`).waitFor();
  return wholeTree(page, number);
}

describe.skipIf(skipBrowserReason !== null || !existsSync(CAPTURE))('details of UDP and TCP packets', () => {
  let s: AppSession;
  beforeAll(async () => {
    s = await openApp({ capture: CAPTURE, timeoutMs: 60_000 });
  }, 90_000);
  afterAll(async () => {
    await s?.close();
  });

  // udp.stream 2 (frames 16, 17, 19, 36), stream 3 (33), back to 2, a TCP packet, then UDP stream 0.
  for (const number of [16, 17, 19, 33, 36, 17, 25, 9]) {
    test(`packet ${number} reads as -2 -V`, async () => {
      const tree = await pageTree(s.page, number);
      expect(tree.some((l) => l.startsWith('[Stream index:'))).toBe(true);
      expect(tree).toEqual(cliTree(number));
    });
  }
});

describe.skipIf(skipBrowserReason !== null || !existsSync(PCAPNG))('details of pcapng records', () => {
  let s: AppSession;
  beforeAll(async () => {
    s = await openApp({ capture: PCAPNG, timeoutMs: 60_000 });
  }, 90_000);
  afterAll(async () => {
    await s?.close();
  });

  for (const number of [1, 2]) {
    test(`packet ${number} (interface, comments, flags, drop count) reads as -2 -V`, async () => {
      const tree = await pageTree(s.page, number);
      expect(tree).toContain('Packet comments');
      expect(tree.some((l) => l.startsWith('Packet flags: 0x'))).toBe(true);
      expect(tree).toEqual(cliTree(number, PCAPNG));
    });
  }
});
