// Typed errors of the storage adapter, so callers can tell bad input from a damaged disk.

/** Bytes that do not decode as the record they claim to be (truncated, out of range, unknown tag). */
export class CodecError extends Error {
  override readonly name = 'CodecError';
  /** Byte offset in the decoded buffer where decoding failed. */
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(`${message} (at byte ${offset})`);
    this.offset = offset;
  }
}

/**
 * The data directory is damaged in a way a crash cannot explain (a bad record followed by good
 * ones, a bad segment that is not the last, a gap in the log). The node must not start: starting
 * would silently lose acknowledged writes. `file` and `offset` say where to look.
 */
export class CorruptionError extends Error {
  override readonly name = 'CorruptionError';
  readonly file: string;
  readonly offset: number;
  constructor(file: string, offset: number, reason: string) {
    super(`storage corrupted: ${file} at byte offset ${offset}: ${reason}`);
    this.file = file;
    this.offset = offset;
  }
}

/** A write or fsync failed earlier; the log's on-disk state is unknown, so every later save fails too. */
export class StorageFailedError extends Error {
  override readonly name = 'StorageFailedError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
