// CPU time processes used (etcd members, API servers, a benchmark's driver), from
// /proc/<pid>/stat (utime + stime), so a phase can report server CPU per operation: a figure that survives a noisy, shared machine
// better than ops/s; and the machine's busy time from /proc/stat, so a benchmark can tell what
// else took the CPUs meanwhile. Where /proc is not there they report undefined.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let ticksPerSec: number | undefined;

function clockTicks(): number {
  if (ticksPerSec === undefined) {
    try {
      ticksPerSec = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSec = 100;
    }
  }
  return ticksPerSec;
}

/** Total user+system CPU of the processes, in microseconds; undefined if any is unreadable. */
export function processesCpuMicros(pids: number[]): number | undefined {
  let ticks = 0;
  try {
    for (const pid of pids) {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // Fields after the ")" that closes the command name: state is field 3, utime 14, stime 15.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    }
  } catch {
    return undefined;
  }
  return (ticks / clockTicks()) * 1e6;
}

/** CPU time the whole machine spent busy (every state but idle and iowait), in microseconds. */
export function machineBusyCpuMicros(): number | undefined {
  try {
    // The first line sums all CPUs: "cpu user nice system idle iowait irq softirq steal ...".
    const f = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
    const busy = f.slice(0, 8).reduce((a, b) => a + b, 0) - f[3]! - f[4]!;
    return (busy / clockTicks()) * 1e6;
  } catch {
    return undefined;
  }
}
