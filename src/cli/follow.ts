// `synack follow FILE N`: the payload of TCP stream N (tcp.stream), both directions in order.

import { readCapture } from '../core/capture/reader.js';
import { Dissection } from '../core/dissect/index.js';
import { fieldByAbbrev } from '../core/dissect/fields.js';
import { FollowStatistic } from '../core/analysis/stats/follow.js';
import { followText } from '../core/output/follow-text.js';
import { openChunks } from '../node/source.js';
import { UsageError } from './args.js';
import type { Output } from './stdout.js';

export const FOLLOW_HELP = `Usage: synack follow <file> <stream>

Prints the payload of TCP stream <stream> (tcp.stream, as \`synack connections\` lists them):
both directions in sequence order, a header each time the direction changes with the frames
that carried the bytes, retransmitted bytes once, missing bytes marked, and bytes that are not
printable text escaped (\\r, \\t, \\xHH).

For tshark's own format: synack -r <file> -q -z follow,tcp,ascii|hex|raw,<stream>
`;

export async function runFollow(argv: string[], out: Output): Promise<number> {
  if (argv.includes('-h') || argv.includes('--help')) {
    out.write(FOLLOW_HELP);
    await out.end();
    return 0;
  }
  const unknown = argv.find((a) => a.startsWith('-') && a !== '-');
  if (unknown) throw new UsageError(`unknown option ${unknown} for synack follow`);
  if (argv.length !== 2 || !/^\d+$/.test(argv[1]))
    throw new UsageError('synack follow needs a capture file and a TCP stream number: synack follow FILE N');
  const [file, n] = argv;
  const stream = Number(n);

  const follow = new FollowStatistic('ascii', stream);
  const streamId = fieldByAbbrev('tcp.stream')?.id ?? -1;
  const wanted = follow.fields().flatMap((abbrev) => fieldByAbbrev(abbrev)?.id ?? []);
  const dissection = new Dissection({ wanted, columns: false });
  let lastStream = -1;
  const summary = await readCapture(
    openChunks(file),
    (frame) => {
      const p = dissection.dissect(frame);
      const i = p.tree.find(streamId);
      if (i >= 0 && p.tree.num[i] > lastStream) lastStream = p.tree.num[i];
      follow.add(p);
    },
    { file: file === '-' ? 'standard input' : file },
  );
  if (summary.error && !follow.follower.client) {
    process.stderr.write(`synack: ${summary.error.message}\n`);
    return 2;
  }
  if (!follow.follower.client)
    throw new UsageError(
      lastStream < 0
        ? `no TCP stream ${stream} in ${file}: it has no TCP streams`
        : `no TCP stream ${stream} in ${file}: its streams are 0 to ${lastStream} (see synack connections ${file})`,
    );
  follow.follower.flush();
  out.write(followText(follow.follower, stream));
  await out.end();
  if (summary.error) {
    process.stderr.write(`synack: ${summary.error.message}\n`);
    return 2;
  }
  return 0;
}
