// klog's `-v` on a pino logger. Kubernetes' logging conventions give the numbers their
// meaning: V(0)-V(3) are what an operator wants to see (info), V(4) is debug, V(5) and up is
// trace. `--log-level` names a pino level directly and wins over `-v` when both are given.

import { InvalidArgumentError } from 'commander';
import type { Level } from 'pino';

const levels: readonly Level[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'];

/** A `-v` value: klog's number, or (as kubets-apiserver's `--v` once took) a pino level name. */
export type Verbosity = number | Level;

export function isLevel(s: string): s is Level {
  return (levels as readonly string[]).includes(s);
}

/** The pino level for a klog verbosity. */
export function levelForVerbosity(v: Verbosity): Level {
  if (typeof v === 'string') return v;
  if (v >= 5) return 'trace';
  if (v >= 4) return 'debug';
  return 'info';
}

/** The level that `--log-level` and `-v` ask for together; info when neither is given. */
export function resolveLevel(flags: { v?: Verbosity; logLevel?: string }): Level {
  if (flags.logLevel !== undefined && isLevel(flags.logLevel)) return flags.logLevel;
  return levelForVerbosity(flags.v ?? 0);
}

/** Commander parser for `-v`: a non-negative integer, or a level name. */
export function verbosityOption(value: string): Verbosity {
  if (/^\d+$/.test(value)) return Number(value);
  if (isLevel(value)) return value;
  throw new InvalidArgumentError(`must be a number (0-3 info, 4 debug, 5 and up trace) or a level: ${levels.join(', ')}`);
}

/** Commander parser for `--log-level`. */
export function levelOption(value: string): Level {
  if (isLevel(value)) return value;
  throw new InvalidArgumentError(`must be one of ${levels.join(', ')}`);
}
