import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeRequestPath, resolveAppFile } from './request-path.js';

const root = realpathSync(mkdtempSync(join(tmpdir(), 'synack-path-')));
const app = join(root, 'app');
mkdirSync(join(app, 'assets'), { recursive: true });
writeFileSync(join(app, 'index.html'), 'x');
writeFileSync(join(app, 'assets', 'a.js'), 'x');
writeFileSync(join(root, 'secret'), 'x');
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('decodeRequestPath', () => {
  it('maps / and a trailing slash to index.html', () => {
    expect(decodeRequestPath('/')).toEqual({ segments: ['index.html'] });
    expect(decodeRequestPath('/assets/')).toEqual({ segments: ['assets', 'index.html'] });
  });
  it('decodes percent-escapes in a name', () => {
    expect(decodeRequestPath('/a%20b.js')).toEqual({ segments: ['a b.js'] });
  });
  it('refuses dot segments however they are spelled', () => {
    for (const p of ['/..', '/a/../b', '/%2e%2e/x', '/%2E./x', '/.%2e/x', '/a/.', '/..%2fx']) {
      expect(decodeRequestPath(p)).toHaveProperty('error');
    }
  });
  it('refuses backslashes, NUL, bad escapes, empty segments, colons and relative paths', () => {
    for (const p of ['/a\\b', '/a%5cb', '/a%00', '/%zz', '//x', '/a//b', '/c:/x', 'x', '']) {
      expect(decodeRequestPath(p)).toHaveProperty('error');
    }
  });
});

describe('resolveAppFile', () => {
  it('finds files of the app folder', async () => {
    expect(await resolveAppFile(app, '/')).toMatchObject({ kind: 'file', file: join(app, 'index.html') });
    expect(await resolveAppFile(app, '/assets/a.js')).toMatchObject({ kind: 'file', size: 1 });
  });

  it('never names a file outside the app folder, whatever the path (property)', async () => {
    const piece = fc.constantFrom(
      '..',
      '.',
      '%2e',
      '%2E',
      '%2f',
      '%5c',
      '\\',
      '/',
      '%00',
      'secret',
      'app',
      'assets',
      'a.js',
      '%',
      ':',
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(piece, fc.string({ maxLength: 4 })), { maxLength: 12 }), async (pieces) => {
        const r = await resolveAppFile(app, '/' + pieces.join(''));
        if (r.kind === 'file') expect(r.file.startsWith(app + sep)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
