// Why reading a container's log failed (a catalog, never message text).
export type LogReadErrorReason = 'LogFileTruncated';

export class LogReadError extends Error {
  constructor(
    readonly reason: LogReadErrorReason,
    message: string,
  ) {
    super(message);
    this.name = 'LogReadError';
  }
}
