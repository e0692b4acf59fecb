// Test clusters' pod CIDRs: consecutive /24s inside the kubets profile's 127.64.0.0/10, wherever
// the random start falls.
import t from 'tap';
import { testPodCidrs } from '../src/pod-cidrs.js';

t.test('consecutive /24s of 127.64.0.0/10, from the first block to the last', async (t) => {
  t.same(testPodCidrs(3, () => 0), ['127.64.0.0/24', '127.64.1.0/24', '127.64.2.0/24']);
  t.same(testPodCidrs(2, () => 0.999_999_9), ['127.127.254.0/24', '127.127.255.0/24'], 'the last two blocks of the /10');
  t.same(testPodCidrs(2, () => 255 / 16383), ['127.64.255.0/24', '127.65.0.0/24'], 'across a /16');
  t.same(testPodCidrs(0), []);
  t.throws(() => testPodCidrs(16385), RangeError);
});
