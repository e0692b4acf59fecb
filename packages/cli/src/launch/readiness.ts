// Readiness probes the launcher polls. Each answers false (never throws) until the process
// serves: a probe that throws would read as "not ready" anyway, and the caller has the deadline.
import { probe, probeJson } from './http-probe.js';

/** An etcd member is ready when `/health` says "true" (etcd 3.4 answers the string) and its status names a leader. */
export async function etcdReady(clientUrl: string): Promise<boolean> {
  const health = await probeJson(`${clientUrl}/health`);
  if (health === undefined || String(health.health) !== 'true') return false;
  const status = await probeJson(`${clientUrl}/v3/maintenance/status`, { method: 'POST', body: '{}' });
  return status !== undefined && status.leader !== undefined && status.leader !== '0';
}

/** A component is ready when GET <url> (its /readyz) answers 200. */
export async function httpReady(url: string): Promise<boolean> {
  return (await probe(url))?.status === 200;
}
