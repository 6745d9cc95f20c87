// The tshark-compatible run: read the capture, dissect each frame as much as the chosen output
// needs, and print it (packet list, -V details, -x bytes, -T fields, -T json).

import { readCapture } from '../core/capture/reader.js';
import { Dissection } from '../core/dissect/index.js';
import { needsTcpAnalysis } from '../core/analysis/tcp-needs.js';
import { needsPayloads } from '../core/dissect/payload-needs.js';
import { closeFieldNames, fieldByAbbrev } from '../core/dissect/fields.js';
import { FieldsWriter, defaultFieldsOptions, type FieldsOptions } from '../core/output/fields-writer.js';
import { isColumnField, SummaryWriter } from '../core/output/columns.js';
import { detailsText } from '../core/output/details.js';
import { packetHexDump } from '../core/output/hexdump.js';
import { packetJson } from '../core/output/json.js';
import { Statistics, StatsSpecError } from '../core/analysis/stats/index.js';
import { openChunks } from '../node/source.js';
import { firstPass } from './two-pass.js';
import { cliFilters, keptFrames } from './display-filter.js';
import { UsageError, type TsharkOptions } from './args.js';
import type { Output } from './stdout.js';

export function fieldsOptionsFrom(raw: Record<string, string>): FieldsOptions {
  const o: FieldsOptions = { ...defaultFieldsOptions };
  for (const [k, v] of Object.entries(raw)) {
    switch (k) {
      case 'header':
        if (v !== 'y' && v !== 'n') throw new UsageError(`-E header=${v}: use header=y or header=n`);
        o.header = v === 'y';
        break;
      case 'separator':
        o.separator = v === '/t' ? '\t' : v === '/s' ? ' ' : v;
        break;
      case 'aggregator':
        o.aggregator = v === '/s' ? ' ' : v;
        break;
      case 'occurrence':
        if (v === 'a' || v === 'f' || v === 'l') o.occurrence = v;
        else if (/^-?[1-9]\d*$/.test(v)) o.occurrence = Number(v);
        else throw new UsageError(`-E occurrence=${v}: use f (first), l (last), a (all) or a number`);
        break;
      case 'quote':
        if (v === 'd') o.quote = '"';
        else if (v === 's') o.quote = "'";
        else if (v === 'n') o.quote = '';
        else throw new UsageError(`-E quote=${v}: use d (double), s (single) or n (none)`);
        break;
    }
  }
  return o;
}

/** Checks -e fields against the registry; throws with the close names for unknown ones. */
export function checkFields(names: readonly string[]): void {
  const bad = names.filter((n) => !isColumnField(n) && !fieldByAbbrev(n));
  if (!bad.length) return;
  const lines = bad.map((n) => {
    const close = closeFieldNames(n);
    return `\t${n}${close.length ? ` (did you mean ${close.join(', ')}?)` : ''}`;
  });
  throw new UsageError(`Some fields aren't valid:\n${lines.join('\n')}`);
}

/** The -z statistics, or a usage error in tshark's words. */
function statisticsFor(specs: readonly string[]): Statistics {
  try {
    return new Statistics(specs);
  } catch (err) {
    if (err instanceof StatsSpecError) throw new UsageError(err.message);
    throw err;
  }
}

export async function runTshark(o: TsharkOptions, out: Output): Promise<number> {
  if (!o.read) throw new UsageError('no capture file given: use -r FILE (or -r - for standard input)');
  const compiled = cliFilters(o);
  if (!compiled.ok) {
    // tshark's answer to a bad filter: the message with the filter and a caret, exit status 2.
    process.stderr.write(compiled.message);
    await out.end();
    return 2;
  }
  if (compiled.warnings) process.stderr.write(compiled.warnings);
  const { display, read } = compiled.filters;
  if (o.write) throw new UsageError('writing captures (-w) is not supported yet in this version of synack');
  const stats = o.stats.length ? statisticsFor(o.stats) : undefined;

  const fieldsMode = o.output === 'fields';
  if (fieldsMode && o.fields.length === 0) throw new UsageError('-T fields needs at least one -e FIELD');
  if (!fieldsMode && o.fields.length) throw new UsageError('-e FIELD goes with -T fields');
  if (fieldsMode) checkFields(o.fields);
  const fieldsOptions = fieldsOptionsFrom(o.fieldOptions);

  const full = o.details || o.output === 'json';
  const writer = fieldsMode ? new FieldsWriter(o.fields, fieldsOptions, 9) : undefined;
  // -2: a first pass over the capture for what tshark's second pass shows from the end of it.
  const first = o.twoPass ? await firstPass(o.read, o.count ?? Infinity) : undefined;
  const wanted = [...(writer?.wantedIds() ?? []), ...(stats?.wantedIds() ?? []), ...(display?.fieldIds ?? [])];
  const columns = o.quiet ? false : writer ? writer.needsColumns() : !full || o.printSummary || o.output === 'text';
  const dissection = new Dissection({
    full,
    wanted,
    columns,
    // Only when no output depends on it (e.g. -T fields of header fields): the result is the same.
    tcpAnalysis: stats !== undefined || needsTcpAnalysis(wanted, { full, columns }),
    payloads: stats !== undefined || needsPayloads(wanted, { full, columns }),
  });
  first?.prime(dissection.session);
  // With -Y, frame.time_delta_displayed counts from the previous frame that matched.
  dissection.deferDisplayed = display !== undefined;
  // -2 -R: the read filter decides which frames exist (and are numbered) in the output pass.
  const kept = read && first ? await keptFrames(first.chunks(), read) : undefined;
  let ordinal = 0;
  let shown = 0;
  if (writer && fieldsOptions.header) out.line(writer.headerLine());
  const json = o.output === 'json';
  const summaryWriter = new SummaryWriter();
  if (json && !o.quiet) out.write('[\n');

  let count = 0;
  const limit = o.count ?? Infinity;
  const summary = await readCapture(
    first ? first.chunks() : openChunks(o.read),
    (frame) => {
      if (kept && kept[ordinal++] !== 1) return true;
      const p = dissection.dissect(frame);
      count++;
      stats?.add(p);
      if (o.quiet) return count < limit;
      // -Y: frames that do not match are not shown; they keep their numbers and count for -c.
      if (display && !display.matches(p)) return count < limit;
      if (display) dissection.displayed(p);
      shown++;
      if (writer) {
        if (writer.bytePath) {
          // lineBytes may grow writer.bytes: read it after the call.
          const length = writer.lineBytes(p);
          out.lineBytes(writer.bytes, length);
        } else out.line(writer.line(p));
      } else if (json) out.write((shown > 1 ? ',\n' : '') + packetJson(p));
      else {
        // As tshark: -V or -x replace the summary line unless -P asks for it too.
        const summary = o.printSummary || (!o.details && !o.hex);
        if (summary) {
          // line() may grow summaryWriter.bytes: read it after the call.
          const length = summaryWriter.line(p, frame.tsPrecision ?? 6);
          out.lineBytes(summaryWriter.bytes, length);
        }
        if (o.details) out.write(detailsText(p, !o.hex) + '\n');
        else if (summary && o.hex) out.write('\n');
        if (o.hex) out.write(packetHexDump(p) + '\n');
      }
      return count < limit;
    },
    { file: o.read === '-' ? 'standard input' : o.read },
  );
  if (json && !o.quiet) out.write(shown ? '\n]\n' : ']\n');
  // A file that is not a capture at all ends tshark before its statistics are drawn.
  if (stats && !(summary.error && count === 0)) out.write(stats.text());
  await out.end();
  if (summary.error) {
    process.stderr.write(`synack: ${summary.error.message}\n`);
    return 2;
  }
  return 0;
}
