// The synack command: tshark-compatible options by default, synack's own commands by name.

import { parseTsharkArgs, TSHARK_HELP, UsageError } from './args.js';
import { runTshark } from './print.js';
import { runConnections } from './connections.js';
import { runFollow } from './follow.js';
import { runUi } from './ui.js';
import { Output } from './stdout.js';
import { CaptureError } from '../core/capture/reader.js';

const VERSION = '0.1.0';

async function main(argv: string[]): Promise<number> {
  const out = new Output();
  try {
    if (argv[0] === 'connections') return await runConnections(argv.slice(1), out);
    if (argv[0] === 'follow') return await runFollow(argv.slice(1), out);
    if (argv[0] === 'ui') return await runUi(argv.slice(1), out);
    const o = parseTsharkArgs(argv);
    if (o.help) {
      out.write(TSHARK_HELP);
      await out.end();
      return 0;
    }
    if (o.version) {
      out.line(`synack ${VERSION}`);
      await out.end();
      return 0;
    }
    return await runTshark(o, out);
  } catch (err) {
    await out.end();
    if (err instanceof UsageError) {
      process.stderr.write(`synack: ${err.message}\n\nRun synack -h for the options.\n`);
      return 1;
    }
    if (err instanceof CaptureError) {
      process.stderr.write(`synack: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`synack: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 3;
  },
);
