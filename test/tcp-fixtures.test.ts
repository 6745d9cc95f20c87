// The connection report and the TCP expert flags on real traffic: the captures in
// test/fixtures/tcp/ were recorded by scripts/make-tcp-fixtures.sh between two network namespaces
// (client 10.10.14.31, server 10.10.10.5). Expected flag frames are tshark 4.0's
// (`tshark -r F -Y tcp.analysis.<flag>`); conn_state and history follow Zeek's definitions.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readCaptureBytes } from '../src/core/capture/reader.js';
import { Dissection } from '../src/core/dissect/index.js';
import { fieldByAbbrev } from '../src/core/dissect/fields.js';
import { ConnectionTable, type Connection } from '../src/core/analysis/connections.js';

const EXPERT_FLAGS = [
  'retransmission',
  'fast_retransmission',
  'spurious_retransmission',
  'out_of_order',
  'lost_segment',
  'ack_lost_segment',
  'duplicate_ack',
  'zero_window',
  'zero_window_probe',
  'zero_window_probe_ack',
  'window_update',
  'window_full',
  'keep_alive',
  'keep_alive_ack',
  'reused_ports',
] as const;
type ExpertFlag = (typeof EXPERT_FLAGS)[number];

interface Analysis {
  connections: Connection[];
  /** Frames carrying each tcp.analysis flag; flags no frame carries are left out. */
  flags: Partial<Record<ExpertFlag, number[]>>;
}

function analyse(name: string): Analysis {
  const flagIds = new Map<number, ExpertFlag>();
  for (const flag of EXPERT_FLAGS) {
    const field = fieldByAbbrev(`tcp.analysis.${flag}`);
    if (field) flagIds.set(field.id, flag);
  }
  const table = new ConnectionTable();
  const d = new Dissection({ wanted: [...ConnectionTable.fieldIds(), ...flagIds.keys()], columns: false });
  const flags: Analysis['flags'] = {};
  const bytes = new Uint8Array(readFileSync(new URL(`fixtures/tcp/${name}.pcap`, import.meta.url)));
  readCaptureBytes(bytes, (frame) => {
    const p = d.dissect(frame);
    table.add(p);
    const seen = new Set<ExpertFlag>();
    for (let i = 0; i < p.tree.count; i++) {
      const flag = flagIds.get(p.tree.field[i]);
      if (flag !== undefined) seen.add(flag);
    }
    for (const flag of seen) (flags[flag] ??= []).push(p.meta.number);
  });
  return { connections: table.connections(), flags };
}

function only(a: Analysis): Connection {
  expect(a.connections).toHaveLength(1);
  return a.connections[0];
}

describe('connection report and expert flags on real traffic (test/fixtures/tcp)', () => {
  it('http-complete: handshake, GET, response, FIN close from the server first (SF)', () => {
    const a = analyse('http-complete');
    const c = only(a);
    expect(c.client).toMatch(/^10\.10\.14\.31:\d+$/);
    expect(c.server).toBe('10.10.10.5:80');
    expect(c.handshake).toMatchObject({
      status: 'complete',
      syn_frame: 1,
      syn_ack_frame: 2,
      ack_frame: 3,
      syn_retransmissions: 0,
    });
    expect(c.handshake.rtt).toBeCloseTo((c.handshake.rtt_client ?? 0) + (c.handshake.rtt_server ?? 0), 9);
    expect(c.options.client).toEqual({ mss: 1460, window_scale: 10, sack_perm: true, timestamps: true, ecn: false });
    expect(c.options.server).toMatchObject({ mss: 1460, window_scale: 10, sack_perm: true, timestamps: true });
    expect(c.close).toMatchObject({ how: 'fin', fin_frames: [10, 11], rst_frames: [] });
    expect(c.state).toBe('SF');
    expect(c.history).toBe('ShADadfF');
    expect(c.bytes).toEqual({ client_to_server: 74, server_to_client: 336 });
    expect(c.packets).toEqual({ client_to_server: 6, server_to_client: 6 });
    expect(c.retransmissions).toBe(0);
    expect(a.flags).toEqual({});
  });

  it('refused: a SYN to a closed port answered by RST-ACK (REJ, Sr)', () => {
    const a = analyse('refused');
    const c = only(a);
    expect(c.server).toBe('10.10.10.5:81');
    expect(c.handshake).toMatchObject({ status: 'refused', syn_frame: 1, syn_ack_frame: null, ack_frame: null });
    expect(c.handshake.rtt).toBeNull();
    expect(c.close).toMatchObject({ how: 'rst_server', frames: [2], rst_frames: [2] });
    expect(c.state).toBe('REJ');
    expect(c.history).toBe('Sr');
    expect(c.bytes).toEqual({ client_to_server: 0, server_to_client: 0 });
    expect(a.flags).toEqual({});
  });

  it('unanswered: four SYNs with exponential back-off, no answer (S0)', () => {
    const a = analyse('unanswered');
    const c = only(a);
    expect(c.server).toBe('10.10.10.5:82');
    expect(c.handshake).toMatchObject({
      status: 'unanswered',
      syn_frame: 1,
      syn_ack_frame: null,
      syn_retransmissions: 3,
    });
    // Linux retries after 1 s, then doubles: about 1, 3 and 7 s after the first SYN.
    const [first, ...retries] = c.handshake.syn_times;
    expect(first).toBe(0);
    expect(retries).toHaveLength(3);
    [1, 3, 7].forEach((t, i) => expect(Math.abs(retries[i] - t)).toBeLessThan(0.5));
    expect(c.close.how).toBe('open');
    expect(c.close.frames).toEqual([]);
    expect(c.packets).toEqual({ client_to_server: 4, server_to_client: 0 });
    expect(c.state).toBe('S0');
    // Zeek records S again only for a SYN with a new sequence number; these are retransmissions.
    expect(c.history).toBe('S');
    expect(c.retransmissions).toBe(0); // data retransmissions only; SYNs are counted above
    expect(a.flags).toEqual({ retransmission: [2, 3, 4] });
  });

  it('lossy-bulk: 400 KB download with lost segments retransmitted after duplicate ACKs (SF, t)', () => {
    const a = analyse('lossy-bulk');
    const c = only(a);
    expect(c.server).toBe('10.10.10.5:5001');
    expect(c.handshake.status).toBe('complete');
    expect(c.close.how).toBe('fin');
    expect(c.state).toBe('SF');
    // Counted once despite the retransmissions, and truncated frames (snaplen 128) count in full.
    expect(c.bytes).toEqual({ client_to_server: 0, server_to_client: 409600 });
    expect(c.retransmissions).toBe(3);
    expect(c.history).toBe('ShAdtfFa');
    expect(c.history).not.toMatch(/[Gg]/); // every lost segment was captured before the loss
    expect(a.flags).toEqual({
      retransmission: [88, 155, 279],
      fast_retransmission: [88, 155],
      duplicate_ack: [84, 85, 86, 121, 122, 154],
      window_update: [334],
      window_full: [231, 277, 296],
    });
  });

  it('zero-window: the receiver stops reading, the window closes, probes, then an update (SF, w)', () => {
    const a = analyse('zero-window');
    const c = only(a);
    expect(c.server).toBe('10.10.10.5:5002');
    expect(c.handshake.status).toBe('complete');
    expect(c.close.how).toBe('fin');
    expect(c.state).toBe('SF');
    expect(c.bytes).toEqual({ client_to_server: 65536, server_to_client: 0 });
    // w: the server advertised a zero window; T: a segment its full buffer had dropped came again.
    expect(c.history).toBe('ShADaTwFf');
    expect(c.retransmissions).toBe(1);
    expect(c.duration).toBeGreaterThan(2.9); // the reader slept 3 s
    expect(a.flags).toEqual({
      retransmission: [8],
      zero_window: [9, 11, 14],
      window_update: [15],
      // Linux probes a zero window with a zero-length segment at SND.UNA-1: a keep-alive to Wireshark.
      keep_alive: [10, 12, 13],
      window_full: [7, 8, 17, 20, 23, 26, 29, 32, 35, 38, 41, 44, 47, 50, 53, 56, 59, 62, 65, 68, 71, 74, 77],
    });
  });

  it('keepalive: an idle connection kept alive every second, then a FIN close (SF)', () => {
    const a = analyse('keepalive');
    const c = only(a);
    expect(c.server).toBe('10.10.10.5:5003');
    expect(c.handshake.status).toBe('complete');
    expect(c.close).toMatchObject({ how: 'fin', fin_frames: [12, 13] });
    expect(c.state).toBe('SF');
    // Keep-alives carry no data and are not retransmissions.
    expect(c.history).toBe('ShAaFf');
    expect(c.bytes).toEqual({ client_to_server: 0, server_to_client: 0 });
    expect(c.retransmissions).toBe(0);
    expect(c.duration).toBeGreaterThan(4);
    expect(a.flags).toEqual({ keep_alive: [4, 6, 8, 10], keep_alive_ack: [7, 9, 11], window_update: [5] });
  });

  it('reset-mid-transfer: the server aborts with RST while the client uploads (RSTR)', () => {
    const a = analyse('reset-mid-transfer');
    const c = only(a);
    expect(c.server).toBe('10.10.10.5:5004');
    expect(c.handshake.status).toBe('complete');
    expect(c.close).toMatchObject({ how: 'rst_server', frames: [75], fin_frames: [], rst_frames: [75] });
    expect(c.state).toBe('RSTR');
    expect(c.history).toBe('ShADaTr');
    expect(c.bytes).toEqual({ client_to_server: 49152, server_to_client: 0 });
    expect(c.retransmissions).toBe(1);
    expect(a.flags).toEqual({ retransmission: [55] });
  });

  it('port-reuse: two connections from the same client port are two streams, the second flagged', () => {
    const a = analyse('port-reuse');
    expect(a.connections).toHaveLength(2);
    const [first, second] = a.connections;
    for (const c of a.connections) {
      expect(c.client).toBe('10.10.14.31:40000');
      expect(c.server).toBe('10.10.10.5:5005');
      expect(c.handshake.status).toBe('complete');
      expect(c.close.how).toBe('fin');
      expect(c.state).toBe('SF');
      expect(c.history).toBe('ShADadfF');
      expect(c.bytes).toEqual({ client_to_server: 8, server_to_client: 4 });
    }
    expect([first.stream, second.stream]).toEqual([0, 1]);
    expect([first.first_frame, first.last_frame]).toEqual([1, 10]);
    expect([second.first_frame, second.last_frame]).toEqual([11, 20]);
    expect(second.handshake).toMatchObject({ syn_frame: 11, syn_ack_frame: 12, ack_frame: 13 });
    expect(a.flags).toEqual({ reused_ports: [11] });
  });
});
