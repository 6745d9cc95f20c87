// `synack connections FILE [--json] [--explain] [--stream N]`: the connection report.

import { readCapture } from '../core/capture/reader.js';
import { Dissection } from '../core/dissect/index.js';
import { fieldByAbbrev } from '../core/dissect/fields.js';
import { needsPayloads } from '../core/dissect/payload-needs.js';
import { ConnectionTable } from '../core/analysis/connections.js';
import { connectionsTable, explainConnection } from '../core/output/connections-text.js';
import { openChunks } from '../node/source.js';
import { compileFilter, formatDiagnostic, type DisplayFilter } from '../core/filter/index.js';
import { UsageError } from './args.js';
import type { Output } from './stdout.js';

export const CONNECTIONS_HELP = `Usage: synack connections <file> [--json] [--explain] [--stream N]

Lists every TCP connection in the capture: client and server, how the handshake went
(complete, refused, unanswered, reset, ...), round-trip times, Zeek's conn_state and history,
how it closed, packets and bytes each way.

  --json        an array of objects instead of the table
  --explain     tell what happened, step by step, in plain words
  --stream N    only connection N (tcp.stream)
  -Y FILTER     only the connections with at least one packet that matches the display filter
                (e.g. -Y 'tcp.analysis.retransmission' or -Y 'ip.addr == 10.0.0.0/8')
`;

export async function runConnections(argv: string[], out: Output): Promise<number> {
  let file: string | undefined;
  let json = false;
  let explain = false;
  let stream: number | undefined;
  let filterText: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') json = true;
    else if (a === '--explain') explain = true;
    else if (a === '--stream') {
      const v = argv[++i];
      if (v === undefined || !/^\d+$/.test(v)) throw new UsageError('--stream needs a stream number (tcp.stream)');
      stream = Number(v);
    } else if (a === '-Y') {
      filterText = argv[++i];
      if (filterText === undefined) throw new UsageError('-Y needs a display filter');
    } else if (a === '-h' || a === '--help') {
      out.write(CONNECTIONS_HELP);
      await out.end();
      return 0;
    } else if (a === '-r' && argv[i + 1] !== undefined) file = argv[++i];
    else if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option ${a} for synack connections`);
    else if (file === undefined) file = a;
    else throw new UsageError(`synack connections takes one capture file (got ${file} and ${a})`);
  }
  if (file === undefined) throw new UsageError('synack connections needs a capture file');

  let filter: DisplayFilter | undefined;
  if (filterText !== undefined) {
    const compiled = compileFilter(filterText);
    if (!compiled.ok) {
      const text = filterText;
      process.stderr.write(compiled.errors.map((e) => `synack: ${formatDiagnostic(text, e)}\n`).join(''));
      await out.end();
      return 2;
    }
    filter = compiled.filter;
  }

  const table = new ConnectionTable();
  const NO_OUTPUT = { full: false, columns: false };
  const streamId = fieldByAbbrev('tcp.stream')?.id ?? -1;
  /** With -Y: the streams that had a matching packet. */
  const matched = new Set<number>();
  const wanted = [...ConnectionTable.fieldIds(), ...(filter?.fieldIds ?? [])];
  // The report reads TCP's own fields: HTTP, TLS ... above it run only for a -Y filter about them.
  const dissection = new Dissection({ wanted, columns: false, payloads: needsPayloads(wanted, NO_OUTPUT) });
  const summary = await readCapture(
    openChunks(file),
    (frame) => {
      const p = dissection.dissect(frame);
      table.add(p);
      if (filter && filter.matches(p)) {
        const i = p.tree.find(streamId);
        if (i >= 0) matched.add(p.tree.num[i]);
      }
    },
    { file: file === '-' ? 'standard input' : file },
  );
  let list = table.connections();
  if (filter) list = list.filter((c) => matched.has(c.stream));
  if (stream !== undefined) {
    list = list.filter((c) => c.stream === stream);
    if (!list.length) throw new UsageError(`no TCP connection ${stream} in ${file}`);
  }
  if (json) out.write(JSON.stringify(list, null, 2) + '\n');
  else if (explain) out.write(list.map(explainConnection).join('\n'));
  else out.write(connectionsTable(list));
  await out.end();
  if (summary.error) {
    process.stderr.write(`synack: ${summary.error.message}\n`);
    return 2;
  }
  return 0;
}
