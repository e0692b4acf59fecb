// Test clusters' Service ranges: a /24 of cluster IPs inside 127.129.0.0 - 127.191.255.255 and
// 200 node ports inside 30000-32767, wherever the random draw falls.
import t from 'tap';
import { testNodePortCount, testNodePortRange, testServiceClusterIpRange } from '../src/service-cidrs.js';

const draws = (n: number, draw: () => string) => Array.from({ length: n }, draw);

t.test('a /24 of cluster IPs from 127.129.0.0/24 to 127.191.255.0/24', async (t) => {
  t.equal(testServiceClusterIpRange(() => 0), '127.129.0.0/24');
  t.equal(testServiceClusterIpRange(() => 0.999_999_99), '127.191.255.0/24', 'the last block, never 127.192');
  t.equal(testServiceClusterIpRange(() => 256 / (63 * 256)), '127.130.0.0/24', 'across a /16');
  const outside = draws(1000, () => testServiceClusterIpRange()).filter((cidr) => {
    const [a, b, c, d] = cidr.replace(/\/24$/, '').split('.').map(Number);
    return !(cidr.endsWith('/24') && a === 127 && b! >= 129 && b! <= 191 && c! >= 0 && c! <= 255 && d === 0);
  });
  t.same(outside, [], 'random draws stay inside');
});

t.test('200 node ports in a row inside upstream 30000-32767', async (t) => {
  t.equal(testNodePortCount, 200);
  t.equal(testNodePortRange(() => 0), '30000-30199');
  t.equal(testNodePortRange(() => 0.999_999_99), '32568-32767', 'the last run ends on 32767');
  const outside = draws(1000, () => testNodePortRange()).filter((range) => {
    const [first, last] = range.split('-').map(Number);
    return !(first! >= 30000 && last! <= 32767 && last! - first! === testNodePortCount - 1);
  });
  t.same(outside, [], 'random draws stay inside');
});
