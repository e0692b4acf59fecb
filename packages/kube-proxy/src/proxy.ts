// The kube-proxy process: its parts made from the flags and started in order: the health server
// (503 on /readyz until the first sync), the data path, then the sync loop; and the Node watch
// that tells load balancers (through /healthz) when this node is on its way out.
import type { Node } from '@kubets/api';
import { clientFromKubeconfig, EventRecorder, type KubeClient, SharedInformerFactory } from '@kubets/client';
import { createLogger, createMetricsRegistry, FlagError, startHealthServer } from '@kubets/component-base';
import { nodeNameOf, parseHostPort, type ProxyFlags } from './config/flags.js';
import { needsNode, nodePortAddresses, parseNodePortAddresses, readNode } from './config/node-addresses.js';
import { syncMetrics, userspaceMetrics } from './metrics.js';
import { startProxyHealthServer } from './server/health-server.js';
import { ProxierHealth } from './server/proxier-health.js';
import { SyncLoop } from './sync/sync-loop.js';
import { UserspaceDataPath } from './userspace/proxier.js';

type Logger = ReturnType<typeof createLogger>;

/** On SIGTERM, how long established connections may go on finishing before they are reset. */
const connectionDrainMs = 2000;

export async function runProxy(flags: ProxyFlags, logger: Logger): Promise<() => Promise<void>> {
  if (flags.proxyMode !== 'userspace') throw new FlagError(`--proxy-mode ${JSON.stringify(flags.proxyMode)}: only 'userspace' is available (the iptables data path comes with the pod network)`);
  const healthz = parseHostPort(flags.healthzBindAddress, '--healthz-bind-address', 10256);
  const metricsAt = flags.metricsBindAddress === '' ? undefined : parseHostPort(flags.metricsBindAddress, '--metrics-bind-address', 10249);
  const nodePorts = parseNodePortAddresses(flags.nodeportAddresses);
  const nodeName = nodeNameOf(flags);
  const client = clientFromKubeconfig({ ...(flags.kubeconfig !== undefined ? { path: flags.kubeconfig } : {}), component: 'kube-proxy' });
  const node = needsNode(nodePorts, flags.bindAddress) ? await readNodeLogged(client, nodeName, logger) : undefined;
  const nodeAddresses = nodePortAddresses(nodePorts, flags.bindAddress, node);
  logger.info({ nodeName, nodeAddresses, mode: flags.proxyMode }, 'starting kube-proxy');

  const registry = createMetricsRegistry();
  const health = new ProxierHealth(2 * flags.syncPeriod);
  const healthServer = await startProxyHealthServer({ host: healthz.host, port: healthz.port, health, registry, logger });
  const metricsServer = metricsAt === undefined ? undefined : await startHealthServer({ bindAddress: metricsAt.host, port: metricsAt.port, registry, logger });
  const dataPath = new UserspaceDataPath({ nodeAddresses, metrics: userspaceMetrics(registry), logger });
  const loop = new SyncLoop({ client, nodeName, dataPath, minSyncPeriodMs: flags.minSyncPeriod, syncPeriodMs: flags.syncPeriod, health, metrics: syncMetrics(registry), logger });
  const nodeWatch = watchNodeEligibility(client, nodeName, health, logger);
  const stopping = new AbortController();
  loop.start(stopping.signal).catch((err: unknown) => logger.error({ err: String(err) }, 'the sync loop failed to start'));

  const recorder = new EventRecorder({ client, component: 'kube-proxy', host: nodeName, logger });
  recorder.event({ kind: 'Node', metadata: { name: nodeName, uid: nodeName } }, 'Normal', 'Starting', 'Starting kube-proxy.');

  return async () => {
    stopping.abort();
    await loop.stop();
    await nodeWatch.shutdown();
    await dataPath.close(connectionDrainMs);
    await Promise.all([healthServer.close(), metricsServer?.close(), recorder.shutdown()]);
  };
}

async function readNodeLogged(client: KubeClient, nodeName: string, logger: Logger): Promise<Node | undefined> {
  const node = await readNode(client, nodeName);
  if (!(node instanceof Error)) return node;
  logger.warn({ nodeName, err: node.message }, 'the Node could not be read; node ports take --bind-address or 127.0.0.1');
  return undefined;
}

/** /healthz says the node is not eligible once its Node is being deleted, as upstream's. */
function watchNodeEligibility(client: KubeClient, nodeName: string, health: ProxierHealth, logger: Logger): SharedInformerFactory {
  const factory = new SharedInformerFactory(client, { onError: (err, context) => logger.warn({ err: String(err), context }, 'node watch failed') });
  const eligible = (n: Node) => health.setNodeEligible(n.metadata?.deletionTimestamp === undefined);
  factory.informerFor<Node>('nodes', { fieldSelector: `metadata.name=${nodeName}` }).addEventHandler({
    onAdd: eligible,
    onUpdate: (_, n) => eligible(n),
    onDelete: () => health.setNodeEligible(false),
  });
  factory.start();
  return factory;
}
