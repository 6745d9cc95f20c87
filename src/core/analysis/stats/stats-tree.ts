// Wireshark's stats_tree (epan/stats_tree.c), the counter trees behind `-z http,tree`, `-z dns,tree`
// and their kind: named nodes with counts, averages, rates, percentages of the parent and burst
// rates, printed as tshark's plain-text table. Names, sorting (count, then name, descending),
// float arithmetic and the burst buckets (5 ms buckets, 100 ms window) follow 4.0 so the text
// matches byte for byte.

/** A packet's time as stats_tree sees it: milliseconds since the capture's first frame. */
export function relativeMs(tsSec: number, tsNsec: number, first: readonly [number, number]): number {
  let sec = tsSec - first[0];
  let nsec = tsNsec - first[1];
  if (sec > 0 && nsec < 0) {
    sec--;
    nsec += 1e9;
  } else if (sec < 0 && nsec > 0) {
    sec++;
    nsec -= 1e9;
  }
  // nstime_to_msec
  return sec * 1000 + nsec / 1e6;
}

/**
 * C's printf("%.<digits>f"): the exact binary value rounded to nearest, ties to even (JavaScript's
 * toFixed picks the larger of two equally near results).
 */
export function printfFixed(value: number, digits: number): string {
  const text = value.toFixed(digits);
  const exact = value.toFixed(Math.min(100, digits + 30));
  const tail = exact.slice(exact.length - 30);
  if (tail !== '5' + '0'.repeat(29)) return text;
  // An exact tie: toFixed rounded away from zero; step back when that made the last digit odd.
  const last = text.charCodeAt(text.length - 1) - 48;
  if (last % 2 === 0) return text;
  const truncated = exact.slice(0, exact.length - 30);
  return digits === 0 ? truncated.slice(0, -1) : truncated;
}

const BURST_RESOLUTION_MS = 5; // prefs.st_burst_resolution
const BURST_WINDOW_MS = 100; // prefs.st_burst_windowlen
const BURST_WINDOW = BURST_WINDOW_MS / BURST_RESOLUTION_MS;
const INDENT_MAX = 32;
const G_MAXINT = 2147483647;
const G_MININT = -2147483648;
const G_MAXFLOAT = 3.4028234663852886e38;
const G_MINFLOAT = 1.1754943508222875e-38;

interface BurstBucket {
  bucket: number;
  count: number;
  startTime: number;
}

export class StatNode {
  /** Index among the tree's parent nodes, or -1 for a leaf made by a tick. */
  id = -1;
  counter = 0;
  readonly children: StatNode[] = [];
  /** Children by name, for nodes created "with hash" (lookups stay under this node). */
  readonly hash: Map<string, StatNode> | undefined;
  average = false;
  total = 0;
  min: number;
  max: number;
  /** Burst buckets, oldest first; starts with Wireshark's empty bucket 0. */
  buckets: BurstBucket[] = [{ bucket: 0, count: 0, startTime: 0 }];
  burstCount = 0;
  maxBurst = 0;
  burstTime = -1;

  constructor(
    readonly tree: StatsTree,
    readonly name: string,
    readonly parent: StatNode | undefined,
    readonly isFloat: boolean,
    withHash: boolean,
    readonly rootChild: boolean,
  ) {
    this.hash = withHash ? new Map() : undefined;
    this.min = isFloat ? G_MAXFLOAT : G_MAXINT;
    this.max = isFloat ? G_MINFLOAT : G_MININT;
  }
}

/** One stats_tree instance: `name` as registered ("HTTP/Packet Counter"). */
export class StatsTree {
  readonly root: StatNode;
  /** Nodes created as parents, by name (stats_tree's names table). */
  private readonly names = new Map<string, StatNode>();
  /** Node ids: index 0 is the root. */
  private readonly parents: StatNode[] = [];
  private start = -1;
  private elapsed = 0;
  private now = 0;

  constructor(readonly name: string) {
    this.root = new StatNode(this, displayName(name), undefined, false, false, false);
    this.parents.push(this.root);
  }

  /** Called once per tapped event before the counters change (stats_tree_packet). */
  packet(nowMs: number): void {
    this.now = nowMs;
    if (this.start < 0) this.start = nowMs;
    this.elapsed = nowMs - this.start;
  }

  /** stats_tree_create_node: a named node under `parentId`; returns its id. */
  createNode(name: string, parentId: number, withHash: boolean, isFloat = false): number {
    return this.newNode(name, parentId, isFloat, withHash, true).id;
  }

  /** stats_tree_create_pivot: a node whose children are the distinct values ticked under it. */
  createPivot(name: string, parentId: number): number {
    return this.newNode(name, parentId, false, true, true).id;
  }

  /** tick_stat_node: adds one to the node `name` (under `parentId`'s children or by global name). */
  tick(name: string, parentId: number, withHash = false): void {
    const node = this.lookup(name, parentId, withHash, false);
    node.counter++;
    this.burst(node, 1);
  }

  /** stats_tree_tick_pivot */
  tickPivot(pivotId: number, value: string): void {
    const pivot = this.parents[pivotId];
    pivot.counter++;
    this.burst(pivot, 1);
    this.tick(value, pivotId);
  }

  /** avg_stat_node_add_value_int / _float: counts one and adds `value` to the average. */
  addValue(name: string, parentId: number, value: number, isFloat = false): void {
    const node = this.lookup(name, parentId, false, isFloat);
    node.counter++;
    this.burst(node, 1);
    if (node.isFloat) {
      const v = Math.fround(value);
      node.total = Math.fround(node.total + v);
      if (node.min > v) node.min = v;
      if (node.max < v) node.max = v;
    } else {
      node.total = (node.total + value) | 0;
      if (node.min > value) node.min = value;
      if (node.max < value) node.max = value;
    }
    node.average = true;
  }

  private lookup(name: string, parentId: number, withHash: boolean, isFloat: boolean): StatNode {
    const parent = this.parents[parentId];
    const found = parent.hash ? parent.hash.get(name) : this.names.get(name);
    return found ?? this.newNode(name, parentId, isFloat, withHash, withHash);
  }

  private newNode(name: string, parentId: number, isFloat: boolean, withHash: boolean, asParent: boolean): StatNode {
    const parent = this.parents[parentId];
    const node = new StatNode(this, name, parent, isFloat, withHash, parentId === 0);
    if (asParent) {
      this.names.set(name, node);
      this.parents.push(node);
      node.id = this.parents.length - 1;
    }
    parent.children.push(node);
    parent.hash?.set(name, node);
    return node;
  }

  /** update_burst_calc: the most events in any 100 ms window, by 5 ms buckets. */
  private burst(node: StatNode, value: number): void {
    const current = Math.floor(this.now / BURST_RESOLUTION_MS);
    const b = node.buckets;
    const tail = b[b.length - 1];
    if (current > tail.bucket) {
      b.push({ bucket: current, count: value, startTime: this.now });
      node.burstCount += value;
      // The window's oldest buckets fall out.
      let drop = 0;
      while (current >= b[drop].bucket + BURST_WINDOW) node.burstCount -= b[drop++].count;
      if (drop) b.splice(0, drop);
    } else if (current < b[0].bucket) {
      // Earlier than everything held (a timestamp going back): counted only within the window.
      if (current + BURST_WINDOW > tail.bucket) {
        b.unshift({ bucket: current, count: value, startTime: this.now });
        node.burstCount += value;
      }
    } else {
      let k = b.length - 1;
      while (current < b[k].bucket) k--;
      if (current === b[k].bucket) {
        b[k].count += value;
        if (b[k].startTime > this.now) b[k].startTime = this.now;
      } else b.splice(k + 1, 0, { bucket: current, count: value, startTime: this.now });
      node.burstCount += value;
    }
    if (node.burstCount > node.maxBurst) {
      node.maxBurst = node.burstCount;
      node.burstTime = b[0].startTime;
    }
  }

  /** The nine columns of a node as stats_tree_get_values_from_node writes them. */
  private values(node: StatNode): string[] {
    const v: string[] = [node.rootChild ? displayName(node.name) : node.name, String(node.counter)];
    if (node.average) {
      if (node.counter) {
        const average = Math.fround(Math.fround(node.total) / Math.fround(node.counter));
        v.push(printfFixed(average, 2));
        v.push(node.isFloat ? printfFixed(node.min, 6) : String(node.min));
        v.push(node.isFloat ? printfFixed(node.max, 6) : String(node.max));
      } else v.push('-', '-', '-');
    } else v.push('', '', '');
    v.push(this.elapsed ? printfFixed(node.counter / this.elapsed, 4) : '');
    const parent = node.parent;
    if (parent && parent.counter) v.push(printfFixed((node.counter * 100) / parent.counter, 2) + '%');
    else v.push(parent === this.root ? '100%' : '');
    v.push(node.maxBurst ? printfFixed(node.maxBurst / BURST_WINDOW_MS, 4) : '-');
    v.push(node.maxBurst ? printfFixed(node.burstTime / 1000, 3) : '-');
    return v;
  }

  /** The tree as tshark prints it (stats_tree_format_as_str, plain text, default sort). */
  text(): string {
    const nameWidth = maxNameLength(this.root, 0);
    const width = nameWidth + (COLUMN_NAMES.length - 1) * 14;
    let s = `\n${'='.repeat(width)}\n${this.name}:\n${COLUMN_NAMES[0].padEnd(nameWidth)}`;
    for (let i = 1; i < COLUMN_NAMES.length; i++) s += ' ' + COLUMN_NAMES[i].padEnd(13);
    s += `\n${'-'.repeat(width)}\n`;
    const row = (node: StatNode, indent: number): void => {
      const v = this.values(node);
      s += ' '.repeat(indent) + v[0].padEnd(nameWidth - indent);
      for (let i = 1; i < v.length; i++) s += ' ' + v[i].padEnd(13);
      s += '\n';
      const next = Math.min(indent + 1, INDENT_MAX);
      for (const child of sortedChildren(node)) row(child, next);
    };
    // The root's children keep their order; deeper levels are sorted.
    for (const child of this.root.children) row(child, 0);
    return s + `\n${'-'.repeat(width)}\n`;
  }
}

const COLUMN_NAMES = [
  'Topic / Item',
  'Count',
  'Average',
  'Min Val',
  'Max Val',
  'Rate (ms)',
  'Percent',
  'Burst Rate',
  'Burst Start',
];

/** stats_tree_get_displayname: the last part of a "Group/Name" path ("//" is a literal slash). */
export function displayName(fullName: string): string {
  let out = '';
  for (let i = 0; i < fullName.length; i++) {
    const c = fullName[i];
    if (c !== '/') out += c;
    else if (fullName[i + 1] === '/') {
      out += '/';
      i++;
    } else out = '';
  }
  return out;
}

function maxNameLength(node: StatNode, indent: number): number {
  const level = Math.min(indent, INDENT_MAX);
  let longest = 0;
  for (const child of node.children) longest = Math.max(longest, maxNameLength(child, level + 1));
  const own = (node.rootChild ? displayName(node.name) : node.name).length + level;
  return Math.max(longest, own);
}

/** Count descending, then name descending (stats_tree_sort_compare, negated). */
function sortedChildren(node: StatNode): StatNode[] {
  return node.children
    .map((child, i) => ({ child, i }))
    .sort((a, b) => {
      let r = a.child.counter - b.child.counter;
      if (r === 0) r = byteCompare(a.child.name, b.child.name);
      return -r || a.i - b.i;
    })
    .map((x) => x.child);
}

/** strcmp (prefs.st_sort_casesensitve is on by default). */
function byteCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
