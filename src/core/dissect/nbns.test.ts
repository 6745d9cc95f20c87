import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Dissection } from './index.js';
import { readCaptureBytes } from '../capture/reader.js';
import { fieldText, labelText } from './test-support.js';
import { netbiosNameText } from './nbns.js';

// Expected values were checked with tshark 4.0.17 on the same capture.

function rows(capture: string, abbrevs: string[], labels: string[] = []): string[][] {
  const d = new Dissection({ full: true });
  const out: string[][] = [];
  readCaptureBytes(new Uint8Array(readFileSync('../shared/captures/' + capture)), (frame) => {
    const p = d.dissect(frame);
    out.push([
      p.protocols(),
      p.protocolCol,
      p.infoCol,
      ...abbrevs.map((a) => fieldText(p, a)),
      ...labels.map((a) => labelText(p, a)),
    ]);
  });
  return out;
}

describe('NBNS', () => {
  it('decodes NetBIOS names and registrations (suricata__tls-subjectaltname.pcap)', () => {
    const r = rows('suricata__tls-subjectaltname.pcap', ['nbns.name', 'nbns.addr', 'nbns.ttl'], ['nbns.flags']);
    expect(r[0].slice(0, 4)).toEqual(['eth:ethertype:ip:udp:nbns', 'NBNS', 'Name query NB ISATAP<00>', 'ISATAP<00>']);
    expect(r[1].slice(2)).toEqual([
      'Registration NB WORKGROUP<1e>',
      'WORKGROUP<1e>,WORKGROUP<1e> (Browser Election Service)',
      '192.168.100.206',
      '300000',
      'Flags: 0x2910, Opcode: Registration, Recursion desired, Broadcast',
    ]);
    expect(r[1850][2]).toBe('Registration NB <01><02>__MSBROWSE__<02><01>');
  });

  it('shows unprintable name bytes in hex and drops trailing spaces', () => {
    const name = Uint8Array.from([1, 2, ...Array.from('__MSBROWSE__', (c) => c.charCodeAt(0)), 2, 1]);
    expect(netbiosNameText(name)).toEqual({ text: '<01><02>__MSBROWSE__<02>', type: 1 });
    const padded = Uint8Array.from([...Array.from('WORKGROUP      ', (c) => c.charCodeAt(0)), 0x1e]);
    expect(netbiosNameText(padded)).toEqual({ text: 'WORKGROUP', type: 0x1e });
  });
});
