import t from 'tap';
import { ApiError } from '@kubets/api';
import { parseResourcePath } from '../src/http/request-path.js';

const show = (group: string, version: string, rest: string) => {
  const r = parseResourcePath(group, version, rest);
  return [r.info.resource, r.namespace ?? '-', r.name ?? '-', r.subresource?.name ?? '-'].join(' ');
};

t.test('resource paths resolve as kube-apiserver resolves them', async (t) => {
  t.equal(show('', 'v1', 'pods'), 'pods - - -');
  t.equal(show('', 'v1', 'namespaces/default/pods'), 'pods default - -');
  t.equal(show('', 'v1', 'namespaces/default/pods/web'), 'pods default web -');
  t.equal(show('', 'v1', 'namespaces/default/pods/web/status'), 'pods default web status');
  t.equal(show('', 'v1', 'namespaces/default/pods/web/log'), 'pods default web log');
  t.equal(show('', 'v1', 'namespaces/default/pods/web/binding'), 'pods default web binding');
  t.equal(show('', 'v1', 'namespaces'), 'namespaces - - -');
  t.equal(show('', 'v1', 'namespaces/default'), 'namespaces - default -');
  t.equal(show('', 'v1', 'namespaces/default/status'), 'namespaces - default status');
  t.equal(show('', 'v1', 'namespaces/default/finalize'), 'namespaces - default finalize');
  t.equal(show('', 'v1', 'nodes/n1/status'), 'nodes - n1 status');
  t.equal(show('apps', 'v1', 'namespaces/prod/deployments/web/scale'), 'deployments prod web scale');
  t.equal(show('coordination.k8s.io', 'v1', 'namespaces/kube-node-lease/leases/n1'), 'leases kube-node-lease n1 -');
});

t.test('unknown resources and malformed paths are 404 NotFound Status errors', async (t) => {
  for (const [g, v, rest] of [
    ['', 'v1', 'widgets'],
    ['', 'v2', 'pods'],
    ['apps', 'v1', 'pods'],
    ['', 'v1', 'pods/web'],
    ['', 'v1', 'namespaces/default/nodes'],
    ['', 'v1', 'namespaces/default/pods/web/exec'],
    ['', 'v1', 'namespaces/default/pods/web/status/extra'],
    ['', 'v1', ''],
  ] as const) {
    const e = t.throws(() => parseResourcePath(g, v, rest)) as unknown as ApiError;
    t.ok(e instanceof ApiError, `${g}/${v}/${rest}`);
    t.equal(e.code, 404);
    t.equal(e.status.message, 'the server could not find the requested resource', 'the generic message, naming no object');
    t.same(e.status.details, {});
  }
});
