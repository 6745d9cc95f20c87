// The capture worker, the coordinator: it reads a capture (a File from the page, or the one the
// local server serves) through a reader worker, keeps the packet-list index of every packet (times,
// lengths, interned columns, packed Info, colouring, TCP stream), and hands the packets to shard
// workers by pair of hosts; the shards keep the bytes and dissect (load pass, filters, details),
// in parallel. It answers the page: windows of rows, filters, sorts, the selected packet's tree.

import { CaptureError, CaptureReader, formatCaptureError } from '../../../src/core/capture/reader.js';
import type { CaptureFrame } from '../../../src/core/capture/frame.js';
import { compileFilter, formatDiagnostic } from '../../../src/core/filter/index.js';
import type { ColumnKey, FromWorker, Row, ToWorker } from '../protocol.js';
import { NO_BYTES, PacketStore } from './packet-store.js';
import type { FromReader, ToReader } from './reader.worker.js';
import { compileRules } from './indexer.js';
import { shardOf } from './shard-key.js';
import { M, META_FIELDS, type FromShard, type ToShard } from './shard-protocol.js';
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
    // Handled here: without preventDefault the error would also end up in this worker's scope.
    e.preventDefault();
    queue.push({
      type: 'error',
      message: e.message || 'The reader worker could not start (is the app being rebuilt?).',
    });
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

/**
 * Shards: at least two, so the dissection of a large capture uses two cores; up to four on
 * machines with more cores, leaving one for the page, the coordinator and the reader.
 */
const SHARD_COUNT = Math.max(2, Math.min(4, (navigator.hardwareConcurrency || 2) - 1));
let shards: Worker[] = [];
/** Handlers of the shards' answers to requests (filters, details), by request id. */
const shardAnswers = new Map<number, (m: FromShard) => void>();
let stopReading: (() => void) | undefined;
/** Captures larger than this are indexed without first-pass records (see Indexer). */
const FIRST_PASS_RECORDS_MAX_BYTES = 64 << 20;

/** Whether workers can share memory (the page is cross-origin isolated): see reader.worker.ts. */
const SHARED = (self as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;

/** The records of one job's frames for one shard: where each frame's bytes are, times, lengths. */
class JobBuilder {
  meta = new Float64Array(4096 * META_FIELDS);
  frames = 0;
  comments: [number, string[]][] = [];
  names: string[] = [];
  private readonly nameIndex = new Map<string, number>();

  reset(): void {
    this.frames = 0;
    this.comments = [];
    this.names = [];
    this.nameIndex.clear();
  }

  add(frame: CaptureFrame, index: number, block: number, offset: number, prevSec: number, prevNsec: number): void {
    const r = this.frames * META_FIELDS;
    if (r + META_FIELDS > this.meta.length) {
      const g = new Float64Array(this.meta.length * 2);
      g.set(this.meta);
      this.meta = g;
    }
    const meta = this.meta;
    meta[r + M.index] = index;
    meta[r + M.block] = block;
    meta[r + M.offset] = offset;
    meta[r + M.capLen] = frame.data.length;
    meta[r + M.origLen] = frame.origLen;
    meta[r + M.tsSec] = frame.tsSec;
    meta[r + M.tsNsec] = frame.tsNsec;
    meta[r + M.linkType] = frame.linkType;
    meta[r + M.interfaceId] = frame.interfaceId;
    meta[r + M.hasTimestamp] = frame.hasTimestamp === false ? 0 : 1;
    meta[r + M.tsPrecision] = frame.tsPrecision ?? 6;
    meta[r + M.prevSec] = prevSec;
    meta[r + M.prevNsec] = prevNsec;
    meta[r + M.packetFlags] = frame.packetFlags ?? -1;
    meta[r + M.dropCount] = frame.dropCount ?? -1;
    meta[r + M.section] = frame.section ?? -1;
    let name = -1;
    if (frame.interfaceName !== undefined) {
      name = this.nameIndex.get(frame.interfaceName) ?? -1;
      if (name < 0) {
        name = this.names.push(frame.interfaceName) - 1;
        this.nameIndex.set(frame.interfaceName, name);
      }
    }
    meta[r + M.interfaceName] = name;
    if (frame.comments !== undefined && frame.comments.length) this.comments.push([index, frame.comments.slice()]);
    this.frames++;
  }
}

/**
 * The blocks of capture bytes every shard holds, numbered in the order they are sent: the reader's
 * blocks, and small blocks with copies of the frames that straddle two of them (the capture reader
 * joins those in a scratch buffer).
 */
class BlockSender {
  private next = 0;
  /** The latest two reader blocks (a frame is in one of them) and their ids, by buffer. */
  private readonly recent = new Map<ArrayBufferLike, { id: number; view: Uint8Array }>();
  private straddling = new Uint8Array(0);
  private straddlingUsed = 0;
  private straddlingId = -1;

  constructor(private readonly shards: Worker[]) {}

  /** Sends a reader block to every shard: shared memory once for all, or a copy for each. */
  send(bytes: Uint8Array): void {
    const message: ToShard = { type: 'block', bytes };
    for (const w of this.shards) w.postMessage(message);
    if (this.recent.size === 2) this.recent.delete(this.recent.keys().next().value as ArrayBufferLike);
    this.recent.set(bytes.buffer, { id: this.next++, view: bytes });
  }

  /** Where a frame's bytes are in the shards' blocks: [block, offset]. */
  place(data: Uint8Array, out: number[]): void {
    const block = this.recent.get(data.buffer);
    if (block !== undefined) {
      out[0] = block.id;
      out[1] = data.byteOffset - block.view.byteOffset;
      return;
    }
    // A frame joined from two blocks: copied into the block sent with the next job.
    if (this.straddlingId < 0) this.straddlingId = this.next++;
    const need = this.straddlingUsed + data.length;
    if (need > this.straddling.length) {
      const g = new Uint8Array(Math.max(need, 2 * this.straddling.length, 1 << 16));
      g.set(this.straddling.subarray(0, this.straddlingUsed));
      this.straddling = g;
    }
    this.straddling.set(data, this.straddlingUsed);
    out[0] = this.straddlingId;
    out[1] = this.straddlingUsed;
    this.straddlingUsed = need;
  }

  /** Sends the copies made since the last call (before the job whose frames they are). */
  flush(): void {
    if (this.straddlingId < 0) return;
    const bytes = SHARED
      ? new Uint8Array(new SharedArrayBuffer(this.straddlingUsed))
      : new Uint8Array(this.straddlingUsed);
    bytes.set(this.straddling.subarray(0, this.straddlingUsed));
    const message: ToShard = { type: 'block', bytes };
    for (const w of this.shards) w.postMessage(message);
    this.straddlingId = -1;
    this.straddlingUsed = 0;
  }
}

/** A block's packets [start, end), sent to the shards, merged into the index when all answered. */
interface Job {
  start: number;
  end: number;
  waiting: number;
  answers: (Extract<FromShard, { type: 'indexed' }> | undefined)[];
}

async function open(source: ToReader, name: string, size: number): Promise<void> {
  const token = ++loadToken;
  stopReading?.();
  for (const w of shards) w.terminate();
  shardAnswers.clear();
  const started = performance.now();
  // Sized from the first block's packets per byte (below), grown if need be, trimmed at the end:
  // a guess made before reading wastes tens of MB on a large capture, or copies the columns often.
  const s = new PacketStore(1 << 16);
  let sized = false;
  store = undefined;
  filtered = null;
  view = null;
  sortColumn = null;
  generation++;
  const rules = compileRules();
  post({ type: 'progress', bytes: 0, total: size, packets: 0 });

  // Merging the shards' answers, in packet order.
  const jobs: Job[] = [];
  let merged = 0;
  let failure: string | undefined;
  let wakeLoader: (() => void) | undefined;
  const stringMaps: number[][] = [];
  const streamMaps: number[][] = [];
  const udpStreamMaps: number[][] = [];
  let udpStreams = 0;
  let streams = 0;
  /** Time each shard spent dissecting and indexing. */
  const shardMs = new Array<number>(SHARD_COUNT).fill(0);
  const mergeReady = (): void => {
    while (merged < jobs.length && jobs[merged].waiting === 0) {
      const job = jobs[merged];
      const cursor = new Array<number>(SHARD_COUNT).fill(0);
      for (let k = 0; k < SHARD_COUNT; k++) {
        const a = job.answers[k];
        if (a === undefined) continue;
        shardMs[k] += a.ms;
        const map = stringMaps[k];
        for (const text of a.strings) map.push(s.strings.id(text));
      }
      for (let i = job.start; i < job.end; i++) {
        const k = s.shard[i];
        const a = job.answers[k] as Extract<FromShard, { type: 'indexed' }>;
        const c = cursor[k]++;
        const map = stringMaps[k];
        s.protocol[i] = map[a.protocol[c]];
        s.source[i] = map[a.source[c]];
        s.destination[i] = map[a.destination[c]];
        s.setInfoBytes(i, a.info, c === 0 ? 0 : a.infoEnd[c - 1], a.infoEnd[c]);
        s.colour[i] = a.colour[c];
        const local = a.stream[c];
        if (local >= 0) {
          // tcp.stream counts streams in order of first appearance in the whole capture.
          const known = streamMaps[k][local];
          s.stream[i] = known ?? (streamMaps[k][local] = streams++);
        }
        const udpLocal = a.udpStream[c];
        if (udpLocal >= 0) {
          const known = udpStreamMaps[k][udpLocal];
          s.udpStream[i] = known ?? (udpStreamMaps[k][udpLocal] = udpStreams++);
        }
      }
      jobs[merged] = undefined as unknown as Job;
      merged++;
    }
    wakeLoader?.();
  };

  shards = [];
  for (let k = 0; k < SHARD_COUNT; k++) {
    const w = new Worker(new URL('./shard.worker.ts', import.meta.url), { type: 'module', name: `shard${k}` });
    w.onmessage = (e: MessageEvent<FromShard>) => {
      const m = e.data;
      if (token !== loadToken) return;
      if (m.type === 'indexed') {
        const job = jobs[m.job];
        job.answers[m.shard] = m;
        job.waiting--;
        mergeReady();
      } else if (m.type === 'failed') {
        failure = m.message;
        wakeLoader?.();
      } else shardAnswers.get(m.id)?.(m);
    };
    w.onerror = (e) => {
      e.preventDefault();
      failure = e.message || 'A dissection worker could not start (is the app being rebuilt?).';
      wakeLoader?.();
    };
    // Records for a later pass cost time and memory per reassembled PDU: kept for captures of
    // ordinary size (their details then show "Reassembled PDU in frame" as tshark -2 does).
    w.postMessage({ type: 'start', firstPassRecords: size < FIRST_PASS_RECORDS_MAX_BYTES } satisfies ToShard);
    shards.push(w);
    stringMaps.push([]);
    streamMaps.push([]);
    udpStreamMaps.push([]);
  }

  const reader = new CaptureReader();
  let read = 0;
  let firstSec = NaN;
  let firstNsec = 0;
  let prevSec = NaN;
  let prevNsec = 0;
  const builders = shards.map(() => new JobBuilder());
  const blocks = new BlockSender(shards);
  const where = [0, 0];
  const onFrame = (frame: CaptureFrame): void => {
    const i = s.addFrame(frame, NO_BYTES);
    if (Number.isNaN(firstSec)) {
      firstSec = prevSec = frame.tsSec;
      firstNsec = prevNsec = frame.tsNsec;
    }
    const k = SHARD_COUNT === 1 ? 0 : shardOf(frame.data, frame.linkType) % SHARD_COUNT;
    s.shard[i] = k;
    blocks.place(frame.data, where);
    builders[k].add(frame, i, where[0], where[1], prevSec, prevNsec);
    prevSec = frame.tsSec;
    prevNsec = frame.tsNsec;
  };
  /** Sends the frames read since the last call to the shards, as one job. */
  const sendJob = (): void => {
    const job: Job = { start: lastEnd, end: s.count, waiting: 0, answers: [] };
    lastEnd = s.count;
    if (job.end === job.start) return;
    const id = jobs.length;
    blocks.flush();
    for (let k = 0; k < SHARD_COUNT; k++) {
      const b = builders[k];
      if (b.frames === 0) continue;
      job.waiting++;
      const meta = b.meta.slice(0, b.frames * META_FIELDS);
      const message: ToShard = {
        type: 'index',
        job: id,
        meta,
        comments: b.comments,
        names: b.names,
        firstSec,
        firstNsec,
      };
      shards[k].postMessage(message, [meta.buffer]);
    }
    jobs.push(job);
    for (const b of builders) b.reset();
  };
  let lastEnd = 0;

  const input = readerBlocks(
    source,
    () => (reader.compressed = true),
    (n) => (read = n),
  );
  stopReading = input.stop;
  try {
    for await (const bytes of input.blocks) {
      if (token !== loadToken) return;
      blocks.send(bytes);
      reader.push(bytes);
      reader.drain(onFrame);
      if (!sized && s.count > 0 && read > 0) {
        sized = true;
        const expected = ((s.count * size) / read) * 1.05;
        s.reserve(Math.ceil(expected));
        // Each shard gets about the share of the first block's packets it got.
        for (let k = 0; k < SHARD_COUNT; k++) {
          const packets = Math.ceil((expected * builders[k].frames) / s.count);
          shards[k].postMessage({ type: 'reserve', packets } satisfies ToShard);
        }
      }
      sendJob();
      post({ type: 'progress', bytes: read, total: size, packets: s.count });
      // Let a newer open (a message) and the shards' answers get in between blocks.
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    reader.end();
    reader.drain(onFrame);
    sendJob();
  } catch (error) {
    if (!(error instanceof CaptureError)) throw error;
    reader.fail(error);
  }
  while (merged < jobs.length && failure === undefined && token === loadToken) {
    await new Promise<void>((resolve) => (wakeLoader = resolve));
    post({ type: 'progress', bytes: read, total: size, packets: jobs[merged - 1]?.end ?? 0 });
  }
  if (token !== loadToken) return;
  if (failure !== undefined) {
    post({ type: 'error', message: failure });
    return;
  }
  const summary = reader.summary();
  if (summary.error) summary.error = summary.error.withFile(name);
  s.trim();
  for (const w of shards) w.postMessage({ type: 'loaded' } satisfies ToShard);
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
    sharedMemory: SHARED,
    indexMs: Math.round(Math.max(...shardMs)),
    warning: summary.error ? formatCaptureError(summary.error) : undefined,
  });
}

/** Asks every shard, and calls back with their answers once all have answered. */
function askShards(message: ToShard & { id: number }, done: (answers: FromShard[]) => void): void {
  const answers: FromShard[] = [];
  shardAnswers.set(message.id, (m) => {
    answers.push(m);
    if (answers.length === shards.length) {
      shardAnswers.delete(message.id);
      done(answers);
    }
  });
  for (const w of shards) w.postMessage(message);
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

/** Merges ascending lists of packet indexes into one. */
function mergeSorted(lists: Uint32Array[]): Uint32Array {
  if (lists.length === 1) return lists[0];
  let total = 0;
  for (const l of lists) total += l.length;
  const out = new Uint32Array(total);
  const at = lists.map(() => 0);
  for (let n = 0; n < total; n++) {
    let best = -1;
    for (let k = 0; k < lists.length; k++)
      if (at[k] < lists[k].length && (best < 0 || lists[k][at[k]] < lists[best][at[best]])) best = k;
    out[n] = lists[best][at[best]++];
  }
  return out;
}

/** Runs a display filter in every shard (each over its own packets, keeping only the filter's fields). */
function applyFilter(id: number, text: string, done: (error?: string) => void): void {
  if (text.trim() === '') {
    filtered = null;
    done();
    return;
  }
  const compiled = compileFilter(text);
  if (!compiled.ok) {
    done(compiled.errors.map((e) => formatDiagnostic(text, e)).join('\n'));
    return;
  }
  askShards({ type: 'filter', id, text }, (answers) => {
    const lists: Uint32Array[] = [];
    for (const a of answers) {
      if (a.type !== 'filtered') continue;
      if (a.error !== undefined) {
        done(a.error);
        return;
      }
      lists.push(a.matches);
    }
    filtered = mergeSorted(lists);
    done();
  });
}

function rebuildView(s: PacketStore): void {
  view = sortColumn === null ? filtered : sortView(s, filtered, sortColumn, sortAscending);
  generation++;
}

/** The packet shown before packet index i in capture order under the current filter (-1: none). */
function previousDisplayed(i: number): number {
  const list = filtered;
  if (list === null) return i - 1;
  let lo = 0;
  let hi = list.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid] < i) {
      found = list[mid];
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
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
      applyFilter(m.id, m.text, (error) => {
        if (error === undefined) rebuildView(s);
        post({
          type: 'view',
          id: m.id,
          shown: shownCount(s),
          ms: Math.round(performance.now() - started),
          generation,
          error,
        });
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
    case 'select': {
      const i = m.number - 1;
      if (i < 0 || i >= s.count) break;
      const started = performance.now();
      const id = m.id;
      shardAnswers.set(id, (a) => {
        shardAnswers.delete(id);
        if (a.type !== 'details') return;
        post(
          {
            type: 'details',
            id,
            number: m.number,
            items: a.items,
            sources: a.sources,
            ms: Math.round(performance.now() - started),
          },
          a.sources.map((src) => src.bytes.buffer as ArrayBuffer),
        );
      });
      // The previous displayed frame (Wireshark's prev_dis): the one before it in the filtered
      // list, in capture order; -1 when it is the first shown (its delta is then 0).
      const previous = previousDisplayed(i);
      const message: ToShard = {
        type: 'details',
        id,
        index: i,
        stream: s.stream[i],
        udpStream: s.udpStream[i],
        prevDisplayedSec: previous < 0 ? NaN : s.tsSec[previous],
        prevDisplayedNsec: previous < 0 ? 0 : s.tsNsec[previous],
      };
      shards[s.shard[i]].postMessage(message);
      break;
    }
    case 'position':
      post({ type: 'position', id: m.id, number: m.number, position: positionOf(s, m.number) });
      break;
  }
};

function fail(error: unknown): void {
  post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
}
