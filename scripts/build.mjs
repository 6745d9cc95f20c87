// Builds the CLI bundle (dist/cli.mjs) from the TypeScript sources with esbuild, and, for
// `npm run build` / `npm install` (prepare) or with `--web`, the web app (web/ -> dist/web/, with
// Vite) when it is missing or older than its sources (web/, src/core/). The CLI takes well under
// a second, the app a few seconds; a plain `node scripts/build.mjs` (tests, benchmarks) skips it.
import { build } from 'esbuild';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

await build({
  entryPoints: { cli: 'src/cli/main.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});

/** Newest modification time of the files under dir. */
function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true }))
    if (e.isFile()) t = Math.max(t, statSync(join(e.parentPath, e.name)).mtimeMs);
  return t;
}

const index = 'dist/web/index.html';
const stale = !existsSync(index) || Math.max(newest('web'), newest('src/core')) > statSync(index).mtimeMs;
const wantWeb = process.argv.includes('--web') || ['build', 'prepare'].includes(process.env.npm_lifecycle_event ?? '');
if (wantWeb && existsSync('web') && stale) {
  const { build: viteBuild } = await import('vite');
  await viteBuild({ configFile: 'web/vite.config.ts', logLevel: 'warn' });
}
