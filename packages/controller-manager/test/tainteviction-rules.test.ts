// The taint eviction rules: which tolerations match a taint, and when a pod must leave.
import type { Pod, Taint, Toleration } from '@kubets/api';
import t from 'tap';
import { evictionDecision, noExecuteTaints, podWithDisruptionTarget, toleratesTaint } from '../src/controllers/tainteviction/index.js';

const t0 = Date.UTC(2025, 0, 1);
const unreachable: Taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' };
const dedicated: Taint = { key: 'dedicated', value: 'db', effect: 'NoExecute' };
const pod = (tolerations: Toleration[]): Pod => ({ metadata: { name: 'p', namespace: 'default' }, spec: { containers: [], tolerations } }) as Pod;
const since = (t: Taint) => (t.key === dedicated.key ? t0 + 5_000 : t0);

t.test('a toleration matches by effect (or any), key (or any with Exists) and value (with Equal)', async (t) => {
  t.ok(toleratesTaint({ operator: 'Exists' }, dedicated), 'empty key with Exists: everything');
  t.ok(toleratesTaint({ key: 'dedicated', operator: 'Equal', value: 'db' }, dedicated), 'any effect');
  t.notOk(toleratesTaint({ key: 'dedicated', value: 'web' }, dedicated), 'Equal is the default operator: values differ');
  t.notOk(toleratesTaint({ key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' }, dedicated), 'other effect');
  t.ok(toleratesTaint({ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' }, unreachable));
  t.same(noExecuteTaints([dedicated, { key: 'x', effect: 'NoSchedule' }]), [dedicated]);
});

t.test('a taint without a matching toleration evicts at once', async (t) => {
  t.same(evictionDecision(pod([]), [unreachable], since, t0), { evict: true, at: -Infinity });
  t.same(evictionDecision(pod([{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' }]), [unreachable, dedicated], since, t0).evict, true, 'one of two tolerated is not enough');
});

t.test('tolerated for N seconds: evicted N seconds after the taint came, the earliest deadline winning', async (t) => {
  const tol = (key: string, s?: number): Toleration => ({ key, operator: 'Exists', effect: 'NoExecute', ...(s !== undefined ? { tolerationSeconds: s } : {}) });
  t.same(evictionDecision(pod([tol(unreachable.key, 30)]), [unreachable], since, t0 - 60_000), { evict: true, at: t0 + 30_000 });
  t.same(evictionDecision(pod([tol(unreachable.key, 30), tol('dedicated', 10)]), [unreachable, dedicated], since, t0 - 60_000), { evict: true, at: t0 + 15_000 }, 'the dedicated taint came at t0+5s with 10 s');
  t.same(evictionDecision(pod([tol(unreachable.key, 30)]), [unreachable], since, t0 + 100_000), { evict: true, at: t0 + 130_000 }, 'not counted from before the pod existed');
  t.same(evictionDecision(pod([tol(unreachable.key, 0)]), [unreachable], since, t0 - 60_000), { evict: true, at: t0 }, 'zero seconds: at once');
  t.same(evictionDecision(pod([tol(unreachable.key)]), [unreachable], since, t0), { evict: false }, 'no tolerationSeconds: forever');
  t.same(evictionDecision(pod([tol(unreachable.key, 30)]), [], since, t0), { evict: false }, 'no taint: stays');
});

t.test('the DisruptionTarget condition is added once, with upstream reason and message', async (t) => {
  const p = { ...pod([]), status: { conditions: [{ type: 'Ready', status: 'True' }] } } as Pod;
  const marked = podWithDisruptionTarget(p, t0)!;
  const c = marked.status!.conditions!.find((x) => x.type === 'DisruptionTarget')!;
  t.same([c.status, c.reason, c.message], ['True', 'DeletionByTaintManager', 'Taint manager: deleting due to NoExecute taint']);
  t.equal(marked.status!.conditions!.length, 2, 'the others kept');
  t.equal(podWithDisruptionTarget(marked, t0 + 1), undefined, 'there already');
});
