// A pod's requests as kube-scheduler counts them (resource.PodRequests): containers summed,
// init containers one at a time beside the sidecars started before them, sidecars beside the
// containers, overhead on top; and the non-zero defaults scoring uses.
import t from 'tap';
import { podNonZeroRequests, podRequests } from '../src/framework/resources.js';
import type { Container, Pod } from '../src/framework/types.js';

const c = (name: string, cpu?: string, memory?: string, restartPolicy?: string): Container => ({
  name,
  resources: { requests: { ...(cpu ? { cpu } : {}), ...(memory ? { memory } : {}) } },
  ...(restartPolicy ? { restartPolicy } : {}),
});
const pod = (containers: Container[], initContainers: Container[] = [], overhead?: Record<string, string>): Pod => ({
  metadata: { name: 'p', namespace: 'default' },
  spec: { containers, initContainers, ...(overhead ? { overhead } : {}) },
});

t.test('containers add up; the largest init container wins where it asks for more', async (t) => {
  t.match(podRequests(pod([c('a', '100m', '1Gi'), c('b', '200m', '1Gi')])), { milliCPU: 300, memory: 2 * 1024 ** 3 });
  t.match(podRequests(pod([c('a', '100m', '1Gi')], [c('i1', '1', '500Mi'), c('i2', '500m', '3Gi')])), { milliCPU: 1000, memory: 3 * 1024 ** 3 }, 'max per resource');
});

t.test('sidecars run beside later init containers and beside the containers', async (t) => {
  // sidecar 200m, then an init container of 500m beside it (700m), then containers 100m + sidecar 200m.
  t.match(podRequests(pod([c('a', '100m')], [c('s', '200m', undefined, 'Always'), c('i', '500m')])), { milliCPU: 700 });
  t.match(podRequests(pod([c('a', '1')], [c('s', '200m', undefined, 'Always'), c('i', '500m')])), { milliCPU: 1200 });
});

t.test('overhead is added; scoring counts 100m and 200Mi for a container that asks for nothing', async (t) => {
  t.match(podRequests(pod([c('a', '100m')], [], { cpu: '250m', memory: '120Mi' })), { milliCPU: 350, memory: 120 * 1024 ** 2 });
  t.match(podRequests(pod([c('a')])), { milliCPU: 0, memory: 0 });
  t.match(podNonZeroRequests(pod([c('a'), c('b', '50m')])), { milliCPU: 150, memory: 400 * 1024 ** 2 });
});
