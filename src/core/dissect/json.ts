// JSON bodies (Wireshark's json dissector, packet-json.c, RFC 8259): "/JSON" in the Protocol
// column, "JavaScript Object Notation" in Info, and the document as a tree of objects, arrays,
// members and values. Text that is not JSON is shown as lines of text, as Wireshark does.
// The parser is iterative-bounded: nesting deeper than MAX_DEPTH is treated as not JSON.

import { defineFields } from './fields.js';
import { GENERATED } from './tree.js';
import type { Packet } from './packet.js';
import { mediaTypeTable } from './tables.js';
import { appendInfoSep, appendProtocolSep, mediaMatch } from './media.js';
import { dissectTextLines } from './data-text-lines.js';
import { formatText } from './format-text.js';

export const jsonFields = defineFields({
  json: { abbrev: 'json', name: 'JavaScript Object Notation', type: 'protocol' },
  object: { abbrev: 'json.object', name: 'Object', type: 'none' },
  array: { abbrev: 'json.array', name: 'Array', type: 'none' },
  member: { abbrev: 'json.member', name: 'Member', type: 'string' },
  key: { abbrev: 'json.key', name: 'Key', type: 'string' },
  path: { abbrev: 'json.path', name: 'Path', type: 'string' },
  pathWithValue: { abbrev: 'json.path_with_value', name: 'Path with value', type: 'string' },
  memberWithValue: { abbrev: 'json.member_with_value', name: 'Member with value', type: 'string' },
  string: { abbrev: 'json.value.string', name: 'String value', type: 'string' },
  number: { abbrev: 'json.value.number', name: 'Number value', type: 'string' },
  true: { abbrev: 'json.value.true', name: 'True value', type: 'none' },
  false: { abbrev: 'json.value.false', name: 'False value', type: 'none' },
  null: { abbrev: 'json.value.null', name: 'Null value', type: 'none' },
});

const F = jsonFields;
const MAX_DEPTH = 256;

/** A recursive-descent JSON reader over bytes that adds tree items when `emit` is set. */
class JsonReader {
  pos = 0;
  /** Keys from the top to the value being read ("[]" for array elements): json.path. */
  readonly keys: string[] = [];
  constructor(
    readonly p: Packet,
    readonly buf: Uint8Array,
    readonly end: number,
    readonly emit: boolean,
  ) {}

  /** Subtrees only while emitting: a failed validation must leave the tree's nesting as it was. */
  open(i: number): void {
    if (this.emit) this.p.tree.open(i);
  }

  close(): void {
    if (this.emit) this.p.tree.close();
  }

  ws(): void {
    const b = this.buf;
    while (this.pos < this.end) {
      const c = b[this.pos];
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) this.pos++;
      else break;
    }
  }

  value(depth: number): boolean {
    if (depth > MAX_DEPTH) return false;
    this.ws();
    if (this.pos >= this.end) return false;
    const c = this.buf[this.pos];
    const t = this.p.tree;
    const start = this.pos;
    if (c === 0x7b) return this.object(depth);
    if (c === 0x5b) return this.array(depth);
    if (c === 0x22) {
      const s = this.string();
      if (s === undefined) return false;
      if (this.emit) {
        this.withValue(start, s);
        t.addValue(F.string, start, this.pos - start, s);
      }
      return true;
    }
    for (const [word, field] of [
      ['true', F.true],
      ['false', F.false],
      ['null', F.null],
    ] as const) {
      if (this.literal(word)) {
        if (this.emit) {
          this.withValue(start, word);
          t.add(field, start, word.length);
        }
        return true;
      }
    }
    if (!this.number()) return false;
    if (this.emit) {
      const text = formatText(this.buf, start, this.pos);
      this.withValue(start, text);
      t.addValue(F.number, start, this.pos - start, text);
    }
    return true;
  }

  /** The path of the value being read ("/a/[]"). */
  pathText(): string {
    return this.keys.length === 0 ? '/[]' : '/' + this.keys.join('/');
  }

  /** Wireshark's generated items before a scalar value: its path and its member with the value. */
  withValue(start: number, text: string): void {
    const t = this.p.tree;
    const key = this.keys.length === 0 ? '[]' : this.keys[this.keys.length - 1];
    t.addValue(F.pathWithValue, start, 0, `${this.pathText()}:${text}`, GENERATED);
    t.addValue(F.memberWithValue, start, 0, `${key}:${text}`, GENERATED);
  }

  literal(word: string): boolean {
    if (this.pos + word.length > this.end) return false;
    for (let k = 0; k < word.length; k++) if (this.buf[this.pos + k] !== word.charCodeAt(k)) return false;
    this.pos += word.length;
    return true;
  }

  number(): boolean {
    const b = this.buf;
    const start = this.pos;
    if (b[this.pos] === 0x2d) this.pos++;
    const digits = (): number => {
      const s = this.pos;
      while (this.pos < this.end && b[this.pos] >= 0x30 && b[this.pos] <= 0x39) this.pos++;
      return this.pos - s;
    };
    if (digits() === 0) return false;
    if (this.pos < this.end && b[this.pos] === 0x2e) {
      this.pos++;
      if (digits() === 0) return false;
    }
    if (this.pos < this.end && (b[this.pos] | 0x20) === 0x65) {
      this.pos++;
      if (this.pos < this.end && (b[this.pos] === 0x2b || b[this.pos] === 0x2d)) this.pos++;
      if (digits() === 0) return false;
    }
    return this.pos > start;
  }

  /** A string at pos (which is '"'); its text with escapes kept as written (Wireshark shows them so). */
  string(): string | undefined {
    const b = this.buf;
    const start = ++this.pos;
    while (this.pos < this.end) {
      const c = b[this.pos];
      if (c === 0x22) {
        const s = this.emit ? formatText(b, start, this.pos) : '';
        this.pos++;
        return s;
      }
      if (c === 0x5c) this.pos += 2;
      else if (c < 0x20) return undefined;
      else this.pos++;
    }
    return undefined;
  }

  object(depth: number): boolean {
    const t = this.p.tree;
    const start = this.pos++;
    const oi = this.emit ? t.add(F.object, start, 1) : -1;
    this.open(oi);
    this.ws();
    if (this.pos < this.end && this.buf[this.pos] === 0x7d) {
      this.pos++;
      this.close();
      t.setLength(oi, this.pos - start);
      return true;
    }
    for (;;) {
      this.ws();
      if (this.pos >= this.end || this.buf[this.pos] !== 0x22) return false;
      const memberStart = this.pos;
      const key = this.string();
      if (key === undefined) return false;
      const mi = this.emit ? t.addValue(F.member, memberStart, 1, key) : -1;
      this.open(mi);
      this.ws();
      if (this.pos >= this.end || this.buf[this.pos] !== 0x3a) return false;
      this.pos++;
      if (this.emit) this.keys.push(key);
      if (!this.value(depth + 1)) return false;
      if (this.emit) {
        t.addValue(F.key, memberStart, 0, key);
        t.addValue(F.path, memberStart, 0, this.pathText(), GENERATED);
        this.keys.pop();
      }
      this.close();
      t.setLength(mi, this.pos - memberStart);
      this.ws();
      if (this.pos >= this.end) return false;
      const c = this.buf[this.pos++];
      if (c === 0x7d) break;
      if (c !== 0x2c) return false;
    }
    this.close();
    t.setLength(oi, this.pos - start);
    return true;
  }

  array(depth: number): boolean {
    const t = this.p.tree;
    const start = this.pos++;
    const ai = this.emit ? t.add(F.array, start, 1) : -1;
    this.open(ai);
    this.ws();
    if (this.pos < this.end && this.buf[this.pos] === 0x5d) {
      this.pos++;
      this.close();
      t.setLength(ai, this.pos - start);
      return true;
    }
    if (this.emit) this.keys.push('[]');
    for (;;) {
      if (!this.value(depth + 1)) return false;
      this.ws();
      if (this.pos >= this.end) return false;
      const c = this.buf[this.pos++];
      if (c === 0x5d) break;
      if (c !== 0x2c) return false;
    }
    if (this.emit) this.keys.pop();
    this.close();
    t.setLength(ai, this.pos - start);
    return true;
  }
}

/** Whether buf[off..end) is one JSON value with only white space around it. */
function isJson(p: Packet, buf: Uint8Array, off: number, end: number): boolean {
  const r = new JsonReader(p, buf, end, false);
  r.pos = off;
  if (!r.value(0)) return false;
  r.ws();
  return r.pos === end;
}

/** Dissects buf[off..end) as JSON (media type in mediaMatch.type, '' when the caller gave none). */
export function dissectJson(p: Packet, buf: Uint8Array, off: number, end: number): number {
  p.addLayer('json');
  appendProtocolSep(p, 'JSON');
  appendInfoSep(p, ', ', 'JavaScript Object Notation');
  const capEnd = Math.min(end, buf.length);
  const t = p.tree;
  // Only the first pass over the text decides; a failed parse is shown as text lines.
  if (!isJson(p, buf, off, capEnd)) {
    dissectTextLines(p, buf, off, end);
    return end;
  }
  const name = mediaMatch.type;
  if (name) appendInfoSep(p, ' ', `(${name})`);
  const top = t.add(F.json, off, capEnd - off);
  if (t.full) t.setLabel(top, `JavaScript Object Notation${name ? ': ' + name : ''}`);
  const wantTree =
    t.full ||
    t.keeps(F.object) ||
    t.keeps(F.array) ||
    t.keeps(F.member) ||
    t.keeps(F.key) ||
    t.keeps(F.string) ||
    t.keeps(F.number) ||
    t.keeps(F.true) ||
    t.keeps(F.false) ||
    t.keeps(F.null);
  if (wantTree) {
    t.open(top);
    const r = new JsonReader(p, buf, capEnd, true);
    r.pos = off;
    r.value(0);
    t.close();
  }
  return end;
}

for (const type of [
  'application/json', // RFC 8259
  'application/json-rpc',
  'application/jsonrequest',
  'application/dds-web+json',
  'application/vnd.oma.lwm2m+json',
  'application/x-ndjson',
])
  mediaTypeTable.add(type, dissectJson);
