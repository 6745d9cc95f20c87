import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeText, isShared } from './decode-text.js';
import { readCaptureBytes } from './reader.js';
import { Dissection } from '../dissect/index.js';
import { detailsText } from '../output/details.js';
import { summaryLine } from '../output/columns.js';

/** Bytes in shared memory, as the web UI's workers hold them. */
function shared(bytes: Uint8Array): Uint8Array {
  const view = new Uint8Array(new SharedArrayBuffer(bytes.length));
  view.set(bytes);
  return view;
}

/** Node decodes shared views; browsers throw. These tests make Node behave as a browser. */
const realDecode = TextDecoder.prototype.decode;
beforeEach(() => {
  TextDecoder.prototype.decode = function (this: TextDecoder, input?: AllowSharedBufferSource, options?) {
    if (input !== undefined && ArrayBuffer.isView(input) && input.buffer instanceof SharedArrayBuffer)
      throw new TypeError('The provided ArrayBufferView value must not be shared.');
    return realDecode.call(this, input, options);
  };
});
afterEach(() => {
  TextDecoder.prototype.decode = realDecode;
});

describe('decodeText', () => {
  it('decodes shared and unshared views alike', () => {
    const text = 'héllo, wörld';
    const bytes = new TextEncoder().encode(text);
    const view = shared(bytes).subarray(1, bytes.length - 1);
    expect(isShared(view)).toBe(true);
    expect(isShared(bytes)).toBe(false);
    expect(() => new TextDecoder().decode(view)).toThrow(/shared/);
    expect(decodeText(new TextDecoder(), view)).toBe(text.slice(1, -1));
    expect(decodeText(new TextDecoder(), bytes)).toBe(text);
  });

  it('every shared capture dissects the same from shared memory as from its own buffer', () => {
    const dir = new URL('../../../../shared/captures/', import.meta.url).pathname;
    const names = readdirSync(dir).filter((n) => /\.pcap(ng)?(\.gz)?$/.test(n));
    expect(names.length).toBeGreaterThan(50);
    const texts = (bytes: Uint8Array): string[] => {
      const out: string[] = [];
      const d = new Dissection({ full: true, columns: true, tcpAnalysis: true });
      readCaptureBytes(bytes, (frame) => {
        const p = d.dissect(frame);
        out.push(summaryLine(p, 6), detailsText(p));
      });
      return out;
    };
    const differing: string[] = [];
    let frames = 0;
    for (const name of names) {
      const bytes = new Uint8Array(readFileSync(join(dir, name)));
      const own = texts(bytes);
      const fromShared = texts(shared(bytes));
      if (own.join('\n') !== fromShared.join('\n')) differing.push(name);
      frames += own.length / 2;
    }
    // Among them the captures that decode text from their bytes: pcapng options, X.509, MQTT ...
    expect(frames).toBeGreaterThan(5000);
    expect(differing).toEqual([]);
  }, 120_000);
});
