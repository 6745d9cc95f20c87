// pcapng Custom Blocks (pcapng spec section 4.8): records that carry a Private Enterprise Number
// and vendor data instead of a packet. Wireshark 4.0 shows them as frames with Protocol
// "PCAPNG", Info "Custom Block: PEN = <enterprise> (<number>), will [not] be copied", the PEN
// and copy flag as frame fields, and the custom data (with its options) as data.

import { defineFields, valueStrings } from './fields.js';
import type { Packet } from './packet.js';
import { linkTypeTable } from './tables.js';
import { dissectData } from './data.js';
import { CUSTOM_BLOCK_LINK_TYPE } from '../capture/frame.js';

/**
 * IANA Private Enterprise Numbers as Wireshark's enterprises file names them: the documentation
 * number, the pcapng test generator's, and a few that vendors use in pcapng custom blocks.
 */
const ENTERPRISES = valueStrings({
  0: 'Reserved',
  9: 'ciscoSystems',
  11: 'Hewlett-Packard',
  2011: 'HUAWEI Technology Co.,Ltd',
  2636: 'Juniper Networks, Inc.',
  6876: 'VMware Inc.',
  10418: 'Avocent Corporation',
  12356: 'Fortinet, Inc.',
  25461: 'Palo Alto Networks',
  32473: 'Example Enterprise Number for Documentation Use',
  36724: 'Kaplan Research and Application Prototyping',
});

export const pcapngCustomFields = defineFields({
  pen: { abbrev: 'frame.cb_pen', name: 'Private Enterprise Number', type: 'uint', bits: 32, base: 'dec' },
  copy: { abbrev: 'frame.cb_copy', name: 'Copying', type: 'bool', trueFalse: ['Allowed', 'Not allowed'] },
});

const F = pcapngCustomFields;

export function dissectCustomBlock(p: Packet, buf: Uint8Array, off: number, end: number): void {
  const t = p.tree;
  const custom = p.meta.custom;
  p.setProtocol('PCAPNG');
  if (custom) {
    const name = ENTERPRISES.get(custom.pen) ?? 'Unknown';
    if (p.wantColumns) {
      p.setInfo(`Custom Block: PEN = ${name} (${custom.pen}), will ${custom.copyAllowed ? '' : 'not '}be copied`);
    }
    const pi = t.add(F.pen, 0, 0, custom.pen);
    if (t.full) t.setLabel(pi, `Private Enterprise Number: ${name} (${custom.pen})`);
    t.add(F.copy, 0, 0, custom.copyAllowed ? 1 : 0);
  }
  dissectData(p, buf, off, end);
}

linkTypeTable.add(CUSTOM_BLOCK_LINK_TYPE, dissectCustomBlock);
