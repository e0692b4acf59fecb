// Ages as kubectl prints them: 45s, 3m12s, 2h5m, 4d3h.
export function age(seconds: number): string {
  const s = Math.floor(seconds);
  if (s < 120) return `${s}s`;
  if (s < 600) return `${Math.floor(s / 60)}m${s % 60 === 0 ? '' : `${s % 60}s`}`;
  if (s < 3 * 3600) return `${Math.floor(s / 60)}m`;
  if (s < 8 * 3600) return `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60) === 0 ? '' : `${Math.floor((s % 3600) / 60)}m`}`;
  if (s < 2 * 86400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d${Math.floor((s % 86400) / 3600) === 0 ? '' : `${Math.floor((s % 86400) / 3600)}h`}`;
}
