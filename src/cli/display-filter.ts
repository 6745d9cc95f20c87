// -Y (display filter) and -R (read filter, with -2) for the tshark-compatible run: compiles them
// with tshark's error shape (message, the filter with a caret under the problem, exit status 2)
// plus synack's suggestion, and runs the read filter's pass that decides which frames exist.

import { readCapture } from '../core/capture/reader.js';
import { Dissection } from '../core/dissect/index.js';
import { compileFilter, formatDiagnostic, type DisplayFilter } from '../core/filter/index.js';
import { UsageError, type TsharkOptions } from './args.js';

export interface CliFilters {
  display: DisplayFilter | undefined;
  read: DisplayFilter | undefined;
}

export type CliFiltersResult = { ok: true; filters: CliFilters; warnings: string } | { ok: false; message: string };

function one(text: string | undefined, filters: CliFilters, key: keyof CliFilters, out: string[]): string | undefined {
  if (text === undefined) return undefined;
  const r = compileFilter(text);
  if (!r.ok) return r.errors.map((e) => `synack: ${formatDiagnostic(text, e)}\n`).join('');
  filters[key] = r.filter;
  for (const w of r.warnings) out.push(`synack: ${formatDiagnostic(text, w)}\n`);
  return undefined;
}

/** Compiles -Y and -R; a bad filter is reported as tshark does (the caller exits with 2). */
export function cliFilters(o: TsharkOptions): CliFiltersResult {
  if (o.readFilter !== undefined && !o.twoPass)
    throw new UsageError('-R without -2 is deprecated. For single-pass filtering use -Y.');
  const filters: CliFilters = { display: undefined, read: undefined };
  const warnings: string[] = [];
  const bad = one(o.readFilter, filters, 'read', warnings) ?? one(o.displayFilter, filters, 'display', warnings);
  if (bad !== undefined) return { ok: false, message: bad };
  return { ok: true, filters, warnings: warnings.join('') };
}

/**
 * tshark -2 -R: the frames the read filter keeps (by their order in the file, 0-based). The
 * others are dropped before the output pass, which numbers the kept frames 1, 2, 3 ... as tshark does.
 */
export async function keptFrames(chunks: AsyncIterable<Uint8Array>, filter: DisplayFilter): Promise<Uint8Array> {
  const dissection = new Dissection({ wanted: filter.fieldIds, columns: false });
  let kept = new Uint8Array(1024);
  let n = 0;
  await readCapture(chunks, (frame) => {
    if (n === kept.length) {
      const grown = new Uint8Array(kept.length * 2);
      grown.set(kept);
      kept = grown;
    }
    kept[n++] = filter.matches(dissection.dissect(frame)) ? 1 : 0;
    return true;
  });
  return kept.subarray(0, n);
}
