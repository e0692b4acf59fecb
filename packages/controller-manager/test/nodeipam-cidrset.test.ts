// The CIDR set: subnets of the cluster CIDR handed out round-robin, occupied, released.
import t from 'tap';
import { CidrError, CidrRangeExhaustedError, CidrSet } from '../src/controllers/nodeipam/index.js';

/** The error fn throws, or undefined. */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

t.test('allocates consecutive subnets of the node prefix, round-robin after the last one given', async (t) => {
  const s = new CidrSet('10.244.0.0/16', 24);
  t.equal(s.size, 256);
  t.equal(s.allocateNext(), '10.244.0.0/24');
  t.equal(s.allocateNext(), '10.244.1.0/24');
  s.release('10.244.0.0/24');
  t.equal(s.allocateNext(), '10.244.2.0/24', 'a released CIDR is not reused at once');
  t.equal(s.free, 254);
});

t.test('occupied CIDRs are skipped; a wider one occupies every subnet it covers', async (t) => {
  const s = new CidrSet('10.0.0.0/22', 24);
  s.occupy('10.0.0.0/24');
  s.occupy('10.0.2.0/23');
  t.ok(s.isUsed('10.0.3.0/24'));
  t.equal(s.allocateNext(), '10.0.1.0/24');
  t.ok(thrown(() => s.allocateNext()) instanceof CidrRangeExhaustedError, 'exhausted');
  t.throws(() => s.allocateNext(), { message: 'CIDR allocation failed; there are no remaining CIDRs left to allocate in the accepted range' });
  s.release('10.0.2.0/24');
  t.equal(s.allocateNext(), '10.0.2.0/24', 'wraps around to the freed one');
});

t.test('bad input is refused: outside the range, malformed, prefixes that do not fit', async (t) => {
  const s = new CidrSet('10.0.0.0/16', 24);
  t.ok(thrown(() => s.occupy('192.168.0.0/24')) instanceof CidrError);
  t.ok(thrown(() => s.occupy('10.0.0.0/33')) instanceof CidrError);
  t.ok(thrown(() => new CidrSet('10.0.0.0/24', 16)) instanceof CidrError, 'node prefix shorter than the cluster prefix');
  t.throws(() => new CidrSet('10.0.0.0/8', 28), { message: /subnet mask size is too big/ });
  t.ok(thrown(() => new CidrSet('fd00::/64', 80)) instanceof CidrError, 'IPv6 is not supported');
  t.equal(new CidrSet('10.1.2.3/16', 30).allocateNext(), '10.1.0.0/30', 'host bits of the cluster CIDR are masked off');
});
