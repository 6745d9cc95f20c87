// What a capture reader yields for each packet record.
//
// Readers reuse one CaptureFrame object (and its `data` view may point into a reusable buffer):
// a frame is valid until the next frame is read. Copy what you keep.

export interface CaptureFrame {
  /** The captured bytes: a view into the reader's buffer, valid until the next frame is read. */
  data: Uint8Array;
  /**
   * Whole seconds since the epoch (unsigned 32-bit in pcap) and nanoseconds. The nanoseconds are
   * normally 0..999,999,999, but an out-of-range pcap fraction is kept as Wireshark keeps it
   * (usec * 1000 in signed 32-bit arithmetic): 1,000,000 us gives 1e9, which tshark prints as
   * "1418145370.1000000000"; 2^31 us wraps to 0.
   */
  tsSec: number;
  tsNsec: number;
  /** Captured length (data.length) and the length the packet had on the wire. */
  capLen: number;
  origLen: number;
  /** LINKTYPE_* of the interface the packet came from (CUSTOM_BLOCK_LINK_TYPE for pcapng custom blocks). */
  linkType: number;
  /**
   * Interface index within the file (pcapng), 0 for pcap. pcapng interface ids restart in every
   * section; this is the file-wide index tshark shows as frame.interface_id.
   */
  interfaceId: number;
  /** pcapng opt_comment values on the packet record. */
  comments?: string[];
  /**
   * Decimal digits of the interface's time stamp resolution (6 for microsecond pcap, 9 for
   * nanosecond pcap, if_tsresol for pcapng, capped at 9): how many digits tshark shows.
   */
  tsPrecision?: number;
  /** False when the record carries no time stamp (pcapng SPB, custom block): tshark leaves frame.time empty. */
  hasTimestamp?: boolean;
  /** Byte offset of the record in the (decompressed) capture file. */
  fileOffset?: number;
  /** pcapng section number, counting from 1 as tshark's "Section number" does. */
  section?: number;
  /** pcapng if_name of the interface, if the IDB has one. */
  interfaceName?: string;
  /** pcapng epb_flags (direction, reception type, FCS length, link-layer errors), if present. */
  packetFlags?: number;
  /** pcapng epb_dropcount: packets lost between this one and the one before, if present. */
  dropCount?: number;
  /** For a pcapng custom block record: its Private Enterprise Number and whether copying is allowed. */
  custom?: { pen: number; copyAllowed: boolean };
}

/**
 * The link type reported for pcapng custom blocks (0x00000BAD / 0x40000BAD). They are records,
 * not packets: tshark numbers them as frames and shows their bytes as data.
 */
export const CUSTOM_BLOCK_LINK_TYPE = -1;

/** A CaptureFrame with every field present, so that a reused object keeps one shape. */
export function emptyFrame(): CaptureFrame {
  return {
    data: new Uint8Array(0),
    tsSec: 0,
    tsNsec: 0,
    capLen: 0,
    origLen: 0,
    linkType: 0,
    interfaceId: 0,
    comments: undefined,
    tsPrecision: 6,
    hasTimestamp: true,
    fileOffset: 0,
    section: undefined,
    interfaceName: undefined,
    packetFlags: undefined,
    dropCount: undefined,
    custom: undefined,
  };
}
