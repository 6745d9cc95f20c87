// pcapng files (draft-ietf-opsawg-pcapng): sections in either byte order, interfaces with their
// own link type, snaplen and time stamp resolution, and the packet records (EPB, SPB, the
// obsolete PB, custom blocks). Mirrors Wireshark's wiretap/pcapng.c in what it accepts, what it
// returns as records, and its error texts.

import type { ByteQueue } from './byte-queue.js';
import { CaptureError } from './capture-error.js';
import { CUSTOM_BLOCK_LINK_TYPE, emptyFrame, type CaptureFrame } from './frame.js';
import { maxPcapRecordLength } from './pcap.js';
import { decodeText } from './decode-text.js';

export const BLOCK_SHB = 0x0a0d0d0a;
export const BLOCK_IDB = 0x00000001;
export const BLOCK_PB = 0x00000002;
export const BLOCK_SPB = 0x00000003;
export const BLOCK_NRB = 0x00000004;
export const BLOCK_ISB = 0x00000005;
export const BLOCK_EPB = 0x00000006;
export const BLOCK_DSB = 0x0000000a;
export const BLOCK_CB_COPY = 0x00000bad;
export const BLOCK_CB_NO_COPY = 0x40000bad;
export const BYTE_ORDER_MAGIC = 0x1a2b3c4d;

const MIN_BLOCK_SIZE = 12;
const MIN_SHB_SIZE = 28;
/** Wireshark's MAX_BLOCK_SIZE: the largest packet (128 MiB) plus room for the header and options. */
const MAX_BLOCK_SIZE = 32 + 128 * 1024 * 1024 + 131072;

const OPT_ENDOFOPT = 0;
const OPT_COMMENT = 1;
const OPT_SHB_HARDWARE = 2;
const OPT_SHB_OS = 3;
const OPT_SHB_USERAPPL = 4;
const OPT_IDB_NAME = 2;
const OPT_IDB_DESCRIPTION = 3;
const OPT_IDB_TSRESOL = 9;
const OPT_IDB_FILTER = 11;
const OPT_IDB_OS = 12;
const OPT_IDB_FCSLEN = 13;
const OPT_IDB_TSOFFSET = 14;
const OPT_IDB_HARDWARE = 15;
const OPT_PKT_FLAGS = 2;
const OPT_PKT_HASH = 3;
const OPT_PKT_DROPCOUNT = 4;
const OPT_PKT_PACKETID = 5;
const OPT_PKT_QUEUE = 6;
const OPT_PKT_VERDICT = 7;

/** A pcapng section: its Section Header Block and the interfaces described in it. */
export interface PcapngSection {
  /** 1 for the first section, as tshark counts. */
  number: number;
  byteOrder: 'little' | 'big';
  versionMajor: number;
  versionMinor: number;
  /** Byte offset of the SHB. */
  offset: number;
  comments: string[];
  /** shb_hardware, shb_os, shb_userappl. */
  hardware?: string;
  os?: string;
  application?: string;
  /** The section's interfaces, indexed by the interface ids its packet blocks use. */
  interfaces: CaptureInterface[];
}

/** An interface of the capture: one per pcapng IDB, or the single interface of a pcap file. */
export interface CaptureInterface {
  /** File-wide index (frame.interface_id). */
  id: number;
  /** Section number (pcapng), 1-based; 0 for pcap. */
  section: number;
  linkType: number;
  /** 0 means no limit. */
  snaplen: number;
  name?: string;
  description?: string;
  os?: string;
  hardware?: string;
  /** if_filter when it is a libpcap filter string. */
  filter?: string;
  comments: string[];
  /** Time stamp units per second (10^n or 2^n; 10^6 unless if_tsresol says otherwise). */
  unitsPerSecond: number;
  /** Digits tshark shows for this interface's times. */
  tsPrecision: number;
  /** if_tsoffset: seconds added to every time stamp. */
  tsOffset: number;
  /** if_fcslen, in bytes, if given. */
  fcsLength?: number;
}

/** One record of a Name Resolution Block. */
export interface NameRecord {
  version: 4 | 6;
  /** The address bytes (4 or 16), network order. */
  address: Uint8Array;
  names: string[];
}

/** A Decryption Secrets Block (e.g. a TLS key log: secretsType 0x544c534b). */
export interface DecryptionSecrets {
  secretsType: number;
  data: Uint8Array;
}

/** How one interface turns (high, low) tick counts into seconds and nanoseconds. */
interface Clock {
  divisor: number;
  divisorBig: bigint;
  /** 1e9 / divisor when the divisor divides 10^9, else 0. */
  nsecMultiplier: number;
  /** For 2^n with 9 < n <= 32: 2^(n-9), since ticks * 10^9 / 2^n = ticks * 1953125 / 2^(n-9). */
  binaryShiftDivisor: number;
  tsOffset: number;
  linkType: number;
  snaplen: number;
  maxLength: number;
  tsPrecision: number;
  globalId: number;
  name: string | undefined;
}

const utf8 = new TextDecoder('utf-8');

/** Reads pcapng blocks from a ByteQueue; next() returns one reused frame per packet record. */
export class PcapngParser {
  /** Frames returned so far. */
  frames = 0;
  readonly sections: PcapngSection[] = [];
  /** Every interface of every section, in file order (index = frame.interfaceId). */
  readonly interfaces: CaptureInterface[] = [];
  readonly nameRecords: NameRecord[] = [];
  readonly secrets: DecryptionSecrets[] = [];
  private readonly frame: CaptureFrame = emptyFrame();
  private le = true;
  private clocks: Clock[] = [];
  private section: PcapngSection | undefined;
  /** Filled by the option walk of a packet block. */
  private optComments: string[] | undefined;
  private optFlags: number | undefined;
  private optDropCount: number | undefined;

  /**
   * The next frame, or null when more bytes are needed (or, once the queue has ended, when the
   * file is done). Throws CaptureError; every whole frame before a problem is returned first.
   */
  next(q: ByteQueue): CaptureFrame | null {
    for (;;) {
      if (!q.ensure(8)) return this.needMore(q, 8, 'the block header');
      const v = q.bufView;
      const off = q.off;
      const type = v.getUint32(off, this.le);
      if (type === BLOCK_SHB) {
        if (!this.readSectionHeader(q)) return null;
        continue;
      }
      const length = v.getUint32(off + 4, this.le);
      if (length < MIN_BLOCK_SIZE) {
        throw this.corrupt(
          q,
          `pcapng: total block length ${length} of block is less than the minimum block size ${MIN_BLOCK_SIZE}`,
        );
      }
      // Wireshark rounds the length up to a multiple of 4: some writers left the padding out of it.
      const padded = (length + 3) & ~3;
      if (padded > MAX_BLOCK_SIZE || padded < length) {
        throw this.corrupt(q, `pcapng: total block length ${length} is too large (> ${MAX_BLOCK_SIZE})`);
      }
      if (!q.ensure(padded)) return this.needMore(q, padded, 'the block');
      const contentLength = padded - MIN_BLOCK_SIZE;
      let f: CaptureFrame | null = null;
      switch (type) {
        case BLOCK_EPB:
        case BLOCK_PB:
          f = this.readPacketBlock(q, type, contentLength);
          break;
        case BLOCK_SPB:
          f = this.readSimplePacketBlock(q, contentLength);
          break;
        case BLOCK_CB_COPY:
        case BLOCK_CB_NO_COPY:
          f = this.readCustomBlock(q, type, contentLength);
          break;
        case BLOCK_IDB:
          this.readInterfaceBlock(q, contentLength);
          break;
        case BLOCK_NRB:
          this.readNameResolutionBlock(q, contentLength);
          break;
        case BLOCK_ISB:
          if (contentLength < 12) throw this.tooShort(q, 'an ISB', contentLength, 12);
          this.walkOptions(q, q.off + 8 + 12, contentLength - 12, BLOCK_ISB, undefined);
          break;
        case BLOCK_DSB:
          this.readDecryptionSecretsBlock(q, contentLength);
          break;
        default:
          // Unknown and unsupported blocks (systemd journal, Darwin process info, ...) are skipped by their length.
          break;
      }
      // Like Wireshark, the trailer is checked after the block's content.
      this.checkTrailer(q, length, padded);
      if (f !== null) f.fileOffset = q.offset;
      q.consume(padded);
      if (f !== null) {
        this.frames++;
        return f;
      }
    }
  }

  /** Calls onFrame for every frame the queue holds; false when onFrame returned false. */
  drain(q: ByteQueue, onFrame: (frame: CaptureFrame) => void | boolean): boolean {
    const f = this.frame;
    for (;;) {
      // Enhanced Packet Blocks without options that lie whole in the current chunk: one tight loop.
      const cur = q.cur;
      const v = q.view;
      const buffer = cur.buffer;
      const byteOffset = cur.byteOffset;
      const length = cur.length;
      const base = q.base;
      const le = this.le;
      const clocks = this.clocks;
      const section = this.section === undefined ? 0 : this.section.number;
      let pos = q.pos;
      while (length - pos >= 32) {
        if (v.getUint32(pos, le) !== BLOCK_EPB) break;
        const blockLength = v.getUint32(pos + 4, le);
        const next = pos + blockLength;
        const ifId = v.getUint32(pos + 8, le);
        if (next > length || ifId >= clocks.length || (blockLength & 3) !== 0) break;
        const capLen = v.getUint32(pos + 20, le);
        const clock = clocks[ifId];
        if (blockLength !== 32 + ((capLen + 3) & ~3) || capLen > clock.maxLength) break;
        if (v.getUint32(next - 4, le) !== blockLength) break;
        this.setTime(f, clock, v.getUint32(pos + 12, le), v.getUint32(pos + 16, le));
        f.capLen = capLen;
        f.origLen = v.getUint32(pos + 24, le);
        f.data = new Uint8Array(buffer, byteOffset + pos + 28, capLen);
        f.linkType = clock.linkType;
        f.interfaceId = clock.globalId;
        f.interfaceName = clock.name;
        f.tsPrecision = clock.tsPrecision;
        f.hasTimestamp = true;
        f.section = section;
        f.comments = undefined;
        f.packetFlags = undefined;
        f.dropCount = undefined;
        f.custom = undefined;
        f.fileOffset = base + pos;
        q.avail -= blockLength;
        q.pos = pos = next;
        this.frames++;
        if (onFrame(f) === false) return false;
      }
      // Everything else (other blocks, options, records straddling chunks, errors) takes the general path.
      const g = this.next(q);
      if (g === null) return true;
      if (onFrame(g) === false) return false;
    }
  }

  /** Reads an SHB and starts its section; false when more bytes are needed. */
  private readSectionHeader(q: ByteQueue): boolean {
    if (!q.ensure(12)) {
      this.needMore(q, 12, 'the section header');
      return false;
    }
    const first = this.section === undefined;
    const bom = q.bufView.getUint32(q.off + 8, true);
    let le: boolean;
    if (bom === BYTE_ORDER_MAGIC) le = true;
    else if (bom === 0x4d3c2b1a) le = false;
    else if (first) {
      throw new CaptureError({
        kind: 'not-a-capture',
        detail: `pcapng: unknown byte-order magic number 0x${bom.toString(16).padStart(8, '0')}`,
        offset: q.offset + 8,
        hint: 'data that starts like a pcapng file but has no byte-order magic',
      });
    } else {
      throw this.corrupt(q, `pcapng: unknown byte-order magic number 0x${bom.toString(16).padStart(8, '0')}`);
    }
    const length = q.bufView.getUint32(q.off + 4, le);
    if (length < MIN_SHB_SIZE) {
      throw this.corrupt(
        q,
        `pcapng: total block length ${length} of an SHB is less than the minimum SHB size ${MIN_SHB_SIZE}`,
      );
    }
    const padded = (length + 3) & ~3;
    if (padded > MAX_BLOCK_SIZE || padded < length) {
      throw this.corrupt(q, `pcapng: total block length ${length} is too large (> ${MAX_BLOCK_SIZE})`);
    }
    if (!q.ensure(16)) {
      this.needMore(q, 16, 'the section header');
      return false;
    }
    const versionMajor = q.bufView.getUint16(q.off + 12, le);
    const versionMinor = q.bufView.getUint16(q.off + 14, le);
    // Wireshark accepts 1.0 and 1.2 (written by some early tools); anything else is unsupported.
    if (!(versionMajor === 1 && (versionMinor === 0 || versionMinor === 2))) {
      throw new CaptureError({
        kind: 'unsupported',
        detail: `pcapng: unknown SHB version ${versionMajor}.${versionMinor}`,
        frame: this.frames + 1,
        offset: q.offset,
      });
    }
    if (!q.ensure(padded)) {
      this.needMore(q, padded, 'the section header');
      return false;
    }
    const section: PcapngSection = {
      number: this.sections.length + 1,
      byteOrder: le ? 'little' : 'big',
      versionMajor,
      versionMinor,
      offset: q.offset,
      comments: [],
      interfaces: [],
    };
    this.le = le;
    this.walkOptions(q, q.off + 24, padded - MIN_SHB_SIZE, BLOCK_SHB, section);
    this.checkTrailer(q, length, padded);
    this.sections.push(section);
    this.section = section;
    this.clocks = [];
    q.consume(padded);
    return true;
  }

  private readInterfaceBlock(q: ByteQueue, contentLength: number): void {
    if (contentLength < 8) throw this.tooShort(q, 'an IDB', contentLength, 8);
    const v = q.bufView;
    const c = q.off + 8;
    const section = this.section as PcapngSection;
    const iface: CaptureInterface = {
      id: this.interfaces.length,
      section: section.number,
      linkType: v.getUint16(c, this.le),
      snaplen: v.getUint32(c + 4, this.le),
      comments: [],
      unitsPerSecond: 1000000,
      tsPrecision: 6,
      tsOffset: 0,
    };
    this.tsResolution = -1;
    this.walkOptions(q, c + 8, contentLength - 8, BLOCK_IDB, iface);
    const clock = this.makeClock(q, iface);
    this.interfaces.push(iface);
    section.interfaces.push(iface);
    this.clocks.push(clock);
  }

  /** if_tsresol of the IDB being read (-1: none). */
  private tsResolution = -1;

  private makeClock(q: ByteQueue, iface: CaptureInterface): Clock {
    let units = 1000000;
    let precision = 6;
    let binaryExponent = -1;
    let decimalExponent = 6;
    const r = this.tsResolution;
    if (r >= 0) {
      const exponent = r & 0x7f;
      if (r & 0x80) {
        if (exponent > 63) {
          throw this.unsupported(q, `pcapng: IDB power-of-2 time stamp resolution ${exponent} > 63`);
        }
        units = 2 ** exponent;
        binaryExponent = exponent;
        // Enough digits to show the fractional units (Wireshark's pcapng_read_if_descr_block).
        precision = 0;
        for (let p = 10; precision < 9 && units >= p; p *= 10) precision++;
      } else {
        if (exponent > 19) {
          throw this.unsupported(q, `pcapng: IDB power-of-10 time stamp resolution ${exponent} > 19`);
        }
        units = 10 ** exponent;
        decimalExponent = exponent;
        precision = Math.min(exponent, 9);
      }
    }
    iface.unitsPerSecond = units;
    iface.tsPrecision = precision;
    let nsecMultiplier = 0;
    let binaryShiftDivisor = 0;
    if (units <= 1e9 && 1e9 % units === 0) nsecMultiplier = 1e9 / units;
    else if (binaryExponent > 9 && binaryExponent <= 32) binaryShiftDivisor = 2 ** (binaryExponent - 9);
    return {
      divisor: units,
      divisorBig: binaryExponent >= 0 ? 1n << BigInt(binaryExponent) : 10n ** BigInt(decimalExponent),
      nsecMultiplier,
      binaryShiftDivisor,
      tsOffset: iface.tsOffset,
      linkType: iface.linkType,
      snaplen: iface.snaplen,
      maxLength: maxPcapRecordLength(0, iface.linkType),
      tsPrecision: precision,
      globalId: iface.id,
      name: iface.name,
    };
  }

  private readPacketBlock(q: ByteQueue, type: number, contentLength: number): CaptureFrame {
    const enhanced = type === BLOCK_EPB;
    if (contentLength < 20) throw this.tooShort(q, enhanced ? 'an EPB' : 'a PB', contentLength, 20);
    const v = q.bufView;
    const c = q.off + 8;
    const le = this.le;
    const ifId = enhanced ? v.getUint32(c, le) : v.getUint16(c, le);
    const clocks = this.clocks;
    if (ifId >= clocks.length) {
      throw this.corrupt(
        q,
        `pcapng: interface index ${ifId} is not less than section interface count ${clocks.length}`,
      );
    }
    const clock = clocks[ifId];
    const capLen = v.getUint32(c + 12, le);
    if (capLen > clock.maxLength) {
      throw this.corrupt(q, `pcapng: cap_len ${capLen} is larger than maximum supported length ${clock.maxLength}`);
    }
    const paddedCapLen = (capLen + 3) & ~3;
    if (contentLength < 20 + paddedCapLen) {
      throw this.corrupt(
        q,
        enhanced
          ? `pcapng: block content length ${contentLength} of an EPB is too small for ${capLen} bytes of packet data`
          : `pcapng: total block length ${contentLength} of a PB is too small for ${capLen} bytes of packet data`,
      );
    }
    const f = this.frame;
    this.setTime(f, clock, v.getUint32(c + 4, le), v.getUint32(c + 8, le));
    f.capLen = capLen;
    f.origLen = v.getUint32(c + 16, le);
    f.data = q.bytes(c + 20, capLen);
    f.linkType = clock.linkType;
    f.interfaceId = clock.globalId;
    f.interfaceName = clock.name;
    f.tsPrecision = clock.tsPrecision;
    f.hasTimestamp = true;
    f.section = (this.section as PcapngSection).number;
    f.custom = undefined;
    const optionsLength = contentLength - 20 - paddedCapLen;
    if (optionsLength > 0) {
      this.optComments = undefined;
      this.optFlags = undefined;
      this.optDropCount = undefined;
      this.walkOptions(q, c + 20 + paddedCapLen, optionsLength, type, undefined);
      f.comments = this.optComments;
      f.packetFlags = this.optFlags;
      f.dropCount = this.optDropCount;
    } else {
      f.comments = undefined;
      f.packetFlags = undefined;
      f.dropCount = undefined;
    }
    return f;
  }

  private readSimplePacketBlock(q: ByteQueue, contentLength: number): CaptureFrame {
    if (contentLength < 4) throw this.tooShort(q, 'an SPB', contentLength, 4);
    if (this.clocks.length === 0) throw this.corrupt(q, 'pcapng: SPB appeared before any IDBs in the section');
    const clock = this.clocks[0];
    const c = q.off + 8;
    const origLen = q.bufView.getUint32(c, this.le);
    // The SPB has no captured length: it is min(original length, snaplen of interface 0), 0 = no limit.
    const capLen = clock.snaplen !== 0 && origLen > clock.snaplen ? clock.snaplen : origLen;
    if (capLen > clock.maxLength) {
      throw this.corrupt(q, `pcapng: cap_len ${capLen} is larger than maximum supported length ${clock.maxLength}`);
    }
    if (contentLength < 4 + ((capLen + 3) & ~3)) {
      throw this.corrupt(
        q,
        `pcapng: block content length ${contentLength} of an SPB is too small for ${capLen} bytes of packet data`,
      );
    }
    const f = this.frame;
    f.tsSec = 0;
    f.tsNsec = 0;
    f.hasTimestamp = false;
    f.capLen = capLen;
    f.origLen = origLen;
    f.data = q.bytes(c + 4, capLen);
    f.linkType = clock.linkType;
    f.interfaceId = clock.globalId;
    f.interfaceName = clock.name;
    f.tsPrecision = clock.tsPrecision;
    f.section = (this.section as PcapngSection).number;
    f.comments = undefined;
    f.packetFlags = undefined;
    f.dropCount = undefined;
    f.custom = undefined;
    return f;
  }

  private readCustomBlock(q: ByteQueue, type: number, contentLength: number): CaptureFrame {
    if (contentLength < 4) throw this.tooShort(q, 'a CB', contentLength, 4);
    const c = q.off + 8;
    const f = this.frame;
    // Wireshark returns custom blocks as records: the data is everything after the PEN (custom data and options).
    f.tsSec = 0;
    f.tsNsec = 0;
    f.hasTimestamp = false;
    f.capLen = contentLength - 4;
    f.origLen = contentLength - 4;
    f.data = q.bytes(c + 4, contentLength - 4);
    f.linkType = CUSTOM_BLOCK_LINK_TYPE;
    f.interfaceId = 0;
    f.interfaceName = undefined;
    f.tsPrecision = 6;
    f.section = (this.section as PcapngSection).number;
    f.comments = undefined;
    f.packetFlags = undefined;
    f.dropCount = undefined;
    f.custom = { pen: q.bufView.getUint32(c, this.le), copyAllowed: type === BLOCK_CB_COPY };
    return f;
  }

  private readNameResolutionBlock(q: ByteQueue, contentLength: number): void {
    if (contentLength < 4) throw this.tooShort(q, 'an NRB', contentLength, 4);
    const v = q.bufView;
    const buf = q.buf;
    let p = q.off + 8;
    let left = contentLength;
    while (left !== 0) {
      if (left < 4) throw this.corrupt(q, `pcapng: ${left} bytes left in the block < NRB record header size 4`);
      const recordType = v.getUint16(p, this.le);
      const recordLength = v.getUint16(p + 2, this.le);
      p += 4;
      left -= 4;
      const paddedLength = (recordLength + 3) & ~3;
      if (left < paddedLength) {
        throw this.corrupt(q, `pcapng: ${left} bytes left in the block < NRB record length + padding ${paddedLength}`);
      }
      if (recordType === 0) break; // nrb_record_end: options may follow
      if (recordType === 1 || recordType === 2) {
        const addressLength = recordType === 1 ? 4 : 16;
        if (recordLength < addressLength) {
          throw this.corrupt(
            q,
            recordType === 1
              ? `pcapng: NRB IPv4 record length ${recordLength} < minimum length 4`
              : `pcapng: NRB record length for IPv6 record ${recordLength} < minimum length 16`,
          );
        }
        const names: string[] = [];
        let s = p + addressLength;
        const end = p + recordLength;
        while (s < end) {
          let z = s;
          while (z < end && buf[z] !== 0) z++;
          if (z === end) throw this.corrupt(q, 'pcapng: NRB record has non-null-terminated host name');
          names.push(decodeText(utf8, buf.subarray(s, z)));
          s = z + 1;
        }
        this.nameRecords.push({ version: recordType === 1 ? 4 : 6, address: buf.slice(p, p + addressLength), names });
      }
      p += paddedLength;
      left -= paddedLength;
    }
    if (left > 0) this.walkOptions(q, p, left, BLOCK_NRB, undefined);
  }

  private readDecryptionSecretsBlock(q: ByteQueue, contentLength: number): void {
    if (contentLength < 8) throw this.tooShort(q, 'an DSB', contentLength, 8);
    const v = q.bufView;
    const c = q.off + 8;
    const secretsType = v.getUint32(c, this.le);
    const secretsLength = v.getUint32(c + 4, this.le);
    if (contentLength < 8 + secretsLength) {
      throw this.corrupt(
        q,
        `pcapng: block content length ${contentLength} of an DSB is less the size needed for the secrets in the DSB ${8 + secretsLength}`,
      );
    }
    this.secrets.push({ secretsType, data: q.buf.slice(c + 8, c + 8 + secretsLength) });
  }

  /** Converts a 64-bit tick count to seconds and nanoseconds without losing precision. */
  private setTime(f: CaptureFrame, clock: Clock, high: number, low: number): void {
    const d = clock.divisor;
    let sec: number;
    let rem: number;
    if (d <= 4294967296) {
      if (high < 0x100000) {
        // Fewer than 2^52 ticks: double arithmetic is exact (the common microsecond case).
        const t = high * 4294967296 + low;
        sec = Math.floor(t / d);
        rem = t - sec * d;
      } else {
        // Long division by 16-bit digits: every intermediate stays below 2^49.
        const q1 = Math.floor(high / d);
        let r = high - q1 * d;
        let x = r * 65536 + (low >>> 16);
        let q2 = Math.floor(x / d);
        r = x - q2 * d;
        if (r < 0) {
          q2--;
          r += d;
        } else if (r >= d) {
          q2++;
          r -= d;
        }
        x = r * 65536 + (low & 0xffff);
        sec = q1 * 4294967296 + q2 * 65536 + Math.floor(x / d);
        rem = x - Math.floor(x / d) * d;
      }
      if (rem < 0) {
        sec--;
        rem += d;
      } else if (rem >= d) {
        sec++;
        rem -= d;
      }
      f.tsNsec =
        clock.nsecMultiplier !== 0
          ? rem * clock.nsecMultiplier
          : Math.floor((rem * 1953125) / clock.binaryShiftDivisor);
    } else {
      // Resolutions finer than 2^-32 s (10^-10 .. 10^-19, 2^-33 .. 2^-63): rare enough for BigInt.
      const t = (BigInt(high) << 32n) | BigInt(low);
      const D = clock.divisorBig;
      sec = Number(t / D);
      f.tsNsec = Number(((t % D) * 1000000000n) / D);
    }
    f.tsSec = sec + clock.tsOffset;
  }

  /** Walks the options of a block with Wireshark's bounds checks, keeping the ones synack uses. */
  private walkOptions(
    q: ByteQueue,
    start: number,
    length: number,
    blockType: number,
    target: PcapngSection | CaptureInterface | undefined,
  ): void {
    const v = q.bufView;
    const buf = q.buf;
    const le = this.le;
    let p = start;
    let left = length;
    while (left !== 0) {
      if (left < 4) throw this.corrupt(q, 'pcapng: Not enough data for option header');
      const code = v.getUint16(p, le);
      const len = v.getUint16(p + 2, le);
      p += 4;
      left -= 4;
      const rounded = (len + 3) & ~3;
      if (rounded > left) throw this.corrupt(q, `pcapng: Not enough data to handle option of length ${len}`);
      if (code === OPT_ENDOFOPT) return;
      if (code === OPT_COMMENT) {
        const text = optionString(buf, p, len);
        if (blockType === BLOCK_EPB || blockType === BLOCK_PB) (this.optComments ??= []).push(text);
        else if (target !== undefined) target.comments.push(text);
      } else if (blockType === BLOCK_EPB || blockType === BLOCK_PB) {
        this.packetOption(q, v, p, code, len);
      } else if (blockType === BLOCK_SHB && target !== undefined && 'interfaces' in target) {
        if (code === OPT_SHB_HARDWARE) target.hardware = optionString(buf, p, len);
        else if (code === OPT_SHB_OS) target.os = optionString(buf, p, len);
        else if (code === OPT_SHB_USERAPPL) target.application = optionString(buf, p, len);
      } else if (blockType === BLOCK_IDB && target !== undefined && 'linkType' in target) {
        this.interfaceOption(v, buf, p, code, len, target);
      }
      p += rounded;
      left -= rounded;
    }
  }

  private packetOption(q: ByteQueue, v: DataView, p: number, code: number, len: number): void {
    switch (code) {
      case OPT_PKT_FLAGS:
        if (len !== 4) throw this.corrupt(q, `pcapng: packet block flags option length ${len} is not 4`);
        this.optFlags = v.getUint32(p, this.le);
        break;
      case OPT_PKT_HASH:
        if (len < 1) throw this.corrupt(q, `pcapng: packet block hash option length ${len} is < 1`);
        break;
      case OPT_PKT_DROPCOUNT:
        if (len !== 8) throw this.corrupt(q, `pcapng: packet block drop count option length ${len} is not 8`);
        // A 64-bit count: exact up to 2^53, far beyond any real one.
        this.optDropCount = this.le
          ? v.getUint32(p + 4, true) * 2 ** 32 + v.getUint32(p, true)
          : v.getUint32(p, false) * 2 ** 32 + v.getUint32(p + 4, false);
        break;
      case OPT_PKT_PACKETID:
        if (len !== 8) throw this.corrupt(q, `pcapng: packet block packet id option length ${len} is not 8`);
        break;
      case OPT_PKT_QUEUE:
        if (len !== 4) throw this.corrupt(q, `pcapng: packet block queue option length ${len} is not 4`);
        break;
      case OPT_PKT_VERDICT:
        if (len < 1) throw this.corrupt(q, `pcapng: packet block verdict option length ${len} is < 1`);
        break;
    }
  }

  private interfaceOption(
    v: DataView,
    buf: Uint8Array,
    p: number,
    code: number,
    len: number,
    iface: CaptureInterface,
  ): void {
    switch (code) {
      case OPT_IDB_NAME:
        iface.name = optionString(buf, p, len);
        break;
      case OPT_IDB_DESCRIPTION:
        iface.description = optionString(buf, p, len);
        break;
      case OPT_IDB_OS:
        iface.os = optionString(buf, p, len);
        break;
      case OPT_IDB_HARDWARE:
        iface.hardware = optionString(buf, p, len);
        break;
      case OPT_IDB_FILTER:
        if (len >= 1 && buf[p] === 0) iface.filter = optionString(buf, p + 1, len - 1);
        break;
      case OPT_IDB_TSRESOL:
        if (len === 1) this.tsResolution = buf[p];
        break;
      case OPT_IDB_FCSLEN:
        if (len === 1) iface.fcsLength = buf[p];
        break;
      case OPT_IDB_TSOFFSET:
        if (len === 8) {
          const lowFirst = this.le;
          const high = v.getInt32(lowFirst ? p + 4 : p, this.le);
          const low = v.getUint32(lowFirst ? p : p + 4, this.le);
          iface.tsOffset = high * 4294967296 + low;
        }
        break;
    }
  }

  private checkTrailer(q: ByteQueue, length: number, padded: number): void {
    const trailer = q.bufView.getUint32(q.off + padded - 4, this.le);
    if (((trailer + 3) & ~3) !== padded) {
      throw this.corrupt(q, `pcapng: total block lengths (first ${length} and second ${trailer}) don't match`);
    }
  }

  private needMore(q: ByteQueue, need: number, what: string): null {
    if (q.ended && q.avail > 0) {
      throw new CaptureError({
        kind: 'truncated',
        detail: `${what} needs ${need} bytes, only ${q.avail} are there`,
        frame: this.frames + 1,
        offset: q.offset,
      });
    }
    return null;
  }

  private tooShort(q: ByteQueue, block: string, contentLength: number, minimum: number): CaptureError {
    return this.corrupt(
      q,
      `pcapng: block content length ${contentLength} of ${block} is less than the minimum ${block.replace(/^an? /, '')} content size ${minimum}`,
    );
  }

  private corrupt(q: ByteQueue, detail: string): CaptureError {
    return new CaptureError({ kind: 'corrupt', detail, frame: this.frames + 1, offset: q.offset });
  }

  private unsupported(q: ByteQueue, detail: string): CaptureError {
    return new CaptureError({ kind: 'unsupported', detail, frame: this.frames + 1, offset: q.offset });
  }
}

/** An option's UTF-8 text, up to the first NUL (as Wireshark's g_strndup). */
function optionString(buf: Uint8Array, p: number, len: number): string {
  let end = p;
  const limit = p + len;
  while (end < limit && buf[end] !== 0) end++;
  return decodeText(utf8, buf.subarray(p, end));
}
