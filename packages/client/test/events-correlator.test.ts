// The parts of the event correlator, each against the rule client-go's events_cache.go states
// for it: the token bucket and LRU under the spam filter, the spam filter's key, the
// aggregator's threshold and window, and the de-duplicating logger's patches.

import t from 'tap';
import type { Event } from '@kubets/api';
import { EventAggregator, EventDeduplicator, EventNanoClock, eventKey, FakeClock, SpamFilter } from '../src/index.js';
import { LruCache } from '../src/events/lru-cache.js';
import { PassiveTokenBucket } from '../src/events/token-bucket.js';

function event(over: Partial<Event> = {}): Event {
  return {
    metadata: { name: 'web.1', namespace: 'shop' },
    involvedObject: { kind: 'Pod', namespace: 'shop', name: 'web', uid: 'u1', apiVersion: 'v1' },
    source: { component: 'kubelet', host: 'node-1' },
    type: 'Warning',
    reason: 'BackOff',
    message: 'Back-off restarting failed container',
    count: 1,
    firstTimestamp: '2025-01-01T00:00:00Z',
    lastTimestamp: '2025-01-01T00:00:00Z',
    ...over,
  };
}

t.test('token bucket: starts full, never goes into debt, refills one per period up to the burst', async (t) => {
  const clock = new FakeClock();
  const bucket = new PassiveTokenBucket(3, 300_000, clock);
  t.same([1, 2, 3, 4].map(() => bucket.tryAccept()), [true, true, true, false]);
  clock.advance(299_999);
  t.notOk(bucket.tryAccept(), 'refused tries cost nothing');
  clock.advance(1);
  t.ok(bucket.tryAccept(), 'exactly one period later');
  clock.advance(24 * 3600_000);
  t.same([1, 2, 3, 4].map(() => bucket.tryAccept()), [true, true, true, false], 'a long rest refills only to the burst');
});

t.test('LRU cache: the least recently used key goes when full; a read counts as a use', async (t) => {
  const lru = new LruCache<string, number>(2);
  lru.add('a', 1);
  lru.add('b', 2);
  lru.get('a');
  lru.add('c', 3);
  t.same([lru.get('a'), lru.get('b'), lru.get('c')], [1, undefined, 3]);
  t.equal(lru.size, 2);
});

t.test('spam filter: one budget per source, object and type, whatever the reason', async (t) => {
  const clock = new FakeClock();
  const filter = new SpamFilter({ cacheSize: 16, burst: 2, refillEveryMs: 300_000, clock });
  t.notOk(filter.filter(event({ reason: 'BackOff' })));
  t.notOk(filter.filter(event({ reason: 'Failed' })));
  t.ok(filter.filter(event({ reason: 'Unhealthy' })), 'the third about the object is over the budget');
  t.notOk(filter.filter(event({ type: 'Normal' })), 'another type has its own budget');
  t.notOk(filter.filter(event({ source: { component: 'kubelet', host: 'node-2' } })), 'another source too');
  t.notOk(filter.filter(event({ involvedObject: { kind: 'Pod', namespace: 'shop', name: 'api', uid: 'u2', apiVersion: 'v1' } })), 'and another object');
});

t.test('event keys keep fields apart: ("ab","c") is not ("a","bc")', async (t) => {
  const a = event({ source: { component: 'ab', host: 'c' } });
  const b = event({ source: { component: 'a', host: 'bc' } });
  t.not(eventKey(a), eventKey(b));
  t.equal(eventKey(a), eventKey(event({ source: { component: 'ab', host: 'c' }, lastTimestamp: 'later', count: 5 })), 'times and count are not part of it');
});

function aggregator(clock: FakeClock) {
  return new EventAggregator({ cacheSize: 16, maxEvents: 3, maxIntervalMs: 600_000, nanoClock: new EventNanoClock(clock) });
}

t.test('aggregator: the maxEvents-th distinct message in the group becomes the aggregate, keyed by the group', async (t) => {
  const clock = new FakeClock();
  const agg = aggregator(clock);
  const first = agg.aggregate(event({ message: 'm1' }));
  t.equal(first.key, eventKey(event({ message: 'm1' })), 'below the threshold: the event itself, under its own key');
  agg.aggregate(event({ message: 'm1' }));
  t.equal(agg.aggregate(event({ message: 'm2' })).event.message, 'm2', 'a repeated message is not a new one');
  const third = agg.aggregate(event({ message: 'm3' }));
  t.equal(third.event.message, '(combined from similar events): m3');
  const fourth = agg.aggregate(event({ message: 'm4' }));
  t.equal(fourth.key, third.key, 'every further one counts the same aggregate');
  t.not(third.key, eventKey(third.event));
});

t.test('aggregator: a group quiet for more than the interval starts afresh; exactly the interval does not', async (t) => {
  const clock = new FakeClock();
  const agg = aggregator(clock);
  agg.aggregate(event({ message: 'm1' }));
  clock.advance(600_000);
  agg.aggregate(event({ message: 'm2' }));
  clock.advance(600_000);
  t.match(agg.aggregate(event({ message: 'm3' })).event.message, /^\(combined/, 'each gap was exactly the interval');
  clock.advance(600_001);
  t.equal(agg.aggregate(event({ message: 'm4' })).event.message, 'm4');
});

t.test('de-duplicator: a repeat takes the name, resourceVersion and firstTimestamp of what was written, count + 1', async (t) => {
  const dedup = new EventDeduplicator(16);
  const ev = event();
  const key = eventKey(ev);
  t.same(dedup.observe(ev, key), { event: ev });
  dedup.updateState({ ...ev, metadata: { name: 'web.1', namespace: 'shop', resourceVersion: '42' } });
  const repeat = dedup.observe(event({ metadata: { name: 'web.2', namespace: 'shop' }, lastTimestamp: '2025-01-01T00:01:00Z', firstTimestamp: '2025-01-01T00:01:00Z' }), key);
  t.same(repeat.event.metadata, { name: 'web.1', namespace: 'shop', resourceVersion: '42' });
  t.equal(repeat.event.firstTimestamp, '2025-01-01T00:00:00Z');
  t.same(repeat.patch, { count: 2, lastTimestamp: '2025-01-01T00:01:00Z', message: 'Back-off restarting failed container' });
  t.same(dedup.observe(event({ message: '' }), 'other').patch, undefined);
  t.same(dedup.observe(event({ message: '' }), 'other').patch, { count: 2, lastTimestamp: '2025-01-01T00:00:00Z' }, 'an empty message is left out of the patch');
});
