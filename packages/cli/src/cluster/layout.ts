// Where a local cluster keeps its files, all under its data dir (default ~/.kubets/<name>):
//   cluster.json   what makes it the same cluster next time: ports, token, member names
//   run/state.json what runs now: the supervisor's and every process's pid, restarts, readiness
//   kubeconfig     for kubectl and the components
//   etcd/<member>  each etcd member's data
//   kubelet-<node> each kubelet's root dir: the records of its pods (their processes outlive it)
//   logs/<process>.log, logs/kubets-up.log
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const defaultClusterName = 'kubets';

export function defaultDataDir(name: string): string {
  return join(homedir(), '.kubets', name);
}

/** The flags that name this cluster to another kubets command: none for the default cluster. */
export function clusterFlags(name: string, dataDir: string): string {
  if (resolve(dataDir) !== resolve(defaultDataDir(name))) return ` --data-dir ${dataDir}`;
  return name === defaultClusterName ? '' : ` --name ${name}`;
}

export interface ClusterPaths {
  dataDir: string;
  record: string;
  state: string;
  kubeconfig: string;
  logsDir: string;
  upLog: string;
  logFile(processName: string): string;
  etcdDataDir(memberName: string): string;
  kubeletRootDir(nodeName: string): string;
}

export function clusterPaths(dataDir: string): ClusterPaths {
  const dir = resolve(dataDir);
  return {
    dataDir: dir,
    record: join(dir, 'cluster.json'),
    state: join(dir, 'run', 'state.json'),
    kubeconfig: join(dir, 'kubeconfig'),
    logsDir: join(dir, 'logs'),
    upLog: join(dir, 'logs', 'kubets-up.log'),
    logFile: (name) => join(dir, 'logs', `${name}.log`),
    etcdDataDir: (member) => join(dir, 'etcd', member),
    kubeletRootDir: (node) => join(dir, `kubelet-${node}`),
  };
}
