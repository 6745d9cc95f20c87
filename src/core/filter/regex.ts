// Wireshark's `matches` takes PCRE2 patterns, caseless by default; JavaScript's RegExp reads the
// common subset the same way. This translates what has an equivalent and refuses the rest with
// a reason, so a pattern never silently means something else.

/** A RegExp for a PCRE pattern, or a message saying why it cannot be used. */
export function translateRegex(pattern: string): RegExp | string {
  const flags = new Set(['i']);
  // Wireshark 4.0 compiles patterns without PCRE2_UTF: they match bytes. The subject is given as
  // one character per byte, so the pattern is too ("·+" repeats the last byte of "·", as there).
  let src = String.fromCharCode(...new TextEncoder().encode(pattern));
  // Leading option settings: (?i), (?-i), (?s), (?m), (?x) combinations.
  for (;;) {
    const m = /^\(\?([imsx]*)(?:-([imsx]*))?\)/.exec(src);
    if (!m || m[0] === '(?)') break;
    for (const f of m[1]) flags.add(f);
    for (const f of m[2] ?? '') flags.delete(f);
    src = src.slice(m[0].length);
  }
  if (flags.has('x')) return 'the (?x) extended mode has no JavaScript equivalent';
  let out = '';
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') {
      const e = src[i + 1];
      if (e === undefined) return 'the pattern ends with a lone backslash';
      if (e === 'Q') {
        const end = src.indexOf('\\E', i + 2);
        const lit = src.slice(i + 2, end < 0 ? src.length : end);
        out += lit.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
        i = end < 0 ? src.length : end + 1;
        continue;
      }
      if (e === 'A' && !inClass) out += '^';
      else if ((e === 'z' || e === 'Z') && !inClass) out += e === 'Z' ? '(?=\\n?$)' : '$';
      else if (e === 'h') out += inClass ? ' \\t' : '[ \\t]';
      else if ('KRXCGNVHEe'.includes(e) || e === 'p' || e === 'P') return `"\\${e}" has no JavaScript equivalent`;
      else out += c + e;
      i++;
      continue;
    }
    if (inClass) {
      if (c === '[' && src[i + 1] === ':') {
        const m = /^\[:(\^?)(\w+):\]/.exec(src.slice(i));
        const posix: Record<string, string> = {
          alpha: 'A-Za-z',
          digit: '0-9',
          alnum: 'A-Za-z0-9',
          upper: 'A-Z',
          lower: 'a-z',
          space: ' \\t\\n\\r\\f\\v',
          xdigit: '0-9A-Fa-f',
          punct: '!-\\/:-@\\[-`{-~',
          word: '\\w',
        };
        if (!m || m[1] || !(m[2] in posix)) return `the character class "${m?.[0] ?? '[:'}" is not supported`;
        out += posix[m[2]];
        i += m[0].length - 1;
        continue;
      }
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      if (src[i + 1] === '^') out += src[++i];
      if (src[i + 1] === ']') {
        out += '\\]';
        i++;
      }
      continue;
    }
    if (c === '(' && src[i + 1] === '?') {
      const rest = src.slice(i + 2);
      if (rest.startsWith('P<')) {
        out += '(?<';
        i += 3;
        continue;
      }
      if (/^(:|=|!|<=|<!|<[A-Za-z])/.test(rest)) {
        out += c;
        continue;
      }
      return `the group "(?${rest.slice(0, 2)}" has no JavaScript equivalent`;
    }
    if ((c === '+' || c === '?') && /[*+?}]/.test(src[i - 1] ?? '') && src[i - 2] !== '\\') {
      if (c === '+') return 'possessive quantifiers ("*+", "++") have no JavaScript equivalent';
    }
    out += c;
  }
  try {
    return new RegExp(out, [...flags].join(''));
  } catch (err) {
    return err instanceof Error ? err.message.replace(/^Invalid regular expression: /, '') : String(err);
  }
}
