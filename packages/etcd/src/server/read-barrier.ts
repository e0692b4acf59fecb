// Linearizable reads share ReadIndex rounds, as etcd's linearizableReadLoop does: a read waits for
// the next round that starts after it arrived, and one round serves every read that waited for it.
// A round that fails fails its reads.
export class ReadBarrier {
  private waiting: { resolve(): void; reject(err: Error): void }[] = [];
  private inFlight = false;

  constructor(private readonly round: () => Promise<unknown>) {}

  wait(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      if (!this.inFlight) void this.run();
    });
  }

  private async run(): Promise<void> {
    this.inFlight = true;
    while (this.waiting.length > 0) {
      const batch = this.waiting;
      this.waiting = [];
      try {
        await this.round();
        for (const w of batch) w.resolve();
      } catch (err) {
        for (const w of batch) w.reject(err as Error);
      }
    }
    this.inFlight = false;
  }
}
