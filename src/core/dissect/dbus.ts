// D-Bus messages (LINKTYPE_DBUS 231; D-Bus specification, "Message Protocol"): the fixed header,
// the header field array (path, interface, member, error name, reply serial, destination,
// sender, signature, unix fds) and the body, with Wireshark 4.0's Info texts ("Member() @ /path",
// "* Signal() @ /path", "! error.name", "-> ''") and sender/destination as the address columns.

import { defineFields, valueStrings } from './fields.js';
import type { Packet } from './packet.js';
import { linkTypeTable } from './tables.js';

const MESSAGE_TYPES = valueStrings({
  0: 'Invalid',
  1: 'Method call',
  2: 'Method reply',
  3: 'Error reply',
  4: 'Signal',
});
const FIELD_CODES = valueStrings({
  0: 'Invalid',
  1: 'Path',
  2: 'Interface',
  3: 'Member',
  4: 'Error name',
  5: 'Reply serial',
  6: 'Destination',
  7: 'Sender',
  8: 'Signature',
  9: 'Unix FDs',
});

const METHOD_CALL = 1;
const METHOD_RETURN = 2;
const ERROR = 3;
const SIGNAL = 4;

export const dbusFields = defineFields({
  dbus: { abbrev: 'dbus', name: 'D-Bus', type: 'protocol' },
  endianness: {
    abbrev: 'dbus.endianness',
    name: 'Endianness',
    type: 'uint',
    bits: 8,
    base: 'none',
    strings: valueStrings({ 0x6c: 'little-endian', 0x42: 'big-endian' }),
  },
  messageType: {
    abbrev: 'dbus.message_type',
    name: 'Message Type',
    type: 'uint',
    bits: 8,
    base: 'none',
    strings: MESSAGE_TYPES,
  },
  flags: { abbrev: 'dbus.flags', name: 'Message Flags', type: 'uint', bits: 8, base: 'hex' },
  version: { abbrev: 'dbus.version', name: 'Protocol Version', type: 'uint', bits: 8, base: 'dec' },
  bodyLength: { abbrev: 'dbus.body_length', name: 'Message Body Length', type: 'uint', bits: 32, base: 'dec' },
  serial: { abbrev: 'dbus.serial', name: 'Message Serial', type: 'uint', bits: 32, base: 'dec' },
  fieldCode: {
    abbrev: 'dbus.field_code',
    name: 'Field Code',
    type: 'uint',
    bits: 8,
    base: 'dec',
    strings: FIELD_CODES,
  },
  path: { abbrev: 'dbus.path', name: 'Path', type: 'string' },
  interface: { abbrev: 'dbus.interface', name: 'Interface', type: 'string' },
  member: { abbrev: 'dbus.member', name: 'Member', type: 'string' },
  errorName: { abbrev: 'dbus.error_name', name: 'Error name', type: 'string' },
  replySerial: { abbrev: 'dbus.reply_serial', name: 'Reply serial', type: 'uint', bits: 32, base: 'dec' },
  destination: { abbrev: 'dbus.destination', name: 'Destination', type: 'string' },
  sender: { abbrev: 'dbus.sender', name: 'Sender', type: 'string' },
  signature: { abbrev: 'dbus.signature', name: 'Signature', type: 'string' },
  unixFds: { abbrev: 'dbus.unix_fds', name: 'Unix FDs', type: 'uint', bits: 32, base: 'dec' },
  arrayLength: { abbrev: 'dbus.type.array.length', name: 'Array Length', type: 'uint', bits: 32, base: 'dec' },
  variantSignature: { abbrev: 'dbus.type.variant.signature', name: 'Variant Signature', type: 'string' },
  body: { abbrev: 'dbus.body', name: 'Body', type: 'bytes' },
  array: { abbrev: 'dbus.type.array', name: 'Array', type: 'bytes' },
  dictEntry: { abbrev: 'dbus.type.dict_entry', name: 'Dict Entry', type: 'bytes' },
  variant: { abbrev: 'dbus.type.variant', name: 'Variant', type: 'bytes' },
  string: { abbrev: 'dbus.type.string', name: 'String', type: 'string' },
  objectPath: { abbrev: 'dbus.type.object_path', name: 'Object Path', type: 'string' },
  signatureValue: { abbrev: 'dbus.type.signature', name: 'Signature', type: 'string' },
  uint32: { abbrev: 'dbus.type.uint32', name: 'Uint32', type: 'uint', bits: 32, base: 'dec_hex' },
  flagNoReply: {
    abbrev: 'dbus.flags.no_reply_expected',
    name: 'No Reply Expected',
    type: 'bool',
    bits: 8,
    mask: 0x01,
    trueFalse: ['Not expected', 'Expected'],
  },
  flagNoAutoStart: {
    abbrev: 'dbus.flags.no_auto_start',
    name: 'No Auto Start',
    type: 'bool',
    bits: 8,
    mask: 0x02,
    trueFalse: ["Don't start", 'Start'],
  },
  flagAllowInteractive: {
    abbrev: 'dbus.flags.allow_interactive_authorization',
    name: 'Allow Interactive Authorization',
    type: 'bool',
    bits: 8,
    mask: 0x04,
    trueFalse: ['Allow', "Don't allow"],
  },
});

const F = dbusFields;
const HEADER_LEN = 16;

/** The field each header field code's value goes to, and the one signature it must have. */
const FIELD_ITEMS: Record<number, [number, string]> = {
  1: [F.path, 'o'],
  2: [F.interface, 's'],
  3: [F.member, 's'],
  4: [F.errorName, 's'],
  5: [F.replySerial, 'u'],
  6: [F.destination, 's'],
  7: [F.sender, 's'],
  8: [F.signature, 'g'],
  9: [F.unixFds, 'u'],
};

class Reader {
  constructor(
    readonly buf: Uint8Array,
    readonly base: number,
    readonly end: number,
    readonly little: boolean,
  ) {}
  pos = 0;

  /** Moves to the next multiple of n from the message start; false past the end. */
  align(n: number): boolean {
    const rel = this.pos - this.base;
    this.pos += (n - (rel % n)) % n;
    return this.pos <= this.end;
  }

  u32(): number | undefined {
    if (!this.align(4) || this.pos + 4 > this.end) return undefined;
    const b = this.buf;
    const o = this.pos;
    this.pos += 4;
    return this.little
      ? (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0
      : ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
  }

  /** A string of `n` bytes then a NUL; undefined when it does not fit. */
  text(n: number): string | undefined {
    if (this.pos + n + 1 > this.end) return undefined;
    let s = '';
    for (let i = 0; i < n; i++) s += String.fromCharCode(this.buf[this.pos + i]);
    this.pos += n + 1;
    return s;
  }

  /** STRING and OBJECT_PATH: 32-bit length, text, NUL. */
  string(): string | undefined {
    const n = this.u32();
    return n === undefined ? undefined : this.text(n);
  }

  /** SIGNATURE: 8-bit length, text, NUL. */
  signature(): string | undefined {
    if (this.pos >= this.end) return undefined;
    const n = this.buf[this.pos++];
    return this.text(n);
  }
}

interface Header {
  path?: string;
  interface?: string;
  member?: string;
  errorName?: string;
  replySerial?: number;
  destination?: string;
  sender?: string;
  signature?: string;
}

export function dissectDbus(p: Packet, buf: Uint8Array, off: number, end: number): number | void {
  const t = p.tree;
  p.addLayer('dbus');
  p.setProtocol('D-Bus');
  p.setInfo('D-Bus');
  const capEnd = Math.min(end, buf.length);
  const top = t.add(F.dbus, off, Math.max(0, capEnd - off));
  t.open(top);
  if (p.short('D-Bus', buf, off, HEADER_LEN, end)) return;
  const endian = buf[off];
  t.add(F.endianness, off, 1, endian);
  if (endian !== 0x6c && endian !== 0x42) {
    p.expert('D-Bus', 'dbus.endianness.invalid', 'error', 'protocol', 'Invalid endianness flag', off, 1);
    t.close();
    return;
  }
  const r = new Reader(buf, off, capEnd, endian === 0x6c);
  const type = buf[off + 1];
  t.add(F.messageType, off + 1, 1, type);
  const typeName = MESSAGE_TYPES.get(type);
  if (p.wantColumns) p.setInfo(typeName ?? 'Unknown message type');
  if (type === 0 || !typeName) {
    t.close();
    return;
  }
  const flags = buf[off + 2];
  const fi = t.add(F.flags, off + 2, 1, flags);
  t.open(fi);
  t.add(F.flagNoReply, off + 2, 1, flags & 1);
  t.add(F.flagNoAutoStart, off + 2, 1, (flags >> 1) & 1);
  t.add(F.flagAllowInteractive, off + 2, 1, (flags >> 2) & 1);
  t.close();
  t.add(F.version, off + 3, 1, buf[off + 3]);
  r.pos = off + 4;
  const bodyLength = r.u32() as number;
  t.add(F.bodyLength, off + 4, 4, bodyLength);
  t.add(F.serial, off + 8, 4, r.u32() as number);
  if (buf[off + 3] !== 1) {
    t.close();
    return;
  }
  const h = headerFields(p, r);
  if (h && requiredFieldsPresent(type, h)) {
    if (p.wantColumns) {
      // Wireshark 4.0 prints the signature part empty: its header-field reader keeps no signature.
      if (type === METHOD_CALL) p.setInfo(`${h.member}() @ ${h.path}`);
      else if (type === SIGNAL) p.setInfo(`* ${h.member}() @ ${h.path}`);
      else if (type === ERROR) p.setInfo(`! ${h.errorName}`);
      else if (type === METHOD_RETURN) p.setInfo(`-> ''`);
      p.setAddresses(h.sender ?? '', h.destination ?? '');
    }
    // The body starts at the next multiple of 8.
    if (r.align(8) && bodyLength > 0 && r.pos < capEnd) body(p, r, h.signature ?? '', bodyLength);
  }
  t.close();
}

function requiredFieldsPresent(type: number, h: Header): boolean {
  if (type === METHOD_CALL) return h.path !== undefined && h.member !== undefined;
  if (type === METHOD_RETURN) return h.replySerial !== undefined;
  if (type === ERROR) return h.errorName !== undefined && h.replySerial !== undefined;
  return h.path !== undefined && h.interface !== undefined && h.member !== undefined;
}

/** The header field array (signature a(yv)); undefined when it is cut short or malformed. */
function headerFields(p: Packet, r: Reader): Header | undefined {
  const t = p.tree;
  const lenAt = r.pos;
  const length = r.u32();
  if (length === undefined) return undefined;
  // Array elements are structs, aligned on 8 even when the array is empty.
  if (!r.align(8)) return undefined;
  const stop = r.pos + length;
  if (stop > r.end) return undefined;
  const array = t.add(F.array, lenAt, stop - lenAt);
  if (t.full) t.setLabel(array, 'Header Field Array');
  t.open(array);
  t.add(F.arrayLength, lenAt, 4, length);
  const h: Header = {};
  // Levels opened below the array (dict entry, variant), closed on the way out.
  let depth = 0;
  let ok = true;
  while (r.pos < stop) {
    if (!r.align(8) || r.pos >= stop) {
      ok = false;
      break;
    }
    const entryAt = r.pos;
    const code = r.buf[r.pos];
    const entry = t.add(F.dictEntry, entryAt, 0);
    t.open(entry);
    depth = 1;
    t.add(F.fieldCode, r.pos, 1, code);
    r.pos++;
    const sigAt = r.pos;
    const sig = code === 0 ? undefined : r.signature();
    const item = FIELD_ITEMS[code];
    if (sig === undefined || (item && item[1] !== sig)) {
      ok = false;
      break;
    }
    const variant = t.add(F.variant, sigAt, 0);
    t.open(variant);
    depth = 2;
    t.addValue(F.variantSignature, sigAt, 1 + sig.length + 1, sig);
    const valueAt = r.pos;
    let text: string | undefined;
    let num: number | undefined;
    if (sig === 's' || sig === 'o') text = r.string();
    else if (sig === 'g') text = r.signature();
    else if (sig === 'u') num = r.u32();
    else if (!skipBasic(r, sig)) {
      ok = false;
      break;
    }
    if (item && text === undefined && num === undefined) {
      ok = false;
      break;
    }
    const shown = text ?? (num !== undefined ? String(num) : '');
    if (item) {
      const at = sig === 's' || sig === 'o' ? valueAt + ((4 - ((valueAt - r.base) % 4)) % 4) : valueAt;
      if (text !== undefined) t.addValue(item[0], at, r.pos - at, text);
      else t.add(item[0], r.pos - 4, 4, num as number);
      if (code === 5 && num === 0) {
        ok = false;
        break;
      }
      if (code === 1) h.path = text;
      else if (code === 2) h.interface = text;
      else if (code === 3) h.member = text;
      else if (code === 4) h.errorName = text;
      else if (code === 5) h.replySerial = num;
      else if (code === 6) h.destination = text;
      else if (code === 7) h.sender = text;
      else if (code === 8) h.signature = text;
    }
    t.setLength(variant, r.pos - sigAt);
    t.setLength(entry, r.pos - entryAt);
    if (t.full) {
      t.setLabel(variant, `Variant: ${shown}`);
      t.setLabel(entry, `Dict Entry, ${code}, ${FIELD_CODES.get(code) ?? 'Unknown field code'}: ${shown}`);
    }
    t.close();
    t.close();
    depth = 0;
  }
  for (; depth > 0; depth--) t.close();
  t.close();
  return ok && r.pos === stop ? h : undefined;
}

/** The body, when its signature is a sequence of basic types: one item per value. */
function body(p: Packet, r: Reader, signature: string, length: number): void {
  const t = p.tree;
  const start = r.pos;
  const stop = Math.min(r.end, start + length);
  const b = t.add(F.body, start, stop - start);
  if (t.full) t.setLabel(b, 'Body');
  t.open(b);
  const reader = new Reader(r.buf, start, stop, r.little);
  reader.pos = start;
  for (let k = 0; k < signature.length && reader.pos < stop; k++) {
    const c = signature[k];
    const at = reader.pos;
    if (c === 's' || c === 'o') {
      const s = reader.string();
      if (s === undefined) break;
      const from = at + ((4 - ((at - start) % 4)) % 4);
      t.addValue(c === 's' ? F.string : F.objectPath, from, reader.pos - from, s);
    } else if (c === 'g') {
      const s = reader.signature();
      if (s === undefined) break;
      t.addValue(F.signatureValue, at, reader.pos - at, s);
    } else if (c === 'u') {
      const v = reader.u32();
      if (v === undefined) break;
      t.add(F.uint32, reader.pos - 4, 4, v);
    } else {
      // Containers and other types are left undecoded.
      break;
    }
  }
  t.close();
}

/** Skips one value of an unknown field whose signature is a single basic type. */
function skipBasic(r: Reader, sig: string): boolean {
  if (sig.length !== 1) return false;
  const sizes: Record<string, number> = { y: 1, b: 4, n: 2, q: 2, i: 4, u: 4, x: 8, t: 8, d: 8, h: 4 };
  const size = sizes[sig];
  if (sig === 's' || sig === 'o') return r.string() !== undefined;
  if (sig === 'g') return r.signature() !== undefined;
  if (!size || !r.align(size) || r.pos + size > r.end) return false;
  r.pos += size;
  return true;
}

linkTypeTable.add(231, dissectDbus);
