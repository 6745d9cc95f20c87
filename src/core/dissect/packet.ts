// The state of one packet while it is dissected: its bytes and data sources, the protocol tree,
// the protocol stack (frame.protocols), the columns, and the addresses and ports that upper
// layers and the TCP analysis read. One Packet object is reused for every frame.

import { ProtoTree, EXPERT, GENERATED } from './tree.js';
import { defineFields, valueStrings } from './fields.js';
import { formatMac } from './bytes.js';
import type { Session } from './session.js';

export interface FrameMeta {
  /** 1-based frame number. */
  number: number;
  /** Absolute time: whole seconds since the epoch and nanoseconds. */
  tsSec: number;
  tsNsec: number;
  capLen: number;
  origLen: number;
  /** The capture's link type (LINKTYPE_* value). */
  linkType: number;
  interfaceId: number;
  /** Packet comments (pcapng opt_comment), if any. */
  comments: readonly string[] | undefined;
  /** False for records without a time stamp (pcapng Simple Packet Blocks): no time fields then. */
  hasTimestamp: boolean;
  /** pcapng section number (from 1); 0 for pcap. */
  section: number;
  /** Whether the record names an interface (pcapng packet blocks; not pcap): tshark then shows it. */
  hasInterface: boolean;
  /** The interface's if_name, if its IDB has one. */
  interfaceName: string | undefined;
  /** pcapng epb_flags and epb_dropcount, when the record has them. */
  packetFlags: number | undefined;
  dropCount: number | undefined;
  /** A pcapng custom block's Private Enterprise Number and copy flag (link type -1), else undefined. */
  custom?: { pen: number; copyAllowed: boolean };
}

export type Severity = 'comment' | 'chat' | 'note' | 'warn' | 'error';

export const wsFields = defineFields({
  expert: { abbrev: '_ws.expert', name: 'Expert Info', type: 'none' },
  expertMessage: { abbrev: '_ws.expert.message', name: 'Message', type: 'string' },
  expertSeverity: {
    abbrev: '_ws.expert.severity',
    name: 'Severity level',
    type: 'uint',
    bits: 32,
    base: 'none',
    strings: valueStrings({
      0x00100000: 'Comment',
      0x00200000: 'Chat',
      0x00400000: 'Note',
      0x00600000: 'Warning',
      0x00800000: 'Error',
    }),
  },
  expertGroup: {
    abbrev: '_ws.expert.group',
    name: 'Group',
    type: 'uint',
    bits: 32,
    base: 'none',
    strings: valueStrings({
      0x01000000: 'Checksum',
      0x02000000: 'Sequence',
      0x03000000: 'Response code',
      0x04000000: 'Request code',
      0x05000000: 'Undecoded',
      0x06000000: 'Reassemble',
      0x07000000: 'Malformed',
      0x08000000: 'Debug',
      0x09000000: 'Protocol',
      0x0a000000: 'Security',
      0x0b000000: 'Comment',
      0x0c000000: 'Decryption',
      0x0d000000: 'Assumption',
      0x0e000000: 'Deprecated',
    }),
  },
  malformed: { abbrev: '_ws.malformed', name: 'Malformed Packet', type: 'protocol' },
  short: { abbrev: '_ws.short', name: 'Packet size limited during capture', type: 'none' },
});

const severityCode: Record<Severity, number> = {
  comment: 0x00100000,
  chat: 0x00200000,
  note: 0x00400000,
  warn: 0x00600000,
  error: 0x00800000,
};

export type ExpertGroup =
  | 'checksum'
  | 'sequence'
  | 'response'
  | 'request'
  | 'undecoded'
  | 'reassemble'
  | 'malformed'
  | 'protocol'
  | 'comment'
  | 'deprecated';

const groupCode: Record<ExpertGroup, number> = {
  checksum: 0x01000000,
  sequence: 0x02000000,
  response: 0x03000000,
  request: 0x04000000,
  undecoded: 0x05000000,
  reassemble: 0x06000000,
  malformed: 0x07000000,
  protocol: 0x09000000,
  comment: 0x0b000000,
  deprecated: 0x0e000000,
};

export interface ExpertNote {
  /** Stable name, e.g. "ip.bogus_header_length". */
  name: string;
  severity: Severity;
  group: ExpertGroup;
  message: string;
  protocol: string;
}

export interface DataSource {
  name: string;
  data: Uint8Array;
}

export class Packet {
  meta: FrameMeta = {
    number: 0,
    tsSec: 0,
    tsNsec: 0,
    capLen: 0,
    origLen: 0,
    linkType: 0,
    interfaceId: 0,
    comments: undefined,
    hasTimestamp: true,
    section: 0,
    hasInterface: false,
    interfaceName: undefined,
    packetFlags: undefined,
    dropCount: undefined,
  };
  /** The captured bytes of the frame (a view into the reader's chunk). */
  data: Uint8Array = new Uint8Array(0);
  /** Data sources: [0] is the frame; reassembled buffers follow. */
  sources: DataSource[] = [{ name: 'Frame', data: this.data }];
  readonly tree = new ProtoTree();

  /** Protocol names for frame.protocols, in order. */
  layers: string[] = [];
  layerCount = 0;

  /** Whether the columns (Protocol, Info, Source, Destination) are being built. */
  wantColumns = true;
  protocolCol = '';
  infoCol = '';
  private srcText = '';
  private dstText = '';
  /**
   * Link-layer addresses are formatted only when a column is read: an IP layer above usually
   * replaces them, and formatting two MACs per packet was a measurable share of the packet list.
   * Set while a MAC is pending: the bytes (the frame, valid while this packet is) and offsets.
   */
  private macBytes: Uint8Array | undefined;
  private macSrc = -1;
  private macDst = -1;
  /** Set once a layer has fenced the Info column (later layers' setInfo replaces after the fence). */
  private infoFence = 0;

  /** Network-layer addresses: 4 or 6 (0 when none). IPv4 addresses are numbers; IPv6 are views. */
  netType = 0;
  netSrc4 = 0;
  netDst4 = 0;
  netSrc6: Uint8Array | undefined;
  netDst6: Uint8Array | undefined;
  /** Transport: IP protocol number, ports (-1 when none). */
  ipProto = -1;
  /** IPv4 TTL or IPv6 hop limit of the innermost IP header (-1 when none); ICMP's Info shows it. */
  ipTtl = -1;
  /**
   * True while the payload of a fragment that is not being reassembled is dissected (a first
   * fragment shown as it is): upper layers must not verify checksums over it (pinfo->fragmented).
   */
  fragmented = false;
  srcPort = -1;
  dstPort = -1;

  /**
   * Whether the TCP stream analysis runs (set by Dissection.configure). It is skipped only when
   * nothing the consumer reads depends on it (see analysis/tcp-needs.ts); tshark always runs it.
   */
  tcpAnalysis = true;

  /**
   * Whether what TCP and UDP carry is handed on to the protocols above them (set by
   * Dissection.configure). Skipped only when nothing the consumer reads depends on it (see
   * dissect/payload-needs.ts); tshark always does it.
   */
  payloads = true;

  /** True while dissecting the packet quoted inside an ICMP error (it must not change the above). */
  inErrorPacket = false;

  /**
   * TCP reassembly (pinfo->can_desegment / desegment_offset / desegment_len). TCP sets
   * canDesegment before handing payload on when it can reassemble. A dissector over TCP whose
   * message runs past `end` then sets desegmentOffset (the absolute offset in its buffer where
   * the unfinished message starts) and desegmentLen (how many more bytes it needs past `end`, or
   * DESEGMENT_ONE_MORE_SEGMENT / DESEGMENT_UNTIL_FIN from tcp-pdus.ts) and returns; it is called
   * again with the whole message once its last segment has arrived. See tcpDissectPdus.
   */
  canDesegment = false;
  desegmentOffset = 0;
  desegmentLen = 0;

  malformedCount = 0;
  truncatedCount = 0;
  experts: ExpertNote[] = [];

  constructor(readonly session: Session) {}

  /** Starts a new frame. */
  begin(data: Uint8Array): void {
    this.data = data;
    // Setting an array's length is a builtin call even when nothing changes.
    if (this.sources.length !== 1) this.sources.length = 1;
    // Reuse the frame's source entry: one object less per packet.
    this.sources[0].data = data;
    this.tree.reset();
    this.layerCount = 0;
    this.protocolCol = '';
    this.infoCol = '';
    this.srcText = '';
    this.dstText = '';
    this.macBytes = undefined;
    this.infoFence = 0;
    this.netType = 0;
    this.netSrc6 = undefined;
    this.netDst6 = undefined;
    this.ipProto = -1;
    this.ipTtl = -1;
    this.fragmented = false;
    this.srcPort = -1;
    this.dstPort = -1;
    this.inErrorPacket = false;
    this.canDesegment = false;
    this.protocolLocked = false;
    this.desegmentOffset = 0;
    this.desegmentLen = 0;
    this.malformedCount = 0;
    this.truncatedCount = 0;
    if (this.experts.length) this.experts = [];
  }

  /** Appends a protocol to frame.protocols. */
  addLayer(name: string): void {
    if (this.layerCount < this.layers.length) this.layers[this.layerCount] = name;
    else this.layers.push(name);
    this.layerCount++;
  }

  protocols(): string {
    let s = '';
    for (let i = 0; i < this.layerCount; i++) s += i ? ':' + this.layers[i] : this.layers[i];
    return s;
  }

  /** Adds a data source (a reassembled buffer) and makes new tree items point into it. Returns its index. */
  addSource(name: string, data: Uint8Array): number {
    this.sources.push({ name, data });
    return this.sources.length - 1;
  }

  setProtocol(name: string): void {
    if (this.wantColumns && !this.protocolLocked) this.protocolCol = name;
  }

  /**
   * While set, setProtocol does nothing (col_set_writable(COL_PROTOCOL, FALSE)): TCP sets it
   * when a second message follows a reassembled one in the same segment, whose protocol the
   * column keeps.
   */
  protocolLocked = false;

  /** Replaces the Info column (after any fence). */
  setInfo(text: string): void {
    if (this.wantColumns) this.infoCol = this.infoCol.slice(0, this.infoFence) + text;
  }

  appendInfo(text: string): void {
    if (this.wantColumns) this.infoCol += text;
  }

  /** Where the Info column's fence is (what setInfo keeps); with restoreColumns, to undo a layer. */
  get infoFenceAt(): number {
    return this.infoFence;
  }

  /** Puts back Protocol, Info and the fence as they were before a layer that turned out to show nothing. */
  restoreColumns(protocol: string, info: string, fence: number): void {
    if (!this.wantColumns) return;
    this.protocolCol = protocol;
    this.infoCol = info;
    this.infoFence = fence;
  }

  /** Keeps what the Info column holds now; later setInfo calls append after it (col_set_fence). */
  fenceInfo(): void {
    this.infoFence = this.infoCol.length;
  }

  /**
   * Puts text in front of the Info column and keeps it there (col_prepend_fence_fstr): later
   * setInfo calls replace only what follows. TCP analysis prefixes ("[TCP Retransmission] ").
   */
  prependFenceInfo(text: string): void {
    if (!this.wantColumns) return;
    this.infoCol = text + this.infoCol;
    this.infoFence = this.infoFence > 0 ? this.infoFence + text.length : text.length;
  }

  setAddresses(src: string, dst: string): void {
    if (this.wantColumns) {
      this.srcCol = src;
      this.dstCol = dst;
    }
  }

  /** The Source column. */
  get srcCol(): string {
    if (this.macBytes !== undefined && this.macSrc >= 0) {
      this.srcText = formatMac(this.macBytes, this.macSrc);
      this.macSrc = -1;
    }
    return this.srcText;
  }

  set srcCol(text: string) {
    this.macSrc = -1;
    this.srcText = text;
  }

  /** The Destination column. */
  get dstCol(): string {
    if (this.macBytes !== undefined && this.macDst >= 0) {
      this.dstText = formatMac(this.macBytes, this.macDst);
      this.macDst = -1;
    }
    return this.dstText;
  }

  set dstCol(text: string) {
    this.macDst = -1;
    this.dstText = text;
  }

  /**
   * Sets Source and Destination to the MAC addresses at buf[srcOff..+6] and buf[dstOff..+6]
   * (-1: none, an empty column), formatted only if a column is read before a layer above replaces it.
   */
  setMacAddresses(buf: Uint8Array, srcOff: number, dstOff: number): void {
    if (!this.wantColumns) return;
    this.srcText = '';
    this.dstText = '';
    this.macBytes = buf;
    this.macSrc = srcOff;
    this.macDst = dstOff;
  }

  /** Records an expert-info item under the current tree item. */
  expert(
    protocol: string,
    name: string,
    severity: Severity,
    group: ExpertGroup,
    message: string,
    start = 0,
    length = 0,
  ): void {
    this.experts.push({ name, severity, group, message, protocol });
    const t = this.tree;
    const i = t.add(wsFields.expert, start, length, 0, EXPERT | GENERATED);
    if (t.full) t.setLabel(i, `Expert Info (${severityLabel(severity)}/${groupLabel(group)}): ${message}`);
    t.open(i);
    const m = t.addValue(wsFields.expertMessage, start, length, message, GENERATED);
    t.setLabel(m, message);
    t.add(wsFields.expertSeverity, start, length, severityCode[severity], GENERATED);
    t.add(wsFields.expertGroup, start, length, groupCode[group], GENERATED);
    t.close();
  }

  /**
   * Marks the layer `protocol` malformed (a length or field inconsistent with the bytes).
   * Dissection of that layer stops; the frame and the capture go on. `detail` qualifies the
   * Info text and the label as Wireshark does for some exceptions ("[Malformed Packet: <detail>]").
   */
  malformed(protocol: string, message?: string, start = 0, length = 0, detail?: string): void {
    this.malformedCount++;
    const t = this.tree;
    t.closeAll();
    const i = t.add(wsFields.malformed, start, length, 0, GENERATED);
    t.setLabel(i, detail ? `[Malformed Packet: ${protocol}: ${detail}]` : `[Malformed Packet: ${protocol}]`);
    t.open(i);
    this.expert(
      protocol,
      '_ws.malformed.expert',
      'error',
      'malformed',
      message ?? `Malformed Packet (Exception occurred)`,
      start,
      length,
    );
    t.close();
    this.appendInfo(detail ? `[Malformed Packet: ${detail}]` : '[Malformed Packet]');
  }

  /** Marks the layer `protocol` cut short by the capture's snapshot length. */
  truncated(protocol: string): void {
    this.truncatedCount++;
    const t = this.tree;
    t.closeAll();
    const i = t.add(wsFields.short, 0, 0, 0, GENERATED);
    t.setLabel(i, `[Packet size limited during capture: ${protocol} truncated]`);
    this.appendInfo('[Packet size limited during capture]');
  }

  /**
   * Reports that `need` bytes from `off` are not all there: truncated when the capture cut the
   * frame short (the bytes exist on the wire), malformed when even the reported length is too
   * short. `end` is the reported end of the layer. Returns true when the bytes are missing.
   */
  short(protocol: string, buf: Uint8Array, off: number, need: number, end: number): boolean {
    if (off + need <= end && off + need <= buf.length) return false;
    if (off + need > end) this.malformed(protocol);
    else this.truncated(protocol);
    return true;
  }
}

function severityLabel(s: Severity): string {
  return s === 'warn' ? 'Warning' : s[0].toUpperCase() + s.slice(1);
}

function groupLabel(g: ExpertGroup): string {
  return g[0].toUpperCase() + g.slice(1);
}
