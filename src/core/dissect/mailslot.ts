// SMB MailSlot Protocol (MS-MAIL): the mailslot header a Trans request carries in its setup
// words (opcode, priority, class), the byte count and the mailslot name, and the hand-off of
// the message to the mailslot's dissector (the browser). Wireshark calls it from SMB by
// function, so it adds no entry to frame.protocols.

import { defineFields, valueStrings } from './fields.js';
import type { Packet } from './packet.js';
import { u16le } from './bytes.js';
import { mailslotTable, transHandlers, type MailslotCall } from './smb.js';
import { dissectData } from './data.js';

const OPCODES = valueStrings({ 1: 'Write Mail Slot' });
const CLASSES = valueStrings({ 1: 'Reliable', 2: 'Unreliable & Broadcast' });

export const mailslotFields = defineFields({
  mailslot: { abbrev: 'mailslot', name: 'SMB MailSlot Protocol', type: 'protocol' },
  opcode: { abbrev: 'mailslot.opcode', name: 'Opcode', type: 'uint', bits: 16, base: 'dec', strings: OPCODES },
  priority: { abbrev: 'mailslot.priority', name: 'Priority', type: 'uint', bits: 16, base: 'dec' },
  class: { abbrev: 'mailslot.class', name: 'Class', type: 'uint', bits: 16, base: 'dec', strings: CLASSES },
  size: { abbrev: 'mailslot.size', name: 'Size', type: 'uint', bits: 16, base: 'dec' },
  name: { abbrev: 'mailslot.name', name: 'Mailslot Name', type: 'string' },
});

const F = mailslotFields;

export function dissectMailslot(p: Packet, buf: Uint8Array, c: MailslotCall): void {
  const t = p.tree;
  p.setProtocol('SMB Mailslot');
  p.setInfo('');
  // The header is only there when all three setup words are (not in secondary fragments).
  if (c.setupCount >= 3) {
    const opcode = u16le(buf, c.setup);
    if (p.wantColumns) p.setInfo(OPCODES.get(opcode) ?? `Unknown opcode: 0x${opcode.toString(16).padStart(4, '0')}`);
    const top = t.add(F.mailslot, c.setup, c.name + c.nameLen - c.setup);
    t.open(top);
    t.add(F.opcode, c.setup, 2, opcode);
    t.add(F.priority, c.setup + 2, 2, u16le(buf, c.setup + 2));
    t.add(F.class, c.setup + 4, 2, u16le(buf, c.setup + 4));
    t.add(F.size, c.bcc, 2, u16le(buf, c.bcc));
    const name = t.addValue(F.name, c.name, c.nameLen, '\\MAILSLOT\\' + c.mailslot);
    if (t.full) t.setLabel(name, `Mailslot Name: \\MAILSLOT\\${c.mailslot}`);
    t.close();
  }
  if (c.data >= Math.min(c.dataEnd, buf.length)) return;
  const next = mailslotTable.get(c.mailslot);
  if (next) next(p, buf, c.data, c.dataEnd);
  else dissectData(p, buf, c.data, c.dataEnd);
}

transHandlers.mailslot = dissectMailslot;
