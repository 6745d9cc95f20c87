// The capture worker: reads a capture (a File from the page, or the one the local server serves)
// with src/core, keeps its bytes and a columnar index of every packet, and answers the page:
// windows of rows, display filters (re-dissecting with only the filter's fields), sorts, and the
// full dissection of the selected packet with its TCP stream's earlier frames replayed first.

import { CaptureError, CaptureReader, formatCaptureError } from '../../../src/core/capture/reader.js';
import { gunzip, isGzip } from '../../../src/core/capture/gunzip.js';
import { emptyFrame, type CaptureFrame } from '../../../src/core/capture/frame.js';
import { Dissection } from '../../../src/core/dissect/index.js';
import { fieldByAbbrev, fieldById } from '../../../src/core/dissect/fields.js';
import { HIDDEN } from '../../../src/core/dissect/tree.js';
import type { Packet } from '../../../src/core/dissect/packet.js';
import { compileFilter, formatDiagnostic, type DisplayFilter } from '../../../src/core/filter/index.js';
import { needsTcpAnalysis } from '../../../src/core/analysis/tcp-needs.js';
import { numberTcpStreamsFrom } from '../../../src/core/analysis/tcp.js';
import { formatLabel, formatValue } from '../../../src/core/output/format.js';
import { COLOURING_RULES, NO_RULE } from '../colouring.js';
import type { ColumnKey, FromWorker, Row, ToWorker, TreeItem } from '../protocol.js';
import { BLOCK_SIZE, PacketStore } from './packet-store.js';
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

interface ActiveRule {
  index: number;
  text: string;
  filter: DisplayFilter;
}

/** The colouring rules, each with the alternatives that compile (see colouring.ts). */
function compileRules(): ActiveRule[] {
  const rules: ActiveRule[] = [];
  COLOURING_RULES.forEach((rule, index) => {
    const parts = rule.any.filter((text) => compileFilter(text).ok);
    if (parts.length === 0) return;
    const text = parts.length === 1 ? parts[0] : parts.map((t) => `(${t})`).join(' || ');
    const compiled = compileFilter(text);
    if (compiled.ok) rules.push({ index, text, filter: compiled.filter });
  });
  return rules;
}

const streamField = fieldByAbbrev('tcp.stream')?.id ?? -1;

/** Chunks of a ReadableStream, counting bytes for the progress bar. */
async function* chunksOf(
  stream: ReadableStream<Uint8Array>,
  total: number,
  token: number,
  progress: { bytes: number; packets: () => number },
): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  let lastPost = 0;
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done || token !== loadToken) return;
      progress.bytes += value.length;
      const now = performance.now();
      if (now - lastPost > 80) {
        lastPost = now;
        post({ type: 'progress', bytes: progress.bytes, total, packets: progress.packets() });
      }
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/** The decompressed capture bytes (gzip is recognised by its magic number, not the name). */
async function* decompressedChunks(chunks: AsyncIterable<Uint8Array>, onGzip: () => void): AsyncGenerator<Uint8Array> {
  const it = chunks[Symbol.asyncIterator]();
  let first = await it.next();
  while (!first.done && first.value.length === 0) first = await it.next();
  if (first.done) return;
  const head = first.value;
  async function* rest(): AsyncGenerator<Uint8Array> {
    yield head;
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      yield r.value;
    }
  }
  if (isGzip(head)) {
    onGzip();
    yield* gunzip(rest());
  } else yield* rest();
}

/**
 * The bytes in blocks of BLOCK_SIZE: the reader then hands out frames as views into the blocks
 * the store keeps, so almost no frame is copied (only those straddling two blocks).
 */
async function* blocksOf(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  let block = new Uint8Array(BLOCK_SIZE);
  let used = 0;
  for await (let chunk of chunks) {
    while (chunk.length > 0) {
      const n = Math.min(chunk.length, block.length - used);
      block.set(n === chunk.length ? chunk : chunk.subarray(0, n), used);
      used += n;
      chunk = chunk.subarray(n);
      if (used === block.length) {
        yield block;
        block = new Uint8Array(BLOCK_SIZE);
        used = 0;
      }
    }
  }
  if (used > 0) yield block.slice(0, used);
}

async function open(stream: ReadableStream<Uint8Array>, name: string, size: number): Promise<void> {
  const token = ++loadToken;
  const started = performance.now();
  // About 100 bytes a packet in typical captures: start near the right size, trim at the end.
  const s = new PacketStore(Math.min(4_000_000, Math.ceil(size / 100)));
  store = undefined;
  filtered = null;
  view = null;
  sortColumn = null;
  generation++;
  const rules = compileRules();
  const wanted = new Set<number>();
  for (const r of rules) for (const id of r.filter.fieldIds) wanted.add(id);
  if (streamField >= 0) wanted.add(streamField);
  const d = new Dissection({ columns: true, wanted, tcpAnalysis: true });
  const strings = s.strings;
  const progress = { bytes: 0, packets: () => s.count };
  post({ type: 'progress', bytes: 0, total: size, packets: 0 });
  const reader = new CaptureReader();
  let block = -1;
  const onFrame = (frame: CaptureFrame): void => {
    const i = s.addFrame(frame, block);
    const p = d.dissect(frame);
    s.protocol[i] = strings.id(p.protocolCol);
    s.source[i] = strings.id(p.srcCol);
    s.destination[i] = strings.id(p.dstCol);
    s.setInfo(i, p.infoCol);
    let colour = NO_RULE;
    for (let r = 0; r < rules.length; r++) {
      if (rules[r].filter.matches(p)) {
        colour = rules[r].index;
        break;
      }
    }
    s.colour[i] = colour;
    if (streamField >= 0) {
      const k = p.tree.find(streamField);
      if (k >= 0) s.stream[i] = p.tree.num[k];
    }
  };
  try {
    const decompressed = decompressedChunks(chunksOf(stream, size, token, progress), () => (reader.compressed = true));
    for await (const bytes of blocksOf(decompressed)) {
      if (token !== loadToken) return;
      block = s.adoptBlock(bytes);
      reader.push(bytes);
      reader.drain(onFrame);
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
    rules: rules.map((r) => ({ index: r.index, filter: r.text })),
    memoryBytes: s.memoryBytes(),
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
    void open(m.file.stream() as ReadableStream<Uint8Array>, m.file.name, m.file.size).catch(fail);
    return;
  }
  if (m.type === 'open-url') {
    void fetch(m.url)
      .then((response) => {
        if (!response.ok || response.body === null) throw new Error(`${m.url}: HTTP ${response.status}`);
        return open(response.body, m.name, m.size);
      })
      .catch(fail);
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
