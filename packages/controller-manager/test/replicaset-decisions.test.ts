// The ReplicaSet's pure decisions: how many pods to create or delete, and its status.
import type { Pod, ReplicaSet } from '@kubets/api';
import t from 'tap';
import { burstReplicas, calculateReplicaSetStatus, replicasDiff } from '../src/controllers/replicaset/index.js';

t.test('creates or deletes the difference, at most burstReplicas per sync', async (t) => {
  t.equal(replicasDiff(3, 1), 2);
  t.equal(replicasDiff(1, 3), -2);
  t.equal(replicasDiff(2, 2), 0);
  t.equal(replicasDiff(1000, 0), burstReplicas);
  t.equal(replicasDiff(0, 900), -burstReplicas);
});

const rs: ReplicaSet = {
  metadata: { name: 'web', namespace: 'ns', generation: 2 },
  spec: { replicas: 3, minReadySeconds: 10, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web', tier: 'x' } } } },
  status: { replicas: 0, observedGeneration: 1 },
};
const now = Date.parse('2025-01-01T00:01:00Z');
function pod(labels: Record<string, string>, readySince?: string): Pod {
  return { metadata: { labels }, status: { conditions: readySince ? [{ type: 'Ready', status: 'True', lastTransitionTime: readySince }] : [] } } as Pod;
}

t.test('status counts pods, fully labelled, Ready and available (Ready for minReadySeconds)', async (t) => {
  const pods = [pod({ app: 'web', tier: 'x' }, '2025-01-01T00:00:00Z'), pod({ app: 'web', tier: 'x' }, '2025-01-01T00:00:55Z'), pod({ app: 'web' })];
  const s = calculateReplicaSetStatus({ rs, pods, manageError: undefined, now });
  t.same(s, { replicas: 3, fullyLabeledReplicas: 2, readyReplicas: 2, availableReplicas: 1, observedGeneration: 1 });
});

t.test('a failed create sets ReplicaFailure FailedCreate with the error; success removes it', async (t) => {
  const s = calculateReplicaSetStatus({ rs, pods: [], manageError: new Error('pods "web-x" is forbidden: exceeded quota'), now });
  t.match(s.conditions, [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'pods "web-x" is forbidden: exceeded quota', lastTransitionTime: '2025-01-01T00:01:00Z' }]);
  const again = calculateReplicaSetStatus({ rs: { ...rs, status: s }, pods: [], manageError: undefined, now });
  t.equal(again.conditions, undefined);
});

t.test('a failed delete sets ReplicaFailure FailedDelete', async (t) => {
  const pods = [pod({ app: 'web' }), pod({ app: 'web' }), pod({ app: 'web' }), pod({ app: 'web' })];
  const s = calculateReplicaSetStatus({ rs, pods, manageError: new Error('unable to delete pods: boom'), now });
  t.equal(s.conditions?.[0]?.reason, 'FailedDelete');
});
