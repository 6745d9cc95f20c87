// Hex and ASCII dump of a packet's bytes (tshark -x): 16 bytes a line, offset, hex, printable text.

import { HEX2 } from '../dissect/bytes.js';
import type { Packet } from '../dissect/packet.js';

export function hexDump(data: Uint8Array): string {
  let out = '';
  for (let off = 0; off < data.length; off += 16) {
    const n = Math.min(16, data.length - off);
    let hex = '';
    let text = '';
    for (let k = 0; k < 16; k++) {
      if (k < n) {
        const b = data[off + k];
        hex += HEX2[b] + ' ';
        text += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
      } else hex += '   ';
    }
    out += off.toString(16).padStart(4, '0') + '  ' + hex + '  ' + text + '\n';
  }
  return out;
}

/** The dump of every data source of the packet; names them when there is more than one. */
export function packetHexDump(p: Packet): string {
  if (p.sources.length === 1) return hexDump(p.data);
  let out = '';
  for (const s of p.sources) out += `${s.name} (${s.data.length} bytes):\n` + hexDump(s.data);
  return out;
}
