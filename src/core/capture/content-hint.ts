// What the first bytes of a file that is not a capture look like, so that the error can say
// "it looks like HTML" instead of just "not a capture". Only the first few hundred bytes are read.

import { decodeText } from './decode-text.js';

const utf8 = new TextDecoder('utf-8', { fatal: false });

interface Signature {
  magic: number[];
  at?: number;
  what: string;
}

// Formats people feed a packet analyzer by mistake, and other capture formats synack does not read.
const SIGNATURES: Signature[] = [
  { magic: [0x1f, 0x8b], what: 'gzip-compressed data' },
  { magic: [0x28, 0xb5, 0x2f, 0xfd], what: 'zstd-compressed data (decompress it first: zstd -d)' },
  { magic: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], what: 'xz-compressed data (decompress it first: xz -d)' },
  { magic: [0x42, 0x5a, 0x68], what: 'bzip2-compressed data (decompress it first: bunzip2)' },
  { magic: [0x04, 0x22, 0x4d, 0x18], what: 'lz4-compressed data (decompress it first: lz4 -d)' },
  { magic: [0x50, 0x4b, 0x03, 0x04], what: 'a zip archive (extract the capture from it first)' },
  { magic: [0x50, 0x4b, 0x05, 0x06], what: 'an empty zip archive' },
  { magic: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], what: 'a 7-Zip archive (extract the capture from it first)' },
  { magic: [0x52, 0x61, 0x72, 0x21], what: 'a RAR archive (extract the capture from it first)' },
  { magic: [0x75, 0x73, 0x74, 0x61, 0x72], at: 257, what: 'a tar archive (extract the capture from it first)' },
  { magic: [0x7f, 0x45, 0x4c, 0x46], what: 'an ELF executable' },
  { magic: [0x4d, 0x5a], what: 'a Windows executable' },
  { magic: [0xcf, 0xfa, 0xed, 0xfe], what: 'a Mach-O executable' },
  { magic: [0x25, 0x50, 0x44, 0x46], what: 'a PDF document' },
  { magic: [0x89, 0x50, 0x4e, 0x47], what: 'a PNG image' },
  { magic: [0xff, 0xd8, 0xff], what: 'a JPEG image' },
  { magic: [0x47, 0x49, 0x46, 0x38], what: 'a GIF image' },
  { magic: [0x53, 0x51, 0x4c, 0x69, 0x74, 0x65], what: 'an SQLite database' },
  {
    magic: [0x73, 0x6e, 0x6f, 0x6f, 0x70, 0x00],
    what: 'a Sun snoop capture (convert it: editcap -F pcap in out.pcap)',
  },
  {
    magic: [0x62, 0x74, 0x73, 0x6e, 0x6f, 0x6f, 0x70, 0x00],
    what: 'a btsnoop capture (convert it: editcap -F pcap in out.pcap)',
  },
  {
    magic: [0x52, 0x54, 0x53, 0x53],
    what: 'a Microsoft Network Monitor 1.x capture (convert it: editcap -F pcap in out.pcap)',
  },
  {
    magic: [0x47, 0x4d, 0x42, 0x55],
    what: 'a Microsoft Network Monitor 2.x capture (convert it: editcap -F pcap in out.pcap)',
  },
  { magic: [0x58, 0x43, 0x50, 0x00], what: 'a NetXray/Sniffer capture (convert it: editcap -F pcap in out.pcap)' },
];

/** A short description of what `bytes` (the start of a file) look like, e.g. "HTML" or "an ELF executable". */
export function describeContent(bytes: Uint8Array): string {
  if (bytes.length === 0) return 'an empty file';
  for (const s of SIGNATURES) {
    const at = s.at ?? 0;
    if (bytes.length >= at + s.magic.length && s.magic.every((b, i) => bytes[at + i] === b)) return s.what;
  }
  const text = asText(bytes);
  if (text === undefined) return `binary data starting with ${hexStart(bytes)}`;
  const t = text.replace(/^\uFEFF/, '').trimStart();
  const lower = t.slice(0, 64).toLowerCase();
  const sample = quoteLine(t);
  if (t === '') return 'an empty text file (only white space)';
  if (lower.startsWith('<!doctype html') || lower.startsWith('<html') || /<(head|body|title)[\s>]/.test(lower)) {
    return `HTML (${sample})`;
  }
  if (lower.startsWith('<?xml') || lower.startsWith('<pdml') || lower.startsWith('<psml')) return `XML (${sample})`;
  if (/^[[{]/.test(t) && /^[[{]\s*["{[\]}\d-]/.test(t)) return `JSON text (${sample})`;
  // tcpdump/tshark printed output rather than a saved capture.
  if (/^\d{1,2}:\d{2}:\d{2}\.\d{6,9} /.test(t)) {
    return `text printed by tcpdump (${sample}); save packets with tcpdump -w FILE instead`;
  }
  if (/^0{4,8}[ :]\s*[0-9a-f]{2}[ ]/i.test(t)) return `a hex dump (${sample}); text2pcap can turn it into a capture`;
  return `text (${sample})`;
}

/** The bytes as text if they look like text: valid UTF-8 without NULs and few control characters. */
function asText(bytes: Uint8Array): string | undefined {
  let controls = 0;
  for (const b of bytes) {
    if (b === 0) return undefined;
    if (b < 0x20 && b !== 9 && b !== 10 && b !== 13 && b !== 12) controls++;
  }
  if (controls * 20 > bytes.length) return undefined;
  const s = decodeText(utf8, bytes);
  // A cut multi-byte character at the end of the sample is fine; replacement characters elsewhere are not.
  const bad = (s.match(/\uFFFD/g) ?? []).length;
  return bad > 1 ? undefined : s;
}

function quoteLine(t: string): string {
  const line = t.split(/\r?\n/, 1)[0].replace(/\s+/g, ' ');
  return JSON.stringify(line.length > 40 ? `${line.slice(0, 40)}...` : line);
}

function hexStart(bytes: Uint8Array): string {
  const parts: string[] = [];
  for (let i = 0; i < Math.min(8, bytes.length); i++) parts.push(bytes[i].toString(16).padStart(2, '0'));
  return parts.join(' ');
}
