// The logger every kubets process writes with: pino, one JSON line per event, each carrying
// the component's name and pid so that the lines of many processes can be mixed and still
// told apart. stdout by default, as the house convention says (kubets-etcd keeps stderr).

import pino, { type DestinationStream, type Logger } from 'pino';
import { resolveLevel, type Verbosity } from './verbosity.js';

export interface LoggingFlags {
  v?: Verbosity;
  logLevel?: string;
}

export interface LoggerOptions {
  /** File descriptor to write to: 1 (stdout, the default) or 2 (stderr). */
  fd?: 1 | 2;
  /**
   * Buffer lines and write them asynchronously, minLength bytes at a time, instead of one
   * blocking write each: for a process that logs a line per request. Flushed at least every
   * flushIntervalMs so that a quiet process's lines still show promptly, and by pino at exit.
   */
  buffered?: { minLength?: number; flushIntervalMs?: number };
  /** Where lines go instead of fd (a file, or a test's recorder). */
  stream?: DestinationStream;
  /** Fields on every line besides component and pid (kubets-etcd adds its member name). */
  base?: Record<string, unknown>;
}

function destination(o: LoggerOptions): DestinationStream {
  if (o.stream !== undefined) return o.stream;
  const fd = o.fd ?? 1;
  if (o.buffered === undefined) return pino.destination(fd);
  return pino.destination({ dest: fd, minLength: o.buffered.minLength ?? 4096, sync: false });
}

export function createLogger(component: string, flags: LoggingFlags = {}, o: LoggerOptions = {}): Logger {
  const logger = pino({ level: resolveLevel(flags), base: { component, pid: process.pid, ...o.base } }, destination(o));
  if (o.buffered !== undefined) setInterval(() => logger.flush(), o.buffered.flushIntervalMs ?? 200).unref();
  return logger;
}

/**
 * The part of a logger that the helpers here write to: a pino Logger is one, and a test can
 * pass a recorder without building pino.
 */
export interface EventLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}
