// A pino-compatible logger shape, so callers pass their pino child logger and this package
// does not depend on pino. Default: log nothing.

export type LogFn = (obj: object | string, msg?: string) => void;

export interface Logger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}

const noop: LogFn = () => {};

export const noopLogger: Logger = { debug: noop, info: noop, warn: noop, error: noop };
