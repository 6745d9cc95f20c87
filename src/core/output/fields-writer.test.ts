import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readCaptureBytes } from '../capture/reader.js';
import { Dissection } from '../dissect/index.js';
import { FieldsWriter, defaultFieldsOptions, type FieldsOptions } from './fields-writer.js';

const CAPTURES = '../shared/captures/';
const FIELDS = [
  'frame.number',
  'ip.src',
  'ip.addr',
  'tcp.port',
  'tcp.flags',
  'tcp.seq',
  'tcp.options.timestamp.tsval',
  'ip.id',
  'eth.addr',
  'frame.protocols',
  'frame.time_relative',
];

/** Every line of a capture through line() and through lineBytes(), decoded. */
function bothWays(capture: string, options: FieldsOptions): [string[], string[]] {
  const writer = new FieldsWriter(FIELDS, options, 9);
  const d = new Dissection({ wanted: writer.wantedIds(), columns: false });
  const strings: string[] = [];
  const bytes: string[] = [];
  readCaptureBytes(new Uint8Array(readFileSync(CAPTURES + capture)), (frame) => {
    const p = d.dissect(frame);
    strings.push(writer.line(p));
    const n = writer.lineBytes(p);
    bytes.push(Buffer.from(writer.bytes.subarray(0, n)).toString('utf8'));
  });
  return [strings, bytes];
}

describe('FieldsWriter.lineBytes', () => {
  for (const occurrence of ['a', 'f', 'l'] as const) {
    it(`writes the same text as line() (occurrence=${occurrence})`, () => {
      const options = { ...defaultFieldsOptions, occurrence, aggregator: ';', separator: '|' };
      for (const capture of ['pcapplusplus__tls.pcap', 'pcapplusplus__many_interfaces-1.pcapng']) {
        const [strings, bytes] = bothWays(capture, options);
        expect(bytes.length).toBeGreaterThan(0);
        expect(bytes).toEqual(strings);
      }
    });
  }

  it('is not used for quoting, numbered occurrences or column pseudo-fields', () => {
    expect(new FieldsWriter(['ip.src'], { ...defaultFieldsOptions, quote: '"' }).bytePath).toBe(false);
    expect(new FieldsWriter(['ip.src'], { ...defaultFieldsOptions, occurrence: 2 }).bytePath).toBe(false);
    expect(new FieldsWriter(['ip.src', '_ws.col.Info'], defaultFieldsOptions).bytePath).toBe(false);
    expect(new FieldsWriter(['ip.src', 'ip.src'], defaultFieldsOptions).bytePath).toBe(false);
    expect(new FieldsWriter(['ip.src'], defaultFieldsOptions).bytePath).toBe(true);
  });
});
