// Where node ports listen (--nodeport-addresses, --bind-address and the Node's addresses), and
// when the Node needs reading at all.
import t from 'tap';
import type { Node } from '@kubets/api';
import { FlagError } from '@kubets/component-base';
import { needsNode, nodePortAddresses, parseNodePortAddresses } from '../src/config/node-addresses.js';

const node: Node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' }, status: { addresses: [{ type: 'Hostname', address: 'node-1' }, { type: 'InternalIP', address: '127.0.1.1' }, { type: 'ExternalIP', address: '192.0.2.7' }] } };

t.test('primary: --bind-address when it names one, else the Node\'s InternalIP, else 127.0.0.1', async (t) => {
  const primary = parseNodePortAddresses('primary');
  t.same(nodePortAddresses(primary, '127.0.1.9', node), ['127.0.1.9']);
  t.same(nodePortAddresses(primary, '0.0.0.0', node), ['127.0.1.1']);
  t.same(nodePortAddresses(primary, '0.0.0.0'), ['127.0.0.1']);
  t.equal(needsNode(primary, '127.0.1.9'), false, 'the bind address is enough');
  t.equal(needsNode(primary, '0.0.0.0'), true);
});

t.test('CIDRs: the node\'s addresses within them; 0.0.0.0/0 every local address', async (t) => {
  const within = parseNodePortAddresses('127.0.0.0/8, 10.0.0.0/8');
  t.same(nodePortAddresses(within, '0.0.0.0', node), ['127.0.1.1']);
  t.same(nodePortAddresses(parseNodePortAddresses('192.0.2.0/24'), '127.0.1.1', node), ['192.0.2.7']);
  t.equal(needsNode(within, '127.0.1.1'), true);
  const all = parseNodePortAddresses('10.0.0.0/8,0.0.0.0/0');
  t.same(nodePortAddresses(all, '127.0.1.1', node), ['0.0.0.0']);
  t.equal(needsNode(all, '0.0.0.0'), false);
});

t.test('anything else is a FlagError naming the entry', async (t) => {
  for (const bad of ['bogus', '127.0.0.0', '127.0.0.0/33', 'fd00::/8']) {
    t.throws(() => parseNodePortAddresses(bad), FlagError, bad);
  }
  t.throws(() => parseNodePortAddresses('127.0.0.0/8,x/1'), { message: /"x\/1"/ });
});
