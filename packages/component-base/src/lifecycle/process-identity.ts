// Telling whether a recorded pid is still the process we started, not a stranger that got the
// same pid after ours exited: a pid plus the start time Linux gives it (/proc/<pid>/stat, field
// 22, in clock ticks since boot) names one process for the life of the machine.
import { readFileSync } from 'node:fs';

export interface ProcessIdentity {
  pid: number;
  /** From /proc when it was recorded; absent where /proc is absent. */
  startTime?: string;
}

/** The fields of /proc/<pid>/stat after the command name: [0] is the state (field 3). */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined; // gone, or no /proc
  }
}

/** The process's start time in clock ticks since boot, or undefined when it is gone or /proc is absent. */
export function processStartTime(pid: number): string | undefined {
  return statFields(pid)?.[19];
}

export function identityOf(pid: number): ProcessIdentity {
  const startTime = statFields(pid)?.[19];
  return startTime === undefined ? { pid } : { pid, startTime };
}

function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True while the very process the identity was taken from is alive (a zombie counts as gone). */
export function stillRunning(id: ProcessIdentity): boolean {
  if (!pidExists(id.pid)) return false;
  const fields = statFields(id.pid);
  if (fields === undefined) return id.startTime === undefined;
  if (fields[0] === 'Z') return false;
  return id.startTime === undefined || fields[19] === id.startTime;
}

/** The pids whose parent is pid (its direct children), from /proc. */
export function childrenOf(pid: number): number[] {
  try {
    const listed = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
    return listed === '' ? [] : listed.split(' ').map(Number);
  } catch {
    return []; // gone, or a kernel without the children file
  }
}
