// The deterministic simulation in `npm test`: a fixed seed range (big enough to catch bugs, small
// enough for about a minute), plus replay determinism. Bigger ranges: `npm run sim -- --seeds N`.
// RAFT_SIM_SEEDS / RAFT_SIM_START override the range.
import t from 'tap';
import { addStats, emptyStats, runSeed, SimFailure } from '../src/sim/simulation.js';

const SEEDS = Number(process.env.RAFT_SIM_SEEDS ?? 5000);
const START = Number(process.env.RAFT_SIM_START ?? 1);

t.test(`simulation: seeds ${START}..${START + SEEDS - 1} keep every safety property and stay live`, async (t) => {
  const totals = emptyStats();
  for (let seed = START; seed < START + SEEDS; seed++) {
    try {
      addStats(totals, runSeed({ seed }));
    } catch (err) {
      if (!(err instanceof SimFailure)) throw err;
      let traced = err;
      try {
        runSeed({ seed, trace: true });
      } catch (again) {
        if (again instanceof SimFailure) traced = again;
      }
      t.fail(`${traced.message}\nreplay: npm run sim --workspace packages/raft -- --seeds 1 --start ${seed}\n${traced.traceLines.slice(-150).join('\n')}`);
      return;
    }
  }
  t.equal(totals.seedsRun, SEEDS);
  t.ok(totals.elections >= SEEDS, 'elections happened');
  t.ok(totals.writes > 0 && totals.reads > 0, 'writes committed and reads served');
  t.ok(totals.faults.crashes > 0 && totals.faults.partitions > 0 && totals.faults.snapshotsSent > 0 && totals.faults.confChanges > 0, 'faults were injected');
  t.comment(JSON.stringify(totals));
});

t.test('a seed replays exactly', async (t) => {
  for (const seed of [7, 4242]) {
    t.same(runSeed({ seed }), runSeed({ seed }), `seed ${seed}`);
  }
});
