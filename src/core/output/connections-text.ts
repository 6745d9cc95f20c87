// The connection report as text: a table (one row per TCP connection) and the step-by-step
// explanation of a connection for a person learning TCP. Isomorphic, so the web UI can use it.

import type { Connection } from '../analysis/connections.js';

function ms(seconds: number | null): string {
  return seconds === null ? '-' : (seconds * 1000).toFixed(3);
}

function pad(s: string, n: number, right = false): string {
  return right ? s.padStart(n) : s.padEnd(n);
}

/** One row per connection, with a header line. */
export function connectionsTable(list: readonly Connection[]): string {
  const rows = list.map((c) => [
    String(c.stream),
    c.client,
    c.server,
    c.handshake.status,
    ms(c.handshake.rtt),
    c.state,
    c.history,
    c.close.how,
    `${c.packets.client_to_server}/${c.packets.server_to_client}`,
    `${c.bytes.client_to_server}/${c.bytes.server_to_client}`,
    c.duration.toFixed(6),
  ]);
  const header = [
    'Stream',
    'Client',
    'Server',
    'Handshake',
    'RTT ms',
    'State',
    'History',
    'Close',
    'Packets c/s',
    'Bytes c/s',
    'Duration',
  ];
  const numeric = new Set([0, 4, 10]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) =>
    r
      .map((cell, i) => pad(cell, widths[i], numeric.has(i)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

function optionsText(o: Connection['options']['client']): string {
  const parts: string[] = [];
  if (o.mss !== null) parts.push(`maximum segment size ${o.mss} bytes`);
  if (o.window_scale !== null)
    parts.push(`window scale ${o.window_scale} (windows are multiplied by ${2 ** o.window_scale})`);
  if (o.sack_perm) parts.push('selective acknowledgements (SACK) permitted');
  if (o.timestamps) parts.push('timestamps');
  if (o.ecn) parts.push('ECN');
  return parts.length ? parts.join(', ') : 'no options';
}

const STATE_TEXT: Record<string, string> = {
  S0: 'connection attempt seen, no reply',
  S1: 'connection established, not closed in the capture',
  SF: 'normal establishment and termination',
  REJ: 'connection attempt rejected',
  S2: 'established, the client tried to close, no reply from the server',
  S3: 'established, the server tried to close, no reply from the client',
  RSTO: 'established, the client aborted it with a reset',
  RSTR: 'the server sent a reset',
  RSTOS0: 'the client sent a SYN and then a reset; no SYN-ACK was seen',
  RSTRH: 'the server sent a SYN-ACK and then a reset; no SYN was seen',
  SH: 'the client sent a SYN and then a FIN; no SYN-ACK was seen',
  SHR: 'the server sent a SYN-ACK and then a FIN; no SYN was seen',
  OTH: 'no SYN seen: only traffic from the middle of a connection',
};

/** A plain-language account of one connection, step by step, with frame numbers. */
export function explainConnection(c: Connection): string {
  const h = c.handshake;
  const out: string[] = [];
  out.push(`TCP connection ${c.stream}: ${c.client} → ${c.server}`);
  out.push('');
  const [, clientPort] = splitEndpoint(c.client);
  const [, serverPort] = splitEndpoint(c.server);
  switch (h.status) {
    case 'complete':
    case 'incomplete':
    case 'reset':
    case 'refused':
    case 'unanswered':
    case 'simultaneous_open':
      out.push(
        `1. Frame ${h.syn_frame}: the client ${c.client} asks to connect to port ${serverPort} of ${hostOf(c.server)} with a SYN ` +
          `from its port ${clientPort}. It offers ${optionsText(c.options.client)}.` +
          (h.isn_client !== null
            ? ` Its initial sequence number is ${h.isn_client} (Wireshark counts from it: relative sequence number 0).`
            : ''),
      );
      break;
    case 'syn_ack_only':
      out.push(`1. The client's SYN is not in the capture (it started after the SYN was sent).`);
      break;
    case 'not_seen':
      out.push(
        `The capture starts in the middle of this connection: neither the SYN nor the SYN-ACK is in it, so its ` +
          `options and round-trip time are unknown.`,
      );
      break;
  }
  if (h.syn_retransmissions > 0) {
    const gaps = h.syn_times.slice(1).map((t, i) => `${((t - h.syn_times[i]) * 1000).toFixed(0)} ms`);
    out.push(
      `   The client sent its SYN ${h.syn_retransmissions + 1} times (waiting ${gaps.join(', then ')}): ` +
        `each time it heard nothing back and waited longer before trying again (exponential back-off).`,
    );
  }
  if (h.syn_ack_frame !== null) {
    out.push(
      `2. Frame ${h.syn_ack_frame}: the server answers with a SYN-ACK: it acknowledges the client's SYN and sends its own. ` +
        `It offers ${optionsText(c.options.server)}.` +
        (h.isn_server !== null ? ` Its own initial sequence number is ${h.isn_server}.` : '') +
        (h.rtt_client !== null
          ? ` That took ${ms(h.rtt_client)} ms after the SYN (the network round trip seen from the client).`
          : ''),
    );
  }
  if (h.ack_frame !== null) {
    out.push(
      `3. Frame ${h.ack_frame}: the client acknowledges the SYN-ACK. The three-way handshake is complete` +
        (h.rtt_server !== null
          ? ` (${ms(h.rtt_server)} ms after the SYN-ACK; handshake round trip ${ms(h.rtt)} ms).`
          : '.'),
    );
  }
  out.push('');
  const data = c.bytes.client_to_server + c.bytes.server_to_client;
  if (data > 0) {
    out.push(
      `Data: the client sent ${c.bytes.client_to_server} bytes in ${c.packets.client_to_server} packets, the server ` +
        `${c.bytes.server_to_client} bytes in ${c.packets.server_to_client} packets, over ${c.duration.toFixed(3)} s.`,
    );
    const request = c.first_data.client;
    const response = c.first_data.server;
    if (request) out.push(`The client's first data (frame ${request.frame}) begins: ${firstLine(request.text)}`);
    if (response) out.push(`The server's first data (frame ${response.frame}) begins: ${firstLine(response.text)}`);
  } else out.push(`No data was exchanged (${c.packets.client_to_server + c.packets.server_to_client} packets in all).`);
  if (c.retransmissions > 0) {
    out.push(
      `Retransmissions: ${c.retransmissions} segments carried data that had been sent before: a sign of packet loss ` +
        `(or long delays) on the path. Check the link quality between the two hosts.`,
    );
  }
  switch (c.close.how) {
    case 'fin':
      out.push(`Closing: both sides sent FIN (frames ${c.close.fin_frames.join(', ')}): an orderly close.`);
      break;
    case 'half_closed':
      out.push(
        `Closing: only one side sent FIN (frame ${c.close.fin_frames.join(', ')}); the other direction was still open when the capture ended.`,
      );
      break;
    case 'rst_client':
    case 'rst_server':
      out.push(
        `Closing: the ${c.close.how === 'rst_client' ? 'client' : 'server'} reset the connection (RST in frame ${c.close.rst_frames[0]}): ` +
          `an abrupt end, without the orderly FIN exchange.`,
      );
      break;
    case 'open':
      out.push(`Closing: the connection was still open when the capture ended.`);
      break;
  }
  out.push('');
  out.push(verdict(c));
  out.push(`Zeek's view: state ${c.state} (${STATE_TEXT[c.state] ?? c.state}), history ${c.history || '-'}.`);
  return out.join('\n') + '\n';
}

function verdict(c: Connection): string {
  const port = splitEndpoint(c.server)[1];
  switch (c.handshake.status) {
    case 'complete':
      return c.retransmissions > 0
        ? 'Verdict: the connection worked, but with retransmissions: some packets were lost or delayed.'
        : 'Verdict: a healthy connection.';
    case 'refused':
      return (
        `Verdict: refused. The server host answered the SYN with a reset: it is up, but nothing listens on port ${port} ` +
        `(or a firewall rejects it). Check that the service is running and listening on that port and address.`
      );
    case 'unanswered':
      return (
        `Verdict: no answer. Nothing came back for the SYN: the host may be down, unreachable, or a firewall drops the ` +
        `packets silently. Check the route to ${hostOf(c.server)}, that the host is up, and firewalls on the way.`
      );
    case 'reset':
      return 'Verdict: the handshake was cut by a reset after the SYN-ACK, before the client completed it.';
    case 'incomplete':
      return 'Verdict: the client never acknowledged the SYN-ACK in the capture (the ACK was lost, or the capture stopped).';
    case 'syn_ack_only':
      return 'Verdict: only the server side of the handshake was captured; the capture probably started late.';
    case 'simultaneous_open':
      return 'Verdict: both sides sent a SYN (a simultaneous open, or a split handshake).';
    case 'not_seen':
      return 'Verdict: the handshake was not captured; only the rest of the connection is shown.';
  }
}

/** The text up to its first line break (as escaped by the report), quoted. */
function firstLine(text: string): string {
  const cut = text.indexOf('\\r\\n');
  const line = cut >= 0 ? text.slice(0, cut) : text.length > 80 ? text.slice(0, 80) + '…' : text;
  return `"${line}"`;
}

function splitEndpoint(e: string): [string, string] {
  const i = e.lastIndexOf(':');
  return [e.slice(0, i), e.slice(i + 1)];
}

function hostOf(e: string): string {
  return splitEndpoint(e)[0].replace(/^\[|\]$/g, '');
}
