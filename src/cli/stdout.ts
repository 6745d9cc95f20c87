// Buffered writing to standard output: packets are printed in 64 KiB writes, and a closed pipe
// (synack ... | head) ends the program quietly as tshark does.

export class Output {
  private buffer = '';
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
    this.buffer += text;
    if (this.buffer.length >= 65536) this.flushSoon();
  }

  line(text: string): void {
    this.write(text + '\n');
  }

  private flushSoon(): void {
    this.stream.write(this.buffer);
    this.buffer = '';
  }

  /** Writes what is buffered and waits until the stream has taken it. */
  async end(): Promise<void> {
    if (this.closed) return;
    const text = this.buffer;
    this.buffer = '';
    await new Promise<void>((resolve) => {
      if (text === '') resolve();
      else this.stream.write(text, () => resolve());
    });
  }
}
