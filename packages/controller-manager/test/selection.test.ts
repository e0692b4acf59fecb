import t from 'tap';
import type { ControllerDescriptor } from '../src/index.js';
import { selectControllers } from '../src/controller/selection.js';
import { optionsFromFlags } from '../src/controller/flags.js';
import { defaultOptions } from '../src/controller/options.js';

const descriptor = (name: string, enabledByDefault = true): ControllerDescriptor => ({
  name,
  aliases: [name.replace(/-controller$/, '')],
  enabledByDefault,
  create: () => ({ run: async () => {}, stop: async () => {} }),
});
const all = [descriptor('replicaset-controller'), descriptor('deployment-controller'), descriptor('job-controller'), descriptor('bootstrap-signer-controller', false)];
const names = (spec: string[]) => selectControllers(all, spec).map((c) => c.name);

t.test('--controllers as upstream reads it', async (t) => {
  t.same(names(['*']), ['replicaset-controller', 'deployment-controller', 'job-controller'], '* is every controller on by default');
  t.same(names(['*', '-job-controller']), ['replicaset-controller', 'deployment-controller'], '-name leaves one out');
  t.same(names(['*', '-job']), ['replicaset-controller', 'deployment-controller'], 'by its alias too');
  t.same(names(['*', 'bootstrap-signer']), ['replicaset-controller', 'deployment-controller', 'job-controller', 'bootstrap-signer-controller'], 'naming one turns it on');
  t.same(names(['job']), ['job-controller'], 'without * only what is named runs');
  t.same(names(['-job', 'job-controller']), [], 'a leaving-out wins');
  t.throws(() => names(['*', 'nosuch']), { name: 'UnknownControllerError' });
  t.throws(() => names(['-nosuch']), /"nosuch" is not in the list of known controllers: bootstrap-signer-controller, deployment-controller, job-controller, replicaset-controller/);
});

t.test('flags become options under their upstream names', async (t) => {
  const o = optionsFromFlags({ concurrentReplicasetSyncs: 9, nodeMonitorGracePeriod: 4000, allocateNodeCidrs: true, clusterCidr: '10.244.0.0/16', nodeCidrMaskSize: 26 });
  t.equal(o.concurrentReplicaSetSyncs, 9);
  t.equal(o.nodeMonitorGracePeriodMs, 4000);
  t.equal(o.allocateNodeCidrs, true);
  t.equal(o.clusterCidr, '10.244.0.0/16');
  t.equal(o.nodeCidrMaskSize, 26);
  t.equal(o.concurrentDeploymentSyncs, defaultOptions().concurrentDeploymentSyncs, 'the rest keep their defaults');
});
