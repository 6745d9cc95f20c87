// `-z endpoints,eth|ip|ipv6|tcp|udp`: tshark 4.0's endpoint table. Each tap event adds a packet
// sent by its source (address, and port for TCP and UDP) and one received by its destination; rows
// by total packets, most first, ties in order of appearance (tap-endpoints.c).

import type { Packet } from '../../dissect/packet.js';
import { tapEvents, tapFields, type TapKind } from './taps.js';
import { byTotalDescending, type Statistic } from './statistic.js';
import { TAP_TITLES } from './conversations.js';

interface Endpoint {
  address: string;
  port: number;
  txFrames: number;
  txBytes: number;
  rxFrames: number;
  rxBytes: number;
}

const RULE = '='.repeat(80);

export class EndpointTable implements Statistic {
  private readonly rows: Endpoint[] = [];
  private readonly index = new Map<string, Endpoint>();

  constructor(readonly kind: TapKind) {}

  fields(): string[] {
    return tapFields(this.kind);
  }

  add(p: Packet): void {
    const length = p.meta.origLen;
    for (const e of tapEvents(p, this.kind)) {
      const src = this.endpoint(e.src, e.srcPort);
      src.txFrames++;
      src.txBytes += length;
      const dst = this.endpoint(e.dst, e.dstPort);
      dst.rxFrames++;
      dst.rxBytes += length;
    }
  }

  private endpoint(address: string, port: number): Endpoint {
    const key = `${address}|${port}`;
    let e = this.index.get(key);
    if (!e) {
      e = { address, port, txFrames: 0, txBytes: 0, rxFrames: 0, rxBytes: 0 };
      this.rows.push(e);
      this.index.set(key, e);
    }
    return e;
  }

  text(): string {
    const ports = this.kind === 'tcp' || this.kind === 'udp';
    let s = `${RULE}\n${TAP_TITLES[this.kind]} Endpoints\nFilter:<No Filter>\n`;
    s += `                       |  ${ports ? 'Port  ||  ' : ''}Packets  | |  Bytes  | | Tx Packets | | Tx Bytes | | Rx Packets | | Rx Bytes |\n`;
    for (const e of byTotalDescending(this.rows, (r) => r.txFrames + r.rxFrames)) {
      s += e.address.padEnd(20) + '      ';
      if (ports) s += String(e.port).padStart(5) + '     ';
      s +=
        `${String(e.txFrames + e.rxFrames).padStart(6)}     ${String(e.txBytes + e.rxBytes).padStart(9)}     ` +
        `${String(e.txFrames).padStart(6)}       ${String(e.txBytes).padStart(9)}      ` +
        `${String(e.rxFrames).padStart(6)}       ${String(e.rxBytes).padStart(9)}   \n`;
    }
    return s + RULE + '\n';
  }
}
