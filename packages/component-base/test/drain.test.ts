import t from 'tap';
import { EventEmitter } from 'node:events';
import { FakeClock, flushAsync } from '@kubets/client';
import { Drain } from '../src/index.js';

function world(deadlineMs = 10_000) {
  const proc = new EventEmitter();
  const clock = new FakeClock();
  const exits: number[] = [];
  const logs: { level: string; obj: unknown; msg: string }[] = [];
  const log = (level: string) => (obj: object, msg: string) => void logs.push({ level, obj, msg });
  const logger = { info: log('info'), warn: log('warn'), error: log('error') };
  const drain = new Drain({ logger, deadlineMs, process: proc as never, exit: (c) => void exits.push(c), clock }).listen();
  return { proc, clock, exits, logs, drain };
}

const never = () => new Promise<void>(() => {});

t.test('nothing happens before a signal', async (t) => {
  const { exits, drain } = world();
  let ran = false;
  drain.add('a', () => void (ran = true));
  await flushAsync();
  t.notOk(ran);
  t.same(exits, []);
});

t.test('on SIGTERM the steps run one after another, in the order registered, then exit 0', async (t) => {
  const { proc, exits, drain } = world();
  const events: string[] = [];
  let release!: () => void;
  drain
    .add('stop listening', async () => {
      events.push('listen:start');
      await new Promise<void>((r) => (release = r));
      events.push('listen:end');
    })
    .add('close storage', () => void events.push('storage'));
  proc.emit('SIGTERM');
  await flushAsync();
  t.same(events, ['listen:start'], 'the second step waits for the first');
  release();
  await flushAsync();
  t.same(events, ['listen:start', 'listen:end', 'storage']);
  t.same(exits, [0]);
});

t.test('SIGINT drains as SIGTERM does', async (t) => {
  const { proc, exits, drain } = world();
  let ran = false;
  drain.add('a', () => void (ran = true));
  proc.emit('SIGINT');
  await flushAsync();
  t.ok(ran);
  t.same(exits, [0]);
});

t.test('a step that fails is logged, the later steps still run, and the exit is 1', async (t) => {
  const { proc, exits, logs, drain } = world();
  let later = false;
  drain
    .add('listeners', () => {
      throw new Error('boom');
    })
    .add('storage', () => void (later = true));
  proc.emit('SIGTERM');
  await flushAsync();
  t.ok(later);
  t.same(exits, [1]);
  t.match(logs, [{ msg: 'shutting down' }, { level: 'error', obj: { step: 'listeners' } }]);
});

t.test('past the deadline the process exits 1 and the log names the step that hung', async (t) => {
  const { proc, clock, exits, logs, drain } = world(5000);
  let third = false;
  drain.add('listeners', () => {}).add('raft', never).add('wal', () => void (third = true));
  proc.emit('SIGTERM');
  await flushAsync();
  clock.advance(4999);
  t.same(exits, [], 'not before the deadline');
  clock.advance(1);
  t.same(exits, [1]);
  t.notOk(third, 'steps after the hung one do not run');
  t.match(logs.at(-1), { level: 'error', obj: { step: 'raft' }, msg: /step "raft" hung/ });
});

t.test('a second signal exits 1 at once, while the first drain is still running', async (t) => {
  const { proc, exits, drain } = world();
  drain.add('slow', never);
  proc.emit('SIGTERM');
  await flushAsync();
  t.same(exits, []);
  proc.emit('SIGINT');
  t.same(exits, [1]);
});

t.test('exit is called once, even if the deadline passes after a second signal', async (t) => {
  const { proc, clock, exits, drain } = world(1000);
  drain.add('slow', never);
  proc.emit('SIGTERM');
  proc.emit('SIGTERM');
  clock.advance(2000);
  await flushAsync();
  t.same(exits, [1]);
});

t.test('the deadline timer is cancelled once the drain finished', async (t) => {
  const { proc, clock, exits, drain } = world(1000);
  drain.add('a', () => {});
  proc.emit('SIGTERM');
  await flushAsync();
  t.equal(clock.pending(), 0);
  t.same(exits, [0]);
});

t.test('shutdown() drains without a signal, once', async (t) => {
  const { exits, drain } = world();
  let runs = 0;
  drain.add('a', () => void runs++);
  await Promise.all([drain.shutdown('lost the lease'), drain.shutdown('again')]);
  t.equal(runs, 1);
  t.same(exits, [0]);
});

t.test('unlisten() removes the signal handlers', async (t) => {
  const { proc, drain } = world();
  t.equal(proc.listenerCount('SIGTERM'), 1);
  drain.unlisten();
  t.equal(proc.listenerCount('SIGTERM'), 0);
  t.equal(proc.listenerCount('SIGINT'), 0);
});
