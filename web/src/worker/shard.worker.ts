// A shard of the capture worker: it does every dissection of the packets the coordinator gives
// it (all the packets between one pair of hosts go to one shard, so every conversation's state is
// in one place): the load pass (columns, colouring, TCP stream), display filters, and the full
// tree of a selected packet after replaying its TCP stream. It reads the packets' bytes from the
// capture's blocks, which every shard holds (shared memory: one copy for all).

import { emptyFrame, type CaptureFrame } from '../../../src/core/capture/frame.js';
import { Dissection } from '../../../src/core/dissect/index.js';
import { fieldById } from '../../../src/core/dissect/fields.js';
import { HIDDEN } from '../../../src/core/dissect/tree.js';
import type { Packet } from '../../../src/core/dissect/packet.js';
import { compileFilter, formatDiagnostic } from '../../../src/core/filter/index.js';
import { needsTcpAnalysis } from '../../../src/core/analysis/tcp-needs.js';
import { needsPayloads } from '../../../src/core/dissect/payload-needs.js';
import {
  numberTcpStreamsFrom,
  showTcpFinals,
  tcpFinalsOf,
  type TcpStreamFinals,
} from '../../../src/core/analysis/tcp.js';
import { formatLabel, formatValue } from '../../../src/core/output/format.js';
import { numberUdpStreamsFrom } from '../../../src/core/dissect/udp.js';
import type { TreeItem } from '../protocol.js';
import { Indexer } from './indexer.js';
import { PacketStore } from './packet-store.js';
import { M, META_FIELDS, type FromShard, type ToShard } from './shard-protocol.js';

interface ShardScope {
  postMessage(message: FromShard, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<ToShard>) => void) | null;
  name: string;
}
const scope = self as unknown as ShardScope;
const shardNumber = Number(scope.name.replace(/\D/g, '')) || 0;

const store = new PacketStore(4096);
/** Made by the coordinator's first message ('start'); a default one if none came. */
let indexer: Indexer | undefined;
function theIndexer(): Indexer {
  return (indexer ??= new Indexer(store));
}
let firstSec = NaN;
let firstNsec = 0;
let stringsSent = 0;

/** A reusable frame for re-dissections; `frameOf` fills it with local packet j. */
const scratch = emptyFrame();
function frameOf(j: number): CaptureFrame {
  return store.frame(j, scratch);
}

function index(m: Extract<ToShard, { type: 'index' }>): void {
  const started = performance.now();
  if (Number.isNaN(firstSec)) {
    firstSec = m.firstSec;
    firstNsec = m.firstNsec;
    theIndexer().setFirstTime(firstSec, firstNsec);
  }
  const meta = m.meta;
  const n = meta.length / META_FIELDS;
  const first = store.count;
  const comments = new Map(m.comments);
  const frame = emptyFrame();
  store.infoUsed = 0;
  for (let k = 0; k < n; k++) {
    const r = k * META_FIELDS;
    const block = meta[r + M.block];
    const off = meta[r + M.offset];
    const capLen = meta[r + M.capLen];
    const global = meta[r + M.index];
    // A view into the shared block: the frame's bytes are never copied.
    frame.data = store.block(block).subarray(off, off + capLen);
    frame.capLen = capLen;
    frame.origLen = meta[r + M.origLen];
    frame.tsSec = meta[r + M.tsSec];
    frame.tsNsec = meta[r + M.tsNsec];
    frame.linkType = meta[r + M.linkType];
    frame.interfaceId = meta[r + M.interfaceId];
    frame.hasTimestamp = meta[r + M.hasTimestamp] === 1;
    frame.tsPrecision = meta[r + M.tsPrecision];
    frame.comments = comments.get(global);
    frame.packetFlags = meta[r + M.packetFlags] < 0 ? undefined : meta[r + M.packetFlags];
    frame.dropCount = meta[r + M.dropCount] < 0 ? undefined : meta[r + M.dropCount];
    frame.section = meta[r + M.section] < 0 ? undefined : meta[r + M.section];
    frame.interfaceName = meta[r + M.interfaceName] < 0 ? undefined : m.names[meta[r + M.interfaceName]];
    const j = theIndexer().add(frame, block, global + 1, meta[r + M.prevSec], meta[r + M.prevNsec]);
    store.globalIndex[j] = global;
    store.prevSec[j] = meta[r + M.prevSec];
    store.prevNsec[j] = meta[r + M.prevNsec];
  }
  const end = store.count;
  const infoEnd = new Uint32Array(n);
  for (let k = 0; k < n; k++) infoEnd[k] = store.infoEnd[first + k];
  const texts = store.strings.texts;
  const answer: FromShard = {
    type: 'indexed',
    job: m.job,
    shard: shardNumber,
    strings: texts.slice(stringsSent),
    protocol: store.protocol.slice(first, end),
    source: store.source.slice(first, end),
    destination: store.destination.slice(first, end),
    info: store.infoBytes.slice(0, store.infoUsed),
    infoEnd,
    colour: store.colour.slice(first, end),
    stream: store.stream.slice(first, end),
    udpStream: store.udpStream.slice(first, end),
    ms: performance.now() - started,
  };
  stringsSent = texts.length;
  scope.postMessage(answer, [
    answer.protocol.buffer,
    answer.source.buffer,
    answer.destination.buffer,
    answer.info.buffer,
    answer.infoEnd.buffer,
    answer.colour.buffer,
    answer.stream.buffer,
    answer.udpStream.buffer,
  ]);
}

/** Prepares the session of a re-dissection of local packet j (number, times). */
function place(d: Dissection, j: number): void {
  d.frameNumber = store.globalIndex[j];
  d.session.prevSec = store.prevSec[j];
  d.session.prevNsec = store.prevNsec[j];
  // As -2 -V without a filter: every frame is displayed, the previous displayed is the previous.
  d.session.prevDisplayedSec = store.prevSec[j];
  d.session.prevDisplayedNsec = store.prevNsec[j];
}

function filter(id: number, text: string): void {
  const compiled = compileFilter(text);
  if (!compiled.ok) {
    const error = compiled.errors.map((e) => formatDiagnostic(text, e)).join('\n');
    scope.postMessage({ type: 'filtered', id, shard: shardNumber, matches: new Uint32Array(0), error });
    return;
  }
  const f = compiled.filter;
  const ids = f.fieldIds;
  const d = new Dissection({
    columns: false,
    wanted: ids,
    tcpAnalysis: needsTcpAnalysis(ids, { full: false, columns: false }),
    payloads: needsPayloads(ids, { full: false, columns: false }),
  });
  d.session.firstSec = firstSec;
  d.session.firstNsec = firstNsec;
  let out = new Uint32Array(1024);
  let n = 0;
  for (let j = 0; j < store.count; j++) {
    place(d, j);
    if (f.matches(d.dissect(frameOf(j)))) {
      if (n === out.length) {
        const g = new Uint32Array(out.length * 2);
        g.set(out);
        out = g;
      }
      out[n++] = store.globalIndex[j];
    }
  }
  const matches = out.slice(0, n);
  scope.postMessage({ type: 'filtered', id, shard: shardNumber, matches }, [matches.buffer]);
}

/** The filter text that selects this item's value, as Wireshark's "Apply as Filter" makes it. */
function filterFor(p: Packet, i: number): string {
  const fid = p.tree.field[i];
  if (fid < 0) return '';
  const info = fieldById(fid);
  switch (info.type) {
    case 'none':
    case 'protocol':
      return info.abbrev;
    case 'string':
    case 'abstime':
      return `${info.abbrev} == "${formatValue(p, i).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
    case 'bytes': {
      const hex = formatValue(p, i);
      if (hex === '') return info.abbrev;
      return `${info.abbrev} == ${hex.replace(/(..)(?!$)/g, '$1:')}`;
    }
    default:
      return `${info.abbrev} == ${formatValue(p, i)}`;
  }
}

/** Each TCP stream's values at the end of the load pass (under this shard's stream numbers). */
let finals: TcpStreamFinals | undefined;

/**
 * The final values of one stream of this shard, whatever number the replay gives it: the replay
 * numbers the stream as the whole capture does, the load pass as this shard does.
 */
function finalsOfStream(all: TcpStreamFinals, local: number): TcpStreamFinals {
  const view: Pick<TcpStreamFinals, 'completeness' | 'firstRtt' | 'winScale' | 'baseSeq'> = {
    completeness: (_stream, running) => all.completeness(local, running),
    firstRtt: () => all.firstRtt(local),
    winScale: (_stream, flow1, running) => all.winScale(local, flow1, running),
    baseSeq: (_stream, flow1, running) => all.baseSeq(local, flow1, running),
  };
  return view as TcpStreamFinals;
}

/** Local index of the packet with this global index (binary search: packets come in order). */
function localIndex(global: number): number {
  let lo = 0;
  let hi = store.count - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const g = store.globalIndex[mid];
    if (g === global) return mid;
    if (g < global) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/**
 * The dissection of the last packet shown in detail, with the state of its TCP or UDP stream
 * after it: a later packet of the same stream (the next one, as arrow keys go) continues from
 * there instead of replaying the stream from its start. `column` is the store's stream column
 * the replay follows (store.stream or store.udpStream).
 */
let replay: { d: Dissection; column: Int32Array; stream: number; next: number } | undefined;

/**
 * A dissection for the details of a packet of this shard's TCP stream `tcpLocal` or UDP stream
 * `udpLocal` (-1: none), numbered `tcp`/`udp` in the whole capture.
 */
function replayDissection(tcp: number, tcpLocal: number, udp: number): Dissection {
  const d = new Dissection({ columns: false, tcpAnalysis: true });
  d.session.firstSec = firstSec;
  d.session.firstNsec = firstNsec;
  // As Wireshark's window after its first pass (tshark -2): forward links that need later
  // frames (where a PDU was reassembled, a TLS session's keys) come from the load pass.
  d.session.firstPass = theIndexer().session;
  if (tcpLocal >= 0) {
    numberTcpStreamsFrom(d.session, tcp);
    finals ??= tcpFinalsOf(theIndexer().session);
    showTcpFinals(d.session, finalsOfStream(finals, tcpLocal));
  }
  if (udp >= 0) numberUdpStreamsFrom(d.session, udp);
  return d;
}

/** Dissects a packet fully, after replaying the earlier frames of its TCP or UDP stream. */
function details(
  id: number,
  global: number,
  tcp: number,
  udp: number,
  prevDisplayedSec: number,
  prevDisplayedNsec: number,
): void {
  const j = localIndex(global);
  if (j < 0) {
    scope.postMessage({ type: 'details', id, items: [], sources: [] });
    return;
  }
  // The stream whose earlier frames make this packet's state: its TCP one, else its UDP one.
  const tcpLocal = store.stream[j];
  const column = tcpLocal >= 0 ? store.stream : store.udpStream;
  const local = column[j];
  let d: Dissection;
  let from = 0;
  if (local >= 0 && replay !== undefined && replay.column === column && replay.stream === local && replay.next <= j) {
    d = replay.d;
    from = replay.next;
    d.configure({ full: false, columns: false, tcpAnalysis: true });
  } else d = replayDissection(tcp, tcpLocal, tcpLocal >= 0 ? -1 : udp);
  replay = undefined;
  if (local >= 0) {
    for (let k = from; k < j; k++) {
      if (column[k] !== local) continue;
      place(d, k);
      d.dissect(frameOf(k));
    }
  }
  d.configure({ full: true, columns: true, tcpAnalysis: true });
  place(d, j);
  d.session.prevDisplayedSec = prevDisplayedSec;
  d.session.prevDisplayedNsec = prevDisplayedNsec;
  const p = d.dissect(frameOf(j));
  if (local >= 0) replay = { d, column, stream: local, next: j + 1 };
  const t = p.tree;
  const items: TreeItem[] = [];
  const outIndex = new Int32Array(t.count).fill(-1);
  for (let i = 0; i < t.count; i++) {
    if (t.flags[i] & HIDDEN) continue;
    const parent = t.parent[i];
    // A child of a hidden item is hidden with it.
    if (parent >= 0 && outIndex[parent] < 0) continue;
    outIndex[i] = items.length;
    items.push({
      label: formatLabel(p, i),
      abbrev: t.abbrevOf(i),
      parent: parent >= 0 ? outIndex[parent] : -1,
      start: t.start[i],
      length: t.length[i],
      source: t.source[i],
      filter: filterFor(p, i),
      value: t.field[i] >= 0 ? formatValue(p, i) : formatLabel(p, i),
    });
  }
  // Copies: the frame's bytes are a view into a large block that must not be cloned.
  const sources = p.sources.map((src) => ({ name: src.name, bytes: src.data.slice() }));
  scope.postMessage(
    { type: 'details', id, items, sources },
    sources.map((src) => src.bytes.buffer as ArrayBuffer),
  );
}

scope.onmessage = (event) => {
  const m = event.data;
  try {
    if (m.type === 'start') indexer = new Indexer(store, m.firstPassRecords);
    else if (m.type === 'block') store.adoptBlock(m.bytes);
    else if (m.type === 'reserve') store.reserve(m.packets);
    else if (m.type === 'index') index(m);
    else if (m.type === 'loaded') store.trim();
    else if (m.type === 'filter') filter(m.id, m.text);
    else details(m.id, m.index, m.stream, m.udpStream, m.prevDisplayedSec, m.prevDisplayedNsec);
  } catch (error) {
    scope.postMessage({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  }
};
