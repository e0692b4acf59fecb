// The benchmark's client: like an etcd client given the three members' client URLs, it sends
// each request to the next endpoint in turn (round-robin) over keep-alive undici Pools, one per
// endpoint, each with enough connections for every concurrent request. Keys and values travel
// base64-encoded, as etcd's JSON gateway wants.
import { Pool } from 'undici';

export type Outcome = 'ok' | 'error';

const b64 = (s: string | Uint8Array) => Buffer.from(s).toString('base64');

export class KvClient {
  private readonly pools: Pool[];
  private next = 0;

  constructor(endpoints: string[], concurrency: number) {
    this.pools = endpoints.map((url) => new Pool(url, {
      connections: concurrency,
      pipelining: 1,
      keepAliveTimeout: 60_000,
      keepAliveMaxTimeout: 600_000,
      headersTimeout: 30_000,
      bodyTimeout: 30_000,
    }));
  }

  private async post(path: string, body: string): Promise<{ status: number; json: any }> {
    const pool = this.pools[this.next++ % this.pools.length]!;
    const r = await pool.request({ path, method: 'POST', body, headers: { 'content-type': 'application/json' } });
    const json = await r.body.json();
    return { status: r.statusCode, json };
  }

  /** Puts key=value; ok on a 200 carrying a revision. */
  async put(key: string, valueB64: string): Promise<Outcome> {
    const r = await this.post('/v3/kv/put', `{"key":"${b64(key)}","value":"${valueB64}"}`);
    return r.status === 200 && r.json?.header?.revision !== undefined ? 'ok' : 'error';
  }

  /** Reads one key; ok only on a 200 that returns exactly that key with the expected value. */
  async get(key: string, expectB64: string, serializable: boolean): Promise<Outcome> {
    const k = b64(key);
    const r = await this.post('/v3/kv/range', serializable ? `{"key":"${k}","serializable":true}` : `{"key":"${k}"}`);
    const kv = r.json?.kvs?.[0];
    return r.status === 200 && r.json.kvs.length === 1 && kv.key === k && kv.value === expectB64 ? 'ok' : 'error';
  }

  async close(): Promise<void> {
    await Promise.all(this.pools.map((p) => p.close()));
  }
}

export function valueOf(bytes: number, seed: number): string {
  const v = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i++) v[i] = (i * 131 + seed * 7 + 13) & 0xff;
  return b64(v);
}
