// After a kubelet restart: is a container recorded as running still ours and running (adopt it),
// or did it end while no kubelet watched (finish it with the code its wrapper recorded)? A pid is
// ours only with the start time we recorded, so a reused pid is never taken for the container.
import { parseExitFile, exitedWhileDown, type ExitStatus } from './exit-status.js';
import { stillRunning, type ProcessIdentity } from '@kubets/component-base';
import type { ContainerRecord } from './records.js';

export type AdoptDecision = { kind: 'adopt'; leader: ProcessIdentity } | { kind: 'finish'; status: ExitStatus };

export function adoptOrFinish(record: Pick<ContainerRecord, 'leader'>, exitFileText: string | undefined, isRunning = stillRunning): AdoptDecision {
  if (record.leader !== undefined && isRunning(record.leader)) return { kind: 'adopt', leader: record.leader };
  const recorded = parseExitFile(exitFileText);
  if (recorded === undefined) return { kind: 'finish', status: exitedWhileDown };
  return { kind: 'finish', status: { ...recorded, message: recorded.message ?? 'The container exited while the kubelet was down' } };
}
