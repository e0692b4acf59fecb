// The round-robin balancer against upstream's userspace LoadBalancerRR rules, on a fake clock.
import t from 'tap';
import type { SessionAffinity } from '../src/model/types.js';
import { RoundRobinBalancer, type Backend } from '../src/userspace/load-balancer.js';

const ep = (port: number): Backend => ({ ip: '10.0.0.1', port });
const noAffinity: SessionAffinity = { clientIP: false, timeoutSeconds: 10800 };
const clientIP = (timeoutSeconds = 60): SessionAffinity => ({ clientIP: true, timeoutSeconds });

function fakeClock(startMs = 1_000_000) {
  const clock = { ms: startMs, now: () => clock.ms, advance: (ms: number) => (clock.ms += ms) };
  return clock;
}

const ports = (picks: Array<Backend | undefined>) => picks.map((b) => b?.port);
const pickN = (lb: RoundRobinBalancer, n: number, client = '1.1.1.1', reset = false) => ports(Array.from({ length: n }, () => lb.next(client, reset)));

t.test('round robin: endpoints in the order given, wrapping around, whatever the client', async (t) => {
  const lb = new RoundRobinBalancer();
  lb.update([ep(1), ep(2), ep(3)], noAffinity);
  t.equal(lb.size, 3);
  t.same(ports([lb.next('a', false), lb.next('b', false), lb.next('a', false), lb.next('c', true), lb.next('a', false)]), [1, 2, 3, 1, 2]);
});

t.test('a retry skips the endpoints this connection failed to reach while another remains', async (t) => {
  const lb = new RoundRobinBalancer();
  lb.update([ep(1), ep(2), ep(3)], noAffinity);
  t.equal(lb.next('a', false)!.port, 1);
  // Other connections moved the position back to 1 meanwhile: the retry must not get 1 again.
  lb.next('b', false);
  lb.next('c', false);
  t.equal(lb.next('a', true, [ep(1)])!.port, 2);
  t.equal(lb.next('a', true, [ep(3), ep(1)])!.port, 2, 'skips every failed one');
  t.equal(lb.next('a', true, [ep(1), ep(2), ep(3)])!.port, 3, 'all failed: the one at the round-robin position');
});

t.test('no endpoints: next() is undefined, with or without affinity', async (t) => {
  const lb = new RoundRobinBalancer();
  t.equal(lb.next('a', false), undefined, 'before any update');
  lb.update([], clientIP());
  t.equal(lb.size, 0);
  t.equal(lb.next('a', false), undefined);
  t.equal(lb.next('a', true), undefined);
});

t.test('the same list again changes nothing: the position is kept', async (t) => {
  const lb = new RoundRobinBalancer();
  lb.update([ep(1), ep(2), ep(3)], noAffinity);
  t.same(pickN(lb, 2), [1, 2]);
  lb.update([ep(1), ep(2), ep(3)], noAffinity);
  t.same(pickN(lb, 2), [3, 1]);
});

t.test('a changed list restarts round robin at its first endpoint', async (t) => {
  const lb = new RoundRobinBalancer();
  lb.update([ep(1), ep(2), ep(3)], noAffinity);
  t.same(pickN(lb, 2), [1, 2]);
  lb.update([ep(1), ep(2), ep(4)], noAffinity);
  t.same(pickN(lb, 4), [1, 2, 4, 1]);
});

t.test('the caller may reuse its array: the balancer keeps its own copy', async (t) => {
  const lb = new RoundRobinBalancer();
  const list = [ep(1), ep(2)];
  lb.update(list, noAffinity);
  list.push(ep(3));
  list[0]!.port = 9;
  t.equal(lb.size, 2);
  t.same(pickN(lb, 3), [1, 2, 1]);
});

t.test('ClientIP affinity: a client keeps its endpoint, other clients go round robin', async (t) => {
  const lb = new RoundRobinBalancer(fakeClock().now);
  lb.update([ep(1), ep(2), ep(3)], clientIP());
  t.same(pickN(lb, 3, 'a'), [1, 1, 1]);
  t.same(pickN(lb, 2, 'b'), [2, 2]);
  t.same(pickN(lb, 1, 'c'), [3]);
  t.same(pickN(lb, 1, 'd'), [1]);
});

t.test('ClientIP affinity: each use refreshes the record, so a busy client never expires', async (t) => {
  const clock = fakeClock();
  const lb = new RoundRobinBalancer(clock.now);
  lb.update([ep(1), ep(2)], clientIP(10));
  t.same(pickN(lb, 1, 'a'), [1]);
  for (let i = 0; i < 5; i++) {
    clock.advance(9_999);
    t.same(pickN(lb, 1, 'a'), [1], `use ${i + 1}, 9.999 s after the one before`);
  }
});

t.test('ClientIP affinity: a record unused for timeoutSeconds has expired, the client is picked afresh', async (t) => {
  const clock = fakeClock();
  const lb = new RoundRobinBalancer(clock.now);
  lb.update([ep(1), ep(2)], clientIP(10));
  t.same(pickN(lb, 1, 'a'), [1]);
  clock.advance(10_000);
  t.same(pickN(lb, 1, 'a'), [2], 'expired at exactly timeoutSeconds: round robin moved on');
  t.same(pickN(lb, 1, 'a'), [2], 'and the fresh pick is the new record');
});

t.test('ClientIP affinity: resetAffinity forces a fresh pick that replaces the record, never the failed endpoint when there is another', async (t) => {
  const lb = new RoundRobinBalancer(fakeClock().now);
  lb.update([ep(1), ep(2), ep(3)], clientIP());
  t.same(pickN(lb, 1, 'a'), [1]);
  t.same(pickN(lb, 2, 'b'), [2, 2]);
  t.same(pickN(lb, 1, 'c'), [3]);
  // Round robin is back at 1, a's failed endpoint: the reset skips it.
  t.same(pickN(lb, 1, 'a', true), [2]);
  t.same(pickN(lb, 2, 'a'), [2, 2], 'the new record holds');
});

t.test('ClientIP affinity: with one endpoint, a reset still picks it (there is nothing else)', async (t) => {
  const lb = new RoundRobinBalancer(fakeClock().now);
  lb.update([ep(1)], clientIP());
  t.same(pickN(lb, 2, 'a', true), [1, 1]);
});

t.test('an update keeps the records of endpoints that remain and drops those of removed ones', async (t) => {
  const lb = new RoundRobinBalancer(fakeClock().now);
  lb.update([ep(1), ep(2), ep(3)], clientIP());
  t.same([...pickN(lb, 1, 'a'), ...pickN(lb, 1, 'b'), ...pickN(lb, 1, 'c')], [1, 2, 3]);
  lb.update([ep(1), ep(3), ep(4)], clientIP());
  t.same(pickN(lb, 2, 'a'), [1, 1], 'a kept 1');
  t.same(pickN(lb, 2, 'c'), [3, 3], 'c kept 3');
  t.same(pickN(lb, 2, 'b'), [1, 1], 'b lost 2 and got a fresh pick (round robin restarted at the first)');
});

t.test('turning affinity off drops every record; turning it on again starts from none', async (t) => {
  const lb = new RoundRobinBalancer(fakeClock().now);
  lb.update([ep(1), ep(2)], clientIP());
  t.same(pickN(lb, 1, 'a'), [1]);
  lb.update([ep(1), ep(2)], noAffinity);
  t.same(pickN(lb, 2, 'a'), [2, 1]);
  lb.update([ep(1), ep(2)], clientIP());
  t.same(pickN(lb, 2, 'a'), [2, 2], 'a fresh record (round robin was at 2), not the old one for 1');
});

t.test('a timeout of 0 means upstream default, 10800 s', async (t) => {
  const clock = fakeClock();
  const lb = new RoundRobinBalancer(clock.now);
  lb.update([ep(1), ep(2)], clientIP(0));
  t.same(pickN(lb, 1, 'a'), [1]);
  clock.advance(10_799_999);
  t.same(pickN(lb, 1, 'a'), [1]);
});

t.test('expired records do not accumulate: many one-off clients leave a bounded table', async (t) => {
  const clock = fakeClock();
  const lb = new RoundRobinBalancer(clock.now);
  lb.update([ep(1), ep(2)], clientIP(1));
  const records = () => (lb as unknown as { records: Map<string, unknown> }).records.size;
  for (let i = 0; i < 100_000; i++) {
    lb.next(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, false);
    clock.advance(1);
  }
  // 1 s of clients (1000) are live at the end; the lazy sweep keeps the table within twice the
  // live ones or its floor.
  t.ok(records() <= 2048, `records: ${records()}`);
  clock.advance(1000);
  lb.update([ep(1), ep(2)], clientIP(1));
  t.equal(records(), 0, 'an update sweeps the expired records');
});
