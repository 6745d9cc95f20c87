// Wireshark's label for a value that occupies some bits of a wider integer: the bit picture
// ("0100 ...." for 4 in the top nibble of a byte), " = ", the name and the value's text.

/**
 * `value` occupies `count` bits starting `shift` bits above the lowest bit of a `width`-bit
 * integer (width a multiple of 4, at most 32).
 */
export function bitsLabel(
  value: number,
  shift: number,
  width: number,
  count: number,
  name: string,
  text: string,
): string {
  let s = '';
  for (let b = width - 1; b >= 0; b--) {
    if (b >= shift && b < shift + count) s += (Math.floor(value / 2 ** (b - shift)) & 1) === 1 ? '1' : '0';
    else s += '.';
    if (b > 0 && b % 4 === 0) s += ' ';
  }
  return `${s} = ${name}: ${text}`;
}

/** The same for any mask (bits need not be contiguous): `raw` is the whole `width`-bit integer. */
export function maskLabel(raw: number, mask: number, width: number, name: string, text: string): string {
  let s = '';
  for (let b = width - 1; b >= 0; b--) {
    const bit = 2 ** b;
    s += Math.floor(mask / bit) % 2 === 1 ? (Math.floor(raw / bit) % 2 === 1 ? '1' : '0') : '.';
    if (b > 0 && b % 4 === 0) s += ' ';
  }
  return `${s} = ${name}: ${text}`;
}
