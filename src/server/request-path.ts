// Turns the path of a request for the web app into a file inside the app folder, or a refusal.
// Browsers never send `..`, backslashes or NUL in a path they made themselves, so anything of the
// kind is refused outright (400) rather than normalised: a normalised `..` is how traversal bugs start.

import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';

export type PathResult =
  { kind: 'file'; file: string; size: number } | { kind: 'refused'; status: 400 | 404; reason: string };

/**
 * Checks the raw request path (without its query) and decodes it into the segments of a path
 * relative to the app folder. Refuses (400) encodings that cannot name a file of the app.
 */
export function decodeRequestPath(rawPath: string): { segments: string[] } | { error: string } {
  if (!rawPath.startsWith('/')) return { error: 'the path does not start with /' };
  // `//host/x` is a scheme-relative URL in a browser and an absolute path to a careless server.
  if (rawPath.startsWith('//')) return { error: 'the path starts with //' };
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return { error: 'the path has a bad percent-encoding' };
  }
  if (decoded.includes('\0')) return { error: 'the path has a NUL byte' };
  if (decoded.includes('\\') || rawPath.includes('\\')) return { error: 'the path has a backslash' };
  const segments = decoded.slice(1).split('/');
  for (const segment of segments) {
    if (segment === '..' || segment === '.') return { error: 'the path has a . or .. segment' };
  }
  // A trailing slash names a folder: index.html is its only page.
  if (segments[segments.length - 1] === '') segments[segments.length - 1] = 'index.html';
  if (segments.some((s) => s === '')) return { error: 'the path has an empty segment' };
  // A drive letter (`C:`) would make the joined path absolute on Windows.
  if (segments.some((s) => s.includes(':'))) return { error: 'the path has a colon' };
  return { segments };
}

/** True when `child` is `parent` itself or lies under it (both absolute, resolved). */
function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..' + sep) && rel !== '..' && !isAbsolute(rel));
}

/**
 * Resolves a request path to a regular file under `appDirReal` (the app folder, already passed
 * through realpath). Symbolic links are followed only if they stay inside the folder.
 */
export async function resolveAppFile(appDirReal: string, rawPath: string): Promise<PathResult> {
  const decoded = decodeRequestPath(rawPath);
  if ('error' in decoded) return { kind: 'refused', status: 400, reason: decoded.error };
  const candidate = resolve(appDirReal, ...decoded.segments);
  if (!isInside(appDirReal, candidate)) return { kind: 'refused', status: 400, reason: 'outside the app folder' };
  let real: string;
  try {
    real = await realpath(candidate);
  } catch {
    return { kind: 'refused', status: 404, reason: 'no such file' };
  }
  if (!isInside(appDirReal, real)) return { kind: 'refused', status: 404, reason: 'a link out of the app folder' };
  try {
    const info = await stat(real);
    if (!info.isFile()) return { kind: 'refused', status: 404, reason: 'not a file' };
    return { kind: 'file', file: real, size: info.size };
  } catch {
    return { kind: 'refused', status: 404, reason: 'no such file' };
  }
}
