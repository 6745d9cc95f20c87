import { describe, expect, it } from 'vitest';
import { Dissection } from './index.js';
import { fieldText } from './test-support.js';
import { CUSTOM_BLOCK_LINK_TYPE } from '../capture/frame.js';

// The custom blocks of pcapngtg__le_test018.pcapng; expected columns are tshark 4.0's.
const DATA = new TextEncoder().encode('an example Custom Block\0');

function custom(pen: number, copyAllowed: boolean) {
  const d = new Dissection({ full: true });
  return d.dissect({
    data: DATA,
    tsSec: 0,
    tsNsec: 0,
    capLen: DATA.length,
    origLen: DATA.length,
    linkType: CUSTOM_BLOCK_LINK_TYPE,
    interfaceId: 0,
    hasTimestamp: false,
    custom: { pen, copyAllowed },
  });
}

describe('pcapng custom blocks', () => {
  it('names the enterprise and the copy flag, and shows the custom data as data', () => {
    const p = custom(32473, true);
    expect(p.protocolCol).toBe('PCAPNG');
    expect(p.infoCol).toBe(
      'Custom Block: PEN = Example Enterprise Number for Documentation Use (32473), will be copied',
    );
    expect(p.protocols()).toBe('data');
    expect(fieldText(p, 'frame.cb_pen')).toBe('32473');
    expect(fieldText(p, 'data.len')).toBe('24');
  });

  it('says when the block must not be copied, and Unknown for an enterprise it does not know', () => {
    expect(custom(36724, false).infoCol).toBe(
      'Custom Block: PEN = Kaplan Research and Application Prototyping (36724), will not be copied',
    );
    expect(custom(4_000_000_000, true).infoCol).toBe('Custom Block: PEN = Unknown (4000000000), will be copied');
  });
});
