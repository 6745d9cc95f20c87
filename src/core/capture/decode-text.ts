// Text from captured bytes. Browsers' TextDecoder refuses views of a SharedArrayBuffer, and the
// web UI keeps a capture's bytes in shared memory (one copy for all its workers), so every
// decoding of captured bytes goes through decodeText: a shared view is decoded from a copy of just
// the bytes asked for, anything else directly.

const Shared: (new (n: number) => ArrayBufferLike) | undefined =
  typeof SharedArrayBuffer === 'function' ? SharedArrayBuffer : undefined;

/** Whether the view's bytes live in shared memory. */
export function isShared(view: Uint8Array): boolean {
  return Shared !== undefined && view.buffer instanceof Shared;
}

/** decoder.decode(view), also for a view of shared memory. */
export function decodeText(decoder: TextDecoder, view: Uint8Array): string {
  return decoder.decode(isShared(view) ? view.slice() : view);
}
