// A create whose etcd answer was lost is sent again by the etcd client (a timeout, a leader
// change); if etcd had committed it, the name is taken by that very object. The store answers
// with the object created, not 409 AlreadyExists (which would also undo a Service's claims).
// On one real etcd member, the second send made directly.

import t from 'tap';
import { isApiError, resolveResource } from '@kubets/api';
import { createEtcdBackend } from '../src/etcd3/backend.js';
import { startEtcdCluster } from './support/etcd-cluster.js';

const etcd = await startEtcdCluster({ impl: 'etcd', members: 1 });
const backend = createEtcdBackend({ endpoints: etcd.endpoints });
t.teardown(async () => {
  await backend.close();
  await etcd.stop();
});
const configMaps = backend.store(resolveResource('configmaps')!);
const configMap = (uid: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace: 'default', name: 'sent-twice', uid }, data: { a: '1' } });

t.test('the same create again (same uid) answers the object created, at its creation revision', async (t) => {
  const first = await configMaps.create('default', 'sent-twice', configMap('u-1'));
  const again = await configMaps.create('default', 'sent-twice', configMap('u-1'));
  t.equal(again.metadata?.resourceVersion, first.metadata?.resourceVersion);
  t.equal(again.metadata?.uid, 'u-1');
});

t.test('another object (another uid) by that name is 409 AlreadyExists', async (t) => {
  const err = await configMaps.create('default', 'sent-twice', configMap('u-2')).catch((e: unknown) => e);
  t.ok(isApiError(err) && err.code === 409, String(err));
});
