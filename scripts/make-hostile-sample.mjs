// Runs scripts/make-hostile-sample.ts (bundled on the fly with esbuild, as bench/run.mjs does with
// its generator): writes test/fixtures/web/hostile.pcap, or the file named by the first argument.
//
//   node scripts/make-hostile-sample.mjs [OUT]

import { build } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const result = await build({
  entryPoints: [new URL('make-hostile-sample.ts', import.meta.url).pathname],
  bundle: true,
  platform: 'node',
  format: 'esm',
  write: false,
  logLevel: 'warning',
});
const dir = mkdtempSync(join(tmpdir(), 'synack-hostile-'));
try {
  const bundle = join(dir, 'make-hostile-sample.mjs');
  writeFileSync(bundle, result.outputFiles[0].text);
  const { writeHostileCapture } = await import(pathToFileURL(bundle).href);
  const fallback = fileURLToPath(new URL('../test/fixtures/web/hostile.pcap', import.meta.url));
  console.log(writeHostileCapture(resolve(process.argv[2] ?? fallback)));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
