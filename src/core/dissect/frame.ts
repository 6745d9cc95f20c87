// The frame pseudo-protocol: what the capture file says about each record (number, times,
// lengths, interface, comments) and the hand-off to the link-layer dissector by link type.

import { defineFields, valueStrings } from './fields.js';
import { linkTypeTable } from './tables.js';
import { encapType, linkTypeName } from './linktypes.js';
import type { Packet } from './packet.js';
import { FieldGroup, GENERATED } from './tree.js';
import { dissectData } from './data.js';

/** One of epb_flags' link-layer error bits. */
function flagBit(abbrev: string, name: string, mask: number) {
  return { abbrev, name, type: 'bool', bits: 32, mask, trueFalse: ['Set', 'Not set'] } as const;
}

export const frameFields = defineFields({
  frame: { abbrev: 'frame', name: 'Frame', type: 'protocol' },
  offsetShift: { abbrev: 'frame.offset_shift', name: 'Time shift for this packet', type: 'reltime', unit: ' seconds' },
  sectionNumber: { abbrev: 'frame.section_number', name: 'Section number', type: 'uint', bits: 32, base: 'dec' },
  interfaceId: { abbrev: 'frame.interface_id', name: 'Interface id', type: 'uint', bits: 32, base: 'dec' },
  interfaceName: { abbrev: 'frame.interface_name', name: 'Interface name', type: 'string' },
  encapType: { abbrev: 'frame.encap_type', name: 'Encapsulation type', type: 'int', bits: 16, base: 'dec' },
  linkType: { abbrev: 'frame.link_type', name: 'Link type', type: 'uint', bits: 32, base: 'dec' },
  time: { abbrev: 'frame.time', name: 'Arrival Time', type: 'abstime' },
  timeEpoch: { abbrev: 'frame.time_epoch', name: 'Epoch Time', type: 'abstime', unit: ' seconds' },
  timeDelta: {
    abbrev: 'frame.time_delta',
    name: 'Time delta from previous captured frame',
    type: 'reltime',
    unit: ' seconds',
  },
  timeDeltaDisplayed: {
    abbrev: 'frame.time_delta_displayed',
    name: 'Time delta from previous displayed frame',
    type: 'reltime',
    unit: ' seconds',
  },
  timeRelative: {
    abbrev: 'frame.time_relative',
    name: 'Time since reference or first frame',
    type: 'reltime',
    unit: ' seconds',
  },
  number: { abbrev: 'frame.number', name: 'Frame Number', type: 'uint', bits: 32, base: 'dec' },
  len: { abbrev: 'frame.len', name: 'Frame Length', type: 'uint', bits: 32, base: 'dec', unit: ' bytes' },
  capLen: { abbrev: 'frame.cap_len', name: 'Capture Length', type: 'uint', bits: 32, base: 'dec', unit: ' bytes' },
  marked: { abbrev: 'frame.marked', name: 'Frame is marked', type: 'bool', trueFalse: ['True', 'False'] },
  ignored: { abbrev: 'frame.ignored', name: 'Frame is ignored', type: 'bool', trueFalse: ['True', 'False'] },
  protocols: { abbrev: 'frame.protocols', name: 'Protocols in frame', type: 'string' },
  comment: { abbrev: 'frame.comment', name: 'Comment', type: 'string' },
  pktComment: { abbrev: 'pkt_comment', name: 'Packet comments', type: 'protocol' },
  // pcapng epb_flags (pcapng spec, "Enhanced Packet Block Flags Word"), as packet-frame.c shows them.
  packetFlags: { abbrev: 'frame.packet_flags', name: 'Packet flags', type: 'uint', bits: 32, base: 'hex' },
  flagsDirection: {
    abbrev: 'frame.packet_flags_direction',
    name: 'Direction',
    type: 'uint',
    bits: 32,
    base: 'hex',
    mask: 0x00000003,
    strings: valueStrings({ 0: 'Unknown', 1: 'Inbound', 2: 'Outbound' }),
  },
  flagsReceptionType: {
    abbrev: 'frame.packet_flags_reception_type',
    name: 'Reception type',
    type: 'uint',
    bits: 32,
    base: 'dec',
    mask: 0x0000001c,
    strings: valueStrings({ 0: 'Not specified', 1: 'Unicast', 2: 'Multicast', 3: 'Broadcast', 4: 'Promiscuous' }),
  },
  flagsFcsLength: {
    abbrev: 'frame.packet_flags_fcs_length',
    name: 'FCS length',
    type: 'uint',
    bits: 32,
    base: 'dec',
    mask: 0x000001e0,
  },
  flagsReserved: {
    abbrev: 'frame.packet_flags_reserved',
    name: 'Reserved',
    type: 'uint',
    bits: 32,
    base: 'dec',
    mask: 0x0000fe00,
  },
  flagsCrcError: flagBit('frame.packet_flags_crc_error', 'CRC error', 0x01000000),
  flagsTooLong: flagBit('frame.packet_flags_packet_too_error', 'Packet too long error', 0x02000000),
  flagsTooShort: flagBit('frame.packet_flags_packet_too_short_error', 'Packet too short error', 0x04000000),
  flagsGap: flagBit('frame.packet_flags_wrong_inter_frame_gap_error', 'Wrong interframe gap error', 0x08000000),
  flagsUnaligned: flagBit('frame.packet_flags_unaligned_frame_error', 'Unaligned frame error', 0x10000000),
  flagsSfd: flagBit('frame.packet_flags_start_frame_delimiter_error', 'Start frame delimiter error', 0x20000000),
  flagsPreamble: flagBit('frame.packet_flags_preamble_error', 'Preamble error', 0x40000000),
  flagsSymbol: flagBit('frame.packet_flags_symbol_error', 'Symbol error', 0x80000000),
  dropCount: { abbrev: 'frame.drop_count', name: 'Drop Count', type: 'uint', bits: 64, base: 'dec' },
});

const F = frameFields;
/** The items every frame gets besides frame.number, skipped together when none is wanted. */
const TIME_ITEMS = new FieldGroup([
  F.time,
  F.offsetShift,
  F.timeEpoch,
  F.timeDelta,
  F.timeDeltaDisplayed,
  F.timeRelative,
]);
const OTHER_ITEMS = new FieldGroup([
  F.sectionNumber,
  F.packetFlags,
  F.flagsDirection,
  F.flagsReceptionType,
  F.flagsFcsLength,
  F.flagsReserved,
  F.flagsCrcError,
  F.flagsTooLong,
  F.flagsTooShort,
  F.flagsGap,
  F.flagsUnaligned,
  F.flagsSfd,
  F.flagsPreamble,
  F.flagsSymbol,
  F.dropCount,
  F.interfaceId,
  F.interfaceName,
  F.encapType,
  F.len,
  F.capLen,
  F.marked,
  F.ignored,
  F.protocols,
]);

/** "Packet flags" (pcapng epb_flags) and its parts, in packet-frame.c's order. */
function packetFlags(p: Packet, flags: number): void {
  const t = p.tree;
  const top = t.add(F.packetFlags, 0, 0, flags);
  if (t.full) t.setLabel(top, `Packet flags: 0x${flags.toString(16).padStart(8, '0')}`);
  t.open(top);
  const direction = t.add(F.flagsDirection, 0, 0, flags & 3);
  if (t.full) {
    const name = ['Unknown', 'Inbound', 'Outbound'][flags & 3] ?? 'Unknown';
    t.setLabel(direction, `${DIRECTION_PICTURE[flags & 3]} = Direction: ${name} (0x${(flags & 3).toString(16)})`);
  }
  t.add(F.flagsReceptionType, 0, 0, (flags >>> 2) & 7);
  t.add(F.flagsFcsLength, 0, 0, (flags >>> 5) & 15);
  t.add(F.flagsReserved, 0, 0, (flags >>> 9) & 0x7f);
  const bits = [F.flagsCrcError, F.flagsTooLong, F.flagsTooShort, F.flagsGap, F.flagsUnaligned, F.flagsSfd];
  bits.push(F.flagsPreamble, F.flagsSymbol);
  for (let k = 0; k < bits.length; k++) t.add(bits[k], 0, 0, (flags >>> (24 + k)) & 1);
  t.close();
}

/** The direction bits' picture, by value (the two low bits of 32). */
const DIRECTION_PICTURE = ['00', '01', '10', '11'].map((b) => '.... .... .... .... .... .... .... ..' + b);

/** Dissects one frame: the frame item, then the link layer (or data for unknown link types). */
export function dissectFrame(p: Packet): void {
  const m = p.meta;
  const t = p.tree;
  const s = p.session;
  const buf = p.data;
  if (Number.isNaN(s.firstSec)) {
    s.firstSec = m.tsSec;
    s.firstNsec = m.tsNsec;
    s.prevSec = m.tsSec;
    s.prevNsec = m.tsNsec;
  }
  if (m.comments && m.comments.length) {
    // Wireshark 4.0's "Packet comments" protocol comes before the frame, each comment with a
    // Comment expert (counted by -z expert under the Frame protocol).
    const c = t.add(F.pktComment, 0, 0);
    t.open(c);
    for (const text of m.comments) {
      const i = t.addValue(F.comment, 0, 0, text);
      if (t.full) t.setLabel(i, text);
      t.open(i);
      p.expert('Frame', 'frame.comment.expert', 'comment', 'comment', text);
      t.close();
    }
    t.close();
  }
  const top = t.add(F.frame, 0, buf.length);
  if (t.full) {
    // tshark names the interface only for records that have one (pcapng packet blocks).
    const onIf = m.hasInterface ? ` on interface ${m.interfaceName ?? 'unknown'}, id ${m.interfaceId}` : '';
    t.setLabel(
      top,
      `Frame ${m.number}: ${m.origLen} bytes on wire (${m.origLen * 8} bits), ${m.capLen} bytes captured (${m.capLen * 8} bits)${onIf}`,
    );
  }
  t.open(top);
  const others = t.keepsAny(OTHER_ITEMS);
  if (others) {
    if (m.section > 0) t.add(F.sectionNumber, 0, 0, m.section);
    if (m.hasInterface) {
      const name = m.interfaceName ?? 'unknown';
      const ii = t.add(F.interfaceId, 0, 0, m.interfaceId);
      if (t.full) t.setLabel(ii, `Interface id: ${m.interfaceId} (${name})`);
      t.open(ii);
      t.addValue(F.interfaceName, 0, 0, name);
      t.close();
    }
    if (m.packetFlags !== undefined) packetFlags(p, m.packetFlags);
    const encap = encapType(m.linkType);
    const enc = t.add(F.encapType, 0, 0, encap);
    if (t.full) t.setLabel(enc, `Encapsulation type: ${linkTypeName(m.linkType)} (${encap})`);
  }
  if (m.hasTimestamp) {
    if (t.keepsAny(TIME_ITEMS)) {
      t.addTime(F.time, 0, 0, m.tsSec, m.tsNsec);
      // tshark's --time-shift is not offered: the shift is always zero.
      t.addTime(F.offsetShift, 0, 0, 0, 0, GENERATED);
      t.addTime(F.timeEpoch, 0, 0, m.tsSec, m.tsNsec);
      t.addInterval(F.timeDelta, 0, 0, m.tsSec - s.prevSec, m.tsNsec - s.prevNsec, GENERATED);
      // From the previous frame shown (tshark's prev_dis): 0 for the first one.
      const shown = !Number.isNaN(s.prevDisplayedSec);
      const dSec = shown ? m.tsSec - s.prevDisplayedSec : 0;
      const dNsec = shown ? m.tsNsec - s.prevDisplayedNsec : 0;
      t.addInterval(F.timeDeltaDisplayed, 0, 0, dSec, dNsec, GENERATED);
      t.addInterval(F.timeRelative, 0, 0, m.tsSec - s.firstSec, m.tsNsec - s.firstNsec, GENERATED);
    }
    s.prevSec = m.tsSec;
    s.prevNsec = m.tsNsec;
  }
  t.add(F.number, 0, 0, m.number);
  let protocolsItem = -1;
  if (others) {
    const len = t.add(F.len, 0, 0, m.origLen);
    const capLen = t.add(F.capLen, 0, 0, m.capLen);
    if (t.full) {
      t.setLabel(len, `Frame Length: ${m.origLen} bytes (${m.origLen * 8} bits)`);
      t.setLabel(capLen, `Capture Length: ${m.capLen} bytes (${m.capLen * 8} bits)`);
    }
    if (m.dropCount !== undefined) t.add(F.dropCount, 0, 0, m.dropCount);
    t.add(F.marked, 0, 0, 0, GENERATED);
    t.add(F.ignored, 0, 0, 0, GENERATED);
    // frame.protocols is filled in after the whole frame is dissected (see below).
    protocolsItem = t.add(F.protocols, 0, 0, 0, GENERATED);
  }
  t.close();

  const link = linkTypeTable.get(m.linkType);
  if (link) link(p, buf, 0, m.origLen);
  else {
    p.setProtocol(linkTypeName(m.linkType));
    p.setInfo(`Link type ${m.linkType} (${linkTypeName(m.linkType)}) is not dissected`);
    dissectData(p, buf, 0, m.origLen);
  }
  t.closeAll();
  if (protocolsItem >= 0) t.obj[protocolsItem] = p.protocols();
  if (p.wantColumns && p.protocolCol === '') p.protocolCol = 'Data';
}
