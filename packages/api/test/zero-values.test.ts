// Go's decoding and encoding, as kube-apiserver stores objects: a missing field is no decoding
// error (it holds its zero value), and fields without omitempty are always written.
import t from 'tap';
import { decodeObject, resolveResource, writeZeroValues } from '../src/index.js';

const rs = resolveResource('replicasets')!;
const pods = resolveResource('pods')!;

t.test('a missing required field decodes (upstream: its zero value); a wrong type is still 400', async (t) => {
  t.doesNotThrow(() => decodeObject(rs, { metadata: { name: 'a' }, status: {} }), 'status.replicas left out');
  t.doesNotThrow(() => decodeObject(pods, { metadata: { ownerReferences: [{ kind: 'ReplicaSet', name: 'a' }] } }), 'ownerReference without apiVersion and uid');
  t.throws(() => decodeObject(rs, { status: { replicas: 'x' } }), /ReplicaSet in version "v1" cannot be handled as a ReplicaSet: status.replicas: expected integer, got string "x"/);
});

t.test('fields without omitempty get their zero values; optional ones and missing structs stay out', async (t) => {
  const obj: any = {
    metadata: { name: 'a', ownerReferences: [{ kind: 'ReplicaSet' }] },
    spec: { template: { spec: { containers: [{ name: 'c', ports: [{}], livenessProbe: { httpGet: {} } }] } } },
    status: {},
  };
  writeZeroValues(rs.schema, obj);
  t.strictSame(obj.status, { replicas: 0 }, 'ReplicaSetStatus.replicas has no omitempty');
  t.strictSame(obj.metadata.ownerReferences[0], { kind: 'ReplicaSet', apiVersion: '', name: '', uid: '' });
  const c = obj.spec.template.spec.containers[0];
  t.strictSame(c.ports, [{ containerPort: 0 }]);
  t.strictSame(c.livenessProbe.httpGet, { port: 0 }, 'an int-or-string is the integer 0');
  t.notOk('selector' in obj.spec, 'nothing is added where the object has no parent for it');
  const none: any = { metadata: { name: 'b' } };
  writeZeroValues(rs.schema, none);
  t.strictSame(none, { metadata: { name: 'b' } }, 'an absent status stays absent');
});

t.test('defaults as upstream stores them', async (t) => {
  const node: any = { metadata: { name: 'n' } };
  resolveResource('nodes')!.applyDefaults(node);
  writeZeroValues(resolveResource('nodes')!.schema, node);
  t.strictSame(node.status.daemonEndpoints, { kubeletEndpoint: { Port: 0 } });
  t.equal(node.status.nodeInfo.kubeletVersion, '');
  const d: any = { spec: { minReadySeconds: 0, template: { spec: { containers: [{ name: 'c', image: 'x' }] } } } };
  resolveResource('deployments')!.applyDefaults(d);
  t.notOk('minReadySeconds' in d.spec, 'zero minReadySeconds is omitted (int32, omitempty)');
  t.strictSame(d.spec.template.spec.containers[0].resources, {}, 'resources is a struct: written empty');
});
