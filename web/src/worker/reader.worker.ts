// The byte reader, a worker of the capture worker: it reads the capture (a File, or the URL the
// local server serves), decompresses gzip, and hands over the bytes in blocks of 16 MB. In a
// cross-origin isolated page the blocks are shared memory, which the capture worker passes on to
// every shard without a copy; otherwise they are transferred. Reading in its own thread lets the
// bytes arrive while the capture worker dissects the previous block.

import { CaptureError, type CaptureErrorInit } from '../../../src/core/capture/capture-error.js';
import { gunzip, isGzip } from '../../../src/core/capture/gunzip.js';
import { BLOCK_SIZE } from './packet-store.js';

export type ToReader = { type: 'file'; file: File } | { type: 'url'; url: string };

export type FromReader =
  | { type: 'gzip' }
  /** `read`: bytes of the source (compressed or not) read when this block was complete. */
  | { type: 'block'; bytes: Uint8Array; read: number }
  | { type: 'end' }
  | { type: 'error'; message: string; capture?: CaptureErrorInit };

interface ReaderScope {
  postMessage(message: FromReader, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<ToReader>) => void) | null;
}
const scope = self as unknown as ReaderScope;

let read = 0;

/** Whether workers can share memory (the page is cross-origin isolated). */
const SHARED = (self as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;

function newBlock(size: number): Uint8Array {
  return SHARED ? new Uint8Array(new SharedArrayBuffer(size)) : new Uint8Array(size);
}

/** Hands a full block over: shared memory is shared, other memory transferred. */
function post(block: Uint8Array): void {
  scope.postMessage({ type: 'block', bytes: block, read }, SHARED ? [] : [block.buffer as ArrayBuffer]);
}

/** Size of the buffer a byte stream is read into. */
const READ_SIZE = 1 << 20;

/**
 * Chunks of a ReadableStream, counting the bytes read for the progress bar. A byte stream (a
 * fetch body, a File) is read into one reused buffer: each chunk is only valid until the next
 * is asked for, and reading hundreds of MB leaves no garbage behind.
 */
async function* chunksOf(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  let byob: ReadableStreamBYOBReader | undefined;
  try {
    byob = stream.getReader({ mode: 'byob' });
  } catch {
    // not a byte stream: chunks as the stream makes them
  }
  if (byob !== undefined) {
    let buffer = new ArrayBuffer(READ_SIZE);
    try {
      for (;;) {
        const { done, value } = await byob.read(new Uint8Array(buffer));
        if (done || value === undefined) return;
        read += value.length;
        yield value;
        buffer = value.buffer as ArrayBuffer;
      }
    } finally {
      byob.releaseLock();
    }
  }
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      read += value.length;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/** The decompressed capture bytes (gzip is recognised by its magic number, not the name). */
async function* decompressedChunks(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const it = chunks[Symbol.asyncIterator]();
  let first = await it.next();
  while (!first.done && first.value.length === 0) first = await it.next();
  if (first.done) return;
  const head = first.value;
  async function* rest(): AsyncGenerator<Uint8Array> {
    yield head;
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      yield r.value;
    }
  }
  if (isGzip(head)) {
    scope.postMessage({ type: 'gzip' });
    yield* gunzip(rest());
  } else yield* rest();
}

/** Sends the bytes in blocks of BLOCK_SIZE (the last one shorter). */
async function sendBlocks(chunks: AsyncIterable<Uint8Array>): Promise<void> {
  let block = newBlock(BLOCK_SIZE);
  let used = 0;
  for await (let chunk of chunks) {
    while (chunk.length > 0) {
      const n = Math.min(chunk.length, block.length - used);
      block.set(n === chunk.length ? chunk : chunk.subarray(0, n), used);
      used += n;
      chunk = chunk.subarray(n);
      if (used === block.length) {
        post(block);
        block = newBlock(BLOCK_SIZE);
        used = 0;
      }
    }
  }
  if (used > 0) {
    const last = newBlock(used);
    last.set(block.subarray(0, used));
    post(last);
  }
}

async function run(m: ToReader): Promise<void> {
  let stream: ReadableStream<Uint8Array>;
  if (m.type === 'file') stream = m.file.stream() as ReadableStream<Uint8Array>;
  else {
    const response = await fetch(m.url);
    if (!response.ok || response.body === null) throw new Error(`${m.url}: HTTP ${response.status}`);
    stream = response.body;
  }
  await sendBlocks(decompressedChunks(chunksOf(stream)));
  scope.postMessage({ type: 'end' });
}

scope.onmessage = (event) => {
  run(event.data).catch((error: unknown) => {
    if (error instanceof CaptureError)
      scope.postMessage({
        type: 'error',
        message: error.message,
        capture: { kind: error.kind, detail: error.detail, offset: error.offset, hint: error.hint },
      });
    else scope.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  });
};
