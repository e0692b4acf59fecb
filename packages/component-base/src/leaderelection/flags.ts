// Upstream's leader election flags (component-base/config/options), with their defaults, for
// every component that runs replicated: the scheduler and controller manager elect one active
// replica and keep the others as hot standbys.

import { Option, type Command } from 'commander';
import { boolOption, durationFlag } from '../flags/option-parsers.js';

export interface LeaderElectionFlags {
  leaderElect: boolean;
  leaderElectLeaseDuration: number;
  leaderElectRenewDeadline: number;
  leaderElectRetryPeriod: number;
  leaderElectResourceNamespace: string;
  leaderElectResourceName: string;
}

/** Adds the six flags; the lease's name defaults to the component's (`kube-scheduler`). */
export function addLeaderElectionFlags(cmd: Command, defaults: { resourceName: string }): Command {
  return cmd
    .addOption(
      new Option('--leader-elect [bool]', 'gain leadership before running the main loop; enable when running replicated components for high availability')
        .argParser(boolOption)
        .default(true),
    )
    .addOption(durationFlag('--leader-elect-lease-duration <duration>', 'how long a non-leader waits after the last renewal it saw before it may take the lease (whole seconds)', 15_000))
    .addOption(durationFlag('--leader-elect-renew-deadline <duration>', 'how long the leader keeps trying to renew before it stops leading; less than the lease duration', 10_000))
    .addOption(durationFlag('--leader-elect-retry-period <duration>', 'how long candidates wait between attempts to acquire and renew', 2_000))
    .option('--leader-elect-resource-namespace <namespace>', 'namespace of the Lease used for locking', 'kube-system')
    .option('--leader-elect-resource-name <name>', 'name of the Lease used for locking', defaults.resourceName);
}
