// How a protocol over TCP asks for whole messages (Wireshark's tcp_dissect_pdus and the
// pinfo->desegment_* protocol): a message that runs past the end of the data at hand is left
// for TCP reassembly, which calls the dissector again with the whole message once its last
// segment has arrived. Messages are found by a fixed-size header that tells their length.

import type { Packet } from './packet.js';
import { defineFields } from './fields.js';
import { GENERATED } from './tree.js';
import { tcpItem } from './tcp.js';

const F = defineFields({
  pduSize: { abbrev: 'tcp.pdu.size', name: 'PDU Size', type: 'uint', bits: 32, base: 'dec' },
});

/** desegmentLen: the length is not known yet; call again with one more segment's bytes. */
export const DESEGMENT_ONE_MORE_SEGMENT = 0x0fffffff;
/** desegmentLen: the message runs until the sender's FIN (HTTP bodies without a length). */
export const DESEGMENT_UNTIL_FIN = 0x0ffffffe;

/**
 * Asks TCP for more bytes: the unfinished message starts at `off` of the current buffer and
 * needs `more` bytes past the current end. Returns false (and asks nothing) when the data
 * cannot be reassembled (not over TCP, a retransmission, an ICMP quote): the caller then
 * dissects what it has, as Wireshark does.
 */
export function askForMore(p: Packet, off: number, more: number): boolean {
  if (!p.canDesegment) return false;
  p.desegmentOffset = off;
  p.desegmentLen = more;
  return true;
}

/**
 * Reads a length from a message's fixed-size header at buf[off..]: returns the whole message
 * length in bytes (header included), or 0 when it cannot tell yet (more bytes needed).
 */
export type PduLength = (p: Packet, buf: Uint8Array, off: number, end: number) => number;

/** Dissects one message buf[off..end) (end may lie past buf.length when the capture cut it). */
export type PduDissector = (p: Packet, buf: Uint8Array, off: number, end: number) => void;

/**
 * Splits buf[off..end) into messages of a protocol whose header (at least `fixedLength`
 * bytes) tells the message length, and dissects each one. When the data ends inside a header
 * or a message and TCP can reassemble, it asks for the rest and stops; otherwise the partial
 * message is dissected as it is (its dissector sees a short buffer). A length shorter than the
 * fixed header is malformed: dissection stops there. Returns the offset where it stopped.
 */
export function tcpDissectPdus(
  p: Packet,
  buf: Uint8Array,
  off: number,
  end: number,
  fixedLength: number,
  pduLength: PduLength,
  dissectPdu: PduDissector,
  protocol: string,
): number {
  let at = off;
  while (at < end) {
    const captured = Math.min(end, buf.length) - at;
    if (captured <= 0) break;
    if (captured < fixedLength && askForMore(p, at, DESEGMENT_ONE_MORE_SEGMENT)) return at;
    const length = pduLength(p, buf, at, end);
    if (length === 0) {
      if (askForMore(p, at, DESEGMENT_ONE_MORE_SEGMENT)) return at;
      dissectPdu(p, buf, at, end);
      return end;
    }
    if (length < fixedLength) {
      p.malformed(protocol);
      return end;
    }
    if (captured < length && end - at < length && askForMore(p, at, length - (end - at))) return at;
    // "[PDU Size: n]" in the TCP tree for each message dissected, as tcp_dissect_pdus adds it.
    const t = p.tree;
    if (t.keeps(F.pduSize)) {
      t.open(tcpItem());
      t.add(F.pduSize, at, Math.max(0, Math.min(length, Math.min(end, buf.length) - at)), length, GENERATED);
      t.close();
    }
    const next = at + length;
    dissectPdu(p, buf, at, next);
    if (next <= at) break;
    at = next;
  }
  return at;
}
