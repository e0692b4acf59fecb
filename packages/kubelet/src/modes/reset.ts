// --reset: what `kubets down` runs after stopping a kubelet, since pods outlive their kubelet by
// design: stop every container recorded under the root dir (SIGTERM, SIGKILL after its pod's grace
// period), remove their sandboxes, and exit. The role of `kubeadm reset` / `crictl rm -af`.
import type { createLogger } from '@kubets/component-base';
import type { KubeletFlags } from '../config/flags.js';
import { parseSize } from '../config/parse.js';
import { createLoopbackPodNetwork } from '../network/loopback-network.js';
import { recordedGracePeriodSeconds } from '../pod/pod-state.js';
import { createProcessRuntime } from '../runtime/process-runtime.js';
import { createStaticObjectSource } from '../sources/static-source.js';
import { createVolumeManager } from '../volumes/volume-manager.js';


type Logger = ReturnType<typeof createLogger>;
export async function runReset(flags: KubeletFlags, logger: Logger): Promise<void> {
  const runtime = await createProcessRuntime({ rootDir: flags.rootDir, logMaxSizeBytes: parseSize(flags.containerLogMaxSize, '--container-log-max-size'), logMaxFiles: flags.containerLogMaxFiles, logger });
  await runtime.recover();
  const live = runtime.listContainers().filter((c) => c.state === 'running' || c.state === 'created');
  await Promise.all(
    live.map((c) => runtime.stopContainer(c.id, recordedGracePeriodSeconds(c))),
  );
  // Volumes (tmpfs emptyDirs are mounts) and addresses go with their pods; nothing reads a source now.
  const volumes = createVolumeManager({ rootDir: flags.rootDir, source: createStaticObjectSource(), nodeName: '', logger, isRoot: process.getuid?.() === 0 });
  const network = createLoopbackPodNetwork({ rootDir: flags.rootDir, podCIDR: () => undefined, logger });
  for (const c of runtime.listContainers()) await runtime.removeContainer(c.id);
  for (const s of runtime.listPodSandboxes()) {
    await runtime.removePodSandbox(s.id);
    await volumes.tearDownPod(s.config.uid);
    await network.tearDownPod(s.config.uid);
  }
  await runtime.close();
  logger.info({ rootDir: flags.rootDir, stopped: live.length }, 'reset: every container stopped and removed');
}
