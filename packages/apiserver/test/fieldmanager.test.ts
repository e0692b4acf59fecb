// The pure parts of server-side apply: field sets and their fieldsV1 form, the fields of an
// object and the comparison of two, managedFields after updates, and apply itself (merge,
// prune, conflicts, force). fast-check properties run with a fixed seed.

import t from 'tap';
import fc from 'fast-check';
import { isApiError } from '@kubets/api';
import { difference, emptySet, equalSets, fromFieldsV1, intersection, printPaths, toFieldsV1, union, childOf, type FieldSet } from '../src/fieldmanager/field-set.js';
import { compareObjects, fieldsOf, type Scope } from '../src/fieldmanager/object-fields.js';
import { managedFieldsAfterUpdate } from '../src/fieldmanager/update.js';
import { applyConfiguration, type ApplyRequest } from '../src/fieldmanager/apply.js';
import { checkWriteOptions, managerFromUserAgent } from '../src/fieldmanager/manager-name.js';
import { capUpdateManagers } from '../src/fieldmanager/cap-managers.js';
import type { ManagerEntry } from '../src/fieldmanager/managed-fields.js';
import type { KubeObject } from '../src/storage/interface.js';

const SEED = 20261127;
const podScope: Scope = { kind: 'Pod', target: 'main', statusSeparate: true };
const deployScope: Scope = { kind: 'Deployment', target: 'main', statusSeparate: true };

/** Every member of a set as a printed path: the model the set operations are checked against. */
const pathsOf = (s: FieldSet) => new Set(printPaths(s));

t.test('fieldsV1 of a Pod is upstream\'s format', async (t) => {
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default', uid: 'u', labels: { app: 'web' }, finalizers: ['a', 'b'] },
    spec: {
      containers: [{ name: 'app', image: 'nginx', ports: [{ containerPort: 80 }], args: ['x', 'y'], resources: {} }],
      nodeSelector: { disk: 'ssd' },
    },
    status: { phase: 'Pending' },
  };
  t.same(toFieldsV1(fieldsOf(pod, podScope)), {
    'f:metadata': { 'f:finalizers': { 'v:"a"': {}, 'v:"b"': {} }, 'f:labels': { 'f:app': {} } },
    'f:spec': {
      'f:containers': {
        'k:{"name":"app"}': {
          '.': {},
          'f:args': {},
          'f:image': {},
          'f:name': {},
          'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } },
          'f:resources': {},
        },
      },
      'f:nodeSelector': { 'f:disk': {} },
    },
  });
  t.same(printPaths(fieldsOf(pod, { ...podScope, target: 'status' })), ['.status.phase'], 'the status subresource owns only status');
  const svc = { metadata: { name: 's' }, spec: { ports: [{ port: 80, protocol: 'UDP' }], selector: { app: 'web' } } };
  t.same(printPaths(fieldsOf(svc, { kind: 'Service', target: 'main', statusSeparate: true })), [
    '.spec.ports[port=80,protocol="UDP"]',
    '.spec.ports[port=80,protocol="UDP"].port',
    '.spec.ports[port=80,protocol="UDP"].protocol',
    '.spec.selector',
  ], 'Service ports by port and protocol; the selector is atomic');
});

// Random field sets built from random paths over a small alphabet, so that sets overlap.
const elementArb = fc.constantFrom('f:a', 'f:b', 'f:c', 'k:{"name":"x"}', 'k:{"name":"y"}', 'v:"s"', 'i:0');
const pathArb = fc.array(elementArb, { minLength: 1, maxLength: 4 });
function setOf(paths: string[][]): FieldSet {
  const s = emptySet();
  for (const p of paths) {
    let node = s;
    for (const el of p.slice(0, -1)) node = childOf(node, el);
    node.members.add(p[p.length - 1]!);
  }
  return s;
}
const setArb = fc.array(pathArb, { maxLength: 12 }).map(setOf);

t.test('set operations agree with sets of paths (property)', async (t) => {
  fc.assert(
    fc.property(setArb, setArb, (a, b) => {
      const pa = pathsOf(a);
      const pb = pathsOf(b);
      const u = pathsOf(union(a, b));
      const d = pathsOf(difference(a, b));
      const i = pathsOf(intersection(a, b));
      for (const p of u) if (!pa.has(p) && !pb.has(p)) return false;
      if (u.size !== new Set([...pa, ...pb]).size) return false;
      if ([...d].some((p) => !pa.has(p) || pb.has(p)) || d.size !== [...pa].filter((p) => !pb.has(p)).length) return false;
      if ([...i].some((p) => !pa.has(p) || !pb.has(p)) || i.size !== [...pa].filter((p) => pb.has(p)).length) return false;
      const back = fromFieldsV1(JSON.parse(JSON.stringify(toFieldsV1(a))));
      return back !== undefined && equalSets(back, a) && JSON.stringify(toFieldsV1(union(a, b))) === JSON.stringify(toFieldsV1(union(b, a)));
    }),
    { seed: SEED, numRuns: 300 },
  );
});

t.test('malformed fieldsV1 is refused', async (t) => {
  for (const bad of [[], 'x', { 'x:y': {} }, { 'f:a': 1 }, { 'k:notjson': {} }, { 'i:01': {} }, { 'f:a': { 'f:b': [] } }]) {
    t.equal(fromFieldsV1(bad), undefined, JSON.stringify(bad));
  }
});

// Small random Pods: labels, containers by name with images and ports, an atomic args list.
const podArb = fc
  .record({
    labels: fc.dictionary(fc.constantFrom('a', 'b', 'c'), fc.constantFrom('1', '2')),
    containers: fc.uniqueArray(
      fc.record({ name: fc.constantFrom('x', 'y', 'z'), image: fc.constantFrom('i1', 'i2'), ports: fc.uniqueArray(fc.record({ containerPort: fc.constantFrom(80, 81) }), { selector: (p) => p.containerPort, maxLength: 2 }), args: fc.option(fc.array(fc.constantFrom('p', 'q'), { maxLength: 2 }), { nil: undefined }) }),
      { selector: (c) => c.name, minLength: 1, maxLength: 3 },
    ),
    restartPolicy: fc.option(fc.constantFrom('Always', 'Never'), { nil: undefined }),
  })
  .map(({ labels, containers, restartPolicy }) => ({
    metadata: { name: 'p', labels },
    spec: { containers: containers.map((c) => JSON.parse(JSON.stringify(c))), ...(restartPolicy ? { restartPolicy } : {}) },
  }));

t.test('comparing two objects accounts for every field (property)', async (t) => {
  fc.assert(
    fc.property(podArb, podArb, (a, b) => {
      const fa = fieldsOf(a, podScope);
      const fb = fieldsOf(b, podScope);
      const c = compareObjects(a, b, podScope);
      // b's fields are a's, less what was removed, plus what was added; modified ones are in both.
      const rebuilt = union(difference(fa, c.removed), c.added);
      if (!equalSets(rebuilt, fb)) return false;
      const both = intersection(fa, fb);
      if (!equalSets(intersection(c.modified, both), c.modified)) return false;
      return equalSets(compareObjects(a, a, podScope).modified, emptySet());
    }),
    { seed: SEED, numRuns: 300 },
  );
});

const writer = (manager: string) => ({ manager, apiVersion: 'v1' });

t.test('updates: the writer owns what it changed, and takes it from the others', async (t) => {
  const created: KubeObject = { metadata: { name: 'p', labels: { app: 'a' } }, spec: { containers: [{ name: 'c', image: 'i1' }] } };
  const mf1 = managedFieldsAfterUpdate(undefined, created, undefined, writer('kubectl-create'), podScope);
  t.equal(mf1.length, 1);
  t.same([mf1[0]!.manager, mf1[0]!.operation, mf1[0]!.apiVersion, mf1[0]!.fieldsType], ['kubectl-create', 'Update', 'v1', 'FieldsV1']);
  t.same(printPaths(fromFieldsV1(mf1[0]!.fieldsV1)!), ['.metadata.labels.app', '.spec.containers[name="c"]', '.spec.containers[name="c"].image', '.spec.containers[name="c"].name']);
  const old = { ...created, metadata: { ...created.metadata, managedFields: mf1 } };
  const next: KubeObject = structuredClone(old);
  (next.spec as any).containers[0].image = 'i2';
  next.metadata!.labels!.tier = 'x';
  const mf2 = managedFieldsAfterUpdate(old, next, next.metadata!.managedFields, writer('kubectl-edit'), podScope);
  const by = Object.fromEntries(mf2.map((e) => [e.manager, printPaths(fromFieldsV1(e.fieldsV1)!)]));
  t.same(by['kubectl-edit'], ['.metadata.labels.tier', '.spec.containers[name="c"].image']);
  t.same(by['kubectl-create'], ['.metadata.labels.app', '.spec.containers[name="c"]', '.spec.containers[name="c"].name']);
  const same = managedFieldsAfterUpdate(old, structuredClone(old), old.metadata!.managedFields, writer('other'), podScope);
  t.equal(same, mf1, 'a write that changes nothing keeps the stored entries as they are');
  t.same(managedFieldsAfterUpdate(old, structuredClone(old), [], writer('other'), podScope), [], '[] clears them');
  t.same(managedFieldsAfterUpdate(old, structuredClone(old), [{}], writer('other'), podScope), [], '[{}] clears them');
  t.same(managedFieldsAfterUpdate(old, structuredClone(old), [{ manager: 'x', operation: 'Bogus' }], writer('other'), podScope), mf1, 'invalid ones are ignored');
  const edited = [{ ...mf1[0]!, manager: 'renamed' }];
  t.same(managedFieldsAfterUpdate(old, structuredClone(old), edited, writer('other'), podScope).map((e) => e.manager), ['renamed'], 'valid ones replace the stored');
});

const deployment = (replicas: number, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'd', ...extra },
  spec: { replicas, selector: { matchLabels: { app: 'd' } }, template: { metadata: { labels: { app: 'd' } }, spec: { containers: [{ name: 'app', image: 'i1' }] } } },
});
const req = (manager: string, force = false): ApplyRequest => ({ manager, apiVersion: 'apps/v1', force, scope: deployScope });
function applyTo(live: KubeObject | undefined, config: Record<string, unknown>, r: ApplyRequest) {
  const out = applyConfiguration(live, structuredClone(live ?? {}), structuredClone(config), r);
  const obj = out.object;
  (obj.metadata ??= {}).managedFields = out.managedFields;
  return { obj, out };
}
const ownersOf = (obj: KubeObject) => Object.fromEntries((obj.metadata!.managedFields as any[]).map((e) => [`${e.manager}/${e.operation}`, printPaths(fromFieldsV1(e.fieldsV1)!)]));

t.test('apply: merge, shared ownership, conflicts, force, and removal of what is no longer applied', async (t) => {
  const { obj: v1 } = applyTo(undefined, deployment(2, { labels: { a: '1', b: '2' } }), req('alice'));
  t.same(Object.keys(ownersOf(v1)), ['alice/Apply']);
  t.ok(ownersOf(v1)['alice/Apply']!.includes('.spec.replicas'));

  // Bob applies the same replicas and a new container: replicas become shared; the list merges by name.
  const bobConfig = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { replicas: 2, template: { spec: { containers: [{ name: 'side', image: 's' }] } } } };
  const { obj: v2 } = applyTo(v1, bobConfig, req('bob'));
  t.same((v2.spec as any).template.spec.containers.map((c: any) => c.name), ['app', 'side']);
  t.ok(ownersOf(v2)['alice/Apply']!.includes('.spec.replicas'), 'alice still owns replicas');
  t.ok(ownersOf(v2)['bob/Apply']!.includes('.spec.replicas'), 'bob shares replicas');

  // Bob now wants 3: alice owns replicas, so that is a conflict...
  try {
    applyTo(v2, { ...bobConfig, spec: { ...bobConfig.spec, replicas: 3 } }, req('bob'));
    t.fail('expected a conflict');
  } catch (e) {
    t.ok(isApiError(e));
    const st = (e as any).status;
    t.same([st.code, st.reason], [409, 'Conflict']);
    t.equal(st.message, 'Apply failed with 1 conflict: conflict with "alice": .spec.replicas');
    t.same(st.details.causes, [{ reason: 'FieldManagerConflict', message: 'conflict with "alice"', field: '.spec.replicas' }]);
  }
  // ... unless forced: bob takes replicas over.
  const { obj: v3 } = applyTo(v2, { ...bobConfig, spec: { ...bobConfig.spec, replicas: 3 } }, req('bob', true));
  t.equal((v3.spec as any).replicas, 3);
  t.notOk(ownersOf(v3)['alice/Apply']!.includes('.spec.replicas'));

  // Alice drops label b and her container image stays: b goes (nobody else owns it), a stays.
  const { obj: v4 } = applyTo(v3, { ...deployment(3, { labels: { a: '1' } }) }, req('alice', true));
  t.same(v4.metadata!.labels, { a: '1' });
  t.same((v4.spec as any).template.spec.containers.map((c: any) => c.name), ['app', 'side'], 'bob\'s container stays');

  // Bob stops applying his container: it goes; replicas (now his alone? no: alice forced it back) stay.
  const { obj: v5 } = applyTo(v4, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' } }, req('bob'));
  t.same((v5.spec as any).template.spec.containers.map((c: any) => c.name), ['app']);
  t.equal((v5.spec as any).replicas, 3, 'alice owns replicas, so they stay');
  t.notOk(ownersOf(v5)['bob/Apply'], 'bob owns nothing any more');

  // Applying the same again changes nothing at all.
  const again = applyTo(v5, deployment(3, { labels: { a: '1' } }), req('alice'));
  t.ok(again.out.noop);
});

t.test('apply conflicts with an Update manager name its version; several are listed', async (t) => {
  const created = deployment(1, { labels: { a: '1' } });
  const mf = managedFieldsAfterUpdate(undefined, created, undefined, { manager: 'kubectl-client-side-apply', apiVersion: 'apps/v1' }, deployScope);
  const live = { ...created, metadata: { ...created.metadata, managedFields: mf } };
  try {
    applyTo(live, deployment(5, { labels: { a: '2' } }), req('ssa'));
    t.fail('expected a conflict');
  } catch (e) {
    const st = (e as any).status;
    t.equal(st.message, 'Apply failed with 2 conflicts: conflicts with "kubectl-client-side-apply" using apps/v1:\n- .metadata.labels.a\n- .spec.replicas');
    t.same(st.details.causes.map((c: any) => c.field), ['.metadata.labels.a', '.spec.replicas']);
    t.equal(st.details.causes[0].message, 'conflict with "kubectl-client-side-apply" using apps/v1');
  }
});

t.test('more than ten Update managers: the oldest are folded per apiVersion into ancient-changes', async (t) => {
  const field = (name: string) => fromFieldsV1({ 'f:data': { [`f:${name}`]: {} } })!;
  const at = (s: number) => new Date(Date.UTC(2026, 10, 27, 12, 0, s)).toISOString().replace('.000Z', 'Z');
  const update = (manager: string, second: number, apiVersion = 'v1'): ManagerEntry => ({ manager, operation: 'Update', apiVersion, time: at(second), fields: field(manager) });
  const applier: ManagerEntry = { manager: 'applier', operation: 'Apply', apiVersion: 'v1', time: at(0), fields: field('applier') };
  const summary = (es: ManagerEntry[]) => es.map((e) => `${e.manager}:${printPaths(e.fields).filter((p) => p.startsWith('.data.')).map((p) => p.slice(6)).sort().join('+')}`).sort();

  const ten = Array.from({ length: 10 }, (_, i) => update(`m${i}`, i));
  t.equal(capUpdateManagers([applier, ...ten]).length, 11, 'ten Update entries (and any Apply entries) stay as they are');

  const twelve = Array.from({ length: 12 }, (_, i) => update(`m${String(i).padStart(2, '0')}`, 10 + i));
  const capped = capUpdateManagers([applier, ...twelve]);
  t.same(summary(capped), ['ancient-changes:m00+m01+m02', 'applier:applier', ...twelve.slice(3).map((e) => `${e.manager}:${e.manager}`)],
    'the three oldest became one bucket, leaving ten Update entries; the Apply entry is untouched');
  const bucket = capped.find((e) => e.manager === 'ancient-changes')!;
  t.same([bucket.operation, bucket.apiVersion, bucket.time, bucket.subresource], ['Update', 'v1', at(12), undefined], 'the bucket is an Update of the version, with the newest merged time');

  // Two versions: the oldest of each version stays until a second one of that version must go.
  const mixed = [update('a', 1, 'apps/v1beta1'), update('b', 2), update('c', 3, 'apps/v1beta1'), ...Array.from({ length: 8 }, (_, i) => update(`n${i}`, 10 + i))];
  t.same(summary(capUpdateManagers(mixed)).filter((x) => !x.startsWith('n')), ['ancient-changes:a+c', 'b:b'], 'a and c share a version and a bucket; b, the first of its version, is kept');
  const oneMore = capUpdateManagers([...mixed, update('n8', 30)]);
  t.same(summary(oneMore).filter((x) => !x.startsWith('n')), ['ancient-changes:a+c', 'ancient-changes:b+n0'], 'one bucket per version');
  t.same(oneMore.filter((e) => e.manager === 'ancient-changes').map((e) => e.apiVersion).sort(), ['apps/v1beta1', 'v1']);

  // A bucket from an earlier cap takes further entries of its version.
  const earlier: ManagerEntry = { manager: 'ancient-changes', operation: 'Update', apiVersion: 'v1', time: at(5), fields: field('old') };
  const again = capUpdateManagers([update('x', 1), earlier, ...Array.from({ length: 10 }, (_, i) => update(`y${i}`, 10 + i))]);
  t.equal(again.filter((e) => e.operation === 'Update').length, 10);
  t.same(summary(again).filter((x) => !x.startsWith('y')), ['ancient-changes:old+x+y0'], 'the older entry and the next oldest joined the existing bucket');

  // Same second: ordered by upstream's manager identifier, so the result does not depend on input order.
  const sameSecond = Array.from({ length: 11 }, (_, i) => update(`s${String(i).padStart(2, '0')}`, 30));
  t.same(summary(capUpdateManagers([...sameSecond].reverse())), summary(capUpdateManagers(sameSecond)));
  t.same(summary(capUpdateManagers(sameSecond)).filter((x) => x.startsWith('ancient')), ['ancient-changes:s00+s01']);
});

t.test('field manager names and options', async (t) => {
  t.equal(managerFromUserAgent('kubectl/v1.32.0 (linux/amd64) kubernetes/abc'), 'kubectl');
  t.equal(managerFromUserAgent('kubets-kubelet/0.1.0'), 'kubets-kubelet');
  t.equal(managerFromUserAgent(undefined), '');
  t.equal(managerFromUserAgent('a\u0000b\u200bc/x'), 'abc');
  t.equal(managerFromUserAgent('x'.repeat(300)).length, 128);
  const code = (f: () => void) => {
    try {
      f();
      return 0;
    } catch (e) {
      return (e as any).status.code;
    }
  };
  t.equal(code(() => checkWriteOptions('PatchOptions', undefined, false, true)), 422, 'fieldManager is required for apply');
  t.equal(code(() => checkWriteOptions('PatchOptions', 'm', true, true)), 0);
  t.equal(code(() => checkWriteOptions('PatchOptions', 'm', true, false)), 422, 'force only with apply');
  t.equal(code(() => checkWriteOptions('CreateOptions', 'x'.repeat(129), false, false)), 422);
  t.equal(code(() => checkWriteOptions('UpdateOptions', 'a\nb', false, false)), 422);
});
