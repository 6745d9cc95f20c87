// IEEE 802.2 LLC (inside 802.3 frames). Placeholder hand-off until the LLC dissector lands.

import type { Packet } from './packet.js';
import { dissectData } from './data.js';

export function dissectLlc(p: Packet, buf: Uint8Array, off: number, end: number): void {
  p.addLayer('llc');
  dissectData(p, buf, off, end);
}
