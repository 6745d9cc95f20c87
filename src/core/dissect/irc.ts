// IRC (RFC 1459, 2812) on TCP 6667 and 57000: each line's prefix, command, parameters and
// trailer, and Wireshark 4.0's Info column ("Request"/"Response" and each line's command in
// parentheses). Wireshark 4.0 does not follow STARTTLS here: the TLS data after it is read as lines.

import { defineFields } from './fields.js';
import { tcpPortTable } from './tables.js';
import type { Packet } from './packet.js';
import { asciiValue } from './format-text.js';

export const ircFields = defineFields({
  irc: { abbrev: 'irc', name: 'Internet Relay Chat', type: 'protocol' },
  request: { abbrev: 'irc.request', name: 'Request', type: 'string' },
  requestPrefix: { abbrev: 'irc.request.prefix', name: 'Prefix', type: 'string' },
  requestCommand: { abbrev: 'irc.request.command', name: 'Command', type: 'string' },
  requestParameter: { abbrev: 'irc.request.command_parameter', name: 'Parameter', type: 'string' },
  requestTrailer: { abbrev: 'irc.request.trailer', name: 'Trailer', type: 'string' },
  response: { abbrev: 'irc.response', name: 'Response', type: 'string' },
  responsePrefix: { abbrev: 'irc.response.prefix', name: 'Prefix', type: 'string' },
  responseCommand: { abbrev: 'irc.response.command', name: 'Command', type: 'string' },
  responseNumCommand: { abbrev: 'irc.response.num_command', name: 'Command', type: 'uint', bits: 16, base: 'dec' },
  responseParameter: { abbrev: 'irc.response.command_parameter', name: 'Parameter', type: 'string' },
  responseTrailer: { abbrev: 'irc.response.trailer', name: 'Trailer', type: 'string' },
});

const F = ircFields;

/** The fields of one direction: [line, prefix, command, parameter, trailer]. */
const REQUEST = [F.request, F.requestPrefix, F.requestCommand, F.requestParameter, F.requestTrailer];
const RESPONSE = [F.response, F.responsePrefix, F.responseCommand, F.responseParameter, F.responseTrailer];

function addText(p: Packet, field: number, buf: Uint8Array, from: number, to: number): void {
  if (p.tree.keeps(field)) p.tree.addValue(field, from, to - from, asciiValue(buf, from, to));
}

function findByte(buf: Uint8Array, from: number, to: number, b: number): number {
  for (let i = from; i < to; i++) if (buf[i] === b) return i;
  return -1;
}

function isDigit(b: number): boolean {
  return b >= 0x30 && b <= 0x39;
}

function dissectIrc(p: Packet, buf: Uint8Array, off: number, end: number, matchPort: number): number {
  const cap = Math.min(end, buf.length);
  const request = p.dstPort === matchPort;
  p.addLayer('irc');
  p.setProtocol('IRC');
  p.setInfo(request ? 'Request' : 'Response');
  const t = p.tree;
  const top = t.add(F.irc, off, cap - off);
  t.open(top);
  const fields = request ? REQUEST : RESPONSE;
  // tvb_find_line_end without reassembly: a line ends at CR, LF or CRLF, or at the data's end.
  let at = off;
  while (at < cap) {
    let eol = at;
    while (eol < cap && buf[eol] !== 0x0d && buf[eol] !== 0x0a) eol++;
    let next = eol;
    if (eol < cap) next = buf[eol] === 0x0d && eol + 1 < cap && buf[eol + 1] === 0x0a ? eol + 2 : eol + 1;
    if (next === at) break;
    if (eol > at) line(p, buf, at, eol, fields, request);
    at = next;
  }
  t.close();
  return cap;
}

/** One message line buf[start..end): [":" prefix " "] command [params] [" :" trailer]. */
function line(p: Packet, buf: Uint8Array, start: number, end: number, fields: number[], request: boolean): void {
  const t = p.tree;
  const item = t.keeps(fields[0]) ? t.addValue(fields[0], start, end - start, asciiValue(buf, start, end)) : -1;
  t.open(item);
  let at = start;
  if (buf[at] === 0x3a) {
    const space = findByte(buf, at + 1, end, 0x20);
    if (space < 0) {
      p.expert(
        'IRC',
        'irc.prefix_missing_ending_space',
        'error',
        'malformed',
        'Prefix missing ending <space>',
        start,
        end - start,
      );
      t.close();
      return;
    }
    addText(p, fields[1], buf, at + 1, space);
    at = space + 1;
  }
  while (at < end && buf[at] === 0x20) at++;
  if (at === end) {
    const name = request ? 'irc.request.command.missing' : 'irc.response.command.missing';
    p.expert(
      'IRC',
      name,
      'error',
      'malformed',
      `${request ? 'Request' : 'Response'} has no command`,
      start,
      end - start,
    );
    t.close();
    return;
  }
  const space = findByte(buf, at, end, 0x20);
  const commandEnd = space < 0 ? end : space;
  addText(p, fields[2], buf, at, commandEnd);
  if (p.wantColumns) p.appendInfo(` (${asciiValue(buf, at, commandEnd)})`);
  if (commandEnd - at === 3 && isDigit(buf[at]) && isDigit(buf[at + 1]) && isDigit(buf[at + 2])) {
    if (request)
      p.expert(
        'IRC',
        'irc.request.command.numeric',
        'warn',
        'protocol',
        'Numeric command not allowed in request',
        start,
        end - start,
      );
    else t.add(F.responseNumCommand, at, 3, (buf[at] - 0x30) * 100 + (buf[at + 1] - 0x30) * 10 + (buf[at + 2] - 0x30));
  }
  at = commandEnd + 1;
  // Parameters up to a trailer (":" to the end of the line).
  while (at < end) {
    while (at < end && buf[at] === 0x20) at++;
    if (at >= end) break;
    if (buf[at] === 0x3a) {
      addText(p, fields[4], buf, at + 1, end);
      break;
    }
    const stop = findByte(buf, at, end, 0x20);
    const paramEnd = stop < 0 ? end : stop;
    addText(p, fields[3], buf, at, paramEnd);
    at = paramEnd + 1;
  }
  t.close();
}

// Wireshark 4.0: TCP_PORT_RANGE "6667,57000"; the port that matched tells requests from responses.
tcpPortTable.add(6667, (p, buf, off, end) => dissectIrc(p, buf, off, end, 6667));
tcpPortTable.add(57000, (p, buf, off, end) => dissectIrc(p, buf, off, end, 57000));
