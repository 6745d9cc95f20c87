// End-to-end tests of the tshark-compatible CLI: options, output formats and the errors a user
// can act on, on the bundled sample and on real captures from ../shared/captures.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

const root = new URL('..', import.meta.url).pathname;
const synack = join(root, 'bin', 'synack');
const sample = join(root, 'samples', 'http-handshake.pcap');
const shared = join(root, '..', 'shared', 'captures');

function run(args: string[], input?: Buffer) {
  const r = spawnSync(synack, args, { encoding: 'utf8', input, maxBuffer: 1 << 26 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('synack CLI', () => {
  it('prints one tshark-style line per packet by default', () => {
    const r = run(['-r', sample]);
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(8);
    expect(lines[0]).toMatch(/^ {4}1 +0\.000000 +10\.10\.14\.31 → 10\.10\.10\.5 +TCP \d+ \d+ → 80 \[SYN\] /);
    expect(lines[1]).toMatch(/10\.10\.10\.5 → 10\.10\.14\.31 +TCP \d+ 80 → \d+ \[SYN, ACK\]/);
  });

  it('stops after -c packets', () => {
    expect(run(['-r', sample, '-c', '2']).out.trimEnd().split('\n')).toHaveLength(2);
  });

  it('prints -T fields with -E header, separator, quote, occurrence and aggregator', () => {
    const r = run([
      '-r',
      sample,
      '-c',
      '1',
      '-T',
      'fields',
      '-E',
      'header=y',
      '-E',
      'separator=,',
      '-E',
      'quote=d',
      '-e',
      'frame.number',
      '-e',
      'ip.src',
      '-e',
      'tcp.flags',
      '-e',
      'udp.srcport',
    ]);
    expect(r.out).toBe('"frame.number","ip.src","tcp.flags","udp.srcport"\n"1","10.10.14.31","0x0002",\n');
    const all = run(['-r', sample, '-c', '1', '-T', 'fields', '-E', 'aggregator=/s', '-e', 'eth.addr']);
    expect(all.out.trim().split(' ')).toHaveLength(2);
    const first = run(['-r', sample, '-c', '1', '-T', 'fields', '-E', 'occurrence=f', '-e', 'eth.addr']);
    const last = run(['-r', sample, '-c', '1', '-T', 'fields', '-E', 'occurrence=l', '-e', 'eth.addr']);
    expect(all.out.trim()).toBe(`${first.out.trim()} ${last.out.trim()}`);
  });

  it('prints the column pseudo-fields', () => {
    const r = run([
      '-r',
      sample,
      '-c',
      '1',
      '-T',
      'fields',
      '-e',
      '_ws.col.Source',
      '-e',
      '_ws.col.Destination',
      '-e',
      '_ws.col.Protocol',
    ]);
    expect(r.out).toBe('10.10.14.31\t10.10.10.5\tTCP\n');
  });

  it('prints the details tree (-V) and the bytes (-x)', () => {
    const r = run(['-r', sample, '-c', '1', '-V', '-x']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Frame 1: \d+ bytes on wire/m);
    expect(r.out).toMatch(/^Ethernet II, Src: /m);
    expect(r.out).toMatch(/^Internet Protocol Version 4, Src: 10\.10\.14\.31, Dst: 10\.10\.10\.5$/m);
    expect(r.out).toMatch(/^Transmission Control Protocol, Src Port: \d+, Dst Port: 80/m);
    expect(r.out).toMatch(/^ {4}Destination Port: 80$/m);
    expect(r.out).toMatch(/^0000 {2}[0-9a-f]{2} [0-9a-f]{2} /m);
  });

  it('prints -T json in tshark structure', () => {
    const r = run(['-r', sample, '-c', '2', '-T', 'json']);
    const doc = JSON.parse(r.out) as { _source: { layers: Record<string, Record<string, unknown>> } }[];
    expect(doc).toHaveLength(2);
    const layers = doc[0]._source.layers;
    expect(Object.keys(layers)).toEqual(['frame', 'eth', 'ip', 'tcp']);
    expect(layers.ip['ip.src']).toBe('10.10.14.31');
    expect(layers.tcp['tcp.dstport']).toBe('80');
  });

  it('reads standard input and gzip-compressed captures', () => {
    const plain = run(['-r', sample]).out;
    expect(run(['-r', '-'], readFileSync(sample)).out).toBe(plain);
    expect(run(['-r', '-'], gzipSync(readFileSync(sample))).out).toBe(plain);
  });

  it('lists connections, as a table, as JSON and explained', () => {
    const table = run(['connections', sample]);
    expect(table.code).toBe(0);
    expect(table.out).toMatch(/^Stream +Client +Server +Handshake/);
    expect(table.out).toMatch(/10\.10\.10\.5:80 +complete .* SF /);
    const json = JSON.parse(run(['connections', sample, '--json']).out) as { handshake: { status: string } }[];
    expect(json.map((c) => c.handshake.status)).toEqual(['complete']);
    const explained = run(['connections', sample, '--explain']).out;
    expect(explained).toMatch(/Frame 1: the client 10\.10\.14\.31:\d+ asks to connect to port 80/);
    expect(explained).toMatch(/three-way handshake is complete/);
    const refused = run(['connections', join(shared, 'ppa__tcp_refuseconnection.pcapng'), '--explain']).out;
    expect(refused).toMatch(/nothing listens on port 80/);
  });

  it('keeps only the connections with a packet matching -Y', () => {
    const scan = join(shared, 'ppa__synscan.pcapng');
    const all = run(['connections', scan, '--json']);
    const reset = run(['connections', scan, '--json', '-Y', 'tcp.flags.reset == 1']);
    const every = JSON.parse(all.out) as { close: { how: string } }[];
    const some = JSON.parse(reset.out) as { close: { how: string } }[];
    expect(some.length).toBeGreaterThan(0);
    expect(some.length).toBeLessThan(every.length);
    expect(some.every((c) => c.close.how.startsWith('rst'))).toBe(true);
    const bad = run(['connections', sample, '-Y', 'tcp.prt == 81']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/Did you mean tcp\.port/);
  });

  it('rejects an unknown option', () => {
    const r = run(['-r', sample, '-K']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/unknown option -K/);
  });

  it('names close fields for an unknown field', () => {
    const r = run(['-r', sample, '-T', 'fields', '-e', 'tcp.srcprot']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/tcp\.srcprot/);
    expect(r.err).toMatch(/did you mean .*tcp\.srcport/);
  });

  it('says what a file that is not a capture looks like', () => {
    const r = run(['-r', join(root, 'README.md')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/not a capture file|isn't a capture/i);
    expect(r.err).toMatch(/text/i);
  });

  it('prints every whole packet of a file cut short, then says where, exit 2', () => {
    const bytes = readFileSync(sample);
    const dir = mkdtempSync(join(tmpdir(), 'synack-cli-'));
    const cut = join(dir, 'cut.pcap');
    writeFileSync(cut, bytes.subarray(0, bytes.length - 10));
    const whole = run(['-r', sample]).out.trimEnd().split('\n');
    const r = run(['-r', cut]);
    expect(r.code).toBe(2);
    expect(r.out.trimEnd().split('\n')).toEqual(whole.slice(0, whole.length - 1));
    expect(r.err).toMatch(/cut short/i);
    expect(r.err).toMatch(/packet \d+|frame \d+/i);
  });

  it('reports an unsupported file version like tshark', () => {
    const r = run(['-r', join(shared, 'libpcap__pcap-invalid-version-1.pcap')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/version/);
  });
});

describe('synack statistics and follow', () => {
  const google = join(shared, 'ppa__http_google.pcapng');

  it('prints -z statistics after the packets, or alone with -q, the last given first', () => {
    const r = run(['-r', google, '-z', 'conv,tcp']);
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[0]).toMatch(/^ +1 +0\.000000 /);
    expect(r.out).toContain('TCP Conversations\nFilter:<No Filter>\n');
    const q = run(['-r', google, '-q', '-z', 'conv,ip', '-z', 'endpoints,tcp']);
    expect(
      q.out.startsWith(
        '================================================================================\nTCP Endpoints\n',
      ),
    ).toBe(true);
    expect(q.out).toContain('IPv4 Conversations');
    expect(q.out).toContain(
      '172.16.16.128        <-> 74.125.95.104              7 5253 bytes       5 909 bytes      12 6162 bytes     0.000000000         0.1344\n',
    );
  });

  it("follows a TCP stream in tshark's format", () => {
    const r = run(['-r', google, '-q', '-z', 'follow,tcp,ascii,0']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      /^\n=+\nFollow: tcp,ascii\nFilter: tcp\.stream eq 0\nNode 0: 172\.16\.16\.128:1606\nNode 1: 74\.125\.95\.104:80\n627\nGET \/ HTTP\/1\.1\r\n/,
    );
    expect(r.out).toContain('\n\t1406\nHTTP/1.1 200 OK\r\n');
  });

  it('rejects an unknown -z statistic with the list of those it knows', () => {
    const r = run(['-r', google, '-z', 'foo']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/Invalid -z argument "foo"; it must be one of:\n {5}conv,eth\n/);
    expect(r.err).toContain('     follow,tcp');
  });

  it('synack follow prints both directions readably, retransmissions once, gaps marked', () => {
    const r = run(['follow', join(shared, 'pcapplusplus__tcp-reassembly.pcap'), '0']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('left out (retransmissions): frames 10\n');
    expect(r.out).toContain(
      '── 172.16.133.54:64370 → 23.21.118.18:80: 273 bytes, frame 4 ──\nGET /s1.js?d=469 HTTP/1.1\\r\n',
    );
    expect(r.out.match(/GET \/s2\.html\?d=469&t=Welcome/g)).toHaveLength(1);
    const gap = run(['follow', join(shared, 'suricata__tcp-simple-gap2.pcap'), '0']);
    expect(gap.out).toContain('VERY\n[4 bytes missing]\nDATA\n');
    const none = run(['follow', google, '3']);
    expect(none.code).toBe(1);
    expect(none.err).toMatch(/no TCP stream 3 .*streams are 0 to 0/);
  });
});
