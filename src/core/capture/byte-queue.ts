// The unconsumed tail of a byte stream that arrives in chunks: the capture parsers ask for the
// next n bytes in one piece, get a view of the chunk itself when they lie in one chunk (zero
// copy), and a copy in a reusable scratch buffer only when they straddle chunks.

const EMPTY = new Uint8Array(0);
const SCRATCH_MIN = 64 * 1024;
const SCRATCH_KEEP = 1024 * 1024;

export class ByteQueue {
  /** The chunk being read, its DataView, and the read position in it. */
  cur: Uint8Array = EMPTY;
  view: DataView = new DataView(EMPTY.buffer);
  pos = 0;
  /** Where ensure() put the requested bytes: `buf` (cur or the scratch buffer) from `off`. */
  buf: Uint8Array = EMPTY;
  bufView: DataView = this.view;
  off = 0;
  /** Unconsumed bytes in all chunks, and whether the stream has ended. */
  avail = 0;
  ended = false;

  /** Absolute stream offset of cur[0]. */
  base = 0;

  /** Chunks after `cur`, from index `head`. */
  private pending: Uint8Array[] = [];
  private head = 0;
  private scratch: Uint8Array = EMPTY;
  private scratchView: DataView = this.view;

  /** Absolute stream offset of the read position. */
  get offset(): number {
    return this.base + this.pos;
  }

  push(chunk: Uint8Array): void {
    if (this.ended) throw new Error('ByteQueue: push after end');
    const n = chunk.byteLength;
    if (n === 0) return;
    // A plain Uint8Array (not a Node Buffer), so that frame views are plain and cheap to make.
    const c = chunk.constructor === Uint8Array ? chunk : new Uint8Array(chunk.buffer, chunk.byteOffset, n);
    this.avail += n;
    if (this.pos === this.cur.length && this.head === this.pending.length) {
      this.setCurrent(c);
      this.pending.length = 0;
      this.head = 0;
    } else {
      this.pending.push(c);
    }
  }

  end(): void {
    this.ended = true;
  }

  /**
   * Makes the next n bytes available in one piece at buf[off..off+n) without consuming them.
   * Returns false when fewer than n bytes have arrived.
   */
  ensure(n: number): boolean {
    if (this.cur.length - this.pos >= n) {
      this.buf = this.cur;
      this.bufView = this.view;
      this.off = this.pos;
      return true;
    }
    if (this.avail < n) return false;
    if (this.scratch.length < n || (this.scratch.length > SCRATCH_KEEP && n <= SCRATCH_MIN)) {
      this.scratch = new Uint8Array(Math.max(n, SCRATCH_MIN));
      this.scratchView = new DataView(this.scratch.buffer);
    }
    const s = this.scratch;
    let filled = this.cur.length - this.pos;
    s.set(this.cur.subarray(this.pos), 0);
    for (let i = this.head; filled < n; i++) {
      const c = this.pending[i];
      const take = Math.min(c.length, n - filled);
      s.set(take === c.length ? c : c.subarray(0, take), filled);
      filled += take;
    }
    this.buf = s;
    this.bufView = this.scratchView;
    this.off = 0;
    return true;
  }

  /** Consumes n bytes (n <= avail). */
  consume(n: number): void {
    this.avail -= n;
    let left = this.cur.length - this.pos;
    if (n < left) {
      this.pos += n;
      return;
    }
    n -= left;
    this.pos = this.cur.length;
    while (this.head < this.pending.length) {
      const c = this.pending[this.head];
      this.pending[this.head++] = EMPTY;
      this.setCurrent(c);
      left = c.length;
      if (n < left) {
        this.pos = n;
        break;
      }
      n -= left;
      this.pos = left;
    }
    if (this.head === this.pending.length) {
      this.pending.length = 0;
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.pending.length) {
      this.pending = this.pending.slice(this.head);
      this.head = 0;
    }
  }

  /**
   * A view of buf[start..start+length) (after ensure()). A constructor call is about twice as
   * fast as subarray() in V8, which matters at millions of frames per second.
   */
  bytes(start: number, length: number): Uint8Array {
    const b = this.buf;
    return new Uint8Array(b.buffer, b.byteOffset + start, length);
  }

  /** Up to n unconsumed bytes, copied (for error messages and format sniffing). */
  peek(n: number): Uint8Array {
    const k = Math.min(n, this.avail);
    if (k === 0 || !this.ensure(k)) return EMPTY;
    return this.buf.slice(this.off, this.off + k);
  }

  private setCurrent(c: Uint8Array): void {
    this.base += this.cur.length;
    this.cur = c;
    this.view = new DataView(c.buffer, c.byteOffset, c.byteLength);
    this.pos = 0;
  }
}
