// A container's exit as the CRI reports it, from what its wrapper shell recorded. The shell
// writes $? of the container's process, which is 128+n when signal n ended it.
import { constants } from 'node:os';

export interface ExitStatus {
  exitCode: number;
  signal?: string;
  reason: string;
  message?: string;
}

/** What the wrapper writes instead of a code when the mounts, hostname or working dir failed (then `: why`). */
export const startFailedMarker = 'start-failed';

const signalNames = new Map<number, string>(Object.entries(constants.signals).map(([name, n]) => [n, name]));

export function signalNumber(name: NodeJS.Signals): number {
  return constants.signals[name];
}

/** The status for an exit code: Completed for 0, else Error; the signal when it is 128+n. */
export function exitStatusOf(exitCode: number): ExitStatus {
  const signal = exitCode > 128 ? signalNames.get(exitCode - 128) : undefined;
  return { exitCode, reason: exitCode === 0 ? 'Completed' : 'Error', ...(signal !== undefined && { signal }) };
}

/** Reads the exit file's text: a code, the start-failed marker with why, or nothing usable. */
export function parseExitFile(text: string | undefined): ExitStatus | undefined {
  const content = text?.trim();
  if (content === undefined || content === '') return undefined;
  if (content.startsWith(startFailedMarker)) {
    const why = content.slice(startFailedMarker.length).replace(/^:\s*/, '');
    return { exitCode: 128, reason: 'StartError', message: `the container's mounts, hostname or working directory could not be set up: ${why || 'see its log'}` };
  }
  return /^\d+$/.test(content) ? exitStatusOf(Number(content)) : undefined;
}

/** When no exit file was written (the wrapper itself was killed): from how the leader ended. */
export function exitStatusFromLeader(code: number | null, signal: NodeJS.Signals | null): ExitStatus {
  if (signal !== null) return exitStatusOf(128 + signalNumber(signal));
  return exitStatusOf(code ?? 255);
}

/** A container that ended while no kubelet watched it and left no code: upstream's unknown status. */
export const exitedWhileDown: ExitStatus = {
  exitCode: 137,
  reason: 'ContainerStatusUnknown',
  message: 'The container exited while the kubelet was down and its exit code was not recorded',
};
