// Internet checksums shared by the IP-family dissectors: the *.checksum.status values, the
// pseudo-header sum of UDP/TCP/ICMPv6 (RFC 768, RFC 9293 §3.1, RFC 8200 §8.1), the value a bad
// checksum should have had (Wireshark's in_cksum_shouldbe), and the items ICMP-style protocols
// show for a verified, bad or unverified checksum.

import { valueStrings } from './fields.js';
import type { Packet } from './packet.js';
import { GENERATED } from './tree.js';
import { hex4, onesComplementSum } from './bytes.js';

export const CHECKSUM_STATUS = valueStrings({ 0: 'Bad', 1: 'Good', 2: 'Unverified', 3: 'Not present', 4: 'Illegal' });

/** Values of the *.checksum.status fields (Wireshark's PROTO_CHECKSUM_E_*). */
export const CHECKSUM = { BAD: 0, GOOD: 1, UNVERIFIED: 2, NOT_PRESENT: 3, ILLEGAL: 4 } as const;

/**
 * The one's complement sum over the IPv4/IPv6 pseudo-header and buf[off, off+length) as it stands,
 * checksum field included, complemented: 0 when the checksum is right. Uses the packet's network
 * addresses (p.netSrc4/netDst4 or netSrc6/netDst6).
 */
export function transportChecksum(p: Packet, protocol: number, buf: Uint8Array, off: number, length: number): number {
  let sum = 0;
  if (p.netType === 4) {
    sum = (p.netSrc4 >>> 16) + (p.netSrc4 & 0xffff) + (p.netDst4 >>> 16) + (p.netDst4 & 0xffff) + protocol + length;
  } else if (p.netType === 6 && p.netSrc6 && p.netDst6) {
    sum = onesComplementSum(p.netSrc6, 0, 16, 0);
    sum = onesComplementSum(p.netDst6, 0, 16, sum);
    sum += (length >>> 16) + (length & 0xffff) + protocol;
  }
  sum = onesComplementSum(buf, off, length, sum);
  return ~sum & 0xffff;
}

/** The value the checksum field should hold, from its value and the computed sum. */
export function checksumShouldBe(field: number, computed: number): number {
  let v = field + computed;
  v = (v & 0xffff) + (v >>> 16);
  v = (v & 0xffff) + (v >>> 16);
  return v;
}

/**
 * The checksum item and its status, as ICMP and ICMPv6 show them: `computed` is the complemented
 * sum (0 when right), or null when the checksum could not be verified (`why` says why).
 */
export function addChecksumResult(
  p: Packet,
  fields: { checksum: number; status: number },
  at: number,
  value: number,
  computed: number | null,
  expert: { protocol: string; name: string },
  why: string,
): void {
  const t = p.tree;
  const ci = t.add(fields.checksum, at, 2, value);
  if (computed === null) {
    if (t.full) t.setLabel(ci, `Checksum: 0x${hex4(value)} [unverified] [${why}]`);
    const si = t.add(fields.status, at, 0, CHECKSUM.UNVERIFIED, GENERATED);
    if (t.full) t.setLabel(si, '[Checksum Status: Unverified]');
  } else if (computed === 0) {
    if (t.full) t.setLabel(ci, `Checksum: 0x${hex4(value)} [correct]`);
    const si = t.add(fields.status, at, 0, CHECKSUM.GOOD, GENERATED);
    if (t.full) t.setLabel(si, '[Checksum Status: Good]');
  } else {
    const shouldBe = checksumShouldBe(value, computed);
    if (t.full) t.setLabel(ci, `Checksum: 0x${hex4(value)} incorrect, should be 0x${hex4(shouldBe)}`);
    t.open(ci);
    p.expert(expert.protocol, expert.name, 'warn', 'checksum', `Bad checksum [should be 0x${hex4(shouldBe)}]`, at, 2);
    t.close();
    const si = t.add(fields.status, at, 0, CHECKSUM.BAD, GENERATED);
    if (t.full) t.setLabel(si, '[Checksum Status: Bad]');
  }
}
