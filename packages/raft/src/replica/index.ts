// A running Raft member: the core, the WAL and the transport wired together (see replica.ts).
export { RaftReplica, NotLeaderError, type RaftReplicaOptions, type ReplicaStatus, type StateMachine } from './replica.js';
export { ProposalTimeoutError, type Applied } from './proposals.js';
