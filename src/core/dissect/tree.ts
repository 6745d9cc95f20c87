// The protocol tree of one packet, stored column-wise in typed arrays that are reused from packet
// to packet, so the summary path allocates nothing per field. Each item is a field occurrence
// (or a text-only label) with its byte range in one of the packet's data sources.
// In "wanted" mode only the fields a consumer asked for are kept; in full mode every item is
// kept with its nesting and its label (the details tree, -V, JSON).

import { fieldById } from './fields.js';

export const GENERATED = 1; // computed by synack, not read from the bytes (Wireshark's "[...]")
export const HIDDEN = 2; // filterable but not shown in the details tree
export const EXPERT = 4; // an expert-info item
/**
 * The label is a short label with a summary appended (Wireshark's proto_item_append_text): one
 * too long for Wireshark's label buffer is cut there without a "[truncated]" mark.
 */
export const APPENDED = 8;

const TEXT_FIELD = -1;

/**
 * Fields that a dissector adds together and can skip together on the summary path when none of
 * them is kept (ProtoTree.keepsAny): one check instead of a call per field. Declare it once per
 * module; the answer is cached for the current wanted set.
 */
export class FieldGroup {
  /** The wanted table `any` was computed for. */
  wanted: Uint8Array | undefined = undefined;
  any = false;
  constructor(readonly ids: readonly number[]) {}
}

export class ProtoTree {
  count = 0;
  field = new Int32Array(256);
  parent = new Int32Array(256);
  start = new Int32Array(256);
  length = new Int32Array(256);
  source = new Uint8Array(256);
  flags = new Uint8Array(256);
  num = new Float64Array(256);
  /** Values that are not numbers (strings, bigints), by item index; sparse. */
  obj: unknown[] = [];
  /** Custom labels (full mode only), by item index; sparse. */
  label: (string | undefined)[] = [];

  /** Keep every item and build labels. */
  full = false;
  /**
   * When not full: keep only items whose field id is set here. Replace the array to change it,
   * never write into it: keepsAny caches its answers per array.
   */
  wanted: Uint8Array = new Uint8Array(0);
  /** The data source (index into Packet.sources) that new items point into. */
  currentSource = 0;

  private stack = new Int32Array(64);
  private depth = 0;
  private current = -1;

  /** Prepares for a new packet. */
  reset(): void {
    // Only the sparse arrays that were written need clearing.
    if (this.obj.length) this.obj.length = 0;
    if (this.label.length) this.label.length = 0;
    this.count = 0;
    this.depth = 0;
    this.current = -1;
    this.currentSource = 0;
  }

  /** Whether an item for `field` would be kept. */
  keeps(field: number): boolean {
    return this.full || this.wanted[field] === 1;
  }

  /** Whether an item of any field of `group` would be kept. */
  keepsAny(group: FieldGroup): boolean {
    if (this.full) return true;
    const wanted = this.wanted;
    if (group.wanted !== wanted) {
      group.wanted = wanted;
      group.any = false;
      for (const id of group.ids) if (wanted[id] === 1) group.any = true;
    }
    return group.any;
  }

  /** Adds a field occurrence with a numeric value; returns its index, or -1 when not kept. */
  add(field: number, start: number, length: number, value = 0, flags = 0): number {
    if (!this.full && this.wanted[field] !== 1) return -1;
    const i = this.count;
    if (i === this.field.length) this.grow();
    this.field[i] = field;
    this.parent[i] = this.current;
    this.start[i] = start;
    this.length[i] = length;
    this.source[i] = this.currentSource;
    this.flags[i] = flags;
    this.num[i] = value;
    this.count = i + 1;
    return i;
  }

  /** Adds a field occurrence whose value is a string or bigint. */
  addValue(field: number, start: number, length: number, value: string | bigint, flags = 0): number {
    const i = this.add(field, start, length, 0, flags);
    if (i >= 0) this.obj[i] = value;
    return i;
  }

  /**
   * Adds a time (abstime: seconds since the epoch; reltime: a signed interval) as whole seconds
   * and nanoseconds, both of the same sign, so no precision is lost.
   */
  addTime(field: number, start: number, length: number, sec: number, nsec: number, flags = 0): number {
    const i = this.add(field, start, length, sec, flags);
    if (i >= 0) this.obj[i] = nsec;
    return i;
  }

  /**
   * Adds a relative time from the raw differences of seconds and nanoseconds, first giving both
   * parts one sign as Wireshark's nstime_delta does (1 s and -0.2 s become 0 s and 0.8 s).
   */
  addInterval(field: number, start: number, length: number, sec: number, nsec: number, flags = 0): number {
    if (sec > 0 && nsec < 0) {
      sec -= 1;
      nsec += 1e9;
    } else if (sec < 0 && nsec > 0) {
      sec += 1;
      nsec -= 1e9;
    }
    return this.addTime(field, start, length, sec, nsec, flags);
  }

  /** Adds a text-only item (a label in the details tree); kept in full mode only. */
  addText(start: number, length: number, text: string, flags = 0): number {
    if (!this.full) return -1;
    const i = this.add(TEXT_FIELD, start, length, 0, flags);
    this.label[i] = text;
    return i;
  }

  /** Sets a custom label on an item (full mode; a no-op for -1). */
  setLabel(i: number, text: string): void {
    if (i >= 0 && this.full) this.label[i] = text;
  }

  /** Sets a label made of a short label and an appended summary (see APPENDED). */
  setAppendedLabel(i: number, text: string): void {
    if (i < 0 || !this.full) return;
    this.label[i] = text;
    this.flags[i] |= APPENDED;
  }

  /** Makes item `i` the parent of the items added until the matching `close()`. */
  open(i: number): void {
    if (this.depth === this.stack.length) {
      const s = new Int32Array(this.stack.length * 2);
      s.set(this.stack);
      this.stack = s;
    }
    this.stack[this.depth++] = this.current;
    // An item that was not kept cannot be a parent; its children go to the enclosing item.
    if (i >= 0) this.current = i;
  }

  close(): void {
    if (this.depth > 0) this.current = this.stack[--this.depth];
  }

  /** Closes every open subtree (a dissector that stopped early leaves none open). */
  closeAll(): void {
    this.depth = 0;
    this.current = -1;
  }

  /**
   * Drops the items from index `n` on (a dissector that turned out to have nothing to show yet,
   * such as one that asked TCP for more bytes before reading any). Call with no subtree of
   * those items open.
   */
  truncate(n: number): void {
    if (n >= this.count) return;
    for (let i = n; i < this.count; i++) {
      if (this.obj.length > i) this.obj[i] = undefined;
      if (this.label.length > i) this.label[i] = undefined;
    }
    this.count = n;
  }

  /**
   * Removes items [from, to) and moves the later ones down, keeping their nesting (no item after
   * `to` may have its parent inside the range). Call with no subtree open.
   */
  remove(from: number, to: number): void {
    const n = to - from;
    if (n <= 0) return;
    for (let i = to; i < this.count; i++) {
      const j = i - n;
      this.field[j] = this.field[i];
      const parent = this.parent[i];
      this.parent[j] = parent >= to ? parent - n : parent;
      this.start[j] = this.start[i];
      this.length[j] = this.length[i];
      this.source[j] = this.source[i];
      this.flags[j] = this.flags[i];
      this.num[j] = this.num[i];
      if (this.obj.length > i || this.obj.length > j) this.obj[j] = this.obj[i];
      if (this.label.length > i || this.label.length > j) this.label[j] = this.label[i];
    }
    this.truncate(this.count - n);
  }

  /** Sets the length of an item once it is known (a protocol item covers its whole header). */
  setLength(i: number, length: number): void {
    if (i >= 0) this.length[i] = length;
  }

  setNumber(i: number, value: number): void {
    if (i >= 0) this.num[i] = value;
  }

  isText(i: number): boolean {
    return this.field[i] === TEXT_FIELD;
  }

  /** The first kept item of `field`, or -1. */
  find(field: number): number {
    for (let i = 0; i < this.count; i++) if (this.field[i] === field) return i;
    return -1;
  }

  /** Field abbreviation of item i (for debugging and JSON). */
  abbrevOf(i: number): string {
    const f = this.field[i];
    return f === TEXT_FIELD ? '' : fieldById(f).abbrev;
  }

  private grow(): void {
    const n = this.field.length * 2;
    const g = <T extends Int32Array | Uint8Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.field = g(this.field, (k) => new Int32Array(k));
    this.parent = g(this.parent, (k) => new Int32Array(k));
    this.start = g(this.start, (k) => new Int32Array(k));
    this.length = g(this.length, (k) => new Int32Array(k));
    this.source = g(this.source, (k) => new Uint8Array(k));
    this.flags = g(this.flags, (k) => new Uint8Array(k));
    this.num = g(this.num, (k) => new Float64Array(k));
  }
}
