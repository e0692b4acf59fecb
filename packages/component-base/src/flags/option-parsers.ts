// Parsers for commander options (the third argument of .option()). Each throws commander's
// InvalidArgumentError, so a bad value ends the program with
// `error: option '--x <duration>' argument '1' is invalid. <why>` instead of a stack trace.

import { InvalidArgumentError, Option } from 'commander';
import { parseBool } from './bool.js';
import { formatDuration, InvalidDurationError, parseDuration } from './duration.js';

/** A Go duration (`300ms`, `1h2m3.5s`, `0`), as milliseconds. */
export function durationOption(value: string): number {
  try {
    return parseDuration(value);
  } catch (e) {
    if (!(e instanceof InvalidDurationError)) throw e;
    throw new InvalidArgumentError(`${e.message}: a duration is numbers with units, such as 300ms, 1.5h or 2h45m (units: ns, us, ms, s, m, h)`);
  }
}

/** A Go bool (`true`, `false`, `1`, `0`, `t`, `F`...). Declared `--x [bool]`, a bare `--x` is true. */
export function boolOption(value: string): boolean {
  const b = parseBool(value);
  if (b === undefined) throw new InvalidArgumentError(`${JSON.stringify(value)} is not a boolean (true, false, 1, 0, t, f)`);
  return b;
}

/** A duration option whose help shows its default the Go way (`default: 15s`, not 15000). */
export function durationFlag(flags: string, description: string, defaultMs?: number): Option {
  const option = new Option(flags, description).argParser(durationOption);
  return defaultMs === undefined ? option : option.default(defaultMs, formatDuration(defaultMs));
}

/** A finite number above zero (a rate, a duration in seconds). */
export function positiveNumberOption(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a positive number');
  return n;
}

/** A finite number of at least zero (0 often meaning "none" or "off"). */
export function nonNegativeNumberOption(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('must be zero or a positive number');
  return n;
}

/** A whole number of at least 1 (connections, processes, bytes). */
export function countOption(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number of at least 1');
  return n;
}
