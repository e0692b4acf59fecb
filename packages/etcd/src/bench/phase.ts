// One fixed-duration phase: `clients` concurrent loops, each with one request in flight at a
// time, until the deadline. Client c writes bench/<c>/0, bench/<c>/1, ... in the put phase and,
// in a range phase, reads back the keys it wrote there, one key per range, cycling through them.
import type { KvClient } from './client.js';
import { processesCpuMicros } from '@kubets/testing';
import { summarise, type PhaseStats } from './stats.js';

export type PhaseKind = 'put' | 'rangeLinearizable' | 'rangeSerializable';

export interface PhaseOptions {
  clients: number;
  durationMs: number;
  /** The base64 value client c writes (and expects back). */
  values: string[];
  /** Keys acknowledged per client in the put phase; filled in by the put phase, read by ranges. */
  written: number[];
  /** The members' pids, to report their CPU use. */
  serverPids: number[];
}

export const keyOf = (client: number, n: number) => `bench/${client}/${n}`;

export async function runPhase(kv: KvClient, kind: PhaseKind, opts: PhaseOptions): Promise<PhaseStats> {
  const latencies: number[] = [];
  let errors = 0;
  const cpu0 = process.cpuUsage();
  const server0 = processesCpuMicros(opts.serverPids);
  const start = performance.now();
  const end = start + opts.durationMs;

  const loop = async (c: number) => {
    // A client that got nothing written reads another client's keys.
    const source = kind === 'put' || opts.written[c]! > 0 ? c : opts.written.findIndex((w) => w > 0);
    if (kind !== 'put' && source < 0) throw new Error('the put phase wrote no keys to read');
    const value = opts.values[source]!;
    for (let n = 0; performance.now() < end; n++) {
      const t0 = performance.now();
      let ok = false;
      try {
        if (kind === 'put') ok = (await kv.put(keyOf(c, opts.written[c]!), value)) === 'ok';
        else ok = (await kv.get(keyOf(source, n % opts.written[source]!), value, kind === 'rangeSerializable')) === 'ok';
      } catch {
        ok = false;
      }
      if (ok) {
        latencies.push(performance.now() - t0);
        if (kind === 'put') opts.written[c]!++;
      } else {
        errors++;
      }
    }
  };

  await Promise.all(Array.from({ length: opts.clients }, (_, c) => loop(c)));
  const elapsed = performance.now() - start;
  const cpu = process.cpuUsage(cpu0);
  const server1 = processesCpuMicros(opts.serverPids);
  const serverCpu = server0 === undefined || server1 === undefined ? undefined : server1 - server0;
  return summarise(latencies, errors, elapsed, cpu.user + cpu.system, serverCpu);
}
