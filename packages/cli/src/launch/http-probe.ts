// One small HTTP exchange with a local process, on node:http (already loaded in every node
// process; an HTTP client library would add a sixth of a second to `kubets up`'s start).
// Never throws: an answer that does not come within the timeout is undefined.
import { request } from 'node:http';

export interface ProbeAnswer {
  status: number;
  body: string;
}

export function probe(url: string, opts: { method?: 'GET' | 'POST'; body?: string; timeoutMs?: number } = {}): Promise<ProbeAnswer | undefined> {
  return new Promise((resolve) => {
    const req = request(url, { method: opts.method ?? 'GET', headers: opts.body !== undefined ? { 'content-type': 'application/json' } : {}, timeout: opts.timeoutMs ?? 1000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', () => resolve(undefined));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
    req.end(opts.body);
  });
}

/** The answer's body as JSON when it is 200 and parses; undefined otherwise. */
export async function probeJson(url: string, opts: Parameters<typeof probe>[1] = {}): Promise<Record<string, unknown> | undefined> {
  const a = await probe(url, opts);
  if (a?.status !== 200) return undefined;
  try {
    return JSON.parse(a.body) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
