// The EndpointSlice reconciler's plan: which slices to create, update and delete for a Service,
// its pods and the slices there are, with the 100-endpoint limit and the fewest slices changed.
import type { EndpointSlice, Node, Pod } from '@kubets/api';
import t from 'tap';
import { controllerName, managedByLabel, planSlices, type SlicePlan } from '../src/controllers/endpointslice/index.js';
import { pod, service, type PodOptions } from './endpoints-fixtures.js';

const nodes: Record<string, Node> = { 'node-1': { metadata: { name: 'node-1', labels: { 'topology.kubernetes.io/zone': 'zone-a' } } } };
const svc = service('web');
let named = 0;

function pods(n: number, from = 0, o: PodOptions = {}): Pod[] {
  return Array.from({ length: n }, (_, i) => pod(`p${from + i}`, { ip: `10.1.${Math.floor((from + i) / 200)}.${(from + i) % 200}`, ...o }));
}

function plan(ps: readonly Pod[], existing: readonly EndpointSlice[], s = svc): SlicePlan {
  return planSlices({ service: s, pods: ps, existing, node: (n) => nodes[n], maxEndpointsPerSlice: 100 });
}

/** The slices as the API server would hold them after the plan: names given, versions moved. */
function apply(existing: readonly EndpointSlice[], p: SlicePlan): EndpointSlice[] {
  const gone = new Set([...p.toDelete, ...p.toUpdate].map((s) => s.metadata?.name));
  const created = p.toCreate.map((s) => ({ ...s, metadata: { ...s.metadata, name: `web-${++named}`, uid: `slice-${named}`, resourceVersion: '1' } }));
  return [...existing.filter((s) => !gone.has(s.metadata?.name)), ...p.toUpdate, ...created];
}

const sizes = (slices: readonly EndpointSlice[]) => slices.map((s) => s.endpoints?.length ?? 0).sort((a, b) => b - a);
const changes = (p: SlicePlan) => ({ create: p.toCreate.length, update: p.toUpdate.length, delete: p.toDelete.length });

t.test('250 pods make 3 slices of at most 100, labelled and owned by the Service', async (t) => {
  const p = plan(pods(250), []);
  t.same(changes(p), { create: 3, update: 0, delete: 0 });
  t.same(sizes(p.toCreate), [100, 100, 50]);
  const s = p.toCreate[0]!;
  t.equal(s.metadata?.generateName, 'web-');
  t.same(s.metadata?.labels, { 'kubernetes.io/service-name': 'web', [managedByLabel]: controllerName });
  t.same(s.metadata?.ownerReferences, [{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: 'uid-svc-web', controller: true, blockOwnerDeletion: true }]);
  t.equal(s.addressType, 'IPv4');
  t.same(s.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
  t.same(s.endpoints![0], {
    addresses: ['10.1.0.0'], conditions: { ready: true, serving: true, terminating: false },
    targetRef: { kind: 'Pod', namespace: 'default', name: 'p0', uid: 'uid-p0' }, nodeName: 'node-1', zone: 'zone-a',
  });
});

t.test('minimal churn', async (t) => {
  const all = pods(250);
  const base = apply([], plan(all, []));
  t.same(changes(plan(all, base)), { create: 0, update: 0, delete: 0 }, 'nothing changed: nothing to write');

  const fewer = all.filter((p) => p.metadata?.name !== 'p0');
  const oneOut = plan([...fewer, ...pods(1, 250)], base);
  t.same(changes(oneOut), { create: 0, update: 1, delete: 0 }, 'a pod replaced: the new one takes the freed place in the same slice');
  t.same(sizes(apply(base, oneOut)), [100, 100, 50]);

  const five = plan([...all, ...pods(5, 250)], base);
  t.same(changes(five), { create: 0, update: 1, delete: 0 }, 'new pods go into the unchanged slice they fit best');
  t.same(sizes(apply(base, five)), [100, 100, 55]);

  const notReady = all.map((p) => (p.metadata?.name === 'p7' ? pod('p7', { ip: '10.1.0.7', ready: false }) : p));
  const r = plan(notReady, base);
  t.same(changes(r), { create: 0, update: 1, delete: 0 }, 'a pod turning not ready updates only its own slice');
  t.same(r.toUpdate[0]!.endpoints!.find((e) => e.targetRef?.name === 'p7')!.conditions, { ready: false, serving: false, terminating: false });

  const emptied = plan(all.slice(100), base);
  t.same(changes(emptied), { create: 0, update: 0, delete: 1 }, 'a slice left without endpoints is deleted');
});

t.test('endpoint conditions', async (t) => {
  const cases: { rule: string; o: PodOptions; publish?: boolean; want: object }[] = [
    { rule: 'ready pod', o: {}, want: { ready: true, serving: true, terminating: false } },
    { rule: 'not ready pod', o: { ready: false }, want: { ready: false, serving: false, terminating: false } },
    { rule: 'terminating ready pod: serving, not ready', o: { deleting: true }, want: { ready: false, serving: true, terminating: true } },
    { rule: 'publishNotReadyAddresses: ready whatever the pod', o: { ready: false, deleting: true }, publish: true, want: { ready: true, serving: false, terminating: true } },
  ];
  for (const c of cases) {
    const s = service('web', { publishNotReadyAddresses: c.publish ?? false });
    const p = plan(pods(1, 0, c.o), [], s);
    t.same(p.toCreate[0]!.endpoints![0]!.conditions, c.want, c.rule);
  }
});

t.test('pods whose named port resolves differently go to different slices', async (t) => {
  const s = service('web', { ports: [{ name: 'http', port: 80, targetPort: 'web', protocol: 'TCP' }] });
  const p = plan([
    pod('a', { ip: '10.1.0.1', ports: [{ name: 'web', containerPort: 8080 }] }),
    pod('b', { ip: '10.1.0.2', ports: [{ name: 'web', containerPort: 9090 }] }),
    pod('c', { ip: '10.1.0.3', ports: [{ name: 'web', containerPort: 9090 }] }),
  ], [], s);
  t.same(p.toCreate.map((x) => [x.ports?.[0]?.port, x.endpoints?.map((e) => e.targetRef?.name)]), [[8080, ['a']], [9090, ['b', 'c']]]);
});

t.test('a Service without endpoints keeps one placeholder slice', async (t) => {
  const p = plan([], []);
  t.same(changes(p), { create: 1, update: 0, delete: 0 });
  t.same(p.toCreate[0]!.endpoints, []);
  t.same(p.toCreate[0]!.ports, []);
  const existing = apply([], p);
  t.same(changes(plan([], existing)), { create: 0, update: 0, delete: 0 }, 'the placeholder is left alone');
  const withPods = plan(pods(2), existing);
  t.same(changes(withPods), { create: 0, update: 1, delete: 0 }, 'the placeholder is reused for the first endpoints');
  t.equal(withPods.toUpdate[0]!.metadata?.name, existing[0]!.metadata?.name);
  t.equal(withPods.toUpdate[0]!.endpoints?.length, 2);
});

t.test('slices of an earlier Service of the same name are deleted', async (t) => {
  const old = apply([], plan(pods(3), [], { ...svc, metadata: { ...svc.metadata, uid: 'old-uid' } }));
  const p = plan(pods(3), old);
  t.same(changes(p), { create: 1, update: 0, delete: 1 }, 'not reused: another owner');
});

t.test('a pod on an unknown node is left out and reported', async (t) => {
  const p = plan([...pods(1), pod('lost', { ip: '10.9.0.1', node: 'node-gone' })], []);
  t.equal(p.toCreate[0]!.endpoints!.length, 1);
  t.match(p.problems, [/skipping Pod lost for Service default\/web: Node node-gone Not Found/]);
});

t.test('the Service labels are copied to its slices, and a change updates them', async (t) => {
  const labelled = service('web', {}, { team: 'x' });
  const base = apply([], plan(pods(2), [], labelled));
  t.equal(base[0]!.metadata?.labels?.team, 'x');
  const p = plan(pods(2), base, service('web', {}, { team: 'y' }));
  t.same(changes(p), { create: 0, update: 1, delete: 0 });
  t.equal(p.toUpdate[0]!.metadata?.labels?.team, 'y');
  t.same(plan(pods(1), [], service('web', { clusterIP: 'None' })).toCreate[0]!.metadata?.labels?.['service.kubernetes.io/headless'], '', 'headless label');
});
