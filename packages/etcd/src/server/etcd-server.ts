// One kubets-etcd member: a RaftReplica whose state machine is the MVCC store and lessor, the
// watch hub fed from its apply path, the leader's lease expiry loop, and the helpers the HTTP
// handlers share (response headers, proposals with etcd's errors, linearizable read rounds).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { DroppedError, NotLeaderError, ProposalDroppedError, ProposalTimeoutError, RaftReplica, type ConfChange, type Logger, type SoftState } from '@kubets/raft';
import type { ApplyOutcome } from '../apply/applier.js';
import { encodeRequest, type InternalRequest } from '../apply/request.js';
import type { InitialMember } from '../cluster/initial-cluster.js';
import { resolveIdentity, type Identity, type PeerMembersReply } from '../cluster/identity.js';
import { header, type Out } from '../json/responses.js';
import { EtcdError, errors } from '../mvcc/types.js';
import { WatchHub } from '../watch/hub.js';
import { EntryKind, frameEntry } from './entry.js';
import { LeaseClock } from './lease-clock.js';
import { ReadBarrier } from './read-barrier.js';
import { EtcdStateMachine } from './state-machine.js';

export interface EtcdServerOptions {
  name: string;
  dataDir: string;
  advertiseClientUrls: string[];
  /** Where the Raft transport listens (host and port of the first listen-peer-url). */
  peerListen: { host: string; port: number };
  initialAdvertisePeerUrls: string[];
  initialCluster: InitialMember[];
  initialClusterState: 'new' | 'existing';
  initialClusterToken: string;
  heartbeatMs: number;
  electionMs: number;
  snapshotCount: number;
  maxRequestBytes: number;
  maxTxnOps: number;
  progressNotifyMs: number;
  /** etcd's --initial-election-tick-advance: fast-forward the election clock at boot (see adjustTicks). */
  initialElectionTickAdvance: boolean;
  logger: Logger;
}

/** rafthttp.ConnReadTimeout: how long etcd's adjustTicks waits for its peers to connect. */
const peerWaitMs = 5000;
const peerPollMs = 50;

/** The peer port: an HTTP server that Raft's WebSocket upgrades and GET /members share. */
function listenForPeers(at: { host: string; port: number }): Promise<Server> {
  const server = createServer();
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(at.port, at.host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

export class EtcdServer {
  readonly memberId: number;
  readonly clusterId: number;
  readonly hub: WatchHub;
  readonly leaseClock = new LeaseClock();
  readonly sm: EtcdStateMachine;
  readonly reads: ReadBarrier;
  private replica!: RaftReplica;
  private expiryTimer: NodeJS.Timeout | undefined;
  private role: SoftState = { leader: 0, role: 'follower' };
  leaderChanges = 0;
  private closing = false;

  private constructor(
    readonly options: EtcdServerOptions,
    identity: Identity,
    private readonly peerServer: Server,
  ) {
    this.memberId = identity.memberId;
    this.clusterId = identity.clusterId;
    this.hub = new WatchHub({
      currentRevision: () => this.sm.applier.currentRevision,
      compactRevision: () => this.sm.applier.compactRevision,
      eventsSince: (start, range) => this.sm.applier.eventsSince(start, range.key, range.rangeEnd),
    });
    this.sm = new EtcdStateMachine(this.hub, this.leaseClock, identity.members);
    this.reads = new ReadBarrier(() => this.replica.readBarrier(this.requestTimeoutMs));
  }

  static async start(options: EtcdServerOptions): Promise<EtcdServer> {
    const identity = await resolveIdentity(options);
    const peerServer = await listenForPeers(options.peerListen);
    const s = new EtcdServer(options, identity, peerServer);
    peerServer.on('request', (req, res) => s.servePeer(req, res));
    const peers = new Map(identity.members.map((m) => [m.id, m.peerUrls[0]!]));
    s.replica = await RaftReplica.start({
      id: s.memberId,
      clusterId: String(s.clusterId),
      dataDir: options.dataDir,
      peers,
      join: identity.joined,
      server: peerServer,
      stateMachine: s.sm,
      tickMs: options.heartbeatMs,
      electionTick: s.electionTicks,
      heartbeatTick: 1,
      snapshotEntries: options.snapshotCount,
      compactionMargin: Math.min(5000, Math.floor(options.snapshotCount / 2)),
      peerUrlFromContext: (context) => (JSON.parse(Buffer.from(context).toString()) as { peerUrls?: string[] }).peerUrls?.[0],
      onSoftState: (state) => s.onSoftState(state),
      logger: options.logger,
    });
    s.expiryTimer = setInterval(() => s.expireLeases(), 250);
    s.expiryTimer.unref();
    // Alongside the publish below, which needs the leader it hastens, as etcd runs it.
    s.adjustTicks().catch((err: Error) => options.logger.error({ err: err.message }, 'initial election tick advance failed'));
    // As etcd, a member serves clients once its name and client URLs are published.
    await s.publish();
    return s;
  }

  /** The peer port's own paths besides Raft: GET /members, which joining members ask. */
  private servePeer(req: IncomingMessage, res: ServerResponse): void {
    if (req.method === 'GET' && req.url === '/members') {
      const reply: PeerMembersReply = { clusterId: String(this.clusterId), members: this.sm.members.list() };
      res.writeHead(200, { 'content-type': 'application/json', 'x-etcd-cluster-id': this.clusterId.toString(16) }).end(JSON.stringify(reply));
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  }

  /** Whether this member is the leader, and the leader's id (0: none known). */
  get leadership(): SoftState {
    return this.role;
  }

  /** Adds or removes a member through a Raft conf change; resolves once applied here. Leader only. */
  async changeMembership(cc: ConfChange): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(errors.timeout()), this.requestTimeoutMs);
    });
    try {
      await Promise.race([this.replica.changeMembership(cc), timeout]);
    } catch (err) {
      if (err instanceof ProposalDroppedError && err.reason === 'confChangePending') throw new EtcdError(9, 'etcdserver: unhealthy cluster');
      if (err instanceof NotLeaderError) throw errors.noLeader();
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  /** The election timeout in heartbeat ticks (etcd's ElectionTicks). */
  get electionTicks(): number {
    return Math.max(2, Math.round(this.options.electionMs / this.options.heartbeatMs));
  }

  get requestTimeoutMs(): number {
    return 5000 + 2 * this.options.electionMs;
  }

  status() {
    return this.replica.status();
  }

  /** Raft's counters (Readies, entries, messages), the WAL's and the transport's, for /metrics. */
  raftStats() {
    return { replica: this.replica.metrics, wal: this.replica.storageStats, transport: this.replica.transportStats };
  }

  /** The response header at `revision` (default: the current revision). */
  header(revision?: number): Out {
    return header({
      clusterId: BigInt(this.clusterId),
      memberId: BigInt(this.memberId),
      revision: revision ?? this.sm.applier.currentRevision,
      raftTerm: this.replica.status().term,
    });
  }

  /** Replicates an entry and returns what applying it produced here. */
  async propose(kind: EntryKind, body: Uint8Array, timeoutMs = this.requestTimeoutMs): Promise<unknown> {
    // Request sizes are checked at the API layer, against the request's protobuf size, as etcd does.
    const data = frameEntry(kind, body);
    try {
      return (await this.replica.propose(data, timeoutMs)).result;
    } catch (err) {
      if (err instanceof DroppedError) throw err.reason === 'noLeader' ? errors.noLeader() : new EtcdError(14, 'etcdserver: leader changed');
      if (err instanceof ProposalTimeoutError) throw errors.timeout();
      throw err;
    }
  }

  /** Replicates a request for the applier; etcd's errors come back as thrown EtcdErrors. */
  async proposeRequest(req: InternalRequest): Promise<Extract<ApplyOutcome, { ok: true }>> {
    const out = (await this.propose(EntryKind.Request, encodeRequest(req))) as ApplyOutcome;
    if (!out.ok) throw out.error;
    return out;
  }

  /** Waits until reads here are linearizable (a quorum-confirmed ReadIndex round, then apply). */
  async linearizable(): Promise<void> {
    try {
      await this.reads.wait();
    } catch (err) {
      if (err instanceof DroppedError) throw errors.noLeader();
      throw errors.timeout();
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    clearInterval(this.expiryTimer);
    await this.replica.close();
    await new Promise<void>((resolve) => {
      this.peerServer.close(() => resolve());
      this.peerServer.closeAllConnections();
    });
  }

  private onSoftState(state: SoftState): void {
    if (state.leader !== this.role.leader) this.leaderChanges++;
    const wasLeader = this.role.role === 'leader';
    this.role = state;
    if (state.role === 'leader' && !wasLeader) this.leaseClock.promote();
  }

  /** The leader revokes expired leases through Raft; the revoke deletes their keys once. */
  private expireLeases(): void {
    if (this.role.role !== 'leader') return;
    for (const id of this.leaseClock.expired(this.requestTimeoutMs)) {
      this.proposeRequest({ leaseRevoke: { id } }).catch((err: Error) => {
        if (!(err instanceof EtcdError && err.code === 5)) this.options.logger.warn({ lease: String(id), err: err.message }, 'could not revoke an expired lease');
      });
    }
  }

  /**
   * etcd's adjustTicks (server.go, --initial-election-tick-advance): a member that boots waits a
   * whole randomized election timeout before its first campaign, though a fresh cluster has no
   * leader to hear from. A single member advances electionTicks-1 ticks at once, whatever the
   * flag says. With peers, once more than one is connected (or after 5 s: then advancing would
   * not help), it advances electionTicks-2: two ticks short of a timeout, so the first campaign
   * comes two ticks plus the randomized part after boot, and a leader that is already there
   * still has two ticks to be heard. It only moves the first election earlier: the campaign is
   * a pre-vote that members who hear a leader refuse, as with any early timeout. A member that
   * already knows a leader (one that answered while we waited) skips it.
   */
  private async adjustTicks(): Promise<void> {
    const { logger, heartbeatMs } = this.options;
    const electionTicks = this.electionTicks;
    const counts = (ticks: number) => ({
      memberId: this.memberId.toString(16),
      forwardTicks: ticks,
      forwardDuration: `${ticks * heartbeatMs}ms`,
      electionTicks,
      electionTimeout: `${electionTicks * heartbeatMs}ms`,
    });
    if (this.sm.members.list().length === 1) {
      logger.info(counts(electionTicks - 1), 'started as single-node; fast-forwarding election ticks');
      this.replica.advanceTicks(electionTicks - 1);
      return;
    }
    if (!this.options.initialElectionTickAdvance) {
      logger.info({ electionTicks }, 'skipping initial election tick advance');
      return;
    }
    logger.info({ electionTicks }, 'starting initial election tick advance');
    for (let waited = 0; waited < peerWaitMs; waited += peerPollMs) {
      await new Promise((r) => setTimeout(r, peerPollMs));
      if (this.closing) return;
      if (this.replica.status().leader !== 0) {
        logger.info({ leader: this.replica.status().leader.toString(16) }, 'skipping initial election tick advance: a leader is already known');
        return;
      }
      const active = this.replica.activePeers;
      if (active > 1) {
        logger.info({ ...counts(electionTicks - 2), activeRemoteMembers: active }, 'initialized peer connections; fast-forwarding election ticks');
        this.replica.advanceTicks(electionTicks - 2);
        return;
      }
    }
  }

  /**
   * etcd's publish: this member's name and client URLs go through the log to every member. Tried
   * with a short timeout until it applies (a proposal lost in a leader change is simply retried).
   */
  private async publish(): Promise<void> {
    const body = Buffer.from(JSON.stringify({ id: this.memberId, name: this.options.name, clientUrls: this.options.advertiseClientUrls }));
    const attemptMs = Math.max(1000, 2 * this.options.electionMs);
    for (let attempt = 0; ; attempt++) {
      try {
        await this.propose(EntryKind.PublishMember, body, attemptMs);
        return;
      } catch (err) {
        if (this.closing) throw err;
        if (attempt > 0 && attempt % 10 === 0) this.options.logger.warn({ err: (err as Error).message }, 'still publishing this member to the cluster');
        // A proposal with no leader yet fails at once: a short pause between tries keeps the
        // member from serving clients long after the first election (it used to wait up to 0.5 s).
        await new Promise((r) => setTimeout(r, Math.min(100, 25 * 2 ** attempt)));
      }
    }
  }

}
