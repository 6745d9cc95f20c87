// The worker's memory of a capture: every frame's bytes copied into large blocks, and one typed
// array per packet-list column (time, lengths, interned Protocol/Source/Destination ids, packed
// UTF-8 Info text, colouring rule, TCP stream). A million packets cost a few dozen bytes each
// beside their bytes; strings are only made for the rows on screen.

import type { CaptureFrame } from '../../../src/core/capture/frame.js';

/** Bytes per block of capture data; a larger frame gets a block of its own. */
export const BLOCK_SIZE = 16 << 20;
/** Size of the blocks that hold copies of the few frames that straddle two capture blocks. */
const COPY_BLOCK_SIZE = 1 << 20;
/** Spacing of blocks in the global offset space (offset = block * BLOCK_SPAN + offset in block). */
const BLOCK_SPAN = 2 ** 32;

/** Interns strings: each distinct text once, an id per packet. */
export class StringTable {
  readonly texts: string[] = [];
  private readonly ids = new Map<string, number>();
  id(text: string): number {
    let id = this.ids.get(text);
    if (id === undefined) {
      id = this.texts.length;
      this.texts.push(text);
      this.ids.set(text, id);
    }
    return id;
  }
}

function grow<T extends Float64Array | Uint32Array | Int32Array | Uint16Array | Uint8Array>(a: T, n: number): T {
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a);
  return b;
}

export const HAS_TIMESTAMP = 1;
/** addFrame's `block` for a store that keeps no bytes (the coordinator: the shards keep them). */
export const NO_BYTES = -2;

export class PacketStore {
  count = 0;
  private capacity: number;
  private blocks: Uint8Array[] = [];
  /** Where copied frames go (see addFrame), its index in `blocks` and how much of it is used. */
  private copyBlock: Uint8Array | undefined;
  private copyIndex = -1;
  private copyUsed = 0;
  offset: Float64Array;
  capLen: Uint32Array;
  origLen: Uint32Array;
  tsSec: Float64Array;
  tsNsec: Uint32Array;
  linkType: Int32Array;
  interfaceId: Uint32Array;
  flags: Uint8Array;
  tsPrecision: Uint8Array;
  protocol: Uint32Array;
  source: Uint32Array;
  destination: Uint32Array;
  /** End offset of each packet's Info text in `infoBytes` (the start is the previous end). */
  infoEnd: Float64Array;
  infoBytes = new Uint8Array(1 << 20);
  infoUsed = 0;
  colour: Uint8Array;
  /** The shard that holds the packet's bytes (coordinator) or its time of the previous frame (shard). */
  shard: Uint8Array;
  prevSec: Float64Array;
  prevNsec: Uint32Array;
  /** The packet's index in the whole capture (a shard's store), or its own index. */
  globalIndex: Uint32Array;
  /** tcp.stream of the packet, -1 when it has none. */
  stream: Int32Array;
  /** udp.stream of the packet, -1 when it has none. */
  udpStream: Int32Array;
  readonly comments = new Map<number, readonly string[]>();
  /** pcapng epb_flags and epb_dropcount of the packets that have them. */
  readonly packetFlags = new Map<number, number>();
  readonly dropCounts = new Map<number, number>();
  /** pcapng section (0: a pcap record) and interface name (id in `strings`, -1: none) of each packet. */
  section: Uint16Array;
  interfaceName: Int32Array;
  readonly strings = new StringTable();

  constructor(expected = 1024) {
    const n = Math.max(1024, expected);
    this.capacity = n;
    this.offset = new Float64Array(n);
    this.capLen = new Uint32Array(n);
    this.origLen = new Uint32Array(n);
    this.tsSec = new Float64Array(n);
    this.tsNsec = new Uint32Array(n);
    this.linkType = new Int32Array(n);
    this.interfaceId = new Uint32Array(n);
    this.flags = new Uint8Array(n);
    this.tsPrecision = new Uint8Array(n);
    this.protocol = new Uint32Array(n);
    this.source = new Uint32Array(n);
    this.destination = new Uint32Array(n);
    this.infoEnd = new Float64Array(n);
    this.colour = new Uint8Array(n);
    this.shard = new Uint8Array(n);
    this.prevSec = new Float64Array(n);
    this.prevNsec = new Uint32Array(n);
    this.globalIndex = new Uint32Array(n);
    this.stream = new Int32Array(n);
    this.udpStream = new Int32Array(n);
    this.section = new Uint16Array(n);
    this.interfaceName = new Int32Array(n);
  }

  /**
   * Takes a block of capture bytes that the reader is about to parse: frames that lie in it are
   * kept as offsets into it, without a copy. Returns the block's index.
   */
  adoptBlock(block: Uint8Array): number {
    this.blocks.push(block);
    this.copyBlock = undefined;
    return this.blocks.length - 1;
  }

  /** A block given to adoptBlock, by the index it returned. */
  block(b: number): Uint8Array {
    return this.blocks[b];
  }

  /** Records a frame (its bytes, where they are in `block`, or a copy) and its metadata; returns its index. */
  addFrame(frame: CaptureFrame, block = -1): number {
    const i = this.count;
    if (i === this.capacity) this.resize(Math.ceil(this.capacity * 1.5));
    const data = frame.data;
    const len = data.length;
    const adopted = block >= 0 ? this.blocks[block] : undefined;
    if (block === NO_BYTES) {
      this.offset[i] = -1;
    } else if (adopted !== undefined && data.buffer === adopted.buffer) {
      this.offset[i] = block * BLOCK_SPAN + (data.byteOffset - adopted.byteOffset);
    } else {
      // A frame that straddles two blocks (the reader joined it in a scratch buffer): copy it.
      let copy = this.copyBlock;
      if (copy === undefined || this.copyUsed + len > copy.length) {
        copy = this.copyBlock = new Uint8Array(Math.max(block >= 0 ? COPY_BLOCK_SIZE : BLOCK_SIZE, len));
        this.blocks.push(copy);
        this.copyIndex = this.blocks.length - 1;
        this.copyUsed = 0;
      }
      copy.set(data, this.copyUsed);
      this.offset[i] = this.copyIndex * BLOCK_SPAN + this.copyUsed;
      this.copyUsed += len;
    }
    this.capLen[i] = len;
    this.origLen[i] = frame.origLen;
    this.tsSec[i] = frame.tsSec;
    this.tsNsec[i] = frame.tsNsec;
    this.linkType[i] = frame.linkType;
    this.interfaceId[i] = frame.interfaceId;
    this.flags[i] = frame.hasTimestamp === false ? 0 : HAS_TIMESTAMP;
    this.tsPrecision[i] = frame.tsPrecision ?? 6;
    if (frame.comments !== undefined && frame.comments.length) this.comments.set(i, frame.comments.slice());
    // Only where the packets are dissected again (the shards), and only for the few that have them.
    if (block !== NO_BYTES) {
      if (frame.packetFlags !== undefined) this.packetFlags.set(i, frame.packetFlags);
      if (frame.dropCount !== undefined) this.dropCounts.set(i, frame.dropCount);
    }
    this.stream[i] = -1;
    this.udpStream[i] = -1;
    if (block !== NO_BYTES) {
      this.section[i] = frame.section ?? 0;
      this.interfaceName[i] = frame.interfaceName === undefined ? -1 : this.strings.id(frame.interfaceName);
    }
    this.count = i + 1;
    return i;
  }

  /** The stored bytes of packet i (a view, no copy). */
  bytes(i: number): Uint8Array {
    const off = this.offset[i];
    const block = this.blocks[Math.floor(off / BLOCK_SPAN)];
    const start = off % BLOCK_SPAN;
    return block.subarray(start, start + this.capLen[i]);
  }

  /** Fills a reusable frame object with packet i, for a Dissection. */
  frame(i: number, into: CaptureFrame): CaptureFrame {
    into.data = this.bytes(i);
    into.capLen = this.capLen[i];
    into.origLen = this.origLen[i];
    into.tsSec = this.tsSec[i];
    into.tsNsec = this.tsNsec[i];
    into.linkType = this.linkType[i];
    into.interfaceId = this.interfaceId[i];
    into.hasTimestamp = (this.flags[i] & HAS_TIMESTAMP) !== 0;
    into.tsPrecision = this.tsPrecision[i];
    into.comments = this.comments.get(i) as string[] | undefined;
    into.packetFlags = this.packetFlags.get(i);
    into.dropCount = this.dropCounts.get(i);
    into.section = this.section[i] === 0 ? undefined : this.section[i];
    const name = this.interfaceName[i];
    into.interfaceName = name < 0 ? undefined : this.strings.texts[name];
    return into;
  }

  private readonly encoder = new TextEncoder();

  /** Appends the Info text of the packet just added, as UTF-8. */
  setInfo(i: number, text: string): void {
    const used = this.infoUsed;
    // UTF-8 needs at most 3 bytes per UTF-16 unit.
    if (used + text.length * 3 > this.infoBytes.length)
      this.infoBytes = grow(this.infoBytes, Math.max(this.infoBytes.length * 2, used + text.length * 3));
    this.infoUsed = used + this.encoder.encodeInto(text, this.infoBytes.subarray(used)).written;
    this.infoEnd[i] = this.infoUsed;
  }

  /** Sets packet i's Info from UTF-8 bytes made elsewhere (a shard); packets must come in order. */
  setInfoBytes(i: number, bytes: Uint8Array, start: number, end: number): void {
    const n = end - start;
    if (this.infoUsed + n > this.infoBytes.length)
      this.infoBytes = grow(this.infoBytes, Math.max(this.infoBytes.length * 2, this.infoUsed + n));
    this.infoBytes.set(bytes.subarray(start, end), this.infoUsed);
    this.infoUsed += n;
    this.infoEnd[i] = this.infoUsed;
  }

  infoStart(i: number): number {
    return i === 0 ? 0 : this.infoEnd[i - 1];
  }

  private readonly decoder = new TextDecoder();

  info(i: number): string {
    return this.decoder.decode(this.infoBytes.subarray(this.infoStart(i), this.infoEnd[i]));
  }

  /** Makes room for n packets in all (no-op when there is room already). */
  reserve(n: number): void {
    if (n > this.capacity) this.resize(n);
  }

  /** Drops the spare capacity once the capture is read. */
  trim(): void {
    this.resize(this.count);
    this.infoBytes = this.infoBytes.slice(0, this.infoUsed);
  }

  /** Bytes held: frame blocks, columns and Info text (for the status and the benchmark). */
  memoryBytes(): number {
    let n = 0;
    for (const b of this.blocks) n += b.length;
    return n + this.capacity * 90 + this.infoBytes.length;
  }

  private resize(n: number): void {
    this.capacity = n;
    const cut = <T extends Float64Array | Uint32Array | Int32Array | Uint16Array | Uint8Array>(a: T): T =>
      a.length > n ? (a.slice(0, n) as T) : grow(a, n);
    this.offset = cut(this.offset);
    this.capLen = cut(this.capLen);
    this.origLen = cut(this.origLen);
    this.tsSec = cut(this.tsSec);
    this.tsNsec = cut(this.tsNsec);
    this.linkType = cut(this.linkType);
    this.interfaceId = cut(this.interfaceId);
    this.flags = cut(this.flags);
    this.tsPrecision = cut(this.tsPrecision);
    this.protocol = cut(this.protocol);
    this.source = cut(this.source);
    this.destination = cut(this.destination);
    this.infoEnd = cut(this.infoEnd);
    this.colour = cut(this.colour);
    this.shard = cut(this.shard);
    this.prevSec = cut(this.prevSec);
    this.prevNsec = cut(this.prevNsec);
    this.globalIndex = cut(this.globalIndex);
    this.stream = cut(this.stream);
    this.udpStream = cut(this.udpStream);
    this.section = cut(this.section);
    this.interfaceName = cut(this.interfaceName);
  }
}
