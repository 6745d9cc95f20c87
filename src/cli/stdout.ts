// Buffered writing to standard output: text is encoded as it comes into 64 KiB byte blocks,
// each written in one call, and a closed pipe (synack ... | head) ends the program quietly as
// tshark does.

const BLOCK = 65536;

export class Output {
  /**
   * The block being filled. Encoding each line into it costs less than buffering a long string
   * and having Node flatten and encode it at write time (a seventh of the packet list's time).
   * A written block is handed to the stream and never reused (a pipe may still hold it).
   */
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
    // UTF-8 takes at most 3 bytes per UTF-16 code unit.
    if (text.length * 3 > BLOCK - this.used) {
      this.flush();
      if (text.length * 3 > BLOCK) {
        this.stream.write(text);
        return;
      }
    }
    this.used += this.block.write(text, this.used);
  }

  line(text: string): void {
    this.write(text);
    if (this.closed) return;
    if (this.used === BLOCK) this.flush();
    this.block[this.used++] = 0x0a;
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
    const bytes = this.block.subarray(0, this.used);
    this.used = 0;
    await new Promise<void>((resolve) => {
      if (bytes.length === 0) resolve();
      else this.stream.write(bytes, () => resolve());
    });
  }
}
