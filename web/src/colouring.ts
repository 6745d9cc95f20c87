// The packet list's colouring rules: Wireshark 4.0's default colorfilters (same order, same
// colours), each a list of alternatives. The worker keeps the alternatives whose fields synack
// knows (a rule about a protocol not dissected yet drops that part) and gives every packet the
// first rule that matches. DNS is an addition: Wireshark colours it as UDP. Wireshark's
// "Checksum Errors" rule is left out: like Wireshark 4.0, synack verifies no checksum by
// default, so the rule could never match and would only cost time on every packet.

export interface ColouringRule {
  name: string;
  /** Display filters OR-ed together; alternatives that do not compile are left out. */
  any: readonly string[];
  /**
   * Protocols (frame.protocols names) of which the packet must have one for the rule to match:
   * the worker skips the rule's filter without them (most packets are tried against a few rules).
   */
  needs: readonly string[];
  /** Background and text colours in the light theme; the dark theme uses darker backgrounds. */
  bg: string;
  fg: string;
  darkBg: string;
  darkFg: string;
}

export const COLOURING_RULES: readonly ColouringRule[] = [
  {
    name: 'Bad TCP',
    needs: ['tcp'],
    any: [
      'tcp.analysis.flags && !tcp.analysis.window_update && !tcp.analysis.keep_alive && !tcp.analysis.keep_alive_ack',
    ],
    bg: '#12272e',
    fg: '#f78787',
    darkBg: '#12272e',
    darkFg: '#f78787',
  },
  {
    name: 'ICMP errors',
    needs: ['icmp', 'icmpv6'],
    any: ['icmp.type in {3..5, 11}', 'icmpv6.type in {1..4}'],
    bg: '#12272e',
    fg: '#b7f774',
    darkBg: '#12272e',
    darkFg: '#b7f774',
  },
  { name: 'ARP', needs: ['arp'], any: ['arp'], bg: '#faf0d7', fg: '#12272e', darkBg: '#4a4430', darkFg: '#f3efe4' },
  {
    name: 'ICMP',
    needs: ['icmp', 'icmpv6'],
    any: ['icmp', 'icmpv6'],
    bg: '#fce0ff',
    fg: '#12272e',
    darkBg: '#4d3a52',
    darkFg: '#f6eaf8',
  },
  {
    name: 'TCP RST',
    needs: ['tcp'],
    any: ['tcp.flags.reset == 1'],
    bg: '#a40000',
    fg: '#fffc9c',
    darkBg: '#7a0000',
    darkFg: '#fffc9c',
  },
  {
    name: 'HTTP',
    needs: ['http', 'tcp', 'http2'],
    any: ['http', 'tcp.port == 80', 'http2'],
    bg: '#e4ffc7',
    fg: '#12272e',
    darkBg: '#33472a',
    darkFg: '#eef7e6',
  },
  { name: 'DNS', needs: ['dns'], any: ['dns'], bg: '#d7e7ff', fg: '#12272e', darkBg: '#2b3b55', darkFg: '#e6eefb' },
  {
    name: 'TCP SYN/FIN',
    needs: ['tcp'],
    any: ['tcp.flags & 0x02', 'tcp.flags.fin == 1'],
    bg: '#a0a0a0',
    fg: '#12272e',
    darkBg: '#5a5a5a',
    darkFg: '#f0f0f0',
  },
  { name: 'TCP', needs: ['tcp'], any: ['tcp'], bg: '#e7e6ff', fg: '#12272e', darkBg: '#34334d', darkFg: '#ecebfb' },
  { name: 'UDP', needs: ['udp'], any: ['udp'], bg: '#daeeff', fg: '#12272e', darkBg: '#283f52', darkFg: '#e4f1fb' },
  {
    name: 'Broadcast',
    needs: ['eth'],
    any: ['eth.dst[0] & 1'],
    bg: '#ffffff',
    fg: '#babdb6',
    darkBg: '#1e1e1e',
    darkFg: '#8a8d86',
  },
];

/** Colour id of a packet that no rule matched. */
export const NO_RULE = 255;
