// Lease acquireTime/renewTime and Event eventTime are metav1.MicroTime: kube-apiserver parses
// them with the layout 2006-01-02T15:04:05.000000Z07:00, stores and returns them in UTC with six
// fractional digits, and answers a value that does not parse with 400 BadRequest in Go's words
// (`... cannot be handled as a Lease: parsing time "yesterday" as "...": cannot parse ...`),
// writing nothing. On create, update and patch alike.

import t from 'tap';
import { startOneApiServer } from './support/one-api-server.js';
import { call } from './support/http.js';

const api = await startOneApiServer({ impl: 'etcd' });
const A = api.url;
const leases = '/apis/coordination.k8s.io/v1/namespaces/default/leases';
const layout = '"2006-01-02T15:04:05.000000Z07:00"';

t.test('a Lease with offset times is stored and returned in UTC with six fractional digits', async (t) => {
  const spec = { holderIdentity: 'a', leaseDurationSeconds: 15, acquireTime: '2024-05-01T10:00:00.000000+02:00', renewTime: '2024-05-01T10:00:05.123456+02:00' };
  const created = await call(A, 'POST', leases, { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'offset' }, spec });
  t.equal(created.status, 201, created.text);
  t.equal(created.body.spec.acquireTime, '2024-05-01T08:00:00.000000Z');
  t.equal(created.body.spec.renewTime, '2024-05-01T08:00:05.123456Z');
  const got = await call(A, 'GET', `${leases}/offset`);
  t.equal(got.body.spec.renewTime, '2024-05-01T08:00:05.123456Z', 'stored in UTC');

  const put = await call(A, 'PUT', `${leases}/offset`, { ...got.body, spec: { ...got.body.spec, renewTime: '2024-05-01T03:00:10.000001-05:00' } });
  t.equal(put.status, 200, put.text);
  t.equal(put.body.spec.renewTime, '2024-05-01T08:00:10.000001Z', 'update normalises too');

  const patched = await call(A, 'PATCH', `${leases}/offset`, { spec: { renewTime: '2024-05-01T08:30:00.000000+00:30' } }, { 'content-type': 'application/merge-patch+json' });
  t.equal(patched.status, 200, patched.text);
  t.equal(patched.body.spec.renewTime, '2024-05-01T08:00:00.000000Z', 'patch normalises too');
});

t.test('a time that does not parse is a 400 in Go\'s words, and nothing is written', async (t) => {
  const bad = await call(A, 'POST', leases, { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'bad' }, spec: { renewTime: 'yesterday' } });
  t.equal(bad.status, 400, bad.text);
  t.match(bad.body, {
    kind: 'Status',
    reason: 'BadRequest',
    code: 400,
    message: `Lease in version "v1" cannot be handled as a Lease: parsing time "yesterday" as ${layout}: cannot parse "yesterday" as "2006"`,
  });
  t.equal((await call(A, 'GET', `${leases}/bad`)).status, 404, 'not created');

  // Upstream's layout wants exactly six fractional digits: whole seconds do not parse.
  const seconds = await call(A, 'PATCH', `${leases}/offset`, { spec: { acquireTime: '2024-05-01T08:00:00Z' } }, { 'content-type': 'application/merge-patch+json' });
  t.equal(seconds.status, 400, seconds.text);
  t.equal(seconds.body.message, `Lease in version "v1" cannot be handled as a Lease: parsing time "2024-05-01T08:00:00Z" as ${layout}: cannot parse "Z" as ".000000"`);
  const after = await call(A, 'GET', `${leases}/offset`);
  t.equal(after.body.spec.acquireTime, '2024-05-01T08:00:00.000000Z', 'unchanged');
});

t.test('an Event\'s eventTime and series.lastObservedTime are MicroTimes too', async (t) => {
  const ev = await call(A, 'POST', '/api/v1/namespaces/default/events', {
    apiVersion: 'v1', kind: 'Event', metadata: { name: 'e1' },
    involvedObject: { kind: 'Pod', namespace: 'default', name: 'p' },
    reason: 'Tested', message: 'm', type: 'Normal',
    reportingComponent: 'test', reportingInstance: 'test-1', action: 'Testing',
    eventTime: '2024-05-01T10:00:00.000001+02:00',
    series: { count: 2, lastObservedTime: '2024-05-01T10:00:01.000000+02:00' },
  });
  t.equal(ev.status, 201, ev.text);
  t.equal(ev.body.eventTime, '2024-05-01T08:00:00.000001Z');
  t.equal(ev.body.series.lastObservedTime, '2024-05-01T08:00:01.000000Z');

  const bad = await call(A, 'POST', '/api/v1/namespaces/default/events', {
    apiVersion: 'v1', kind: 'Event', metadata: { name: 'e2' }, involvedObject: { kind: 'Pod', namespace: 'default', name: 'p' },
    eventTime: '2024-13-01T00:00:00.000000Z',
  });
  t.equal(bad.status, 400, bad.text);
  t.equal(bad.body.message, 'Event in version "v1" cannot be handled as a Event: parsing time "2024-13-01T00:00:00.000000Z": month out of range');
});
