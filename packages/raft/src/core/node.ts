// RaftNode: the application's handle on the core (etcd's RawNode). Drive it with tick(), step()
// and the local requests; whenever hasReady(), take ready(), handle it in this order, and call
// advance():
//
//   1. persist, durably (fsync) when ready.mustSync: ready.snapshot, then ready.entries, then
//      ready.hardState (entries before the hard state: its commit may point into them);
//   2. send ready.messages (never before step 1 is durable: votes and append acknowledgements
//      promise exactly that state);
//   3. apply ready.snapshot, then ready.committedEntries, in order (calling applyConfChange for
//      conf change entries); serve ready.readStates once applied >= their index;
//   4. advance().
//
// step() and the local requests may be called between ready() and advance() (their effects go to
// the next Ready); ready() may not be called again before advance().
import type { ConfChange, ConfState, Entry, HardState, Message, NodeId, Ready, SoftState } from '../types.js';
import { NONE } from '../types.js';
import { invariant } from './assert.js';
import { encodeConfChange } from './confchange.js';
import { DroppedError } from './errors.js';
import { propose, readIndex, reportSnapshot, reportUnreachable, transferLeadership } from './leader.js';
import { newMessage } from './message.js';
import type { ProgressState } from './progress.js';
import { Raft, type RaftConfig } from './raft.js';

export interface RaftNodeConfig extends RaftConfig {
  /**
   * A brand-new cluster's voters (and learners). Used only when the storage is empty: every
   * initial member must be given the same lists, which become the first log entries.
   * A node joining an existing cluster passes none and learns the configuration from the leader.
   */
  peers?: NodeId[];
  learners?: NodeId[];
}

export interface ProgressStatus {
  match: number;
  next: number;
  state: ProgressState;
  recentActive: boolean;
  paused: boolean;
  isLearner: boolean;
  inflight: number;
}

export interface Status {
  id: NodeId;
  hardState: HardState;
  softState: SoftState;
  applied: number;
  leadTransferee: NodeId;
  confState: ConfState;
  /** Only on the leader: what it knows of each member. */
  progress?: Map<NodeId, ProgressStatus>;
}

export class RaftNode {
  readonly raft: Raft;
  private prevSoft: SoftState;
  private prevHard: HardState;
  private outstanding: Ready | undefined;

  constructor(config: RaftNodeConfig) {
    this.raft = new Raft(config);
    this.prevSoft = this.raft.softState();
    this.prevHard = this.raft.hardState();
    const peers = config.peers ?? [];
    const learners = config.learners ?? [];
    if (peers.length > 0 || learners.length > 0) this.bootstrap(peers, learners);
  }

  /**
   * Starts a new cluster (etcd's Bootstrap): the initial configuration becomes conf change
   * entries 1..n of term 1, already committed, identical on every initial member.
   */
  private bootstrap(peers: NodeId[], learners: NodeId[]): void {
    const r = this.raft;
    const { hardState } = r.log.storage.initialState();
    if (r.log.lastIndex() !== 0 || hardState.term !== 0) return; // already started once: a restart
    invariant(peers.length > 0, 'bootstrap needs at least one voter');
    r.becomeFollower(1, NONE);
    const changes: ConfChange[] = [
      ...[...peers].sort((a, b) => a - b).map((nodeId): ConfChange => ({ type: 'addNode', nodeId, context: new Uint8Array(0) })),
      ...[...learners].sort((a, b) => a - b).map((nodeId): ConfChange => ({ type: 'addLearner', nodeId, context: new Uint8Array(0) })),
    ];
    const ents: Entry[] = changes.map((cc, k) => ({ term: 1, index: k + 1, type: 'confChange', data: encodeConfChange(cc) }));
    r.log.append(ents);
    r.log.commitTo(ents.length);
    // Apply now so the node can campaign at once; the application applies them again (a no-op)
    // when they come out in committedEntries.
    for (const cc of changes) r.applyConfChange(cc);
    this.prevHard = { term: 0, vote: NONE, commit: 0 };
  }

  // ---- inputs ----

  /** One logical clock tick: elections and heartbeats are counted in ticks. */
  tick(): void {
    this.raft.tick();
  }

  /** A message from a peer. Requests the core would refuse are dropped silently. */
  step(m: Message): void {
    invariant(m.to === this.raft.id, () => `message for ${m.to} delivered to ${this.raft.id}`);
    try {
      this.raft.step(m);
    } catch (err) {
      if (err instanceof DroppedError) return; // nobody to tell; the sender retries
      throw err;
    }
  }

  /**
   * Proposes `data` for the log (ownership of the bytes passes to the core). On a follower the
   * proposal is forwarded to the leader. Throws ProposalDroppedError when it cannot be taken
   * (no leader, transfer in progress, too much uncommitted data). Acceptance is not commitment:
   * the application learns of commitment by seeing the entry in committedEntries.
   */
  propose(data: Uint8Array): void {
    this.proposeEntries([{ term: 0, index: 0, type: 'normal', data }]);
  }

  /**
   * Proposes several entries at once, as one MsgProp: the leader appends them together and
   * replicates them in one append message per follower, instead of one per entry. All or none
   * are taken.
   */
  proposeBatch(data: readonly Uint8Array[]): void {
    if (data.length === 0) return;
    this.proposeEntries(data.map((d): Entry => ({ term: 0, index: 0, type: 'normal', data: d })));
  }

  /**
   * Proposes a membership change. Only one may be pending: a second one, proposed on the leader
   * before the first is applied, throws ProposalDroppedError('confChangePending'); forwarded
   * from a follower it becomes an empty entry instead.
   */
  proposeConfChange(cc: ConfChange): void {
    this.proposeEntries([{ term: 0, index: 0, type: 'confChange', data: encodeConfChange(cc) }]);
  }

  private proposeEntries(entries: Entry[]): void {
    const r = this.raft;
    if (r.role === 'leader') propose(r, entries, true);
    else r.step(newMessage('prop', r.id, { from: r.id, entries }));
  }

  /**
   * Requests a linearizable read. When safe, a ReadState with the same context comes out in a
   * later Ready: read the state machine once it has applied up to ReadState.index. Contexts must
   * be unique among outstanding requests. Throws ReadIndexDroppedError when there is no leader.
   * A request may also be lost silently (leader change, lost message): time out and retry.
   */
  readIndex(context: Uint8Array): void {
    const r = this.raft;
    if (r.role === 'leader') readIndex(r, { from: r.id, context });
    else r.step(newMessage('readIndex', r.id, { from: r.id, context }));
  }

  /** Applies a committed conf change; call it when applying its entry. Returns the new configuration. */
  applyConfChange(cc: ConfChange): ConfState {
    return this.raft.applyConfChange(cc);
  }

  /** On the leader: hand leadership to `to` (a voter). Proposals are refused until it is done. */
  transferLeadership(to: NodeId): void {
    transferLeadership(this.raft, to);
  }

  /** Start an election now (with PreVote if enabled). */
  campaign(): void {
    this.raft.campaign(false);
  }

  /** The transport could not reach `id`: the leader stops pipelining to it. */
  reportUnreachable(id: NodeId): void {
    reportUnreachable(this.raft, id);
  }

  /** The transport finished (ok) or gave up (not ok) sending a snapshot to `id`. */
  reportSnapshot(id: NodeId, ok: boolean): void {
    reportSnapshot(this.raft, id, ok);
  }

  // ---- outputs ----

  hasReady(): boolean {
    if (this.outstanding) return false;
    const r = this.raft;
    const soft = r.softState();
    if (soft.leader !== this.prevSoft.leader || soft.role !== this.prevSoft.role) return true;
    if (!sameHardState(r.hardState(), this.prevHard)) return true;
    return (
      r.log.unstable.snapshot !== undefined ||
      r.log.unstable.entries.length > 0 ||
      r.msgs.length > 0 ||
      r.readStates.length > 0 ||
      r.log.hasNextCommittedEntries()
    );
  }

  ready(): Ready {
    invariant(this.outstanding === undefined, 'ready() called again before advance()');
    const r = this.raft;
    const rd: Ready = {
      entries: r.log.unstable.entries.slice(),
      committedEntries: r.log.nextCommittedEntries(),
      messages: r.msgs,
      readStates: r.readStates,
      mustSync: false,
    };
    const soft = r.softState();
    if (soft.leader !== this.prevSoft.leader || soft.role !== this.prevSoft.role) rd.softState = soft;
    const hard = r.hardState();
    invariant(hard.term >= this.prevHard.term, () => `term went back from ${this.prevHard.term} to ${hard.term}`);
    invariant(hard.commit >= this.prevHard.commit, () => `commit went back from ${this.prevHard.commit} to ${hard.commit}`);
    invariant(hard.term > this.prevHard.term || this.prevHard.vote === NONE || hard.vote === this.prevHard.vote, () => `vote changed within term ${hard.term}`);
    invariant(r.log.applied <= r.log.committed && r.log.committed <= r.log.lastIndex(), () => `applied ${r.log.applied} <= commit ${r.log.committed} <= last ${r.log.lastIndex()} violated`);
    if (!sameHardState(hard, this.prevHard)) rd.hardState = hard;
    const snap = r.log.unstable.snapshot;
    if (snap) rd.snapshot = snap;
    // A changed commit alone need not be fsynced: it can always be learned again.
    rd.mustSync = rd.entries.length > 0 || snap !== undefined || hard.term !== this.prevHard.term || hard.vote !== this.prevHard.vote;

    r.msgs = [];
    r.readStates = [];
    this.prevSoft = soft;
    this.prevHard = hard;
    if (snap) r.log.acceptApplying(snap.metadata.index);
    const lastCommitted = rd.committedEntries[rd.committedEntries.length - 1];
    if (lastCommitted) r.log.acceptApplying(lastCommitted.index);
    this.outstanding = rd;
    return rd;
  }

  /** The Ready from the last ready() is persisted, sent and applied. */
  advance(rd?: Ready): void {
    const out = this.outstanding;
    invariant(out !== undefined, 'advance() without a Ready');
    invariant(rd === undefined || rd === out, 'advance() with a Ready other than the last one');
    const r = this.raft;
    const lastEntry = out.entries[out.entries.length - 1];
    if (lastEntry) r.log.stableTo(lastEntry.index, lastEntry.term);
    if (out.snapshot) {
      r.log.stableSnapTo(out.snapshot.metadata.index);
      r.log.appliedTo(out.snapshot.metadata.index);
    }
    const lastCommitted = out.committedEntries[out.committedEntries.length - 1];
    if (lastCommitted) {
      r.log.appliedTo(lastCommitted.index);
      r.reduceUncommittedSize(out.committedEntries);
    }
    this.outstanding = undefined;
  }

  status(): Status {
    const r = this.raft;
    const s: Status = {
      id: r.id,
      hardState: r.hardState(),
      softState: r.softState(),
      applied: r.log.applied,
      leadTransferee: r.leadTransferee,
      confState: r.trk.confState(),
    };
    if (r.role === 'leader') {
      s.progress = new Map();
      for (const [id, pr] of r.trk.progress) {
        s.progress.set(id, {
          match: pr.match,
          next: pr.next,
          state: pr.state,
          recentActive: pr.recentActive,
          paused: pr.isPaused(),
          isLearner: pr.isLearner,
          inflight: pr.inflights.count,
        });
      }
    }
    return s;
  }
}

function sameHardState(a: HardState, b: HardState): boolean {
  return a.term === b.term && a.vote === b.vote && a.commit === b.commit;
}
