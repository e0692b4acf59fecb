// Phase 2: brings the namespace to exactly `target` pods (concurrent creates if short,
// concurrent deletes of phase 1's pods, gracePeriodSeconds=0, if over), then times full LISTs
// of the namespace's pods, alternating servers.
import { type ApiClient, podsPath } from './client.js';
import { latencySummary, round } from '@kubets/testing';

export interface ListResult { items: number; runs: number; p50Ms: number; maxMs: number; filled: number; deleted: number; fillPerSec: number; fillErrors: number }

export async function podNames(api: ApiClient): Promise<string[]> {
  const r = await api.getJson(podsPath, 0);
  if (r.status !== 200) throw new Error(`LIST pods: HTTP ${r.status} ${JSON.stringify(r.json).slice(0, 300)}`);
  return (r.json.items as { metadata: { name: string } }[]).map((p) => p.metadata.name);
}

async function deletePods(api: ApiClient, names: string[], concurrency: number): Promise<number> {
  let next = 0;
  let errors = 0;
  await Promise.all(Array.from({ length: concurrency }, async (_, w) => {
    while (next < names.length) {
      const name = names[next++]!;
      try {
        const r = await api.pick(w).request({ path: `${podsPath}/${name}?gracePeriodSeconds=0`, method: 'DELETE' });
        await r.body.dump();
        if (r.statusCode !== 200 && r.statusCode !== 202) errors++;
      } catch {
        errors++;
      }
    }
  }));
  return errors;
}

export async function fillAndList(api: ApiClient, target: number, runs: number, concurrency: number): Promise<ListResult> {
  const names = await podNames(api);
  const extra = names.filter((n) => n.startsWith('bench-')).slice(0, Math.max(0, names.length - target));
  let fillErrors = extra.length ? await deletePods(api, extra, concurrency) : 0;
  const missing = Math.max(0, target - names.length);
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async (_, w) => {
    while (next < missing) {
      const i = next++;
      for (let attempt = 0; attempt < 3; attempt++) {
        try {
          if (await api.createPod(`bench-fill-${i}`, w)) break;
        } catch {
          // retried
        }
        fillErrors++;
      }
    }
  }));
  const fillMs = performance.now() - t0;
  const lat: number[] = [];
  let items = 0;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const r = await api.getJson(podsPath, i);
    const ms = performance.now() - t;
    if (r.status !== 200) throw new Error(`LIST pods: HTTP ${r.status}`);
    items = (r.json.items as unknown[]).length;
    lat.push(ms);
  }
  const s = latencySummary(lat);
  return { items, runs, p50Ms: s.p50Ms, maxMs: s.maxMs, filled: missing, deleted: extra.length, fillPerSec: missing ? round(missing / (fillMs / 1000), 1) : 0, fillErrors };
}
