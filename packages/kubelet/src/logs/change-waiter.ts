// Waits for a log directory to change while following: an fs.watch event (a write, a rotation's
// rename or create) wakes the follower at once, and a short poll backs it up, since inotify can
// miss events and the directory may not exist yet (upstream rechecks every second likewise).
import { type FSWatcher, watch } from 'node:fs';

const pollMs = 250;

export class ChangeWaiter {
  private watcher: FSWatcher | undefined;
  private changed = false;
  private wake: (() => void) | undefined;

  constructor(
    dir: string,
    private readonly signal: AbortSignal,
  ) {
    try {
      this.watcher = watch(dir, { persistent: false }, () => this.notify());
      // A watch that breaks leaves the poll, which is enough to follow; nothing is lost.
      this.watcher.on('error', () => this.stopWatching());
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      // The directory is not there yet: polling alone finds the file once it is.
    }
  }

  /** Resolves at the next change, after at most the poll period, or when the signal aborts. */
  wait(): Promise<void> {
    if (this.changed || this.signal.aborted) {
      this.changed = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.signal.removeEventListener('abort', done);
        this.wake = undefined;
        this.changed = false;
        resolve();
      };
      const timer = setTimeout(done, pollMs);
      this.signal.addEventListener('abort', done, { once: true });
      this.wake = done;
    });
  }

  close(): void {
    this.stopWatching();
    this.wake?.();
  }

  private notify(): void {
    this.changed = true;
    this.wake?.();
  }

  private stopWatching(): void {
    this.watcher?.close();
    this.watcher = undefined;
  }
}
