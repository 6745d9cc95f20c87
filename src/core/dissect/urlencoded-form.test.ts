import { describe, expect, it } from 'vitest';
import { mediaBodyTester } from './media-test-support.js';
import { dissectUrlencodedForm } from './urlencoded-form.js';
import { fieldText } from './test-support.js';

// The body is given straight to the dissector, as HTTP does after "HTTP/1.1 200 OK "; the Info
// and Protocol texts are tshark 4.0.17's for the same body over HTTP.
const { run, neverThrows } = mediaBodyTester(dissectUrlencodedForm);

describe('urlencoded-form', () => {
  it('urlencoded-form: keys and values, percent and plus decoded', () => {
    const { p } = run('q=a%2Bb+c&x', 'application/x-www-form-urlencoded');
    expect(p.infoCol).toBe('HTTP/1.1 200 OK  (application/x-www-form-urlencoded)');
    expect(fieldText(p, 'urlencoded-form.key')).toBe('q,x');
    expect(fieldText(p, 'urlencoded-form.value')).toBe('a+b c');
  });

  it('never throws on random bodies', () => {
    neverThrows(new Uint8Array(0));
  });
});
