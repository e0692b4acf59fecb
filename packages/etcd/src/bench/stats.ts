// A phase's figures: successful operations per second, p50/p99 latency of the successful
// operations in milliseconds, and the number of failed ones.
import { percentile, round, sortedOf } from '@kubets/testing';

export interface PhaseStats {
  opsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  ops: number;
  /** CPU the benchmark driver itself used, in % of one core, to show when the driver is the limit. */
  driverCpuPct: number;
  /** CPU the three members used together, in % of one core (Linux only). */
  serverCpuPct?: number;
  /** Members' CPU per successful operation, in microseconds (Linux only). */
  serverCpuUsPerOp?: number;
}

export function summarise(latenciesMs: number[], errors: number, elapsedMs: number, driverCpuMicros: number, serverCpuMicros?: number): PhaseStats {
  const sorted = sortedOf(latenciesMs);
  return {
    opsPerSec: Math.round(latenciesMs.length / (elapsedMs / 1000)),
    p50Ms: round(percentile(sorted, 0.5)),
    p99Ms: round(percentile(sorted, 0.99)),
    errors,
    ops: latenciesMs.length,
    driverCpuPct: Math.round((driverCpuMicros / 1000 / elapsedMs) * 100),
    ...(serverCpuMicros === undefined ? {} : {
      serverCpuPct: Math.round((serverCpuMicros / 1000 / elapsedMs) * 100),
      serverCpuUsPerOp: latenciesMs.length > 0 ? Math.round(serverCpuMicros / latenciesMs.length) : NaN,
    }),
  };
}
