// Node sources: files in large chunks, gzip files, and tshark's words for files that cannot be read.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CaptureError } from '../core/capture/capture-error.js';
import { fileChunks, openCapture } from './source.js';

const captures = fileURLToPath(new URL('../../../shared/captures/', import.meta.url));

describe('node sources', () => {
  it('reads a file in chunks of at most the chunk size, whole', async () => {
    const path = join(captures, 'zeek__206_example_b.pcap');
    const sizes: number[] = [];
    for await (const chunk of fileChunks(path, 256 * 1024)) sizes.push(chunk.length);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(readFileSync(path).length);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(256 * 1024);
    expect(sizes.length).toBeGreaterThan(1);
  });

  it('opens plain and gzip-compressed captures the same way', async () => {
    const path = join(captures, 'ppa__http_espn.pcapng');
    const dir = mkdtempSync(join(tmpdir(), 'synack-source-'));
    const gz = join(dir, 'espn.pcapng.gz');
    writeFileSync(gz, gzipSync(readFileSync(path)));
    const times = async (p: string) => {
      const out: string[] = [];
      const summary = await openCapture(p, (f) => {
        out.push(`${f.tsSec}.${f.tsNsec}/${f.capLen}`);
      });
      return { out, summary };
    };
    const plain = await times(path);
    const compressed = await times(gz);
    expect(plain.out.length).toBeGreaterThan(100);
    expect(compressed.out).toEqual(plain.out);
    expect(compressed.summary.compression).toBe('gzip');
  });

  it("says a missing file doesn't exist, as tshark does", async () => {
    const summary = await openCapture('/nonexistent/x.pcap', () => {});
    expect(summary.error).toBeInstanceOf(CaptureError);
    expect(summary.error?.kind).toBe('unreadable');
    expect(summary.error?.message).toMatch(/The file "\/nonexistent\/x\.pcap" doesn't exist/);
  });

  it('says a directory is not a file', async () => {
    const summary = await openCapture(captures, () => {});
    expect(summary.error?.kind).toBe('unreadable');
    expect(summary.error?.message).toMatch(/is a directory/);
  });

  it('names the file in capture errors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'synack-source-'));
    const path = join(dir, 'notes.pcap');
    writeFileSync(path, 'just some notes\n');
    const summary = await openCapture(path, () => {});
    expect(summary.error?.message).toMatch(/^The file ".*notes\.pcap" isn't a capture file.*text/);
  });
});
