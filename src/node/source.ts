// Node sources of capture bytes: a file or standard input as an async iterable of large chunks,
// the shape every capture reader in src/core takes.

import { createReadStream } from 'node:fs';
import { CaptureError } from '../core/capture/capture-error.js';
import { readCapture, type CaptureSummary, type FrameCallback } from '../core/capture/reader.js';

/** Read size: large reads keep the per-chunk work (and straddling records) rare. */
export const CHUNK_SIZE = 1 << 20;

/** The bytes of a file in chunks of up to `chunkSize`. I/O problems become CaptureError 'unreadable'. */
export async function* fileChunks(path: string, chunkSize = CHUNK_SIZE): AsyncGenerator<Uint8Array> {
  const stream = createReadStream(path, { highWaterMark: chunkSize });
  try {
    for await (const chunk of stream) yield chunk as Uint8Array;
  } catch (error) {
    throw unreadable(error, path);
  } finally {
    stream.destroy();
  }
}

/** Standard input in chunks (as large as the pipe or file delivers them). */
export async function* stdinChunks(): AsyncGenerator<Uint8Array> {
  try {
    for await (const chunk of process.stdin) yield chunk as Uint8Array;
  } catch (error) {
    throw unreadable(error, '-');
  }
}

/** The chunks of a file, or of standard input for "-". */
export function openChunks(path: string): AsyncIterable<Uint8Array> {
  return path === '-' ? stdinChunks() : fileChunks(path);
}

/**
 * Reads the capture in a file (or standard input for "-"), gzip-compressed or not, calling
 * onFrame for each frame (valid only during the call; return false to stop). Problems with the
 * file come back in `summary.error`, with the file name in the message.
 */
export async function openCapture(path: string, onFrame: FrameCallback): Promise<CaptureSummary> {
  return readCapture(openChunks(path), onFrame, { file: path === '-' ? 'standard input' : path });
}

/** tshark's wording for files it cannot open (ui/failure_message.c). */
function unreadable(error: unknown, path: string): CaptureError {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  const name = path === '-' ? 'standard input' : `"${path}"`;
  let detail: string;
  if (code === 'ENOENT') detail = `The file ${name} doesn't exist.`;
  else if (code === 'EACCES' || code === 'EPERM')
    detail = `The file ${name} could not be opened due to a permissions problem.`;
  else if (code === 'EISDIR') detail = `${name} is a directory (folder), not a file.`;
  else detail = `The file ${name} could not be read: ${message}`;
  return new CaptureError({ kind: 'unreadable', detail });
}
