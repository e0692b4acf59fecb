#!/usr/bin/env node
// kubets-kubelet: the node agent. It registers its Node and keeps it alive, runs the pods bound to
// it as real processes, probes them and reports their status; or, with --hollow-nodes, pretends to
// be N nodes for scale tests; or, with --reset, stops what an earlier kubelet left running.
import { componentCommand, createLogger, Drain, FlagError } from '@kubets/component-base';
import { addKubeletFlags, type KubeletFlags } from './config/flags.js';
import { runHollow } from './modes/hollow.js';
import { runKubelet } from './modes/kubelet.js';
import { runReset } from './modes/reset.js';

const program = addKubeletFlags(componentCommand('kubets-kubelet', 'Registers a node and runs the pods bound to it as real processes, as the kubelet.'));
program.parse();
const flags = program.opts<KubeletFlags>();
const logger = createLogger('kubelet', flags);

try {
  if (flags.reset) {
    await runReset(flags, logger);
  } else {
    const drain = new Drain({ logger }).listen();
    const stop = flags.hollowNodes > 0 ? await runHollow(flags, logger) : await runKubelet(flags, logger);
    drain.add('kubelet', stop);
  }
} catch (e) {
  if (!(e instanceof FlagError)) throw e;
  logger.error({ err: e.message }, 'invalid flags');
  process.exit(1);
}
