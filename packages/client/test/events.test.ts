// The EventRecorder as client-go's tools/record behaves, against a fake events store: the Event
// it makes, repeats counted up by patches, aggregation of similar events, the spam filter, the
// fallback from a lost Event to a create, retries when the API server does not answer, the
// bounded queue, and shutdown. Time is a FakeClock; nothing sleeps.

import t from 'tap';
import type { Event } from '@kubets/api';
import { alreadyExists, ApiError, notFound } from '@kubets/api';
import { EventRecorder, type EventClient, type EventRecorderLogger, FakeClock, flushAsync, TransportError } from '../src/index.js';

// A fake events store: records each create and patch (with the FakeClock's time), answers as
// kube-apiserver would (AlreadyExists, NotFound, a new resourceVersion per write), and lets a
// test fail, or hold, the next calls.

interface EventCall {
  verb: 'create' | 'patch';
  namespace: string;
  name: string;
  body: Record<string, unknown>;
  at: number;
}

const events = { group: '', resource: 'events' };

class FakeEventClient implements EventClient {
  readonly calls: EventCall[] = [];
  readonly stored = new Map<string, Event>();
  /** Failures for the next calls, in order (undefined: answer normally). */
  readonly failNext: (Error | undefined)[] = [];
  /** While set, calls wait for release() (or their signal) before answering. */
  private held: (() => void)[] | undefined;
  private rv = 0;

  constructor(private readonly clock: FakeClock) {}

  hold(): void {
    this.held = [];
  }

  release(): void {
    const waiting = this.held ?? [];
    this.held = undefined;
    for (const go of waiting) go();
  }

  async create(_r: 'events', namespace: string, ev: Event, opts: { signal?: AbortSignal }): Promise<Event> {
    const name = ev.metadata?.name ?? '';
    await this.answer('create', namespace, name, ev, opts.signal);
    const key = `${namespace}/${name}`;
    if (this.stored.has(key)) throw alreadyExists(events, name);
    return this.store(key, structuredClone(ev));
  }

  async patch(_r: 'events', namespace: string, name: string, patch: object, opts: { signal?: AbortSignal }): Promise<Event> {
    await this.answer('patch', namespace, name, patch, opts.signal);
    const key = `${namespace}/${name}`;
    const current = this.stored.get(key);
    if (current === undefined) throw notFound(events, name);
    return this.store(key, { ...current, ...structuredClone(patch) });
  }

  creates(): EventCall[] {
    return this.calls.filter((c) => c.verb === 'create');
  }

  patches(): EventCall[] {
    return this.calls.filter((c) => c.verb === 'patch');
  }

  private store(key: string, ev: Event): Event {
    ev.metadata = { ...ev.metadata, resourceVersion: String(++this.rv) };
    this.stored.set(key, ev);
    return structuredClone(ev);
  }

  private async answer(verb: EventCall['verb'], namespace: string, name: string, body: object, signal?: AbortSignal): Promise<void> {
    this.calls.push({ verb, namespace, name, body: structuredClone(body) as Record<string, unknown>, at: this.clock.now() });
    if (this.held !== undefined) await this.waitForRelease(this.held, signal);
    const failure = this.failNext.shift();
    if (failure !== undefined) throw failure;
  }

  private waitForRelease(held: (() => void)[], signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      held.push(resolve);
      signal?.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
    });
  }
}

class LogRecorder implements EventRecorderLogger {
  readonly lines: { level: 'error' | 'debug'; msg: string; obj: object }[] = [];

  error(obj: object, msg: string): void {
    this.lines.push({ level: 'error', msg, obj });
  }

  debug(obj: object, msg: string): void {
    this.lines.push({ level: 'debug', msg, obj });
  }

  messages(level: 'error' | 'debug' = 'error'): string[] {
    return this.lines.filter((l) => l.level === level).map((l) => l.msg);
  }
}

const start = Date.UTC(2025, 0, 1, 12, 0, 0);
const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'shop', uid: 'uid-web', resourceVersion: '7' } };

function world(opts: { host?: string; maxQueuedEvents?: number; shutdownTimeoutMs?: number } = {}) {
  const clock = new FakeClock(start);
  const client = new FakeEventClient(clock);
  const log = new LogRecorder();
  const recorder = new EventRecorder({ client, component: 'default-scheduler', clock, logger: log, random: () => 0.5, ...opts });
  return { clock, client, log, recorder };
}

const nanosHex = (ms: number) => (BigInt(ms) * 1_000_000n).toString(16);

t.test('an Event is named <object>.<time in ns as hex> and carries the reference, source and times', async (t) => {
  const { clock, client, recorder } = world({ host: 'node-1' });
  clock.advance(1234);
  recorder.event(pod, 'Normal', 'Scheduled', 'Successfully assigned shop/web to node-1');
  t.equal(client.calls.length, 0, 'event() returns before anything is written');
  await recorder.whenIdle();
  const [create] = client.creates();
  const name = `web.${nanosHex(start + 1234)}`;
  t.match(name, /^web\.[0-9a-f]{16}$/);
  t.same(create?.body, {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name, namespace: 'shop' },
    involvedObject: { kind: 'Pod', namespace: 'shop', name: 'web', uid: 'uid-web', apiVersion: 'v1', resourceVersion: '7' },
    reason: 'Scheduled',
    message: 'Successfully assigned shop/web to node-1',
    source: { component: 'default-scheduler', host: 'node-1' },
    firstTimestamp: '2025-01-01T12:00:01Z',
    lastTimestamp: '2025-01-01T12:00:01Z',
    count: 1,
    type: 'Normal',
    reportingComponent: 'default-scheduler',
    reportingInstance: 'node-1',
  });
  t.equal(create?.namespace, 'shop');
});

t.test('an Event about a cluster-scoped object lives in default; without a host there is no reportingInstance', async (t) => {
  const { client, recorder } = world();
  recorder.event({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1', uid: 'uid-n1' } }, 'Warning', 'NodeNotReady', 'Node node-1 status is now: NodeNotReady');
  await recorder.whenIdle();
  const body = client.creates()[0]?.body as Event;
  t.equal(body.metadata?.namespace, 'default');
  t.same(body.involvedObject, { kind: 'Node', name: 'node-1', uid: 'uid-n1', apiVersion: 'v1' });
  t.same(body.source, { component: 'default-scheduler' });
  t.notOk('reportingInstance' in body);
});

t.test('a reference may be passed instead of the object (a container by fieldPath)', async (t) => {
  const { client, recorder } = world();
  const ref = { kind: 'Pod', namespace: 'shop', name: 'web', uid: 'uid-web', apiVersion: 'v1', fieldPath: 'spec.containers{app}' };
  recorder.event(ref, 'Normal', 'Pulled', 'Container image "node:20" already present on machine');
  await recorder.whenIdle();
  t.same((client.creates()[0]?.body as Event).involvedObject, ref);
});

t.test('two events about one object in the same millisecond get distinct names', async (t) => {
  const { client, recorder } = world();
  recorder.event(pod, 'Normal', 'Scheduled', 'one');
  recorder.event(pod, 'Normal', 'Pulling', 'two');
  await recorder.whenIdle();
  const names = client.creates().map((c) => c.name);
  t.same(names, [`web.${nanosHex(start)}`, `web.${(BigInt(start) * 1_000_000n + 1n).toString(16)}`]);
});

t.test('a name that would not be a DNS subdomain becomes a UUID', async (t) => {
  const { client, recorder } = world();
  recorder.event({ kind: 'Pod', metadata: { name: 'x'.repeat(250), namespace: 'shop' } }, 'Normal', 'Scheduled', 'long');
  await recorder.whenIdle();
  t.match(client.creates()[0]?.name, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
});

t.test('a message over 1024 bytes is cut to 1024, ending " ...", never inside a character', async (t) => {
  const { client, recorder } = world();
  recorder.event(pod, 'Warning', 'FailedScheduling', 'a'.repeat(2000));
  recorder.event(pod, 'Warning', 'FailedMount', 'a' + 'é'.repeat(1000)); // byte 1020 is inside an é
  recorder.event(pod, 'Warning', 'BackOff', 'b'.repeat(1024));
  await recorder.whenIdle();
  const [cut, wide, exact] = client.creates().map((c) => (c.body as Event).message ?? '');
  t.equal(cut, 'a'.repeat(1020) + ' ...');
  t.equal(Buffer.byteLength(wide!), 1024 - 1, 'backs off the half character');
  t.ok(wide!.endsWith('é ...'));
  t.equal(exact, 'b'.repeat(1024), 'exactly 1024 bytes is kept');
});

t.test('an object without a name, or a type other than Normal or Warning, is logged and not recorded', async (t) => {
  const { client, log, recorder } = world();
  recorder.event({ kind: 'Pod', metadata: { namespace: 'shop' } }, 'Normal', 'Scheduled', 'x');
  recorder.event(pod, 'Info' as 'Normal', 'Scheduled', 'x');
  await recorder.whenIdle();
  t.equal(client.calls.length, 0);
  t.same(log.messages(), ['Could not construct reference, will not report event', 'Unsupported event type']);
});

t.test('an identical event again becomes a patch of count and lastTimestamp on the Event already written', async (t) => {
  const { clock, client, recorder } = world();
  recorder.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container');
  await recorder.whenIdle();
  for (const step of [10_000, 20_000]) {
    clock.advance(step);
    recorder.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container');
    await recorder.whenIdle();
  }
  const name = `web.${nanosHex(start)}`;
  t.equal(client.creates().length, 1);
  t.same(client.patches().map((p) => [p.namespace, p.name, p.body]), [
    ['shop', name, { count: 2, lastTimestamp: '2025-01-01T12:00:10Z', message: 'Back-off restarting failed container' }],
    ['shop', name, { count: 3, lastTimestamp: '2025-01-01T12:00:30Z', message: 'Back-off restarting failed container' }],
  ]);
  const stored = client.stored.get(`shop/${name}`);
  t.equal(stored?.count, 3);
  t.equal(stored?.firstTimestamp, '2025-01-01T12:00:00Z');
  t.equal(stored?.lastTimestamp, '2025-01-01T12:00:30Z');
});

t.test('events that differ in reason, type or object are not counted together', async (t) => {
  const { client, recorder } = world();
  recorder.event(pod, 'Warning', 'BackOff', 'm');
  recorder.event(pod, 'Warning', 'Failed', 'm');
  recorder.event(pod, 'Normal', 'BackOff', 'm');
  recorder.event({ ...pod, metadata: { ...pod.metadata, name: 'api', uid: 'uid-api' } }, 'Warning', 'BackOff', 'm');
  await recorder.whenIdle();
  t.equal(client.creates().length, 4);
  t.equal(client.patches().length, 0);
});

t.test('after 10 similar events (only the message differs) within 10 minutes, one aggregate event stands for the rest', async (t) => {
  const { clock, client, recorder } = world();
  for (let i = 1; i <= 9; i++) recorder.event(pod, 'Warning', 'FailedScheduling', `0/${i} nodes are available`);
  await recorder.whenIdle();
  t.equal(client.creates().length, 9, 'the first nine are written as they are');

  clock.advance(60_000);
  recorder.event(pod, 'Warning', 'FailedScheduling', '0/10 nodes are available');
  await recorder.whenIdle();
  const aggregate = client.creates()[9]!;
  t.same(aggregate.body, {
    apiVersion: 'v1',
    kind: 'Event',
    // The tenth event took this millisecond's first nanosecond; the aggregate takes the next.
    metadata: { name: `web.${(BigInt(start + 60_000) * 1_000_000n + 1n).toString(16)}`, namespace: 'shop' },
    involvedObject: (client.creates()[0]!.body as Event).involvedObject,
    count: 1,
    firstTimestamp: '2025-01-01T12:01:00Z',
    lastTimestamp: '2025-01-01T12:01:00Z',
    message: '(combined from similar events): 0/10 nodes are available',
    type: 'Warning',
    reason: 'FailedScheduling',
    source: { component: 'default-scheduler' },
  }, 'the tenth is the aggregate (with upstream fields: no reportingComponent)');

  clock.advance(60_000);
  recorder.event(pod, 'Warning', 'FailedScheduling', '0/11 nodes are available');
  await recorder.whenIdle();
  t.same(client.patches().map((p) => [p.name, p.body]), [
    [aggregate.name, { count: 2, lastTimestamp: '2025-01-01T12:02:00Z', message: '(combined from similar events): 0/11 nodes are available' }],
  ], 'the eleventh counts the aggregate up');

  clock.advance(10 * 60_000 + 1);
  recorder.event(pod, 'Warning', 'FailedScheduling', '0/12 nodes are available');
  await recorder.whenIdle();
  t.equal((client.creates()[10]?.body as Event).message, '0/12 nodes are available', 'after a quiet 10 minutes the group starts afresh');
});

t.test('the spam filter lets a source write 25 events about an object, then one per 5 minutes', async (t) => {
  const { clock, client, recorder } = world();
  for (let i = 0; i < 30; i++) recorder.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container');
  await recorder.whenIdle();
  t.equal(client.calls.length, 25, 'a burst of 25 (1 create, 24 patches), the rest dropped');

  clock.advance(5 * 60_000 - 1);
  recorder.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container');
  await recorder.whenIdle();
  t.equal(client.calls.length, 25, 'not yet refilled');

  clock.advance(1);
  recorder.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container');
  recorder.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container');
  await recorder.whenIdle();
  t.equal(client.calls.length, 26, 'one token after 5 minutes');
  t.equal(client.patches().at(-1)?.body.count, 32, 'dropped repeats still count, as upstream (the logger counts before the filter)');

  recorder.event(pod, 'Warning', 'Failed', 'another reason, same budget');
  recorder.event({ ...pod, metadata: { ...pod.metadata, name: 'api', uid: 'uid-api' } }, 'Warning', 'BackOff', 'another object');
  await recorder.whenIdle();
  t.same(client.creates().map((c) => (c.body as Event).message), ['Back-off restarting failed container', 'another object']);
});

t.test('a patch of an Event that is gone falls back to a create, without a resourceVersion', async (t) => {
  const { clock, client, recorder } = world();
  recorder.event(pod, 'Warning', 'BackOff', 'back-off');
  await recorder.whenIdle();
  const name = client.creates()[0]!.name;
  client.stored.clear(); // the Event expired on the server
  clock.advance(1000);
  recorder.event(pod, 'Warning', 'BackOff', 'back-off');
  await recorder.whenIdle();
  t.same(client.calls.map((c) => [c.verb, c.name]), [['create', name], ['patch', name], ['create', name]]);
  const recreated = client.calls[2]!.body as Event;
  t.notOk(recreated.metadata?.resourceVersion);
  t.equal(recreated.count, 2, 'the count is kept, as upstream');
  t.equal(recreated.firstTimestamp, '2025-01-01T12:00:00Z');

  clock.advance(1000);
  recorder.event(pod, 'Warning', 'BackOff', 'back-off');
  await recorder.whenIdle();
  t.same(client.calls[3]?.body, { count: 3, lastTimestamp: '2025-01-01T12:00:02Z', message: 'back-off' }, 'and the next repeat patches the new one');
});

t.test('a write that gets no answer is retried: first after a jittered wait, then every interval', async (t) => {
  const { clock, client, log, recorder } = world();
  client.failNext.push(new TransportError('no API server answered', []), new TransportError('no API server answered', []));
  recorder.event(pod, 'Normal', 'Scheduled', 'assigned');
  await clock.whenPending(1);
  await clock.advanceAsync(5000); // random 0.5 of 10 s
  await clock.whenPending(1);
  await clock.advanceAsync(10_000);
  await recorder.whenIdle();
  t.same(client.calls.map((c) => c.at - start), [0, 5000, 15_000]);
  t.equal(client.stored.size, 1);
  t.same(log.messages(), ['Unable to write event (may retry after sleeping)', 'Unable to write event (may retry after sleeping)']);
});

t.test('a write is tried 12 times at most', async (t) => {
  const { clock, client, log, recorder } = world();
  for (let i = 0; i < 20; i++) client.failNext.push(new Error('socket hang up'));
  recorder.event(pod, 'Normal', 'Scheduled', 'assigned');
  for (let i = 0; i < 11; i++) {
    await clock.whenPending(1);
    await clock.advanceAsync(10_000);
  }
  await recorder.whenIdle();
  t.equal(client.calls.length, 12);
  t.equal(log.messages().at(-1), 'Unable to write event (retry limit exceeded!)');
});

t.test('a write the server refuses is not retried; AlreadyExists is only a debug line', async (t) => {
  const { client, log, recorder } = world();
  client.failNext.push(alreadyExists({ group: '', resource: 'events' }, 'web.1'), new ApiError(422, 'Invalid', 'Event is invalid'));
  recorder.event(pod, 'Normal', 'Scheduled', 'one');
  recorder.event(pod, 'Normal', 'Pulled', 'two');
  await recorder.whenIdle();
  t.equal(client.calls.length, 2);
  t.same(log.messages('debug'), ['Server rejected event (will not retry!)']);
  t.same(log.messages('error'), ['Server rejected event (will not retry!)']);
});

t.test('a patch refused for another reason than NotFound is not turned into a create', async (t) => {
  const { client, recorder } = world();
  recorder.event(pod, 'Warning', 'BackOff', 'b');
  await recorder.whenIdle();
  client.failNext.push(new ApiError(403, 'Forbidden', 'forbidden'));
  recorder.event(pod, 'Warning', 'BackOff', 'b');
  await recorder.whenIdle();
  t.same(client.calls.map((c) => c.verb), ['create', 'patch']);
});

t.test('the queue holds 1000 events; beyond that they are dropped with a log line, and the caller is never blocked', async (t) => {
  const { client, log, recorder } = world();
  client.hold();
  const ofPod = (i: number) => ({ kind: 'Pod', metadata: { name: `p${i}`, namespace: 'shop', uid: `u${i}` } });
  recorder.event(ofPod(0), 'Normal', 'Scheduled', 'in flight');
  await flushAsync(); // the writer takes it off the queue
  t.equal(client.calls.length, 1);
  for (let i = 1; i <= 1002; i++) recorder.event(ofPod(i), 'Normal', 'Scheduled', 'queued');
  t.same(log.messages(), ['Unable to record event: too many queued events, dropped event', 'Unable to record event: too many queued events, dropped event']);
  client.release();
  await recorder.whenIdle();
  t.equal(client.creates().length, 1001);
  t.same(client.creates().at(-1)?.name.split('.')[0], 'p1000');
});

t.test('shutdown writes what is queued, then drops later events', async (t) => {
  const { client, log, recorder } = world();
  recorder.event(pod, 'Normal', 'Scheduled', 'one');
  recorder.event(pod, 'Normal', 'Pulling', 'two');
  recorder.event(pod, 'Normal', 'Pulled', 'three');
  await recorder.shutdown();
  t.equal(client.creates().length, 3);
  recorder.event(pod, 'Normal', 'Started', 'four');
  await recorder.whenIdle();
  t.equal(client.calls.length, 3);
  t.same(log.messages(), ['Unable to record event (will not retry!): the recorder is shut down']);
});

t.test('shutdown ends a retry wait at once and gives every queued event one try', async (t) => {
  const { clock, client, log, recorder } = world();
  client.failNext.push(new TransportError('down', []), new TransportError('down', []));
  recorder.event(pod, 'Normal', 'Scheduled', 'one');
  recorder.event(pod, 'Normal', 'Pulling', 'two');
  recorder.event(pod, 'Normal', 'Pulled', 'three');
  await clock.whenPending(1);
  await recorder.shutdown();
  t.same(client.calls.map((c) => (c.body as Event).message), ['one', 'two', 'three']);
  t.equal(client.stored.size, 1, 'two failed once each and were given up; three was written');
  t.same(log.messages().filter((m) => m.includes('shut down')), ['Unable to write event (recorder is shut down)', 'Unable to write event (recorder is shut down)']);
  t.equal(clock.now(), start, 'no time passed');
});

t.test('at the shutdown deadline the write in flight is abandoned and the rest dropped', async (t) => {
  const { clock, client, log, recorder } = world({ shutdownTimeoutMs: 3000 });
  client.hold();
  recorder.event(pod, 'Normal', 'Scheduled', 'one');
  recorder.event(pod, 'Normal', 'Pulling', 'two');
  await flushAsync();
  let done = false;
  const stopped = recorder.shutdown().then(() => (done = true));
  await clock.advanceAsync(2999);
  t.notOk(done, 'waits for the write in flight until the deadline');
  await clock.advanceAsync(1);
  await stopped;
  t.equal(client.calls.length, 1);
  t.ok(log.messages().includes('Unable to write events (recorder shut down before they were written)'));
  t.equal(clock.pending(), 0, 'no timer left behind');
});
