// The CLI's -Y and -R: matching frames only, capture frame numbers kept, tshark's exit status 2
// and positioned message for a bad filter, -R only with -2.

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('..', import.meta.url).pathname;
const synack = join(root, 'bin', 'synack');
const capture = join(root, '..', 'shared', 'captures', 'ppa__tcp_handshake.pcapng');

function run(args: string[]) {
  const r = spawnSync(synack, args, { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('synack -Y / -R', () => {
  it('prints only the matching frames, with their numbers in the capture', () => {
    const r = run(['-r', capture, '-Y', 'tcp.flags.syn == 1 && tcp.flags.ack == 1']);
    expect(r.code).toBe(0);
    expect(r.out.trimEnd().split('\n')).toHaveLength(1);
    expect(r.out).toMatch(/^ {4}2 +0\.132627 /);
  });

  it('counts -c over the frames read, as tshark does', () => {
    const r = run(['-r', capture, '-Y', 'tcp.flags.ack == 1', '-c', '2']);
    expect(
      r.out
        .trimEnd()
        .split('\n')
        .map((l) => l.trim().split(' ')[0]),
    ).toEqual(['2']);
  });

  it('takes a trailing filter as -Y and filters -T fields and -T json', () => {
    expect(run(['-r', capture, '-T', 'fields', '-e', 'frame.number', 'frame.len > 60']).out).toBe('1\n2\n');
    const json = JSON.parse(run(['-r', capture, '-T', 'json', '-Y', 'frame.number == 3']).out) as unknown[];
    expect(json).toHaveLength(1);
    expect(run(['-r', capture, '-T', 'json', '-Y', 'udp']).out).toBe('[\n]\n');
  });

  it('rejects a bad filter with the position marked, a suggestion and exit status 2', () => {
    const r = run(['-r', capture, '-Y', 'ip.src == "foo"']);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toContain('"foo" is not a valid IPv4 address.\n    ip.src == "foo"\n              ^~~~~\n');
    const unknown = run(['-r', capture, '-Y', 'tcp.prot == 80']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('Did you mean tcp.port?');
  });

  it('shows the fixed set when the elements are not separated by commas', () => {
    const r = run(['-r', capture, '-Y', 'tcp.port in {80 443}']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('tcp.port in {80, 443}');
  });

  it('wants -2 with -R, then drops the frames the read filter rejects and renumbers the rest', () => {
    const alone = run(['-r', capture, '-R', 'tcp']);
    expect(alone.code).toBe(1);
    expect(alone.err).toContain('-R without -2 is deprecated. For single-pass filtering use -Y.');
    const r = run([
      '-r',
      capture,
      '-2',
      '-R',
      'tcp.flags.ack == 1',
      '-T',
      'fields',
      '-e',
      'frame.number',
      '-e',
      'frame.len',
    ]);
    expect(r.out).toBe('1\t66\n2\t54\n');
  });
});
