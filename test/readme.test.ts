// Runs every CLI example in the README (the fenced sh blocks that call bin/synack), so the
// README stays true: each must exit 0 and print something.

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('..', import.meta.url).pathname;
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const examples = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)]
  .map((m) => m[1].trim())
  .filter((cmd) => cmd.includes('bin/synack'));

describe('README examples', () => {
  it('has examples to run', () => {
    expect(examples.length).toBeGreaterThanOrEqual(5);
  });
  for (const cmd of examples) {
    it(`runs: ${cmd}`, () => {
      const r = spawnSync('bash', ['-o', 'pipefail', '-c', cmd], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 26 });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout.length).toBeGreaterThan(0);
    });
  }
});
