// Literal values of the display-filter language, read as Wireshark 4.0 reads them against the
// type of the other side: integers (decimal, 0x hex, 0 octal, 0b binary), value strings,
// booleans, IPv4/IPv6 with CIDR prefixes, MAC addresses and byte strings, times.

import type { FieldInfo } from '../dissect/fields.js';

/** An IPv4 address (number) or IPv6 address (16 bytes) with its prefix length. */
export interface Address {
  value: number | Uint8Array;
  prefix: number;
}

export function parseInteger(text: string): number | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(text);
  if (!m) return undefined;
  const body = m[2];
  let v: number;
  if (/^0[xX]/.test(body)) v = parseInt(body.slice(2), 16);
  else if (/^0[bB]/.test(body)) v = parseInt(body.slice(2), 2);
  else if (body.length > 1 && body[0] === '0') v = parseInt(body, 8);
  else v = parseInt(body, 10);
  return m[1] === '-' ? -v : v;
}

export function parseFloatLiteral(text: string): number | undefined {
  if (!/^[+-]?(\d+\.?\d*([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?|0[xX][0-9a-fA-F]+)$/.test(text)) return undefined;
  const v = Number(text);
  return Number.isFinite(v) ? v : undefined;
}

/** The value of a value string ("IPv4" for eth.type), compared case-insensitively. */
export function valueStringLookup(info: FieldInfo, text: string): number | undefined {
  if (!info.strings) return undefined;
  const want = text.toLowerCase();
  for (const [k, v] of info.strings) if (v.toLowerCase() === want) return k;
  return undefined;
}

export function parseBoolean(info: FieldInfo | undefined, text: string): number | undefined {
  if (text === 'True') return 1;
  if (text === 'False') return 0;
  const n = parseInteger(text);
  if (n !== undefined) return n !== 0 ? 1 : 0;
  const tf = info?.trueFalse ?? ['True', 'False'];
  if (text.toLowerCase() === tf[0].toLowerCase()) return 1;
  if (text.toLowerCase() === tf[1].toLowerCase()) return 0;
  return undefined;
}

export function parseIPv4(text: string): Address | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/.exec(text);
  if (!m) return undefined;
  const parts = [m[1], m[2], m[3], m[4]].map(Number);
  if (parts.some((x) => x > 255)) return undefined;
  const prefix = m[5] === undefined ? 32 : Number(m[5]);
  if (prefix > 32) return undefined;
  return { value: ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0, prefix };
}

export function parseIPv6(text: string): Address | undefined {
  let addr = text;
  let prefix = 128;
  const slash = text.indexOf('/');
  if (slash >= 0) {
    if (!/^\d{1,3}$/.test(text.slice(slash + 1))) return undefined;
    prefix = Number(text.slice(slash + 1));
    if (prefix > 128) return undefined;
    addr = text.slice(0, slash);
  }
  if (!/^[0-9a-fA-F:.]+$/.test(addr) || !addr.includes(':')) return undefined;
  let tail4: number[] = [];
  const lastColon = addr.lastIndexOf(':');
  if (addr.slice(lastColon + 1).includes('.')) {
    const v4 = parseIPv4(addr.slice(lastColon + 1));
    if (!v4) return undefined;
    const n = v4.value as number;
    tail4 = [n >>> 16, n & 0xffff];
    addr = addr.slice(0, lastColon + 1) + (addr[lastColon - 1] === ':' ? '' : '0');
    if (addr.endsWith(':0')) addr = addr.slice(0, -2);
    else if (!addr.endsWith('::')) addr = addr.slice(0, -1);
  }
  const halves = addr.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  if ([...head, ...tail].some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  const total = head.length + tail.length + tail4.length;
  if (halves.length === 1 ? total !== 8 : total > 7) return undefined;
  const words = [
    ...head.map((g) => parseInt(g, 16)),
    ...new Array<number>(8 - total).fill(0),
    ...tail.map((g) => parseInt(g, 16)),
    ...tail4,
  ];
  const bytes = new Uint8Array(16);
  words.forEach((w, k) => {
    bytes[2 * k] = w >> 8;
    bytes[2 * k + 1] = w & 0xff;
  });
  return { value: bytes, prefix };
}

/** A byte string: 00:11:22, 00-11-22, 00.11.22, 001122, the Cisco form 0011.2233.4455, or one byte "5" / "0x5f". */
export function parseBytes(text: string): Uint8Array | undefined {
  let hex: string;
  if (/^[0-9a-fA-F]{2}([:.-][0-9a-fA-F]{2})+$/.test(text)) {
    const sep = text[2];
    if (text.split('').some((c, k) => k % 3 === 2 && c !== sep)) return undefined;
    hex = text.replace(/[:.-]/g, '');
  } else if (/^[0-9a-fA-F]{4}(\.[0-9a-fA-F]{4})+$/.test(text)) hex = text.replace(/\./g, '');
  else if (/^0[xX][0-9a-fA-F]{2}$/.test(text)) hex = text.slice(2);
  else if (/^[0-9a-fA-F]+$/.test(text)) hex = text.length % 2 ? '0' + text : text;
  else return undefined;
  const out = new Uint8Array(hex.length / 2);
  for (let k = 0; k < out.length; k++) out[k] = parseInt(hex.slice(2 * k, 2 * k + 2), 16);
  return out;
}

export function parseMac(text: string): Uint8Array | undefined {
  const b = parseBytes(text);
  return b && b.length === 6 ? b : undefined;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * An absolute time as Wireshark 4.0 reads it ("2010-01-07 19:38:34.341", "Jan 7, 2010 19:38:34"),
 * in local time as Wireshark does; seconds since the epoch.
 */
export function parseAbsoluteTime(text: string): number | undefined {
  let m = /^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*(Z|UTC)?\s*$/.exec(text);
  let y: number, mo: number, d: number, h: number, mi: number, s: number, frac: string | undefined, utc: boolean;
  if (m) {
    [y, mo, d] = [Number(m[1]), Number(m[2]) - 1, Number(m[3])];
    [h, mi, s, frac, utc] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), m[7], m[8] !== undefined];
  } else {
    m = /^\s*([A-Za-z]{3})\s+(\d{1,2}),\s*(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*(Z|UTC)?\s*$/.exec(
      text,
    );
    if (!m) return undefined;
    mo = MONTHS.indexOf(m[1].toLowerCase());
    if (mo < 0) return undefined;
    [y, d] = [Number(m[3]), Number(m[2])];
    [h, mi, s, frac, utc] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), m[7], m[8] !== undefined];
  }
  const ms = utc ? Date.UTC(y, mo, d, h, mi, s) : new Date(y, mo, d, h, mi, s).getTime();
  if (Number.isNaN(ms)) return undefined;
  return ms / 1000 + (frac ? Number(frac) : 0);
}

export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}
