// What an ERROR event in a watch stream becomes: the ApiError of its Status. A 410
// (reason Expired or Gone: the resourceVersion was compacted away) is a ResourceExpiredError,
// which tells an informer to list afresh.

import { ApiError, type Status } from '@kubets/api';
import { apiErrorFromStatus } from '../rest/errors.js';

export class ResourceExpiredError extends ApiError {
  constructor(status: Partial<Status>) {
    super(410, status.reason === 'Gone' ? 'Gone' : 'Expired', status.message ?? 'the resourceVersion is too old', status.details);
    this.name = 'ResourceExpiredError';
  }
}

/** The error an ERROR event (or a refused watch) stands for. */
export function watchError(status: unknown): ApiError {
  const s = (typeof status === 'object' && status !== null ? status : {}) as Partial<Status>;
  if (s.code === 410) return new ResourceExpiredError(s);
  return apiErrorFromStatus(s, 500);
}

/** The stream ended with something that is not a watch event. */
export class WatchDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WatchDecodeError';
  }
}
