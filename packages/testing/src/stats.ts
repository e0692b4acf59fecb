// Percentiles and rounding for benchmark figures.
export const round = (x: number, places = 2) => Math.round(x * 10 ** places) / 10 ** places;

export function sortedOf(values: number[]): Float64Array {
  return Float64Array.from(values).sort();
}

/** The q-quantile (0..1) of sorted values, by the nearest-rank method; NaN when empty. */
export function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

export function latencySummary(values: number[]): { p50Ms: number; p99Ms: number; maxMs: number } {
  const s = sortedOf(values);
  return { p50Ms: round(percentile(s, 0.5)), p99Ms: round(percentile(s, 0.99)), maxMs: round(s.length ? s[s.length - 1]! : NaN) };
}
