// The data the Raft core exchanges with its adapters. These shapes are the contract between
// the pure core (src/core), the storage adapter (src/storage) and the transport (src/transport):
// the core produces and consumes them; the adapters persist and carry them byte for byte.
//
// Terms, indexes and node ids are plain numbers: all stay far below 2^53 in practice, and
// the core asserts that they do. Node id 0 means "none" (no vote, no leader).

export type NodeId = number;

export const NONE: NodeId = 0;

export type EntryType = 'normal' | 'confChange';

export interface Entry {
  term: number;
  index: number;
  type: EntryType;
  /** Application data for 'normal' entries (empty for the leader's no-op); an encoded ConfChange otherwise. */
  data: Uint8Array;
}

/** What must be on disk before any message that depends on it is sent (Raft §5, Figure 2). */
export interface HardState {
  term: number;
  vote: NodeId;
  commit: number;
}

export interface ConfState {
  voters: NodeId[];
  learners: NodeId[];
}

export interface SnapshotMetadata {
  index: number;
  term: number;
  confState: ConfState;
}

export interface Snapshot {
  metadata: SnapshotMetadata;
  /** The application's state machine as of metadata.index, opaque to Raft. */
  data: Uint8Array;
}

export type ConfChangeType = 'addNode' | 'addLearner' | 'removeNode';

export interface ConfChange {
  type: ConfChangeType;
  nodeId: NodeId;
  /** Opaque to Raft; etcd puts the member's peer URLs here. */
  context: Uint8Array;
}

export type MessageType =
  | 'app' // MsgApp: append entries
  | 'appResp'
  | 'vote'
  | 'voteResp'
  | 'preVote'
  | 'preVoteResp'
  | 'heartbeat'
  | 'heartbeatResp'
  | 'snap' // InstallSnapshot
  | 'timeoutNow' // leadership transfer: campaign at once
  | 'readIndex' // a follower forwards a ReadIndex request to the leader
  | 'readIndexResp'
  | 'prop'; // a follower forwards a proposal to the leader

export interface Message {
  type: MessageType;
  from: NodeId;
  to: NodeId;
  term: number;
  /** app: term of the entry before `entries`; vote/preVote: candidate's last log term. */
  logTerm: number;
  /** app: index of the entry before `entries`; vote: candidate's last index; appResp: match or rejected index. */
  index: number;
  entries: Entry[];
  commit: number;
  reject: boolean;
  /** appResp with reject: the follower's hint for fast backtracking. */
  rejectHint: number;
  /** heartbeat/readIndex: the ReadIndex request context, echoed back. */
  context: Uint8Array;
  snapshot?: Snapshot;
}

/** A read that became safe: reads at `index` or later state are linearizable for `context`. */
export interface ReadState {
  index: number;
  context: Uint8Array;
}

export type StateRole = 'follower' | 'preCandidate' | 'candidate' | 'leader';

export interface SoftState {
  leader: NodeId;
  role: StateRole;
}

/**
 * What the core hands out after it has been driven. The caller must, in this order:
 * persist `hardState` (if any), `entries` and `snapshot` durably (fsync); then send `messages`;
 * then apply `committedEntries` (and `snapshot`); then call `advance()`.
 * Messages are only valid to send once the state they depend on is durable.
 */
export interface Ready {
  softState?: SoftState;
  hardState?: HardState;
  entries: Entry[];
  snapshot?: Snapshot;
  committedEntries: Entry[];
  messages: Message[];
  readStates: ReadState[];
  /** True when `hardState`/`entries`/`snapshot` must be fsynced before `messages` go out. */
  mustSync: boolean;
}
