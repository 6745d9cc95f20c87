// Redis's RESP (REdis Serialization Protocol, version 2) on TCP 6379: simple strings, errors,
// integers, bulk strings and arrays, line by line, with Wireshark 4.0's Info texts ("Request:"
// and the command's words, "Response:" and what came back) and its requests for more data.

import { defineFields } from './fields.js';
import { tcpPortTable } from './tables.js';
import type { Packet } from './packet.js';
import { asciiValue } from './format-text.js';
import { askForMore, DESEGMENT_ONE_MORE_SEGMENT } from './tcp-pdus.js';

const PORT = 6379;
const CRLF = 2;
const MAX_DEPTH = 30;
const BULK_STRING_MAX_DISPLAY = 100;

export const respFields = defineFields({
  resp: { abbrev: 'resp', name: 'REdis Serialization Protocol', type: 'protocol' },
  string: { abbrev: 'resp.string', name: 'String', type: 'string' },
  error: { abbrev: 'resp.error', name: 'Error', type: 'string' },
  bulkString: { abbrev: 'resp.bulk_string', name: 'Bulk String', type: 'none' },
  bulkStringLength: { abbrev: 'resp.bulk_string.length', name: 'Length', type: 'int', bits: 32, base: 'dec' },
  bulkStringValue: { abbrev: 'resp.bulk_string.value', name: 'Value', type: 'bytes' },
  integer: { abbrev: 'resp.integer', name: 'Integer', type: 'int', bits: 64, base: 'dec' },
  array: { abbrev: 'resp.array', name: 'Array', type: 'none' },
  arrayLength: { abbrev: 'resp.array.length', name: 'Length', type: 'int', bits: 64, base: 'dec' },
  fragment: { abbrev: 'resp.fragment', name: 'Fragment', type: 'none' },
});

const F = respFields;

// What one dissection needs everywhere (one packet at a time).
let isRequest = false;
let isResponse = false;

function append(p: Packet, text: string): void {
  if (p.wantColumns) p.appendInfo(text);
}

/** col_append_sep_str with " ": the column is never empty here ("Request:" comes first). */
function appendWord(p: Packet, text: string): void {
  if (p.wantColumns) p.appendInfo(p.infoCol.length > 0 ? ' ' + text : text);
}

/**
 * g_ascii_strtoll(text, NULL, 10) over buf[from..to): spaces, a sign and digits, clamped to the
 * 64-bit range, 0 without digits.
 */
function parseInteger(buf: Uint8Array, from: number, to: number): bigint {
  let i = from;
  while (i < to && (buf[i] === 0x20 || (buf[i] >= 0x09 && buf[i] <= 0x0d))) i++;
  let negative = false;
  if (i < to && (buf[i] === 0x2b || buf[i] === 0x2d)) negative = buf[i++] === 0x2d;
  let v = 0n;
  const limit = negative ? 9223372036854775808n : 9223372036854775807n;
  for (; i < to && buf[i] >= 0x30 && buf[i] <= 0x39; i++) {
    v = v * 10n + BigInt(buf[i] - 0x30);
    if (v > limit) {
      v = limit;
      break;
    }
  }
  // tvb_get_string_enc then strtoll: the text stops at a NUL (the loop above stops at it too).
  return negative ? -v : v;
}

/**
 * tvb_find_line_end: the length of the line at `at` up to CR or LF; -1 without one when more
 * data may come (desegmenting), else the rest of the captured bytes.
 */
function lineLength(buf: Uint8Array, at: number, cap: number, desegmenting: boolean): number {
  for (let i = at; i < cap; i++) if (buf[i] === 0x0d || buf[i] === 0x0a) return i - at;
  return desegmenting ? -1 : cap - at;
}

function dissectResp(p: Packet, buf: Uint8Array, off: number, end: number): number {
  const cap = Math.min(end, buf.length);
  isRequest = p.dstPort === PORT;
  isResponse = p.srcPort === PORT;
  p.addLayer('resp');
  p.setProtocol('RESP');
  p.setInfo('');
  append(p, isResponse ? 'Response:' : 'Request:');
  const t = p.tree;
  const top = t.add(F.resp, off, cap - off);
  t.open(top);
  const done = loop(p, buf, off, cap, 0, -1);
  if (done < 0) append(p, ' [continuation]');
  t.close();
  return cap;
}

/** Elements from `at` (all of them, or `expected` of an array); the offset after them or -1 (more data asked for). */
function loop(p: Packet, buf: Uint8Array, at: number, cap: number, depth: number, expected: bigint | number): number {
  let done = 0;
  while (at < cap) {
    if (expected >= 0 && BigInt(done) === BigInt(expected)) return at;
    const length = lineLength(buf, at, cap, p.canDesegment);
    if (length < 0) {
      askForMore(p, at, DESEGMENT_ONE_MORE_SEGMENT);
      return -1;
    }
    const used = element(p, buf, at, cap, length, depth);
    if (used < 0) return -1;
    done++;
    at += used;
  }
  return at;
}

/** One element whose first line is buf[at..at+length); returns the bytes it used or -1. */
function element(p: Packet, buf: Uint8Array, at: number, cap: number, length: number, depth: number): number {
  const t = p.tree;
  switch (buf[at]) {
    case 0x2b: {
      // '+' simple string: responses show it at the top level.
      const shown = isResponse && depth === 0 && p.wantColumns;
      if (shown || t.keeps(F.string)) {
        const value = asciiValue(buf, at + 1, at + length);
        t.addValue(F.string, at, length + CRLF, value);
        if (shown) appendWord(p, value);
      }
      return length + CRLF;
    }
    case 0x2d: {
      // '-' error: always shown.
      if (p.wantColumns || t.keeps(F.error)) {
        const value = asciiValue(buf, at + 1, at + length);
        t.addValue(F.error, at, length + CRLF, value);
        append(p, ` Error: ${value}`);
      }
      return length + CRLF;
    }
    case 0x3a: {
      // ':' integer
      if (p.wantColumns || t.keeps(F.integer)) {
        const value = parseInteger(buf, at + 1, at + length);
        t.addValue(F.integer, at, length + CRLF, value);
        if (isResponse && depth === 0) append(p, ` ${value}`);
      }
      return length + CRLF;
    }
    case 0x24:
      return bulkString(p, buf, at, cap, length, depth);
    case 0x2a:
      return array(p, buf, at, cap, length, depth);
    default:
      // An empty line, or an inline command / data that does not start an element.
      if (length === 0) return CRLF;
      append(p, ' [fragment]');
      t.add(F.fragment, at, length + CRLF);
      return length + CRLF;
  }
}

/** '$' bulk string: "$<length>\r\n<bytes>\r\n" ($-1 is the null string). */
function bulkString(p: Packet, buf: Uint8Array, at: number, cap: number, length: number, depth: number): number {
  const t = p.tree;
  // (int) of the 64-bit value.
  const size = Number(BigInt.asIntN(32, parseInteger(buf, at + 1, at + length)));
  if (size < 0) {
    const i = t.add(F.bulkString, at, length + CRLF);
    t.open(i);
    t.add(F.bulkStringLength, at, length + CRLF, size);
    t.close();
    return length + CRLF;
  }
  const start = at + length + CRLF;
  const available = Math.max(0, cap - start);
  const fragmented = available < size + CRLF;
  let captured: number;
  let capturedWithCrlf: number;
  if (fragmented) {
    // Ask for the rest from the start of the bulk string, not from inside it.
    if (askForMore(p, at, size + CRLF - available)) return -1;
    captured = available;
    capturedWithCrlf = available;
    append(p, ' [partial]');
  } else {
    captured = size;
    capturedWithCrlf = size + CRLF;
  }
  const i = t.add(F.bulkString, at, length + CRLF + capturedWithCrlf);
  t.open(i);
  t.add(F.bulkStringLength, at, length + CRLF, size);
  if (captured > 0) t.add(F.bulkStringValue, start, captured);
  t.close();
  if (p.wantColumns) {
    // The text as a C string: up to a NUL; shown only when it is all ASCII.
    let stop = start;
    let ascii = true;
    while (stop < start + captured && buf[stop] !== 0) {
      if (buf[stop] > 0x7f) ascii = false;
      stop++;
    }
    if (!ascii) {
      if (depth === 0) append(p, ` BulkString(${size})`);
    } else if (isRequest && depth === 1) {
      if (size < BULK_STRING_MAX_DISPLAY) appendWord(p, asciiValue(buf, start, stop));
      else append(p, ` BulkString(${size})`);
    } else if (isResponse && depth === 0 && size < BULK_STRING_MAX_DISPLAY) {
      appendWord(p, asciiValue(buf, start, stop));
    } else if (depth === 0) {
      append(p, ` BulkString(${size})`);
    }
  }
  return length + CRLF + capturedWithCrlf;
}

/** '*' array: "*<count>\r\n" and that many elements (*-1 is the null array). */
function array(p: Packet, buf: Uint8Array, at: number, cap: number, length: number, depth: number): number {
  const t = p.tree;
  const count = parseInteger(buf, at + 1, at + length);
  const item = t.add(F.array, at, length + CRLF);
  t.open(item);
  t.addValue(F.arrayLength, at, length + CRLF, count);
  if (count <= 0n || depth > MAX_DEPTH) {
    t.close();
    return length + CRLF;
  }
  if (at + length + CRLF >= cap && askForMore(p, at, DESEGMENT_ONE_MORE_SEGMENT)) {
    t.close();
    return -1;
  }
  if (isResponse && depth === 0 && p.wantColumns) append(p, ` Array(${count})`);
  const next = loop(p, buf, at + length + CRLF, cap, depth + 1, count);
  if (next < 0) {
    // Ask again from the start of the array.
    askForMore(p, at, DESEGMENT_ONE_MORE_SEGMENT);
    t.close();
    return -1;
  }
  t.setLength(item, next - at);
  t.close();
  return next - at;
}

tcpPortTable.add(PORT, dissectResp);
