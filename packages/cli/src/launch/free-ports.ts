// Free loopback ports for local clusters (kubets up with --port 0, the test kit, benchmarks).
import { createServer, type Server } from 'node:net';

/**
 * n distinct free ports. Every listener stays open until all n are known: a port closed at once
 * can be handed out again by the very next bind, and two members given one port would leave the
 * second unable to start while the first answers for both.
 */
export async function freePorts(n: number, host = '127.0.0.1'): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const s = createServer();
      servers.push(s);
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject);
        s.listen(0, host, () => resolve());
      });
    }
    return servers.map((s) => (s.address() as { port: number }).port);
  } finally {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  }
}
