// Kubernetes protobuf request bodies (src/protobuf): bodies captured from the real kubectl 1.32,
// and objects encoded here with our message definitions, decode to the JSON the JSON path gets;
// anything malformed is a ProtobufDecodeError (a 400 through decodeBody), never a crash.

import t from 'tap';
import protobuf from 'protobufjs';
import { decodeKubernetesProtobuf, ProtobufDecodeError } from '../src/protobuf/decode.js';
import { messageFor, protoRoot, unknownType } from '../src/protobuf/schema.js';
import { decodeBody, decodeOptionalBody } from '../src/http/body.js';
import { allResources, apiVersionOf, DeleteOptions, Scale } from '@kubets/api';

const PB = 'application/vnd.kubernetes.protobuf';
const magic = Buffer.from('k8s\0', 'latin1');

function wrap(apiVersion: string, kind: string, raw: Uint8Array, extra: Record<string, unknown> = {}): Buffer {
  const env = unknownType.encode(unknownType.fromObject({ typeMeta: { apiVersion, kind }, raw, ...extra })).finish();
  return Buffer.concat([magic, env]);
}

function encode(typeName: string, apiVersion: string, kind: string, obj: Record<string, unknown>): Buffer {
  const type = protoRoot.lookupType(typeName);
  return wrap(apiVersion, kind, type.encode(type.fromObject(obj)).finish());
}

const meta = (name: string, more: Record<string, unknown> = {}) => ({ name, generateName: '', namespace: '', selfLink: '', uid: '', resourceVersion: '', generation: 0, creationTimestamp: {}, ...more });
const int = (n: number) => ({ type: 0, intVal: n, strVal: '' });
const str = (s: string) => ({ type: 1, intVal: 0, strVal: s });
const qty = (s: string) => ({ string: s });
const time = (iso: string, nanos = 0) => ({ seconds: Date.parse(iso) / 1000, nanos });

t.test('bodies captured from kubectl 1.32 decode as kubectl would have sent them in JSON', async (t) => {
  const cases: [string, string, unknown][] = [
    [
      'create configmap c1 --from-literal=a=b --from-literal=empty=',
      '6b3873000a0f0a0276311209436f6e6669674d617012270a120a02633112001a0022002a0032003800420012060a016112016212090a05656d70747912001a002200',
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c1' }, data: { a: 'b', empty: '' } },
    ],
    [
      'create secret generic s2 --from-literal=k=v --type=Opaque',
      '6b3873000a0c0a027631120653656372657412240a120a02733212001a0022002a0032003800420012060a016b1201761a064f70617175651a002200',
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's2' }, data: { k: Buffer.from('v').toString('base64') }, type: 'Opaque' },
    ],
    [
      'create namespace ns1',
      '6b3873000a0f0a02763112094e616d657370616365121b0a130a036e733112001a0022002a0032003800420012001a020a001a002200',
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns1' }, spec: {}, status: {} },
    ],
    [
      'create deployment web2 --image=nginx:1 --replicas=2 --port=80',
      '6b3873000a150a07617070732f7631120a4465706c6f796d656e7412be010a210a047765623212001a0022002a003200380042005a0b0a03617070120477656232128a010802120d0a0b0a036170701204776562321a6f0a1d0a0012001a0022002a003200380042005a0b0a03617070120477656232124e12300a056e67696e7812076e67696e783a312a00320a0a001000185022002a0042006a007200800100880100900100a201001a00320042004a0052005800600068008201008a01009a0100c2010022020a00280038001a0c0800100018002000280038001a002200',
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web2', labels: { app: 'web2' } },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: 'web2' } },
          template: {
            metadata: { labels: { app: 'web2' } },
            spec: { containers: [{ name: 'nginx', image: 'nginx:1', ports: [{ containerPort: 80 }], resources: {} }] },
          },
          strategy: {},
        },
        status: {},
      },
    ],
    [
      'create service clusterip svc1 --tcp=80:8080',
      '6b3873000a0d0a027631120753657276696365126c0a210a047376633112001a0022002a003200380042005a0b0a0361707012047376633112430a1b0a0738302d38303830120354435018502207080010903f1a002800120b0a036170701204737663311a002209436c757374657249503a00420052005a00600068001a020a001a002200',
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'svc1', labels: { app: 'svc1' } },
        spec: { ports: [{ name: '80-8080', protocol: 'TCP', port: 80, targetPort: 8080 }], selector: { app: 'svc1' }, type: 'ClusterIP' },
        status: { loadBalancer: {} },
      },
    ],
    [
      'create service nodeport np1 --tcp=8080:http',
      '6b3873000a0d0a027631120753657276696365126e0a1f0a036e703112001a0022002a003200380042005a0a0a0361707012036e703112470a210a09383038302d68747470120354435018903f220a080110001a04687474702800120a0a0361707012036e70311a0022084e6f6465506f72743a00420052005a00600068001a020a001a002200',
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'np1', labels: { app: 'np1' } },
        spec: { ports: [{ name: '8080-http', protocol: 'TCP', port: 8080, targetPort: 'http' }], selector: { app: 'np1' }, type: 'NodePort' },
        status: { loadBalancer: {} },
      },
    ],
  ];
  for (const [command, hex, want] of cases) t.strictSame(decodeKubernetesProtobuf(Buffer.from(hex, 'hex')), want, command);
});

t.test('a full Pod: containers, ports, env, resources, probes, volumes, scheduling, status', async (t) => {
  const container = {
    name: 'web',
    image: 'node:20',
    command: ['node'],
    args: ['server.js', ''],
    workingDir: '',
    ports: [
      { name: 'http', hostPort: 0, containerPort: 8080, protocol: 'TCP', hostIP: '' },
      { name: '', hostPort: 9090, containerPort: 9090, protocol: 'UDP', hostIP: '' },
    ],
    envFrom: [{ prefix: 'CFG_', configMapRef: { localObjectReference: { name: 'cfg' }, optional: true } }, { prefix: '', secretRef: { localObjectReference: { name: 'sec' } } }],
    env: [
      { name: 'PLAIN', value: 'x' },
      { name: 'EMPTY', value: '' },
      { name: 'FROM_CM', value: '', valueFrom: { configMapKeyRef: { localObjectReference: { name: 'cfg' }, key: 'greeting', optional: false } } },
      { name: 'FROM_SECRET', valueFrom: { secretKeyRef: { localObjectReference: { name: 'sec' }, key: 'password' } } },
      { name: 'POD', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
      { name: 'MEM', valueFrom: { resourceFieldRef: { containerName: 'web', resource: 'limits.memory', divisor: qty('1Mi') } } },
    ],
    resources: { limits: { cpu: qty('500m'), memory: qty('128Mi') }, requests: { cpu: qty('100m') } },
    volumeMounts: [{ name: 'data', readOnly: true, mountPath: '/data', subPath: '' }],
    livenessProbe: { handler: { httpGet: { path: '/healthz', port: int(8080), host: '', scheme: 'HTTP', httpHeaders: [{ name: 'X-Probe', value: '' }] } }, initialDelaySeconds: 0, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 },
    readinessProbe: { handler: { tcpSocket: { port: str('http'), host: '' } }, periodSeconds: 5, terminationGracePeriodSeconds: 0 },
    startupProbe: { handler: { exec: { command: ['cat', '/tmp/ready'] } }, failureThreshold: 30 },
    lifecycle: { preStop: { sleep: { seconds: 5 } }, postStart: { exec: { command: ['true'] } } },
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    imagePullPolicy: 'IfNotPresent',
    securityContext: { capabilities: { drop: ['ALL'] }, runAsUser: 0, runAsNonRoot: false, allowPrivilegeEscalation: false, seccompProfile: { type: 'RuntimeDefault' } },
    stdin: false,
    stdinOnce: false,
    tty: false,
  };
  const body = encode('k8s.io.api.core.v1.Pod', 'v1', 'Pod', {
    metadata: meta('web-0', {
      namespace: 'default',
      labels: { app: 'web' },
      annotations: { note: '' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-abc', uid: 'u-1', controller: true, blockOwnerDeletion: false }],
      finalizers: ['example.com/keep'],
      deletionGracePeriodSeconds: 0,
    }),
    spec: {
      volumes: [
        { name: 'data', volumeSource: { emptyDir: { medium: '', sizeLimit: qty('1Gi') } } },
        { name: 'cfg', volumeSource: { configMap: { localObjectReference: { name: 'cfg' }, items: [{ key: 'a', path: 'a.txt', mode: 0o600 }], defaultMode: 420 } } },
        { name: 'sec', volumeSource: { secret: { secretName: 'sec', optional: false } } },
        { name: 'host', volumeSource: { hostPath: { path: '/var/log', type: '' } } },
      ],
      initContainers: [{ name: 'init', image: 'busybox', command: ['true'], resources: {} }],
      containers: [container],
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      activeDeadlineSeconds: 600,
      dnsPolicy: 'ClusterFirst',
      nodeSelector: { disk: 'ssd' },
      serviceAccountName: 'default',
      nodeName: '',
      hostNetwork: false,
      securityContext: { runAsUser: 1000, fsGroup: 2000, supplementalGroups: [1, 2], sysctls: [{ name: 'net.ipv4.ip_forward', value: '1' }] },
      hostname: '',
      subdomain: '',
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }] }] },
          preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, preference: { matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['n1'] }] } }],
        },
        podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname' } }] },
      },
      schedulerName: 'default-scheduler',
      tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', value: '', effect: 'NoExecute', tolerationSeconds: 300 }],
      priorityClassName: '',
      priority: 0,
      enableServiceLinks: true,
    },
    status: {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'False', lastProbeTime: {}, lastTransitionTime: time('2024-05-06T07:08:09Z'), reason: '', message: '' }],
      hostIP: '10.0.0.1',
      hostIPs: [{ ip: '10.0.0.1' }],
      podIP: '10.244.0.5',
      podIPs: [{ ip: '10.244.0.5' }],
      startTime: time('2024-05-06T07:08:00Z', 999_999_999),
      containerStatuses: [
        {
          name: 'web',
          state: { running: { startedAt: time('2024-05-06T07:08:05Z') } },
          lastState: { terminated: { exitCode: 0, signal: 0, reason: 'Completed', message: '', startedAt: time('2024-05-06T07:00:00Z'), finishedAt: time('2024-05-06T07:08:04Z'), containerID: 'kubets://1' } },
          ready: false,
          restartCount: 0,
          image: 'node:20',
          imageID: '',
          containerID: 'kubets://2',
          started: true,
        },
      ],
      qosClass: 'Burstable',
    },
  });
  t.strictSame(decodeKubernetesProtobuf(body), {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'web-0',
      namespace: 'default',
      deletionGracePeriodSeconds: 0,
      labels: { app: 'web' },
      annotations: { note: '' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-abc', uid: 'u-1', controller: true, blockOwnerDeletion: false }],
      finalizers: ['example.com/keep'],
    },
    spec: {
      volumes: [
        { name: 'data', emptyDir: { sizeLimit: '1Gi' } },
        { name: 'cfg', configMap: { name: 'cfg', items: [{ key: 'a', path: 'a.txt', mode: 0o600 }], defaultMode: 420 } },
        { name: 'sec', secret: { secretName: 'sec', optional: false } },
        { name: 'host', hostPath: { path: '/var/log', type: '' } },
      ],
      initContainers: [{ name: 'init', image: 'busybox', command: ['true'], resources: {} }],
      containers: [
        {
          name: 'web',
          image: 'node:20',
          command: ['node'],
          args: ['server.js', ''],
          ports: [
            { name: 'http', containerPort: 8080, protocol: 'TCP' },
            { hostPort: 9090, containerPort: 9090, protocol: 'UDP' },
          ],
          envFrom: [{ prefix: 'CFG_', configMapRef: { name: 'cfg', optional: true } }, { secretRef: { name: 'sec' } }],
          env: [
            { name: 'PLAIN', value: 'x' },
            { name: 'EMPTY' },
            { name: 'FROM_CM', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'greeting', optional: false } } },
            { name: 'FROM_SECRET', valueFrom: { secretKeyRef: { name: 'sec', key: 'password' } } },
            { name: 'POD', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
            { name: 'MEM', valueFrom: { resourceFieldRef: { containerName: 'web', resource: 'limits.memory', divisor: '1Mi' } } },
          ],
          resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '100m' } },
          volumeMounts: [{ name: 'data', readOnly: true, mountPath: '/data' }],
          livenessProbe: { httpGet: { path: '/healthz', port: 8080, scheme: 'HTTP', httpHeaders: [{ name: 'X-Probe', value: '' }] }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 },
          readinessProbe: { tcpSocket: { port: 'http' }, periodSeconds: 5, terminationGracePeriodSeconds: 0 },
          startupProbe: { exec: { command: ['cat', '/tmp/ready'] }, failureThreshold: 30 },
          lifecycle: { preStop: { sleep: { seconds: 5 } }, postStart: { exec: { command: ['true'] } } },
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
          imagePullPolicy: 'IfNotPresent',
          securityContext: { capabilities: { drop: ['ALL'] }, runAsUser: 0, runAsNonRoot: false, allowPrivilegeEscalation: false, seccompProfile: { type: 'RuntimeDefault' } },
        },
      ],
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      activeDeadlineSeconds: 600,
      dnsPolicy: 'ClusterFirst',
      nodeSelector: { disk: 'ssd' },
      serviceAccountName: 'default',
      securityContext: { runAsUser: 1000, fsGroup: 2000, supplementalGroups: [1, 2], sysctls: [{ name: 'net.ipv4.ip_forward', value: '1' }] },
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }] }] },
          preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, preference: { matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['n1'] }] } }],
        },
        podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname' } }] },
      },
      schedulerName: 'default-scheduler',
      tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
      priority: 0,
      enableServiceLinks: true,
    },
    status: {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: '2024-05-06T07:08:09Z' }],
      hostIP: '10.0.0.1',
      hostIPs: [{ ip: '10.0.0.1' }],
      podIP: '10.244.0.5',
      podIPs: [{ ip: '10.244.0.5' }],
      startTime: '2024-05-06T07:08:00Z',
      containerStatuses: [
        {
          name: 'web',
          state: { running: { startedAt: '2024-05-06T07:08:05Z' } },
          lastState: { terminated: { exitCode: 0, reason: 'Completed', startedAt: '2024-05-06T07:00:00Z', finishedAt: '2024-05-06T07:08:04Z', containerID: 'kubets://1' } },
          ready: false,
          restartCount: 0,
          image: 'node:20',
          imageID: '',
          containerID: 'kubets://2',
          started: true,
        },
      ],
      qosClass: 'Burstable',
    },
  });
});

t.test('a Deployment: int-or-string rolling update, pointer zeros kept, conditions', async (t) => {
  const body = encode('k8s.io.api.apps.v1.Deployment', 'apps/v1', 'Deployment', {
    metadata: meta('web', { namespace: 'prod', generation: 3, resourceVersion: '42', uid: 'd-1', creationTimestamp: time('2024-01-02T03:04:05Z') }),
    spec: {
      replicas: 0,
      selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'Exists', values: [] }] },
      template: { metadata: meta('', { labels: { app: 'web' } }), spec: { containers: [{ name: 'web', image: 'nginx', resources: {} }] } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: int(0), maxSurge: str('25%') } },
      minReadySeconds: 0,
      revisionHistoryLimit: 0,
      paused: false,
      progressDeadlineSeconds: 600,
    },
    status: {
      observedGeneration: 3,
      replicas: 2,
      updatedReplicas: 0,
      conditions: [{ type: 'Available', status: 'True', lastUpdateTime: time('2024-01-02T03:04:06Z'), lastTransitionTime: time('2024-01-02T03:04:06Z'), reason: 'MinimumReplicasAvailable', message: '' }],
      collisionCount: 0,
    },
  });
  t.strictSame(decodeKubernetesProtobuf(body), {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'prod', uid: 'd-1', resourceVersion: '42', generation: 3, creationTimestamp: '2024-01-02T03:04:05Z' },
    spec: {
      replicas: 0,
      selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'Exists' }] },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx', resources: {} }] } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' } },
      revisionHistoryLimit: 0,
      progressDeadlineSeconds: 600,
    },
    status: {
      observedGeneration: 3,
      replicas: 2,
      conditions: [{ type: 'Available', status: 'True', lastUpdateTime: '2024-01-02T03:04:06Z', lastTransitionTime: '2024-01-02T03:04:06Z', reason: 'MinimumReplicasAvailable' }],
      collisionCount: 0,
    },
  });
});

t.test('a Service: targetPort as a number, a name, or unset', async (t) => {
  const body = encode('k8s.io.api.core.v1.Service', 'v1', 'Service', {
    metadata: meta('web'),
    spec: {
      ports: [
        { name: 'http', protocol: 'TCP', port: 80, targetPort: int(8080), nodePort: 0 },
        { name: 'named', protocol: 'TCP', port: 81, targetPort: str('metrics'), nodePort: 30081 },
        { name: 'same', protocol: 'UDP', port: 53, targetPort: int(0), appProtocol: 'dns' },
      ],
      selector: { app: 'web' },
      clusterIP: '',
      clusterIPs: [],
      type: 'NodePort',
      sessionAffinity: '',
      externalTrafficPolicy: 'Cluster',
      publishNotReadyAddresses: false,
      ipFamilyPolicy: 'SingleStack',
    },
    status: { loadBalancer: { ingress: [{ ip: '1.2.3.4', hostname: '' }] }, conditions: [] },
  });
  t.strictSame(decodeKubernetesProtobuf(body), {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web' },
    spec: {
      ports: [
        { name: 'http', protocol: 'TCP', port: 80, targetPort: 8080 },
        { name: 'named', protocol: 'TCP', port: 81, targetPort: 'metrics', nodePort: 30081 },
        { name: 'same', protocol: 'UDP', appProtocol: 'dns', port: 53 },
      ],
      selector: { app: 'web' },
      type: 'NodePort',
      externalTrafficPolicy: 'Cluster',
      ipFamilyPolicy: 'SingleStack',
    },
    status: { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } },
  });
});

t.test('a Secret and a ConfigMap: bytes become base64, strings stay strings', async (t) => {
  const binary = Buffer.from([0, 1, 2, 0xfe, 0xff]);
  const secret = encode('k8s.io.api.core.v1.Secret', 'v1', 'Secret', {
    metadata: meta('creds'),
    immutable: false,
    data: { password: Buffer.from('hunter2'), blob: binary, empty: Buffer.alloc(0) },
    stringData: { user: 'admin' },
    type: 'Opaque',
  });
  t.strictSame(decodeKubernetesProtobuf(secret), {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'creds' },
    immutable: false,
    data: { password: 'aHVudGVyMg==', blob: binary.toString('base64'), empty: '' },
    stringData: { user: 'admin' },
    type: 'Opaque',
  });
  const cm = encode('k8s.io.api.core.v1.ConfigMap', 'v1', 'ConfigMap', {
    metadata: meta('cfg', { namespace: 'default', labels: {} }),
    data: { 'app.properties': 'a=1\nb=2\n', unicode: 'héllo ✓' },
    binaryData: { 'logo.png': binary },
  });
  t.strictSame(decodeKubernetesProtobuf(cm), {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'cfg', namespace: 'default' },
    data: { 'app.properties': 'a=1\nb=2\n', unicode: 'héllo ✓' },
    binaryData: { 'logo.png': binary.toString('base64') },
  });
});

t.test('the other kinds: Lease (MicroTime), Event, Node, Endpoints, Binding, Scale, ReplicaSet, DeleteOptions', async (t) => {
  const lease = encode('k8s.io.api.coordination.v1.Lease', 'coordination.k8s.io/v1', 'Lease', {
    metadata: meta('kube-scheduler', { namespace: 'kube-system' }),
    spec: { holderIdentity: 'sched-1', leaseDurationSeconds: 15, acquireTime: time('2024-01-01T00:00:00Z', 123_456_789), renewTime: time('2024-01-01T00:00:10Z'), leaseTransitions: 0 },
  });
  t.strictSame(decodeKubernetesProtobuf(lease), {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name: 'kube-scheduler', namespace: 'kube-system' },
    spec: { holderIdentity: 'sched-1', leaseDurationSeconds: 15, acquireTime: '2024-01-01T00:00:00.123456Z', renewTime: '2024-01-01T00:00:10.000000Z', leaseTransitions: 0 },
  });

  const event = encode('k8s.io.api.core.v1.Event', 'v1', 'Event', {
    metadata: meta('web.1'),
    involvedObject: { kind: 'Pod', namespace: 'default', name: 'web', uid: '', apiVersion: 'v1', resourceVersion: '', fieldPath: '' },
    reason: 'Scheduled',
    message: 'assigned',
    source: { component: 'scheduler', host: '' },
    firstTimestamp: {},
    lastTimestamp: {},
    count: 0,
    type: 'Normal',
    eventTime: time('2024-01-01T00:00:00Z', 5_000),
    series: { count: 2, lastObservedTime: time('2024-01-01T00:00:01Z') },
    action: 'Binding',
    reportingComponent: 'default-scheduler',
    reportingInstance: '',
  });
  t.strictSame(decodeKubernetesProtobuf(event), {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'web.1' },
    involvedObject: { kind: 'Pod', namespace: 'default', name: 'web', apiVersion: 'v1' },
    reason: 'Scheduled',
    message: 'assigned',
    source: { component: 'scheduler' },
    type: 'Normal',
    eventTime: '2024-01-01T00:00:00.000005Z',
    series: { count: 2, lastObservedTime: '2024-01-01T00:00:01.000000Z' },
    action: 'Binding',
    reportingComponent: 'default-scheduler',
    reportingInstance: '',
  });

  const node = encode('k8s.io.api.core.v1.Node', 'v1', 'Node', {
    metadata: meta('n1'),
    spec: { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'], unschedulable: true, taints: [{ key: 'k', value: '', effect: 'NoSchedule', timeAdded: {} }] },
    status: {
      capacity: { cpu: qty('4'), pods: qty('110') },
      allocatable: { cpu: qty('3800m') },
      conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: time('2024-01-01T00:00:00Z'), lastTransitionTime: time('2024-01-01T00:00:00Z'), reason: 'KubeletReady', message: '' }],
      addresses: [{ type: 'InternalIP', address: '10.0.0.2' }],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: { machineID: 'm', systemUUID: 's', bootID: 'b', kernelVersion: 'k', osImage: 'o', containerRuntimeVersion: 'kubets://1', kubeletVersion: 'v1.32.0', kubeProxyVersion: '', operatingSystem: 'linux', architecture: 'amd64' },
    },
  });
  t.strictSame(decodeKubernetesProtobuf(node), {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'n1' },
    spec: { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'], unschedulable: true, taints: [{ key: 'k', effect: 'NoSchedule' }] },
    status: {
      capacity: { cpu: '4', pods: '110' },
      allocatable: { cpu: '3800m' },
      conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: '2024-01-01T00:00:00Z', lastTransitionTime: '2024-01-01T00:00:00Z', reason: 'KubeletReady' }],
      addresses: [{ type: 'InternalIP', address: '10.0.0.2' }],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: { machineID: 'm', systemUUID: 's', bootID: 'b', kernelVersion: 'k', osImage: 'o', containerRuntimeVersion: 'kubets://1', kubeletVersion: 'v1.32.0', kubeProxyVersion: '', operatingSystem: 'linux', architecture: 'amd64' },
    },
  });

  const endpoints = encode('k8s.io.api.core.v1.Endpoints', 'v1', 'Endpoints', {
    metadata: meta('web'),
    subsets: [{ addresses: [{ ip: '10.244.0.5', hostname: '', nodeName: 'n1', targetRef: { kind: 'Pod', name: 'web-0', namespace: 'default' } }], notReadyAddresses: [], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }],
  });
  t.strictSame(decodeKubernetesProtobuf(endpoints), {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: 'web' },
    subsets: [{ addresses: [{ ip: '10.244.0.5', nodeName: 'n1', targetRef: { kind: 'Pod', namespace: 'default', name: 'web-0' } }], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }],
  });

  const binding = encode('k8s.io.api.core.v1.Binding', 'v1', 'Binding', { metadata: meta('web-0'), target: { kind: 'Node', name: 'n1', apiVersion: 'v1' } });
  t.strictSame(decodeKubernetesProtobuf(binding), { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'web-0' }, target: { kind: 'Node', name: 'n1', apiVersion: 'v1' } });

  const scale = encode('k8s.io.api.autoscaling.v1.Scale', 'autoscaling/v1', 'Scale', { metadata: meta('web', { namespace: 'default' }), spec: { replicas: 0 }, status: { replicas: 3, selector: '' } });
  t.strictSame(decodeKubernetesProtobuf(scale), { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'web', namespace: 'default' }, spec: { replicas: 0 }, status: { replicas: 3 } });

  const rs = encode('k8s.io.api.apps.v1.ReplicaSet', 'apps/v1', 'ReplicaSet', {
    metadata: meta('web-abc', { managedFields: [{ manager: 'kubectl', operation: 'Update', apiVersion: 'apps/v1', time: time('2024-01-01T00:00:00Z'), fieldsType: 'FieldsV1', fieldsV1: { Raw: Buffer.from('{"f:spec":{"f:replicas":{}}}') }, subresource: '' }] }),
    spec: { replicas: 1, minReadySeconds: 0, selector: { matchLabels: { app: 'web' } }, template: { metadata: meta(''), spec: { containers: [{ name: 'c', image: 'i' }] } } },
    status: { replicas: 0, fullyLabeledReplicas: 0, observedGeneration: 1, conditions: [] },
  });
  t.strictSame(decodeKubernetesProtobuf(rs), {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web-abc', managedFields: [{ manager: 'kubectl', operation: 'Update', apiVersion: 'apps/v1', time: '2024-01-01T00:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:replicas': {} } } }] },
    spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: {}, spec: { containers: [{ name: 'c', image: 'i' }] } } },
    status: { replicas: 0, observedGeneration: 1 },
  });

  // client-go sends DeleteOptions under the version of the group it talks to.
  for (const apiVersion of ['v1', 'apps/v1', 'meta.k8s.io/v1']) {
    const opts = encode('k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions', apiVersion, 'DeleteOptions', { gracePeriodSeconds: 0, preconditions: { uid: 'u-1' }, propagationPolicy: 'Foreground', dryRun: ['All'] });
    t.strictSame(decodeKubernetesProtobuf(opts), { apiVersion, kind: 'DeleteOptions', gracePeriodSeconds: 0, preconditions: { uid: 'u-1' }, propagationPolicy: 'Foreground', dryRun: ['All'] });
  }
});

t.test('every field of every kind we serve has a protobuf field', async (t) => {
  // JSON names of a message's fields, with embedded (inline) messages' fields in place.
  const jsonFields = (type: protobuf.Type): Map<string, protobuf.Field> => {
    const out = new Map<string, protobuf.Field>();
    for (const f of type.fieldsArray) {
      if (f.options?.['(inline)'] === true && f.resolvedType instanceof protobuf.Type) for (const [k, v] of jsonFields(f.resolvedType)) out.set(k, v);
      else out.set(f.name, f);
    }
    return out;
  };
  const missing: string[] = [];
  const walk = (schema: any, type: protobuf.Type, path: string) => {
    const fields = jsonFields(type);
    for (const [name, sub] of Object.entries<any>(schema.properties ?? {})) {
      if (path === '' && (name === 'apiVersion' || name === 'kind')) continue;
      const f = fields.get(name);
      if (f === undefined) {
        missing.push(`${type.name}: ${path}${name}`);
        continue;
      }
      const item = sub.type === 'array' ? sub.items : sub;
      // Objects with declared properties are walked; maps, open objects and the scalar-like
      // types (Time, IntOrString, Quantity) are not.
      if (item?.properties !== undefined && f.resolvedType instanceof protobuf.Type) walk(item, f.resolvedType, `${path}${name}.`);
    }
  };
  const kinds = allResources().map((r) => [apiVersionOf(r), r.kind, r.schema] as const);
  kinds.push(['autoscaling/v1', 'Scale', Scale], ['v1', 'DeleteOptions', DeleteOptions]);
  for (const [apiVersion, kind, schema] of kinds) {
    const type = messageFor(apiVersion, kind);
    t.ok(type, `${apiVersion} ${kind} has a message`);
    if (type) walk(schema, type, '');
  }
  t.strictSame(missing, [], 'no schema field without a protobuf field');
});

t.test('unknown fields are skipped, at any depth and of any wire type', async (t) => {
  // A newer ConfigMap (and ObjectMeta) with fields we do not know, as a newer client may send.
  const newer = protobuf.parse(`
    syntax = "proto2";
    package future;
    message Meta { optional string name = 1; optional string zone = 40; optional fixed64 stamp = 41; optional fixed32 crc = 42; optional Inner inner = 43; }
    message Inner { optional string x = 1; }
    message ConfigMap { optional Meta metadata = 1; map<string, string> data = 2; optional sint64 future = 99; repeated Inner more = 100; }
  `).root.lookupType('future.ConfigMap');
  const raw = newer.encode(newer.fromObject({ metadata: { name: 'c', zone: 'z', stamp: 7, crc: 9, inner: { x: 'y' } }, data: { a: 'b' }, future: -5, more: [{ x: '1' }, { x: '2' }] })).finish();
  t.strictSame(decodeKubernetesProtobuf(wrap('v1', 'ConfigMap', raw)), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'b' } });
  // Packed repeated varints are accepted as well as unpacked ones.
  const packed = Buffer.from([0x22, 0x04, 0x01, 0x02, 0x03, 0x04]); // PodSecurityContext.supplementalGroups = [1, 2, 3, 4], packed
  const sc = Buffer.concat([Buffer.from([0x72, packed.length]), packed]); // PodSpec.securityContext
  const pod = Buffer.concat([Buffer.from([0x12, sc.length]), sc]); // Pod.spec
  t.strictSame(decodeKubernetesProtobuf(wrap('v1', 'Pod', pod)), { apiVersion: 'v1', kind: 'Pod', spec: { securityContext: { supplementalGroups: [1, 2, 3, 4] } } });
});

t.test('malformed bodies are ProtobufDecodeErrors, and 400s through decodeBody', async (t) => {
  const cm = encode('k8s.io.api.core.v1.ConfigMap', 'v1', 'ConfigMap', { metadata: meta('c'), data: { a: 'b' } });
  const bad: [string, Buffer, RegExp][] = [
    ['no prefix', Buffer.from('{"kind":"ConfigMap"}'), /prefix/],
    ['only part of the prefix', Buffer.from('k8s', 'latin1'), /prefix/],
    ['an empty envelope', magic, /no kind/],
    ['truncated', cm.subarray(0, cm.length - 3), /range|past the end/],
    ['a kind we do not serve', encode('k8s.io.api.core.v1.ConfigMap', 'v1', 'PersistentVolume', { metadata: meta('c') }), /no kind "PersistentVolume" is registered for version "v1"/],
    ['a kind in the wrong group', encode('k8s.io.api.core.v1.ConfigMap', 'apps/v1', 'ConfigMap', { metadata: meta('c') }), /no kind "ConfigMap" is registered for version "apps\/v1"/],
    ['compressed raw', wrap('v1', 'ConfigMap', new Uint8Array(), { contentEncoding: 'gzip' }), /content encoding "gzip"/],
    ['JSON in raw', wrap('v1', 'ConfigMap', new Uint8Array(), { contentType: 'application/json' }), /content type "application\/json"/],
    ['field number 0', wrap('v1', 'ConfigMap', Buffer.from([0x02, 0x00])), /field number 0/],
    ['a string sent as a varint', wrap('v1', 'ConfigMap', Buffer.from([0x0a, 0x02, 0x08, 0x01])), /ObjectMeta\.name: wire type 0, expected 2/],
    ['a message sent as a varint', wrap('v1', 'ConfigMap', Buffer.from([0x08, 0x01])), /metadata: wire type 0/],
    ['a bad wire type', wrap('v1', 'ConfigMap', Buffer.from([0x0f])), /wire type|invalid/],
    ['a nested length past its message', wrap('v1', 'ConfigMap', Buffer.from([0x0a, 0x02, 0x0a, 0x05, 0x61, 0x62, 0x63, 0x64, 0x65])), /past the end|range/],
    ['a time past year 9999', encode('k8s.io.api.core.v1.ConfigMap', 'v1', 'ConfigMap', { metadata: meta('c', { creationTimestamp: { seconds: 400_000_000_000, nanos: 0 } }) }), /out of range/],
    ['fieldsV1 that is not JSON', encode('k8s.io.api.core.v1.ConfigMap', 'v1', 'ConfigMap', { metadata: meta('c', { managedFields: [{ fieldsV1: { Raw: Buffer.from('{') } }] }) }), /fieldsV1 is not JSON/],
  ];
  for (const [note, body, want] of bad) {
    try {
      decodeKubernetesProtobuf(body);
      t.fail(`${note}: decoded`);
    } catch (e) {
      t.ok(e instanceof ProtobufDecodeError, `${note}: a decode error`);
      t.match((e as Error).message, want, note);
    }
    try {
      decodeBody(PB, body);
      t.fail(`${note}: decodeBody accepted it`);
    } catch (e) {
      const err = e as { code?: number; status?: { message?: string } };
      t.equal(err.code, 400, note);
      t.match(err.status?.message, /^the body of the request could not be decoded as protobuf: /, note);
    }
  }
  t.throws(() => decodeBody(PB, Buffer.alloc(0)), { code: 400 }, 'an empty body');
  t.equal(decodeOptionalBody(PB, Buffer.alloc(0)), undefined, 'no DeleteOptions');
  t.strictSame(decodeOptionalBody(PB, encode('k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions', 'v1', 'DeleteOptions', { propagationPolicy: 'Orphan' })), { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Orphan' });
  t.strictSame(decodeBody(`${PB}; charset=binary`, cm), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'b' } }, 'media type parameters are ignored');
});

t.test('random and mutated bodies never throw anything but a ProtobufDecodeError', async (t) => {
  const seeds = [
    encode('k8s.io.api.core.v1.Pod', 'v1', 'Pod', { metadata: meta('p', { labels: { a: 'b' } }), spec: { containers: [{ name: 'c', image: 'i', ports: [{ containerPort: 80 }], livenessProbe: { handler: { httpGet: { port: str('http') } } } }] } }),
    encode('k8s.io.api.apps.v1.Deployment', 'apps/v1', 'Deployment', { metadata: meta('d'), spec: { replicas: 2, strategy: { rollingUpdate: { maxSurge: int(1) } } } }),
    encode('k8s.io.api.core.v1.Secret', 'v1', 'Secret', { metadata: meta('s'), data: { k: Buffer.from('v') } }),
  ];
  // A small deterministic generator, so that a failure reproduces.
  let state = 12345;
  const next = (n: number) => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state % n;
  };
  let other = 0;
  let decoded = 0;
  for (let i = 0; i < 3000; i++) {
    let body: Buffer;
    if (i % 3 === 0) {
      body = Buffer.concat([magic, Buffer.from(Array.from({ length: next(80) }, () => next(256)))]);
    } else {
      body = Buffer.from(seeds[i % seeds.length]!);
      for (let k = 0, n = 1 + next(4); k < n; k++) {
        const at = magic.length + next(body.length - magic.length);
        if (next(3) === 0) body = Buffer.concat([body.subarray(0, at), body.subarray(at + 1)]);
        else body[at] = next(256);
      }
    }
    try {
      const obj = decodeKubernetesProtobuf(body);
      JSON.stringify(obj);
      decoded++;
    } catch (e) {
      if (!(e instanceof ProtobufDecodeError)) {
        other++;
        t.fail(`body ${body.toString('hex')} threw ${String(e)}`);
      }
    }
  }
  t.equal(other, 0, 'every failure is a decode error');
  t.ok(decoded > 0, `some mutations still decode (${decoded})`);
});
