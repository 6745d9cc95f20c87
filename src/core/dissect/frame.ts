// The frame pseudo-protocol: what the capture file says about each record (number, times,
// lengths, interface, comments) and the hand-off to the link-layer dissector by link type.

import { defineFields } from './fields.js';
import { linkTypeTable } from './tables.js';
import { encapType, linkTypeName } from './linktypes.js';
import type { Packet } from './packet.js';
import { FieldGroup, GENERATED } from './tree.js';
import { dissectData } from './data.js';

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
  F.interfaceId,
  F.interfaceName,
  F.encapType,
  F.len,
  F.capLen,
  F.marked,
  F.ignored,
  F.protocols,
]);

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
  if (m.comments && m.comments.length) {
    const c = t.addText(0, 0, 'Packet comments');
    t.open(c);
    for (const text of m.comments) {
      const i = t.addValue(F.comment, 0, 0, text);
      t.setLabel(i, text);
    }
    t.close();
  }
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
      t.addInterval(F.timeDeltaDisplayed, 0, 0, m.tsSec - s.prevSec, m.tsNsec - s.prevNsec, GENERATED);
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
