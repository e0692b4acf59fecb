// Benchmark: kubets-etcd against real etcd, one after the other, same machine, same workload.
//
//   cd /work/main && npx tsc -b && npm run bench --workspace packages/etcd -- [options]
//   (or: node packages/etcd/dist/src/bench/main.js [options])
//
//   --seconds <n>       length of each phase (default 10)
//   --clients <n>       concurrent clients, one request in flight each (default 64)
//   --value-bytes <n>   size of each value (default 256)
//   --systems <list>    which systems, in order: kubets,etcd (default both)
//   --etcd-bin <path>   real etcd (default /usr/bin/etcd)
//   --node-args <args>  extra node flags for the kubets members, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"
//
// Each system is a fresh three-member cluster on loopback (same etcd flags, durable WAL on both:
// no unsafe flags), driven over the JSON gateway API by clients spread round-robin across the
// three client URLs: puts of bench/<client>/<n> for --seconds, then linearizable single-key
// ranges of those keys, then serializable ones. Prints one JSON line per system
//   {"system":"kubets-etcd","put":{"opsPerSec":..,"p50Ms":..,"p99Ms":..,"errors":0,..},"rangeLinearizable":{..},"rangeSerializable":{..}}
// and, when both ran, {"ratios":{"put":..,"rangeLinearizable":..,"rangeSerializable":..}} (ours / etcd's ops/s).
// A range counts as an error unless it returns the key with the value written. Each phase also
// reports ops (successes), driverCpuPct (this process's CPU, % of one core: near 100 means the
// driver is the limit) and, on Linux, serverCpuPct / serverCpuUsPerOp (the three members' CPU
// from /proc), which is steadier than ops/s on a shared or small machine.
import { Command, InvalidArgumentError, Option } from 'commander';
import { positiveNumberOption } from '@kubets/component-base/flags';
import { stopAllEtcdClusters, type EtcdKind } from '@kubets/testing';
import { runSystem, type SystemResult } from './run.js';

const positive = positiveNumberOption;

/** The systems by their names on the command line: kubets (kubets-etcd) and etcd (real etcd). */
function systems(v: string): EtcdKind[] {
  const list = v.split(',').map((s) => s.trim()).filter(Boolean);
  for (const s of list) if (s !== 'kubets' && s !== 'etcd') throw new InvalidArgumentError(`unknown system ${s}; use kubets, etcd`);
  if (list.length === 0) throw new InvalidArgumentError('name at least one system');
  return list.map((s) => (s === 'etcd' ? 'real' : 'kubets'));
}

const o = new Command('kubets-etcd-bench')
  .description('Compare a three-member kubets-etcd cluster with real etcd under the same JSON-API workload.')
  .option('--seconds <n>', 'duration of each phase, in seconds', positive, 10)
  .option('--clients <n>', 'concurrent clients', (v) => Math.round(positive(v)), 64)
  .option('--value-bytes <n>', 'value size in bytes', (v) => Math.round(positive(v)), 256)
  .addOption(new Option('--systems <list>', 'systems to run, in order').argParser(systems).default(['kubets', 'real'], 'kubets,etcd'))
  .option('--etcd-bin <path>', 'real etcd binary', '/usr/bin/etcd')
  .option('--node-args <args>', 'extra node flags for kubets members', '')
  .parse()
  .opts<{ seconds: number; clients: number; valueBytes: number; systems: EtcdKind[]; etcdBin: string; nodeArgs: string }>();

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    void stopAllEtcdClusters().finally(() => process.exit(130));
  });
}

const results = new Map<EtcdKind, SystemResult>();
for (const kind of o.systems) {
  const r = await runSystem({
    kind,
    etcdBin: o.etcdBin,
    nodeArgs: o.nodeArgs.split(' ').filter(Boolean),
    clients: o.clients,
    valueBytes: o.valueBytes,
    durationMs: o.seconds * 1000,
  });
  results.set(kind, r);
  console.log(JSON.stringify(r));
}

const ours = results.get('kubets');
const theirs = results.get('real');
if (ours && theirs) {
  const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 1000) / 1000 : null);
  console.log(JSON.stringify({
    ratios: {
      put: ratio(ours.put.opsPerSec, theirs.put.opsPerSec),
      rangeLinearizable: ratio(ours.rangeLinearizable.opsPerSec, theirs.rangeLinearizable.opsPerSec),
      rangeSerializable: ratio(ours.rangeSerializable.opsPerSec, theirs.rangeSerializable.opsPerSec),
    },
  }));
}
