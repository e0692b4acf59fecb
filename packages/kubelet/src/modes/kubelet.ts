// The kubelet proper: its parts made from the flags and started in order: the runtime (which
// first finds what an earlier kubelet left running), the Node, the server, then the pod sync loop.
import type { Pod, Taint } from '@kubets/api';
import { clientFromKubeconfig, EventRecorder } from '@kubets/client';
import { createMetricsRegistry, type createLogger } from '@kubets/component-base';
import { makeEnvironment, expandCommand } from '../container/env.js';
import { nodeIPOf, nodeNameOf, type KubeletFlags } from '../config/flags.js';
import { parseKeyValues, parseResourceList, parseSize, parseTaints } from '../config/parse.js';
import { Kubelet } from '../kubelet.js';
import { runLifecycleHandler } from '../lifecycle/handlers.js';
import { createLoopbackPodNetwork } from '../network/loopback-network.js';
import { NodeAgent } from '../node/node-agent.js';
import { ProbeManager } from '../prober/index.js';
import { createProcessRuntime } from '../runtime/process-runtime.js';
import { startKubeletServer } from '../server/kubelet-server.js';
import { logFilesFinder } from '../server/log-files-finder.js';
import { createApiObjectSource } from '../sources/api-source.js';
import { createVolumeManager } from '../volumes/volume-manager.js';


type Logger = ReturnType<typeof createLogger>;
export async function runKubelet(flags: KubeletFlags, logger: Logger): Promise<() => Promise<void>> {
  const nodeName = nodeNameOf(flags);
  const nodeIP = nodeIPOf(flags);
  const labels = parseKeyValues(flags.nodeLabels, '--node-labels');
  const taints = parseTaints(flags.registerWithTaints) as Taint[];
  const systemReserved = parseResourceList(flags.systemReserved, '--system-reserved');
  const kubeReserved = parseResourceList(flags.kubeReserved, '--kube-reserved');
  const logMaxSizeBytes = parseSize(flags.containerLogMaxSize, '--container-log-max-size');

  const client = clientFromKubeconfig({ ...(flags.kubeconfig !== undefined ? { path: flags.kubeconfig } : {}), component: 'kubelet' });
  const recorder = new EventRecorder({ client, component: 'kubelet', host: nodeName, logger });
  const registry = createMetricsRegistry();
  const runtime = await createProcessRuntime({ rootDir: flags.rootDir, logMaxSizeBytes, logMaxFiles: flags.containerLogMaxFiles, ...(flags.imageConfig !== undefined ? { imageConfigPath: flags.imageConfig } : {}), logger });
  const source = createApiObjectSource(client, { logger });

  let kubelet: Kubelet | undefined;
  const server = await startKubeletServer({
    address: flags.address,
    port: flags.port,
    logger,
    registry,
    healthChecks: [{ name: 'registered', check: async () => { if (node.node() === undefined) throw new Error('the node is not registered yet'); } }],
    pods: () => kubelet?.pods() ?? [],
    findLogFiles: logFilesFinder({ rootDir: flags.rootDir, pods: () => kubelet?.pods() ?? [], isContainerRunning: (id) => runtime.containerStatus(id.replace(/^[a-z-]+:\/\//, ''))?.state === 'running' }),
  });
  const node: NodeAgent = new NodeAgent({
    client,
    nodeName,
    logger,
    nodeIP,
    ...(flags.hostnameOverride !== undefined ? { hostname: flags.hostnameOverride } : {}),
    port: server.port,
    labels,
    taints,
    maxPods: flags.maxPods,
    systemReserved,
    kubeReserved,
    leaseRenewIntervalMs: flags.nodeLeaseRenewInterval,
    leaseDurationSeconds: flags.nodeLeaseDurationSeconds,
    statusReportFrequencyMs: flags.nodeStatusReportFrequency,
    statusUpdateFrequencyMs: flags.nodeStatusUpdateFrequency,
    runtimeVersion: `${runtime.version().runtimeName}://${runtime.version().runtimeVersion}`,
    ...(flags.podCidr !== undefined ? { podCIDR: flags.podCidr } : {}),
    // Upstream: NetworkReady=false until the network plugin is ready; ours needs the pod CIDR.
    readiness: (): string | undefined => (node.podCIDR() === undefined ? 'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:the node has no pod CIDR yet' : undefined),
    recorder,
    rootDir: flags.rootDir,
  });
  await node.start();

  const network = createLoopbackPodNetwork({ rootDir: flags.rootDir, podCIDR: () => node.podCIDR(), logger });
  const volumes = createVolumeManager({ rootDir: flags.rootDir, source, nodeName, logger, isRoot: process.getuid?.() === 0, allocatable: node.node()?.status?.allocatable ?? {} });
  const hostIPs = () => [nodeIP];
  kubelet = new Kubelet({
    client,
    nodeName,
    rootDir: flags.rootDir,
    hostIPs,
    runtime,
    network,
    volumes,
    probes: (requestSync) =>
      new ProbeManager({
        exec: (id, cmd, timeoutMs) => runtime.execSync(id, cmd, timeoutMs),
        logger,
        onChange: requestSync,
        recordEvent: (pod, type, reason, message) => recorder.event(pod as Pod & { kind: string }, type, reason, message),
        registry,
      }),
    env: {
      environment: async (pod, container, podIPs) => {
        const made = await makeEnvironment(pod, container, { source, nodeName, hostIP: nodeIP, hostIPs: hostIPs(), podIP: podIPs[0] ?? '', podIPs, allocatable: node.node()?.status?.allocatable ?? {} });
        for (const s of made.skipped) recorder.event(withKind(pod), 'Warning', s.reason, s.message);
        return made.env;
      },
      expand: (words, env) => expandCommand(words, env),
    },
    runHook: (handler, ctx) => runLifecycleHandler(handler, { exec: (id, cmd, timeoutMs) => runtime.execSync(id, cmd, timeoutMs), containerId: ctx.containerId, podIP: ctx.podIP, container: ctx.container, timeoutMs: ctx.timeoutMs, pod: ctx.pod }),
    events: { event: (pod, type, reason, message) => recorder.event(withKind(pod), type, reason, message) },
    logger,
    syncFrequencyMs: flags.syncFrequency,
  });
  await kubelet.start();
  logger.info({ node: nodeName, address: flags.address, port: server.port }, 'kubelet running');

  return async () => {
    await kubelet?.stop();
    await node.stop();
    await server.close();
    await runtime.close();
    await source.close();
    await recorder.shutdown();
    await client.close();
  };
}

/** Events need the involved object's kind; pods from an informer's list may lack it. */
const withKind = (pod: Pod) => ({ ...pod, kind: 'Pod', apiVersion: 'v1' });
