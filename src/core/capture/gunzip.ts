// gzip decompression of a chunk stream with the standard DecompressionStream (Node 18+ and
// browsers), so compressed captures stream through the same reader with flat memory.

import { CaptureError } from './capture-error.js';

/** Whether the bytes start with the gzip magic (1f 8b). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

const ignore = (): void => {};

/**
 * Decompresses gzip chunks (several members in a row are fine). Errors of the source are
 * rethrown as they are; bad or cut compressed data becomes a CaptureError ('corrupt' or
 * 'truncated') after every byte before the problem was yielded.
 */
export async function* gunzip(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array, void, undefined> {
  const stream = new DecompressionStream('gzip');
  const writer = stream.writable.getWriter();
  const reader = stream.readable.getReader();
  let sourceError: { error: unknown } | undefined;

  // Feeds the decompressor while the consumer reads; write() waits while the output is not read.
  const pump = async (): Promise<void> => {
    const it = chunks[Symbol.asyncIterator]();
    for (;;) {
      let r: IteratorResult<Uint8Array>;
      try {
        r = await it.next();
      } catch (error) {
        sourceError = { error };
        await writer.abort(error).catch(ignore);
        return;
      }
      if (r.done) break;
      try {
        await writer.write(r.value as Uint8Array<ArrayBuffer>);
      } catch {
        // The decompressor failed (the reader side reports it) or the consumer stopped.
        await it.return?.()?.catch(ignore);
        return;
      }
    }
    await writer.close().catch(ignore);
  };
  void pump();

  let finished = false;
  try {
    for (;;) {
      let r: ReadableStreamReadResult<Uint8Array>;
      try {
        r = await reader.read();
      } catch (error) {
        if (sourceError) throw sourceError.error;
        throw gzipError(error);
      }
      if (r.done) break;
      yield r.value;
    }
    finished = true;
  } finally {
    // Stopping early cancels the decompressor, which makes the pump close the source.
    if (!finished) reader.cancel().catch(ignore);
  }
}

function gzipError(error: unknown): CaptureError {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'Z_BUF_ERROR' || /unexpected end|truncated/i.test(message)) {
    return new CaptureError({ kind: 'truncated', detail: `gzip: the compressed data ends early (${message})` });
  }
  return new CaptureError({ kind: 'corrupt', detail: `gzip: ${message}` });
}
