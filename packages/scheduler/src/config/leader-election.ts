// The configuration file's leaderElection section, as upstream reads it with --config: its values
// stand where the command line gave no flag of its own.

import { parseDuration } from '@kubets/component-base';
import type { LeaderElectionFlags } from '@kubets/component-base/leaderelection';
import type { Command } from 'commander';
import type { KubeSchedulerConfiguration } from './types.js';

export function leaderElectionFromConfig(config: KubeSchedulerConfiguration, program: Command): Partial<LeaderElectionFlags> {
  const le = config.leaderElection;
  if (le === undefined) return {};
  const fromCli = (key: keyof LeaderElectionFlags) => program.getOptionValueSource(key) === 'cli';
  const out: Partial<LeaderElectionFlags> = {};
  const set = <K extends keyof LeaderElectionFlags>(key: K, value: LeaderElectionFlags[K] | undefined) => {
    if (value !== undefined && !fromCli(key)) out[key] = value;
  };
  set('leaderElect', le.leaderElect);
  set('leaderElectLeaseDuration', le.leaseDuration !== undefined ? parseDuration(le.leaseDuration) : undefined);
  set('leaderElectRenewDeadline', le.renewDeadline !== undefined ? parseDuration(le.renewDeadline) : undefined);
  set('leaderElectRetryPeriod', le.retryPeriod !== undefined ? parseDuration(le.retryPeriod) : undefined);
  set('leaderElectResourceName', le.resourceName);
  set('leaderElectResourceNamespace', le.resourceNamespace);
  return out;
}
