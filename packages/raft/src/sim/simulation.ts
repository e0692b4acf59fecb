// One seeded run of the deterministic simulation: 3 to 5 replicas of the real core, a network
// that drops, delays, duplicates and reorders messages and partitions the cluster, replicas that
// crash (losing what was not fsynced) and restart, clients that write and read, membership
// changes, leadership transfers and snapshots. Every step is checked by the Checker. After the
// chaos phase the faults stop, everything heals, and the cluster must elect a leader and commit
// and serve new requests within a bounded time (liveness).
//
// Everything is driven by one seed: no Date, no Math.random. A failure replays exactly.
import { bytesKey } from '../core/bytes.js';
import { DroppedError } from '../core/errors.js';
import { randInt, seededRand, type Rand } from '../core/rand.js';
import type { ConfChange, Entry, HardState, Message, NodeId, Ready, Snapshot } from '../types.js';
import { NONE } from '../types.js';
import { Checker, checkLogsMatch, SafetyError } from './checker.js';
import { EventQueue } from './heap.js';
import { Replica, type ReplicaEnv } from './replica.js';
import { fmtMessage, Trace } from './trace.js';

export interface SimOptions {
  seed: number;
  trace?: boolean;
  /** Simulated milliseconds of chaos before the liveness phase (default 20 s). */
  chaosMs?: number;
  /** How long the healed cluster has to make progress (default 30 s = 300 ticks). */
  livenessMs?: number;
}

export interface FaultCounts {
  drops: number;
  dups: number;
  longDelays: number;
  partitions: number;
  crashes: number;
  tornWrites: number;
  confChanges: number;
  transfers: number;
  campaigns: number;
  snapshotsSent: number;
  compactions: number;
  unreachable: number;
}

export interface SimStats {
  seedsRun: number;
  steps: number;
  elections: number;
  commits: number;
  writes: number;
  reads: number;
  proposalsDropped: number;
  faults: FaultCounts;
  /** Worst time from the end of chaos to a live, caught-up cluster, in ticks, and its seed. */
  maxLivenessTicks: number;
  slowestSeed: number;
}

export function emptyStats(): SimStats {
  return {
    seedsRun: 0,
    steps: 0,
    elections: 0,
    commits: 0,
    writes: 0,
    reads: 0,
    proposalsDropped: 0,
    faults: { drops: 0, dups: 0, longDelays: 0, partitions: 0, crashes: 0, tornWrites: 0, confChanges: 0, transfers: 0, campaigns: 0, snapshotsSent: 0, compactions: 0, unreachable: 0 },
    maxLivenessTicks: 0,
    slowestSeed: 0,
  };
}

export function addStats(into: SimStats, s: SimStats): void {
  into.seedsRun += s.seedsRun;
  into.steps += s.steps;
  into.elections += s.elections;
  into.commits += s.commits;
  into.writes += s.writes;
  into.reads += s.reads;
  into.proposalsDropped += s.proposalsDropped;
  for (const k of Object.keys(into.faults) as (keyof FaultCounts)[]) into.faults[k] += s.faults[k];
  // Ties go to the lower seed, so totals do not depend on the order workers report in.
  if (s.maxLivenessTicks > into.maxLivenessTicks || (s.maxLivenessTicks === into.maxLivenessTicks && s.slowestSeed < into.slowestSeed)) {
    into.maxLivenessTicks = s.maxLivenessTicks;
    into.slowestSeed = s.slowestSeed;
  }
}

export class SimFailure extends Error {
  override name = 'SimFailure';
  constructor(
    readonly seed: number,
    override readonly cause: unknown,
    readonly at: number,
    readonly traceLines: string[],
  ) {
    super(`seed ${seed} failed at ${(at / 1000).toFixed(3)}s: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

const TICK_MS = 100;

type Ev =
  | { k: 'tick'; id: NodeId; inc: number }
  | { k: 'deliver'; m: Message }
  | { k: 'fsync'; id: NodeId; inc: number; token: number }
  | { k: 'client' }
  | { k: 'fault' }
  | { k: 'restart'; id: NodeId }
  | { k: 'heal'; gen: number }
  | { k: 'snapReport'; id: NodeId; inc: number; to: NodeId; ok: boolean }
  | { k: 'liveness' }
  | { k: 'killLeader'; id: NodeId; inc: number; term: number };

/** The knobs of one run, drawn from the seed so that seeds cover different regimes. */
interface Profile {
  voters: number;
  replicas: number;
  dropRate: number;
  dupRate: number;
  longDelayRate: number;
  tornRate: number;
  faultEveryMs: number;
  clientEveryMs: number;
  crashW: number;
  partitionW: number;
  confW: number;
  transferW: number;
  campaignW: number;
  compactW: number;
  unreachableW: number;
  snapEvery: number;
  snapKeep: number;
  /** How often a newly elected leader is crashed or cut off moments later (Figure 8 territory). */
  leaderKillRate: number;
}

interface WriteRec {
  id: number;
  ackedAt: number | undefined;
  index: number;
  liveness: boolean;
  lastTry: number;
}

interface ReadRec {
  id: number;
  node: NodeId;
  inc: number;
  issuedAt: number;
  minIndex: number;
  readIndex: number | undefined;
  liveness: boolean;
}

function pick<T>(rand: Rand, xs: readonly T[]): T {
  return xs[Math.floor(rand() * xs.length)]!;
}

export function runSeed(opts: SimOptions): SimStats {
  const sim = new Simulation(opts);
  try {
    return sim.run();
  } catch (err) {
    if (err instanceof SimFailure) throw err;
    throw new SimFailure(opts.seed, err, sim.now, sim.trace.lines());
  }
}

class Simulation implements ReplicaEnv {
  readonly rand: Rand;
  now = 0;
  readonly trace: Trace;
  private readonly queue = new EventQueue<Ev>();
  private readonly replicas = new Map<NodeId, Replica>();
  private readonly checker = new Checker();
  private readonly stats = emptyStats();
  private readonly p: Profile;
  private readonly chaosMs: number;
  private readonly livenessMs: number;
  private phase: 'chaos' | 'liveness' = 'chaos';
  private livenessStart = 0;
  private blocked = new Set<string>();
  private partitionGen = 0;
  private readonly writes = new Map<number, WriteRec>();
  private nextWrite = 1;
  private readonly reads = new Map<string, ReadRec>();
  private nextRead = 1;
  private livenessReadDone = false;
  private lastLivenessRead = 0;
  private readonly observed = new Map<NodeId, { role: string; term: number; commit: number }>();
  private readonly tickPeriod = new Map<NodeId, number>();
  /** Extra one-way latency of each replica's links (some replicas are far away). */
  private readonly farness = new Map<NodeId, number>();

  constructor(private readonly opts: SimOptions) {
    this.rand = seededRand(opts.seed);
    this.trace = new Trace(opts.trace ?? false, 3000);
    this.chaosMs = opts.chaosMs ?? 20000;
    this.livenessMs = opts.livenessMs ?? 30000;
    const r = this.rand;
    const voters = randInt(r, 3, 6);
    const withSpares = r() < 0.7;
    this.p = {
      voters,
      replicas: withSpares ? 5 : voters,
      dropRate: pick(r, [0, 0.01, 0.05, 0.1, 0.2]),
      dupRate: pick(r, [0, 0.01, 0.05]),
      longDelayRate: pick(r, [0, 0.01, 0.05]),
      tornRate: pick(r, [0, 0.5, 1]),
      faultEveryMs: pick(r, [200, 500, 1500]),
      clientEveryMs: pick(r, [30, 100, 300]),
      crashW: pick(r, [0, 1, 3]),
      partitionW: pick(r, [0, 1, 3]),
      confW: withSpares ? pick(r, [0, 1, 3]) : 0,
      transferW: pick(r, [0, 1]),
      campaignW: pick(r, [0, 0.3]),
      compactW: pick(r, [0, 1]),
      unreachableW: pick(r, [0, 0.5]),
      snapEvery: pick(r, [5, 20, 80, 1000000]),
      snapKeep: pick(r, [0, 3, 20]),
      leaderKillRate: pick(r, [0, 0, 0.2, 0.5]),
    };
    const bothOn = r() < 0.8;
    const config = {
      electionTick: 10,
      heartbeatTick: pick(r, [1, 1, 2, 3]),
      preVote: bothOn || r() < 0.5,
      checkQuorum: bothOn || r() < 0.5,
      maxSizePerMsg: pick(r, [64, 256, 4096, 1 << 20]),
      maxInflightMsgs: pick(r, [1, 2, 4, 64]),
      maxInflightBytes: pick(r, [0, 0, 512, 8192]),
      maxUncommittedSize: pick(r, [0, 0, 4096]),
      maxCommittedSizePerReady: pick(r, [128, 1 << 20]),
    };
    const initial: NodeId[] = [];
    for (let id = 1; id <= voters; id++) initial.push(id);
    for (let id = 1; id <= this.p.replicas; id++) {
      const peers = id <= voters ? initial : [];
      this.replicas.set(id, new Replica(id, { ...config, peers }, this));
      this.tickPeriod.set(id, TICK_MS + randInt(r, -5, 6));
      this.farness.set(id, r() < 0.3 ? pick(r, [10, 40, 150]) : 0);
    }
    this.trace.add(0, () => `seed ${opts.seed}: ${this.p.replicas} replicas, voters ${initial.join(',')}; profile ${JSON.stringify(this.p)}; config ${JSON.stringify(config)}`);
  }

  run(): SimStats {
    for (const r of this.replicas.values()) this.startReplica(r, randInt(this.rand, 0, TICK_MS));
    this.queue.push(randInt(this.rand, 0, this.p.clientEveryMs), { k: 'client' });
    this.queue.push(this.p.faultEveryMs, { k: 'fault' });
    this.queue.push(this.chaosMs, { k: 'liveness' });
    for (;;) {
      const ev = this.queue.pop();
      if (!ev) throw new SafetyError('the event queue ran dry');
      this.now = ev.at;
      if (this.phase === 'liveness' && this.now > this.livenessStart + this.livenessMs) {
        throw new SafetyError(`liveness: no progress ${this.livenessMs / TICK_MS} ticks after the network healed and every replica was up (${this.livenessReport()})`);
      }
      this.handle(ev.value);
      this.stats.steps++;
      this.observe();
      if (this.phase === 'liveness' && this.livenessDone()) break;
    }
    const ticks = Math.ceil((this.now - this.livenessStart) / TICK_MS);
    this.stats.maxLivenessTicks = ticks;
    this.stats.slowestSeed = this.opts.seed;
    this.finalChecks();
    this.stats.seedsRun = 1;
    if (this.opts.trace) process.stderr.write(`${this.trace.lines().join('\n')}\n`);
    return this.stats;
  }

  // ---- events ----

  private handle(ev: Ev): void {
    switch (ev.k) {
      case 'tick': {
        const r = this.replicas.get(ev.id)!;
        if (!r.up || r.incarnation !== ev.inc) return;
        r.node.tick();
        r.pump();
        this.queue.push(this.now + this.tickPeriod.get(r.id)!, ev);
        return;
      }
      case 'deliver':
        this.deliver(ev.m);
        return;
      case 'fsync': {
        const r = this.replicas.get(ev.id)!;
        if (r.up && r.incarnation === ev.inc) r.fsyncDone(ev.token);
        return;
      }
      case 'client':
        this.client();
        this.queue.push(this.now + 1 + Math.floor(this.rand() * 2 * (this.phase === 'liveness' ? 50 : this.p.clientEveryMs)), { k: 'client' });
        return;
      case 'fault':
        if (this.phase !== 'chaos') return;
        this.fault();
        this.queue.push(this.now + 1 + Math.floor(this.rand() * 2 * this.p.faultEveryMs), { k: 'fault' });
        return;
      case 'restart': {
        const r = this.replicas.get(ev.id)!;
        if (!r.up) this.startReplica(r, 0);
        return;
      }
      case 'heal':
        if (ev.gen === this.partitionGen && this.blocked.size > 0) {
          this.blocked.clear();
          this.trace.add(this.now, 'partition healed');
        }
        return;
      case 'snapReport': {
        const r = this.replicas.get(ev.id)!;
        if (!r.up || r.incarnation !== ev.inc) return;
        r.node.reportSnapshot(ev.to, ev.ok);
        r.pump();
        return;
      }
      case 'liveness':
        this.startLiveness();
        return;
      case 'killLeader': {
        const r = this.replicas.get(ev.id)!;
        if (this.phase !== 'chaos' || !r.up || r.incarnation !== ev.inc || r.node.raft.role !== 'leader' || r.node.raft.term !== ev.term) return;
        if (this.rand() < 0.5 || this.blocked.size > 0) this.crashReplica(r);
        else this.isolate(r.id);
        return;
      }
    }
  }

  private startReplica(r: Replica, firstTickIn: number): void {
    r.start(Math.floor(this.rand() * 0x7fffffff));
    this.observed.set(r.id, { role: 'follower', term: r.node.raft.term, commit: 0 });
    this.trace.add(this.now, () => `node ${r.id} starts (incarnation ${r.incarnation}): term ${r.node.raft.term} vote ${r.node.raft.vote} commit ${r.node.raft.log.committed} log [${r.disk.storage.firstIndex()}..${r.disk.storage.lastIndex()}] snapshot ${r.disk.storage.snapshot().metadata.index}`);
    this.queue.push(this.now + firstTickIn, { k: 'tick', id: r.id, inc: r.incarnation });
    r.pump();
  }

  // ---- network ----

  send(from: Replica, m: Message): void {
    this.checker.onSend(from.id, m, from.disk.durableHard, from.disk.storage);
    if (m.to === from.id || m.to === NONE) throw new SafetyError(`node ${from.id} sent ${m.type} to ${m.to}`);
    // The core must never touch a message once sent (the copy the network holds is shared).
    Object.freeze(m);
    Object.freeze(m.entries);
    if (this.rand() < this.p.dropRate) {
      this.stats.faults.drops++;
      this.trace.add(this.now, () => `lost ${fmtMessage(m)}`);
      if (m.type === 'snap') this.reportSnap(from, m.to, false);
      return;
    }
    const far = this.phase === 'chaos' ? this.farness.get(m.from)! + this.farness.get(m.to)! : 0;
    this.queue.push(this.now + far + this.delay(), { k: 'deliver', m });
    if (this.rand() < this.p.dupRate) {
      this.stats.faults.dups++;
      this.queue.push(this.now + far + this.delay(), { k: 'deliver', m });
    }
  }

  private delay(): number {
    const x = this.rand();
    if (x < this.p.longDelayRate) {
      this.stats.faults.longDelays++;
      return randInt(this.rand, 50, 1500);
    }
    if (x < 0.1) return randInt(this.rand, 10, 60);
    return randInt(this.rand, 1, 10);
  }

  private deliver(m: Message): void {
    const dst = this.replicas.get(m.to);
    const src = this.replicas.get(m.from)!;
    const cut = this.blocked.has(`${m.from}>${m.to}`);
    if (!dst || !dst.up || cut) {
      this.trace.add(this.now, () => `dropped (${cut ? 'partition' : 'down'}) ${fmtMessage(m)}`);
      if (m.type === 'snap') this.reportSnap(src, m.to, false);
      if (cut && src.up && this.rand() < this.p.unreachableW) {
        this.stats.faults.unreachable++;
        src.node.reportUnreachable(m.to);
        src.pump();
      }
      return;
    }
    this.trace.add(this.now, () => fmtMessage(m));
    dst.node.step(m);
    dst.pump();
    if (m.type === 'snap') {
      this.stats.faults.snapshotsSent++;
      this.reportSnap(src, m.to, true);
    }
  }

  private reportSnap(src: Replica, to: NodeId, ok: boolean): void {
    if (!src.up) return;
    this.queue.push(this.now + randInt(this.rand, 1, 20), { k: 'snapReport', id: src.id, inc: src.incarnation, to, ok });
  }

  // ---- ReplicaEnv ----

  scheduleFsync(r: Replica, token: number, latency: number): void {
    this.queue.push(this.now + latency, { k: 'fsync', id: r.id, inc: r.incarnation, token });
  }

  fsyncLatency(): number {
    return this.rand() < 0.1 ? randInt(this.rand, 10, 50) : randInt(this.rand, 1, 5);
  }

  onPersisted(r: Replica, rd: Ready, prevDurable: HardState): void {
    this.checker.onPersistHardState(r.id, prevDurable, r.disk.durableHard);
    this.checker.onPersistEntries(r.id, r.disk.storage, rd.entries);
    this.trace.add(this.now, () => {
      const parts: string[] = [];
      if (rd.snapshot) parts.push(`snapshot ${rd.snapshot.metadata.index}/${rd.snapshot.metadata.term}`);
      if (rd.entries.length) parts.push(`entries ${rd.entries[0]!.index}..${rd.entries[rd.entries.length - 1]!.index} (terms ${rd.entries[0]!.term}..${rd.entries[rd.entries.length - 1]!.term})`);
      if (rd.hardState) parts.push(`hs t${rd.hardState.term} v${rd.hardState.vote} c${rd.hardState.commit}`);
      return `node ${r.id} fsynced ${parts.join(', ')}`;
    });
  }

  onApplied(r: Replica, e: Entry): void {
    this.checker.onApply(r.id, e.index, r.sm.digest);
    if (e.type === 'normal' && e.data.length >= 9 && e.data[0] === 0x57) {
      const id = new DataView(e.data.buffer, e.data.byteOffset, e.data.byteLength).getFloat64(1);
      const w = this.writes.get(id);
      if (w && w.ackedAt === undefined) {
        w.ackedAt = this.now;
        w.index = e.index;
        this.stats.writes++;
      }
    }
    if (e.type === 'confChange') this.trace.add(this.now, () => `node ${r.id} applied conf change at ${e.index}: now ${JSON.stringify(r.sm.confState)}`);
    this.afterApply(r);
  }

  onSnapshotApplied(r: Replica, s: Snapshot): void {
    this.checker.onApply(r.id, s.metadata.index, r.sm.digest);
    this.trace.add(this.now, () => `node ${r.id} installed snapshot ${s.metadata.index}/${s.metadata.term} conf ${JSON.stringify(s.metadata.confState)}`);
    this.afterApply(r);
  }

  private afterApply(r: Replica): void {
    for (const [key, rd] of this.reads) {
      if (rd.node === r.id && rd.inc === r.incarnation && rd.readIndex !== undefined && rd.readIndex <= r.sm.index) this.completeRead(key, rd, r);
    }
    if (r.sm.index - r.disk.storage.snapshot().metadata.index >= this.p.snapEvery) {
      if (r.snapshotAndCompact(this.p.snapKeep)) this.stats.faults.compactions++;
    }
  }

  onReadState(r: Replica, index: number, context: Uint8Array): void {
    const key = bytesKey(context);
    const rd = this.reads.get(key);
    if (!rd || rd.node !== r.id || rd.inc !== r.incarnation || rd.readIndex !== undefined) return;
    this.checker.onReadState(r.id, index, rd.minIndex, `#${rd.id}`);
    rd.readIndex = index;
    this.trace.add(this.now, () => `node ${r.id} read #${rd.id} may be served at index ${index} (issued when ${rd.minIndex} was applied)`);
    if (index <= r.sm.index) this.completeRead(key, rd, r);
  }

  private completeRead(key: string, rd: ReadRec, r: Replica): void {
    this.reads.delete(key);
    this.stats.reads++;
    if (rd.liveness) this.livenessReadDone = true;
    this.trace.add(this.now, () => `node ${r.id} served read #${rd.id} at applied index ${r.sm.index}`);
  }

  // ---- clients ----

  private upReplicas(): Replica[] {
    return [...this.replicas.values()].filter((r) => r.up);
  }

  private client(): void {
    const ups = this.upReplicas();
    if (ups.length === 0) return;
    if (this.rand() < 0.7) {
      // Sometimes a burst, so that a leader has many entries in flight when it fails.
      const n = this.rand() < 0.1 ? randInt(this.rand, 2, 12) : 1;
      const leader = this.currentLeader();
      for (let i = 0; i < n; i++) this.propose(this.newWrite(false), leader && this.rand() < 0.5 ? leader : pick(this.rand, ups));
    }
    if (this.rand() < 0.3) this.read(pick(this.rand, ups), false);
    if (this.phase === 'liveness') {
      // Clients fail over to another endpoint when a request is refused or goes unanswered.
      for (const w of this.writes.values()) {
        if (w.liveness && w.ackedAt === undefined && this.now - w.lastTry >= 300) this.propose(w, pick(this.rand, ups));
      }
      if (!this.livenessReadDone && this.now - this.lastLivenessRead >= 300) {
        this.lastLivenessRead = this.now;
        this.read(pick(this.rand, ups), true);
      }
    }
    // Reads that never came back (lost request, leader change) are abandoned, as clients time out.
    for (const [key, rd] of this.reads) if (this.now - rd.issuedAt > 10000) this.reads.delete(key);
  }

  private newWrite(liveness: boolean): WriteRec {
    const w: WriteRec = { id: this.nextWrite++, ackedAt: undefined, index: 0, liveness, lastTry: 0 };
    this.writes.set(w.id, w);
    return w;
  }

  private propose(w: WriteRec, r: Replica): void {
    const pad = randInt(this.rand, 0, 3) === 0 ? randInt(this.rand, 0, 200) : 0;
    const data = new Uint8Array(9 + pad);
    data[0] = 0x57; // 'W'
    new DataView(data.buffer).setFloat64(1, w.id);
    w.lastTry = this.now;
    try {
      r.node.propose(data);
      this.trace.add(this.now, () => `client proposes write #${w.id} at node ${r.id}`);
    } catch (err) {
      if (!(err instanceof DroppedError)) throw err;
      this.stats.proposalsDropped++;
      this.trace.add(this.now, () => `node ${r.id} drops write #${w.id}: ${err.reason}`);
    }
    r.pump();
  }

  private read(r: Replica, liveness: boolean): void {
    const id = this.nextRead++;
    const ctx = new Uint8Array(8);
    new DataView(ctx.buffer).setFloat64(0, id);
    const rd: ReadRec = { id, node: r.id, inc: r.incarnation, issuedAt: this.now, minIndex: this.checker.maxApplied, readIndex: undefined, liveness };
    try {
      r.node.readIndex(ctx);
      this.reads.set(bytesKey(ctx), rd);
      this.trace.add(this.now, () => `client reads #${id} at node ${r.id} (applied anywhere: ${rd.minIndex})`);
    } catch (err) {
      if (!(err instanceof DroppedError)) throw err;
    }
    r.pump();
  }

  // ---- faults ----

  private fault(): void {
    const p = this.p;
    const choices: [number, () => void][] = [
      [p.crashW, () => this.crash()],
      [p.partitionW, () => this.partition()],
      [p.confW, () => this.confChange()],
      [p.transferW, () => this.transfer()],
      [p.campaignW, () => this.forceCampaign()],
      [p.compactW, () => this.compact()],
    ];
    const total = choices.reduce((n, c) => n + c[0], 0);
    if (total === 0) return;
    let x = this.rand() * total;
    for (const [w, f] of choices) {
      if (x < w) {
        f();
        return;
      }
      x -= w;
    }
  }

  private crash(): void {
    const ups = this.upReplicas();
    if (ups.length === 0) return;
    // Half the time kill the leader: that is where divergent logs (Figure 8) come from.
    const leader = this.currentLeader();
    this.crashReplica(leader && this.rand() < 0.5 ? leader : pick(this.rand, ups));
  }

  private crashReplica(r: Replica): void {
    const inFlight = r.crash();
    const torn = this.rand() < this.p.tornRate;
    const kept = r.disk.crash(inFlight, torn ? randInt(this.rand, 0, inFlight.length + 2) : 0);
    this.stats.faults.crashes++;
    if (torn && kept > 0) this.stats.faults.tornWrites++;
    for (const [key, rd] of this.reads) if (rd.node === r.id) this.reads.delete(key);
    const down = pick(this.rand, [200, 1000, 3000, 8000]);
    this.trace.add(this.now, () => `CRASH node ${r.id} (${inFlight.length} records in flight, ${kept} unsynced records kept); restart in ${down}ms`);
    this.queue.push(this.now + down, { k: 'restart', id: r.id });
  }

  private partition(): void {
    if (this.blocked.size > 0) return;
    const ids = [...this.replicas.keys()];
    const kind = randInt(this.rand, 0, 3);
    if (kind === 0) {
      const leader = this.currentLeader();
      this.isolate(leader && this.rand() < 0.5 ? leader.id : pick(this.rand, ids));
      return;
    } else if (kind === 1) {
      const side = new Set(ids.filter(() => this.rand() < 0.5));
      for (const a of side) for (const b of ids) if (!side.has(b)) this.cut(a, b, true);
      this.trace.add(this.now, `PARTITION {${[...side].join(',')}} | {${ids.filter((i) => !side.has(i)).join(',')}}`);
    } else {
      // One-way links: a sends into the void but still hears.
      const n = randInt(this.rand, 1, 4);
      const cuts: string[] = [];
      for (let i = 0; i < n; i++) {
        const a = pick(this.rand, ids);
        const b = pick(this.rand, ids);
        if (a !== b) {
          this.cut(a, b, false);
          cuts.push(`${a}>${b}`);
        }
      }
      this.trace.add(this.now, `PARTITION one-way ${cuts.join(' ')}`);
    }
    if (this.blocked.size === 0) return;
    this.stats.faults.partitions++;
    this.queue.push(this.now + pick(this.rand, [300, 1500, 5000, 10000]), { k: 'heal', gen: ++this.partitionGen });
  }

  private isolate(x: NodeId): void {
    for (const y of this.replicas.keys()) if (y !== x) this.cut(x, y, true);
    this.trace.add(this.now, `PARTITION node ${x} isolated`);
    this.stats.faults.partitions++;
    this.queue.push(this.now + pick(this.rand, [300, 1500, 5000, 10000]), { k: 'heal', gen: ++this.partitionGen });
  }

  private cut(a: NodeId, b: NodeId, both: boolean): void {
    this.blocked.add(`${a}>${b}`);
    if (both) this.blocked.add(`${b}>${a}`);
  }

  private confChange(): void {
    const ups = this.upReplicas();
    if (ups.length === 0) return;
    const r = pick(this.rand, ups);
    const cs = r.sm.confState;
    const all = [...this.replicas.keys()];
    const nonMembers = all.filter((id) => !cs.voters.includes(id) && !cs.learners.includes(id));
    const options: ConfChange[] = [];
    const cc = (type: ConfChange['type'], nodeId: NodeId): ConfChange => ({ type, nodeId, context: new Uint8Array(0) });
    for (const id of nonMembers) options.push(cc('addLearner', id), cc('addNode', id));
    for (const id of cs.learners) options.push(cc('addNode', id), cc('removeNode', id));
    if (cs.voters.length > 2) for (const id of cs.voters) options.push(cc('removeNode', id));
    if (options.length === 0) return;
    const change = pick(this.rand, options);
    try {
      r.node.proposeConfChange(change);
      this.stats.faults.confChanges++;
      this.trace.add(this.now, () => `CONF CHANGE proposed at node ${r.id}: ${change.type} ${change.nodeId} (its view ${JSON.stringify(cs)})`);
    } catch (err) {
      if (!(err instanceof DroppedError)) throw err;
      this.trace.add(this.now, () => `node ${r.id} refuses conf change ${change.type} ${change.nodeId}: ${err.reason}`);
    }
    r.pump();
  }

  private transfer(): void {
    const leader = this.currentLeader();
    if (!leader) return;
    const voters = [...leader.node.raft.trk.voters].filter((id) => id !== leader.id);
    if (voters.length === 0) return;
    const to = pick(this.rand, voters);
    leader.node.transferLeadership(to);
    this.stats.faults.transfers++;
    this.trace.add(this.now, `TRANSFER leadership ${leader.id} -> ${to}`);
    leader.pump();
  }

  private forceCampaign(): void {
    const ups = this.upReplicas();
    if (ups.length === 0) return;
    const r = pick(this.rand, ups);
    this.stats.faults.campaigns++;
    this.trace.add(this.now, `node ${r.id} told to campaign`);
    r.node.campaign();
    r.pump();
  }

  private compact(): void {
    const ups = this.upReplicas();
    if (ups.length === 0) return;
    const r = pick(this.rand, ups);
    if (r.snapshotAndCompact(randInt(this.rand, 0, 5))) {
      this.stats.faults.compactions++;
      this.trace.add(this.now, () => `node ${r.id} snapshots at ${r.sm.index} and compacts to ${r.disk.storage.firstIndex() - 1}`);
    }
  }

  // ---- observation and liveness ----

  private currentLeader(): Replica | undefined {
    let best: Replica | undefined;
    for (const r of this.replicas.values()) {
      if (!r.up || r.node.raft.role !== 'leader') continue;
      if (!best || r.node.raft.term > best.node.raft.term) best = r;
    }
    return best;
  }

  private observe(): void {
    for (const r of this.replicas.values()) {
      if (!r.up) continue;
      const raft = r.node.raft;
      const o = this.observed.get(r.id)!;
      if (raft.role !== o.role || raft.term !== o.term) {
        if (raft.role === 'leader') {
          this.checker.onLeader(r.id, raft.term, raft.log);
          this.stats.elections++;
          if (this.phase === 'chaos' && this.rand() < this.p.leaderKillRate) {
            this.queue.push(this.now + randInt(this.rand, 1, 80), { k: 'killLeader', id: r.id, inc: r.incarnation, term: raft.term });
          }
        }
        this.trace.add(this.now, () => `node ${r.id} is ${raft.role} of term ${raft.term} (vote ${raft.vote}, lead ${raft.lead}, last ${raft.log.lastIndex()}/${raft.log.lastTerm()}, commit ${raft.log.committed})`);
        o.role = raft.role;
        o.term = raft.term;
      }
    }
  }

  onHardStateWritten(r: Replica, hs: HardState): void {
    // Commitment is observed once it is on disk with the entries it covers, not when the
    // in-memory index moves: a lone voter counts its own entry before the fsync, and a crash
    // then loses an entry that was never acknowledged to anyone.
    const o = this.observed.get(r.id)!;
    if (hs.commit > o.commit) {
      this.checker.onCommit(r.id, hs.term, r.node.raft.log, o.commit, hs.commit);
      o.commit = hs.commit;
      if (o.commit > this.stats.commits) this.stats.commits = o.commit;
    }
  }

  private startLiveness(): void {
    this.phase = 'liveness';
    this.livenessStart = this.now;
    this.blocked.clear();
    this.p.dropRate = 0;
    this.p.dupRate = 0;
    this.p.longDelayRate = 0;
    this.trace.add(this.now, 'LIVENESS: network healed, faults stop, every replica up');
    for (const r of this.replicas.values()) if (!r.up) this.startReplica(r, randInt(this.rand, 0, TICK_MS));
    for (let i = 0; i < 3; i++) this.newWrite(true);
  }

  private livenessDone(): boolean {
    if (!this.livenessReadDone) return false;
    const leader = this.currentLeader();
    if (!leader) return false;
    const members = [...leader.node.raft.trk.progress.keys()];
    for (const w of this.writes.values()) {
      if (!w.liveness) continue;
      if (w.ackedAt === undefined) return false;
      for (const id of members) {
        const m = this.replicas.get(id);
        if (!m || !m.up || m.sm.index < w.index) return false;
      }
    }
    return true;
  }

  private livenessReport(): string {
    const parts: string[] = [];
    for (const r of this.replicas.values()) {
      const raft = r.node.raft;
      parts.push(`node ${r.id}: ${r.up ? raft.role : 'down'} t${raft.term} lead ${raft.lead} last ${raft.log.lastIndex()} commit ${raft.log.committed} applied ${r.sm.index} conf ${JSON.stringify(r.sm.confState)}`);
    }
    const pending = [...this.writes.values()].filter((w) => w.liveness && w.ackedAt === undefined).length;
    return `${parts.join('; ')}; liveness writes unacked ${pending}, read done ${this.livenessReadDone}`;
  }

  private finalChecks(): void {
    const rs = [...this.replicas.values()];
    for (let i = 0; i < rs.length; i++) for (let j = i + 1; j < rs.length; j++) checkLogsMatch(
      { id: rs[i]!.id, storage: rs[i]!.disk.storage },
      { id: rs[j]!.id, storage: rs[j]!.disk.storage },
    );
  }
}

export { SafetyError };
