// The CIDR arithmetic the loopback pod network allocates with.
import t from 'tap';
import { cidrContains, formatIpv4, formatIpv4Cidr, isLoopbackCidr, nextFreeAddress, parseIpv4, parseIpv4Cidr, podAddressCount, podAddressRange } from '../src/network/cidr.js';

const cidr = (s: string) => {
  const c = parseIpv4Cidr(s);
  if (c === undefined) throw new Error(`bad test CIDR ${s}`);
  return c;
};
const ip = (s: string) => parseIpv4(s)!;

t.test('IPv4 addresses parse and print back', async (t) => {
  t.equal(parseIpv4('127.0.0.1'), 0x7f000001);
  t.equal(parseIpv4('255.255.255.255'), 0xffffffff);
  t.equal(formatIpv4(0x7f0a0b0c), '127.10.11.12');
  for (const bad of ['', '1.2.3', '1.2.3.4.5', '256.0.0.1', '01.2.3.4', '1.2.3.x', '::1', '1.2.3.-1']) t.equal(parseIpv4(bad), undefined, bad);
});

t.test('a CIDR clears its host bits, as Go net.ParseCIDR', async (t) => {
  t.equal(formatIpv4Cidr(cidr('127.1.2.3/16')), '127.1.0.0/16');
  t.equal(formatIpv4Cidr(cidr('0.0.0.0/0')), '0.0.0.0/0');
  t.equal(formatIpv4Cidr(cidr('127.0.0.9/32')), '127.0.0.9/32');
  for (const bad of ['127.0.0.0', '127.0.0.0/33', '127.0.0.0/', '127.0.0.0/08', 'x/8', '10.0.0.0/-1', 'fd00::/64']) t.equal(parseIpv4Cidr(bad), undefined, bad);
});

t.test('only blocks inside 127.0.0.0/8 are loopback', async (t) => {
  t.ok(isLoopbackCidr(cidr('127.0.0.0/8')));
  t.ok(isLoopbackCidr(cidr('127.244.1.0/24')));
  t.notOk(isLoopbackCidr(cidr('126.0.0.0/7')), 'wider than 127/8 reaches outside it');
  t.notOk(isLoopbackCidr(cidr('10.244.0.0/24')));
  t.ok(cidrContains(cidr('127.244.1.0/24'), ip('127.244.1.200')));
  t.notOk(cidrContains(cidr('127.244.1.0/24'), ip('127.244.2.1')));
});

t.test('pod addresses skip the network address, the gateway and the broadcast address', async (t) => {
  t.same(podAddressRange(cidr('127.244.1.0/24')), { first: ip('127.244.1.2'), last: ip('127.244.1.254') });
  t.equal(podAddressCount(cidr('127.244.1.0/24')), 253);
  t.equal(podAddressCount(cidr('127.0.0.0/30')), 1, 'a /30 leaves one');
  t.equal(podAddressCount(cidr('127.0.0.0/31')), 0);
  t.equal(podAddressCount(cidr('127.0.0.0/32')), 0);
});

t.test('the next free address goes round from the last one handed out', async (t) => {
  const c = cidr('127.0.0.0/29'); // pods: .2 .. .6
  t.equal(formatIpv4(nextFreeAddress(c, new Set())!), '127.0.0.2');
  t.equal(formatIpv4(nextFreeAddress(c, new Set([ip('127.0.0.2')]))!), '127.0.0.3');
  t.equal(formatIpv4(nextFreeAddress(c, new Set(), ip('127.0.0.3'))!), '127.0.0.4', 'a freed address is not reused at once');
  t.equal(formatIpv4(nextFreeAddress(c, new Set([ip('127.0.0.3')]), ip('127.0.0.6'))!), '127.0.0.2', 'wraps after the last');
  t.equal(formatIpv4(nextFreeAddress(c, new Set(), ip('10.0.0.1'))!), '127.0.0.2', 'a last address outside the block is ignored');
  const all = new Set([2, 3, 4, 5, 6].map((n) => ip(`127.0.0.${n}`)));
  t.equal(nextFreeAddress(c, all), undefined, 'exhausted');
  t.equal(nextFreeAddress(cidr('127.0.0.0/31'), new Set()), undefined);
});
