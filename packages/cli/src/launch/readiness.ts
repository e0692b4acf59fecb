// Readiness probes the launcher polls. Each answers false (never throws) until the process
// serves: a probe that throws would read as "not ready" anyway, and the caller has the deadline.
import { request } from 'undici';

const timeouts = { headersTimeout: 1000, bodyTimeout: 1000 };

/** An etcd member is ready when `/health` says "true" (etcd 3.4 answers the string) and its status names a leader. */
export async function etcdReady(clientUrl: string): Promise<boolean> {
  try {
    const h = await request(`${clientUrl}/health`, timeouts);
    const health = (await h.body.json()) as { health?: unknown };
    if (h.statusCode !== 200 || String(health.health) !== 'true') return false;
    const s = await request(`${clientUrl}/v3/maintenance/status`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' }, ...timeouts });
    const status = (await s.body.json()) as { leader?: string };
    return s.statusCode === 200 && status.leader !== undefined && status.leader !== '0';
  } catch {
    return false;
  }
}

/** A component is ready when GET <url> (its /readyz) answers 200. */
export async function httpReady(url: string): Promise<boolean> {
  try {
    const r = await request(url, timeouts);
    await r.body.dump();
    return r.statusCode === 200;
  } catch {
    return false;
  }
}
