// State that lives across the frames of one capture: the reference time for relative
// timestamps and the tables that protocols keep between frames (IP fragments, later TCP
// streams). One Session per capture read; memory grows only with what protocols keep open.

export class Session {
  /** Time of the first frame (frame.time_relative is measured from it). */
  firstSec = NaN;
  firstNsec = 0;
  /** Time of the previous captured frame (frame.time_delta). */
  prevSec = NaN;
  prevNsec = 0;
  /** Time of the previous displayed frame (frame.time_delta_displayed; NaN before the first). */
  prevDisplayedSec = NaN;
  prevDisplayedNsec = 0;
  /**
   * The session of a completed first pass over the same capture (tshark's -2), if any. Protocols
   * that link frames forward (a request's "response in frame N") record what they learn by frame
   * number in their own state during the first pass and read it here in the output pass:
   * `p.session.firstPass?.protocolState(...)`.
   */
  firstPass: Session | undefined = undefined;
  /**
   * Set on the session of a first pass (tshark's -2): protocols that keep by-frame records only
   * for a later pass (which frame completed a reassembled message) keep them only then.
   */
  isFirstPass = false;
  /** Per-protocol state, keyed by protocol name; each protocol owns its entry's shape. */
  private readonly state = new Map<string, unknown>();

  /** The state object a protocol keeps for this capture, made on first use. */
  protocolState<T>(name: string, make: () => T): T {
    let s = this.state.get(name) as T | undefined;
    if (s === undefined) {
      s = make();
      this.state.set(name, s);
    }
    return s;
  }
}
