// Buffered writing to standard output: lines are gathered into short strings, encoded into
// 128 KiB byte blocks and each block written in one call; a closed pipe (synack ... | head)
// ends the program quietly as tshark does.

/** Characters gathered before they are encoded into the block. */
const BATCH = 16384;
/** Bytes per write: a batch takes at most 3 bytes per character (UTF-8 of UTF-16 code units). */
const BLOCK = 1 << 17;

export class Output {
  /**
   * Why batches and blocks: one long string per write makes Node flatten and encode it at write
   * time, slow for the packet list's two-byte lines (their arrows); one Buffer.write per line
   * costs a native call per line, slow for short -T fields lines. Batches of 16k characters
   * are cheap to flatten and few to encode. A written block is never reused (a pipe may hold it).
   */
  private pending = '';
  private block = Buffer.allocUnsafe(BLOCK);
  private used = 0;
  private closed = false;

  constructor(private readonly stream: NodeJS.WritableStream = process.stdout) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') {
        this.closed = true;
        process.exit(0);
      }
      throw err;
    });
  }

  write(text: string): void {
    if (this.closed) return;
    this.pending += text;
    if (this.pending.length >= BATCH) this.encode();
  }

  line(text: string): void {
    this.write(text + '\n');
  }

  /** Writes bytes[0..length) and a newline (a line already encoded as UTF-8). */
  lineBytes(bytes: Uint8Array, length: number): void {
    if (this.closed) return;
    if (this.pending !== '') this.encode();
    if (length + 1 > BLOCK - this.used) {
      this.flush();
      if (length + 1 > BLOCK) {
        this.stream.write(Buffer.from(bytes.subarray(0, length)));
        this.block[this.used++] = 0x0a;
        return;
      }
    }
    const block = this.block;
    let at = this.used;
    for (let k = 0; k < length; k++) block[at++] = bytes[k];
    block[at++] = 0x0a;
    this.used = at;
  }

  /** Moves the pending text into the block (writing the block first when it could overflow). */
  private encode(): void {
    const text = this.pending;
    this.pending = '';
    if (text.length * 3 > BLOCK - this.used) {
      this.flush();
      if (text.length * 3 > BLOCK) {
        this.stream.write(text);
        return;
      }
    }
    this.used += this.block.write(text, this.used);
  }

  private flush(): void {
    if (this.used === 0) return;
    this.stream.write(this.block.subarray(0, this.used));
    this.block = Buffer.allocUnsafe(BLOCK);
    this.used = 0;
  }

  /** Writes what is buffered and waits until the stream has taken it. */
  async end(): Promise<void> {
    if (this.closed) return;
    this.encode();
    const bytes = this.block.subarray(0, this.used);
    this.used = 0;
    await new Promise<void>((resolve) => {
      if (bytes.length === 0) resolve();
      else this.stream.write(bytes, () => resolve());
    });
  }
}
