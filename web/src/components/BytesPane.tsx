// The bytes pane: hex and ASCII of every data source of the selected packet (the frame, then
// reassembled buffers), 16 bytes a line; the selected field's bytes are highlighted, and a click
// on a byte selects the innermost field that covers it.

import type { DataSourceBytes } from '../protocol.js';

interface Props {
  sources: DataSourceBytes[];
  /** The highlighted range: source index, start, length (length 0: nothing). */
  highlight: { source: number; start: number; length: number } | null;
  onByteClick(source: number, offset: number): void;
}

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

export function BytesPane({ sources, highlight, onByteClick }: Props) {
  return (
    <div className="bytes" data-testid="bytes">
      {sources.length === 0 ? <div className="pane-empty">No bytes to show.</div> : null}
      {sources.map((src, s) => {
        const lines: number[] = [];
        for (let off = 0; off < src.bytes.length; off += 16) lines.push(off);
        const lit = (k: number) =>
          highlight !== null &&
          highlight.source === s &&
          highlight.length > 0 &&
          k >= highlight.start &&
          k < highlight.start + highlight.length;
        return (
          <div className="bytes-source" key={s} data-source-name={src.name}>
            {sources.length > 1 ? (
              <div className="bytes-title">
                {src.name} ({src.bytes.length} bytes)
              </div>
            ) : null}
            {lines.map((off) => {
              const n = Math.min(16, src.bytes.length - off);
              const cells = [];
              const text = [];
              for (let k = 0; k < n; k++) {
                const at = off + k;
                const b = src.bytes[at];
                const on = lit(at);
                cells.push(
                  <span
                    key={k}
                    className={k === 8 ? 'byte gap' : 'byte'}
                    data-offset={at}
                    data-source={s}
                    data-highlight={on ? 'true' : undefined}
                    onClick={() => onByteClick(s, at)}
                  >
                    {HEX[b]}
                  </span>,
                );
                text.push(
                  <span
                    key={k}
                    className="char"
                    data-ascii-offset={at}
                    data-highlight={on ? 'true' : undefined}
                    onClick={() => onByteClick(s, at)}
                  >
                    {b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.'}
                  </span>,
                );
              }
              return (
                <div className="bytes-line" key={off}>
                  <span className="bytes-offset">{off.toString(16).padStart(4, '0')}</span>
                  <span className="bytes-hex">{cells}</span>
                  <span className="bytes-ascii">{text}</span>
                </div>
              );
            })}
          </div>
        );
      })}
    </div>
  );
}
