// Where the CPU went during a measured phase, in percent of one core: each etcd member, each API
// server, the benchmark's own driver, and the rest of the machine's busy time (kernel threads,
// anything else running). On a machine the driver shares with six busy processes, a latency
// figure says little without it. Where /proc is not there, there is no figure.
import { machineBusyCpuMicros, processesCpuMicros } from '@kubets/testing';
import { round } from '@kubets/testing';

export interface CpuShare {
  etcdMembers: number[];
  apiServers: number[];
  driver: number;
  restOfMachine: number;
}

/** Starts counting now; the function it returns gives the shares since then. */
export function startCpuShare(etcdPids: number[], apiServerPids: number[]): () => CpuShare | undefined {
  const pids = [...etcdPids, ...apiServerPids, process.pid];
  const readAll = () => [...pids.map((pid) => processesCpuMicros([pid])), machineBusyCpuMicros()];
  const before = readAll();
  const t0 = performance.now();
  return () => {
    const after = readAll();
    const wallMicros = (performance.now() - t0) * 1000;
    if ([...before, ...after].some((v) => v === undefined)) return undefined;
    const used = after.map((v, i) => v! - before[i]!);
    const percent = (micros: number) => round((100 * micros) / wallMicros, 0);
    const machine = used.pop()!;
    const ours = used.reduce((a, b) => a + b, 0);
    return {
      etcdMembers: used.slice(0, etcdPids.length).map(percent),
      apiServers: used.slice(etcdPids.length, -1).map(percent),
      driver: percent(used[used.length - 1]!),
      restOfMachine: percent(machine - ours),
    };
  };
}
