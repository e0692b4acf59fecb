// The benchmark's HTTP client: per API server, one keep-alive undici Pool for reads and deletes
// and one lean pool for the creates that are measured (lean-http.ts); requests go to the servers
// round-robin (or to a chosen one).
import { Pool } from 'undici';
import { LeanPool } from './lean-http.js';

export const podsPath = '/api/v1/namespaces/default/pods';

export function podBody(name: string, annotations?: Record<string, string>): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app: 'bench' }, ...(annotations ? { annotations } : {}) },
    spec: { containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.9' }] },
  });
}

export class ApiClient {
  readonly pools: Pool[];
  private readonly creates: LeanPool[];
  private next = 0;

  constructor(readonly urls: string[], connections: number) {
    this.pools = urls.map((url) => new Pool(url, {
      connections,
      pipelining: 1,
      keepAliveTimeout: 60_000,
      keepAliveMaxTimeout: 600_000,
      headersTimeout: 60_000,
      bodyTimeout: 60_000,
    }));
    this.creates = urls.map((url) => new LeanPool(url, connections));
  }

  pick(server?: number): Pool {
    return this.pools[(server ?? this.next++) % this.pools.length]!;
  }

  /** POSTs a pod; true on 201. */
  async createPod(name: string, server?: number, annotations?: Record<string, string>): Promise<boolean> {
    const pool = this.creates[(server ?? this.next++) % this.creates.length]!;
    return (await pool.request('POST', podsPath, podBody(name, annotations))) === 201;
  }

  async getJson(path: string, server?: number): Promise<{ status: number; json: any }> {
    const r = await this.pick(server).request({ path, method: 'GET', headers: { accept: 'application/json' } });
    return { status: r.statusCode, json: await r.body.json() };
  }

  async close(): Promise<void> {
    for (const c of this.creates) c.close();
    await Promise.all(this.pools.map((p) => p.close()));
  }
}
