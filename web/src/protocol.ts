// Messages between the page and the capture worker. The worker owns the capture (bytes and the
// columnar index); the page asks for what it shows: a window of rows, a filter, a sort, the
// details and bytes of one packet.

export type ColumnKey = 'no' | 'time' | 'source' | 'destination' | 'protocol' | 'length' | 'info';

export interface Row {
  number: number;
  time: string;
  source: string;
  destination: string;
  protocol: string;
  length: number;
  info: string;
  /** Index into COLOURING_RULES, or NO_RULE. */
  colour: number;
}

/** One details-tree item, in tree order; `parent` indexes this same list (-1 for a layer). */
export interface TreeItem {
  label: string;
  /** Field abbreviation ('' for a text-only item). */
  abbrev: string;
  parent: number;
  start: number;
  length: number;
  /** Data source index (0: the frame). */
  source: number;
  /** "abbrev == value" for Apply as filter ('' when the item is no field). */
  filter: string;
  /** The value as -T fields prints it (Copy value). */
  value: string;
}

export interface DataSourceBytes {
  name: string;
  bytes: Uint8Array;
}

export type ToWorker =
  | { type: 'open-file'; file: File }
  | { type: 'open-url'; url: string; name: string; size: number }
  | { type: 'rows'; id: number; start: number; count: number }
  | { type: 'filter'; id: number; text: string }
  | { type: 'sort'; id: number; column: ColumnKey | null; ascending: boolean }
  | { type: 'select'; id: number; number: number }
  | { type: 'position'; id: number; number: number };

export type FromWorker =
  | { type: 'progress'; bytes: number; total: number; packets: number }
  | {
      type: 'loaded';
      name: string;
      total: number;
      loadMs: number;
      /** Colouring rules in effect (indexes into COLOURING_RULES) with the text used. */
      rules: { index: number; filter: string }[];
      memoryBytes: number;
      /** Whether the workers share one copy of the capture's bytes (a cross-origin isolated page). */
      sharedMemory: boolean;
      /** Of loadMs, the time the busiest shard spent dissecting and indexing. */
      indexMs: number;
      /** A capture problem that ended reading early (the packets before it are shown). */
      warning?: string;
    }
  | { type: 'error'; message: string }
  | { type: 'rows'; id: number; start: number; rows: Row[]; generation: number }
  | {
      type: 'view';
      id: number;
      shown: number;
      ms: number;
      generation: number;
      error?: string;
    }
  | { type: 'details'; id: number; number: number; items: TreeItem[]; sources: DataSourceBytes[]; ms: number }
  | { type: 'position'; id: number; number: number; position: number };
