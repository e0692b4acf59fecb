// The few Go formatting rules that upstream's messages show users (%q, time.Duration, host:port),
// so that our Events read as the kubelet's do.

/** Go's %q for a string: near enough to a JSON string for the text probes print. */
export function goQuote(s: string): string {
  return JSON.stringify(s);
}

/** Go's time.Duration String for whole or fractional seconds: 1s, 1.5s, 1m0s, 1h0m0s. */
export function goDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = (ms % 60_000) / 1000;
  if (hours > 0) return `${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${minutes}m${seconds}s`;
  return `${seconds}s`;
}

/** net.JoinHostPort: IPv6 addresses in brackets. */
export function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
