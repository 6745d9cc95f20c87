// Where this checkout of synack keeps its built web app. The same code runs from src/ (tests) and
// bundled in dist/cli.mjs, so the folder is found from the package root, not from this file.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder holding synack's package.json, found by walking up from this module. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'synack') return dir;
      } catch {
        // not ours: keep walking up
      }
    }
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error('cannot find the synack package folder above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

/** dist/web: what `npm run build` makes from web/. */
export function defaultAppDir(): string {
  return join(packageRoot(), 'dist', 'web');
}
