/**
 * Reads a COPY's bytes ahead of the rows asked for, up to a bound. A report's consumer works
 * in bursts — renders a batch, then waits for the report store to write — and without
 * read-ahead the server stalls as soon as the socket's buffers are full, so its time and the
 * consumer's add up instead of overlapping. Chunks are queued as they arrive until `limit`
 * bytes wait; then the stream is paused (and so, through the socket, the server) until the
 * consumer takes some. Memory stays about `limit` (plus the copy stream's own 64 KiB buffer),
 * whatever the COPY sends.
 */
import type { Readable } from "node:stream";

/** The chunks of one COPY, read ahead up to a bound and handed out one by one. */
export class CopyReadAhead {
  private readonly stream: Readable;
  private readonly limit: number;
  private readonly queue: Array<Buffer> = [];
  private queuedBytes = 0;
  private ended = false;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;

  constructor(stream: Readable, limit: number) {
    this.stream = stream;
    this.limit = limit;
    stream.on("data", (chunk: Buffer) => {
      this.queue.push(chunk);
      this.queuedBytes += chunk.length;
      if (this.queuedBytes >= this.limit) stream.pause();
      this.notify();
    });
    stream.on("end", () => {
      this.ended = true;
      this.notify();
    });
    // pg reports a connection lost or destroyed mid-COPY as an error event on the stream,
    // whenever it happens, even after the reader has gone: the listener stays for good.
    stream.on("error", (error: Error) => {
      this.failure ??= error;
      this.notify();
    });
  }

  /** The next chunk, or undefined once the COPY has ended; rejects if it failed. */
  async next(): Promise<Buffer | undefined> {
    for (;;) {
      if (this.failure !== undefined) throw this.failure;
      const chunk = this.queue.shift();
      if (chunk !== undefined) {
        this.queuedBytes -= chunk.length;
        if (this.queuedBytes < this.limit && this.stream.isPaused()) this.stream.resume();
        return chunk;
      }
      if (this.ended) return undefined;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
