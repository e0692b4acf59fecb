// The recorder against a real API server (one etcd member): the Events it makes pass the
// server's validation, a repeat's merge patch counts the stored Event up, and kubectl's query
// for an object's events (a field selector on involvedObject) finds them.

import t from 'tap';
import type { Event, Pod } from '@kubets/api';
import { startTestCluster } from '@kubets/testing';
import { EventRecorder, FakeClock } from '../src/index.js';

t.test('events reach the API server: created, counted up by patches, found by involvedObject', async (t) => {
  const cluster = await startTestCluster({ members: 1 });
  t.teardown(() => cluster.stop());
  const { client } = cluster;
  const pod = await client.create<Pod>('pods', 'default', { metadata: { name: 'web' }, spec: { containers: [{ name: 'app', image: 'node:20' }] } });
  const node = await client.create('nodes', undefined, { metadata: { name: 'node-1' } });

  const clock = new FakeClock(Date.UTC(2025, 0, 1, 12, 0, 0));
  const errors: string[] = [];
  const recorder = new EventRecorder({ client, component: 'default-scheduler', clock, logger: { error: (_o, m) => errors.push(m), debug: () => {} } });
  recorder.event(pod, 'Warning', 'FailedScheduling', `0/1 nodes are available: ${'x'.repeat(2000)}`);
  clock.advance(5000);
  recorder.event(pod, 'Warning', 'FailedScheduling', `0/1 nodes are available: ${'x'.repeat(2000)}`);
  clock.advance(5000);
  recorder.event(pod, 'Normal', 'Scheduled', 'Successfully assigned default/web to node-1');
  recorder.event(node, 'Normal', 'RegisteredNode', 'Node node-1 event: Registered Node node-1 in Controller');
  await recorder.shutdown();
  t.same(errors, []);

  const list = await client.list<Event>('events', 'default', { fieldSelector: 'involvedObject.name=web' });
  const byReason = new Map(list.items.map((e) => [e.reason, e]));
  t.equal(list.items.length, 2);
  const failed = byReason.get('FailedScheduling');
  t.equal(failed?.count, 2, 'the repeat was a patch of the first');
  t.equal(failed?.firstTimestamp, '2025-01-01T12:00:00Z');
  t.equal(failed?.lastTimestamp, '2025-01-01T12:00:05Z');
  t.equal(Buffer.byteLength(failed?.message ?? ''), 1024);
  t.equal(failed?.involvedObject.uid, pod.metadata?.uid);
  t.equal(byReason.get('Scheduled')?.count, 1);

  const nodeEvents = await client.list<Event>('events', 'default', { fieldSelector: 'involvedObject.kind=Node' });
  t.same(nodeEvents.items.map((e) => [e.metadata?.namespace, e.involvedObject.name, e.source?.component]), [['default', 'node-1', 'default-scheduler']]);
});
