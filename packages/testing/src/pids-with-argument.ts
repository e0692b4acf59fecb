// Which processes run with a given argument (from /proc/<pid>/cmdline): for a test to see
// whether a process it caused to start elsewhere, such as a pod's container, still runs. A test
// gives its processes an argument no other process has (a random token) and only looks: it never
// signals processes found this way, as it might not have started them.
import { readdirSync, readFileSync } from 'node:fs';

export function pidsWithArgument(token: string): number[] {
  return readdirSync('/proc').filter((d) => /^\d+$/.test(d)).flatMap((d) => {
    try {
      return readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0').some((arg) => arg.includes(token)) ? [Number(d)] : [];
    } catch {
      // It exited while we read /proc.
      return [];
    }
  });
}
