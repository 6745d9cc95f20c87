// `-z conv,eth|ip|ipv6|tcp|udp`: tshark 4.0's conversation table. A conversation is keyed by its
// two addresses (and ports; TCP adds tcp.stream, so a reused 4-tuple starts a new row); side A is
// the source of its first packet, "->" counts A to B and "<-" B to A. Rows are printed by total
// frames, most first, ties in order of appearance (tap-iousers.c), bytes as format_size prints them.

import type { Packet } from '../../dissect/packet.js';
import { tapEvents, tapFields, type TapKind } from './taps.js';
import { byTotalDescending, relativeSeconds, type Statistic } from './statistic.js';

/** Wireshark's protocol short names, as the table titles show them. */
export const TAP_TITLES: Record<TapKind, string> = {
  eth: 'Ethernet',
  ip: 'IPv4',
  ipv6: 'IPv6',
  tcp: 'TCP',
  udp: 'UDP',
};

interface Conversation {
  a: string;
  b: string;
  portA: number;
  portB: number;
  framesAtoB: number;
  bytesAtoB: number;
  framesBtoA: number;
  bytesBtoA: number;
  /** Seconds since the first frame of the capture. */
  start: number;
  stop: number;
}

const RULE = '='.repeat(80);

/** wsutil's format_size with FORMAT_SIZE_UNIT_BYTES and no flags: "9654 bytes", "10 kB", "176 kB". */
export function formatSize(size: number): string {
  const prefixes = ['k', 'M', 'G', 'T', 'P', 'E'];
  let value = size;
  let prefix = -1;
  // Each prefix is taken while the scaled value stays at 10 or more (integer division).
  while (prefix + 1 < prefixes.length && Math.floor(value / 1000) >= 10) {
    value = Math.floor(value / 1000);
    prefix++;
  }
  return prefix < 0 ? `${size} bytes` : `${value} ${prefixes[prefix]}B`;
}

export class ConversationTable implements Statistic {
  private readonly rows: Conversation[] = [];
  private readonly index = new Map<string, Conversation>();

  constructor(readonly kind: TapKind) {}

  fields(): string[] {
    return tapFields(this.kind);
  }

  add(p: Packet, firstTime: readonly [number, number]): void {
    const events = tapEvents(p, this.kind);
    if (!events.length) return;
    const time = relativeSeconds(p, firstTime);
    const length = p.meta.origLen;
    for (const e of events) {
      const forward = `${e.src}|${e.srcPort}|${e.dst}|${e.dstPort}|${e.stream}`;
      let c = this.index.get(forward);
      if (!c) {
        c = this.index.get(`${e.dst}|${e.dstPort}|${e.src}|${e.srcPort}|${e.stream}`);
        if (!c) {
          c = {
            a: e.src,
            b: e.dst,
            portA: e.srcPort,
            portB: e.dstPort,
            framesAtoB: 0,
            bytesAtoB: 0,
            framesBtoA: 0,
            bytesBtoA: 0,
            start: time,
            stop: time,
          };
          this.rows.push(c);
          this.index.set(forward, c);
        }
      }
      if (c.a === e.src && c.portA === e.srcPort && c.b === e.dst && c.portB === e.dstPort) {
        c.framesAtoB++;
        c.bytesAtoB += length;
      } else {
        c.framesBtoA++;
        c.bytesBtoA += length;
      }
      // conversation_table.c: a later time extends the end, else an earlier one moves the start.
      if (time > c.stop) c.stop = time;
      else if (time < c.start) c.start = time;
    }
  }

  text(): string {
    const ports = this.kind === 'tcp' || this.kind === 'udp';
    const pad = ports ? ' '.repeat(12) : '';
    let s = `${RULE}\n${TAP_TITLES[this.kind]} Conversations\nFilter:<No Filter>\n`;
    s += `${pad}                                               |       <-      | |       ->      | |     Total     |    Relative    |   Duration   |\n`;
    s += `${pad}                                               | Frames  Bytes | | Frames  Bytes | | Frames  Bytes |      Start     |              |\n`;
    for (const c of byTotalDescending(this.rows, (r) => r.framesAtoB + r.framesBtoA)) {
      const width = ports ? 26 : 20;
      const a = ports ? `${c.a}:${c.portA}` : c.a;
      const b = ports ? `${c.b}:${c.portB}` : c.b;
      s +=
        `${a.padEnd(width)} <-> ${b.padEnd(width)}  ` +
        `${String(c.framesBtoA).padStart(6)} ${formatSize(c.bytesBtoA).padEnd(9)}  ` +
        `${String(c.framesAtoB).padStart(6)} ${formatSize(c.bytesAtoB).padEnd(9)}  ` +
        `${String(c.framesAtoB + c.framesBtoA).padStart(6)} ${formatSize(c.bytesAtoB + c.bytesBtoA).padEnd(9)}  ` +
        `${c.start.toFixed(9).padStart(14)}   ${(c.stop - c.start).toFixed(4).padStart(12)}\n`;
    }
    return s + RULE + '\n';
  }
}
