import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Dissection } from './index.js';
import type { Packet } from './packet.js';
import { LINKTYPE } from './linktypes.js';
import { detailsText } from '../output/details.js';
import { hex, fieldText as field, labelText as label } from './test-support.js';

// Expected values were checked with tshark 4.0.17 on the same frames (802.3 frames to the
// spanning-tree multicast address).

function dissect(bytes: Uint8Array, origLen = bytes.length): Packet {
  const d = new Dissection({ full: true });
  return d.dissect({
    data: bytes,
    tsSec: 0,
    tsNsec: 0,
    capLen: bytes.length,
    origLen,
    linkType: LINKTYPE.ETHERNET,
    interfaceId: 0,
  });
}

/** An 802.3 frame (destination 01:80:c2:00:00:00) whose length field counts `payload`. */
function frame8023(payload: string): Uint8Array {
  const body = hex(payload);
  const f = new Uint8Array(14 + body.length);
  f.set(hex('0180c2000000 fe5400107593'));
  f[12] = body.length >> 8;
  f[13] = body.length & 0xff;
  f.set(body, 14);
  return f;
}

// suricata tls-subjectaltname.pcap frame 5: a configuration BPDU.
const CONFIG_BPDU = '0000 00 00 00 80005254002f9f43 00000000 80005254002f9f43 8005 0000 1400 0200 0200';

describe('LLC', () => {
  it('dissects DSAP, SSAP and a UI control field', () => {
    const p = dissect(frame8023(`424203 ${CONFIG_BPDU}`));
    expect(field(p, 'llc.dsap')).toBe('0x42');
    expect(field(p, 'llc.ssap')).toBe('0x42');
    expect(field(p, 'llc.control')).toBe('0x0003');
    expect(field(p, 'llc.control.ftype')).toBe('0x03');
    expect(label(p, 'llc.dsap')).toBe('DSAP: Spanning Tree BPDU (0x42)');
    expect(label(p, 'llc.dsap.sap')).toBe('0100 001. = SAP: Spanning Tree BPDU');
    expect(label(p, 'llc.dsap.ig')).toBe('.... ...0 = IG Bit: Individual');
    expect(label(p, 'llc.ssap.cr')).toBe('.... ...0 = CR Bit: Command');
    expect(label(p, 'llc.control')).toBe('Control field: U, func=UI (0x03)');
    expect(label(p, 'llc.control.u_modifier_cmd')).toBe('000. 00.. = Command: Unnumbered Information (0x00)');
    expect(label(p, 'llc.control.ftype')).toBe('.... ..11 = Frame type: Unnumbered frame (0x3)');
  });

  it('writes the control and SAPs into Info when nothing above does', () => {
    expect(dissect(frame8023('1213 03 0102030405060708090a0b0c0d')).infoCol).toBe(
      'U, func=UI; DSAP 0x12 Individual, SSAP 0x12 Response',
    );
    expect(dissect(frame8023('1312 13 0102030405060708090a0b0c0d')).infoCol).toBe(
      'U P, func=UI; DSAP 0x12 Group, SSAP 0x12 Command',
    );
    expect(dissect(frame8023('1213 bf 0102030405060708090a0b0c0d')).infoCol).toBe(
      'U F, func=XID; DSAP 0x12 Individual, SSAP 0x12 Response',
    );
    // I and S frames have a 2-byte little-endian control field.
    const i = dissect(frame8023('1213 0205 0102030405060708090a0b0c'));
    expect(i.infoCol).toBe('I P, N(R)=2, N(S)=1; DSAP 0x12 Individual, SSAP 0x12 Response');
    expect(field(i, 'llc.control')).toBe('0x0502');
    expect(label(i, 'llc.control')).toBe('Control field: I P, N(R)=2, N(S)=1 (0x0502)');
    const s = dissect(frame8023('1212 0905 0102030405060708090a0b0c'));
    expect(s.infoCol).toBe('S P, func=REJ, N(R)=2; DSAP 0x12 Individual, SSAP 0x12 Command');
    expect(field(s, 'llc.control.s_ftype')).toBe('0x0002');
    expect(s.protocols()).toBe('eth:llc:data');
    expect(s.protocolCol).toBe('LLC');
  });

  it('hands SNAP with OUI 0 straight to the EtherType table (no ethertype layer)', () => {
    const p = dissect(frame8023('aaaa03 000000 0800 45000014 00010000 40ff0000 0a000001 0a000002'));
    expect(p.protocols()).toBe('eth:llc:ip');
    expect(field(p, 'llc.oui')).toBe('0');
    expect(field(p, 'llc.type')).toBe('0x0800');
  });

  it('shows SNAP with an unknown OUI as data and names it in Info', () => {
    const p = dissect(frame8023('aaaa03 123456 2000 0102030405060708'));
    expect(p.protocols()).toBe('eth:llc:data');
    expect(p.infoCol).toBe('U, func=UI; SNAP, OUI 0x123456 (Unknown), PID 0x2000');
    expect(field(p, 'llc.pid')).toBe('0x2000');
    expect(label(p, 'llc.oui')).toBe('Organization Code: 12:34:56');
  });

  it('names Cisco SNAP PIDs', () => {
    const p = dissect(frame8023('aaaa03 00000c 2000 0102030405060708'));
    expect(field(p, 'llc.cisco_pid')).toBe('0x2000');
    expect(label(p, 'llc.oui')).toBe('Organization Code: 00:00:0c (Cisco Systems, Inc)');
  });

  it('marks a header cut short as malformed', () => {
    const p = dissect(frame8023('4242'));
    expect(p.protocols()).toBe('eth:llc');
    expect(field(p, 'llc.dsap')).toBe('0x42');
    expect(p.infoCol).toBe('[Malformed Packet]');
    const snap = dissect(frame8023('aaaa03 0000'));
    expect(snap.infoCol).toBe('U, func=UI[Malformed Packet]');
  });
});

describe('STP', () => {
  it("writes Wireshark's Info for a configuration BPDU", () => {
    const p = dissect(frame8023(`424203 ${CONFIG_BPDU}`));
    expect(p.protocols()).toBe('eth:llc:stp');
    expect(p.protocolCol).toBe('STP');
    expect(p.infoCol).toBe('Conf. Root = 32768/0/52:54:00:2f:9f:43  Cost = 0  Port = 0x8005');
    expect(field(p, 'stp.root.prio')).toBe('32768');
    expect(field(p, 'stp.root.hw')).toBe('52:54:00:2f:9f:43');
    expect(field(p, 'stp.port')).toBe('0x8005');
    expect(field(p, 'stp.max_age')).toBe('20');
    expect(detailsText(p)).toContain('    Root Identifier: 32768 / 0 / 52:54:00:2f:9f:43\n');
  });

  it('marks topology changes and reads the time units', () => {
    const p = dissect(
      frame8023('424203 0000 00 00 81 8000525400 2f9f43 00000004 8001001122334455 8005 0180 1400 0200 0f00'),
    );
    expect(p.infoCol).toBe('Conf. TC + Root = 32768/0/52:54:00:2f:9f:43  Cost = 4  Port = 0x8005');
    expect(field(p, 'stp.bridge.ext')).toBe('1');
    expect(field(p, 'stp.msg_age')).toBe('1.5');
    expect(label(p, 'stp.flags')).toBe('BPDU flags: 0x81, Topology Change Acknowledgment, Topology Change');
  });

  it('dissects rapid spanning tree BPDUs with all their flags', () => {
    const p = dissect(
      frame8023('424203 0000 02 02 7f 1001525400 2f9f43 00000000 1001001122334455 8005 0000 1400 0200 0f00 00'),
    );
    expect(p.infoCol).toBe('RST. TC + Root = 4096/1/52:54:00:2f:9f:43  Cost = 0  Port = 0x8005');
    expect(label(p, 'stp.flags')).toBe(
      'BPDU flags: 0x7f, Agreement, Forwarding, Learning, Port Role: Designated, Proposal, Topology Change',
    );
    expect(field(p, 'stp.flags.port_role')).toBe('3');
    expect(field(p, 'stp.version_1_length')).toBe('0');
  });

  it('dissects topology change notifications', () => {
    const p = dissect(frame8023('424203 0000 00 80'));
    expect(p.infoCol).toBe('Topology Change Notification');
    expect(field(p, 'stp.type')).toBe('0x80');
  });

  it('marks a short BPDU malformed', () => {
    const p = dissect(frame8023('424203 0000 00 00 00 8000'));
    expect(p.malformedCount).toBe(1);
  });
});

describe('LLC and STP robustness', () => {
  it('never throws on random LLC payloads or truncations', () => {
    const d = new Dissection({ full: true });
    const saps = fc.constantFrom(0x42, 0xaa, 0x06, 0x12, 0xe0, 0xf0);
    fc.assert(
      fc.property(saps, fc.uint8Array({ maxLength: 80 }), fc.nat(120), (sap, body, cut) => {
        const payload = new Uint8Array(2 + body.length);
        payload[0] = sap;
        payload[1] = sap;
        payload.set(body, 2);
        const f = new Uint8Array(14 + payload.length);
        f.set(hex('0180c2000000 fe5400107593'));
        f[12] = payload.length >> 8;
        f[13] = payload.length & 0xff;
        f.set(payload, 14);
        const data = f.subarray(0, Math.min(f.length, 14 + cut));
        const p = d.dissect({
          data,
          tsSec: 0,
          tsNsec: 0,
          capLen: data.length,
          origLen: f.length,
          linkType: 1,
          interfaceId: 0,
        });
        expect(p.experts.some((e) => e.message.startsWith('Dissector error'))).toBe(false);
      }),
    );
  });
});
