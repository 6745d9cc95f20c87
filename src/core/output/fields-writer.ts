// tshark's -T fields output: one line per packet with the chosen fields, and the -E options
// (header, separator, occurrence, aggregator, quote).

import { fieldByAbbrev, fieldById, fieldCount } from '../dissect/fields.js';
import type { Packet } from '../dissect/packet.js';
import { columnValue, isColumnField } from './columns.js';
import { escapeControls, fieldText, fieldTextKind, hexDigits, TEXT_DECIMAL, TEXT_HEX, TEXT_IPV4 } from './format.js';
import { encodeUtf8, writeUint } from './utf8.js';

export interface FieldsOptions {
  header: boolean;
  separator: string;
  /** 'a' all, 'f' first, 'l' last, or a 1-based index (negative counts from the end). */
  occurrence: 'a' | 'f' | 'l' | number;
  aggregator: string;
  quote: '' | '"' | "'";
}

export const defaultFieldsOptions: FieldsOptions = {
  header: false,
  separator: '\t',
  occurrence: 'a',
  aggregator: ',',
  quote: '',
};

export class FieldsWriter {
  /** Field id per column, or -1 for a column pseudo-field. */
  private readonly ids: Int32Array;
  /** Output column of each field id (fields may repeat: a list of columns per id). */
  private readonly columnsOf = new Map<number, number[]>();
  /**
   * The same by field id in a typed array (the per-item lookup of line()): the column, -1 for a
   * field not asked for, -2 for a field asked for in several columns (see columnsOf).
   */
  private readonly columnOf: Int32Array;
  /** fieldTextKind of each asked-for field, by field id. */
  private readonly textKind: Uint8Array;
  /** Whether lineBytes can be used: see there. */
  readonly bytePath: boolean;
  /** lineBytes' output (grown when a line needs more). */
  bytes = new Uint8Array(4096);
  private readonly separatorBytes: Uint8Array;
  private readonly aggregatorBytes: Uint8Array;
  /** Per output column: the occurrences seen in this packet, joined by the aggregator, and their count. */
  private readonly text: string[];
  private readonly seen: Int32Array;
  private readonly first: string[];
  private readonly last: string[];

  constructor(
    readonly names: readonly string[],
    readonly options: FieldsOptions,
    readonly timeDigits = 6,
  ) {
    this.ids = new Int32Array(names.length);
    this.text = names.map(() => '');
    this.first = names.map(() => '');
    this.last = names.map(() => '');
    this.seen = new Int32Array(names.length);
    this.columnOf = new Int32Array(fieldCount()).fill(-1);
    this.textKind = new Uint8Array(fieldCount());
    names.forEach((name, col) => {
      const info = isColumnField(name) ? undefined : fieldByAbbrev(name);
      const id = info ? info.id : -1;
      this.ids[col] = id;
      if (id >= 0) {
        const cols = this.columnsOf.get(id);
        if (cols) cols.push(col);
        else this.columnsOf.set(id, [col]);
        this.columnOf[id] = cols ? -2 : col;
        this.textKind[id] = fieldTextKind(fieldById(id));
      }
    });
    const o = options;
    this.bytePath =
      (o.occurrence === 'a' || o.occurrence === 'f' || o.occurrence === 'l') &&
      o.quote === '' &&
      [...this.ids].every((id) => id >= 0 && this.columnOf[id] >= 0);
    this.separatorBytes = new TextEncoder().encode(o.separator);
    this.aggregatorBytes = new TextEncoder().encode(o.aggregator);
  }

  /** Field ids the dissection must keep. */
  wantedIds(): number[] {
    return [...this.columnsOf.keys()];
  }

  /** Whether the columns must be built (a _ws.col field was asked for). */
  needsColumns(): boolean {
    return this.names.some(isColumnField);
  }

  headerLine(): string {
    const q = this.options.quote;
    return this.names.map((n) => (q ? q + n + q : n)).join(this.options.separator);
  }

  line(p: Packet): string {
    const t = p.tree;
    const { separator, quote, occurrence, aggregator } = this.options;
    const n = this.names.length;
    const seen = this.seen;
    for (let c = 0; c < n; c++) seen[c] = 0;
    // Occurrence lists are only kept for numbered occurrences; the usual cases fold as they go.
    const lists = typeof occurrence === 'number' ? this.names.map((): string[] => []) : undefined;
    const columnOf = this.columnOf;
    for (let i = 0; i < t.count; i++) {
      const field = t.field[i];
      // Text-only items have field -1; most items map to one column.
      const column = field < 0 ? -1 : columnOf[field];
      if (column === -1) continue;
      const value = fieldText(p, i, this.textKind[field]);
      const cols = column >= 0 ? undefined : this.columnsOf.get(field);
      const count = cols === undefined ? 1 : cols.length;
      for (let k = 0; k < count; k++) {
        const c = cols === undefined ? column : cols[k];
        if (lists) lists[c].push(value);
        else if (seen[c] === 0) {
          this.first[c] = value;
          this.text[c] = value;
        } else if (occurrence === 'a') this.text[c] += aggregator + value;
        this.last[c] = value;
        seen[c]++;
      }
    }
    let out = '';
    for (let c = 0; c < n; c++) {
      if (c) out += separator;
      let v: string;
      // Columns are text like string fields: control characters escaped as tshark does.
      if (this.ids[c] < 0) v = escapeControls(columnValue(p, this.names[c], this.timeDigits));
      else if (seen[c] === 0) v = '';
      else if (lists) v = this.pick(lists[c]);
      else v = occurrence === 'f' ? this.first[c] : occurrence === 'l' ? this.last[c] : this.text[c];
      if (v !== '' && quote) v = quote + v + quote;
      out += v;
    }
    return out;
  }

  /**
   * The same line as line(), as UTF-8 in `this.bytes`; returns its length. Numbers and IPv4
   * addresses are written as digits without making strings (the -T fields hot path). Only when
   * bytePath: occurrence a, f or l, no quotes, no column pseudo-fields, no field twice.
   */
  lineBytes(p: Packet): number {
    const t = p.tree;
    const occurrence = this.options.occurrence;
    const columnOf = this.columnOf;
    const n = this.names.length;
    let o = 0;
    for (let c = 0; c < n; c++) {
      if (c) o = this.put(o, this.separatorBytes);
      let written = 0;
      let lastItem = -1;
      for (let i = 0; i < t.count; i++) {
        const field = t.field[i];
        if (field < 0 || columnOf[field] !== c) continue;
        if (occurrence === 'l') {
          lastItem = i;
          continue;
        }
        if (written++) o = this.put(o, this.aggregatorBytes);
        o = this.value(p, i, field, o);
        if (occurrence === 'f') break;
      }
      if (lastItem >= 0) o = this.value(p, lastItem, t.field[lastItem], o);
    }
    return o;
  }

  /** Room for `more` bytes after `at`. */
  private room(at: number, more: number): Uint8Array {
    if (at + more > this.bytes.length) {
      const grown = new Uint8Array(Math.max(this.bytes.length * 2, at + more));
      grown.set(this.bytes.subarray(0, at));
      this.bytes = grown;
    }
    return this.bytes;
  }

  private put(at: number, b: Uint8Array): number {
    const out = this.room(at, b.length);
    for (let k = 0; k < b.length; k++) out[at + k] = b[k];
    return at + b.length;
  }

  /** Item i's value at `at` (as fieldText formats it); returns the end. */
  private value(p: Packet, i: number, field: number, at: number): number {
    const v = p.tree.num[i];
    const kind = this.textKind[field];
    if (kind === TEXT_IPV4) {
      const out = this.room(at, 15);
      at = writeUint(out, at, v >>> 24);
      out[at++] = 0x2e;
      at = writeUint(out, at, (v >>> 16) & 255);
      out[at++] = 0x2e;
      at = writeUint(out, at, (v >>> 8) & 255);
      out[at++] = 0x2e;
      return writeUint(out, at, v & 255);
    }
    if (kind === TEXT_DECIMAL && v >= 0 && v <= 0xffffffff && Math.floor(v) === v) {
      return writeUint(this.room(at, 10), at, v);
    }
    if (kind === TEXT_HEX && v >= 0 && v <= 0xffffffff && Math.floor(v) === v) {
      const digits = hexDigits(fieldById(field));
      const out = this.room(at, 2 + Math.max(digits, 8));
      out[at++] = 0x30;
      out[at++] = 0x78;
      let width = 1;
      while (width < 8 && v >>> (4 * width) !== 0) width++;
      for (let k = width; k < digits; k++) out[at++] = 0x30;
      for (let k = width - 1; k >= 0; k--) out[at++] = HEX_DIGITS[(v >>> (4 * k)) & 15];
      return at;
    }
    const text = fieldText(p, i, kind);
    return encodeUtf8(text, this.room(at, text.length * 3), at);
  }

  private pick(vs: string[]): string {
    if (vs.length === 0) return '';
    const occ = this.options.occurrence;
    if (occ === 'a') return vs.length === 1 ? vs[0] : vs.join(this.options.aggregator);
    if (occ === 'f') return vs[0];
    if (occ === 'l') return vs[vs.length - 1];
    const idx = occ > 0 ? occ - 1 : vs.length + occ;
    return vs[idx] ?? '';
  }
}

const HEX_DIGITS = Uint8Array.from('0123456789abcdef', (ch) => ch.charCodeAt(0));
