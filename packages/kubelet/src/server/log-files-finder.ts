// The kubelet's findLogFiles: the pod (among those it runs), the run its status points at
// (selectLogRun, with upstream's messages as 400s), and that run's files under the root dir.
import type { Pod } from '@kubets/api';
import { selectLogRun } from '../logs/log-run.js';
import { containerLogFiles, containerLogPath } from '../logs/paths.js';
import type { FindLogFiles } from './container-logs-route.js';

export interface LogFilesFinderOptions {
  rootDir: string;
  /** The pods the kubelet runs, with the status it computed (its status manager's, else the API's). */
  pods: () => Pod[];
  /** Whether the container with this ID (`<runtime>://<id>`, as in the pod's status) runs now. */
  isContainerRunning: (containerId: string) => boolean;
}

export function logFilesFinder(o: LogFilesFinderOptions): FindLogFiles {
  return async (namespace, podName, container, previous) => {
    const pod = o.pods().find((p) => p.metadata?.namespace === namespace && p.metadata?.name === podName);
    if (pod === undefined) return { error: `pod "${podName}" cannot be found - no logs available`, code: 400 };
    const run = selectLogRun(pod, container, previous);
    if ('error' in run) return { error: run.error, code: 400 };
    const current = containerLogPath(o.rootDir, namespace, podName, pod.metadata?.uid ?? '', container, run.attempt);
    return { files: await containerLogFiles(current), isRunning: () => o.isContainerRunning(run.containerId) };
  };
}
