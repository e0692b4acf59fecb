// The pure Raft core: a deterministic state machine with no I/O, no timers and no randomness of
// its own. See node.ts for how to drive it.
export { RaftNode } from './node.js';
export type { RaftNodeConfig, Status, ProgressStatus } from './node.js';
export type { RaftConfig } from './raft.js';
export { MemoryStorage, emptyHardState, emptySnapshot } from './storage.js';
export type { Storage, InitialState } from './storage.js';
export { encodeConfChange, decodeConfChange } from './confchange.js';
export { seededRand, randInt } from './rand.js';
export type { Rand } from './rand.js';
export { InvariantError } from './assert.js';
export {
  DroppedError,
  ProposalDroppedError,
  ReadIndexDroppedError,
  CompactedError,
  UnavailableError,
  SnapshotTemporarilyUnavailableError,
  SnapshotOutOfDateError,
} from './errors.js';
export type { DropReason } from './errors.js';
export type { ProgressState } from './progress.js';
