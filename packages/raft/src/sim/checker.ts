// The safety properties of Raft (Figure 3), checked as the simulation runs, over the whole
// history of the run:
//   election safety      at most one leader per term;
//   log matching         two logs with an entry of the same index and term agree up to it;
//   leader completeness  a leader of term T holds every entry committed before T;
//   state machine safety no two replicas apply different entries at one index;
// plus what the implementation promises on top: durable state is never contradicted (a vote is
// never given twice in a term, an acknowledgement never precedes the fsync it vouches for), and
// ReadIndex reads are linearizable.
import type { RaftLog } from '../core/log.js';
import type { MemoryStorage } from '../core/storage.js';
import type { Entry, HardState, Message, NodeId } from '../types.js';
import { NONE } from '../types.js';
import { entryKey } from './hash.js';

export class SafetyError extends Error {
  override name = 'SafetyError';
}

function fail(msg: string): never {
  throw new SafetyError(msg);
}

interface LogRec {
  term: number;
  prevTerm: number;
  key: number;
}

interface CommitRec {
  term: number;
  key: number | undefined; // undefined when only known from a snapshot's metadata
}

export class Checker {
  private leaders = new Map<number, NodeId>();
  private logRecs = new Map<number, LogRec[]>();
  private committed: (CommitRec | undefined)[] = [];
  /** (term, upTo): entries up to upTo were first seen committed by a node in `term`; terms ascend. */
  private commitTerms: { term: number; upTo: number }[] = [];
  private maxCommitted = 0;
  private appliedDigest: (number | undefined)[] = [];
  /** Highest index any replica has applied: every write up to it is complete. */
  maxApplied = 0;

  /** Election safety, then leader completeness for a node that just became leader. */
  onLeader(id: NodeId, term: number, log: RaftLog): void {
    const prev = this.leaders.get(term);
    if (prev !== undefined && prev !== id) fail(`election safety: nodes ${prev} and ${id} are both leaders of term ${term}`);
    if (prev === id) return;
    this.leaders.set(term, id);
    // The last index first seen committed in a term before `term`.
    let upTo = 0;
    for (const ct of this.commitTerms) {
      if (ct.term < term) upTo = Math.max(upTo, ct.upTo);
      else break;
    }
    if (upTo === 0) return;
    const rec = this.committed[upTo];
    if (!rec) return;
    if (upTo < log.firstIndex() - 1) return; // covered by the leader's snapshot
    const t = log.term(upTo);
    if (t !== rec.term) {
      fail(`leader completeness: leader ${id} of term ${term} has ${t === undefined ? 'no entry' : `term ${t}`} at ${upTo}, committed there with term ${rec.term}`);
    }
  }

  /** A node's commit index moved from `from` to `to` while it was in `term`. */
  onCommit(id: NodeId, term: number, log: RaftLog, from: number, to: number): void {
    const first = log.firstIndex() - 1;
    for (let i = Math.max(from + 1, first); i <= to; i++) {
      const t = log.term(i);
      if (t === undefined) continue;
      const key = i === first ? undefined : keyAt(log, i);
      const rec = this.committed[i];
      if (!rec) this.committed[i] = { term: t, key };
      else {
        if (rec.term !== t) fail(`commit safety: node ${id} committed term ${t} at ${i}, others term ${rec.term}`);
        if (rec.key !== undefined && key !== undefined && rec.key !== key) fail(`commit safety: node ${id} committed different data at ${i}`);
        if (rec.key === undefined && key !== undefined) rec.key = key;
      }
    }
    if (to > this.maxCommitted) {
      const last = this.commitTerms[this.commitTerms.length - 1];
      if (last && last.term > term) {
        // Seen later by a node in an older term: the earlier observation already covers it.
        last.upTo = Math.max(last.upTo, to);
      } else if (last && last.term === term) {
        last.upTo = Math.max(last.upTo, to);
      } else {
        this.commitTerms.push({ term, upTo: to });
      }
      this.maxCommitted = to;
    }
  }

  /** Log matching over durable logs: entries just written to a replica's storage. */
  onPersistEntries(id: NodeId, storage: MemoryStorage, ents: readonly Entry[]): void {
    for (const e of ents) {
      if (e.index < storage.firstIndex()) continue;
      let prevTerm: number;
      try {
        prevTerm = storage.term(e.index - 1);
      } catch {
        continue;
      }
      const rec = { term: e.term, prevTerm, key: entryKey(e) };
      let recs = this.logRecs.get(e.index);
      if (!recs) {
        recs = [];
        this.logRecs.set(e.index, recs);
      }
      const same = recs.find((r) => r.term === e.term);
      if (!same) recs.push(rec);
      else if (same.prevTerm !== rec.prevTerm || same.key !== rec.key) {
        fail(`log matching: node ${id} has entry ${e.index}/${e.term} after term ${prevTerm} with data ${rec.key}; another log has it after term ${same.prevTerm} with data ${same.key}`);
      }
    }
  }

  /** State machine safety: replica `id` reached `digest` after applying index `index`. */
  onApply(id: NodeId, index: number, digest: number): void {
    const d = this.appliedDigest[index];
    if (d === undefined) this.appliedDigest[index] = digest;
    else if (d !== digest) fail(`state machine safety: node ${id} applied a different history up to index ${index}`);
    if (index > this.maxApplied) this.maxApplied = index;
  }

  /** Durable hard state only moves forward, and a vote once cast in a term stays. */
  onPersistHardState(id: NodeId, prev: HardState, next: HardState): void {
    if (next.term < prev.term) fail(`node ${id}: durable term went back from ${prev.term} to ${next.term}`);
    if (next.term === prev.term && prev.vote !== NONE && next.vote !== prev.vote) {
      fail(`node ${id}: voted for ${prev.vote} and then ${next.vote} in term ${next.term}`);
    }
  }

  /** Messages that promise durable state must find it on disk when they leave. */
  onSend(id: NodeId, m: Message, durable: HardState, storage: MemoryStorage): void {
    if (m.type === 'voteResp' && !m.reject) {
      // The vote must be on disk, or the disk must be in a later term (hard states are collapsed
      // per Ready): either way a restart cannot vote again in m.term.
      if (durable.term < m.term || (durable.term === m.term && durable.vote !== m.to)) {
        fail(`node ${id} granted its vote to ${m.to} in term ${m.term} before persisting it (durable term ${durable.term}, vote ${durable.vote})`);
      }
    }
    if ((m.type === 'vote' || m.type === 'app' || m.type === 'heartbeat' || m.type === 'appResp') && m.term > durable.term) {
      fail(`node ${id} sent ${m.type} in term ${m.term} before persisting the term (durable ${durable.term})`);
    }
    if (m.type === 'appResp' && !m.reject && m.index > storage.lastIndex()) {
      fail(`node ${id} acknowledged entries up to ${m.index} with only ${storage.lastIndex()} on disk`);
    }
  }

  /** A ReadIndex read must see every write that completed before it was issued. */
  onReadState(node: NodeId, readIndex: number, minIndex: number, what: string): void {
    if (readIndex < minIndex) {
      fail(`linearizability: read ${what} on node ${node} got read index ${readIndex}, but index ${minIndex} was already applied when it was issued`);
    }
  }
}

function keyAt(log: RaftLog, i: number): number | undefined {
  if (i < log.firstIndex()) return undefined;
  const e = log.slice(i, i + 1, Number.MAX_SAFE_INTEGER)[0];
  return e ? entryKey(e) : undefined;
}

/** Log matching between two durable logs in full (run at the end of a seed). */
export function checkLogsMatch(a: { id: NodeId; storage: MemoryStorage }, b: { id: NodeId; storage: MemoryStorage }): void {
  const lo = Math.max(a.storage.firstIndex(), b.storage.firstIndex());
  const hi = Math.min(a.storage.lastIndex(), b.storage.lastIndex());
  if (lo > hi) return;
  const ea = a.storage.entries(lo, hi + 1, Number.MAX_SAFE_INTEGER);
  const eb = b.storage.entries(lo, hi + 1, Number.MAX_SAFE_INTEGER);
  // The highest index where both logs agree on the term: everything below it must be identical.
  let top = -1;
  for (let k = ea.length - 1; k >= 0; k--) {
    if (ea[k]!.term === eb[k]!.term) {
      top = k;
      break;
    }
  }
  for (let k = 0; k <= top; k++) {
    if (ea[k]!.term !== eb[k]!.term || entryKey(ea[k]!) !== entryKey(eb[k]!)) {
      fail(`log matching: nodes ${a.id} and ${b.id} agree at ${lo + top} (term ${ea[top]!.term}) but differ at ${lo + k}`);
    }
  }
}
