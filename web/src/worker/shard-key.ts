// Which shard a frame goes to: a hash of its pair of IP addresses (the same either way), so that
// every conversation between two hosts (TCP streams, IP fragments, DNS and ICMP exchanges) is
// dissected in one shard with all its state. Frames without IPv4/IPv6 go to shard 0 together.

/** LINKTYPE_* values whose frames start with the IP header, and where the link header ends. */
function networkStart(data: Uint8Array, linkType: number): { off: number; etype: number } | undefined {
  switch (linkType) {
    case 1: {
      // Ethernet, with 802.1Q / 802.1ad tags skipped.
      if (data.length < 14) return undefined;
      let etype = (data[12] << 8) | data[13];
      let off = 14;
      while ((etype === 0x8100 || etype === 0x88a8) && off + 4 <= data.length) {
        etype = (data[off + 2] << 8) | data[off + 3];
        off += 4;
      }
      return { off, etype };
    }
    case 113: // Linux cooked capture
      return data.length < 16 ? undefined : { off: 16, etype: (data[14] << 8) | data[15] };
    case 276: // Linux cooked capture v2
      return data.length < 20 ? undefined : { off: 20, etype: (data[0] << 8) | data[1] };
    case 0: // BSD loopback: the address family is in host order; the IP version says it
    case 109:
      return { off: 4, etype: 0 };
    case 12: // raw IP
    case 14:
    case 101:
    case 228:
    case 229:
      return { off: 0, etype: 0 };
    default:
      return undefined;
  }
}

function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x45d9f3b);
  h = Math.imul(h ^ (h >>> 16), 0x45d9f3b);
  return (h ^ (h >>> 16)) >>> 0;
}

function word(b: Uint8Array, o: number): number {
  return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}

/** A number that is the same for both directions between two hosts (0 for non-IP frames). */
export function shardOf(data: Uint8Array, linkType: number): number {
  const at = networkStart(data, linkType);
  if (at === undefined || at.off >= data.length) return 0;
  const { off } = at;
  let etype = at.etype;
  if (etype === 0) {
    const version = data[off] >> 4;
    etype = version === 4 ? 0x0800 : version === 6 ? 0x86dd : -1;
  }
  if (etype === 0x0800 && off + 20 <= data.length) return mix(word(data, off + 12) ^ word(data, off + 16));
  if (etype === 0x86dd && off + 40 <= data.length) {
    let a = 0;
    let b = 0;
    for (let k = 0; k < 16; k += 4) {
      a = mix(a ^ word(data, off + 8 + k));
      b = mix(b ^ word(data, off + 24 + k));
    }
    return mix(a ^ b);
  }
  return 0;
}
