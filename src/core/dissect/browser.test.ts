import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Dissection } from './index.js';
import { readCaptureBytes } from '../capture/reader.js';
import { fieldText, hex, neverThrows } from './test-support.js';
import { LINKTYPE } from './linktypes.js';

// Browser announcements of suricata__tls-subjectaltname.pcap; the expected columns are tshark
// 4.0's (oracle/expected), the field values those of `tshark -V` on the same frames.
const CAPTURES = new URL('../../../../shared/captures/', import.meta.url).pathname;

interface Seen {
  protocol: string;
  info: string;
  protocols: string;
  fields: Record<string, string>;
}

function captureFrames(name: string, wanted: number[], fields: string[]): Map<number, Seen> {
  const d = new Dissection({ full: true });
  const out = new Map<number, Seen>();
  readCaptureBytes(new Uint8Array(readFileSync(CAPTURES + name)), (frame) => {
    const p = d.dissect(frame);
    if (!wanted.includes(p.meta.number)) return true;
    const values: Record<string, string> = {};
    for (const f of fields) values[f] = fieldText(p, f);
    out.set(p.meta.number, { protocol: p.protocolCol, info: p.infoCol, protocols: p.protocols(), fields: values });
    return true;
  });
  return out;
}

describe('BROWSER over SMB mailslots over NBDGM', () => {
  const frames = captureFrames(
    'suricata__tls-subjectaltname.pcap',
    [16, 17, 252, 2623, 2862],
    [
      'nbdgm.source_name',
      'nbdgm.destination_name',
      'smb.cmd',
      'mailslot.name',
      'browser.server',
      'browser.server_type',
    ],
  );

  it('names announcements with the host and its server types, as Wireshark 4.0', () => {
    expect(frames.get(17)).toMatchObject({
      protocol: 'BROWSER',
      info: 'Host Announcement USER-PC, Workstation, Server, NT Workstation, Potential Browser',
      protocols: 'eth:ethertype:ip:udp:nbdgm:smb:browser',
    });
    expect(frames.get(17)!.fields).toEqual({
      'nbdgm.source_name': 'USER-PC<20>',
      'nbdgm.destination_name': 'WORKGROUP<1d>',
      'smb.cmd': '0x25',
      'mailslot.name': '\\MAILSLOT\\BROWSE',
      'browser.server': 'USER-PC',
      'browser.server_type': '0x00011003',
    });
    expect(frames.get(2623)!.info).toBe('Domain/Workgroup Announcement WORKGROUP, NT Workstation, Domain Enum');
    expect(frames.get(2862)!.info).toBe(
      'Local Master Announcement USER-PC, Workstation, Server, NT Workstation, Potential Browser, Master Browser',
    );
  });

  it('names requests and elections', () => {
    expect(frames.get(16)!.info).toBe('Request Announcement USER-PC');
    expect(frames.get(252)!.info).toBe('Browser Election Request');
    expect(frames.get(252)!.fields['browser.server']).toBe('USER-PC');
  });

  it('never throws on random bytes after an NBDGM header', () => {
    // Ethernet + IPv4 (no options) + UDP 138 -> 138, then a direct_group header start.
    const prefix = hex(
      'ffffffffffff 0011223344 55 0800 4500 00ce 0000 0000 8011 0000 c0a864ce c0a864ff 008a 008a 00ba 0000 1102',
    );
    neverThrows(LINKTYPE.ETHERNET, prefix);
  });
});
