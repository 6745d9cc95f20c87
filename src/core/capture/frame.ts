// What a capture reader yields for each packet record.

export interface CaptureFrame {
  /** The captured bytes: a view into the reader's buffer, valid until the next frame is read. */
  data: Uint8Array;
  /** Whole seconds since the epoch and nanoseconds (0..999,999,999). */
  tsSec: number;
  tsNsec: number;
  /** Captured length (data.length) and the length the packet had on the wire. */
  capLen: number;
  origLen: number;
  /** LINKTYPE_* of the interface the packet came from. */
  linkType: number;
  /** Interface index within the file (pcapng), 0 for pcap. */
  interfaceId: number;
  /** pcapng opt_comment values on the packet record. */
  comments?: string[];
}
