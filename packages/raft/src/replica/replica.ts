// RaftReplica: one member of a Raft cluster as a running process sees it. It drives the pure core
// with a timer and the transport, runs the Ready loop (persist with fsync, then send, then apply,
// then advance), snapshots the application's state and compacts the log, and turns proposals and
// ReadIndex requests into promises. The application supplies the state machine.
import type { Server } from 'node:http';
import { decodeConfChange } from '../core/confchange.js';
import { RaftNode } from '../core/node.js';
import { seededRand } from '../core/rand.js';
import { cloneConfState, MemoryStorage } from '../core/storage.js';
import { DiskStorage, seedLogStorage } from '../storage/disk-storage.js';
import { noopLogger, type Logger } from '../storage/logger.js';
import { WsTransport } from '../transport/ws-transport.js';
import type { ConfChange, ConfState, Entry, NodeId, Ready, Snapshot, SoftState } from '../types.js';
import { payloadOf, ProposalRegistry, type Applied } from './proposals.js';
import { ReadRegistry } from './reads.js';

/**
 * The application's replicated state. apply() is called once per committed entry, in log order;
 * what it returns reaches the proposer of that entry (if the proposer is this replica).
 */
export interface StateMachine {
  apply(index: number, payload: Uint8Array): unknown;
  /** The whole state, for a snapshot as of the last applied index. */
  snapshot(): Uint8Array;
  /** Replaces the whole state with a snapshot's (at startup and when the leader sends one). */
  restore(data: Uint8Array): void;
  /** A membership change was applied (the application may keep its own member list). */
  applyConfChange?(index: number, cc: ConfChange): void;
}

export interface RaftReplicaOptions {
  id: NodeId;
  /** Replicas of different clusters refuse each other's connections. */
  clusterId: string;
  dataDir: string;
  /** Every initial member's id and peer URL (this one's included); used to bootstrap an empty data dir. */
  peers: Map<NodeId, string>;
  /** A member added to a running cluster: start empty and learn the configuration from the leader. */
  join?: boolean;
  /** The peer URL a conf change's context names. Default: the context is the URL, as UTF-8. */
  peerUrlFromContext?(context: Uint8Array): string | undefined;
  /** Where the Raft transport listens. Default 127.0.0.1, ephemeral port. */
  listen?: { host?: string; port?: number };
  /** Serve Raft on this HTTP server instead (the application serves its other peer paths on it). */
  server?: Server;
  stateMachine: StateMachine;
  /** Milliseconds per logical tick. Default 100. */
  tickMs?: number;
  /** Ticks before a follower campaigns (randomized up to twice this). Default 10. */
  electionTick?: number;
  heartbeatTick?: number;
  /** Snapshot the state machine after this many applied entries. Default 10,000. */
  snapshotEntries?: number;
  /** Entries kept behind a snapshot for slow followers. Default 5,000. */
  compactionMargin?: number;
  /** Called when the leader or this replica's role changes (leases, for one, are the leader's to expire). */
  onSoftState?(state: SoftState): void;
  /** Seed for the election timeout's randomness. Default: random. */
  seed?: number;
  logger?: Logger;
}

export interface ReplicaStatus {
  id: NodeId;
  term: number;
  leader: NodeId;
  role: SoftState['role'];
  commit: number;
  applied: number;
  snapshotIndex: number;
  confState: ConfState;
}

export class NotLeaderError extends Error {
  constructor(readonly leader: NodeId) {
    super(leader === 0 ? 'no leader is known' : `member ${leader} is the leader`);
    this.name = 'NotLeaderError';
  }
}

export class RaftReplica {
  private readonly proposals: ProposalRegistry;
  private readonly reads = new ReadRegistry();
  private readonly logger: Logger;
  private ticker: NodeJS.Timeout | undefined;
  private running = false;
  private closed = false;
  private applied: number;
  private snapshotIndex: number;
  private confState: ConfState;
  private soft: SoftState = { leader: 0, role: 'follower' };
  private readonly confWaiters: { cc: ConfChange; resolve(): void }[] = [];
  private loopError: Error | undefined;
  private queued: { data: Uint8Array; cancel(err: Error): void }[] = [];
  /** Counters for metrics and benchmarks. */
  readonly metrics = { readies: 0, entriesPersisted: 0, entriesApplied: 0, persistMs: 0, messagesSent: 0, snapshotsInstalled: 0 };

  private constructor(
    private readonly options: RaftReplicaOptions,
    private readonly node: RaftNode,
    private readonly memory: MemoryStorage,
    private readonly disk: DiskStorage,
    private transport: WsTransport | undefined,
  ) {
    this.proposals = new ProposalRegistry(options.id);
    this.logger = options.logger ?? noopLogger;
    const snap = memory.snapshot();
    this.applied = snap.metadata.index;
    this.snapshotIndex = snap.metadata.index;
    this.confState = cloneConfState(snap.metadata.confState);
  }

  /** Recovers the data dir (or bootstraps a new cluster in an empty one), listens, and starts ticking. */
  static async start(options: RaftReplicaOptions): Promise<RaftReplica> {
    const logger = options.logger ?? noopLogger;
    const disk = await DiskStorage.open(options.dataDir, { logger });
    const recovered = disk.recover();
    const memory = new MemoryStorage();
    seedLogStorage(memory, recovered);
    if (recovered.snapshot) options.stateMachine.restore(recovered.snapshot.data);
    const node = new RaftNode({
      id: options.id,
      storage: memory,
      electionTick: options.electionTick ?? 10,
      heartbeatTick: options.heartbeatTick ?? 1,
      rand: seededRand(options.seed ?? Math.floor(Math.random() * 2 ** 31)),
      applied: recovered.snapshot?.metadata.index ?? 0,
      peers: options.join ? [] : [...options.peers.keys()],
    });
    const replica = new RaftReplica(options, node, memory, disk, undefined);
    replica.transport = await WsTransport.start({
      clusterId: options.clusterId,
      memberId: options.id,
      listen: options.listen,
      server: options.server,
      peers: [...options.peers].filter(([id]) => id !== options.id),
      logger,
      handler: {
        onMessages: (messages) => {
          for (const m of messages) node.step(m);
          replica.schedule();
        },
        onUnreachable: (peer) => node.reportUnreachable(peer),
        onSnapshotStatus: (peer, ok) => {
          node.reportSnapshot(peer, ok);
          replica.schedule();
        },
      },
    });
    replica.ticker = setInterval(() => {
      node.tick();
      replica.schedule();
    }, options.tickMs ?? 100);
    replica.schedule();
    return replica;
  }

  /** The Raft transport's URL (for other members' peer lists). */
  get peerUrl(): string {
    return this.transport!.url;
  }

  /** The WAL's counters (appends, write batches, fsyncs, bytes, segments). */
  get storageStats() {
    return this.disk.stats;
  }

  /** The transport's counters: frames, messages and bytes sent to and received from each peer. */
  get transportStats() {
    return this.transport?.stats();
  }

  /**
   * Peers our transport holds an open stream to: etcd's rafthttp ActivePeers, which its server
   * polls at boot before advancing the election clock (--initial-election-tick-advance).
   */
  get activePeers(): number {
    let n = 0;
    for (const id of this.options.peers.keys()) if (id !== this.options.id && this.transport?.peerStats(id)?.connected) n++;
    return n;
  }

  /**
   * `ticks` logical clock ticks at once, as etcd's advanceTicks: the core sees exactly what that
   * many timer ticks would have shown it, only sooner, so it starts an election exactly when
   * they would have (once the ticks elapsed reach the randomized timeout, at least electionTick;
   * a pre-vote first). An application calls it at boot to shorten the first election.
   */
  advanceTicks(ticks: number): void {
    if (this.unusable()) return;
    for (let i = 0; i < ticks; i++) this.node.tick();
    this.schedule();
  }

  status(): ReplicaStatus {
    const s = this.node.status();
    return {
      id: this.options.id,
      term: s.hardState.term,
      leader: s.softState.leader,
      role: s.softState.role,
      commit: s.hardState.commit,
      applied: this.applied,
      snapshotIndex: this.snapshotIndex,
      confState: cloneConfState(this.confState),
    };
  }

  /**
   * Replicates `payload` and resolves once this replica has applied it (so it is committed).
   * Followers forward to the leader. Rejects with ProposalDroppedError when it cannot be taken now
   * and with ProposalTimeoutError when it was not applied in time (it may still commit later).
   */
  propose(payload: Uint8Array, timeoutMs = 5000): Promise<Applied> {
    const unusable = this.unusable();
    if (unusable) return Promise.reject(unusable);
    const p = this.proposals.open(payload, timeoutMs);
    this.queued.push(p);
    if (this.queued.length === 1) setImmediate(() => this.proposeQueued());
    return p.done;
  }

  /**
   * Proposals made in one turn of the event loop go to the core as one batch: one append message
   * per follower carries them all, rather than one message per proposal.
   */
  private proposeQueued(): void {
    const batch = this.queued;
    this.queued = [];
    if (batch.length === 0 || this.closed) return;
    try {
      this.node.proposeBatch(batch.map((p) => p.data));
    } catch (err) {
      for (const p of batch) p.cancel(err as Error);
      return;
    }
    this.schedule();
  }

  /** Resolves when reads of the state machine are linearizable: a quorum confirmed the leader, and we applied its commit index. */
  readBarrier(timeoutMs = 5000): Promise<number> {
    const unusable = this.unusable();
    if (unusable) return Promise.reject(unusable);
    const r = this.reads.open(timeoutMs);
    try {
      this.node.readIndex(r.context);
    } catch (err) {
      r.cancel(err as Error);
    }
    this.schedule();
    return r.done;
  }

  /** Adds a member (its peer URL travels in the entry) or removes one; resolves when applied here. */
  changeMembership(cc: ConfChange): Promise<void> {
    const unusable = this.unusable();
    if (unusable) return Promise.reject(unusable);
    if (this.soft.role !== 'leader') return Promise.reject(new NotLeaderError(this.soft.leader));
    this.node.proposeConfChange(cc);
    this.schedule();
    return new Promise((resolve) => this.confWaiters.push({ cc, resolve }));
  }

  transferLeadership(to: NodeId): void {
    this.node.transferLeadership(to);
    this.schedule();
  }

  /** Stops ticking and talking, fails what is waiting, and closes the files (waiting for pending writes). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.ticker);
    const err = new Error('the replica is shutting down');
    this.proposals.failAll(err);
    this.reads.failAll(err);
    await this.transport?.close();
    while (this.running) await new Promise((r) => setTimeout(r, 5));
    await this.disk.close();
  }

  private unusable(): Error | undefined {
    if (this.loopError) return this.loopError;
    if (this.closed) return new Error('the replica is closed');
    return undefined;
  }

  /** Runs the Ready loop soon; one loop at a time, since a Ready must be advanced before the next. */
  private schedule(): void {
    if (this.running || this.closed || this.loopError) return;
    this.running = true;
    setImmediate(() => {
      this.loop()
        .catch((err: Error) => {
          // A failed fsync or a broken invariant: this replica can no longer promise anything.
          this.loopError = err;
          this.logger.error({ err: err.message }, 'raft replica stopped: its Ready loop failed');
          this.proposals.failAll(err);
          this.reads.failAll(err);
          clearInterval(this.ticker);
        })
        .finally(() => {
          this.running = false;
          if (!this.closed && !this.loopError && this.node.hasReady()) this.schedule();
        });
    });
  }

  private async loop(): Promise<void> {
    while (!this.closed && this.node.hasReady()) {
      const rd = this.node.ready();
      const t0 = performance.now();
      // A leader sends before its own fsync (Raft thesis §10.2.1, as etcd's raft loop does): its
      // appends promise nothing about its disk, and the core only learns of a commit from a
      // follower's acknowledgement, which comes back after this Ready is persisted here. Others'
      // messages (votes, append acks) promise that this Ready is on disk, so they wait.
      const leader = (rd.softState?.role ?? this.soft.role) === 'leader';
      if (leader) this.transport!.send(rd.messages);
      const persisted = this.disk.saveReady(rd);
      // Entries committed before this Ready's own entries are durable on a majority, so applying
      // them need not wait for this fsync; entries this Ready persists (a single-member cluster
      // commits them at once) are applied, and so acknowledged, only once they are on disk.
      const firstNew = rd.entries[0]?.index ?? Infinity;
      const early = rd.committedEntries.filter((e) => e.index < firstNew);
      const late = early.length === rd.committedEntries.length ? [] : rd.committedEntries.slice(early.length);
      this.applyReady(rd, early);
      await persisted;
      if (late.length > 0) this.applyEntries(late);
      this.metrics.persistMs += performance.now() - t0;
      this.metrics.readies++;
      this.metrics.entriesPersisted += rd.entries.length;
      this.metrics.entriesApplied += rd.committedEntries.length;
      this.metrics.messagesSent += rd.messages.length;
      this.storeInMemory(rd);
      if (!leader) this.transport!.send(rd.messages);
      this.node.advance(rd);
      await this.maybeSnapshot();
    }
  }

  /** The core reads its log from memory: it gets what is now durable. */
  private storeInMemory(rd: Ready): void {
    if (rd.snapshot) this.memory.applySnapshot(rd.snapshot);
    this.memory.append(rd.entries);
    if (rd.hardState) this.memory.setHardState(rd.hardState);
  }

  private applyReady(rd: Ready, committed: Entry[]): void {
    if (rd.softState) this.onSoftState(rd.softState);
    if (rd.snapshot) this.applySnapshot(rd.snapshot);
    for (const rs of rd.readStates) this.reads.confirmed(rs.context, rs.index, this.applied);
    this.applyEntries(committed);
  }

  private applyEntries(committed: Entry[]): void {
    for (const e of committed) this.applyEntry(e);
    this.reads.release(this.applied);
  }

  private onSoftState(s: SoftState): void {
    const newLeader = s.leader !== this.soft.leader;
    if (newLeader) this.logger.info({ leader: s.leader, role: s.role }, 'raft leader changed');
    this.soft = s;
    if (newLeader && s.leader !== 0) {
      for (const context of this.reads.unconfirmed()) {
        try {
          this.node.readIndex(context);
        } catch {
          // No leader after all: the read times out or is retried at the next change.
        }
      }
    }
    this.options.onSoftState?.(s);
  }

  private applySnapshot(s: Snapshot): void {
    this.metrics.snapshotsInstalled++;
    this.options.stateMachine.restore(s.data);
    this.applied = s.metadata.index;
    this.snapshotIndex = s.metadata.index;
    this.confState = cloneConfState(s.metadata.confState);
    this.syncPeers();
  }

  private applyEntry(e: Entry): void {
    if (e.index <= this.applied) return;
    if (e.type === 'confChange') {
      const cc = decodeConfChange(e.data);
      this.confState = this.node.applyConfChange(cc);
      if (cc.type !== 'removeNode' && cc.context.length > 0) {
        const url = this.options.peerUrlFromContext ? this.options.peerUrlFromContext(cc.context) : Buffer.from(cc.context).toString('utf8');
        if (url) this.options.peers.set(cc.nodeId, url);
      }
      this.syncPeers();
      this.options.stateMachine.applyConfChange?.(e.index, cc);
      for (let i = this.confWaiters.length - 1; i >= 0; i--) {
        const w = this.confWaiters[i]!;
        if (w.cc.type === cc.type && w.cc.nodeId === cc.nodeId) {
          this.confWaiters.splice(i, 1);
          w.resolve();
        }
      }
    } else if (e.data.length > 0) {
      const result = this.options.stateMachine.apply(e.index, payloadOf(e.data));
      this.proposals.applied(e.data, e.index, result);
    }
    this.applied = e.index;
  }

  /** The transport dials exactly the current members. */
  private syncPeers(): void {
    const members = new Set([...this.confState.voters, ...this.confState.learners]);
    for (const id of members) {
      const url = this.options.peers.get(id);
      if (url && id !== this.options.id) this.transport?.addPeer(id, url);
    }
    for (const id of this.options.peers.keys()) if (!members.has(id) && members.size > 0) this.transport?.removePeer(id);
  }

  /** Log compaction: snapshot the state machine every snapshotEntries applied entries. */
  private async maybeSnapshot(): Promise<void> {
    const every = this.options.snapshotEntries ?? 10_000;
    if (this.applied - this.snapshotIndex < every || this.applied > this.memory.lastIndex()) return;
    const snap = this.memory.createSnapshot(this.applied, this.confState, this.options.stateMachine.snapshot());
    await this.disk.saveSnapshot(snap);
    this.snapshotIndex = snap.metadata.index;
    const compactTo = snap.metadata.index - (this.options.compactionMargin ?? 5_000);
    if (compactTo >= this.memory.firstIndex()) {
      this.memory.compact(compactTo);
      await this.disk.releaseTo(compactTo);
    }
  }
}
