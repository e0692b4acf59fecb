import t from 'tap';
import { ApiError, assertValidObject, decodeObject, dropEmptyOptionalFields, resolveResource, validateObject } from '../src/index.js';

const info = (name: string) => resolveResource(name)!;

function fieldsOf(resource: string, obj: any): string[] {
  const r = info(resource);
  r.applyDefaults(obj);
  return validateObject(r, obj).map((e) => `${e.field}:${e.type}`);
}

function pod(spec: object, meta: object = { name: 'p', namespace: 'default' }) {
  return { metadata: meta, spec: { containers: [{ name: 'app', image: 'node:20' }], ...spec } };
}

function deployment(extra: any = {}) {
  return {
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'node:20' }] } },
      ...extra,
    },
  };
}

t.test('a valid object of every kind passes', async (t) => {
  const ok: [string, any][] = [
    ['pods', pod({})],
    ['deploy', deployment()],
    ['rs', deployment()],
    ['svc', { metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } }],
    ['ns', { metadata: { name: 'team-a' } }],
    ['no', { metadata: { name: 'node-1' }, status: { addresses: [{ type: 'InternalIP', address: '127.0.0.2' }] } }],
    ['cm', { metadata: { name: 'cfg', namespace: 'default' }, data: { 'app.properties': 'a=b', KEY: 'v' } }],
    ['secrets', { metadata: { name: 's', namespace: 'default' }, data: { password: Buffer.from('hunter2').toString('base64') } }],
    ['ep', { metadata: { name: 'web', namespace: 'default' }, subsets: [{ addresses: [{ ip: '127.0.0.2' }], ports: [{ port: 8080 }] }] }],
    ['leases', { metadata: { name: 'kube-scheduler', namespace: 'kube-system' }, spec: { holderIdentity: 'a', leaseDurationSeconds: 15 } }],
    ['ev', { metadata: { name: 'web.17a', namespace: 'default' }, involvedObject: { kind: 'Pod', name: 'web', namespace: 'default' }, type: 'Normal' }],
    ['bindings', { metadata: { name: 'p', namespace: 'default' }, target: { kind: 'Node', name: 'node-1' } }],
  ];
  for (const [resource, obj] of ok) t.same(fieldsOf(resource, obj), [], resource);
});

t.test('metadata: names per kind, namespace scope, generateName, labels, owners, finalizers', async (t) => {
  t.same(fieldsOf('pods', pod({}, { namespace: 'default' })), ['metadata.name:FieldValueRequired']);
  t.same(fieldsOf('pods', pod({}, { generateName: 'web-', namespace: 'default' })), [], 'generateName may end in a dash');
  t.same(fieldsOf('pods', pod({}, { name: 'Web', namespace: 'default' })), ['metadata.name:FieldValueInvalid']);
  t.same(fieldsOf('pods', pod({}, { name: 'a.b.c', namespace: 'default' })), [], 'pods take subdomain names');
  t.same(fieldsOf('svc', { metadata: { name: 'a.b', namespace: 'default' }, spec: { ports: [{ port: 80 }] } }), ['metadata.name:FieldValueInvalid'], 'services take DNS-1035 labels');
  t.same(fieldsOf('svc', { metadata: { name: '1web', namespace: 'default' }, spec: { ports: [{ port: 80 }] } }), ['metadata.name:FieldValueInvalid'], 'DNS-1035 starts with a letter');
  t.same(fieldsOf('ns', { metadata: { name: 'a.b' } }), ['metadata.name:FieldValueInvalid'], 'namespaces take DNS-1123 labels');
  t.same(fieldsOf('pods', pod({}, { name: 'p' })), ['metadata.namespace:FieldValueRequired']);
  t.same(fieldsOf('no', { metadata: { name: 'n', namespace: 'default' } }), ['metadata.namespace:FieldValueForbidden']);
  t.same(fieldsOf('pods', pod({}, { name: 'p', namespace: 'default', labels: { 'bad key!': 'v', ok: 'bad value!' } })).sort(), [
    'metadata.labels:FieldValueInvalid',
    'metadata.labels:FieldValueInvalid',
  ]);
  const owners = [
    { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'a', uid: '1', controller: true },
    { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'b', uid: '2', controller: true },
    { apiVersion: '', kind: 'X', name: 'c', uid: '3' },
  ];
  t.same(fieldsOf('pods', pod({}, { name: 'p', namespace: 'default', ownerReferences: owners })), [
    // Upstream's paths name the list, not the entry; the second controller is reported where found.
    'metadata.ownerReferences:FieldValueInvalid',
    'metadata.ownerReferences.apiVersion:FieldValueInvalid',
  ]);
  t.same(fieldsOf('pods', pod({}, { name: 'p', namespace: 'default', finalizers: ['orphan', 'foregroundDeletion', 'orphan'] })), [
    'metadata.finalizers[2]:FieldValueDuplicate',
    'metadata.finalizers:FieldValueInvalid',
  ]);
  t.same(fieldsOf('pods', pod({}, { name: 'x'.repeat(254), namespace: 'default' })), ['metadata.name:FieldValueInvalid'], '253 characters at most');
});

t.test('pod spec rules', async (t) => {
  t.same(fieldsOf('pods', { metadata: { name: 'p', namespace: 'd' }, spec: { containers: [] } }), ['spec.containers:FieldValueRequired']);
  t.same(fieldsOf('pods', { metadata: { name: 'p', namespace: 'd' } }), ['spec.containers:FieldValueRequired']);
  t.same(fieldsOf('pods', pod({ containers: [{ name: 'a', image: 'x' }, { name: 'a', image: 'x' }] })), ['spec.containers[1].name:FieldValueDuplicate']);
  t.same(fieldsOf('pods', pod({ containers: [{ name: 'a' }] })), ['spec.containers[0].image:FieldValueRequired']);
  t.same(fieldsOf('pods', pod({ restartPolicy: 'Sometimes' })), ['spec.restartPolicy:FieldValueNotSupported']);
  t.same(fieldsOf('pods', pod({ containers: [{ name: 'a', image: 'x', ports: [{ containerPort: 0 }, { containerPort: 70000 }, { containerPort: 80, protocol: 'ICMP' }] }] })), [
    'spec.containers[0].ports[0].containerPort:FieldValueInvalid',
    'spec.containers[0].ports[1].containerPort:FieldValueInvalid',
    'spec.containers[0].ports[2].protocol:FieldValueNotSupported',
  ]);
  t.same(fieldsOf('pods', pod({ containers: [{ name: 'a', image: 'x', env: [{ name: '1BAD=' }, { name: 'OK', valueFrom: {} }] }] })), [
    'spec.containers[0].env[0].name:FieldValueInvalid',
    'spec.containers[0].env[1].valueFrom:FieldValueInvalid',
  ]);
  t.same(fieldsOf('pods', pod({ containers: [{ name: 'a', image: 'x', resources: { limits: { cpu: '100m' }, requests: { cpu: '200m', memory: 'lots' } } }] })), [
    'spec.containers[0].resources.requests[cpu]:FieldValueInvalid',
    'spec.containers[0].resources.requests[memory]:FieldValueInvalid',
  ]);
  t.same(fieldsOf('pods', pod({ containers: [{ name: 'a', image: 'x', livenessProbe: { periodSeconds: 5 } }] })), ['spec.containers[0].livenessProbe:FieldValueRequired']);
  t.same(fieldsOf('pods', pod({ containers: [{ name: 'a', image: 'x', livenessProbe: { exec: { command: ['true'] }, tcpSocket: { port: 80 } } }] })), ['spec.containers[0].livenessProbe.tcpSocket:FieldValueForbidden']);
  t.same(fieldsOf('pods', pod({ containers: [{ name: 'a', image: 'x', livenessProbe: { exec: { command: ['true'] }, successThreshold: 2 } }] })), ['spec.containers[0].livenessProbe.successThreshold:FieldValueInvalid']);
  t.same(fieldsOf('pods', pod({ containers: [{ name: 'a', image: 'x', volumeMounts: [{ name: 'data', mountPath: '/d' }] }] })), ['spec.containers[0].volumeMounts[0].name:FieldValueNotFound']);
  t.same(fieldsOf('pods', pod({ volumes: [{ name: 'data' }] })), ['spec.volumes[0]:FieldValueRequired']);
  t.same(fieldsOf('pods', pod({ tolerations: [{ key: 'k', operator: 'Maybe' }, { operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 10 }] })), ['spec.tolerations[0].operator:FieldValueNotSupported']);
  t.same(fieldsOf('pods', pod({ terminationGracePeriodSeconds: -1 })), ['spec.terminationGracePeriodSeconds:FieldValueInvalid']);
});

t.test('service rules', async (t) => {
  const svc = (spec: object) => ({ metadata: { name: 'web', namespace: 'default' }, spec });
  t.same(fieldsOf('svc', svc({})), ['spec.ports:FieldValueRequired']);
  t.same(fieldsOf('svc', svc({ clusterIP: 'None' })), [], 'a headless service may have no ports');
  t.same(fieldsOf('svc', svc({ type: 'Magic', ports: [{ port: 80 }] })), ['spec.type:FieldValueNotSupported']);
  t.same(fieldsOf('svc', svc({ ports: [{ port: 80 }, { port: 81 }] })), ['spec.ports[0].name:FieldValueRequired', 'spec.ports[1].name:FieldValueRequired']);
  t.same(fieldsOf('svc', svc({ ports: [{ name: 'a', port: 80 }, { name: 'a', port: 80 }] })), ['spec.ports[1].name:FieldValueDuplicate', 'spec.ports[1]:FieldValueDuplicate']);
  t.same(fieldsOf('svc', svc({ ports: [{ port: 80, nodePort: 30080 }] })), ['spec.ports[0].nodePort:FieldValueForbidden']);
  t.same(fieldsOf('svc', svc({ type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] })), []);
  t.same(fieldsOf('svc', svc({ clusterIP: '10.0.0.300', ports: [{ port: 80 }] })), ['spec.clusterIP:FieldValueInvalid']);
  t.same(fieldsOf('svc', svc({ type: 'ExternalName' })), ['spec.externalName:FieldValueRequired']);
});

t.test('deployment and replicaset rules', async (t) => {
  t.same(fieldsOf('deploy', deployment({ selector: { matchLabels: { app: 'other' } } })), ['spec.template.metadata.labels:FieldValueInvalid']);
  t.same(fieldsOf('deploy', deployment({ selector: {} })), ['spec.selector:FieldValueInvalid']);
  t.same(fieldsOf('deploy', deployment({ replicas: -1 })), ['spec.replicas:FieldValueInvalid']);
  const d = deployment();
  d.spec.template.spec = { containers: [{ name: 'web', image: 'x' }], restartPolicy: 'Never' } as any;
  t.same(fieldsOf('deploy', d), ['spec.template.spec.restartPolicy:FieldValueNotSupported']);
  t.same(fieldsOf('deploy', deployment({ strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: '0%' } } })), [
    'spec.strategy.rollingUpdate.maxUnavailable:FieldValueInvalid',
  ]);
  t.same(fieldsOf('deploy', deployment({ strategy: { rollingUpdate: { maxSurge: '150%' } } })), ['spec.strategy.rollingUpdate.maxSurge:FieldValueInvalid']);
  t.same(fieldsOf('deploy', deployment({ strategy: { type: 'Recreate', rollingUpdate: {} } })), ['spec.strategy.rollingUpdate:FieldValueForbidden']);
  t.same(fieldsOf('deploy', deployment({ progressDeadlineSeconds: 5, minReadySeconds: 10 })), ['spec.progressDeadlineSeconds:FieldValueInvalid']);
  t.same(fieldsOf('rs', deployment({ selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'api'] }] } })), []);
  t.same(fieldsOf('rs', deployment({ selector: { matchExpressions: [{ key: 'app', operator: 'In' }] } })).length, 1, 'In needs values');
});

t.test('configmap and secret rules', async (t) => {
  t.same(fieldsOf('cm', { metadata: { name: 'c', namespace: 'd' }, data: { 'bad/key': 'v', ok: 'v' }, binaryData: { ok: 'AAAA' } }), [
    'data[bad/key]:FieldValueInvalid',
    'binaryData[ok]:FieldValueInvalid',
  ]);
  t.same(fieldsOf('secrets', { metadata: { name: 's', namespace: 'd' }, data: { a: 'not base64!' } }), ['data[a]:FieldValueInvalid']);
  t.same(fieldsOf('secrets', { metadata: { name: 's', namespace: 'd' }, type: 'kubernetes.io/tls', data: { 'tls.crt': 'AAAA' } }), ['data[tls.key]:FieldValueRequired']);
  t.same(fieldsOf('cm', { metadata: { name: 'c', namespace: 'd' }, data: { big: 'x'.repeat(1024 * 1024 + 1) } }), [':FieldValueTooLong']);
});

t.test('assertValidObject throws 422 Invalid naming every cause', async (t) => {
  const obj = pod({ restartPolicy: 'Sometimes' }, { name: 'Bad', namespace: 'default' });
  info('pods').applyDefaults(obj);
  const err = t.throws(() => assertValidObject(info('pods'), obj)) as unknown as ApiError;
  t.ok(err instanceof ApiError);
  t.equal(err.code, 422);
  t.equal(err.status.reason, 'Invalid');
  t.equal(err.status.details?.kind, 'Pod');
  t.equal(err.status.details?.name, 'Bad');
  t.match(err.message, /^Pod "Bad" is invalid: \[metadata.name: Invalid value: "Bad": .*spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"\]$/);
  t.same(err.status.details?.causes?.map((c) => c.field), ['metadata.name', 'spec.restartPolicy']);
});

t.test('decodeObject: 400 for wrong shape, apiVersion, kind or JSON types', async (t) => {
  const deploy = info('deploy');
  const bad = (body: unknown, re: RegExp) => {
    const e = t.throws(() => decodeObject(deploy, body)) as unknown as ApiError;
    t.ok(e instanceof ApiError, 'an ApiError');
    t.equal(e.code, 400);
    t.match(e.message, re);
  };
  bad([], /must be a JSON object/);
  bad(null, /must be a JSON object/);
  bad('x', /must be a JSON object/);
  bad({ apiVersion: 'v1', kind: 'Deployment' }, /API version in the data \(v1\) does not match the expected API version \(apps\/v1\)/);
  bad({ apiVersion: 'apps/v1', kind: 'Pod' }, /kind in the data \(Pod\) does not match/);
  bad({ spec: { replicas: 'three' } }, /Deployment in version "v1" cannot be handled as a Deployment: spec.replicas: expected integer, got string "three"/);
  bad({ spec: { template: { spec: { containers: [{ name: 'a', ports: [{ containerPort: '80' }] }] } } } }, /spec.template.spec.containers\[0\].ports\[0\].containerPort: expected integer/);
  bad({ metadata: { labels: { a: 1 } } }, /metadata.labels.a: expected string, got number 1/);
  bad({ spec: { strategy: { rollingUpdate: { maxSurge: true } } } }, /spec.strategy.rollingUpdate.maxSurge: expected integer or string, got boolean true/);
  const ok = decodeObject<any>(deploy, { metadata: { name: 'x' }, spec: { strategy: { rollingUpdate: { maxSurge: 1, maxUnavailable: '10%' } } } });
  t.equal(ok.apiVersion, 'apps/v1', 'apiVersion filled in');
  t.equal(ok.kind, 'Deployment', 'kind filled in');
  // null is "unset", as Go decodes it: fields drop out at any depth, list items stay.
  const nulls = decodeObject<any>(deploy, {
    metadata: { name: 'x', creationTimestamp: null, labels: null },
    spec: { replicas: null, template: { metadata: { creationTimestamp: null }, spec: { containers: [{ name: 'a', ports: [{ containerPort: 80, hostPort: null }], resources: {} }] } } },
  });
  t.same(nulls.metadata, { name: 'x' });
  t.same(nulls.spec, { template: { metadata: {}, spec: { containers: [{ name: 'a', ports: [{ containerPort: 80 }], resources: {} }] } } });
  bad({ spec: { template: { spec: { containers: [null] } } } }, /containers\[0\]: expected object, got null/);
});

t.test('empty optional maps and lists are dropped, as upstream omitempty does; empty structs and required lists stay', async (t) => {
  const p = info('pods');
  const body: any = {
    metadata: { name: 'p', labels: {}, annotations: {}, finalizers: [], managedFields: [] },
    spec: {
      containers: [{ name: 'app', image: 'x', ports: [], env: [], securityContext: {}, resources: { limits: {} } }],
      volumes: [{ name: 'scratch', emptyDir: {} }],
      nodeSelector: {},
      tolerations: [],
      securityContext: {},
    },
  };
  dropEmptyOptionalFields(p.schema, body);
  t.same(body, {
    metadata: { name: 'p', managedFields: [] },
    spec: {
      containers: [{ name: 'app', image: 'x', securityContext: {}, resources: {} }],
      volumes: [{ name: 'scratch', emptyDir: {} }],
      securityContext: {},
    },
  });

  const cm: any = { metadata: { name: 'c', labels: { a: '' } }, data: {}, binaryData: {} };
  dropEmptyOptionalFields(info('cm').schema, cm);
  t.same(cm, { metadata: { name: 'c', labels: { a: '' } } }, 'a map with an empty value is not empty');

  const required: any = { metadata: { name: 'p', namespace: 'default' }, spec: { containers: [] } };
  dropEmptyOptionalFields(p.schema, required);
  t.same(required.spec, { containers: [] }, 'a required list keeps its [] for validation to refuse');
  t.match(fieldsOf('pods', required), ['spec.containers:FieldValueRequired']);

  const unknown: any = { metadata: { name: 'p', unknownMap: {} }, spec: { containers: [{ name: 'a', image: 'x' }], futureList: [] } };
  dropEmptyOptionalFields(p.schema, unknown);
  t.same(unknown.metadata.unknownMap, {}, 'fields the schema does not know are left alone');
  t.same(unknown.spec.futureList, []);
});

t.test('the pod spec fields kubets stores but does not run: accepted as upstream accepts them, refused as it refuses them', async (t) => {
  const container = { name: 'app', image: 'node:20' };
  const rich: any = pod({
    automountServiceAccountToken: false,
    imagePullSecrets: [{ name: 'regcred' }],
    hostAliases: [{ ip: '127.0.0.1', hostnames: ['foo.local'] }],
    dnsPolicy: 'None',
    dnsConfig: { nameservers: ['1.1.1.1'], searches: ['svc.cluster.local.'], options: [{ name: 'ndots', value: '2' }] },
    shareProcessNamespace: true,
    topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', minDomains: 2, labelSelector: { matchLabels: { app: 'x' } } }],
    readinessGates: [{ conditionType: 'example.com/ready' }],
    schedulingGates: [{ name: 'example.com/gate' }],
    os: { name: 'linux' },
    preemptionPolicy: 'Never',
    initContainers: [{ name: 'sidecar', image: 'busybox', restartPolicy: 'Always' }],
    containers: [{ ...container, resizePolicy: [{ resourceName: 'cpu', restartPolicy: 'NotRequired' }], volumeDevices: [{ name: 'data', devicePath: '/dev/xvda' }], volumeMounts: [{ name: 'proj', mountPath: '/p', mountPropagation: 'None' }] }],
    volumes: [
      { name: 'data', persistentVolumeClaim: { claimName: 'pvc' } },
      { name: 'proj', projected: { sources: [{ configMap: { name: 'c' } }, { serviceAccountToken: { path: 'token' } }, { downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } }] } },
      { name: 'dapi', downwardAPI: { items: [{ path: 'name', fieldRef: { fieldPath: 'metadata.name' } }] } },
      { name: 'share', nfs: { server: 'nfs.local', path: '/exports' } },
      { name: 'csi', csi: { driver: 'example.csi.k8s.io' } },
    ],
  });
  t.same(fieldsOf('pods', rich), []);
  t.equal(rich.spec.volumes[1].projected.defaultMode, 0o644, 'defaulted as upstream');
  t.equal(rich.spec.volumes[1].projected.sources[1].serviceAccountToken.expirationSeconds, 3600);
  t.equal(rich.spec.volumes[2].downwardAPI.items[0].fieldRef.apiVersion, 'v1');

  const cases: [string, object, string[]][] = [
    ['a sidecar policy other than Always', { initContainers: [{ name: 'i', image: 'x', restartPolicy: 'OnFailure' }] }, ['spec.initContainers[0].restartPolicy:FieldValueNotSupported']],
    ['a restart policy on a regular container', { containers: [{ ...container, restartPolicy: 'Always' }] }, ['spec.containers[0].restartPolicy:FieldValueForbidden']],
    ['a resize policy for a resource that cannot resize', { containers: [{ ...container, resizePolicy: [{ resourceName: 'gpu', restartPolicy: 'Sometimes' }] }] }, ['spec.containers[0].resizePolicy[0].resourceName:FieldValueNotSupported', 'spec.containers[0].resizePolicy[0].restartPolicy:FieldValueNotSupported']],
    ['dnsPolicy None without dnsConfig', { dnsPolicy: 'None' }, ['spec.dnsConfig:FieldValueRequired']],
    ['four nameservers, one not an IP', { dnsConfig: { nameservers: ['1.1.1.1', '8.8.8.8', '9.9.9.9', 'dns.local'] } }, ['spec.dnsConfig.nameservers:FieldValueInvalid', 'spec.dnsConfig.nameservers[3]:FieldValueInvalid']],
    ['a host alias with a bad IP', { hostAliases: [{ ip: '999.1.1.1' }] }, ['spec.hostAliases[0].ip:FieldValueInvalid']],
    ['a spread constraint with no skew, key or valid action', { topologySpreadConstraints: [{ maxSkew: 0, topologyKey: '', whenUnsatisfiable: 'Maybe' }] }, ['spec.topologySpreadConstraints[0].maxSkew:FieldValueInvalid', 'spec.topologySpreadConstraints[0].topologyKey:FieldValueRequired', 'spec.topologySpreadConstraints[0].whenUnsatisfiable:FieldValueNotSupported']],
    ['minDomains with ScheduleAnyway, and a duplicate constraint', { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'ScheduleAnyway', minDomains: 2 }, { maxSkew: 2, topologyKey: 'zone', whenUnsatisfiable: 'ScheduleAnyway' }] }, ['spec.topologySpreadConstraints[0].minDomains:FieldValueInvalid', 'spec.topologySpreadConstraints[1]:FieldValueDuplicate']],
    ['an unknown OS and preemption policy', { os: { name: 'plan9' }, preemptionPolicy: 'Always' }, ['spec.os.name:FieldValueNotSupported', 'spec.preemptionPolicy:FieldValueNotSupported']],
    ['duplicate scheduling gates', { schedulingGates: [{ name: 'a' }, { name: 'a' }] }, ['spec.schedulingGates[1].name:FieldValueDuplicate']],
    ['a claim with no name', { volumes: [{ name: 'v', persistentVolumeClaim: { claimName: '' } }] }, ['spec.volumes[0].persistentVolumeClaim.claimName:FieldValueRequired']],
    ['an NFS path that is relative', { volumes: [{ name: 'v', nfs: { server: 'n', path: 'exports' } }] }, ['spec.volumes[0].nfs.path:FieldValueInvalid']],
    ['a projected source of two kinds, and a short-lived token', { volumes: [{ name: 'v', projected: { sources: [{ configMap: { name: 'c' }, secret: { name: 's' } }, { serviceAccountToken: { path: 't', expirationSeconds: 60 } }] } }] }, ['spec.volumes[0].projected.sources[0].configMap:FieldValueForbidden', 'spec.volumes[0].projected.sources[1].serviceAccountToken.expirationSeconds:FieldValueInvalid']],
    ['a downward API file that climbs out', { volumes: [{ name: 'v', downwardAPI: { items: [{ path: '../etc', fieldRef: { fieldPath: 'metadata.name' } }] } }] }, ['spec.volumes[0].downwardAPI.items[0].path:FieldValueInvalid']],
    ['two volume types in one volume', { volumes: [{ name: 'v', emptyDir: {}, persistentVolumeClaim: { claimName: 'c' } }] }, ['spec.volumes[0].persistentVolumeClaim:FieldValueForbidden']],
    ['a block device of no volume', { containers: [{ ...container, volumeDevices: [{ name: 'nope', devicePath: '/dev/x' }] }] }, ['spec.containers[0].volumeDevices[0].name:FieldValueNotFound']],
  ];
  for (const [what, spec, expected] of cases) t.same(fieldsOf('pods', pod(spec)), expected, what);
});

t.test('Service session affinity config: defaulted for ClientIP, bounded, and refused without it', async (t) => {
  const svc = (spec: object) => ({ metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }], ...spec } });
  const sticky: any = svc({ sessionAffinity: 'ClientIP' });
  t.same(fieldsOf('svc', sticky), []);
  t.same(sticky.spec.sessionAffinityConfig, { clientIP: { timeoutSeconds: 10800 } }, 'three hours by default');
  t.same(fieldsOf('svc', svc({ sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 90_000 } } })), ['spec.sessionAffinityConfig.clientIP.timeoutSeconds:FieldValueInvalid']);
  t.same(fieldsOf('svc', svc({ sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } } })), ['spec.sessionAffinityConfig:FieldValueForbidden']);
});
