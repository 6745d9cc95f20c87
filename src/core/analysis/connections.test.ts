import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readCaptureBytes } from '../capture/reader.js';
import { Dissection } from '../dissect/index.js';
import { ConnectionTable, type Connection } from './connections.js';

function report(path: URL): Connection[] {
  const table = new ConnectionTable();
  const d = new Dissection({ wanted: ConnectionTable.fieldIds(), columns: false });
  readCaptureBytes(new Uint8Array(readFileSync(path)), (f) => {
    table.add(d.dissect(f));
  });
  return table.connections();
}

const shared = (name: string) => new URL(`../../../../shared/captures/${name}`, import.meta.url);

describe('connection report', () => {
  it('describes the bundled sample: complete handshake, data both ways, FIN close (SF)', () => {
    const [c, ...rest] = report(new URL('../../../samples/http-handshake.pcap', import.meta.url));
    expect(rest).toHaveLength(0);
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
    expect(c.options.client).toMatchObject({ mss: 1460, sack_perm: true, timestamps: true });
    expect(c.close.how).toBe('fin');
    expect(c.state).toBe('SF');
    expect(c.history).toBe('ShADadfF');
    expect(c.handshake.isn_client).toBe(3003848926);
    expect(c.handshake.isn_server).toBe(3398218428);
    expect(c.first_data.client).toMatchObject({ frame: 4 });
    expect(c.first_data.client?.text).toMatch(/^GET \/ HTTP\/1\.1\\r\\nHost: 10\.10\.10\.5/);
    expect(c.first_data.server?.text).toMatch(/^HTTP\/1\.0 200 OK\\r\\n/);
    expect(c.bytes.client_to_server).toBeGreaterThan(0);
    expect(c.bytes.server_to_client).toBeGreaterThan(c.bytes.client_to_server);
  });

  it('marks a SYN answered by RST as refused (REJ)', () => {
    const [c] = report(shared('ppa__tcp_refuseconnection.pcapng'));
    expect(c.handshake.status).toBe('refused');
    expect(c.close.how).toBe('rst_server');
    expect(c.state).toBe('REJ');
    expect(c.history).toBe('Sr');
  });

  it('marks a lone SYN as unanswered (S0) and counts retransmitted SYNs', () => {
    const [one] = report(shared('zeek__syn.pcap'));
    expect(one.handshake.status).toBe('unanswered');
    expect(one.state).toBe('S0');
    const [many] = report(shared('zeek__option-sack.pcap'));
    expect(many.handshake.status).toBe('unanswered');
    expect(many.handshake.syn_retransmissions).toBe(3);
    expect(many.handshake.syn_times).toHaveLength(4);
  });

  it('says when the handshake was not captured (mid-connection start) and picks the higher port as client', () => {
    const [c] = report(shared('ppa__tcp_teardown.pcapng'));
    expect(c.handshake.status).toBe('not_seen');
    expect(c.client).toBe('172.16.16.128:3363');
    expect(c.close.how).toBe('fin');
  });

  it('recognises a split handshake where both sides send SYN', () => {
    const [c] = report(shared('suricata__split-handshake-4whs.pcap'));
    expect(c.handshake.status).toBe('simultaneous_open');
  });

  it('counts retransmitted data', () => {
    const [c] = report(shared('ppa__tcp_retransmissions.pcapng'));
    expect(c.retransmissions).toBe(5);
    expect(c.history).toContain('T');
  });
});
