import t from 'tap';
import { ApiError } from '@kubets/api';
import { applyJsonPatch } from '../src/patch/json-patch.js';
import { applyMergePatch } from '../src/patch/merge-patch.js';
import { applyStrategicMergePatch } from '../src/patch/strategic-merge-patch.js';

t.test('merge patch follows RFC 7386', async (t) => {
  // The RFC's appendix examples.
  const cases: [unknown, unknown, unknown][] = [
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [['a', 'b'], ['c', 'd'], ['c', 'd']],
    [{ a: 'b' }, ['c'], ['c']],
    [{ a: 'foo' }, null, null],
    [{ a: 'foo' }, 'bar', 'bar'],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ];
  for (const [target, patch, want] of cases) t.same(applyMergePatch(target, patch), want, JSON.stringify(patch));
  const target = { a: { b: 1 } };
  applyMergePatch(target, { a: { b: 2 } });
  t.same(target, { a: { b: 1 } }, 'the target is not modified');
});

t.test('JSON patch follows RFC 6902', async (t) => {
  const doc = { metadata: { labels: { a: '1' } }, spec: { list: [1, 2, 3] } };
  const jp = (d: unknown, p: unknown) => applyJsonPatch(d, p) as any;
  t.same(jp(doc, [{ op: 'add', path: '/metadata/labels/b', value: '2' }]), { metadata: { labels: { a: '1', b: '2' } }, spec: { list: [1, 2, 3] } });
  t.same(jp(doc, [{ op: 'add', path: '/spec/list/-', value: 4 }]).spec.list, [1, 2, 3, 4]);
  t.same(jp(doc, [{ op: 'add', path: '/spec/list/0', value: 0 }]).spec.list, [0, 1, 2, 3]);
  t.same(jp(doc, [{ op: 'remove', path: '/spec/list/1' }]).spec.list, [1, 3]);
  t.same(jp(doc, [{ op: 'replace', path: '/metadata/labels/a', value: 'x' }]).metadata.labels, { a: 'x' });
  t.same(jp(doc, [{ op: 'move', from: '/metadata/labels/a', path: '/metadata/labels/z' }]).metadata.labels, { z: '1' });
  t.same(jp(doc, [{ op: 'copy', from: '/spec/list', path: '/spec/copy' }]).spec.copy, [1, 2, 3]);
  t.same(jp({ 'a/b': { '~c': 1 } }, [{ op: 'replace', path: '/a~1b/~0c', value: 2 }]), { 'a/b': { '~c': 2 } }, 'escaped pointers');
  t.same(doc.spec.list, [1, 2, 3], 'the target is not modified');
  const bad = (patch: unknown, code: number, re: RegExp) => {
    const e = t.throws(() => applyJsonPatch(doc, patch)) as unknown as ApiError;
    t.ok(e instanceof ApiError);
    t.equal(e.code, code);
    t.match(e.message, re);
  };
  bad({}, 400, /must be an array/);
  bad([{ op: 'replace', path: '/nope', value: 1 }], 400, /operation 0: path "\/nope" does not exist/);
  bad([{ op: 'remove', path: '/spec/list/3' }], 400, /index 3 is out of range/);
  bad([{ op: 'add', path: 'no-slash', value: 1 }], 400, /must start with "\/"/);
  bad([{ op: 'add', path: '/a' }], 400, /needs a "value"/);
  bad([{ op: 'frobnicate', path: '/a' }], 400, /unknown operation/);
  bad([{ op: 'add', path: '/metadata/__proto__', value: { polluted: true } }], 400, /__proto__/);
  bad([{ op: 'test', path: '/metadata/labels/a', value: '2' }], 422, /test operation 0 failed/);
  t.same(applyJsonPatch(doc, [{ op: 'test', path: '/metadata/labels/a', value: '1' }]), doc);
  t.equal(({} as Record<string, unknown>).polluted, undefined, 'no prototype pollution');
});

t.test('strategic merge patch merges lists by their merge keys', async (t) => {
  const deploy = {
    spec: {
      template: {
        spec: {
          containers: [
            { name: 'web', image: 'web:1', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }], ports: [{ containerPort: 80 }] },
            { name: 'sidecar', image: 'side:1' },
          ],
          tolerations: [{ key: 'a', operator: 'Exists' }],
        },
      },
    },
  };
  const patched = applyStrategicMergePatch('Deployment', deploy, {
    spec: { template: { spec: { containers: [{ name: 'web', image: 'web:2', env: [{ name: 'B', value: '3' }, { name: 'C', value: '4' }] }] } } },
  }) as any;
  t.same(patched.spec.template.spec.containers.map((c: any) => `${c.name}=${c.image}`), ['web=web:2', 'sidecar=side:1'], 'containers merge by name');
  t.same(patched.spec.template.spec.containers[0].env, [{ name: 'A', value: '1' }, { name: 'B', value: '3' }, { name: 'C', value: '4' }], 'env merges by name');
  t.same(patched.spec.template.spec.containers[0].ports, [{ containerPort: 80 }], 'untouched lists stay');
  const replaced = applyStrategicMergePatch('Deployment', deploy, { spec: { template: { spec: { tolerations: [{ key: 'b', operator: 'Exists' }] } } } }) as any;
  t.same(replaced.spec.template.spec.tolerations, [{ key: 'b', operator: 'Exists' }], 'lists without a merge key are replaced');
  const deleted = applyStrategicMergePatch('Deployment', deploy, { spec: { template: { spec: { containers: [{ name: 'sidecar', $patch: 'delete' }] } } } }) as any;
  t.same(deleted.spec.template.spec.containers.map((c: any) => c.name), ['web'], '$patch: delete removes an element');
  const ordered = applyStrategicMergePatch('Deployment', deploy, {
    spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'web' }], containers: [{ name: 'sidecar', image: 'side:2' }] } } },
  }) as any;
  t.same(ordered.spec.template.spec.containers.map((c: any) => `${c.name}=${c.image}`), ['sidecar=side:2', 'web=web:1'], '$setElementOrder orders the merged list');
  const svc = { spec: { ports: [{ name: 'http', port: 80 }, { name: 'https', port: 443 }] } };
  const svcPatched = applyStrategicMergePatch('Service', svc, { spec: { ports: [{ port: 443, targetPort: 8443 }] } }) as any;
  t.same(svcPatched.spec.ports, [{ name: 'http', port: 80 }, { name: 'https', port: 443, targetPort: 8443 }], 'service ports merge by port');
  const labels = applyStrategicMergePatch('Pod', { metadata: { labels: { a: '1', b: '2' } } }, { metadata: { labels: { a: null, c: '3' } } }) as any;
  t.same(labels.metadata.labels, { b: '2', c: '3' }, 'maps merge as in a merge patch');
  const fin = applyStrategicMergePatch('Pod', { metadata: { finalizers: ['a', 'b'] } }, { metadata: { finalizers: ['c'], '$deleteFromPrimitiveList/finalizers': ['a'] } }) as any;
  t.same(fin.metadata.finalizers, ['b', 'c'], 'finalizers merge as a set, with deletions');
  const retained = applyStrategicMergePatch('Deployment', { spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } } }, { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } }) as any;
  t.same(retained.spec.strategy, { type: 'Recreate' }, '$retainKeys drops the other keys');
  // The pod spec lists kubets stores but does not run merge by upstream's keys too.
  const gated = applyStrategicMergePatch('Pod', { spec: { schedulingGates: [{ name: 'a' }], imagePullSecrets: [{ name: 'r1' }], hostAliases: [{ ip: '10.0.0.1', hostnames: ['a'] }] } }, {
    spec: { schedulingGates: [{ name: 'b' }], imagePullSecrets: [{ name: 'r2' }], hostAliases: [{ ip: '10.0.0.1', hostnames: ['b'] }] },
  }) as any;
  t.same(gated.spec.schedulingGates, [{ name: 'a' }, { name: 'b' }]);
  t.same(gated.spec.imagePullSecrets, [{ name: 'r1' }, { name: 'r2' }]);
  t.same(gated.spec.hostAliases, [{ ip: '10.0.0.1', hostnames: ['b'] }], 'merged by ip');
  t.throws(() => applyStrategicMergePatch('Deployment', deploy, { spec: { template: { spec: { containers: [{ image: 'x' }] } } } }), /lacks the merge key "name"/);
  t.throws(() => applyStrategicMergePatch('Deployment', deploy, []), /must be a JSON object/);
  t.throws(() => applyStrategicMergePatch('Deployment', deploy, { $frob: 1 }), /unknown directive/);
});
