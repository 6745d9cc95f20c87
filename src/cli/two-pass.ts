// tshark's -2: a first pass over the capture that only runs the analysis and keeps what the
// output pass shows from the end of the capture (each TCP stream's final completeness, iRTT,
// window scale and sequence bases). Standard input is kept in memory to be read twice.

import { readCapture } from '../core/capture/reader.js';
import { Dissection } from '../core/dissect/index.js';
import type { Session } from '../core/dissect/session.js';
import { recordTcpFinals, showTcpFinals, tcpFinalsOf, type TcpStreamFinals } from '../core/analysis/tcp.js';
import { openChunks } from '../node/source.js';

export interface FirstPass {
  /** The capture's bytes again, for the output pass. */
  chunks(): AsyncIterable<Uint8Array>;
  /** Gives a session the values the first pass found. */
  prime(session: Session): void;
}

/**
 * Reads the capture once for its analysis, up to `limit` frames as tshark's -c limits its first
 * pass too. Capture errors are left for the output pass to report.
 */
export async function firstPass(path: string, limit = Infinity): Promise<FirstPass> {
  let kept: Uint8Array[] | undefined;
  let source: AsyncIterable<Uint8Array> = openChunks(path);
  if (path === '-') {
    kept = [];
    for await (const chunk of source) kept.push(chunk);
    source = replay(kept);
  }
  const dissection = new Dissection({ full: false, columns: false });
  dissection.session.isFirstPass = true;
  recordTcpFinals(dissection.session);
  let count = 0;
  await readCapture(source, (frame) => {
    dissection.dissect(frame);
    return ++count < limit;
  });
  const finals: TcpStreamFinals = tcpFinalsOf(dissection.session);
  return {
    chunks: () => (kept ? replay(kept) : openChunks(path)),
    prime: (session) => {
      showTcpFinals(session, finals);
      session.firstPass = dissection.session;
    },
  };
}

async function* replay(chunks: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const c of chunks) yield c;
}
