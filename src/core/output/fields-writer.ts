// tshark's -T fields output: one line per packet with the chosen fields, and the -E options
// (header, separator, occurrence, aggregator, quote).

import { fieldByAbbrev, fieldById, fieldCount } from '../dissect/fields.js';
import type { Packet } from '../dissect/packet.js';
import { columnValue, isColumnField } from './columns.js';
import { fieldText, fieldTextKind } from './format.js';

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
      if (this.ids[c] < 0) v = columnValue(p, this.names[c], this.timeDigits);
      else if (seen[c] === 0) v = '';
      else if (lists) v = this.pick(lists[c]);
      else v = occurrence === 'f' ? this.first[c] : occurrence === 'l' ? this.last[c] : this.text[c];
      if (v !== '' && quote) v = quote + v + quote;
      out += v;
    }
    return out;
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
