// How one kubets-apiserver is launched: on loopback, on a port chosen before it starts (so the
// caller knows its URL without reading its log), ready when /readyz answers 200.
import { componentMain } from './binaries.js';
import type { ProcessSpec } from './managed-process.js';
import { httpReady } from './readiness.js';

export interface ApiServerOptions {
  name: string;
  port: number;
  etcdServers: string[];
  /** Flags after the launcher's own. */
  flags?: string[];
  /** Node flags, such as --cpu-prof when profiling. */
  nodeArgs?: string[];
  logFile?: string;
  keepLines?: number;
  ownProcessGroup?: boolean;
}

export const apiServerUrl = (port: number) => `http://127.0.0.1:${port}`;

export function apiServerSpec(o: ApiServerOptions): ProcessSpec {
  return {
    name: o.name,
    command: process.execPath,
    args: [
      ...(o.nodeArgs ?? []), componentMain('apiserver'),
      `--etcd-servers=${o.etcdServers.join(',')}`, '--bind-address=127.0.0.1', `--secure-port=${o.port}`,
      ...(o.flags ?? []),
    ],
    ...(o.logFile !== undefined ? { logFile: o.logFile } : {}),
    ...(o.keepLines !== undefined ? { keepLines: o.keepLines } : {}),
    ownProcessGroup: o.ownProcessGroup === true,
    ready: () => httpReady(`${apiServerUrl(o.port)}/readyz`),
  };
}
