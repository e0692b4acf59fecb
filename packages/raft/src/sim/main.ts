// `npm run sim --workspace packages/raft -- --seeds N --start S [--jobs J]`: runs seeds
// S..S+N-1, prints one JSON line of totals; on a failure prints the seed, the error and the trace
// of the last events, and exits 1. A failure replays with `--seeds 1 --start <seed>`.
//
// With several jobs (worker threads, one per CPU by default) the seeds are interleaved; once a
// seed fails, higher seeds are skipped and lower ones still run, so the seed reported is always
// the lowest failing one, as with one job.
import { availableParallelism } from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { addStats, emptyStats, runSeed, SimFailure, type SimStats } from './simulation.js';

interface Args {
  seeds: number;
  start: number;
  chaosMs: number | undefined;
  jobs: number;
  verbose: boolean;
  trace: boolean;
}

interface Job {
  args: Args;
  k: number;
  /** Shared: the lowest failing seed found so far (as an offset from start), or seeds if none. */
  firstFailure: SharedArrayBuffer;
}

type FromWorker = { type: 'stats'; stats: SimStats } | { type: 'fail'; seed: number } | { type: 'done' };

function parseArgs(argv: string[]): Args {
  const args: Args = { seeds: 100, start: 1, chaosMs: undefined, jobs: availableParallelism(), verbose: false, trace: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const val = (): number => {
      const v = Number(argv[++i]);
      if (!Number.isSafeInteger(v)) usage(`${a} needs an integer`);
      return v;
    };
    if (a === '--seeds') args.seeds = val();
    else if (a === '--start') args.start = val();
    else if (a === '--chaos-ms') args.chaosMs = val();
    else if (a === '--jobs' || a === '-j') args.jobs = val();
    else if (a === '--verbose' || a === '-v') args.verbose = true;
    else if (a === '--trace') args.trace = true;
    else if (a === '--help' || a === '-h') usage();
    else usage(`unknown argument ${a}`);
  }
  if (args.seeds < 1) usage('--seeds must be at least 1');
  if (args.jobs < 1) usage('--jobs must be at least 1');
  if (args.trace) args.jobs = 1;
  return args;
}

function usage(err?: string): never {
  if (err) process.stderr.write(`sim: ${err}\n`);
  process.stderr.write('usage: sim [--seeds N] [--start S] [--jobs J] [--chaos-ms MS] [--verbose] [--trace]\n');
  process.exit(err ? 2 : 0);
}

function options(args: Args, seed: number, trace: boolean) {
  return { seed, trace, ...(args.chaosMs !== undefined ? { chaosMs: args.chaosMs } : {}) };
}

/** Runs seeds start+k, start+k+jobs, ... in order, skipping those above a known failure. */
function runShare(job: Job, report: (m: FromWorker) => void): void {
  const { args, k } = job;
  const first = new Int32Array(job.firstFailure);
  let batch = emptyStats();
  for (let off = k; off < args.seeds; off += args.jobs) {
    if (off > Atomics.load(first, 0)) break;
    const seed = args.start + off;
    try {
      const s = runSeed(options(args, seed, args.trace));
      addStats(batch, s);
      if (args.verbose) process.stderr.write(`seed ${seed}: ok ${JSON.stringify(s)}\n`);
    } catch (err) {
      if (!(err instanceof SimFailure)) throw err;
      // Lower the shared first-failure mark to us if we are lower.
      for (let cur = Atomics.load(first, 0); off < cur; cur = Atomics.load(first, 0)) {
        if (Atomics.compareExchange(first, 0, cur, off) === cur) break;
      }
      report({ type: 'fail', seed });
      break;
    }
    if (batch.seedsRun >= 50) {
      report({ type: 'stats', stats: batch });
      batch = emptyStats();
    }
  }
  report({ type: 'stats', stats: batch });
  report({ type: 'done' });
}

function printFailure(args: Args, seed: number, totals: SimStats): void {
  // Replay with tracing on: the run is deterministic, so it fails the same way.
  let traced: SimFailure | undefined;
  try {
    runSeed(options(args, seed, true));
  } catch (err) {
    if (err instanceof SimFailure) traced = err;
  }
  if (traced) {
    process.stdout.write(`${traced.traceLines.join('\n')}\n\n`);
    const cause = traced.cause;
    if (cause instanceof Error && cause.stack) process.stdout.write(`${cause.stack}\n\n`);
    process.stdout.write(`FAILED seed ${seed}: ${traced.message}\n`);
  } else {
    process.stdout.write(`FAILED seed ${seed} (the replay did not fail: nondeterminism?)\n`);
  }
  process.stdout.write(`replay: npm run sim --workspace packages/raft -- --seeds 1 --start ${seed}\n`);
  process.stdout.write(`${JSON.stringify({ ...totals, failedSeed: seed })}\n`);
  // Not process.exit(): on a pipe stdout is asynchronous and the report would be cut short.
  process.exitCode = 1;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const firstFailure = new SharedArrayBuffer(4);
  new Int32Array(firstFailure)[0] = args.seeds;
  const totals = emptyStats();
  const failures: number[] = [];
  const onMessage = (m: FromWorker): void => {
    if (m.type === 'stats') addStats(totals, m.stats);
    else if (m.type === 'fail') failures.push(m.seed);
  };
  const jobs = Math.min(args.jobs, args.seeds);
  if (jobs === 1) {
    runShare({ args: { ...args, jobs: 1 }, k: 0, firstFailure }, onMessage);
  } else {
    await Promise.all(
      Array.from({ length: jobs }, (_, k) => {
        const w = new Worker(new URL(import.meta.url), { workerData: { args: { ...args, jobs }, k, firstFailure } satisfies Job });
        w.on('message', onMessage);
        return new Promise<void>((resolve, reject) => {
          w.on('error', reject);
          w.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`worker ${k} exited with ${code}`))));
        });
      }),
    );
  }
  if (failures.length > 0) {
    printFailure(args, Math.min(...failures), totals);
    return;
  }
  process.stdout.write(`${JSON.stringify(totals)}\n`);
}

if (isMainThread) {
  await main();
} else {
  runShare(workerData as Job, (m) => parentPort!.postMessage(m));
}
