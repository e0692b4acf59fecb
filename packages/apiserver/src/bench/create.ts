// Phase 1: pod creates. Closed loop: `clients` workers, one request in flight each, for the
// duration. Paced: an open loop at a fixed rate; each latency runs from the create's scheduled
// send time (so a stalled server cannot hide its queueing), sent round-robin over the servers.
// The paced loop can run a warm-up first, at the same rate and without a break, whose creates
// are not measured: the figures are then those of a steady state, not of V8 still compiling.
import type { ApiClient } from './client.js';
import type { CpuShare } from './cpu-share.js';
import { latencySummary, round } from '@kubets/testing';

export interface CreateResult { clients: number; perSec: number; p50Ms: number; p99Ms: number; maxMs: number; ok: number; errors: number }
export interface CreateAtRateResult {
  rate: number; warmupSeconds: number; achievedPerSec: number; p50Ms: number; p99Ms: number; maxMs: number; ok: number; errors: number;
  /** Percent of one core each process used while the measured creates ran (see cpu-share.ts). */
  cpuPercent?: CpuShare;
}

export async function createClosedLoop(api: ApiClient, clients: number, durationMs: number, prefix: string): Promise<CreateResult> {
  const lat: number[] = [];
  let errors = 0;
  const start = performance.now();
  const deadline = start + durationMs;
  await Promise.all(Array.from({ length: clients }, async (_, w) => {
    for (let n = 0; performance.now() < deadline; n++) {
      const t0 = performance.now();
      try {
        if (await api.createPod(`${prefix}-${w}-${n}`, w)) lat.push(performance.now() - t0);
        else errors++;
      } catch {
        errors++;
      }
    }
  }));
  const elapsed = performance.now() - start;
  const s = latencySummary(lat);
  return { clients, perSec: round(lat.length / (elapsed / 1000), 1), p50Ms: s.p50Ms, p99Ms: s.p99Ms, maxMs: s.maxMs, ok: lat.length, errors };
}

export interface PacingOptions {
  /** Unmeasured creates at the same rate first, for this long. */
  warmupMs?: number;
  /** Called as the first measured create is sent (a caller starts its own counters there). */
  onMeasureStart?(): void;
}

export async function createAtRate(api: ApiClient, rate: number, durationMs: number, prefix: string, opts: PacingOptions = {}): Promise<CreateAtRateResult> {
  const warmupMs = opts.warmupMs ?? 0;
  const lat: number[] = [];
  let errors = 0;
  const warmup = Math.round((rate * warmupMs) / 1000);
  const total = warmup + Math.round((rate * durationMs) / 1000);
  const pending: Promise<void>[] = [];
  const start = performance.now();
  let measuredFrom = start;
  let sent = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      const due = Math.min(total, Math.floor(((now - start) * rate) / 1000) + 1);
      for (; sent < due; sent++) {
        const scheduled = start + (sent * 1000) / rate;
        const i = sent;
        if (i === warmup) {
          measuredFrom = scheduled;
          opts.onMeasureStart?.();
        }
        const measured = i >= warmup;
        pending.push(api.createPod(`${prefix}-${i}`, i).then(
          (ok) => { if (!measured) return; if (ok) lat.push(performance.now() - scheduled); else errors++; },
          () => { if (measured) errors++; },
        ));
      }
      if (sent >= total) resolve();
      else setTimeout(tick, 2);
    };
    tick();
  });
  await Promise.all(pending);
  const elapsed = performance.now() - measuredFrom;
  const s = latencySummary(lat);
  return { rate, warmupSeconds: warmupMs / 1000, achievedPerSec: round(lat.length / (elapsed / 1000), 1), p50Ms: s.p50Ms, p99Ms: s.p99Ms, maxMs: s.maxMs, ok: lat.length, errors };
}
