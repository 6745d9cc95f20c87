// Whether a consumer needs what TCP and UDP carry dissected. tshark always hands the payload on
// (to HTTP, TLS, DNS ...); synack skips that when no output can show it: every field asked for
// belongs to the layers up to TCP and UDP (and is not one that TCP reassembly makes), no column
// is built and no full tree is wanted. Then the application dissectors, their conversation
// state and TCP reassembly are pure cost: about a third of `-T fields -e ip.src -e tcp.flags`.
// payload-needs.test.ts checks on the shared captures that those fields read the same.

import { fieldById } from './fields.js';
import { INDEPENDENT_PROTOCOLS } from '../analysis/tcp-needs.js';

/** Fields of the lower protocols that exist only when the payload is dissected. */
const PAYLOAD_MADE = new Set([
  // every protocol of the frame, the application ones included
  'frame.protocols',
  // made by TCP reassembly, which runs when a dissector above TCP asks for more data
  'tcp.segment',
  'tcp.segments',
  'tcp.segment.count',
  'tcp.segment_data',
  'tcp.reassembled_in',
  'tcp.reassembled.length',
  'tcp.reassembled.data',
  // made by the protocols above TCP that split its data into messages
  'tcp.pdu.size',
]);

/** True unless every wanted field reads the same without the payload dissected and nothing else is built. */
export function needsPayloads(wanted: Iterable<number>, options: { full: boolean; columns: boolean }): boolean {
  if (options.full || options.columns) return true;
  for (const id of wanted) {
    const f = fieldById(id);
    // The link and network layers, ICMP, UDP and TCP.
    const lower = f.protocol === 'tcp' || INDEPENDENT_PROTOCOLS.has(f.protocol);
    if (!lower || PAYLOAD_MADE.has(f.abbrev)) return true;
  }
  return false;
}
