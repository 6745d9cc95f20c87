// tshark-compatible command-line options. Parsed by hand because tshark's forms (-Vx, -e FIELD
// repeated, -E key=value, values glued to the letter as in -c10) don't fit a generic parser.

export interface TsharkOptions {
  read?: string;
  displayFilter?: string;
  readFilter?: string;
  twoPass: boolean;
  output: 'text' | 'fields' | 'json';
  fields: string[];
  fieldOptions: Record<string, string>;
  details: boolean;
  hex: boolean;
  count?: number;
  stats: string[];
  write?: string;
  quiet: boolean;
  printSummary: boolean;
  help: boolean;
  version: boolean;
}

export class UsageError extends Error {}

/** Options that take a value, with what the value is (for error messages). */
const WITH_VALUE: Record<string, string> = {
  r: 'a capture file name (or - for standard input)',
  Y: 'a display filter',
  R: 'a read filter',
  T: 'an output format (fields, json, text)',
  e: 'a field name',
  E: 'a field option (header=y, separator=/t, occurrence=a, aggregator=",", quote=d)',
  c: 'a packet count',
  z: 'a statistics specification',
  w: 'an output file name',
  o: 'a preference (name:value)',
  d: 'a decode-as rule',
  F: 'an output file type',
  t: 'a time format',
  j: 'a protocol filter',
  J: 'a protocol filter',
  O: 'a list of protocols',
};
const FLAGS = new Set(['2', 'V', 'x', 'q', 'P', 'n', 'h', 'v', 'l', 'S']);

export function parseTsharkArgs(argv: readonly string[]): TsharkOptions {
  const o: TsharkOptions = {
    twoPass: false,
    output: 'text',
    fields: [],
    fieldOptions: {},
    details: false,
    hex: false,
    stats: [],
    quiet: false,
    printSummary: false,
    help: false,
    version: false,
  };
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help') {
      o.help = true;
      continue;
    }
    if (a === '--version') {
      o.version = true;
      continue;
    }
    if (a.startsWith('--')) throw new UsageError(`unknown option ${a}`);
    if (!a.startsWith('-') || a === '-') {
      positionals.push(a);
      continue;
    }
    for (let k = 1; k < a.length; k++) {
      const letter = a[k];
      if (FLAGS.has(letter)) {
        applyFlag(o, letter);
        continue;
      }
      if (!(letter in WITH_VALUE)) throw new UsageError(`unknown option -${letter}${k > 1 ? ` (in ${a})` : ''}`);
      let value = a.slice(k + 1);
      if (value === '') {
        if (i + 1 >= argv.length) throw new UsageError(`option -${letter} needs ${WITH_VALUE[letter]}`);
        value = argv[++i];
      }
      applyValue(o, letter, value);
      break;
    }
  }
  if (positionals.length) {
    // tshark takes a trailing capture filter; reading a file, it is a display filter.
    o.displayFilter = positionals.join(' ');
  }
  return o;
}

function applyFlag(o: TsharkOptions, letter: string): void {
  switch (letter) {
    case '2':
      o.twoPass = true;
      break;
    case 'V':
      o.details = true;
      break;
    case 'x':
      o.hex = true;
      break;
    case 'q':
      o.quiet = true;
      break;
    case 'P':
      o.printSummary = true;
      break;
    case 'h':
      o.help = true;
      break;
    case 'v':
      o.version = true;
      break;
    default:
      // -n (no name resolution: synack never resolves names), -l (flush), -S: accepted, no effect.
      break;
  }
}

function applyValue(o: TsharkOptions, letter: string, value: string): void {
  switch (letter) {
    case 'r':
      o.read = value;
      break;
    case 'Y':
      o.displayFilter = value;
      break;
    case 'R':
      o.readFilter = value;
      break;
    case 'T':
      if (value === 'fields' || value === 'json' || value === 'text') o.output = value;
      else throw new UsageError(`-T ${value}: synack supports -T fields, -T json and -T text`);
      break;
    case 'e':
      o.fields.push(value);
      break;
    case 'E': {
      const eq = value.indexOf('=');
      if (eq < 1)
        throw new UsageError(`-E ${value}: expected name=value (header, separator, occurrence, aggregator, quote)`);
      const name = value.slice(0, eq);
      if (!['header', 'separator', 'occurrence', 'aggregator', 'quote', 'bom', 'escape'].includes(name))
        throw new UsageError(`-E ${value}: unknown field option ${name}`);
      o.fieldOptions[name] = value.slice(eq + 1);
      break;
    }
    case 'c': {
      const n = Number(value);
      if (!Number.isInteger(n) || n <= 0)
        throw new UsageError(`-c ${value}: the packet count must be a positive integer`);
      o.count = n;
      break;
    }
    case 'z':
      o.stats.push(value);
      break;
    case 'w':
      o.write = value;
      break;
    default:
      // -o, -d, -F, -t, -j, -J, -O: accepted for compatibility; see the README for what they do.
      break;
  }
}

export const TSHARK_HELP = `synack: a network protocol analyzer that explains TCP connections (tshark-compatible options)

Usage: synack [options] -r <file>
       synack connections <file> [--json] [--explain] [--stream N]
       synack follow <file> <stream>
       synack ui [<file>] [--port N] [--host H] [--no-open]

Input:
  -r <file>|-              read packets from a pcap or pcapng file (gzip allowed), or standard input
  -c <count>               stop after <count> packets
  -Y <filter>              show only the packets a display filter (Wireshark 4.0 syntax) selects
  -R <filter>              with -2: a read filter; the packets it rejects are dropped and not numbered
  -2                       two-pass analysis (accepted; synack's analysis is final in one pass)

Output:
  (default)                one line per packet: No. Time Source → Destination Protocol Length Info
  -V                       packet details tree
  -x                       hex and ASCII dump of each packet's bytes
  -T fields|json|text      output format
  -e <field>               a field to print with -T fields (repeatable); _ws.col.Info etc. for columns
  -E <option>=<value>      -T fields options:
                             header=y|n            print the field names first
                             separator=/t|/s|<c>   between fields (tab, space, a character)
                             occurrence=f|l|a|<n>  which occurrence of a repeated field
                             aggregator=,|/s|<c>   between occurrences
                             quote=d|s|n           quote values with " or ' or not at all
Statistics:
  -z <statistic>           printed after the packets (repeatable): conv,eth|ip|ipv6|tcp|udp,
                           endpoints,eth|ip|ipv6|tcp|udp, expert[,error|warn|note|chat],
                           follow,tcp,ascii|hex|raw,<stream>, io,phs[,<filter>],
                           io,stat,<interval>[,<filter>...], http,tree[,<filter>], dns,tree[,<filter>]
  -q                       print no packets (only the statistics)

  -h, --help               this help
  -v, --version            version
`;
