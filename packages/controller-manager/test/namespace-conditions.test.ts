// The namespace controller's conditions, without a server: upstream's types, reasons and
// messages, and when lastTransitionTime moves.
import t from 'tap';
import { GroupDiscoveryFailedError } from '../src/controllers/garbagecollector/discovery.js';
import { type NamespaceCondition, NamespaceConditionUpdater } from '../src/controllers/namespace/index.js';

const emptyTotals = () => ({ remainingByResource: new Map<string, number>(), remainingByFinalizer: new Map<string, number>() });

function pass(status: { conditions?: NamespaceCondition[] }, now: string, fill: (u: NamespaceConditionUpdater) => void = () => {}): boolean {
  const u = new NamespaceConditionUpdater(() => now);
  fill(u);
  return u.update(status);
}

t.test('a pass that found nothing wrong sets the five conditions False with upstream reasons and messages', async (t) => {
  const status: { conditions?: NamespaceCondition[] } = {};
  t.ok(pass(status, 'T1', (u) => u.contentTotals(emptyTotals())));
  t.same(status.conditions, [
    { type: 'NamespaceDeletionDiscoveryFailure', status: 'False', lastTransitionTime: 'T1', reason: 'ResourcesDiscovered', message: 'All resources successfully discovered' },
    { type: 'NamespaceDeletionGroupVersionParsingFailure', status: 'False', lastTransitionTime: 'T1', reason: 'ParsedGroupVersions', message: 'All legacy kube types successfully parsed' },
    { type: 'NamespaceDeletionContentFailure', status: 'False', lastTransitionTime: 'T1', reason: 'ContentDeleted', message: 'All content successfully deleted, may be waiting on finalization' },
    { type: 'NamespaceContentRemaining', status: 'False', lastTransitionTime: 'T1', reason: 'ContentRemoved', message: 'All content successfully removed' },
    { type: 'NamespaceFinalizersRemaining', status: 'False', lastTransitionTime: 'T1', reason: 'ContentHasNoFinalizers', message: 'All content-preserving finalizers finished' },
  ]);
  t.notOk(pass(status, 'T2'), 'the same findings again change nothing');
});

t.test('remaining content and finalizers are counted, sorted, in upstream words', async (t) => {
  const status: { conditions?: NamespaceCondition[] } = {};
  pass(status, 'T1', (u) => u.contentTotals({
    remainingByResource: new Map([['pods.', 9], ['deployments.apps', 1], ['secrets.', 0]]),
    remainingByFinalizer: new Map([['b.io/x', 2], ['a.io/y', 1]]),
  }));
  const byType = (type: string) => status.conditions!.find((c) => c.type === type)!;
  t.same(byType('NamespaceContentRemaining'), { type: 'NamespaceContentRemaining', status: 'True', lastTransitionTime: 'T1', reason: 'SomeResourcesRemain', message: 'Some resources are remaining: deployments.apps has 1 resource instances, pods. has 9 resource instances' });
  t.same(byType('NamespaceFinalizersRemaining'), { type: 'NamespaceFinalizersRemaining', status: 'True', lastTransitionTime: 'T1', reason: 'SomeFinalizersRemain', message: 'Some content in the namespace has finalizers remaining: a.io/y in 1 resource instances, b.io/x in 2 resource instances' });
});

t.test('lastTransitionTime moves when the status does, not when only the message does', async (t) => {
  const status: { conditions?: NamespaceCondition[] } = {};
  const remaining = (n: number) => (u: NamespaceConditionUpdater) => u.contentTotals({ remainingByResource: new Map([['pods.', n]]), remainingByFinalizer: new Map() });
  pass(status, 'T1', remaining(3));
  const cond = () => status.conditions!.find((c) => c.type === 'NamespaceContentRemaining')!;
  t.ok(pass(status, 'T2', remaining(2)), 'the message changed');
  t.equal(cond().lastTransitionTime, 'T1');
  t.equal(cond().message, 'Some resources are remaining: pods. has 2 resource instances');
  t.ok(pass(status, 'T3', remaining(0)));
  t.same([cond().status, cond().reason, cond().lastTransitionTime], ['False', 'ContentRemoved', 'T3']);
});

t.test('conditions of other types are left alone', async (t) => {
  const other = { type: 'SomethingElse', status: 'True', reason: 'Mine' };
  const status = { conditions: [other] };
  pass(status, 'T1');
  t.same(status.conditions[0], other);
  t.equal(status.conditions.length, 6);
});

t.test('a discovery failure of some groups is reported as upstream words it', async (t) => {
  const status: { conditions?: NamespaceCondition[] } = {};
  pass(status, 'T1', (u) => u.discoveryFailed(new GroupDiscoveryFailedError(new Map([['metrics.k8s.io/v1beta1', 'the server is currently unable to handle the request']]))));
  t.same(status.conditions!.find((c) => c.type === 'NamespaceDeletionDiscoveryFailure'), {
    type: 'NamespaceDeletionDiscoveryFailure',
    status: 'True',
    lastTransitionTime: 'T1',
    reason: 'DiscoveryFailed',
    message: 'Discovery failed for some groups, 1 failing: unable to retrieve the complete list of server APIs: metrics.k8s.io/v1beta1: the server is currently unable to handle the request',
  });
});

t.test('content deletion failures are collected, sorted and counted', async (t) => {
  const status: { conditions?: NamespaceCondition[] } = {};
  pass(status, 'T1', (u) => {
    u.deleteContentFailed('unexpected items still remain in namespace: x for gvr: /v1, Resource=pods');
    u.deleteContentFailed('boom');
  });
  const c = status.conditions!.find((x) => x.type === 'NamespaceDeletionContentFailure')!;
  t.same([c.status, c.reason], ['True', 'ContentDeletionFailed']);
  t.equal(c.message, 'Failed to delete all resource types, 2 remaining: boom, unexpected items still remain in namespace: x for gvr: /v1, Resource=pods');
});
