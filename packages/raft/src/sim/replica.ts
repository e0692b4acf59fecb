// One simulated replica process: the real RaftNode over a simulated disk, a state machine that
// folds applied entries into a digest, and the Ready loop an application runs: persist (fsync
// takes simulated time, during which messages keep arriving), send, apply, advance.
import { decodeConfChange } from '../core/confchange.js';
import { RaftNode, type RaftNodeConfig } from '../core/node.js';
import { seededRand } from '../core/rand.js';
import type { ConfState, Entry, HardState, Message, NodeId, Ready, Snapshot } from '../types.js';
import { Disk, readyRecords } from './disk.js';
import { chain, entryKey } from './hash.js';

/** What the replica needs from the world around it. */
export interface ReplicaEnv {
  /** Schedules the end of an fsync for this replica. */
  scheduleFsync(r: Replica, token: number, latency: number): void;
  fsyncLatency(): number;
  send(from: Replica, m: Message): void;
  onPersisted(r: Replica, rd: Ready, prevDurable: HardState): void;
  /** A hard state reached the disk (synced or not): its commit index is now a fact. */
  onHardStateWritten(r: Replica, hs: HardState): void;
  onApplied(r: Replica, e: Entry): void;
  onSnapshotApplied(r: Replica, s: Snapshot): void;
  onReadState(r: Replica, index: number, context: Uint8Array): void;
}

export interface StateMachine {
  index: number;
  digest: number;
  confState: ConfState;
}

export class Replica {
  readonly id: NodeId;
  readonly disk = new Disk();
  up = false;
  /** Bumped on every restart: events addressed to an older incarnation are void. */
  incarnation = 0;
  node!: RaftNode;
  sm: StateMachine = { index: 0, digest: 0, confState: { voters: [], learners: [] } };
  /** The Ready whose fsync is under way. */
  persisting: { rd: Ready; token: number } | undefined;
  private nextToken = 0;

  constructor(
    id: NodeId,
    private readonly config: Omit<RaftNodeConfig, 'id' | 'storage' | 'rand' | 'applied'>,
    private readonly env: ReplicaEnv,
  ) {
    this.id = id;
  }

  /** Starts (or restarts) the process from what is on disk. */
  start(seed: number): void {
    this.incarnation++;
    this.up = true;
    this.persisting = undefined;
    const snap = this.disk.storage.snapshot();
    this.sm = { index: snap.metadata.index, digest: decodeDigest(snap.data), confState: snap.metadata.confState };
    this.node = new RaftNode({
      ...this.config,
      id: this.id,
      storage: this.disk.storage,
      rand: seededRand(seed),
      // The state machine starts from the snapshot: do not hand us the entries it covers.
      applied: snap.metadata.index,
    });
  }

  /** The process dies. Returns the records of the Ready that was being written (for a torn write). */
  crash(): ReturnType<typeof readyRecords> {
    this.up = false;
    const p = this.persisting;
    this.persisting = undefined;
    return p ? readyRecords(p.rd.snapshot, p.rd.entries, p.rd.hardState) : [];
  }

  /** Runs the Ready loop until it waits for an fsync or has nothing to do. */
  pump(): void {
    while (this.up && !this.persisting && this.node.hasReady()) {
      const rd = this.node.ready();
      if (rd.mustSync) {
        const token = ++this.nextToken;
        this.persisting = { rd, token };
        this.env.scheduleFsync(this, token, this.env.fsyncLatency());
        return;
      }
      if (rd.hardState) {
        this.disk.writeUnsynced(rd.hardState);
        this.env.onHardStateWritten(this, rd.hardState);
      }
      this.finish(rd);
    }
  }

  fsyncDone(token: number): void {
    const p = this.persisting;
    if (!this.up || !p || p.token !== token) return;
    this.persisting = undefined;
    const rd = p.rd;
    const prevDurable = this.disk.durableHard;
    this.disk.writeSynced(rd.snapshot, rd.entries, rd.hardState);
    this.env.onPersisted(this, rd, prevDurable);
    if (rd.hardState) this.env.onHardStateWritten(this, rd.hardState);
    this.finish(rd);
    this.pump();
  }

  /** After the Ready is durable: send, apply, advance. */
  private finish(rd: Ready): void {
    for (const m of rd.messages) this.env.send(this, m);
    if (rd.snapshot) {
      const s = rd.snapshot;
      this.sm = { index: s.metadata.index, digest: decodeDigest(s.data), confState: s.metadata.confState };
      this.env.onSnapshotApplied(this, s);
    }
    for (const e of rd.committedEntries) {
      if (e.index !== this.sm.index + 1) throw new Error(`node ${this.id} applies ${e.index} after ${this.sm.index}`);
      this.sm.index = e.index;
      this.sm.digest = chain(this.sm.digest, entryKey(e));
      if (e.type === 'confChange') this.sm.confState = this.node.applyConfChange(decodeConfChange(e.data));
      this.env.onApplied(this, e);
    }
    for (const rs of rd.readStates) this.env.onReadState(this, rs.index, rs.context);
    this.node.advance(rd);
  }

  /** The application snapshots its state and compacts the log, keeping `keep` entries. */
  snapshotAndCompact(keep: number): boolean {
    const st = this.disk.storage;
    if (this.sm.index <= st.snapshot().metadata.index) return false;
    if (this.sm.index > st.lastIndex()) return false;
    st.createSnapshot(this.sm.index, this.sm.confState, encodeDigest(this.sm.digest));
    // Saving the snapshot fsyncs the WAL, so the hard state written before it is durable too.
    this.disk.sync();
    const to = this.sm.index - keep;
    if (to >= st.firstIndex()) st.compact(to);
    return true;
  }
}

export function encodeDigest(d: number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setFloat64(0, d);
  return out;
}

export function decodeDigest(b: Uint8Array): number {
  if (b.length < 8) return 0;
  return new DataView(b.buffer, b.byteOffset, b.byteLength).getFloat64(0);
}
