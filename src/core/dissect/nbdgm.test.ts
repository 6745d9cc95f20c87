import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readNetbiosName } from './nbdgm.js';
import { hex } from './test-support.js';

// Names from suricata__tls-subjectaltname.pcap frames 16 and 17, as tshark 4.0 shows them.
const encode = (name: string, type: number): Uint8Array => {
  const padded = name.padEnd(15, ' ') + String.fromCharCode(type);
  const out = [32];
  for (const ch of padded) {
    const c = ch.charCodeAt(0);
    out.push(0x41 + (c >> 4), 0x41 + (c & 15));
  }
  out.push(0);
  return Uint8Array.from(out);
};

describe('NetBIOS names in datagrams', () => {
  it('decodes the first-level encoding with the name type', () => {
    const b = hex('204646464445464643434e4641454443414341434143414341434143414341414100');
    expect(readNetbiosName(b, 0, b.length)).toEqual({ text: 'USER-PC<00>', type: 0, length: 34 });
    const w = encode('WORKGROUP', 0x1d);
    expect(readNetbiosName(w, 0, w.length)?.text).toBe('WORKGROUP<1d>');
    // Unprintable characters are shown as <hh> (the browser election group name, frame 2623).
    const m = encode('\x01\x02__MSBROWSE__\x02', 0x01);
    expect(readNetbiosName(m, 0, m.length)?.text).toBe('<01><02>__MSBROWSE__<02><01>');
  });

  it('appends the scope labels and reports names that are not encoded', () => {
    const scoped = Uint8Array.from([...encode('HOST', 0).slice(0, 33), 3, 0x63, 0x6f, 0x6d, 0]);
    expect(readNetbiosName(scoped, 0, scoped.length)?.text).toBe('HOST<00>.com');
    const plain = Uint8Array.from([3, 0x61, 0x62, 0x63, 0]);
    expect(readNetbiosName(plain, 0, plain.length)).toEqual({
      text: 'Illegal NetBIOS name (abc)',
      type: -1,
      length: 5,
    });
  });

  it('returns undefined for names cut short, and never throws', () => {
    const w = encode('WORKGROUP', 0x1d);
    expect(readNetbiosName(w, 0, 20)).toBeUndefined();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(300), (b, end) => {
        const r = readNetbiosName(b, 0, end);
        if (r) expect(r.length).toBeLessThanOrEqual(Math.min(b.length, end));
      }),
    );
  });
});
