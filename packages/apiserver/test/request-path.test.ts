import t from 'tap';
import { ApiError, findResource } from '@kubets/api';
import { boolParam, selection } from '../src/http/query.js';
import { parseResourcePath } from '../src/http/request-path.js';

const show = (group: string, version: string, rest: string) => {
  const r = parseResourcePath(group, version, rest);
  return [r.info.resource, r.namespace ?? '-', r.name ?? '-', r.subresource?.name ?? '-', ...(r.watchPath ? ['watch'] : [])].join(' ');
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

t.test('the deprecated /watch/ paths name the collection or the one object to watch', async (t) => {
  t.equal(show('', 'v1', 'watch/pods'), 'pods - - - watch', 'every namespace');
  t.equal(show('', 'v1', 'watch/namespaces/default/configmaps'), 'configmaps default - - watch');
  t.equal(show('', 'v1', 'watch/namespaces/default/configmaps/foo'), 'configmaps default foo - watch', 'one object: metadata.name=foo');
  t.equal(show('', 'v1', 'watch/namespaces'), 'namespaces - - - watch');
  t.equal(show('', 'v1', 'watch/namespaces/default'), 'namespaces - default - watch', 'the Namespace object itself');
  t.equal(show('', 'v1', 'watch/nodes'), 'nodes - - - watch');
  t.equal(show('', 'v1', 'watch/nodes/n1'), 'nodes - n1 - watch');
  t.equal(show('apps', 'v1', 'watch/deployments'), 'deployments - - - watch');
  t.equal(show('apps', 'v1', 'watch/namespaces/prod/deployments'), 'deployments prod - - watch');
  t.equal(show('apps', 'v1', 'watch/namespaces/prod/deployments/web'), 'deployments prod web - watch');
  t.equal(show('coordination.k8s.io', 'v1', 'watch/namespaces/kube-node-lease/leases/n1'), 'leases kube-node-lease n1 - watch');
  t.equal(show('', 'v1', 'namespaces/watch/pods'), 'pods watch - -', 'a namespace named watch is just a namespace');
  t.equal(show('', 'v1', 'nodes/watch'), 'nodes - watch -', 'a node named watch is just a node');
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
    ['', 'v1', 'watch'],
    ['', 'v1', 'watch/widgets'],
    ['', 'v1', 'watch/watch/pods'],
    ['', 'v1', 'watch/pods/web'],
    ['', 'v1', 'watch/namespaces/default/pods/web/status'],
    ['', 'v1', 'watch/namespaces/default/status'],
    ['', 'v1', 'watch/nodes/n1/status'],
    ['apps', 'v1', 'watch/namespaces/prod/deployments/web/scale'],
  ] as const) {
    const e = t.throws(() => parseResourcePath(g, v, rest)) as unknown as ApiError;
    t.ok(e instanceof ApiError, `${g}/${v}/${rest}`);
    t.equal(e.code, 404);
    t.equal(e.status.message, 'the server could not find the requested resource', 'the generic message, naming no object');
    t.same(e.status.details, {});
  }
});

t.test("boolean query parameters parse as Go's strconv.ParseBool, as kube-apiserver's do", async (t) => {
  for (const v of ['1', 't', 'T', 'TRUE', 'true', 'True']) t.equal(boolParam({ watch: v }, 'watch'), true, `watch=${v}`);
  for (const v of ['0', 'f', 'F', 'FALSE', 'false', 'False', '']) t.equal(boolParam({ watch: v }, 'watch'), false, `watch=${v}`);
  t.equal(boolParam({}, 'watch'), false, 'absent is false');
  t.equal(boolParam({ watch: ['false', 'True'] }, 'watch'), true, 'the last of repeated values counts');
  for (const v of ['yes', 'on', 'tRUE', 'truE', '2', ' true']) {
    const e = t.throws(() => boolParam({ allowWatchBookmarks: v }, 'allowWatchBookmarks')) as unknown as ApiError;
    t.equal(e.code, 400, `allowWatchBookmarks=${JSON.stringify(v)}: 400`);
    t.match(e.status.message, /allowWatchBookmarks/, 'the message names the parameter');
  }
});

t.test('a watch path naming an object selects metadata.name, as kube-apiserver does', async (t) => {
  const configmaps = findResource('', 'v1', 'configmaps')!;
  const cm = (name: string) => ({ metadata: { name, namespace: 'default' } });
  const one = selection(configmaps, {}, 'foo');
  t.equal(one.fields?.toString(), 'metadata.name=foo');
  t.ok(one.predicate!(cm('foo')) && !one.predicate!(cm('bar')), 'foo only');
  const same = selection(configmaps, { fieldSelector: 'metadata.name=foo,metadata.namespace=default' }, 'foo');
  t.equal(same.fields?.toString(), 'metadata.name=foo,metadata.namespace=default', 'a fieldSelector that requires the same name is kept');
  for (const fs of ['metadata.name=bar', 'metadata.namespace=default', 'metadata.name!=foo']) {
    const e = t.throws(() => selection(configmaps, { fieldSelector: fs }, 'foo')) as unknown as ApiError;
    t.equal(e.code, 400, `fieldSelector ${fs}: 400`);
    t.equal(e.status.message, "fieldSelector metadata.name doesn't match requested name");
  }
  t.equal(selection(configmaps, {}).predicate, undefined, 'no name, no selector: everything');
});
