// The trackers that keep the endpoint controllers from acting on their own stale cache, and the
// trigger time they annotate.
import type { EndpointSlice } from '@kubets/api';
import t from 'tap';
import { EndpointSliceTracker } from '../src/controllers/endpointslice/util/endpointslice-tracker.js';
import { TriggerTimeTracker } from '../src/controllers/endpointslice/util/trigger-time-tracker.js';
import { pod, service } from './endpoints-fixtures.js';

const slice = (uid: string, rv: string): EndpointSlice => ({ metadata: { name: uid, namespace: 'default', uid, resourceVersion: rv, labels: { 'kubernetes.io/service-name': 'web' } } });
const svc = service('web');

t.test('the slice tracker tells the controller\'s own writes from a stale cache', async (t) => {
  const tr = new EndpointSliceTracker();
  t.equal(tr.staleSlices(svc, [slice('a', '5')]), false, 'nothing written: nothing stale');
  tr.update(slice('a', '7'));
  t.equal(tr.shouldSync(slice('a', '7')), false, 'the version it wrote needs no sync');
  t.equal(tr.shouldSync(slice('a', '9')), true, 'a later write by someone else does');
  t.equal(tr.staleSlices(svc, [slice('a', '5')]), true, 'cache older than the write');
  t.equal(tr.staleSlices(svc, []), true, 'a written slice missing from the cache');
  t.equal(tr.staleSlices(svc, [slice('a', '7')]), false, 'cache caught up');
  tr.expectDeletion(slice('a', '7'));
  t.equal(tr.staleSlices(svc, [slice('a', '7')]), true, 'a slice it deleted still cached');
  t.equal(tr.staleSlices(svc, []), false, 'deletion seen');
  t.equal(tr.handleDeletion(slice('a', '7')), true, 'an expected deletion');
  tr.update(slice('b', '3'));
  t.equal(tr.handleDeletion(slice('b', '3')), false, 'a deletion by someone else is not expected');
  tr.update(slice('c', '3'));
  t.equal(tr.staleSlices({ ...svc, metadata: { ...svc.metadata, uid: 'other' } }, []), false, 'a re-created Service starts afresh');
  tr.update({ ...slice('d', '100'), metadata: { ...slice('d', '100').metadata, generation: 2 } });
  t.equal(tr.shouldSync({ ...slice('d', '200'), metadata: { ...slice('d', '200').metadata, generation: 2 } }), false, 'generation, where the server sets one, wins over resourceVersion');
});

t.test('the trigger time: the Service\'s creation first, then the earliest change since the last sync', async (t) => {
  const tr = new TriggerTimeTracker();
  const a = pod('a', { ip: '10.0.0.1', readySince: '2024-03-01T00:00:05Z' });
  t.equal(tr.compute(svc, [a]), '2024-01-01T00:00:00Z', 'first sync: the Service creation');
  t.equal(tr.compute(svc, [a]), undefined, 'nothing changed: none');
  const b = pod('b', { ip: '10.0.0.2', readySince: '2024-03-01T00:00:09.5Z' });
  const a2 = pod('a', { ip: '10.0.0.1', readySince: '2024-03-01T00:00:07Z' });
  t.equal(tr.compute(svc, [a2, b]), '2024-03-01T00:00:07Z', 'the earliest Ready transition since');
  tr.deleteService('default', 'web');
  t.equal(tr.compute(svc, [a2, b]), '2024-01-01T00:00:00Z', 'forgotten with the Service');
  const tr2 = new TriggerTimeTracker();
  tr2.compute(svc, []);
  t.equal(tr2.compute(svc, [b]), '2024-03-01T00:00:09.5Z', 'fractions kept as RFC 3339 with nanoseconds writes them');
});
