// --hollow-nodes N: kubemark's hollow node. N Nodes from this one process, their leases renewed and
// their pods reported Running and Ready without a process started, for scale tests of the control
// plane. /healthz and /metrics are served as the kubelet's are.
import { clientFromKubeconfig } from '@kubets/client';
import { createMetricsRegistry, type createLogger } from '@kubets/component-base';
import { nodeNameOf, type KubeletFlags } from '../config/flags.js';
import { runHollowNodes } from '../hollow/hollow-nodes.js';
import { startKubeletServer } from '../server/kubelet-server.js';

type Logger = ReturnType<typeof createLogger>;

export async function runHollow(flags: KubeletFlags, logger: Logger): Promise<() => Promise<void>> {
  const client = clientFromKubeconfig({ ...(flags.kubeconfig !== undefined ? { path: flags.kubeconfig } : {}), component: 'kubelet' });
  const hollow = await runHollowNodes({
    client,
    count: flags.hollowNodes,
    namePrefix: flags.nodeName !== undefined ? `${nodeNameOf(flags)}-` : 'hollow-node-',
    logger,
    leaseRenewIntervalMs: flags.nodeLeaseRenewInterval,
    leaseDurationSeconds: flags.nodeLeaseDurationSeconds,
    statusUpdateFrequencyMs: flags.nodeStatusUpdateFrequency,
    statusReportFrequencyMs: flags.nodeStatusReportFrequency,
  });
  let registered = false;
  void hollow.registered().then(() => (registered = true));
  const server = await startKubeletServer({
    address: flags.address,
    port: flags.port,
    logger,
    registry: createMetricsRegistry(),
    healthChecks: [{ name: 'registered', check: async () => { if (!registered) throw new Error('the hollow nodes are not all registered yet'); } }],
    pods: () => [],
    findLogFiles: () => ({ error: 'hollow nodes run no containers', code: 404 }),
  });
  logger.info({ nodes: flags.hollowNodes, port: server.port }, 'hollow nodes running');
  return async () => {
    await server.close();
    await hollow.stop();
    await client.close();
  };
}
