// Expectations: a controller acts on its cache only when everything it asked for has been seen.
import { FakeClock } from '@kubets/client';
import t from 'tap';
import { ControllerExpectations, UIDTrackingExpectations, expectationsTimeoutMs } from '../src/controller/util/expectations.js';

t.test('a controller with no expectations may sync', async (t) => {
  t.ok(new ControllerExpectations(new FakeClock()).satisfiedExpectations('ns/rs'));
});

t.test('creations block the sync until every one is observed', async (t) => {
  const e = new ControllerExpectations(new FakeClock());
  e.expectCreations('ns/rs', 2);
  t.notOk(e.satisfiedExpectations('ns/rs'));
  e.creationObserved('ns/rs');
  t.notOk(e.satisfiedExpectations('ns/rs'));
  e.creationObserved('ns/rs');
  t.ok(e.satisfiedExpectations('ns/rs'));
});

t.test('unfulfilled expectations expire after the timeout, in case an event was lost', async (t) => {
  const clock = new FakeClock();
  const e = new ControllerExpectations(clock);
  e.expectCreations('ns/rs', 1);
  clock.advance(expectationsTimeoutMs);
  t.notOk(e.satisfiedExpectations('ns/rs'));
  clock.advance(1);
  t.ok(e.satisfiedExpectations('ns/rs'));
});

t.test('a deletion counts once per pod, and only for the pods the controller deleted', async (t) => {
  const e = new UIDTrackingExpectations(new FakeClock());
  e.expectDeletions('ns/rs', ['ns/a', 'ns/b']);
  e.deletionObserved('ns/rs', 'ns/a');
  e.deletionObserved('ns/rs', 'ns/a');
  e.deletionObserved('ns/rs', 'ns/other');
  t.same(e.pending('ns/rs'), { add: 0, del: 1 });
  t.notOk(e.satisfiedExpectations('ns/rs'));
  e.deletionObserved('ns/rs', 'ns/b');
  t.ok(e.satisfiedExpectations('ns/rs'));
});

t.test('deleting the expectations of a deleted owner lets a new one with that name sync', async (t) => {
  const e = new UIDTrackingExpectations(new FakeClock());
  e.expectCreations('ns/rs', 3);
  e.deleteExpectations('ns/rs');
  t.ok(e.satisfiedExpectations('ns/rs'));
});
