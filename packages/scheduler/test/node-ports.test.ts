// NodePorts: host ports clash on the same protocol and port where the addresses are equal or one
// is 0.0.0.0. Cases after upstream's node_ports_test.go ("protocol/hostIP/port").
import t from 'tap';
import { nodeInfoOf, snapshotOf } from '../src/framework/node-info.js';
import { CycleState, type Pod, skip, type Status, success, unschedulable } from '../src/framework/types.js';
import { hostPortsOf } from '../src/framework/node-info.js';
import { errReasonNodePorts, newNodePorts } from '../src/plugins/node-ports.js';
import { makeNode, makePod, runFilter } from './plugin-fixtures.js';

/** A pod holding host ports written "protocol/hostIP/port", as upstream's newPod(host, ...). */
function podHolding(name: string, specs: string[]): Pod {
  return specs
    .reduce((pod, spec) => {
      const [protocol, hostIP, port] = spec.split('/') as [string, string, string];
      return pod.hostPort(Number(port), protocol, hostIP);
    }, makePod(name))
    .obj();
}

const podWithPorts = (...specs: string[]) => podHolding('incoming', specs);
const existing = (...specs: string[]) => podHolding('existing', specs);
const conflict = unschedulable(errReasonNodePorts);

t.test('Filter', async (t) => {
  const cases: { name: string; pod: Pod; existing: Pod[]; want: Status }[] = [
    { name: 'nothing running', pod: podWithPorts(), existing: [], want: success },
    { name: 'a pod without host ports fits beside anything', pod: podWithPorts(), existing: [existing('TCP/0.0.0.0/80')], want: success },
    { name: 'other port', pod: podWithPorts('UDP/127.0.0.1/8080'), existing: [existing('UDP/127.0.0.1/9090')], want: success },
    { name: 'same udp port', pod: podWithPorts('UDP/127.0.0.1/8080'), existing: [existing('UDP/127.0.0.1/8080')], want: conflict },
    { name: 'same tcp port', pod: podWithPorts('TCP/127.0.0.1/8080'), existing: [existing('TCP/127.0.0.1/8080')], want: conflict },
    { name: 'different host ip', pod: podWithPorts('TCP/127.0.0.1/8080'), existing: [existing('TCP/127.0.0.2/8080')], want: success },
    { name: 'different protocol', pod: podWithPorts('UDP/127.0.0.1/8080'), existing: [existing('TCP/127.0.0.1/8080')], want: success },
    {
      name: 'second udp port conflict',
      pod: podWithPorts('UDP/127.0.0.1/8000', 'UDP/127.0.0.1/8080'),
      existing: [existing('UDP/127.0.0.1/8080')],
      want: conflict,
    },
    {
      name: 'first tcp port conflict',
      pod: podWithPorts('TCP/127.0.0.1/8001', 'UDP/127.0.0.1/8080'),
      existing: [existing('TCP/127.0.0.1/8001', 'UDP/127.0.0.1/8081')],
      want: conflict,
    },
    { name: 'first tcp port conflict due to 0.0.0.0 hostIP', pod: podWithPorts('TCP/0.0.0.0/8001'), existing: [existing('TCP/127.0.0.1/8001')], want: conflict },
    {
      name: 'TCP hostPort conflict due to 0.0.0.0 hostIP',
      pod: podWithPorts('TCP/10.0.10.10/8001', 'TCP/0.0.0.0/8001'),
      existing: [existing('TCP/127.0.0.1/8001')],
      want: conflict,
    },
    { name: 'second tcp port conflict to 0.0.0.0 hostIP', pod: podWithPorts('TCP/127.0.0.1/8001'), existing: [existing('TCP/0.0.0.0/8001')], want: conflict },
    { name: 'second different protocol', pod: podWithPorts('UDP/127.0.0.1/8001'), existing: [existing('TCP/0.0.0.0/8001')], want: success },
    {
      name: 'UDP hostPort conflict due to 0.0.0.0 hostIP',
      pod: podWithPorts('UDP/127.0.0.1/8001'),
      existing: [existing('TCP/0.0.0.0/8001', 'UDP/0.0.0.0/8001')],
      want: conflict,
    },
    { name: 'an empty hostIP means 0.0.0.0 and an empty protocol TCP', pod: podWithPorts('//8001'), existing: [existing('TCP/127.0.0.1/8001')], want: conflict },
    {
      name: "an existing pod's sidecar holds its port",
      pod: podWithPorts('TCP/0.0.0.0/8001'),
      existing: [makePod('existing').initHostPort(8001, true).obj()],
      want: conflict,
    },
    {
      name: "an existing pod's plain init container has released its port",
      pod: podWithPorts('TCP/0.0.0.0/8001'),
      existing: [makePod('existing').initHostPort(8001, false).obj()],
      want: success,
    },
    {
      name: "the incoming pod's sidecar port counts",
      pod: makePod('incoming').initHostPort(8001, true).obj(),
      existing: [existing('TCP/0.0.0.0/8001')],
      want: conflict,
    },
  ];
  for (const tc of cases) {
    t.test(tc.name, async (t) => {
      t.same(runFilter(newNodePorts(), tc.pod, nodeInfoOf(makeNode().obj(), tc.existing)), tc.want);
    });
  }
});

t.test('PreFilter skips a pod without host ports; Filter without PreFilter is an error', async (t) => {
  const plugin = newNodePorts();
  const node = nodeInfoOf(makeNode().obj());
  const snapshot = snapshotOf([node]);
  t.same(plugin.preFilter(new CycleState(), makePod().container({ ports: [{ containerPort: 80 }] }).obj(), snapshot), skip, 'a container port without a host port');
  t.same(plugin.preFilter(new CycleState(), makePod().initHostPort(80, false).obj(), snapshot), skip, "a plain init container's host port");
  t.equal(plugin.filter(new CycleState(), podWithPorts('TCP/0.0.0.0/80'), node).code, 'Error');
});

t.test('hostPortsOf: containers and sidecars, with 0.0.0.0 and TCP filled in', async (t) => {
  const pod = makePod().hostPort(80, '', '').initHostPort(81, true, 'UDP', '10.0.0.1').initHostPort(82, false).obj();
  t.same(hostPortsOf(pod), [
    { ip: '10.0.0.1', protocol: 'UDP', port: 81 },
    { ip: '0.0.0.0', protocol: 'TCP', port: 80 },
  ]);
});
