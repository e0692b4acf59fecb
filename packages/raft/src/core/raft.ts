// The Raft state machine (Raft paper §5, thesis ch. 3-6): terms, roles and their transitions, the
// rules every message passes before its role sees it, ticks, and configuration changes. The
// role-specific handlers live in leader.ts, candidate.ts and follower.ts.
//
// Deterministic and free of I/O: inputs are tick(), step() and the local requests; outputs are
// the messages in `msgs`, the read states in `readStates`, and the log and hard state, which
// RaftNode turns into a Ready.
import type { ConfChange, ConfState, Entry, HardState, Message, NodeId, ReadState, Snapshot, SoftState, StateRole } from '../types.js';
import { NONE } from '../types.js';
import { assertIndex, invariant } from './assert.js';
import { bytesEqual } from './bytes.js';
import { hup, stepCandidate } from './candidate.js';
import { applyToTracker, restoreTracker } from './confchange.js';
import { payloadSize } from './entries.js';
import { stepFollower } from './follower.js';
import { bcastAppend, bcastHeartbeat, handOver, maybeSendAppend, releasePendingReadIndex, stepLeader } from './leader.js';
import { RaftLog } from './log.js';
import { CAMPAIGN_TRANSFER, isVoteMessage, newMessage, voteRespType } from './message.js';
import type { Rand } from './rand.js';
import { ReadOnly } from './readonly.js';
import type { Storage } from './storage.js';
import { ProgressTracker } from './tracker.js';

export interface RaftConfig {
  /** This node's id; never 0. */
  id: NodeId;
  /** Ticks without hearing from a leader before campaigning; the real timeout is random in [electionTick, 2*electionTick). */
  electionTick: number;
  /** Ticks between the leader's heartbeats; must be below electionTick. */
  heartbeatTick: number;
  storage: Storage;
  /** The injected random source (e.g. seededRand(seed)); the core has none of its own. */
  rand: Rand;
  /** The last index the application already applied before a restart (default: the snapshot index). */
  applied?: number;
  /** Raft thesis §9.6 (default true). */
  preVote?: boolean;
  /** Leader steps down without a live quorum; followers ignore votes while they have a leader (default true). */
  checkQuorum?: boolean;
  /** Bytes of entries per append message (default 1 MiB; at least one entry is always sent). */
  maxSizePerMsg?: number;
  /** Appends in flight per follower in replicate state (default 256). */
  maxInflightMsgs?: number;
  /** Bytes in flight per follower (default 0: no cap). */
  maxInflightBytes?: number;
  /** Bytes of uncommitted payload the leader accepts before it drops proposals (default 0: no cap). */
  maxUncommittedSize?: number;
  /** Bytes of committed entries per Ready (default 64 MiB; at least one entry). */
  maxCommittedSizePerReady?: number;
  /** Followers drop proposals instead of forwarding them to the leader (default false). */
  disableProposalForwarding?: boolean;
}

export class Raft {
  readonly id: NodeId;
  term = 0;
  vote: NodeId = NONE;
  lead: NodeId = NONE;
  role: StateRole = 'follower';
  isLearner = false;

  readonly log: RaftLog;
  readonly trk: ProgressTracker;

  /** Outgoing messages; RaftNode moves them into the next Ready. */
  msgs: Message[] = [];
  /** Reads that became safe; RaftNode moves them into the next Ready. */
  readStates: ReadState[] = [];

  leadTransferee: NodeId = NONE;
  /** Index of the latest conf change the leader appended; a new one waits until it is applied. */
  pendingConfIndex = 0;
  /** Payload bytes the leader appended that are not yet committed and applied. */
  uncommittedSize = 0;
  readonly readOnly = new ReadOnly();
  /** ReadIndex requests that arrived before the leader committed an entry of its term. */
  pendingReadIndex: { from: NodeId; context: Uint8Array }[] = [];

  electionElapsed = 0;
  heartbeatElapsed = 0;
  randomizedElectionTimeout = 0;

  readonly electionTimeout: number;
  readonly heartbeatTimeout: number;
  readonly checkQuorum: boolean;
  readonly preVote: boolean;
  readonly maxMsgSize: number;
  readonly maxUncommittedSize: number;
  readonly disableProposalForwarding: boolean;
  /**
   * A node outside its own voters that found it is still needed to elect a leader: a voter of its
   * configuration asked for its vote (so that voter has not yet applied our removal) but is behind
   * our log. Such a node may campaign, without counting its own vote (thesis §4.2.2).
   */
  caretaker = false;
  private readonly rand: Rand;

  constructor(c: RaftConfig) {
    invariant(Number.isSafeInteger(c.id) && c.id !== NONE && c.id > 0, 'id must be a positive integer');
    invariant(c.heartbeatTick > 0 && Number.isInteger(c.heartbeatTick), 'heartbeatTick must be a positive integer');
    invariant(c.electionTick > c.heartbeatTick && Number.isInteger(c.electionTick), 'electionTick must be an integer above heartbeatTick');
    this.id = c.id;
    this.electionTimeout = c.electionTick;
    this.heartbeatTimeout = c.heartbeatTick;
    this.rand = c.rand;
    this.checkQuorum = c.checkQuorum ?? true;
    this.preVote = c.preVote ?? true;
    this.maxMsgSize = c.maxSizePerMsg ?? 1 << 20;
    this.maxUncommittedSize = c.maxUncommittedSize ?? 0;
    this.disableProposalForwarding = c.disableProposalForwarding ?? false;
    this.log = new RaftLog(c.storage, c.maxCommittedSizePerReady ?? 64 << 20);
    this.trk = new ProgressTracker(c.maxInflightMsgs ?? 256, c.maxInflightBytes ?? 0);

    const { hardState, confState } = c.storage.initialState();
    restoreTracker(this.trk, confState, this.log.lastIndex());
    this.isLearner = this.trk.learners.has(this.id);
    if (hardState.term !== 0 || hardState.vote !== NONE || hardState.commit !== 0) this.loadState(hardState);
    if (c.applied !== undefined && c.applied > 0) {
      invariant(c.applied <= this.log.committed, () => `applied ${c.applied} is beyond commit ${this.log.committed}`);
      this.log.appliedTo(c.applied);
    }
    this.becomeFollower(this.term, NONE);
  }

  private loadState(hs: HardState): void {
    assertIndex(hs.term, 'hardState.term');
    assertIndex(hs.commit, 'hardState.commit');
    invariant(hs.commit <= this.log.lastIndex(), () => `hardState.commit ${hs.commit} is beyond the last index ${this.log.lastIndex()}: the log lost entries`);
    // A snapshot's index is committed even if the hard state written with it was lost.
    this.log.committed = Math.max(hs.commit, this.log.committed);
    this.term = hs.term;
    this.vote = hs.vote;
  }

  hardState(): HardState {
    return { term: this.term, vote: this.vote, commit: this.log.committed };
  }

  softState(): SoftState {
    return { leader: this.lead, role: this.role };
  }

  /** Can this node campaign? Voters of its own configuration (and caretakers), not mid-snapshot. */
  promotable(): boolean {
    if (this.log.unstable.snapshot !== undefined) return false;
    if (this.trk.voters.has(this.id)) return true;
    return this.caretaker && this.trk.voters.size > 0;
  }

  isVoter(): boolean {
    return this.trk.voters.has(this.id);
  }

  // ---- role transitions ----

  private reset(term: number): void {
    if (term !== this.term) {
      invariant(term > this.term, () => `term would go back from ${this.term} to ${term}`);
      this.term = term;
      this.vote = NONE;
    }
    this.lead = NONE;
    this.electionElapsed = 0;
    this.heartbeatElapsed = 0;
    this.resetRandomizedElectionTimeout();
    this.leadTransferee = NONE;
    this.trk.resetVotes();
    const last = this.log.lastIndex();
    for (const [id, pr] of this.trk.progress) {
      const fresh = this.trk.newProgress(last + 1, pr.isLearner);
      if (id === this.id) fresh.match = last;
      this.trk.progress.set(id, fresh);
    }
    this.pendingConfIndex = 0;
    this.uncommittedSize = 0;
    this.readOnly.reset();
    this.pendingReadIndex = [];
  }

  private resetRandomizedElectionTimeout(): void {
    const r = this.rand();
    invariant(r >= 0 && r < 1, 'rand() must return a number in [0, 1)');
    this.randomizedElectionTimeout = this.electionTimeout + Math.floor(r * this.electionTimeout);
  }

  becomeFollower(term: number, lead: NodeId): void {
    this.reset(term);
    this.lead = lead;
    this.role = 'follower';
  }

  becomePreCandidate(): void {
    invariant(this.role !== 'leader', 'invalid transition leader -> preCandidate');
    // PreVote does not touch the term or the vote: a node that cannot win disturbs no one.
    this.trk.resetVotes();
    this.lead = NONE;
    this.role = 'preCandidate';
  }

  becomeCandidate(): void {
    invariant(this.role !== 'leader', 'invalid transition leader -> candidate');
    this.reset(this.term + 1);
    this.vote = this.id;
    this.role = 'candidate';
  }

  becomeLeader(): void {
    invariant(this.role === 'candidate', () => `invalid transition ${this.role} -> leader`);
    this.reset(this.term);
    this.lead = this.id;
    this.role = 'leader';
    this.caretaker = false;
    // A caretaker leads a configuration without itself: it has no progress of its own.
    const self = this.trk.progress.get(this.id);
    if (self) {
      self.becomeReplicate();
      self.recentActive = true;
    }
    // Conservatively treat any unapplied entry as a possible conf change (thesis §4.1).
    this.pendingConfIndex = this.log.lastIndex();
    // The no-op entry of the new term (§5.4.2, §8): committing it commits everything before it.
    this.appendEntries([{ term: 0, index: 0, type: 'normal', data: new Uint8Array(0) }]);
  }

  /**
   * The leader appends entries of its term at the end of its log; it never overwrites it.
   * Returns false (appending nothing) if maxUncommittedSize would be exceeded.
   */
  appendEntries(ents: readonly Entry[]): boolean {
    invariant(this.role === 'leader', 'only the leader appends proposals');
    const li = this.log.lastIndex();
    const stamped: Entry[] = ents.map((e, k) => ({ term: this.term, index: li + 1 + k, type: e.type, data: e.data }));
    const size = payloadSize(stamped);
    if (this.maxUncommittedSize > 0 && this.uncommittedSize > 0 && size > 0 && this.uncommittedSize + size > this.maxUncommittedSize) return false;
    this.uncommittedSize += size;
    const last = this.log.append(stamped);
    invariant(last === li + stamped.length, 'leader append did not extend its log');
    this.trk.progress.get(this.id)?.maybeUpdate(last);
    this.maybeCommit();
    return true;
  }

  /** Moves commit to what a majority has, if that entry is of our term (Figure 8). */
  maybeCommit(): boolean {
    const committed = this.log.maybeCommit(this.trk.committed(), this.term);
    if (committed && this.role === 'leader') releasePendingReadIndex(this);
    return committed;
  }

  committedEntryInCurrentTerm(): boolean {
    return this.log.term(this.log.committed) === this.term;
  }

  reduceUncommittedSize(ents: readonly Entry[]): void {
    if (this.uncommittedSize === 0) return;
    this.uncommittedSize = Math.max(0, this.uncommittedSize - payloadSize(ents));
  }

  // ---- sending ----

  send(m: Message): void {
    m.from = this.id;
    if (isVoteMessage(m.type)) {
      invariant(m.term !== 0, () => `${m.type} must carry an explicit term`);
    } else if (m.type === 'prop' || m.type === 'readIndex') {
      // Forwarded requests are not bound to a term; the receiver handles them in its own.
      m.term = 0;
    } else {
      m.term = this.term;
    }
    this.msgs.push(m);
  }

  // ---- input ----

  tick(): void {
    if (this.role === 'leader') this.tickHeartbeat();
    else this.tickElection();
  }

  private tickElection(): void {
    this.electionElapsed++;
    if (this.promotable() && this.electionElapsed >= this.randomizedElectionTimeout) {
      this.electionElapsed = 0;
      hup(this, false);
    }
  }

  private tickHeartbeat(): void {
    this.heartbeatElapsed++;
    this.electionElapsed++;
    if (this.electionElapsed >= this.electionTimeout) {
      this.electionElapsed = 0;
      if (this.checkQuorum) {
        const self = this.trk.progress.get(this.id);
        if (self) self.recentActive = true;
        if (!this.trk.quorumActive()) {
          this.becomeFollower(this.term, NONE); // §6.2: we lost touch with a majority
          return;
        }
        for (const [id, pr] of this.trk.progress) if (id !== this.id) pr.recentActive = false;
      }
      // A transfer that did not finish within an election timeout is abandoned (thesis §3.10).
      if (this.leadTransferee !== NONE) this.leadTransferee = NONE;
    }
    // A leader outside its own voters keeps trying to hand over (again after a failed transfer).
    if (!this.isVoter() && this.leadTransferee === NONE) handOver(this);
    if (this.heartbeatElapsed >= this.heartbeatTimeout) {
      this.heartbeatElapsed = 0;
      bcastHeartbeat(this);
    }
  }

  /** Handles a message from a peer. Requests the core refuses throw DroppedError. */
  step(m: Message): void {
    assertIndex(m.term, 'message term');
    if (m.term === 0) {
      // Not bound to a term: forwarded proposals and reads.
      invariant(m.type === 'prop' || m.type === 'readIndex', () => `${m.type} from ${m.from} without a term`);
    } else if (m.term > this.term) {
      if (m.type === 'vote' || m.type === 'preVote') {
        const force = bytesEqual(m.context, CAMPAIGN_TRANSFER);
        const inLease = this.checkQuorum && this.lead !== NONE && this.electionElapsed < this.electionTimeout;
        // §4.2.3: while we hear from a leader, a vote request is from a disruptive server; ignore it.
        if (!force && inLease) return;
      }
      if (m.type === 'preVote') {
        // A preVote never changes our term.
      } else if (m.type === 'preVoteResp' && !m.reject) {
        // A granted preVote carries the term we would campaign in, not a real one.
      } else if (m.type === 'app' || m.type === 'heartbeat' || m.type === 'snap') {
        this.becomeFollower(m.term, m.from);
      } else if (m.type === 'vote') {
        // Figure 2: only granting a vote (or hearing from a leader) restarts the election timer.
        // A node refusing a less up-to-date candidate keeps counting, so without PreVote a run of
        // hopeless candidates cannot starve the one node that could win.
        const elapsed = this.electionElapsed;
        this.becomeFollower(m.term, NONE);
        this.electionElapsed = elapsed;
      } else {
        this.becomeFollower(m.term, NONE);
      }
    } else if (m.term < this.term) {
      if ((this.checkQuorum || this.preVote) && (m.type === 'heartbeat' || m.type === 'app')) {
        // A stale leader would otherwise never learn our term: with PreVote or CheckQuorum we do
        // not campaign against it to raise its term, so tell it and let it step down.
        this.send(newMessage('appResp', m.from));
      } else if (m.type === 'preVote') {
        // Reject with our term so a preCandidate stuck in an old term catches up.
        this.send(newMessage('preVoteResp', m.from, { term: this.term, reject: true }));
      }
      return;
    }

    if (m.type === 'vote' || m.type === 'preVote') {
      this.handleVoteRequest(m, m.type);
      return;
    }
    switch (this.role) {
      case 'leader':
        stepLeader(this, m);
        break;
      case 'candidate':
      case 'preCandidate':
        stepCandidate(this, m);
        break;
      case 'follower':
        stepFollower(this, m);
        break;
    }
  }

  /** §5.2, §5.4.1: one vote per term, only for a log at least as up to date as ours. */
  private handleVoteRequest(m: Message, type: 'vote' | 'preVote'): void {
    const canVote =
      this.vote === m.from || // a repeated request: answer the same
      (this.vote === NONE && this.lead === NONE) || // not voted and no leader known in this term
      (type === 'preVote' && m.term > this.term); // a preVote for a future term
    const upToDate = this.log.isUpToDate(m.index, m.logTerm);
    if (canVote && upToDate) {
      // Granting answers with the request's term (for a preVote, the future one).
      this.send(newMessage(voteRespType(type), m.from, { term: m.term }));
      if (type === 'vote') {
        invariant(this.vote === NONE || this.vote === m.from, () => `second vote in term ${this.term}: ${this.vote} then ${m.from}`);
        this.electionElapsed = 0;
        this.vote = m.from;
      }
    } else {
      this.send(newMessage(voteRespType(type), m.from, { term: this.term, reject: true }));
      // A voter of our configuration still counts on us (it has not applied our removal) but
      // lacks entries we have: without us it may never get elected. Offer to lead.
      if (canVote && !upToDate && !this.isVoter() && this.trk.voters.has(m.from)) this.caretaker = true;
    }
  }

  campaign(transfer: boolean): void {
    hup(this, transfer);
  }

  // ---- configuration ----

  /** Is a committed conf change still waiting to be applied? Then our config may be stale. */
  hasUnappliedConfChanges(): boolean {
    const log = this.log;
    let lo = Math.max(log.applied + 1, log.firstIndex());
    const hi = log.committed + 1;
    while (lo < hi) {
      const ents = log.slice(lo, hi, this.maxMsgSize);
      for (const e of ents) if (e.type === 'confChange') return true;
      lo += ents.length;
    }
    return false;
  }

  /** Applies a committed conf change (the application calls this when it applies the entry). */
  applyConfChange(cc: ConfChange): ConfState {
    if (cc.nodeId !== NONE) applyToTracker(this.trk, cc, this.log.lastIndex());
    return this.switchToConfig();
  }

  private switchToConfig(): ConfState {
    const cs = this.trk.confState();
    this.isLearner = this.trk.learners.has(this.id);
    if (this.isVoter()) this.caretaker = false;
    if (this.role !== 'leader' || this.trk.voters.size === 0) return cs;
    // The quorum changed: maybe more is committed now, and new members need the log.
    if (this.maybeCommit()) bcastAppend(this);
    else for (const id of this.trk.progress.keys()) if (id !== this.id) maybeSendAppend(this, id, false);
    if (this.leadTransferee !== NONE && !this.trk.voters.has(this.leadTransferee)) this.leadTransferee = NONE;
    // Removed or demoted: stepping down at once could leave the remaining voters, which may not
    // know yet that the change is committed, unable to elect anyone without us (etcd#10563).
    // Hand leadership to the most up-to-date voter instead; proposals are refused meanwhile.
    if (!this.isVoter() && this.leadTransferee === NONE) handOver(this);
    return cs;
  }

  /** Installs a leader's snapshot on a follower. Returns false if it brings nothing new. */
  restore(s: Snapshot): boolean {
    if (s.metadata.index <= this.log.committed) return false;
    invariant(this.role === 'follower', () => `restoring a snapshot as ${this.role}`);
    if (this.log.matchTerm(s.metadata.index, s.metadata.term)) {
      // We already have the snapshot's last entry: just commit up to it.
      this.log.commitTo(s.metadata.index);
      return false;
    }
    this.log.restore(s);
    restoreTracker(this.trk, s.metadata.confState, this.log.lastIndex());
    this.isLearner = this.trk.learners.has(this.id);
    return true;
  }
}
