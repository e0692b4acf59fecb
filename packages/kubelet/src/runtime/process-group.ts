// Signals to a container's whole process group, checked against the leader's identity first,
// so a pid that was reused by a stranger is never signalled.
import { stillRunning, type ProcessIdentity } from '@kubets/component-base';

/** Sends the signal to the group the leader leads; false when the leader is gone. */
export function signalGroup(leader: ProcessIdentity, signal: NodeJS.Signals): boolean {
  if (!stillRunning(leader)) return false;
  return killGroup(leader.pid, signal);
}

/** kill(-pgid): false when the group has no process left. */
export function killGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw e;
  }
}
