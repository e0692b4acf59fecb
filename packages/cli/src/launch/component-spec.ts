// The process spec every kubets component past the API server shares: node's own flags, the
// component's program, the launcher's flags then the caller's, its process name in the
// environment (components put it in their leader election identity and logs), and ready when
// one URL answers 200. The scheduler, controller manager, kubelet and kube-proxy differ only in
// their flags and that URL.
import { componentMain, type ComponentPackage } from './binaries.js';
import type { ProcessSpec } from './managed-process.js';
import { httpReady } from './readiness.js';

export interface ComponentSpawnOptions {
  /** Flags after the launcher's own (the kubets profile's, a test's). */
  flags?: string[];
  /** Node flags, such as --cpu-prof when profiling. */
  nodeArgs?: string[];
  logFile?: string;
  keepLines?: number;
  ownProcessGroup?: boolean;
}

export function componentSpec(pkg: ComponentPackage, name: string, launcherFlags: string[], o: ComponentSpawnOptions, readyUrl: string): ProcessSpec {
  return {
    name,
    command: process.execPath,
    args: [...(o.nodeArgs ?? []), componentMain(pkg), ...launcherFlags, ...(o.flags ?? [])],
    env: { ...process.env, KUBETS_PROCESS_NAME: name },
    ...(o.logFile !== undefined ? { logFile: o.logFile } : {}),
    ...(o.keepLines !== undefined ? { keepLines: o.keepLines } : {}),
    ownProcessGroup: o.ownProcessGroup === true,
    ready: () => httpReady(readyUrl),
  };
}
