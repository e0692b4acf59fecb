// The benchmark's HTTP client: one keep-alive undici Pool per API server, requests sent to the
// servers round-robin (or to a chosen one).
import { Pool } from 'undici';

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
  }

  pick(server?: number): Pool {
    return this.pools[(server ?? this.next++) % this.pools.length]!;
  }

  /** POSTs a pod; true on 201. */
  async createPod(name: string, server?: number, annotations?: Record<string, string>): Promise<boolean> {
    const r = await this.pick(server).request({ path: podsPath, method: 'POST', body: podBody(name, annotations), headers: { 'content-type': 'application/json' } });
    await r.body.dump();
    return r.statusCode === 201;
  }

  async getJson(path: string, server?: number): Promise<{ status: number; json: any }> {
    const r = await this.pick(server).request({ path, method: 'GET', headers: { accept: 'application/json' } });
    return { status: r.statusCode, json: await r.body.json() };
  }

  async close(): Promise<void> {
    await Promise.all(this.pools.map((p) => p.close()));
  }
}
