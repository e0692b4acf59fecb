// How every kubets main.ts begins: a commander Command named after the binary with the flags
// all components share (logging), so that `kubets-scheduler --help` and `kubets-kubelet --help`
// read alike and `-v 4` means the same everywhere. Components add their own flags after it.

import { Command } from 'commander';
import { addLoggingFlags } from './logging/flags.js';

export function componentCommand(name: string, description: string): Command {
  return addLoggingFlags(new Command(name).description(description));
}
