// The load pass: every frame of the capture is dissected once, in order, with the columns and
// the TCP analysis, and what the packet list needs is kept in the PacketStore: interned
// Protocol/Source/Destination, the Info text, the colouring rule and the TCP stream.

import type { CaptureFrame } from '../../../src/core/capture/frame.js';
import { Dissection, type Session } from '../../../src/core/dissect/index.js';
import { fieldByAbbrev } from '../../../src/core/dissect/fields.js';
import type { Packet } from '../../../src/core/dissect/packet.js';
import { compileFilter, type DisplayFilter } from '../../../src/core/filter/index.js';
import { recordTcpFinals } from '../../../src/core/analysis/tcp.js';
import { COLOURING_RULES, NO_RULE } from '../colouring.js';
import type { PacketStore } from './packet-store.js';

export interface ActiveRule {
  index: number;
  text: string;
  filter: DisplayFilter;
  /** Bits of the protocols the rule needs (see protocolBits); 0: tried on every packet. */
  needs: number;
}

/** A bit per protocol named by a rule's `needs`, to skip rules whose protocols a packet lacks. */
const protocolBits = new Map<string, number>();

/** The bits of the protocols in the packet's frame.protocols that some rule needs. */
function packetProtocolBits(p: Packet): number {
  let bits = 0;
  for (let k = 0; k < p.layerCount; k++) bits |= protocolBits.get(p.layers[k]) ?? 0;
  return bits;
}

/** The colouring rules, each with the alternatives that compile (see colouring.ts). */
export function compileRules(): ActiveRule[] {
  const rules: ActiveRule[] = [];
  COLOURING_RULES.forEach((rule, index) => {
    const parts = rule.any.filter((text) => compileFilter(text).ok);
    if (parts.length === 0) return;
    const text = parts.length === 1 ? parts[0] : parts.map((t) => `(${t})`).join(' || ');
    const compiled = compileFilter(text);
    if (!compiled.ok) return;
    let needs = 0;
    for (const name of rule.needs) {
      if (!protocolBits.has(name)) protocolBits.set(name, 2 ** Math.min(30, protocolBits.size));
      needs |= protocolBits.get(name) ?? 0;
    }
    rules.push({ index, text, filter: compiled.filter, needs });
  });
  return rules;
}

const streamField = fieldByAbbrev('tcp.stream')?.id ?? -1;
const udpStreamField = fieldByAbbrev('udp.stream')?.id ?? -1;

export class Indexer {
  readonly rules = compileRules();
  private readonly dissection: Dissection;

  /**
   * `firstPassRecords`: let protocols keep what a later pass shows (which frame completed a
   * reassembled PDU), as tshark -2's first pass does; it costs time and memory per PDU.
   */
  constructor(
    private readonly store: PacketStore,
    firstPassRecords = true,
  ) {
    const wanted = new Set<number>();
    for (const r of this.rules) for (const id of r.filter.fieldIds) wanted.add(id);
    if (streamField >= 0) wanted.add(streamField);
    if (udpStreamField >= 0) wanted.add(udpStreamField);
    this.dissection = new Dissection({ columns: true, wanted, tcpAnalysis: true });
    // The details of a packet are shown as tshark -2 shows them: each TCP stream's final values,
    // and what protocols record for a later pass (which frame completed a reassembled PDU).
    recordTcpFinals(this.dissection.session);
    (this.dissection.session as Session & { isFirstPass?: boolean }).isFirstPass = firstPassRecords;
  }

  /** The load pass's session: what protocols recorded over the whole capture (or shard). */
  get session(): Session {
    return this.dissection.session;
  }

  /** Makes frame times relative to the capture's first frame (a shard does not see it). */
  setFirstTime(sec: number, nsec: number): void {
    const session = this.dissection.session;
    session.firstSec = sec;
    session.firstNsec = nsec;
  }

  /**
   * Indexes a frame; `block` is the store block its bytes are in (see PacketStore.addFrame). A
   * shard, which sees only some frames, gives the frame's number in the capture and the time of
   * the capture's previous frame (frame.time_delta).
   */
  add(frame: CaptureFrame, block: number, number = 0, prevSec = NaN, prevNsec = 0): number {
    const s = this.store;
    const strings = s.strings;
    const rules = this.rules;
    const i = s.addFrame(frame, block);
    const d = this.dissection;
    if (number > 0) d.frameNumber = number - 1;
    if (!Number.isNaN(prevSec)) {
      d.session.prevSec = prevSec;
      d.session.prevNsec = prevNsec;
      // Every frame is displayed in the list: the previous displayed frame is the previous one.
      d.session.prevDisplayedSec = prevSec;
      d.session.prevDisplayedNsec = prevNsec;
    }
    const p = d.dissect(frame);
    s.protocol[i] = strings.id(p.protocolCol);
    s.source[i] = strings.id(p.srcCol);
    s.destination[i] = strings.id(p.dstCol);
    s.setInfo(i, p.infoCol);
    let colour = NO_RULE;
    const present = packetProtocolBits(p);
    for (let r = 0; r < rules.length; r++) {
      const rule = rules[r];
      if (rule.needs !== 0 && (rule.needs & present) === 0) continue;
      if (rule.filter.matches(p)) {
        colour = rule.index;
        break;
      }
    }
    s.colour[i] = colour;
    if (streamField >= 0) {
      const k = p.tree.find(streamField);
      if (k >= 0) s.stream[i] = p.tree.num[k];
    }
    if (udpStreamField >= 0) {
      const k = p.tree.find(udpStreamField);
      if (k >= 0) s.udpStream[i] = p.tree.num[k];
    }
    return i;
  }
}
