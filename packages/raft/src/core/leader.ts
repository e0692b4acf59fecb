// The leader (§5.3, thesis ch. 3, 6): proposals, replication with per-follower flow control,
// heartbeats, ReadIndex, and leadership transfer.
import type { ConfChange, Entry, Message, NodeId } from '../types.js';
import { NONE } from '../types.js';
import { invariant } from './assert.js';
import { confChangeProblem, decodeConfChange } from './confchange.js';
import { entriesSize } from './entries.js';
import { DroppedError, ProposalDroppedError, ReadIndexDroppedError, SnapshotTemporarilyUnavailableError } from './errors.js';
import { newMessage } from './message.js';
import type { Progress } from './progress.js';
import type { Raft } from './raft.js';
import type { ReadRequest } from './readonly.js';

export function stepLeader(r: Raft, m: Message): void {
  switch (m.type) {
    case 'prop':
      propose(r, m.entries, false);
      return;
    case 'readIndex':
      readIndex(r, { from: m.from, context: m.context });
      return;
    case 'app':
    case 'heartbeat':
    case 'snap':
      // Same term (higher and lower terms were handled in step): a second leader in our term.
      invariant(false, () => `leader ${r.id} got ${m.type} from ${m.from} in its own term ${r.term}: two leaders in one term`);
      return;
    default:
      break;
  }
  const pr = r.trk.progress.get(m.from);
  if (!pr || m.from === r.id) return; // not (or no longer) a member
  switch (m.type) {
    case 'appResp':
      handleAppendResponse(r, m, pr);
      return;
    case 'heartbeatResp':
      handleHeartbeatResponse(r, m, pr);
      return;
    default:
      return; // stale vote responses, timeoutNow, readIndexResp: nothing for a leader
  }
}

/**
 * Appends proposals. A local proposal that cannot be taken throws; a forwarded one is dropped
 * (or, for a conf change that must wait, turned into an empty entry, as etcd does).
 */
export function propose(r: Raft, ents: readonly Entry[], local: boolean): void {
  invariant(ents.length > 0, 'empty proposal');
  if (!r.isVoter()) throw new ProposalDroppedError('removed', `node ${r.id} is not a voter of the configuration`);
  if (r.leadTransferee !== NONE) {
    throw new ProposalDroppedError('transferring', `leadership is being transferred to ${r.leadTransferee}`);
  }
  const out: Entry[] = [];
  for (let k = 0; k < ents.length; k++) {
    const e = ents[k]!;
    if (e.type !== 'confChange') {
      out.push(e);
      continue;
    }
    // One change at a time: the previous one must be applied first (thesis §4.1).
    let problem: string | undefined;
    let reason: 'confChangePending' | 'invalidConfChange' = 'invalidConfChange';
    if (r.pendingConfIndex > r.log.applied) {
      problem = `conf change at ${r.pendingConfIndex} is not yet applied (applied ${r.log.applied})`;
      reason = 'confChangePending';
    } else {
      let cc: ConfChange | undefined;
      try {
        cc = decodeConfChange(e.data);
      } catch {
        problem = 'undecodable conf change';
      }
      if (cc) problem = confChangeProblem(r.trk, cc);
    }
    if (problem !== undefined) {
      if (local) throw new ProposalDroppedError(reason, problem);
      out.push({ term: 0, index: 0, type: 'normal', data: new Uint8Array(0) });
      continue;
    }
    r.pendingConfIndex = r.log.lastIndex() + k + 1;
    out.push(e);
  }
  if (!r.appendEntries(out)) {
    throw new ProposalDroppedError('uncommittedSizeExceeded', `uncommitted log exceeds maxUncommittedSize (${r.maxUncommittedSize} bytes)`);
  }
  bcastAppend(r);
}

// ---- replication ----

export function sendAppend(r: Raft, to: NodeId): void {
  maybeSendAppend(r, to, true);
}

/**
 * Sends the next append to `to` if its flow control allows. With sendIfEmpty false, only sends
 * when there are entries. Returns whether a message went out.
 */
export function maybeSendAppend(r: Raft, to: NodeId, sendIfEmpty: boolean): boolean {
  if (to === r.id) return false;
  const pr = r.trk.progress.get(to);
  if (!pr || pr.isPaused()) return false;
  const log = r.log;
  const last = log.lastIndex();
  invariant(pr.next <= last + 1, () => `progress of ${to}: next ${pr.next} is beyond our last index ${last}`);
  const prevIndex = pr.next - 1;
  const prevTerm = log.term(prevIndex);
  if (prevTerm === undefined) return maybeSendSnapshot(r, to, pr); // compacted away
  const ents = pr.next <= last ? log.slice(pr.next, last + 1, r.maxMsgSize) : [];
  if (ents.length === 0 && !sendIfEmpty) return false;
  r.send(newMessage('app', to, { index: prevIndex, logTerm: prevTerm, entries: ents, commit: log.committed }));
  pr.sentEntries(ents.length, entriesSize(ents));
  return true;
}

function maybeSendSnapshot(r: Raft, to: NodeId, pr: Progress): boolean {
  // Do not push a snapshot at a follower we have not heard from lately; it may be down.
  if (!pr.recentActive) return false;
  let snap;
  try {
    snap = r.log.snapshot();
  } catch (err) {
    if (err instanceof SnapshotTemporarilyUnavailableError) return false;
    throw err;
  }
  invariant(snap.metadata.index > 0, 'need a snapshot but the storage has none');
  invariant(snap.metadata.index >= pr.match, () => `snapshot ${snap.metadata.index} is older than ${to}'s match ${pr.match}`);
  r.send(newMessage('snap', to, { snapshot: snap }));
  pr.becomeSnapshot(snap.metadata.index);
  return true;
}

export function bcastAppend(r: Raft): void {
  for (const id of r.trk.progress.keys()) if (id !== r.id) sendAppend(r, id);
}

export function bcastHeartbeat(r: Raft): void {
  bcastHeartbeatWithContext(r, r.readOnly.lastPendingContext());
}

function bcastHeartbeatWithContext(r: Raft, context: Uint8Array | undefined): void {
  for (const [id, pr] of r.trk.progress) {
    if (id === r.id) continue;
    // Never tell a follower a commit index beyond what it is known to have: its log past
    // `match` may still differ from ours.
    const commit = Math.min(pr.match, r.log.committed);
    r.send(newMessage('heartbeat', id, { commit, ...(context ? { context } : {}) }));
  }
}

function handleAppendResponse(r: Raft, m: Message, pr: Progress): void {
  pr.recentActive = true;
  if (m.reject) {
    // Fast backtracking: jump to the follower's hint, refined by our own log when the
    // follower told us the term there.
    let nextProbe = m.rejectHint;
    if (m.logTerm > 0) nextProbe = r.log.findConflictByTerm(m.rejectHint, m.logTerm)[0];
    if (pr.maybeDecrTo(m.index, nextProbe)) {
      if (pr.state === 'replicate') pr.becomeProbe();
      sendAppend(r, m.from);
    }
    return;
  }
  const oldPaused = pr.isPaused();
  // A reply that moves match, or that confirms where a probe landed, lets us pipeline again.
  if (!(pr.maybeUpdate(m.index) || (pr.match === m.index && pr.state === 'probe'))) return;
  if (pr.state === 'probe') {
    pr.becomeReplicate();
  } else if (pr.state === 'snapshot' && pr.match + 1 >= r.log.firstIndex()) {
    // The follower can now be caught up from the log.
    pr.becomeProbe();
    pr.becomeReplicate();
  } else if (pr.state === 'replicate') {
    pr.inflights.freeLE(m.index);
  }
  if (r.maybeCommit()) {
    bcastAppend(r); // tell everyone the new commit index
  } else if (oldPaused) {
    sendAppend(r, m.from); // it may have missed the latest commit index while paused
  }
  while (maybeSendAppend(r, m.from, false)) {
    // fill the pipeline
  }
  if (m.from === r.leadTransferee && pr.match === r.log.lastIndex()) sendTimeoutNow(r, m.from);
}

function handleHeartbeatResponse(r: Raft, m: Message, pr: Progress): void {
  pr.recentActive = true;
  pr.probeSent = false;
  // If every append in the window was lost, free a slot so a new one goes out; the follower
  // will reject it (a gap) and we fall back to probing.
  if (pr.state === 'replicate' && pr.inflights.full()) pr.inflights.freeFirst();
  if (pr.match < r.log.lastIndex() || pr.state === 'probe') sendAppend(r, m.from);
  if (m.context.length === 0) return;
  const acks = r.readOnly.recvAck(m.from, m.context);
  if (!acks || !r.trk.hasQuorum(acks)) return;
  for (const rs of r.readOnly.advance(m.context)) respondToRead(r, rs.req, rs.index);
}

// ---- ReadIndex (thesis §6.4) ----

export function readIndex(r: Raft, req: ReadRequest): void {
  if (!r.isVoter()) throw new ReadIndexDroppedError('removed', `node ${r.id} is not a voter of the configuration`);
  // Until we commit an entry of our term we may not know the latest commit index (§6.4 step 1).
  if (!r.committedEntryInCurrentTerm()) {
    r.pendingReadIndex.push(req);
    return;
  }
  startRead(r, req);
}

function startRead(r: Raft, req: ReadRequest): void {
  r.readOnly.addRequest(r.log.committed, req);
  const acks = r.readOnly.recvAck(r.id, req.context);
  if (acks && r.trk.hasQuorum(acks)) {
    // A single voter: our own acknowledgement is the quorum.
    for (const rs of r.readOnly.advance(req.context)) respondToRead(r, rs.req, rs.index);
    return;
  }
  bcastHeartbeatWithContext(r, req.context);
}

/** Called when commit moves on the leader: reads held for the first commit of the term go now. */
export function releasePendingReadIndex(r: Raft): void {
  if (r.pendingReadIndex.length === 0 || !r.committedEntryInCurrentTerm()) return;
  const reqs = r.pendingReadIndex;
  r.pendingReadIndex = [];
  for (const req of reqs) startRead(r, req);
}

function respondToRead(r: Raft, req: ReadRequest, index: number): void {
  if (req.from === r.id || req.from === NONE) {
    r.readStates.push({ index, context: req.context });
  } else {
    r.send(newMessage('readIndexResp', req.from, { index, context: req.context }));
  }
}

// ---- leadership transfer (thesis §3.10) ----

export function transferLeadership(r: Raft, to: NodeId): void {
  if (r.role !== 'leader') throw new DroppedError('notLeader', `node ${r.id} is not the leader`);
  if (to === r.id) return; // already leader
  if (!r.trk.voters.has(to)) throw new DroppedError('invalidConfChange', `node ${to} is not a voter`);
  if (r.leadTransferee === to) return; // already under way
  r.leadTransferee = to;
  // The transfer must finish within an election timeout, or it is abandoned.
  r.electionElapsed = 0;
  const pr = r.trk.progress.get(to)!;
  if (pr.match === r.log.lastIndex()) sendTimeoutNow(r, to);
  else sendAppend(r, to);
}

/** A leader outside its voters transfers leadership to the voter with the most of the log. */
export function handOver(r: Raft): void {
  let best: NodeId = NONE;
  let bestMatch = -1;
  for (const id of r.trk.voters) {
    if (id === r.id) continue;
    const m = r.trk.progress.get(id)?.match ?? 0;
    if (m > bestMatch) {
      best = id;
      bestMatch = m;
    }
  }
  if (best !== NONE) transferLeadership(r, best);
}

function sendTimeoutNow(r: Raft, to: NodeId): void {
  r.send(newMessage('timeoutNow', to));
}

// ---- transport feedback ----

export function reportUnreachable(r: Raft, id: NodeId): void {
  if (r.role !== 'leader') return;
  const pr = r.trk.progress.get(id);
  // Appends in flight are probably lost; resume by probing.
  if (pr && pr.state === 'replicate') pr.becomeProbe();
}

export function reportSnapshot(r: Raft, id: NodeId, ok: boolean): void {
  if (r.role !== 'leader') return;
  const pr = r.trk.progress.get(id);
  if (!pr || pr.state !== 'snapshot') return;
  if (!ok) pr.pendingSnapshot = 0;
  // After a success, probe just past the snapshot; after a failure, from match. Either way wait
  // for the follower's answer (or a heartbeat) before sending again.
  pr.becomeProbe();
  pr.probeSent = true;
}
