// NodeUnschedulable: a cordoned node takes only pods that tolerate node.kubernetes.io/unschedulable:NoSchedule.
import t from 'tap';
import { nodeInfoOf } from '../src/framework/node-info.js';
import { type Node, type Pod, type Status, success, unresolvable } from '../src/framework/types.js';
import { errReasonUnschedulable, newNodeUnschedulable } from '../src/plugins/node-unschedulable.js';
import { makeNode, makePod, runFilter } from './plugin-fixtures.js';

const cases: { name: string; pod: Pod; node: Node; want: Status }[] = [
  { name: 'a schedulable node takes any pod', pod: makePod().obj(), node: makeNode().obj(), want: success },
  { name: 'an unschedulable node refuses a pod without tolerations', pod: makePod().obj(), node: makeNode().unschedulable().obj(), want: unresolvable(errReasonUnschedulable) },
  {
    name: 'a pod tolerating the unschedulable taint fits an unschedulable node',
    pod: makePod().toleration({ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }).obj(),
    node: makeNode().unschedulable().obj(),
    want: success,
  },
  {
    name: 'a toleration of every taint (empty key, Exists) covers it too',
    pod: makePod().toleration({ operator: 'Exists' }).obj(),
    node: makeNode().unschedulable().obj(),
    want: success,
  },
  {
    name: 'a toleration of the taint with another effect does not',
    pod: makePod().toleration({ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoExecute' }).obj(),
    node: makeNode().unschedulable().obj(),
    want: unresolvable(errReasonUnschedulable),
  },
];

t.test('Filter', async (t) => {
  for (const tc of cases) {
    t.test(tc.name, async (t) => {
      t.same(runFilter(newNodeUnschedulable(), tc.pod, nodeInfoOf(tc.node)), tc.want);
    });
  }
});
