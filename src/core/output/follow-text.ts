// `synack follow FILE N`: one TCP stream's payload for a person to read. Both directions in the
// order Wireshark's Follow rebuilds them (sequence order, retransmitted bytes once), a header each
// time the direction changes with the frames that carried the bytes, gaps marked, and bytes that
// are not printable text escaped (\r, \t kept visible as escapes; others as \xHH).

import type { FollowChunk, FollowEndpoint, TcpFollower } from '../analysis/stats/follow.js';

function endpointText(e: FollowEndpoint | undefined): string {
  if (!e) return '?';
  return e.ipv6 ? `[${e.address}]:${e.port}` : `${e.address}:${e.port}`;
}

/** Frame numbers as ranges: "4", "6-9, 12". */
export function frameRanges(frames: readonly number[]): string {
  const sorted = [...new Set(frames)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; i++) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(j > i ? `${sorted[i]}-${sorted[j]}` : String(sorted[i]));
    i = j;
  }
  return parts.join(', ');
}

/** The bytes as text: printable ASCII and line feeds as they are, the rest escaped. */
export function escapeBytes(data: Uint8Array): string {
  let s = '';
  for (let i = 0; i < data.length; i++) {
    const b = data[i];
    if (b === 0x0a) s += '\n';
    else if (b === 0x0d) s += '\\r';
    else if (b === 0x09) s += '\\t';
    else if (b === 0x5c) s += '\\\\';
    else if (b >= 0x20 && b < 0x7f) s += String.fromCharCode(b);
    else s += '\\x' + b.toString(16).padStart(2, '0');
  }
  return s;
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}

/** The readable follow text of one stream (call follower.flush() first). */
export function followText(f: TcpFollower, stream: number): string {
  const a = endpointText(f.client);
  const b = endpointText(f.server);
  const bytes = [0, 0];
  const gaps = [0, 0];
  for (const c of f.chunks) {
    const side = c.server ? 1 : 0;
    if (c.missing !== undefined) gaps[side] += c.missing;
    else bytes[side] += c.data.length;
  }
  let s = `TCP stream ${stream}: ${a} ⇄ ${b}\n`;
  s += `${a} → ${b}: ${plural(bytes[0], 'byte')}${gaps[0] ? `, ${plural(gaps[0], 'byte')} missing` : ''}\n`;
  s += `${b} → ${a}: ${plural(bytes[1], 'byte')}${gaps[1] ? `, ${plural(gaps[1], 'byte')} missing` : ''}\n`;
  if (f.duplicateFrames.length)
    s += `Bytes seen before and left out (retransmissions): frames ${frameRanges(f.duplicateFrames)}\n`;
  if (!f.chunks.length) return s + '\n(no payload in this stream)\n';

  // Runs of chunks in one direction, each printed under one header.
  let run: FollowChunk[] = [];
  const flush = (): void => {
    if (!run.length) return;
    const server = run[0].server;
    const frames = run.filter((c) => c.missing === undefined).map((c) => c.frame);
    const size = run.reduce((n, c) => n + (c.missing === undefined ? c.data.length : 0), 0);
    const where = frames.length ? `, frame${frames.length > 1 ? 's' : ''} ${frameRanges(frames)}` : '';
    s += `\n── ${server ? `${b} → ${a}` : `${a} → ${b}`}: ${plural(size, 'byte')}${where} ──\n`;
    let text = '';
    for (const c of run) {
      if (c.missing !== undefined) {
        if (text && !text.endsWith('\n')) text += '\n';
        text += `[${plural(c.missing, 'byte')} missing]\n`;
      } else text += escapeBytes(c.data);
    }
    s += text.endsWith('\n') ? text : text + '\n';
    run = [];
  };
  for (const c of f.chunks) {
    if (run.length && run[0].server !== c.server) flush();
    run.push(c);
  }
  flush();
  return s;
}
