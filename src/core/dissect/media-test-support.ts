// Test helpers for message-body (media type) dissectors: a body handed straight to the
// dissector as HTTP hands it on after "HTTP/1.1 200 OK ", with the media type set, and a
// property that random bodies after a valid prefix never make it throw.

import { expect } from 'vitest';
import fc from 'fast-check';
import { Dissection } from './index.js';
import type { Packet } from './packet.js';
import { mediaMatch } from './media.js';
import type { Dissector } from './tables.js';

export interface MediaBodyTester {
  /** Dissects `body` as a body of media type `type`; the packet and what the dissector returned. */
  run(body: string | Uint8Array, type: string): { p: Packet; result: number | void };
  /** Random bodies starting with `prefix` never make the dissector throw. */
  neverThrows(prefix: Uint8Array): void;
}

export function mediaBodyTester(dissect: Dissector): MediaBodyTester {
  const d = new Dissection({ full: true });
  const run = (body: string | Uint8Array, type: string): { p: Packet; result: number | void } => {
    const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
    const p = d.packet;
    p.begin(bytes);
    p.setProtocol('HTTP');
    p.setInfo('HTTP/1.1 200 OK ');
    mediaMatch.type = type;
    try {
      return { p, result: dissect(p, bytes, 0, bytes.length) };
    } finally {
      mediaMatch.type = '';
    }
  };
  const neverThrows = (prefix: Uint8Array): void => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (tail) => {
        expect(() => run(new Uint8Array([...prefix, ...tail]), 'x/y')).not.toThrow();
      }),
    );
  };
  return { run, neverThrows };
}
