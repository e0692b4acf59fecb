#!/usr/bin/env node
// kubets-kube-proxy: makes every Service reachable. It watches Services and EndpointSlices and
// forwards TCP connections to a Service's cluster IP, external IPs and node ports to its ready
// endpoints.
import { componentCommand, createLogger, Drain, FlagError } from '@kubets/component-base';
import { addProxyFlags, type ProxyFlags } from './config/flags.js';
import { runProxy } from './proxy.js';

const program = addProxyFlags(componentCommand('kubets-kube-proxy', 'Forwards TCP connections for every Service port to its ready endpoints, as kube-proxy.'));
program.parse();
const flags = program.opts<ProxyFlags>();
const logger = createLogger('kube-proxy', flags);

try {
  const drain = new Drain({ logger }).listen();
  drain.add('kube-proxy', await runProxy(flags, logger));
} catch (e) {
  if (!(e instanceof FlagError)) throw e;
  logger.error({ err: e.message }, 'invalid flags');
  process.exit(1);
}
