// Telling whether a recorded pid is still the process we started, not a stranger that got the
// same pid after ours exited: a pid plus the start time Linux gives it (/proc/<pid>/stat, field
// 22, in clock ticks since boot) names one process for the life of the machine. Where /proc is
// not there, the pid alone has to do.
import { readFileSync } from 'node:fs';

/** The process's start time in clock ticks since boot, or undefined when it is gone or /proc is absent. */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the ")" that closes the command name start at field 3 (state); starttime is 22.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface ProcessIdentity {
  pid: number;
  /** From processStartTime when it was recorded; absent where /proc is absent. */
  startTime?: string;
}

export function identityOf(pid: number): ProcessIdentity {
  const startTime = processStartTime(pid);
  return startTime === undefined ? { pid } : { pid, startTime };
}

/** True while the very process the identity was taken from is alive (a zombie counts as gone). */
export function stillRunning(id: ProcessIdentity): boolean {
  if (!pidExists(id.pid)) return false;
  try {
    const state = readFileSync(`/proc/${id.pid}/stat`, 'utf8');
    if (state.slice(state.lastIndexOf(')') + 2).startsWith('Z')) return false;
  } catch {
    return id.startTime === undefined;
  }
  return id.startTime === undefined || processStartTime(id.pid) === id.startTime;
}
