// The log, the storage and the small pieces under them.
import t from 'tap';
import { InvariantError } from '../src/core/assert.js';
import { decodeConfChange, encodeConfChange } from '../src/core/confchange.js';
import { CompactedError, SnapshotOutOfDateError, UnavailableError } from '../src/core/errors.js';
import { Inflights } from '../src/core/inflights.js';
import { RaftLog } from '../src/core/log.js';
import { randInt, seededRand } from '../src/core/rand.js';
import { MemoryStorage } from '../src/core/storage.js';
import { entries } from '../src/sim/cluster.js';

t.test('MemoryStorage: bounds, compaction and snapshots', async (t) => {
  const st = new MemoryStorage();
  st.append(entries([1, 1, 2, 2, 3]));
  t.equal(st.firstIndex(), 1);
  t.equal(st.lastIndex(), 5);
  t.equal(st.term(0), 0, 'the index before the first has a term');
  t.equal(st.term(4), 2);
  t.throws(() => st.term(6), UnavailableError);
  t.same(st.entries(2, 5, Infinity).map((e) => e.index), [2, 3, 4]);
  t.throws(() => st.compact(3), InvariantError, 'cannot drop entries no snapshot covers');
  st.createSnapshot(3, { voters: [1], learners: [] }, new Uint8Array([9]));
  st.compact(3);
  t.equal(st.firstIndex(), 4);
  t.equal(st.term(3), 2, 'the snapshot index keeps its term');
  t.throws(() => st.term(2), CompactedError);
  t.throws(() => st.entries(3, 5, Infinity), CompactedError);
  t.throws(() => st.createSnapshot(2, { voters: [1], learners: [] }, new Uint8Array()), SnapshotOutOfDateError);
  // A conflicting append replaces the tail.
  st.append(entries([4, 4], 5));
  t.same(st.entries(4, 7, Infinity).map((e) => e.term), [2, 4, 4]);
  t.throws(() => st.append(entries([4], 9)), InvariantError, 'a gap is a bug');
});

t.test('MemoryStorage: entries are cut at maxSize, but never to nothing', async (t) => {
  const st = new MemoryStorage();
  st.append(entries([1, 1, 1, 1]));
  const one = st.entries(1, 5, 1);
  t.equal(one.length, 1);
  const size = one[0]!.data.length + 16;
  t.equal(st.entries(1, 5, size * 2).length, 2);
  t.equal(st.entries(1, 5, Infinity).length, 4);
});

/** findConflictByTerm as the thesis describes it: walk back from index. */
function reference(log: RaftLog, index: number, term: number): number {
  for (let i = index; i >= log.firstIndex() - 1; i--) {
    const tt = log.term(i);
    if (tt === undefined) return i;
    if (tt <= term) return i;
  }
  return Math.max(log.firstIndex() - 2, 0);
}

t.test('findConflictByTerm (binary search) agrees with a linear scan', async (t) => {
  const rand = seededRand(42);
  let checks = 0;
  for (let round = 0; round < 200; round++) {
    const terms: number[] = [];
    let term = 1;
    const n = randInt(rand, 1, 60);
    for (let i = 0; i < n; i++) {
      if (rand() < 0.2) term += randInt(rand, 1, 3);
      terms.push(term);
    }
    const st = new MemoryStorage();
    st.append(entries(terms));
    const log = new RaftLog(st, Infinity);
    for (let k = 0; k < 20; k++) {
      const index = randInt(rand, 0, n + 1);
      const qt = randInt(rand, 0, term + 2);
      const got = log.findConflictByTerm(index, qt)[0];
      const want = reference(log, index, qt);
      if (got !== want) t.fail(`terms ${terms} index ${index} term ${qt}: got ${got}, want ${want}`);
      checks++;
    }
  }
  t.pass(`${checks} cases agree`);
});

t.test('RaftLog: unstable entries shadow storage, and advance() moves them to stable', async (t) => {
  const st = new MemoryStorage();
  st.append(entries([1, 1]));
  const log = new RaftLog(st, Infinity);
  log.append(entries([2, 2], 3));
  t.equal(log.lastIndex(), 4);
  t.same(log.slice(1, 5, Infinity).map((e) => e.term), [1, 1, 2, 2]);
  // A new leader overwrites the unstable tail.
  log.append(entries([3], 4));
  t.same(log.slice(1, 5, Infinity).map((e) => e.term), [1, 1, 2, 3]);
  st.append(log.unstable.entries);
  log.stableTo(4, 3);
  t.equal(log.unstable.entries.length, 0);
  t.equal(log.lastIndex(), 4);
  t.throws(() => log.append(entries([4], 7)), InvariantError, 'a gap');
});

t.test('RaftLog: isUpToDate compares last term first, then length (§5.4.1)', async (t) => {
  const st = new MemoryStorage();
  st.append(entries([1, 2, 2]));
  const log = new RaftLog(st, Infinity);
  t.ok(log.isUpToDate(1, 3));
  t.ok(log.isUpToDate(3, 2));
  t.notOk(log.isUpToDate(2, 2));
  t.notOk(log.isUpToDate(10, 1));
});

t.test('Inflights: a window capped by count and by bytes', async (t) => {
  const inf = new Inflights(3, 100);
  inf.add(1, 10);
  inf.add(2, 10);
  t.notOk(inf.full());
  inf.add(3, 10);
  t.ok(inf.full(), 'three messages');
  inf.freeLE(2);
  t.equal(inf.count, 1);
  inf.add(4, 95);
  t.ok(inf.full(), '105 bytes');
  t.throws(() => inf.add(5, 1), InvariantError);
  inf.freeFirst();
  t.equal(inf.count, 1);
  t.throws(() => inf.add(2, 1), InvariantError, 'indexes only grow');
});

t.test('conf changes round-trip through entry data', async (t) => {
  const cc = { type: 'addLearner' as const, nodeId: 2 ** 40 + 7, context: new Uint8Array([1, 2, 3]) };
  t.same(decodeConfChange(encodeConfChange(cc)), cc);
});

t.test('seededRand: same seed, same sequence; different seeds differ', async (t) => {
  const a = seededRand(7);
  const b = seededRand(7);
  const c = seededRand(8);
  const xs = Array.from({ length: 5 }, () => a());
  t.same(Array.from({ length: 5 }, () => b()), xs);
  t.not(c(), xs[0]);
  t.ok(xs.every((x) => x >= 0 && x < 1));
});
