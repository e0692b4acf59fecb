// InterPodAffinity PreFilter + Filter, as upstream's TestRequiredAffinitySingleNode and
// TestRequiredAffinityMultipleNodes: required affinity, anti-affinity, existing pods'
// anti-affinity (symmetry), namespaces and namespaceSelector, and the self-matching first pod.
import t from 'tap';
import { CycleState, type Node, type Pod, type Status, success, unresolvable, unschedulable } from '../src/framework/types.js';
import { newInterPodAffinity } from '../src/plugins/inter-pod-affinity/plugin.js';
import { affinity, exists, filterNodes, hostname, labelIn, labelNotIn, node, pod, snapshotWith, term } from './topology-fixtures.js';

const affinityMismatch = unresolvable("node(s) didn't match pod affinity rules");
const antiAffinityMismatch = unschedulable("node(s) didn't match pod anti-affinity rules");
const existingAntiAffinityMismatch = unschedulable("node(s) didn't satisfy existing pods anti-affinity rules");

const securityscan = { service: 'securityscan' };
const s1 = { security: 'S1' };
const machine1 = node('machine1', { region: 'r1', zone: 'z11' });

interface Case {
  name: string;
  pod: Pod;
  pods?: Pod[];
  nodes?: Node[];
  namespaces?: Record<string, Record<string, string>>;
  want: Record<string, Status>;
}

const singleNode: Case[] = [
  {
    name: 'a pod without required pod affinity rules fits a node without pods',
    pod: pod('p'),
    want: { machine1: success },
  },
  {
    name: 'affinity with In matches the existing pod',
    pod: pod('p', { labels: s1, affinity: affinity({ required: [term('region', labelIn('service', 'securityscan', 'value2'))] }) }),
    pods: [pod('e', { labels: securityscan, nodeName: 'machine1' })],
    want: { machine1: success },
  },
  {
    name: 'affinity with NotIn matches the existing pod',
    pod: pod('p', { labels: s1, affinity: affinity({ required: [term('region', labelNotIn('service', 'securityscan3', 'value3'))] }) }),
    pods: [pod('e', { labels: securityscan, nodeName: 'machine1' })],
    want: { machine1: success },
  },
  {
    name: 'affinity does not match a pod in another namespace than the term names',
    pod: pod('p', { labels: s1, affinity: affinity({ required: [term('region', labelIn('service', 'securityscan'), { namespaces: ['DiffNameSpace'] })] }) }),
    pods: [pod('e', { labels: securityscan, nodeName: 'machine1', namespace: 'ns' })],
    want: { machine1: affinityMismatch },
  },
  {
    name: 'affinity does not match: the selector does not select the existing pod',
    pod: pod('p', { labels: securityscan, affinity: affinity({ required: [term('region', labelIn('service', 'antivirusscan', 'value2'))] }) }),
    pods: [pod('e', { labels: securityscan, nodeName: 'machine1' })],
    want: { machine1: affinityMismatch },
  },
  {
    name: 'the requirements of a selector are ANDed and every term must match',
    pod: pod('p', {
      labels: s1,
      affinity: affinity({
        required: [
          term('region', { matchExpressions: [{ key: 'service', operator: 'Exists' }, { key: 'wrongkey', operator: 'DoesNotExist' }] }),
          term('region', { matchExpressions: [{ key: 'service', operator: 'In', values: ['securityscan2'] }, { key: 'service', operator: 'NotIn', values: ['WrongValue'] }] }),
        ],
      }),
    }),
    pods: [pod('e', { labels: securityscan, nodeName: 'machine1' })],
    want: { machine1: affinityMismatch },
  },
  {
    name: 'affinity matches and anti-affinity does not',
    pod: pod('p', {
      labels: s1,
      affinity: affinity({ required: [term('region', labelIn('service', 'securityscan'))], antiRequired: [term('node', labelIn('service', 'antivirusscan'))] }),
    }),
    pods: [pod('e', { labels: securityscan, nodeName: 'machine1' })],
    want: { machine1: success },
  },
  {
    name: 'affinity matches but anti-affinity selects the existing pod in the zone',
    pod: pod('p', {
      labels: s1,
      affinity: affinity({ required: [term('region', labelIn('service', 'securityscan'))], antiRequired: [term('zone', labelIn('service', 'securityscan'))] }),
    }),
    pods: [pod('e', { labels: securityscan, nodeName: 'machine1' })],
    want: { machine1: antiAffinityMismatch },
  },
  {
    name: "the existing pod's anti-affinity selects the incoming pod (symmetry)",
    pod: pod('p', { labels: securityscan }),
    pods: [pod('e', { labels: securityscan, nodeName: 'machine1', affinity: affinity({ antiRequired: [term('zone', labelIn('service', 'securityscan'))] }) })],
    want: { machine1: existingAntiAffinityMismatch },
  },
  {
    name: "the existing pod's anti-affinity does not select the incoming pod",
    pod: pod('p', { labels: securityscan }),
    pods: [pod('e', { labels: securityscan, nodeName: 'machine1', affinity: affinity({ antiRequired: [term('zone', labelNotIn('service', 'securityscan'))] }) })],
    want: { machine1: success },
  },
  {
    name: "the existing pod's anti-affinity on a key the node lacks has no effect",
    pod: pod('p', { labels: securityscan }),
    pods: [pod('e', { labels: securityscan, nodeName: 'machine1', affinity: affinity({ antiRequired: [term('rack', labelIn('service', 'securityscan'))] }) })],
    want: { machine1: success },
  },
  {
    name: 'a pod whose affinity does not select itself needs a matching pod',
    pod: pod('p', { labels: securityscan, affinity: affinity({ required: [term('region', labelNotIn('service', 'securityscan'))] }) }),
    want: { machine1: affinityMismatch },
  },
  {
    name: 'the first pod whose affinity selects itself fits while no pod matches',
    pod: pod('p', { labels: securityscan, affinity: affinity({ required: [term('region', labelIn('service', 'securityscan'))] }) }),
    pods: [pod('other', { labels: s1, nodeName: 'machine1' })],
    want: { machine1: success },
  },
  {
    name: 'the first pod whose affinity selects itself still needs the topology label',
    pod: pod('p', { labels: securityscan, affinity: affinity({ required: [term('rack', labelIn('service', 'securityscan'))] }) }),
    want: { machine1: affinityMismatch },
  },
  {
    name: 'an invalid selector makes the pod unresolvable',
    pod: pod('p', { labels: s1, affinity: affinity({ required: [term('region', labelIn('security', '{{.bad-value.}}'))] }) }),
    want: {
      machine1: unresolvable(
        'parsing pod: requiredAffinityTerms: values[0][security]: Invalid value: "{{.bad-value.}}": a valid label must be an empty string or consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must start and end with an alphanumeric character (e.g. \'MyValue\',  or \'my_value\',  or \'12345\', regex used for validation is \'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?\')',
      ),
    },
  },
  {
    name: "an existing pod's invalid anti-affinity is ignored",
    pod: pod('p', { labels: securityscan }),
    pods: [pod('e', { nodeName: 'machine1', affinity: affinity({ antiRequired: [term('zone', labelIn('service', '{{.bad-value.}}'))] }) })],
    want: { machine1: success },
  },
];

const zones = [
  node('n1', { region: 'r1', zone: 'z1', [hostname]: 'n1' }),
  node('n2', { region: 'r1', zone: 'z2', [hostname]: 'n2' }),
  node('n3', { region: 'r2', zone: 'z3', [hostname]: 'n3' }),
  node('n4', { zone: 'z4', [hostname]: 'n4' }),
];
const teams = { 'team1-a': { team: 'team1' }, 'team1-b': { team: 'team1' }, 'team2-a': { team: 'team2' } };
const web = { app: 'web' };

const multipleNodes: Case[] = [
  {
    name: 'affinity by region: every node of the region with a matching pod fits, the rest and a node without region do not',
    pod: pod('p', { affinity: affinity({ required: [term('region', labelIn('app', 'db'))] }) }),
    pods: [pod('db', { labels: { app: 'db' }, nodeName: 'n2' })],
    want: { n1: success, n2: success, n3: affinityMismatch, n4: affinityMismatch },
  },
  {
    name: 'anti-affinity by hostname spreads replicas: nodes with a replica are ruled out',
    pod: pod('p', { labels: web, affinity: affinity({ antiRequired: [term(hostname, labelIn('app', 'web'))] }) }),
    pods: [pod('w1', { labels: web, nodeName: 'n1' }), pod('w3', { labels: web, nodeName: 'n3' })],
    want: { n1: antiAffinityMismatch, n2: success, n3: antiAffinityMismatch, n4: success },
  },
  {
    name: "an existing pod's anti-affinity by region rules out its region only",
    pod: pod('p', { labels: web }),
    pods: [pod('e', { nodeName: 'n1', affinity: affinity({ antiRequired: [term('region', labelIn('app', 'web'))] }) })],
    want: { n1: existingAntiAffinityMismatch, n2: existingAntiAffinityMismatch, n3: success, n4: success },
  },
  {
    name: 'affinity and anti-affinity together: same region as the db, not the same zone as another web',
    pod: pod('p', {
      labels: web,
      affinity: affinity({ required: [term('region', labelIn('app', 'db'))], antiRequired: [term('zone', labelIn('app', 'web'))] }),
    }),
    pods: [pod('db', { labels: { app: 'db' }, nodeName: 'n1' }), pod('w', { labels: web, nodeName: 'n1' })],
    want: { n1: antiAffinityMismatch, n2: success, n3: affinityMismatch, n4: affinityMismatch },
  },
  {
    name: 'the self-matching first pod may go to any node with the label; once one runs, only its region fits',
    pod: pod('p', { labels: web, affinity: affinity({ required: [term('region', labelIn('app', 'web'))] }) }),
    pods: [pod('w', { labels: web, nodeName: 'n3' })],
    want: { n1: affinityMismatch, n2: affinityMismatch, n3: success, n4: affinityMismatch },
  },
  {
    name: 'namespaceSelector: a matching pod in a selected namespace counts',
    pod: pod('p', { namespace: 'team2-a', affinity: affinity({ required: [term('region', labelIn('app', 'db'), { namespaceSelector: { matchLabels: { team: 'team1' } } })] }) }),
    pods: [pod('db', { labels: { app: 'db' }, namespace: 'team1-b', nodeName: 'n3' })],
    namespaces: teams,
    want: { n1: affinityMismatch, n2: affinityMismatch, n3: success, n4: affinityMismatch },
  },
  {
    name: 'namespaceSelector: a matching pod in a namespace it does not select does not count, not even the own one',
    pod: pod('p', { namespace: 'team2-a', affinity: affinity({ required: [term('region', labelIn('app', 'db'), { namespaceSelector: { matchLabels: { team: 'team1' } } })] }) }),
    pods: [pod('db', { labels: { app: 'db' }, namespace: 'team2-a', nodeName: 'n3' })],
    namespaces: teams,
    want: { n1: affinityMismatch, n2: affinityMismatch, n3: affinityMismatch, n4: affinityMismatch },
  },
  {
    name: 'namespaces and namespaceSelector are ORed',
    pod: pod('p', {
      namespace: 'team2-a',
      affinity: affinity({ required: [term('region', labelIn('app', 'db'), { namespaces: ['other'], namespaceSelector: { matchLabels: { team: 'team1' } } })] }),
    }),
    pods: [pod('db', { labels: { app: 'db' }, namespace: 'other', nodeName: 'n1' })],
    namespaces: teams,
    want: { n1: success, n2: success, n3: affinityMismatch, n4: affinityMismatch },
  },
  {
    name: 'an empty namespaceSelector selects every namespace',
    pod: pod('p', { namespace: 'team2-a', affinity: affinity({ antiRequired: [term(hostname, exists('app'), { namespaceSelector: {} })] }) }),
    pods: [pod('a', { labels: web, namespace: 'team1-a', nodeName: 'n1' }), pod('b', { labels: web, namespace: 'unknown', nodeName: 'n2' })],
    namespaces: teams,
    want: { n1: antiAffinityMismatch, n2: antiAffinityMismatch, n3: success, n4: success },
  },
  {
    name: "an existing pod's anti-affinity with a namespaceSelector selecting the incoming pod's namespace",
    pod: pod('p', { labels: web, namespace: 'team1-b' }),
    pods: [
      pod('e1', { namespace: 'team2-a', nodeName: 'n1', affinity: affinity({ antiRequired: [term('zone', labelIn('app', 'web'), { namespaceSelector: { matchLabels: { team: 'team1' } } })] }) }),
      pod('e2', { namespace: 'team2-a', nodeName: 'n3', affinity: affinity({ antiRequired: [term('zone', labelIn('app', 'web'), { namespaceSelector: { matchLabels: { team: 'team2' } } })] }) }),
    ],
    namespaces: teams,
    want: { n1: existingAntiAffinityMismatch, n2: success, n3: success, n4: success },
  },
  {
    name: 'matchLabelKeys: anti-affinity only against pods of the same revision',
    pod: pod('p', { labels: { app: 'web', rev: '2' }, affinity: affinity({ antiRequired: [term(hostname, labelIn('app', 'web'), { matchLabelKeys: ['rev'] })] }) }),
    pods: [pod('old', { labels: { app: 'web', rev: '1' }, nodeName: 'n1' }), pod('new', { labels: { app: 'web', rev: '2' }, nodeName: 'n2' })],
    want: { n1: success, n2: antiAffinityMismatch, n3: success, n4: success },
  },
  {
    name: 'mismatchLabelKeys: affinity only to pods of another tenant',
    pod: pod('p', { labels: { app: 'web', tenant: 'a' }, affinity: affinity({ required: [term('zone', labelIn('app', 'web'), { mismatchLabelKeys: ['tenant'] })] }) }),
    pods: [pod('same', { labels: { app: 'web', tenant: 'a' }, nodeName: 'n1' }), pod('other', { labels: { app: 'web', tenant: 'b' }, nodeName: 'n2' })],
    want: { n1: affinityMismatch, n2: success, n3: affinityMismatch, n4: affinityMismatch },
  },
];

function run(cases: Case[], nodes: Node[]) {
  for (const c of cases) {
    t.test(c.name, async (t) => {
      const snapshot = snapshotWith(c.nodes ?? nodes, c.pods, c.namespaces);
      t.same(filterNodes(newInterPodAffinity(), c.pod, snapshot), c.want);
    });
  }
}

run(singleNode, [machine1]);
run(multipleNodes, zones);

t.test('PreFilter skips a pod without required terms when no existing pod has anti-affinity against it', async (t) => {
  const snapshot = snapshotWith(zones, [pod('e', { nodeName: 'n1', affinity: affinity({ antiRequired: [term('zone', labelIn('app', 'db'))] }) })]);
  const plugin = newInterPodAffinity();
  t.equal(plugin.preFilter(new CycleState(), pod('p', { labels: web }), snapshot).code, 'Skip');
  t.equal(plugin.preFilter(new CycleState(), pod('p', { labels: { app: 'db' } }), snapshot).code, 'Success');
});
