// Errors a caller can expect and handle: a request the core will not take right now, or a
// storage lookup outside the log. Bugs are InvariantError (assert.ts), never one of these.

export type DropReason =
  | 'noLeader' // no known leader to forward to
  | 'notLeader' // the operation must run on the leader
  | 'transferring' // the leader is handing leadership over
  | 'removed' // this node is not a member of the configuration
  | 'uncommittedSizeExceeded' // too many proposals not yet committed (maxUncommittedSize)
  | 'confChangePending' // a configuration change is not yet applied
  | 'invalidConfChange'; // the change would break the configuration (e.g. no voters left)

/** A request the core refused; nothing was appended or sent. Safe to retry later. */
export class DroppedError extends Error {
  override name = 'DroppedError';
  constructor(
    readonly reason: DropReason,
    message: string,
  ) {
    super(message);
  }
}

export class ProposalDroppedError extends DroppedError {
  override name = 'ProposalDroppedError';
}

export class ReadIndexDroppedError extends DroppedError {
  override name = 'ReadIndexDroppedError';
}

/** Storage: the requested index is at or below the last compaction point. */
export class CompactedError extends Error {
  override name = 'CompactedError';
}

/** Storage: the requested index is beyond the last index. */
export class UnavailableError extends Error {
  override name = 'UnavailableError';
}

/** Storage: a snapshot is being built; the leader tries again later. */
export class SnapshotTemporarilyUnavailableError extends Error {
  override name = 'SnapshotTemporarilyUnavailableError';
}

/** Storage: createSnapshot at an index older than the current snapshot. */
export class SnapshotOutOfDateError extends Error {
  override name = 'SnapshotOutOfDateError';
}
