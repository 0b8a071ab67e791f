// Group commit: work that arrives while a batch is running waits for the next batch, and
// the whole batch is carried out together (one transaction, one statement). No fixed
// delay: at low load a lone item goes straight through.

export const DEFAULT_MAX_BATCH = 256;

interface Pending<I, O> {
  item: I;
  resolve: (value: O) => void;
  reject: (error: unknown) => void;
}

export class GroupCommit<I, O> {
  private pending: Pending<I, O>[] = [];
  private running = false;

  constructor(
    private readonly run: (items: I[]) => Promise<O[]>,
    private readonly maxBatch = DEFAULT_MAX_BATCH,
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  /** Items waiting for a batch, and whether one is running (for tests and metrics). */
  get backlog(): number {
    return this.pending.length;
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0, this.maxBatch);
        try {
          const out = await this.run(batch.map((p) => p.item));
          batch.forEach((p, i) => p.resolve(out[i]));
        } catch (error) {
          for (const p of batch) p.reject(error);
        }
        // Let the event loop accept connections and read requests between batches (the
        // embedded database runs on this thread: back-to-back batches would starve it).
        await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      this.running = false;
    }
  }
}
