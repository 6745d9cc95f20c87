// Linux cooked capture v2 (LINKTYPE_LINUX_SLL2, 276): the SLL fields reordered (protocol first),
// plus the interface index. Wireshark 4.0 names it "sll" in frame.protocols, like v1.

import { linkTypeTable } from './tables.js';
import type { Packet } from './packet.js';
import { u16, u32 } from './bytes.js';
import { SLL_PACKET_TYPES, sllAddress, sllDispatch, sllFields, sllProtocolItem } from './sll.js';
import { LINKTYPE } from './linktypes.js';

const F = sllFields;
const SLL2_HEADER = 20;

export function dissectSll2(p: Packet, buf: Uint8Array, off: number, end: number): void {
  const t = p.tree;
  p.addLayer('sll');
  p.setProtocol('SLL');
  p.setInfo('');
  const capEnd = Math.min(end, buf.length);
  if (p.short('SLL', buf, off, 12, end)) return;
  // Wireshark 4.0 reads the packet type for Info as 16 bits (packet type and address length
  // together), so a typical header shows "Unknown (1030)"; mirrored for identical columns.
  const infoType = u16(buf, off + 10);
  if (p.wantColumns) p.setInfo(SLL_PACKET_TYPES.get(infoType) ?? `Unknown (${infoType})`);
  const protocol = u16(buf, off);
  const hatype = u16(buf, off + 8);
  const halen = buf[off + 11];
  const top = t.add(F.sll, off, Math.min(SLL2_HEADER, capEnd - off));
  t.setLabel(top, 'Linux cooked capture v2');
  t.open(top);
  sllProtocolItem(p, off, protocol, hatype);
  t.add(F.ifindex, off + 4, 4, u32(buf, off + 4));
  t.add(F.hatype, off + 8, 2, hatype);
  t.add(F.pkttype, off + 10, 1, buf[off + 10]);
  t.add(F.halen, off + 11, 1, halen);
  if (p.short('SLL', buf, off, SLL2_HEADER, end)) return;
  sllAddress(p, buf, off + 12, halen);
  t.close();
  sllDispatch(p, buf, protocol, hatype, off + SLL2_HEADER, end);
}

linkTypeTable.add(LINKTYPE.LINUX_SLL2, dissectSll2);
