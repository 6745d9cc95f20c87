// `synack connections FILE [--json] [--explain] [--stream N]`: the connection report.

import { readCapture } from '../core/capture/reader.js';
import { Dissection } from '../core/dissect/index.js';
import { ConnectionTable } from '../core/analysis/connections.js';
import { connectionsTable, explainConnection } from '../core/output/connections-text.js';
import { openChunks } from '../node/source.js';
import { UsageError } from './args.js';
import type { Output } from './stdout.js';

export const CONNECTIONS_HELP = `Usage: synack connections <file> [--json] [--explain] [--stream N]

Lists every TCP connection in the capture: client and server, how the handshake went
(complete, refused, unanswered, reset, ...), round-trip times, Zeek's conn_state and history,
how it closed, packets and bytes each way.

  --json        an array of objects instead of the table
  --explain     tell what happened, step by step, in plain words
  --stream N    only connection N (tcp.stream)
`;

export async function runConnections(argv: string[], out: Output): Promise<number> {
  let file: string | undefined;
  let json = false;
  let explain = false;
  let stream: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') json = true;
    else if (a === '--explain') explain = true;
    else if (a === '--stream') {
      const v = argv[++i];
      if (v === undefined || !/^\d+$/.test(v)) throw new UsageError('--stream needs a stream number (tcp.stream)');
      stream = Number(v);
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

  const table = new ConnectionTable();
  const dissection = new Dissection({ wanted: ConnectionTable.fieldIds(), columns: false });
  const summary = await readCapture(
    openChunks(file),
    (frame) => {
      table.add(dissection.dissect(frame));
    },
    { file: file === '-' ? 'standard input' : file },
  );
  let list = table.connections();
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
