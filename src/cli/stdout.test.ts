import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Output } from './stdout.js';

/** An Output into memory, and what it has written. */
function capture(): { out: Output; bytes: () => Buffer } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
  return { out: new Output(stream), bytes: () => Buffer.concat(chunks) };
}

describe('Output', () => {
  it('writes lines as UTF-8 in order, across batches, blocks and lines longer than a block', async () => {
    const { out, bytes } = capture();
    let expected = '';
    for (let i = 0; i < 5000; i++) {
      // Packet-list arrows, Latin-1, a surrogate pair, a lone surrogate (U+FFFD), and a few huge lines.
      let line = `${i} 10.0.0.1 \u2192 10.0.0.2 caf\u00e9 \ud83d\ude00 \ud800 x`;
      if (i % 1000 === 7) line = line.repeat(3000);
      out.line(line);
      expected += line + '\n';
      if (i % 777 === 0) {
        out.write('[partial]');
        expected += '[partial]';
      }
    }
    await out.end();
    expect(bytes().equals(Buffer.from(expected))).toBe(true);
  });

  it('writes nothing for no output', async () => {
    const { out, bytes } = capture();
    await out.end();
    expect(bytes().length).toBe(0);
  });
});
