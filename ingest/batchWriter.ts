/**
 * Collects items and writes them in batches. When idle, the first item starts a `maxDelayMs` timer
 * and a full `batchSize` writes at once; while a write is in flight new items queue up and are
 * written straight after it, so batches grow with load and latency stays low when quiet.
 *
 * One write is in flight at a time. A failed write is retried with backoff, keeping its items and
 * everything behind them in order: nothing is dropped, and `close()` resolves only when every item
 * has been written.
 */

export interface BatchWriterOptions<T> {
  batchSize: number;
  maxDelayMs: number;
  write(items: T[]): Promise<void>;
  onWriteError?(error: Error, attempt: number, retryInMs: number): void;
  /** Backoff bounds for retries, milliseconds. */
  minRetryMs?: number;
  maxRetryMs?: number;
}

export class BatchWriter<T> {
  private queue: T[] = [];
  private inFlight = 0;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly options: BatchWriterOptions<T>) {}

  /** Items not yet written, including those in the write under way. */
  get pending(): number {
    return this.queue.length + this.inFlight;
  }

  add(items: readonly T[]): void {
    if (this.closed) throw new Error('BatchWriter is closed');
    if (items.length === 0) return;
    for (const item of items) this.queue.push(item);
    if (this.running) return; // picked up as soon as the current write finishes
    if (this.queue.length >= this.options.batchSize) this.start();
    else this.timer ??= setTimeout(() => this.start(), this.options.maxDelayMs);
  }

  private start(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.running ??= this.drain().finally(() => {
      this.running = undefined;
      if (this.queue.length > 0) this.start();
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.options.batchSize);
      this.inFlight = batch.length;
      await this.writeWithRetry(batch);
      this.inFlight = 0;
    }
  }

  private async writeWithRetry(batch: T[]): Promise<void> {
    const min = this.options.minRetryMs ?? 100;
    const max = this.options.maxRetryMs ?? 5000;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.options.write(batch);
        return;
      } catch (error) {
        const retryInMs = Math.min(max, min * 2 ** (attempt - 1));
        this.options.onWriteError?.(error as Error, attempt, retryInMs);
        await new Promise((resolve) => setTimeout(resolve, retryInMs));
      }
    }
  }

  /** Writes everything still waiting; later `add` calls throw. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.queue.length > 0) this.start();
    while (this.running) await this.running;
  }
}
