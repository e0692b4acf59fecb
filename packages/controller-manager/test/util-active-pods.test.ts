// The order surplus pods are deleted in: the one that costs least to lose goes first.
import type { Pod } from '@kubets/api';
import t from 'tap';
import { compareForDeletion, podsToDelete } from '../src/controller/util/active-pods.js';
import { filterActivePods, isPodAvailable } from '../src/controller/util/pod-status.js';

interface Shape { node?: string; phase?: string; readySince?: string; restarts?: number; created?: string; deleting?: boolean }

function pod(name: string, s: Shape): Pod {
  return {
    metadata: { name, creationTimestamp: s.created ?? '2025-01-01T00:00:00Z', ...(s.deleting ? { deletionTimestamp: '2025-01-01T00:00:09Z' } : {}) },
    spec: { containers: [{ name: 'c', image: 'busybox' }], ...(s.node ? { nodeName: s.node } : {}) },
    status: {
      phase: s.phase ?? 'Running',
      conditions: [{ type: 'Ready', status: s.readySince ? 'True' : 'False', ...(s.readySince ? { lastTransitionTime: s.readySince } : {}) }],
      containerStatuses: [{ name: 'c', image: 'busybox', imageID: '', ready: !!s.readySince, restartCount: s.restarts ?? 0 }],
    },
  } as Pod;
}

const names = (pods: Pod[]) => pods.map((p) => p.metadata?.name);
const ready = '2025-01-01T00:00:05Z';

t.test('an unscheduled pod goes before a scheduled one', async (t) => {
  t.same(names(podsToDelete([pod('bound', { node: 'n', readySince: ready }), pod('unbound', { phase: 'Pending' })], 1)), ['unbound']);
});

t.test('Pending before Unknown before Running', async (t) => {
  const pods = [pod('running', { node: 'n' }), pod('unknown', { node: 'n', phase: 'Unknown' }), pod('pending', { node: 'n', phase: 'Pending' })];
  t.same(names(podsToDelete(pods, 3)), ['pending', 'unknown', 'running']);
});

t.test('not Ready before Ready, and Ready for less time before longer', async (t) => {
  const pods = [pod('old-ready', { node: 'n', readySince: '2025-01-01T00:00:01Z' }), pod('new-ready', { node: 'n', readySince: '2025-01-01T00:00:30Z' }), pod('unready', { node: 'n' })];
  t.same(names(podsToDelete(pods, 3)), ['unready', 'new-ready', 'old-ready']);
});

t.test('more restarts before fewer, then newer before older', async (t) => {
  const pods = [
    pod('old', { node: 'n', readySince: ready, created: '2025-01-01T00:00:00Z' }),
    pod('new', { node: 'n', readySince: ready, created: '2025-01-01T00:00:03Z' }),
    pod('crashy', { node: 'n', readySince: ready, restarts: 4 }),
  ];
  t.same(names(podsToDelete(pods, 3)), ['crashy', 'new', 'old']);
  t.equal(compareForDeletion(pods[0]!, pods[0]!), 0, 'a pod ties with itself');
});

t.test('terminal pods and pods being deleted are not active', async (t) => {
  const pods = [pod('ok', {}), pod('done', { phase: 'Succeeded' }), pod('failed', { phase: 'Failed' }), pod('going', { deleting: true })];
  t.same(names(filterActivePods(pods)), ['ok']);
});

t.test('a pod is available once Ready for longer than minReadySeconds', async (t) => {
  const p = pod('p', { node: 'n', readySince: '2025-01-01T00:00:00Z' });
  const at = (s: number) => Date.parse('2025-01-01T00:00:00Z') + s * 1000;
  t.ok(isPodAvailable(p, 0, at(0)));
  t.notOk(isPodAvailable(p, 10, at(10)));
  t.ok(isPodAvailable(p, 10, at(10.001)));
  t.notOk(isPodAvailable(pod('q', {}), 0, at(100)));
});
