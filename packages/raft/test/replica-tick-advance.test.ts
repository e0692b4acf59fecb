// RaftReplica.advanceTicks and activePeers, the two things etcd's server uses at boot to shorten
// the first election (--initial-election-tick-advance). Replicas here tick once a minute, so every
// tick the core sees is one the test gave it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { eventually, freePorts } from '@kubets/testing';
import { RaftReplica, type StateMachine } from '../src/replica/index.js';

const nothing: StateMachine = { apply: () => undefined, snapshot: () => new Uint8Array(), restore: () => {} };
const neverTicks = 60_000;

const dir = await mkdtemp(join(tmpdir(), 'kubets-tick-advance-'));
const replicas: RaftReplica[] = [];
t.teardown(async () => {
  for (const r of replicas) await r.close();
  await rm(dir, { recursive: true, force: true });
});

async function start(id: number, peers: Map<number, string>, electionTick: number): Promise<RaftReplica> {
  const r = await RaftReplica.start({
    id, clusterId: 'tick-advance', dataDir: join(dir, `${peers.size}-${id}`), peers,
    listen: { host: '127.0.0.1', port: Number(new URL(peers.get(id)!).port) },
    stateMachine: nothing, tickMs: neverTicks, electionTick, seed: id,
  });
  replicas.push(r);
  return r;
}

t.test('ticks advanced short of the election timeout start no election; past its randomized timeout they do', async (t) => {
  const [port] = await freePorts(1);
  const single = await start(1, new Map([[1, `http://127.0.0.1:${port}`]]), 10);
  // A member campaigns only once it has applied its committed configuration (here the bootstrap's).
  await eventually(() => single.status().applied >= single.status().commit, 'the bootstrap configuration to be applied');
  const term = single.status().term;
  // The randomized timeout is at least electionTick (10): nine ticks never reach it.
  single.advanceTicks(9);
  await new Promise((r) => setImmediate(r));
  t.equal(single.status().role, 'follower');
  t.equal(single.status().term, term, 'no campaign: the term did not move');
  // It is below twice electionTick: eleven more always pass it.
  single.advanceTicks(11);
  await eventually(() => single.status().role === 'leader', 'the single member to lead');
  t.equal(single.status().leader, 1);
});

t.test('activePeers counts the peers our transport is connected to', async (t) => {
  const ports = await freePorts(3);
  const peers = new Map(ports.map((p, i) => [i + 1, `http://127.0.0.1:${p}`]));
  const first = await start(1, new Map(peers), 10);
  t.equal(first.activePeers, 0, 'nobody else runs yet');
  await start(2, new Map(peers), 10);
  await eventually(() => first.activePeers === 1, 'a connection to member 2');
  await start(3, new Map(peers), 10);
  await eventually(() => first.activePeers === 2, 'connections to members 2 and 3');
  t.equal(first.status().leader, 0, 'connecting elects nobody: nothing ticked');
});

t.test('a closed replica ignores advanced ticks', async (t) => {
  const [port] = await freePorts(1);
  const r = await start(1, new Map([[1, `http://127.0.0.1:${port}`]]), 10);
  await r.close();
  t.doesNotThrow(() => r.advanceTicks(100));
  t.equal(r.status().role, 'follower');
});
