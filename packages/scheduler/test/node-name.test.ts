// NodeName: a pod that names its node fits only that node.
import t from 'tap';
import { nodeInfoOf } from '../src/framework/node-info.js';
import { type Pod, type Status, success, unresolvable } from '../src/framework/types.js';
import { errReasonNodeName, newNodeName } from '../src/plugins/node-name.js';
import { makeNode, makePod, runFilter } from './plugin-fixtures.js';

const cases: { name: string; pod: Pod; want: Status }[] = [
  { name: 'no host specified', pod: makePod().obj(), want: success },
  { name: 'host matches', pod: makePod().node('foo').obj(), want: success },
  { name: 'host does not match', pod: makePod().node('bar').obj(), want: unresolvable(errReasonNodeName) },
];

t.test('Filter', async (t) => {
  for (const tc of cases) {
    t.test(tc.name, async (t) => {
      t.same(runFilter(newNodeName(), tc.pod, nodeInfoOf(makeNode('foo').obj())), tc.want);
    });
  }
});
