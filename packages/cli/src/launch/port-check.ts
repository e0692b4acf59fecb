// Whether a loopback port can be bound now, and the first run of free ports from a start: so a
// second cluster gets the next API server ports instead of failing on 6443.
import { createServer } from 'node:net';

export function portFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, host, () => s.close(() => resolve(true)));
  });
}

/** The first `start + k*count` (k = 0, 1 ...) whose `count` ports are all free, up to `tries` runs. */
export async function firstFreeRun(start: number, count: number, tries = 50): Promise<number | undefined> {
  for (let base = start; base < start + tries * count && base + count <= 65536; base += count) {
    const free = await Promise.all(Array.from({ length: count }, (_, i) => portFree(base + i)));
    if (free.every(Boolean)) return base;
  }
  return undefined;
}
