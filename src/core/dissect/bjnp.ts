// Canon BJNP (UDP ports 8611-8614): the 16-byte header Canon printers and scanners use for
// discovery and job control (id "BJNP"/"BJNB"/"MFNP", device type, command code, sequence
// number, session id, payload length), with Wireshark 4.0's "Scanner Command: Discover" Info.

import { defineFields, valueStrings } from './fields.js';
import type { Packet } from './packet.js';
import { udpPortTable } from './tables.js';
import { u16, u32 } from './bytes.js';

const DEVICE_TYPES = valueStrings({
  0x01: 'Printer Command',
  0x02: 'Scanner Command',
  0x81: 'Printer Response',
  0x82: 'Scanner Response',
});

const COMMAND_CODES = valueStrings({
  0x01: 'Discover',
  0x10: 'Print Job Details',
  0x11: 'Request Closure',
  0x20: 'Get Printer Status',
  0x21: 'Print',
  0x30: 'Get Printer Identity',
  0x32: 'Scan Job Details',
});

export const bjnpFields = defineFields({
  bjnp: { abbrev: 'bjnp', name: 'Canon BJNP', type: 'protocol' },
  id: { abbrev: 'bjnp.id', name: 'Id', type: 'string' },
  type: { abbrev: 'bjnp.type', name: 'Type', type: 'uint', bits: 8, base: 'dec', strings: DEVICE_TYPES },
  code: { abbrev: 'bjnp.code', name: 'Code', type: 'uint', bits: 8, base: 'dec', strings: COMMAND_CODES },
  seqNo: { abbrev: 'bjnp.seq_no', name: 'Sequence Number', type: 'uint', bits: 32, base: 'dec' },
  sessionId: { abbrev: 'bjnp.session_id', name: 'Session Id', type: 'uint', bits: 16, base: 'dec' },
  payloadLen: { abbrev: 'bjnp.payload_len', name: 'Payload Length', type: 'uint', bits: 32, base: 'dec' },
  payload: { abbrev: 'bjnp.payload', name: 'Payload', type: 'bytes' },
});

const F = bjnpFields;

export function dissectBjnp(p: Packet, buf: Uint8Array, off: number, end: number): void {
  const t = p.tree;
  p.addLayer('bjnp');
  p.setProtocol('BJNP');
  p.setInfo('');
  const capEnd = Math.min(end, buf.length);
  const top = t.add(F.bjnp, off, Math.max(0, capEnd - off));
  t.open(top);
  if (p.short('BJNP', buf, off, 6, end)) return;
  let id = '';
  for (let i = 0; i < 4; i++) id += String.fromCharCode(buf[off + i]);
  t.addValue(F.id, off, 4, id);
  const type = buf[off + 4];
  const code = buf[off + 5];
  t.add(F.type, off + 4, 1, type);
  t.add(F.code, off + 5, 1, code);
  if (p.wantColumns || t.full) {
    const info = `${DEVICE_TYPES.get(type) ?? `Unknown type (${type})`}: ${COMMAND_CODES.get(code) ?? `Unknown code (${code})`}`;
    p.setInfo(info);
    if (t.full) t.setLabel(top, `Canon BJNP, ${info}`);
  }
  if (p.short('BJNP', buf, off + 6, 10, end)) return;
  t.add(F.seqNo, off + 6, 4, u32(buf, off + 6));
  t.add(F.sessionId, off + 10, 2, u16(buf, off + 10));
  const payloadLen = u32(buf, off + 12);
  t.add(F.payloadLen, off + 12, 4, payloadLen);
  if (payloadLen > 0) {
    if (p.short('BJNP', buf, off + 16, payloadLen, end)) return;
    t.add(F.payload, off + 16, payloadLen);
  }
  t.close();
}

for (let port = 8611; port <= 8614; port++) udpPortTable.add(port, dissectBjnp);
