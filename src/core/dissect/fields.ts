// The field registry: every protocol declares its fields here once (Wireshark's abbrev, type,
// display name, base, value strings, bitmask), and -e, -V, JSON and display filters all read it.
// Fields are identified by a small integer id so the hot path indexes arrays instead of maps.

export type FieldType =
  | 'none' // a label or subtree with no value (FT_NONE)
  | 'protocol' // a protocol's top item (FT_PROTOCOL)
  | 'bool' // FT_BOOLEAN; `bits` gives the width of the containing integer when a bitmask is set
  | 'uint' // FT_UINT8..FT_UINT64 (width in `bits`)
  | 'int' // FT_INT8..FT_INT64
  | 'float' // FT_FLOAT / FT_DOUBLE
  | 'abstime' // FT_ABSOLUTE_TIME (value: seconds since the epoch, with nanoseconds)
  | 'reltime' // FT_RELATIVE_TIME (value: seconds)
  | 'string' // FT_STRING (value stored as a string)
  | 'bytes' // FT_BYTES (value: the item's bytes)
  | 'ether' // FT_ETHER, 6 bytes
  | 'ipv4' // FT_IPv4 (value: the address as an unsigned 32-bit number)
  | 'ipv6' // FT_IPv6, 16 bytes
  | 'framenum'; // FT_FRAMENUM

export type FieldBase = 'dec' | 'hex' | 'dec_hex' | 'hex_dec' | 'oct' | 'none';

export interface FieldSpec {
  /** Filter name, e.g. "tcp.srcport". */
  abbrev: string;
  /** Display name, e.g. "Source Port". */
  name: string;
  type: FieldType;
  /** Width in bits of integer and bitmask-boolean fields (8, 16, 24, 32, 64). */
  bits?: number;
  base?: FieldBase;
  /** Value names for integer fields ("value strings"). */
  strings?: ReadonlyMap<number, string>;
  /** For booleans: the texts for set and not set (Wireshark's true_false_string). */
  trueFalse?: readonly [string, string];
  /** Bitmask within the containing integer; the stored value is already masked and shifted. */
  mask?: number;
  /** A unit appended in the details tree (" bytes", " seconds"). */
  unit?: string;
  blurb?: string;
}

export interface FieldInfo extends FieldSpec {
  id: number;
  /** The protocol this field belongs to (the part before the first dot, or the abbrev itself). */
  protocol: string;
}

const byId: FieldInfo[] = [];
const byAbbrev = new Map<string, FieldInfo>();

/** Declares one field. Declaring the same abbrev twice with the same type returns the first id. */
export function defineField(spec: FieldSpec): number {
  const known = byAbbrev.get(spec.abbrev);
  if (known) {
    if (known.type !== spec.type) throw new Error(`field ${spec.abbrev} declared twice with different types`);
    return known.id;
  }
  const dot = spec.abbrev.indexOf('.');
  const info: FieldInfo = { ...spec, id: byId.length, protocol: dot < 0 ? spec.abbrev : spec.abbrev.slice(0, dot) };
  byId.push(info);
  byAbbrev.set(spec.abbrev, info);
  return info.id;
}

/** Declares a table of fields at once; returns their ids under the same keys. */
export function defineFields<K extends string>(specs: Record<K, FieldSpec>): Record<K, number> {
  const out = {} as Record<K, number>;
  for (const key of Object.keys(specs) as K[]) out[key] = defineField(specs[key]);
  return out;
}

export function fieldById(id: number): FieldInfo {
  return byId[id];
}

export function fieldByAbbrev(abbrev: string): FieldInfo | undefined {
  return byAbbrev.get(abbrev);
}

export function fieldCount(): number {
  return byId.length;
}

export function allFields(): readonly FieldInfo[] {
  return byId;
}

/** Field names close to `abbrev` (for "did you mean" messages), best first. */
export function closeFieldNames(abbrev: string, max = 5): string[] {
  const scored: [number, string][] = [];
  for (const f of byId) {
    const d = editDistance(abbrev, f.abbrev);
    const limit = Math.max(2, Math.floor(abbrev.length / 3));
    if (d <= limit || (abbrev.length >= 3 && f.abbrev.includes(abbrev))) scored.push([d, f.abbrev]);
  }
  scored.sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1]));
  return scored.slice(0, max).map((s) => s[1]);
}

function editDistance(a: string, b: string): number {
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length];
}

/** Builds a value-string map from an object literal or entries. */
export function valueStrings(entries: Record<number, string> | [number, string][]): ReadonlyMap<number, string> {
  return new Map(Array.isArray(entries) ? entries : Object.entries(entries).map(([k, v]) => [Number(k), v]));
}

export const SET_NOT_SET: readonly [string, string] = ['Set', 'Not set'];
export const YES_NO: readonly [string, string] = ['Yes', 'No'];
