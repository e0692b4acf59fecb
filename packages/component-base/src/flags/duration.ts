// Durations as Go writes them, because every upstream flag that takes a time takes a Go
// time.Duration (`--leader-elect-lease-duration=15s`, `--etcd-compaction-interval=5m0s`):
// - parseDuration follows time.ParseDuration exactly: an optional sign, then one or more
//   `<number><unit>` terms (`1h2m3.5s`); a number may have a fraction (`1.5h`, `.5s`, `5.s`) but
//   needs a digit on one side of the point; units are ns, us, µs (U+00B5), μs (U+03BC), ms, s,
//   m, h; a bare `0` (or `+0`, `-0`) is the only number allowed without a unit; the total must fit
//   in an int64 of nanoseconds. Arithmetic is done in BigInt nanoseconds, with Go's float64
//   step for fractions, so the results are Go's to the nanosecond.
// - formatDuration is time.Duration.String(): `1h2m3.5s`, `300ms`, `1.5µs`, `0s`.
// The rest of kubets counts time in milliseconds, so both have a millisecond form (fractional
// below a millisecond) beside the exact nanosecond one.

const nsPerUnit: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  'µs': 1_000n, // U+00B5 micro sign
  'μs': 1_000n, // U+03BC Greek small letter mu
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

const maxMagnitude = 1n << 63n; // -1<<63 is a valid Duration; 1<<63 is not

export class InvalidDurationError extends Error {
  override readonly name = 'InvalidDurationError';
  constructor(
    /** Which of Go's three errors: `invalid duration`, `missing unit`, `unknown unit`. */
    readonly reason: 'invalid' | 'missingUnit' | 'unknownUnit',
    message: string,
  ) {
    super(message);
  }
}

const quote = (s: string) => JSON.stringify(s);
const invalid = (orig: string) => new InvalidDurationError('invalid', `time: invalid duration ${quote(orig)}`);
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

/** Go's leadingInt: the digits at the start of s; overflow past 1<<63 is an error. */
function leadingInt(s: string, orig: string): { value: bigint; rest: string } {
  let i = 0;
  let value = 0n;
  for (; isDigit(s[i]); i++) {
    value = value * 10n + BigInt(s.charCodeAt(i) - 48);
    if (value > maxMagnitude) throw invalid(orig);
  }
  return { value, rest: s.slice(i) };
}

/** Go's leadingFraction: digits after the point; those that would overflow are read but ignored. */
function leadingFraction(s: string): { value: bigint; scale: number; rest: string } {
  let i = 0;
  let value = 0n;
  let scale = 1;
  let overflow = false;
  for (; isDigit(s[i]); i++) {
    if (overflow) continue;
    const next = value * 10n + BigInt(s.charCodeAt(i) - 48);
    if (value > (maxMagnitude - 1n) / 10n || next > maxMagnitude) {
      overflow = true;
      continue;
    }
    value = next;
    scale *= 10;
  }
  return { value, scale, rest: s.slice(i) };
}

/** One `<number><unit>` term at the start of s, in nanoseconds. */
function leadingTerm(s: string, orig: string): { ns: bigint; rest: string } {
  if (!(s[0] === '.' || isDigit(s[0]))) throw invalid(orig);
  const int = leadingInt(s, orig);
  let rest = int.rest;
  const hasInt = rest.length !== s.length;
  let frac = { value: 0n, scale: 1 };
  let hasFrac = false;
  if (rest[0] === '.') {
    const f = leadingFraction(rest.slice(1));
    hasFrac = f.rest.length !== rest.length - 1;
    frac = f;
    rest = f.rest;
  }
  if (!hasInt && !hasFrac) throw invalid(orig); // `.s`, `-.s`: no digits at all
  let end = 0;
  while (end < rest.length && rest[end] !== '.' && !isDigit(rest[end])) end++;
  if (end === 0) throw new InvalidDurationError('missingUnit', `time: missing unit in duration ${quote(orig)}`);
  const name = rest.slice(0, end);
  const unit = nsPerUnit[name];
  if (unit === undefined) throw new InvalidDurationError('unknownUnit', `time: unknown unit ${quote(name)} in duration ${quote(orig)}`);
  if (int.value > maxMagnitude / unit) throw invalid(orig);
  let ns = int.value * unit;
  if (frac.value > 0n) {
    // As Go: float64 keeps fractions of an hour accurate to the nanosecond; truncated, not rounded.
    ns += BigInt(Math.trunc(Number(frac.value) * (Number(unit) / frac.scale)));
    if (ns > maxMagnitude) throw invalid(orig);
  }
  return { ns, rest: rest.slice(end) };
}

/** time.ParseDuration, in exact nanoseconds. Throws InvalidDurationError with Go's message. */
export function parseDurationNanos(orig: string): bigint {
  let s = orig;
  let negative = false;
  if (s[0] === '-' || s[0] === '+') {
    negative = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') throw invalid(orig);
  let total = 0n;
  while (s !== '') {
    const term = leadingTerm(s, orig);
    total += term.ns;
    if (total > maxMagnitude) throw invalid(orig);
    s = term.rest;
  }
  if (negative) return -total;
  if (total > maxMagnitude - 1n) throw invalid(orig);
  return total;
}

/** time.ParseDuration, in milliseconds (fractional below 1 ms: `1500us` is 1.5). */
export function parseDuration(s: string): number {
  return Number(parseDurationNanos(s)) / 1e6;
}

/** Go's fmtFrac: `.<digits>` of v / 10^prec without trailing zeros ('' when they are all zero). */
function fraction(v: bigint, prec: number): { text: string; rest: bigint } {
  const scale = 10n ** BigInt(prec);
  const digits = (v % scale).toString().padStart(prec, '0').replace(/0+$/, '');
  return { text: digits === '' ? '' : `.${digits}`, rest: v / scale };
}

/** time.Duration.String() of a nanosecond count: `1h2m3.5s`, `300ms`, `1.5µs`, `0s`. */
export function formatDurationNanos(ns: bigint): string {
  const sign = ns < 0n ? '-' : '';
  const u = ns < 0n ? -ns : ns;
  if (u === 0n) return '0s';
  if (u < 1_000_000_000n) {
    // Under a second, the largest unit that keeps an integer part: 1.2ms, not 0.0012s.
    const [unit, prec] = u < 1_000n ? ['ns', 0] : u < 1_000_000n ? ['µs', 3] : ['ms', 6];
    const f = fraction(u, prec as number);
    return `${sign}${f.rest}${f.text}${unit}`;
  }
  const f = fraction(u, 9);
  const seconds = f.rest % 60n;
  const minutes = (f.rest / 60n) % 60n;
  const hours = f.rest / 3600n;
  // Hours are the largest unit, because days differ in length.
  const h = hours > 0n ? `${hours}h` : '';
  const m = hours > 0n || minutes > 0n ? `${minutes}m` : '';
  return `${sign}${h}${m}${seconds}${f.text}s`;
}

/** time.Duration.String() of a count of milliseconds (rounded to the nanosecond). */
export function formatDuration(ms: number): string {
  return formatDurationNanos(BigInt(Math.round(ms * 1e6)));
}
