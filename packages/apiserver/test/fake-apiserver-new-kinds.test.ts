// @kubets/testing's in-memory fake API server serves every kind of the @kubets/api registry:
// the new kinds (Job, ServiceAccount, EndpointSlice) need nothing more there.
import t from 'tap';
import { FakeApiServer } from '@kubets/testing';
import { call } from './support/http.js';

const fake = await FakeApiServer.start();
t.teardown(() => fake.close());

t.test('jobs: create, list with a field selector, status subresource', async (t) => {
  const base = '/apis/batch/v1/namespaces/default/jobs';
  const created = await call(fake.url, 'POST', base, { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'pi', namespace: 'default' }, spec: { template: { spec: { containers: [] } } } });
  t.equal(created.status, 201, created.text);
  const status = await call(fake.url, 'PUT', `${base}/pi/status`, { ...created.body, status: { succeeded: 1 } });
  t.equal(status.status, 200, status.text);
  const listed = await call(fake.url, 'GET', `${base}?fieldSelector=status.successful=1`);
  t.same(listed.body.items.map((j: any) => j.metadata.name), ['pi']);
});

t.test('serviceaccounts and endpointslices: create and get', async (t) => {
  const sa = await call(fake.url, 'POST', '/api/v1/namespaces/default/serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'builder', namespace: 'default' } });
  t.equal(sa.status, 201, sa.text);
  const slices = '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices';
  const slice = await call(fake.url, 'POST', slices, { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'web-1', namespace: 'default' }, addressType: 'IPv4', endpoints: [] });
  t.equal(slice.status, 201, slice.text);
  t.equal((await call(fake.url, 'GET', `${slices}/web-1`)).body.addressType, 'IPv4');
});
