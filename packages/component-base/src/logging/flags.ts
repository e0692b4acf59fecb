// The logging flags every kubets command has: klog's `-v`/`--v` and pino's `--log-level`.

import type { Command } from 'commander';
import { levelOption, verbosityOption } from './verbosity.js';

export function addLoggingFlags(cmd: Command): Command {
  return cmd
    .option('-v, --v <n>', 'log verbosity, as klog: 0-3 info, 4 debug, 5 and up trace (default: 0)', verbosityOption)
    .option('--log-level <level>', 'log level: fatal, error, warn, info, debug, trace; wins over -v (default: info)', levelOption);
}
