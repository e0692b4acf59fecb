// A small synchronous cluster for unit tests: real RaftNodes over MemoryStorage, a network that
// delivers at once (in order) unless a link is cut or a message type is filtered. Readies are
// handled exactly as an application must: persist, send, apply, advance.
import { RaftNode, type RaftNodeConfig } from '../core/node.js';
import { decodeConfChange } from '../core/confchange.js';
import { seededRand } from '../core/rand.js';
import { MemoryStorage } from '../core/storage.js';
import type { ConfState, Entry, HardState, Message, MessageType, NodeId, ReadState, Snapshot } from '../types.js';

export interface TestNodeOptions extends Partial<Omit<RaftNodeConfig, 'id' | 'storage'>> {
  storage?: MemoryStorage;
}

export class TestNode {
  readonly id: NodeId;
  readonly storage: MemoryStorage;
  node: RaftNode;
  /** Every committed entry this node applied, in order. */
  applied: Entry[] = [];
  readStates: ReadState[] = [];
  confState: ConfState = { voters: [], learners: [] };
  /** Snapshot installed from the leader (last one), if any. */
  installed: Snapshot | undefined;

  constructor(id: NodeId, opts: TestNodeOptions) {
    this.id = id;
    this.storage = opts.storage ?? new MemoryStorage();
    this.node = new RaftNode({
      electionTick: 10,
      heartbeatTick: 1,
      rand: seededRand(id * 7919),
      ...opts,
      id,
      storage: this.storage,
    });
  }

  get raft() {
    return this.node.raft;
  }

  /** Handles every pending Ready; returns the messages to send. */
  drain(): Message[] {
    const out: Message[] = [];
    while (this.node.hasReady()) {
      const rd = this.node.ready();
      if (rd.snapshot) {
        this.storage.applySnapshot(rd.snapshot);
        this.installed = rd.snapshot;
        this.confState = rd.snapshot.metadata.confState;
      }
      this.storage.append(rd.entries);
      if (rd.hardState) this.storage.setHardState(rd.hardState);
      for (const m of rd.messages) out.push(m);
      for (const e of rd.committedEntries) {
        this.applied.push(e);
        if (e.type === 'confChange') this.confState = this.node.applyConfChange(decodeConfChange(e.data));
      }
      for (const rs of rd.readStates) this.readStates.push(rs);
      this.node.advance(rd);
    }
    return out;
  }

  /** Data of applied normal entries that carry data, as strings. */
  appliedData(): string[] {
    return this.applied.filter((e) => e.type === 'normal' && e.data.length > 0).map((e) => new TextDecoder().decode(e.data));
  }
}

/** Entries with the given terms at indexes from, from+1, ... (data "t<term>i<index>"). */
export function entries(terms: number[], from = 1): Entry[] {
  return terms.map((term, k) => ({ term, index: from + k, type: 'normal', data: new TextEncoder().encode(`t${term}i${from + k}`) }));
}

/** A storage as a node would have after running: configuration, log (terms) and hard state. */
export function storageWith(voters: NodeId[], terms: number[] = [], hs?: Partial<HardState>, learners: NodeId[] = []): MemoryStorage {
  const st = new MemoryStorage();
  st.initialize({ voters, learners });
  st.append(entries(terms));
  const last = terms[terms.length - 1] ?? 0;
  st.setHardState({ term: hs?.term ?? last, vote: hs?.vote ?? 0, commit: hs?.commit ?? 0 });
  return st;
}

export class TestCluster {
  readonly nodes = new Map<NodeId, TestNode>();
  private cut = new Set<string>();
  private filtered = new Set<MessageType>();
  /** Messages captured instead of delivered (for tests that look at them). */
  held: Message[] = [];
  holdTypes = new Set<MessageType>();
  /** Drops any message for which this returns true. */
  dropIf: ((m: Message) => boolean) | undefined;

  /**
   * Nodes `ids`, bootstrapped as a new cluster, unless `storages` gives a node its own state
   * (then it starts from that storage, as after a restart).
   */
  constructor(ids: NodeId[], opts: TestNodeOptions = {}, storages: Map<NodeId, MemoryStorage> = new Map()) {
    for (const id of ids) {
      const st = storages.get(id);
      this.nodes.set(id, new TestNode(id, st ? { ...opts, storage: st } : { peers: ids, ...opts }));
    }
    // Apply the bootstrap configuration, as an application's first Ready loop would.
    this.stabilize();
  }

  get(id: NodeId): TestNode {
    const n = this.nodes.get(id);
    if (!n) throw new Error(`no node ${id}`);
    return n;
  }

  add(id: NodeId, opts: TestNodeOptions = {}): TestNode {
    const n = new TestNode(id, opts);
    this.nodes.set(id, n);
    return n;
  }

  /** Cuts both directions between a and b. */
  cutLink(a: NodeId, b: NodeId): void {
    this.cut.add(`${a}-${b}`);
    this.cut.add(`${b}-${a}`);
  }

  isolate(id: NodeId): void {
    for (const other of this.nodes.keys()) if (other !== id) this.cutLink(id, other);
  }

  heal(): void {
    this.cut.clear();
    this.filtered.clear();
  }

  drop(type: MessageType): void {
    this.filtered.add(type);
  }

  /** Delivers messages (and everything they cause) until the cluster is quiet. */
  deliver(msgs: Message[]): void {
    const queue = [...msgs];
    for (const n of this.nodes.values()) queue.push(...n.drain());
    while (queue.length > 0) {
      const m = queue.shift()!;
      if (this.holdTypes.has(m.type)) {
        this.held.push(m);
        continue;
      }
      if (this.cut.has(`${m.from}-${m.to}`) || this.filtered.has(m.type) || this.dropIf?.(m)) continue;
      const dst = this.nodes.get(m.to);
      if (!dst) continue;
      dst.node.step(m);
      for (const n of this.nodes.values()) queue.push(...n.drain());
    }
  }

  /** Runs until no node has anything to do. */
  stabilize(): void {
    this.deliver([]);
  }

  tick(id: NodeId, n = 1): void {
    for (let i = 0; i < n; i++) {
      this.get(id).node.tick();
      this.stabilize();
    }
  }

  /** Ticks every node n times, delivering after each round. */
  tickAll(n = 1): void {
    for (let i = 0; i < n; i++) {
      for (const node of this.nodes.values()) node.node.tick();
      this.stabilize();
    }
  }

  campaign(id: NodeId): void {
    this.get(id).node.campaign();
    this.stabilize();
  }

  propose(id: NodeId, data: string): void {
    this.get(id).node.propose(new TextEncoder().encode(data));
    this.stabilize();
  }

  leader(): TestNode | undefined {
    const leaders = [...this.nodes.values()].filter((n) => n.raft.role === 'leader');
    leaders.sort((a, b) => b.raft.term - a.raft.term);
    return leaders[0];
  }
}
