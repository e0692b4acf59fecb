import t from 'tap';
import {
  allResources,
  apiVersionOf,
  findByKind,
  findResource,
  findSubresource,
  groupVersions,
  parseApiVersion,
  resolveResource,
  storageKey,
  storagePrefix,
} from '../src/index.js';

t.test('every resource is findable by path and by kind, with a list kind and verbs', async (t) => {
  for (const r of allResources()) {
    t.equal(findResource(r.group, r.version, r.resource), r, `${r.resource} by path`);
    t.equal(findByKind(apiVersionOf(r), r.kind), r, `${r.kind} by kind`);
    t.equal(r.listKind, `${r.kind}List`);
    t.ok(r.verbs.length > 0, `${r.resource} has verbs`);
    t.equal(r.singular, r.kind.toLowerCase());
  }
});

t.test('every kind is served with upstream scope and group', async (t) => {
  const expected: [string, string, string, boolean][] = [
    ['', 'namespaces', 'Namespace', false],
    ['', 'nodes', 'Node', false],
    ['', 'pods', 'Pod', true],
    ['', 'services', 'Service', true],
    ['', 'endpoints', 'Endpoints', true],
    ['', 'configmaps', 'ConfigMap', true],
    ['', 'secrets', 'Secret', true],
    ['', 'events', 'Event', true],
    ['', 'bindings', 'Binding', true],
    ['apps', 'deployments', 'Deployment', true],
    ['apps', 'replicasets', 'ReplicaSet', true],
    ['coordination.k8s.io', 'leases', 'Lease', true],
    ['', 'serviceaccounts', 'ServiceAccount', true],
    ['batch', 'jobs', 'Job', true],
    ['discovery.k8s.io', 'endpointslices', 'EndpointSlice', true],
    ['authentication.k8s.io', 'selfsubjectreviews', 'SelfSubjectReview', false],
    ['authorization.k8s.io', 'selfsubjectaccessreviews', 'SelfSubjectAccessReview', false],
    ['authorization.k8s.io', 'selfsubjectrulesreviews', 'SelfSubjectRulesReview', false],
    ['authorization.k8s.io', 'subjectaccessreviews', 'SubjectAccessReview', false],
  ];
  for (const [group, resource, kind, namespaced] of expected) {
    const r = findResource(group, 'v1', resource);
    t.ok(r, `${resource} exists`);
    t.equal(r?.kind, kind);
    t.equal(r?.namespaced, namespaced, `${resource} scope`);
  }
  t.same(groupVersions().map(apiVersionOf), ['v1', 'apps/v1', 'batch/v1', 'coordination.k8s.io/v1', 'discovery.k8s.io/v1', 'authentication.k8s.io/v1', 'authorization.k8s.io/v1']);
});

t.test('kubectl names resolve: plural, singular, short, kind, group-qualified', async (t) => {
  const cases: [string, string][] = [
    ['po', 'pods'], ['pod', 'pods'], ['pods', 'pods'], ['Pod', 'pods'],
    ['svc', 'services'], ['deploy', 'deployments'], ['deployments.apps', 'deployments'], ['deploy.apps', 'deployments'],
    ['rs', 'replicasets'], ['cm', 'configmaps'], ['ns', 'namespaces'], ['no', 'nodes'], ['ep', 'endpoints'],
    ['ev', 'events'], ['lease', 'leases'], ['leases.coordination.k8s.io', 'leases'],
    ['sa', 'serviceaccounts'], ['job', 'jobs'], ['jobs.batch', 'jobs'], ['endpointslice', 'endpointslices'], ['endpointslices.discovery.k8s.io', 'endpointslices'],
  ];
  for (const [name, resource] of cases) t.equal(resolveResource(name)?.resource, resource, name);
  t.equal(resolveResource('deployments.core'), undefined, 'wrong group');
  t.equal(resolveResource('widgets'), undefined);
});

t.test('subresources: status, scale (autoscaling/v1 Scale), binding, log', async (t) => {
  const deploy = resolveResource('deploy')!;
  t.same(findSubresource(deploy, 'scale'), { name: 'scale', group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] });
  t.equal(findSubresource(deploy, 'status')?.kind, 'Deployment');
  const pods = resolveResource('pods')!;
  t.same(findSubresource(pods, 'binding')?.verbs, ['create']);
  t.same(findSubresource(pods, 'log')?.verbs, ['get']);
  t.equal(findSubresource(resolveResource('cm')!, 'status'), undefined);
});

t.test('etcd keys follow /registry/<resource>/<namespace>/<name>', async (t) => {
  t.equal(storageKey(resolveResource('pods')!, 'default', 'web-1'), '/registry/pods/default/web-1');
  t.equal(storageKey(resolveResource('nodes')!, undefined, 'n1'), '/registry/nodes/n1');
  t.equal(storageKey(resolveResource('nodes')!, 'ignored', 'n1'), '/registry/nodes/n1');
  t.equal(storagePrefix(resolveResource('deploy')!, 'kube-system'), '/registry/deployments/kube-system/');
  t.equal(storagePrefix(resolveResource('deploy')!), '/registry/deployments/');
});

t.test('apiVersion strings', async (t) => {
  t.same(parseApiVersion('v1'), { group: '', version: 'v1' });
  t.same(parseApiVersion('apps/v1'), { group: 'apps', version: 'v1' });
  t.same(parseApiVersion('coordination.k8s.io/v1'), { group: 'coordination.k8s.io', version: 'v1' });
});
