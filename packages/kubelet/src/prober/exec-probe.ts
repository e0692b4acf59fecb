// The exec probe (upstream's pkg/probe/exec): exit status 0 is success, any other failure, and a
// command that outlives the timeout fails with `command "..." timed out`. The output is stdout
// then stderr, at most 10 KiB. A command the runtime could not run at all is an error, not a failure.
import { ProbeError } from './errors.js';
import { goQuote } from './go-format.js';
import { maxProbeOutputBytes, type ExecFn, type ProbeRun } from './probe-outcome.js';

export async function probeExec(exec: ExecFn, containerId: string, command: string[], timeoutMs: number): Promise<ProbeRun> {
  let result;
  try {
    result = await exec(containerId, command, timeoutMs);
  } catch (err) {
    throw new ProbeError('ExecFailed', err instanceof Error ? err.message : String(err));
  }
  if (result.timedOut) return { outcome: 'failure', output: `command ${goQuote(command.join(' '))} timed out` };
  const output = Buffer.concat([result.stdout, result.stderr]).subarray(0, maxProbeOutputBytes).toString('utf8');
  return { outcome: result.exitCode === 0 ? 'success' : 'failure', output };
}
