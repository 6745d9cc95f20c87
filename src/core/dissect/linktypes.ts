// Names of the link types (LINKTYPE_* values) that captures declare, for the details tree and
// for frames whose link type synack does not dissect, and Wireshark's encapsulation numbers
// (frame.encap_type) for the ones it knows.

export const LINKTYPE = {
  NULL: 0,
  ETHERNET: 1,
  PPP: 9,
  RAW_12: 12, // DLT_RAW on OpenBSD and some BSDs
  RAW_14: 14, // DLT_RAW on early BSD/OS
  RAW: 101,
  LINUX_SLL: 113,
  LOOP: 108, // OpenBSD loopback: the family is big-endian
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;

const names = new Map<number, string>([
  [0, 'NULL/Loopback'],
  [1, 'Ethernet'],
  [6, 'Token Ring'],
  [9, 'PPP'],
  [10, 'FDDI'],
  [12, 'Raw IP'],
  [14, 'Raw IP'],
  [50, 'PPP in HDLC-like framing'],
  [101, 'Raw IP'],
  [104, 'Cisco HDLC'],
  [105, 'IEEE 802.11 Wireless LAN'],
  [108, 'OpenBSD loopback'],
  [113, 'Linux cooked-mode capture v1'],
  [127, 'IEEE 802.11 plus radiotap radio header'],
  [147, 'USER0'],
  [187, 'Bluetooth H4'],
  [189, 'USB packets with Linux header'],
  [195, 'IEEE 802.15.4 Wireless PAN'],
  [201, 'Bluetooth H4 with linux header'],
  [220, 'USB packets with Linux header and padding'],
  [228, 'Raw IPv4'],
  [229, 'Raw IPv6'],
  [231, 'D-Bus'],
  [249, 'Netlink'],
  [276, 'Linux cooked-mode capture v2'],
]);

export function linkTypeName(linkType: number): string {
  return names.get(linkType) ?? `Unknown link type ${linkType}`;
}

// Wireshark's WTAP_ENCAP numbers for the link types above (frame.encap_type).
const wtapEncap = new Map<number, number>([
  [0, 15],
  [1, 1],
  [9, 4],
  [12, 7],
  [14, 7],
  [101, 7],
  [108, 15],
  [113, 25],
  [228, 129],
  [229, 130],
  [231, 146],
  [276, 210],
]);

export function encapType(linkType: number): number {
  return wtapEncap.get(linkType) ?? -1;
}
