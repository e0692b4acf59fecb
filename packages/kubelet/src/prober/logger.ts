// The part of a logger the prober writes to; a pino Logger is one, and tests pass a recorder.
export interface ProberLogger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}
