// sFlow (UDP port 6343; sFlow version 5, sflow.org/sflow_version_5.txt, and the v2/v4 header):
// the datagram header with Wireshark 4.0's Info ("V5, agent A, sub-agent ID n, seq s, k
// samples"), flow and counter samples, and the raw packet headers of flow samples, which are
// dissected as the packets they are (Ethernet, IPv4, IPv6) — with the columns left alone and
// p.inErrorPacket set, as for ICMP error quotes, so they do not pass for the capture's packets.

import { defineFields, valueStrings } from './fields.js';
import type { Packet } from './packet.js';
import { carriesFrames, ethertypeTable, udpPortTable } from './tables.js';
import { formatIPv4, formatIPv6, u32 } from './bytes.js';
import { msecsText } from './msecs-text.js';
import { dissectEthernetWithoutFcs } from './ethernet.js';

const SAMPLE_TYPES = valueStrings({
  1: 'Flow sample',
  2: 'Counters sample',
  3: 'Expanded flow sample',
  4: 'Expanded counters sample',
});

const FLOW_RECORD_FORMATS = valueStrings({
  1: 'Raw packet header',
  2: 'Ethernet frame data',
  3: 'IPv4 data',
  4: 'IPv6 data',
  1001: 'Extended switch data',
  1002: 'Extended router data',
  1003: 'Extended gateway data',
  1004: 'Extended user data',
  1005: 'Extended URL data',
  1006: 'Extended MPLS data',
  1007: 'Extended NAT data',
  1008: 'Extended MPLS tunnel',
  1009: 'Extended MPLS VC',
  1010: 'Extended MPLS FEC',
  1011: 'Extended MPLS LVP FEC',
  1012: 'Extended VLAN tunnel',
});

const HEADER_PROTOCOLS = valueStrings({
  1: 'Ethernet',
  2: 'Token Bus',
  3: 'Token Ring',
  4: 'FDDI',
  5: 'Frame Relay',
  6: 'X.25',
  7: 'PPP',
  8: 'SMDS',
  9: 'AAL5',
  10: 'AAL5 IP',
  11: 'IPv4',
  12: 'IPv6',
  13: 'MPLS',
  14: 'POS',
  15: '802.11 MAC',
  16: '802.11 AMPDU',
  17: '802.11 AMSDU Subframe',
});

const HEADER_ETHERNET = 1;
const HEADER_IPV4 = 11;
const HEADER_IPV6 = 12;

export const sflowFields = defineFields({
  sflow: { abbrev: 'sflow', name: 'InMon sFlow', type: 'protocol' },
  version: { abbrev: 'sflow_245.version', name: 'Datagram version', type: 'uint', bits: 32, base: 'dec' },
  agentType: {
    abbrev: 'sflow_245.agenttype',
    name: 'Agent address type',
    type: 'uint',
    bits: 32,
    base: 'dec',
    strings: valueStrings({ 1: 'IPv4', 2: 'IPv6' }),
  },
  agent: { abbrev: 'sflow_245.agent', name: 'Agent address', type: 'ipv4' },
  agentV6: { abbrev: 'sflow_245.agent.v6', name: 'Agent address', type: 'ipv6' },
  subAgentId: { abbrev: 'sflow_245.sub_agent_id', name: 'Sub-agent ID', type: 'uint', bits: 32, base: 'dec' },
  sequenceNumber: { abbrev: 'sflow_245.sequence_number', name: 'Sequence number', type: 'uint', bits: 32, base: 'dec' },
  sysUptime: { abbrev: 'sflow_245.sysuptime', name: 'SysUptime', type: 'uint', bits: 32, base: 'dec' },
  numSamples: { abbrev: 'sflow_245.numsamples', name: 'NumSamples', type: 'uint', bits: 32, base: 'dec' },
  enterprise: {
    abbrev: 'sflow.enterprise',
    name: 'Enterprise',
    type: 'uint',
    bits: 32,
    base: 'dec',
    mask: 0xfffff000,
    strings: valueStrings({ 0: 'standard sFlow' }),
  },
  sourceIdClass: {
    abbrev: 'sflow.flow_sample.source_id_class',
    name: 'Source ID class',
    type: 'uint',
    bits: 32,
    base: 'dec',
    mask: 0xff000000,
  },
  sourceIdIndex: {
    abbrev: 'sflow.flow_sample.index',
    name: 'Index',
    type: 'uint',
    bits: 32,
    base: 'dec',
    mask: 0xffffff,
  },
  sourceIdType: {
    abbrev: 'sflow.flow_sample.source_id_type',
    name: 'Source ID type',
    type: 'uint',
    bits: 32,
    base: 'dec',
  },
  sourceIdIndexExpanded: {
    abbrev: 'sflow.flow_sample.source_id_index',
    name: 'Source ID index',
    type: 'uint',
    bits: 32,
    base: 'dec',
  },
  outputInterface: {
    abbrev: 'sflow.flow_sample.output_interface',
    name: 'Output interface (ifIndex)',
    type: 'uint',
    bits: 32,
    base: 'dec',
    mask: 0x7fffffff,
  },
  outputInterfaceFormat: {
    abbrev: 'sflow.flow_sample.output_interface_format',
    name: 'Output interface format',
    type: 'uint',
    bits: 32,
    base: 'dec',
    mask: 0xc0000000,
    strings: valueStrings({ 0: 'ifindex', 1: 'packet discarded', 2: 'multiple interfaces' }),
  },
  outputInterfaceValue: {
    abbrev: 'sflow.flow_sample.output_interface_value',
    name: 'Output interface value',
    type: 'uint',
    bits: 32,
    base: 'dec',
    mask: 0x3fffffff,
  },
  sampleType: {
    abbrev: 'sflow_245.sampletype',
    name: 'sFlow sample type',
    type: 'uint',
    bits: 32,
    base: 'dec',
    mask: 0xfff,
    strings: SAMPLE_TYPES,
  },
  sampleLength: { abbrev: 'sflow_5.sample_length', name: 'Sample length (byte)', type: 'uint', bits: 32, base: 'dec' },
  flowSequenceNumber: {
    abbrev: 'sflow.flow_sample.sequence_number',
    name: 'Sequence number',
    type: 'uint',
    bits: 32,
    base: 'dec',
  },
  samplingRate: {
    abbrev: 'sflow.flow_sample.sampling_rate',
    name: 'Sampling rate',
    type: 'uint',
    bits: 32,
    base: 'dec',
  },
  samplePool: { abbrev: 'sflow.flow_sample.sample_pool', name: 'Sample pool', type: 'uint', bits: 32, base: 'dec' },
  droppedPackets: {
    abbrev: 'sflow.flow_sample.dropped_packets',
    name: 'Dropped packets',
    type: 'uint',
    bits: 32,
    base: 'dec',
  },
  inputInterface: {
    abbrev: 'sflow.flow_sample.input_interface',
    name: 'Input interface (ifIndex)',
    type: 'uint',
    bits: 32,
    base: 'dec',
  },
  flowRecord: { abbrev: 'sflow.flow_sample.flow_record', name: 'Flow record', type: 'uint', bits: 32, base: 'dec' },
  // Wireshark adds the format's low 12 bits as a plain value (no bitmask picture).
  flowRecordFormat: {
    abbrev: 'sflow_245.flow_record_format',
    name: 'Format',
    type: 'uint',
    bits: 32,
    base: 'dec',
    strings: FLOW_RECORD_FORMATS,
  },
  flowDataLength: {
    abbrev: 'sflow_5.flow_data_length',
    name: 'Flow data length (byte)',
    type: 'uint',
    bits: 32,
    base: 'dec',
  },
  headerProtocol: {
    abbrev: 'sflow_245.header_protocol',
    name: 'Header protocol',
    type: 'uint',
    bits: 32,
    base: 'dec',
    strings: HEADER_PROTOCOLS,
  },
  frameLength: { abbrev: 'sflow_245.header.frame_length', name: 'Frame Length', type: 'uint', bits: 32, base: 'dec' },
  payloadStripped: {
    abbrev: 'sflow_245.header.payload_stripped',
    name: 'Payload stripped',
    type: 'uint',
    bits: 32,
    base: 'dec',
  },
  sampledHeaderLength: {
    abbrev: 'sflow_245.header.sampled_header_length',
    name: 'Sampled header length',
    type: 'uint',
    bits: 32,
    base: 'dec',
  },
  header: { abbrev: 'sflow_245.header', name: 'Header of sampled packet', type: 'bytes' },
  counterType: {
    abbrev: 'sflow.counters_sample.counters_type',
    name: 'Counters type',
    type: 'uint',
    bits: 32,
    base: 'dec',
  },
});

const F = sflowFields;

/** Samples and records looked at per datagram at most (each takes 8 bytes or more anyway). */
const MAX_ITEMS = 4096;

export function dissectSflow(p: Packet, buf: Uint8Array, off: number, end: number): void {
  const t = p.tree;
  p.addLayer('sflow');
  p.setProtocol('sFlow');
  p.setInfo('');
  const capEnd = Math.min(end, buf.length);
  const top = t.add(F.sflow, off, Math.max(0, capEnd - off));
  t.open(top);
  if (p.short('sFlow', buf, off, 8, end)) return;
  const version = u32(buf, off);
  t.add(F.version, off, 4, version);
  const agentType = u32(buf, off + 4);
  t.add(F.agentType, off + 4, 4, agentType);
  let o = off + 8;
  let agent: string;
  if (agentType === 1) {
    if (p.short('sFlow', buf, o, 4, end)) return;
    agent = formatIPv4(u32(buf, o));
    t.add(F.agent, o, 4, u32(buf, o));
    o += 4;
  } else if (agentType === 2) {
    if (p.short('sFlow', buf, o, 16, end)) return;
    agent = formatIPv6(buf, o);
    t.add(F.agentV6, o, 16);
    o += 16;
  } else {
    // An unknown address type ends the datagram (Wireshark stops there too).
    t.close();
    return;
  }
  let subAgent = -1;
  if (version === 5) {
    if (p.short('sFlow', buf, o, 4, end)) return;
    subAgent = u32(buf, o);
    t.add(F.subAgentId, o, 4, subAgent);
    o += 4;
  }
  if (p.short('sFlow', buf, o, 12, end)) return;
  const seq = u32(buf, o);
  const uptime = u32(buf, o + 4);
  const numSamples = u32(buf, o + 8);
  t.add(F.sequenceNumber, o, 4, seq);
  const ui = t.add(F.sysUptime, o + 4, 4, uptime);
  if (t.full) t.setLabel(ui, `SysUptime: ${secsText(Math.floor(uptime / 1000))} (${uptime}ms)`);
  t.add(F.numSamples, o + 8, 4, numSamples);
  o += 12;
  if (p.wantColumns) {
    const sub = subAgent >= 0 ? `, sub-agent ID ${subAgent}` : '';
    p.setInfo(`V${version}, agent ${agent}${sub}, seq ${seq}, ${numSamples} samples`);
  }
  if (version !== 5) {
    // sFlow v2/v4 samples are not decoded.
    t.close();
    return;
  }
  for (let i = 0; i < numSamples && i < MAX_ITEMS && o < end; i++) {
    if (p.short('sFlow', buf, o, 8, end)) return;
    const format = u32(buf, o);
    const length = u32(buf, o + 4);
    const body = o + 8;
    const sampleEnd = body + length;
    const si = t.addText(o, 8 + length, SAMPLE_TYPES.get(format & 0xfff) ?? 'Unknown sample');
    t.open(si);
    t.add(F.enterprise, o, 4, Math.floor(format / 4096));
    t.add(F.sampleType, o, 4, format & 0xfff);
    t.add(F.sampleLength, o + 4, 4, length);
    if (sampleEnd > end) {
      p.malformed('sFlow');
      return;
    }
    // Only standard (enterprise 0) samples are decoded.
    if (format === 1 || format === 3) flowSample(p, buf, body, sampleEnd, format === 3, [top, si]);
    else if (format === 2 || format === 4) {
      if (body + 4 <= capEnd && t.full) t.setLabel(si, `Counters sample, seq ${u32(buf, body)}`);
    }
    t.close();
    o = sampleEnd;
  }
  t.close();
}

/** `open` is the chain of open tree items (datagram, sample) to restore after a sampled packet. */
function flowSample(p: Packet, buf: Uint8Array, o: number, end: number, expanded: boolean, open: number[]): void {
  const t = p.tree;
  const item = open[open.length - 1];
  const fixed = expanded ? 44 : 32;
  if (p.short('sFlow', buf, o, fixed, end)) return;
  const seq = u32(buf, o);
  if (t.full) t.setLabel(item, `${expanded ? 'Expanded flow sample' : 'Flow sample'}, seq ${seq}`);
  t.add(F.flowSequenceNumber, o, 4, seq);
  if (expanded) {
    t.add(F.sourceIdType, o + 4, 4, u32(buf, o + 4));
    t.add(F.sourceIdIndexExpanded, o + 8, 4, u32(buf, o + 8));
  } else {
    t.add(F.sourceIdClass, o + 4, 4, buf[o + 4]);
    t.add(F.sourceIdIndex, o + 4, 4, u32(buf, o + 4) & 0xffffff);
  }
  const a = expanded ? o + 12 : o + 8;
  const rate = u32(buf, a);
  const ri = t.add(F.samplingRate, a, 4, rate);
  if (t.full) t.setLabel(ri, `Sampling rate: 1 out of ${rate} packets`);
  const pool = t.add(F.samplePool, a + 4, 4, u32(buf, a + 4));
  if (t.full) t.setLabel(pool, `Sample pool: ${u32(buf, a + 4)} total packets`);
  t.add(F.droppedPackets, a + 8, 4, u32(buf, a + 8));
  if (!expanded) {
    t.add(F.inputInterface, a + 12, 4, u32(buf, a + 12));
    outputInterface(p, buf, a + 16);
  }
  const records = u32(buf, o + fixed - 4);
  t.add(F.flowRecord, o + fixed - 4, 4, records);
  let r = o + fixed;
  for (let i = 0; i < records && i < MAX_ITEMS && r < end; i++) {
    if (p.short('sFlow', buf, r, 8, end)) return;
    const format = u32(buf, r);
    const length = u32(buf, r + 4);
    const recordEnd = r + 8 + length;
    const ri = t.addText(r, 8 + length, FLOW_RECORD_FORMATS.get(format & 0xfff) ?? 'Unknown format');
    t.open(ri);
    t.add(F.enterprise, r, 4, Math.floor(format / 4096));
    t.add(F.flowRecordFormat, r, 4, format & 0xfff);
    t.add(F.flowDataLength, r + 4, 4, length);
    if (recordEnd > end) {
      p.malformed('sFlow');
      return;
    }
    if (format === 1) rawPacketHeader(p, buf, r + 8, recordEnd, [...open, ri]);
    t.close();
    r = recordEnd;
  }
}

/** The output interface word: an ifIndex, or (top bit set) a format and a value. */
function outputInterface(p: Packet, buf: Uint8Array, o: number): void {
  const t = p.tree;
  const v = u32(buf, o);
  if (v < 0x80000000) {
    t.add(F.outputInterface, o, 4, v);
    return;
  }
  const i = t.full ? t.addText(o, 4, `Output interface: 0x${v.toString(16).padStart(8, '0')}`) : -1;
  t.open(i);
  t.add(F.outputInterfaceFormat, o, 4, v >>> 30);
  t.add(F.outputInterfaceValue, o, 4, v & 0x3fffffff);
  t.close();
}

/** Wireshark's unsigned_time_secs_to_str ("3 days, 7 hours, 37 minutes, 15 seconds"). */
function secsText(secs: number): string {
  if (secs === 0) return '0 seconds';
  return msecsText(secs * 1000);
}

/** A sampled packet's first bytes, dissected by their link or network protocol. */
function rawPacketHeader(p: Packet, buf: Uint8Array, o: number, end: number, open: number[]): void {
  const t = p.tree;
  if (p.short('sFlow', buf, o, 16, end)) return;
  const protocol = u32(buf, o);
  t.add(F.headerProtocol, o, 4, protocol);
  t.add(F.frameLength, o + 4, 4, u32(buf, o + 4));
  t.add(F.payloadStripped, o + 8, 4, u32(buf, o + 8));
  const length = u32(buf, o + 12);
  t.add(F.sampledHeaderLength, o + 12, 4, length);
  const h = o + 16;
  if (length > end - h) {
    p.malformed('sFlow');
    return;
  }
  const hi = t.add(F.header, h, Math.min(length, Math.max(0, Math.min(end, buf.length) - h)));
  const next =
    protocol === HEADER_ETHERNET
      ? dissectEthernetWithoutFcs
      : protocol === HEADER_IPV4
        ? ethertypeTable.get(0x0800)
        : protocol === HEADER_IPV6
          ? ethertypeTable.get(0x86dd)
          : undefined;
  if (!next || length === 0) return;
  // The sampled packet must change neither the columns nor what the frame's own packet set
  // (addresses, ports, TCP analysis state): Wireshark makes the columns read-only for it.
  // Wireshark also ignores the bounds errors of the (usually cut) sampled packet.
  const saveError = p.inErrorPacket;
  const saveColumns = p.wantColumns;
  const saveMalformed = p.malformedCount;
  const saveTruncated = p.truncatedCount;
  const saveExperts = p.experts.length;
  p.inErrorPacket = true;
  p.wantColumns = false;
  t.open(hi);
  try {
    next(p, buf, h, h + length);
  } finally {
    p.inErrorPacket = saveError;
    p.wantColumns = saveColumns;
    p.malformedCount = saveMalformed;
    p.truncatedCount = saveTruncated;
    if (p.experts.length > saveExperts) p.experts.length = saveExperts;
    // The sampled packet's dissectors may have closed every subtree: reopen the sFlow ones.
    t.closeAll();
    for (const i of open) t.open(i);
  }
}

udpPortTable.add(6343, dissectSflow);
carriesFrames.add(dissectSflow);
