// The capture worker: reads a capture (a File from the page, or the one the local server serves)
// with src/core, keeps its bytes and a columnar index of every packet, and answers the page:
// windows of rows, display filters (re-dissecting with only the filter's fields), sorts, and the
// full dissection of the selected packet with its TCP stream's earlier frames replayed first.

import { CaptureError, CaptureReader, formatCaptureError } from '../../../src/core/capture/reader.js';
import { emptyFrame, type CaptureFrame } from '../../../src/core/capture/frame.js';
import { Dissection } from '../../../src/core/dissect/index.js';
import { fieldById } from '../../../src/core/dissect/fields.js';
import { HIDDEN } from '../../../src/core/dissect/tree.js';
import type { Packet } from '../../../src/core/dissect/packet.js';
import { compileFilter, formatDiagnostic } from '../../../src/core/filter/index.js';
import { needsTcpAnalysis } from '../../../src/core/analysis/tcp-needs.js';
import { numberTcpStreamsFrom } from '../../../src/core/analysis/tcp.js';
import { formatLabel, formatValue } from '../../../src/core/output/format.js';
import type { ColumnKey, FromWorker, Row, ToWorker, TreeItem } from '../protocol.js';
import { PacketStore } from './packet-store.js';
import type { FromReader, ToReader } from './reader.worker.js';
import { Indexer } from './indexer.js';
import { sortView } from './sort.js';

interface WorkerScope {
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
}
const scope = self as unknown as WorkerScope;

function post(message: FromWorker, transfer?: Transferable[]): void {
  scope.postMessage(message, transfer);
}

let store: PacketStore | undefined;
/** Packet indexes matching the filter (ascending), or null for all packets. */
let filtered: Uint32Array | null = null;
/** The rows in display order (filtered, then sorted), or null for all packets in order. */
let view: Uint32Array | null = null;
let sortColumn: ColumnKey | null = null;
let sortAscending = true;
/** Bumped whenever the view changes, so the page can drop rows of an older view. */
let generation = 0;
/** Bumped on every open: a newer open makes an older read stop. */
let loadToken = 0;

/** The blocks the reader worker sends, in order, as an async iterable. */
function readerBlocks(
  source: ToReader,
  onGzip: () => void,
  onBlock: (read: number) => void,
): { blocks: AsyncIterable<Uint8Array>; stop: () => void } {
  const worker = new Worker(new URL('./reader.worker.ts', import.meta.url), { type: 'module' });
  const queue: FromReader[] = [];
  let wake: (() => void) | undefined;
  worker.onmessage = (e: MessageEvent<FromReader>) => {
    queue.push(e.data);
    wake?.();
  };
  worker.onerror = (e) => {
    queue.push({ type: 'error', message: e.message || 'The capture could not be read.' });
    wake?.();
  };
  worker.postMessage(source);
  async function* blocks(): AsyncGenerator<Uint8Array> {
    try {
      for (;;) {
        while (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
        const m = queue.shift() as FromReader;
        if (m.type === 'gzip') onGzip();
        else if (m.type === 'block') {
          onBlock(m.read);
          yield m.bytes;
        } else if (m.type === 'end') return;
        else throw m.capture ? new CaptureError(m.capture) : new Error(m.message);
      }
    } finally {
      worker.terminate();
    }
  }
  return { blocks: blocks(), stop: () => worker.terminate() };
}

let stopReading: (() => void) | undefined;

async function open(source: ToReader, name: string, size: number): Promise<void> {
  const token = ++loadToken;
  stopReading?.();
  const started = performance.now();
  // A few hundred bytes a packet in typical captures: start near the right size, trim at the end.
  const s = new PacketStore(Math.min(2_000_000, Math.ceil(size / 300)));
  store = undefined;
  filtered = null;
  view = null;
  sortColumn = null;
  generation++;
  const indexer = new Indexer(s);
  post({ type: 'progress', bytes: 0, total: size, packets: 0 });
  const reader = new CaptureReader();
  let block = -1;
  /** Time spent dissecting and indexing (the rest of the load is waiting for bytes). */
  let indexMs = 0;
  let read = 0;
  const onFrame = (frame: CaptureFrame): void => indexer.add(frame, block);
  const input = readerBlocks(
    source,
    () => (reader.compressed = true),
    (n) => (read = n),
  );
  stopReading = input.stop;
  try {
    for await (const bytes of input.blocks) {
      if (token !== loadToken) return;
      block = s.adoptBlock(bytes);
      reader.push(bytes);
      const t = performance.now();
      reader.drain(onFrame);
      indexMs += performance.now() - t;
      post({ type: 'progress', bytes: read, total: size, packets: s.count });
      // Let a newer open (a message) get in between blocks.
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    reader.end();
    reader.drain(onFrame);
  } catch (error) {
    if (!(error instanceof CaptureError)) throw error;
    reader.fail(error);
  }
  const summary = reader.summary();
  if (summary.error) summary.error = summary.error.withFile(name);
  if (token !== loadToken) return;
  s.trim();
  store = s;
  generation++;
  const loadMs = Math.round(performance.now() - started);
  if (summary.format === undefined && summary.error) {
    post({ type: 'error', message: formatCaptureError(summary.error) });
    return;
  }
  post({
    type: 'loaded',
    name,
    total: s.count,
    loadMs,
    rules: indexer.rules.map((r) => ({ index: r.index, filter: r.text })),
    memoryBytes: s.memoryBytes(),
    indexMs: Math.round(indexMs),
    warning: summary.error ? formatCaptureError(summary.error) : undefined,
  });
}

const SCALE = [1e9, 1e8, 1e7, 1e6, 1e5, 1e4, 1e3, 100, 10, 1];

/** The Time column: seconds since the first packet with the capture's precision (as the CLI). */
function timeText(s: PacketStore, i: number): string {
  let sec = s.tsSec[i] - s.tsSec[0];
  let nsec = s.tsNsec[i] - s.tsNsec[0];
  if (sec > 0 && nsec < 0) {
    sec -= 1;
    nsec += 1e9;
  } else if (sec < 0 && nsec > 0) {
    sec += 1;
    nsec -= 1e9;
  }
  const digits = Math.min(9, Math.max(0, s.tsPrecision[i]));
  const negative = sec < 0 || nsec < 0;
  const fraction = String(Math.floor(Math.abs(nsec) / SCALE[digits]));
  const whole = (negative ? '-' : '') + String(Math.abs(sec));
  return digits === 0 ? whole : whole + '.' + '0'.repeat(digits - fraction.length) + fraction;
}

function indexAt(position: number): number {
  return view === null ? position : view[position];
}

function shownCount(s: PacketStore): number {
  return view === null ? s.count : view.length;
}

function rows(s: PacketStore, start: number, count: number): Row[] {
  const out: Row[] = [];
  const end = Math.min(shownCount(s), start + count);
  const texts = s.strings.texts;
  for (let pos = Math.max(0, start); pos < end; pos++) {
    const i = indexAt(pos);
    out.push({
      number: i + 1,
      time: timeText(s, i),
      source: texts[s.source[i]],
      destination: texts[s.destination[i]],
      protocol: texts[s.protocol[i]],
      length: s.origLen[i],
      info: s.info(i),
      colour: s.colour[i],
    });
  }
  return out;
}

/** Runs a display filter over every packet, keeping only the fields it reads. */
function applyFilter(s: PacketStore, text: string): string | undefined {
  if (text.trim() === '') {
    filtered = null;
    return undefined;
  }
  const compiled = compileFilter(text);
  if (!compiled.ok) return compiled.errors.map((e) => formatDiagnostic(text, e)).join('\n');
  const filter = compiled.filter;
  const ids = filter.fieldIds;
  const d = new Dissection({
    columns: false,
    wanted: ids,
    tcpAnalysis: needsTcpAnalysis(ids, { full: false, columns: false }),
  });
  const frame = emptyFrame();
  let out = new Uint32Array(1024);
  let n = 0;
  for (let i = 0; i < s.count; i++) {
    if (filter.matches(d.dissect(s.frame(i, frame)))) {
      if (n === out.length) {
        const g = new Uint32Array(out.length * 2);
        g.set(out);
        out = g;
      }
      out[n++] = i;
    }
  }
  filtered = out.slice(0, n);
  return undefined;
}

function rebuildView(s: PacketStore): void {
  view = sortColumn === null ? filtered : sortView(s, filtered, sortColumn, sortAscending);
  generation++;
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

/** Dissects packet `index` fully, after replaying the earlier frames of its TCP stream. */
function details(s: PacketStore, index: number, id: number): void {
  const started = performance.now();
  const d = new Dissection({ columns: false, tcpAnalysis: true });
  const session = d.session;
  session.firstSec = s.tsSec[0];
  session.firstNsec = s.tsNsec[0];
  const frame = emptyFrame();
  const stream = s.stream[index];
  if (stream >= 0) {
    numberTcpStreamsFrom(session, stream);
    for (let j = 0; j < index; j++) {
      if (s.stream[j] !== stream) continue;
      d.frameNumber = j;
      d.dissect(s.frame(j, frame));
    }
  }
  const previous = index > 0 ? index - 1 : 0;
  session.prevSec = s.tsSec[previous];
  session.prevNsec = s.tsNsec[previous];
  d.configure({ full: true, columns: true, tcpAnalysis: true });
  d.frameNumber = index;
  const p = d.dissect(s.frame(index, frame));
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
  // Copies: the frame's bytes are a view into a 16 MB block that must not be cloned.
  const sources = p.sources.map((src) => ({ name: src.name, bytes: src.data.slice() }));
  post(
    { type: 'details', id, number: index + 1, items, sources, ms: Math.round(performance.now() - started) },
    sources.map((src) => src.bytes.buffer as ArrayBuffer),
  );
}

function positionOf(s: PacketStore, number: number): number {
  const i = number - 1;
  if (i < 0 || i >= s.count) return -1;
  if (view === null) return i;
  if (sortColumn === null) {
    // The filtered view is in packet order: binary search.
    let lo = 0;
    let hi = view.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (view[mid] === i) return mid;
      if (view[mid] < i) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
  return view.indexOf(i);
}

scope.onmessage = (event: MessageEvent<ToWorker>) => {
  const m = event.data;
  if (m.type === 'open-file') {
    void open({ type: 'file', file: m.file }, m.file.name, m.file.size).catch(fail);
    return;
  }
  if (m.type === 'open-url') {
    void open({ type: 'url', url: m.url }, m.name, m.size).catch(fail);
    return;
  }
  const s = store;
  if (s === undefined) return;
  switch (m.type) {
    case 'rows':
      post({ type: 'rows', id: m.id, start: m.start, rows: rows(s, m.start, m.count), generation });
      break;
    case 'filter': {
      const started = performance.now();
      const error = applyFilter(s, m.text);
      if (error === undefined) rebuildView(s);
      post({
        type: 'view',
        id: m.id,
        shown: shownCount(s),
        ms: Math.round(performance.now() - started),
        generation,
        error,
      });
      break;
    }
    case 'sort': {
      const started = performance.now();
      sortColumn = m.column;
      sortAscending = m.ascending;
      rebuildView(s);
      post({ type: 'view', id: m.id, shown: shownCount(s), ms: Math.round(performance.now() - started), generation });
      break;
    }
    case 'select':
      if (m.number >= 1 && m.number <= s.count) details(s, m.number - 1, m.id);
      break;
    case 'position':
      post({ type: 'position', id: m.id, number: m.number, position: positionOf(s, m.number) });
      break;
  }
};

function fail(error: unknown): void {
  post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
}
