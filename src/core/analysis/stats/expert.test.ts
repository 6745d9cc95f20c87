import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { readCaptureBytes } from '../../capture/reader.js';
import { Dissection } from '../../dissect/index.js';
import { ExpertStats } from './expert.js';

function expertText(capture: string, stats: ExpertStats): string {
  const d = new Dissection({ columns: false });
  const bytes = readFileSync(new URL(`../../../../../shared/captures/${capture}`, import.meta.url));
  readCaptureBytes(new Uint8Array(bytes), (f) => stats.add(d.dissect(f)));
  return stats.text();
}

describe('-z expert', () => {
  it('counts TCP sequence experts by severity, protocol and summary, most severe first', () => {
    const text = expertText('suricata__tcp-simple-gap2.pcap', new ExpertStats());
    expect(text).toMatch(/\nWarns \(\d+\)\n=============\n {3}Frequency {6}Group {11}Protocol {2}Summary\n/);
    expect(text).toContain(
      '           1   Sequence                TCP  Previous segment(s) not captured (common at capture start)\n',
    );
    expect(text).toContain('           1   Sequence                TCP  Duplicate ACK (#1)\n');
    expect(text.indexOf('Warns')).toBeLessThan(text.indexOf('Notes'));
    expect(text.indexOf('Notes')).toBeLessThan(text.indexOf('Chats'));
  });

  it('leaves out the levels below the one asked for (-z expert,warn)', () => {
    const text = expertText('suricata__tcp-simple-gap2.pcap', new ExpertStats('warn'));
    expect(text).toMatch(/Warns \(\d+\)/);
    expect(text).not.toContain('Notes');
    expect(text).not.toContain('Chats');
  });
});
