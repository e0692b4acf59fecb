// RaftReplica in one process: three members on loopback with real WAL files and the ws transport.
// Proposals through the leader and through a follower, ReadIndex reads, a restart that recovers
// from the snapshot and the WAL, and adding a fourth member.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { freePorts } from '@kubets/testing';
import { RaftReplica, type StateMachine } from '../src/replica/index.js';

/** Appends every payload as text; the snapshot is the whole list. */
class TextLog implements StateMachine {
  items: string[] = [];
  apply(_i: number, payload: Uint8Array) {
    this.items.push(Buffer.from(payload).toString());
  }
  snapshot() {
    return Buffer.from(JSON.stringify(this.items));
  }
  restore(data: Uint8Array) {
    this.items = JSON.parse(Buffer.from(data).toString()) as string[];
  }
}

async function until<T>(what: string, f: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = f();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const dir = await mkdtemp(join(tmpdir(), 'kubets-replica-'));
const peers = new Map<number, string>();
for (const [i, port] of (await freePorts(4)).entries()) peers.set(i + 1, `http://127.0.0.1:${port}`);
const initial = new Map([...peers].filter(([id]) => id <= 3));
const machines = new Map<number, TextLog>();
const replicas = new Map<number, RaftReplica>();

async function start(id: number, join = false): Promise<RaftReplica> {
  const sm = new TextLog();
  machines.set(id, sm);
  const r = await RaftReplica.start({
    id, clusterId: 'replica-test', dataDir: `${dir}/m${id}`, peers: new Map(join ? peers : initial), join,
    listen: { host: '127.0.0.1', port: Number(new URL(peers.get(id)!).port) },
    stateMachine: sm, tickMs: 10, electionTick: 10, snapshotEntries: 50, compactionMargin: 10, seed: id,
  });
  replicas.set(id, r);
  return r;
}

t.teardown(async () => {
  for (const r of replicas.values()) await r.close();
  await rm(dir, { recursive: true, force: true });
});

for (const id of [1, 2, 3]) await start(id);
const leaderId = await until('a leader', () => [...replicas.values()].map((r) => r.status()).find((s) => s.role === 'leader')?.id);
const followerId = [1, 2, 3].find((id) => id !== leaderId)!;
await until('every member to know the leader', () => [...replicas.values()].every((r) => r.status().leader === leaderId));

t.test('proposals through the leader and a follower apply everywhere, in one order', async (t) => {
  const writes: Promise<unknown>[] = [];
  for (let i = 0; i < 80; i++) writes.push(replicas.get(i % 2 ? leaderId : followerId)!.propose(Buffer.from(`w${i}`)));
  const applied = (await Promise.all(writes)) as { index: number }[];
  t.equal(new Set(applied.map((a) => a.index)).size, 80, 'each proposal got its own index');
  const last = Math.max(...applied.map((a) => a.index));
  await until('every member applied them', () => [1, 2, 3].every((id) => replicas.get(id)!.status().applied >= last));
  t.same(machines.get(2)!.items, machines.get(1)!.items);
  t.same(machines.get(3)!.items, machines.get(1)!.items);
  t.same([...machines.get(1)!.items].sort(), Array.from({ length: 80 }, (_, i) => `w${i}`).sort());
});

t.test('a ReadIndex read on a follower sees every write acknowledged before it', async (t) => {
  const { index } = await replicas.get(leaderId)!.propose(Buffer.from('read-me'));
  const readAt = await replicas.get(followerId)!.readBarrier();
  t.ok(readAt >= index, `read index ${readAt} covers the write at ${index}`);
  t.ok(machines.get(followerId)!.items.includes('read-me'));
});

t.test('a restarted member recovers from its snapshot and WAL, then catches up', async (t) => {
  const before = replicas.get(followerId)!.status();
  t.ok(before.snapshotIndex > 0, 'the log was compacted behind a snapshot');
  await replicas.get(followerId)!.close();
  replicas.delete(followerId);
  for (let i = 0; i < 60; i++) await replicas.get(leaderId)!.propose(Buffer.from(`while-down-${i}`));
  const r = await start(followerId);
  // start() restores the snapshot before any entry is replayed.
  t.ok(machines.get(followerId)!.items.length > 0, 'the state machine came back from the snapshot');
  const target = replicas.get(leaderId)!.status().applied;
  await until('the restarted member catches up', () => r.status().applied >= target);
  t.same(machines.get(followerId)!.items, machines.get(leaderId)!.items.slice(0, machines.get(followerId)!.items.length));
  t.ok(machines.get(followerId)!.items.includes('while-down-59'));
});

t.test('a fourth member joins through a conf change and receives the log', async (t) => {
  const leader = replicas.get(leaderId)!;
  await leader.changeMembership({ type: 'addNode', nodeId: 4, context: Buffer.from(peers.get(4)!) });
  t.same(leader.status().confState.voters, [1, 2, 3, 4]);
  const r4 = await start(4, true);
  await leader.propose(Buffer.from('after-join'));
  const target = leader.status().applied;
  await until('member 4 catches up', () => r4.status().applied >= target);
  t.same(machines.get(4)!.items, machines.get(leaderId)!.items);
});

t.test('a closed replica refuses proposals', async (t) => {
  const r = replicas.get(4)!;
  await r.close();
  replicas.delete(4);
  await t.rejects(r.propose(Buffer.from('x')), /closed/);
});
