// The environment of a container, case by case as upstream's TestMakeEnvironmentVariables:
// Service variables, envFrom, env with $(VAR), the downward API, and the errors that stop a
// container with CreateContainerConfigError.
import type { Container } from '@kubets/api';
import t from 'tap';
import { makeEnvironment, expandCommand, type EnvironmentContext } from '../src/container/env.js';
import { ContainerConfigError } from '../src/container/errors.js';
import { createStaticObjectSource, type StaticObjects } from '../src/sources/static-source.js';
import { configMap, pod, secret, service } from './env-fixtures.js';

const services = [
  service('default', 'kubernetes', '1.2.3.1', [{ port: 8081, protocol: 'TCP' }]),
  service('test1', 'test', '1.2.3.3', [{ port: 8083, protocol: 'TCP' }]),
  service('test1', 'web-api.v2', '1.2.3.5', [{ port: 80, name: 'http' }, { port: 8443, name: 'metrics-tls', protocol: 'UDP' }]),
  service('test1', 'headless', 'None', [{ port: 80 }]),
  service('test1', 'unallocated', '', [{ port: 80 }]),
  service('test2', 'other', '1.2.3.9', [{ port: 9 }]),
];

function context(objects: StaticObjects = {}, extra: Partial<EnvironmentContext> = {}): EnvironmentContext {
  return {
    source: createStaticObjectSource({ services, ...objects }),
    nodeName: 'node-a',
    hostIP: '10.0.0.7',
    podIP: '10.244.1.5',
    podIPs: ['10.244.1.5', 'fd00::5'],
    ...extra,
  };
}

async function envOf(container: Partial<Container>, objects: StaticObjects = {}, spec = {}, extra: Partial<EnvironmentContext> = {}) {
  const result = await makeEnvironment(pod('test1', container, spec), pod('test1', container).spec!.containers[0]!, context(objects, extra));
  return { ...result, vars: Object.fromEntries(result.env.map((v) => [v.name, v.value])) };
}

const kubernetesVars = {
  KUBERNETES_SERVICE_HOST: '1.2.3.1',
  KUBERNETES_SERVICE_PORT: '8081',
  KUBERNETES_PORT: 'tcp://1.2.3.1:8081',
  KUBERNETES_PORT_8081_TCP: 'tcp://1.2.3.1:8081',
  KUBERNETES_PORT_8081_TCP_PROTO: 'tcp',
  KUBERNETES_PORT_8081_TCP_PORT: '8081',
  KUBERNETES_PORT_8081_TCP_ADDR: '1.2.3.1',
};

t.test('service links: the Services of the namespace and the kubernetes Service, headless and unallocated ones skipped', async (t) => {
  const { vars, env } = await envOf({});
  t.same(vars, {
    ...kubernetesVars,
    TEST_SERVICE_HOST: '1.2.3.3',
    TEST_SERVICE_PORT: '8083',
    TEST_PORT: 'tcp://1.2.3.3:8083',
    TEST_PORT_8083_TCP: 'tcp://1.2.3.3:8083',
    TEST_PORT_8083_TCP_PROTO: 'tcp',
    TEST_PORT_8083_TCP_PORT: '8083',
    TEST_PORT_8083_TCP_ADDR: '1.2.3.3',
    WEB_API_V2_SERVICE_HOST: '1.2.3.5',
    WEB_API_V2_SERVICE_PORT: '80',
    WEB_API_V2_SERVICE_PORT_HTTP: '80',
    WEB_API_V2_SERVICE_PORT_METRICS_TLS: '8443',
    WEB_API_V2_PORT: 'tcp://1.2.3.5:80',
    WEB_API_V2_PORT_80_TCP: 'tcp://1.2.3.5:80',
    WEB_API_V2_PORT_80_TCP_PROTO: 'tcp',
    WEB_API_V2_PORT_80_TCP_PORT: '80',
    WEB_API_V2_PORT_80_TCP_ADDR: '1.2.3.5',
    WEB_API_V2_PORT_8443_UDP: 'udp://1.2.3.5:8443',
    WEB_API_V2_PORT_8443_UDP_PROTO: 'udp',
    WEB_API_V2_PORT_8443_UDP_PORT: '8443',
    WEB_API_V2_PORT_8443_UDP_ADDR: '1.2.3.5',
  });
  t.equal(new Set(env.map((v) => v.name)).size, env.length, 'no name twice');
});

t.test('enableServiceLinks false: only the kubernetes Service', async (t) => {
  const { vars } = await envOf({}, {}, { enableServiceLinks: false });
  t.same(vars, kubernetesVars);
});

t.test('a Service named kubernetes in the pod namespace wins over the master one, as upstream', async (t) => {
  const { vars } = await envOf({}, { services: [...services, service('test1', 'kubernetes', '1.2.3.4', [{ port: 8084 }])] });
  t.equal(vars.KUBERNETES_SERVICE_HOST, '1.2.3.4');
});

t.test('a name that starts with a digit gets a leading underscore', async (t) => {
  const { vars } = await envOf({}, { services: [service('test1', '3d', '1.2.3.6', [{ port: 1 }])] });
  t.equal(vars._3D_SERVICE_HOST, '1.2.3.6');
});

t.test('masterServiceNamespace moves where the kubernetes Service is read', async (t) => {
  const { vars } = await envOf({}, { services: [service('kube-system', 'kubernetes', '1.2.3.7', [{ port: 443 }])] }, { enableServiceLinks: false }, { masterServiceNamespace: 'kube-system' });
  t.equal(vars.KUBERNETES_SERVICE_HOST, '1.2.3.7');
});

t.test('env values expand $(VAR) against earlier entries, envFrom and Service variables; unknown and escaped ones stay', async (t) => {
  const { env, vars } = await envOf(
    {
      envFrom: [{ configMapRef: { name: 'cfg' } }],
      env: [
        { name: 'FOO', value: 'bar' },
        { name: 'ZOO', value: '$(FOO)-1' },
        { name: 'BLU', value: '$(ZOO)-2' },
        { name: 'SVC', value: 'http://$(TEST_SERVICE_HOST):$(TEST_SERVICE_PORT)' },
        { name: 'FROM_CM', value: '$(LEVEL)!' },
        { name: 'UNKNOWN', value: '$(NOPE)' },
        { name: 'ESCAPED', value: '$$(FOO)' },
        { name: 'LATER', value: '$(AFTER)' },
        { name: 'AFTER', value: 'x' },
        { name: 'EMPTY' },
      ],
    },
    { configMaps: [configMap('test1', 'cfg', { LEVEL: 'debug' })] },
    { enableServiceLinks: true },
  );
  t.match(vars, { FOO: 'bar', ZOO: 'bar-1', BLU: 'bar-1-2', SVC: 'http://1.2.3.3:8083', FROM_CM: 'debug!', UNKNOWN: '$(NOPE)', ESCAPED: '$(FOO)', LATER: '$(AFTER)', EMPTY: '' });
  t.same(env.slice(0, 3).map((v) => v.name), ['LEVEL', 'FOO', 'ZOO'], 'envFrom first, then env in order, then the Service variables');
  t.ok(env.slice(-1)[0]?.name.includes('_PORT'), 'the Service variables come last');
});

t.test('env wins over a Service variable of the same name, which is then not repeated', async (t) => {
  const { env } = await envOf({ env: [{ name: 'TEST_SERVICE_HOST', value: 'mine' }] });
  t.same(env.filter((v) => v.name === 'TEST_SERVICE_HOST'), [{ name: 'TEST_SERVICE_HOST', value: 'mine' }]);
});

t.test('fieldRef: metadata, spec and status fields', async (t) => {
  const field = (name: string, fieldPath: string) => ({ name, valueFrom: { fieldRef: { fieldPath } } });
  const { vars } = await envOf(
    {
      env: [
        field('POD_NAME', 'metadata.name'),
        field('POD_NAMESPACE', 'metadata.namespace'),
        field('POD_UID', 'metadata.uid'),
        field('APP', "metadata.labels['app']"),
        field('MISSING_LABEL', "metadata.labels['nope']"),
        field('NOTE', "metadata.annotations['note']"),
        field('LABELS', 'metadata.labels'),
        field('NODE', 'spec.nodeName'),
        field('SA', 'spec.serviceAccountName'),
        field('POD_IP', 'status.podIP'),
        field('POD_IPS', 'status.podIPs'),
        field('HOST_IP', 'status.hostIP'),
        field('HOST_IPS', 'status.hostIPs'),
      ],
    },
    {},
    { enableServiceLinks: false },
  );
  t.match(vars, {
    POD_NAME: 'dapi-test-pod-name',
    POD_NAMESPACE: 'test1',
    POD_UID: '11111111-2222-3333-4444-555555555555',
    APP: 'web',
    MISSING_LABEL: '',
    NOTE: 'say "hi"',
    LABELS: 'app="web"\ntier="front"',
    NODE: 'node-a',
    SA: 'builder',
    POD_IP: '10.244.1.5',
    POD_IPS: '10.244.1.5,fd00::5',
    HOST_IP: '10.0.0.7',
    HOST_IPS: '10.0.0.7',
  });
});

t.test('fieldRef: an unsupported path or apiVersion is a CreateContainerConfigError with upstream words', async (t) => {
  await t.rejects(envOf({ env: [{ name: 'X', valueFrom: { fieldRef: { fieldPath: 'spec.bogus' } } }] }), { name: 'ContainerConfigError', reason: 'CreateContainerConfigError', message: 'unsupported fieldPath: spec.bogus' });
  await t.rejects(envOf({ env: [{ name: 'X', valueFrom: { fieldRef: { apiVersion: 'v2', fieldPath: 'metadata.name' } } }] }), { message: 'unsupported pod version: v2' });
});

t.test('resourceFieldRef: limits and requests in units of the divisor, rounded up; unset limits read as allocatable', async (t) => {
  const res = (name: string, resource: string, divisor?: string) => ({ name, valueFrom: { resourceFieldRef: { resource, ...(divisor ? { divisor } : {}) } } });
  const { vars } = await envOf(
    {
      resources: { limits: { cpu: '250m', memory: '64Mi' }, requests: { cpu: '100m', memory: '32Mi', 'ephemeral-storage': '1Gi' } },
      env: [
        res('CPU_LIMIT_CORES', 'limits.cpu'),
        res('CPU_LIMIT_MILLI', 'limits.cpu', '1m'),
        res('CPU_REQUEST_MILLI', 'requests.cpu', '1m'),
        res('MEM_LIMIT', 'limits.memory'),
        res('MEM_LIMIT_MI', 'limits.memory', '1Mi'),
        res('MEM_REQUEST_M', 'requests.memory', '1M'),
        res('EPHEMERAL_REQUEST_GI', 'requests.ephemeral-storage', '1Gi'),
        res('EPHEMERAL_LIMIT', 'limits.ephemeral-storage', '1Gi'),
        res('ZERO_DIVISOR', 'limits.cpu', '0'),
      ],
    },
    {},
    { enableServiceLinks: false },
    { allocatable: { cpu: '4', memory: '8Gi', 'ephemeral-storage': '100Gi' } },
  );
  t.match(vars, {
    CPU_LIMIT_CORES: '1',
    CPU_LIMIT_MILLI: '250',
    CPU_REQUEST_MILLI: '100',
    MEM_LIMIT: String(64 * 1024 * 1024),
    MEM_LIMIT_MI: '64',
    MEM_REQUEST_M: '34',
    EPHEMERAL_REQUEST_GI: '1',
    EPHEMERAL_LIMIT: '100',
    ZERO_DIVISOR: '1',
  });
});

t.test('resourceFieldRef: a container without limits reads the node allocatable', async (t) => {
  const { vars } = await envOf(
    { env: [{ name: 'CPU', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: '1m' } } }, { name: 'MEM', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Gi' } } }] },
    {},
    { enableServiceLinks: false },
    { allocatable: { cpu: '4', memory: '8Gi' } },
  );
  t.match(vars, { CPU: '4000', MEM: '8' });
});

t.test('resourceFieldRef: an unsupported resource or an unknown container', async (t) => {
  await t.rejects(envOf({ env: [{ name: 'X', valueFrom: { resourceFieldRef: { resource: 'limits.gpu' } } }] }), { message: 'unsupported container resource : limits.gpu' });
  await t.rejects(envOf({ env: [{ name: 'X', valueFrom: { resourceFieldRef: { containerName: 'ghost', resource: 'limits.cpu' } } }] }), { message: 'container ghost not found' });
});

t.test('envFrom: prefixes, later sources over earlier, env over envFrom, Secrets decoded', async (t) => {
  const { vars } = await envOf(
    {
      envFrom: [{ configMapRef: { name: 'a' } }, { prefix: 'P_', configMapRef: { name: 'a' } }, { secretRef: { name: 's' } }],
      env: [{ name: 'KEEP', value: 'from-env' }],
    },
    { configMaps: [configMap('test1', 'a', { ONE: '1', SHARED: 'cm', KEEP: 'cm' })], secrets: [secret('test1', 's', { SHARED: 'secret', TOKEN: 'pa55' })] },
    { enableServiceLinks: false },
  );
  t.match(vars, { ONE: '1', P_ONE: '1', P_SHARED: 'cm', SHARED: 'secret', TOKEN: 'pa55', KEEP: 'from-env' });
});

t.test('envFrom: invalid names are skipped and reported with upstream Event words', async (t) => {
  const { vars, skipped } = await envOf(
    { envFrom: [{ configMapRef: { name: 'a' } }, { prefix: '1', secretRef: { name: 's' } }] },
    { configMaps: [configMap('test1', 'a', { 'ok.name-1': 'y', '2bad': 'n', 'also bad': 'n' })], secrets: [secret('test1', 's', { K: 'v' })] },
    { enableServiceLinks: false },
  );
  t.equal(vars['ok.name-1'], 'y');
  t.notOk('2bad' in vars);
  t.same(skipped, [
    {
      kind: 'ConfigMap',
      namespace: 'test1',
      name: 'a',
      keys: ['2bad', 'also bad'],
      reason: 'InvalidEnvironmentVariableNames',
      message: 'Keys [2bad, also bad] from the EnvFrom configMap test1/a were skipped since they are considered invalid environment variable names.',
    },
    {
      kind: 'Secret',
      namespace: 'test1',
      name: 's',
      keys: ['1K'],
      reason: 'InvalidEnvironmentVariableNames',
      message: 'Keys [1K] from the EnvFrom secret test1/s were skipped since they are considered invalid environment variable names.',
    },
  ]);
});

t.test('optional references that are missing leave the variables unset', async (t) => {
  const { vars } = await envOf(
    {
      envFrom: [{ configMapRef: { name: 'gone', optional: true } }, { secretRef: { name: 'gone', optional: true } }],
      env: [
        { name: 'A', valueFrom: { configMapKeyRef: { name: 'gone', key: 'k', optional: true } } },
        { name: 'B', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'nokey', optional: true } } },
        { name: 'C', valueFrom: { secretKeyRef: { name: 'gone', key: 'k', optional: true } } },
        { name: 'D', valueFrom: { secretKeyRef: { name: 's', key: 'nokey', optional: true } } },
        { name: 'E', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'k' } } },
        { name: 'F', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
      ],
    },
    { configMaps: [configMap('test1', 'cfg', { k: 'cm-value' })], secrets: [secret('test1', 's', { k: 'secret-value' })] },
    { enableServiceLinks: false },
  );
  t.same(Object.keys(vars).filter((k) => !k.startsWith('KUBERNETES')).sort(), ['E', 'F']);
  t.match(vars, { E: 'cm-value', F: 'secret-value' });
});

t.test('missing required sources: CreateContainerConfigError with upstream messages', async (t) => {
  const objects = { configMaps: [configMap('test1', 'cfg', { k: 'v' })], secrets: [secret('test1', 's', { k: 'v' })] };
  const cases: Array<[Partial<Container>, string]> = [
    [{ envFrom: [{ configMapRef: { name: 'x' } }] }, 'configmap "x" not found'],
    [{ envFrom: [{ secretRef: { name: 'x' } }] }, 'secret "x" not found'],
    [{ env: [{ name: 'A', valueFrom: { configMapKeyRef: { name: 'x', key: 'k' } } }] }, 'configmap "x" not found'],
    [{ env: [{ name: 'A', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'nokey' } } }] }, "couldn't find key nokey in ConfigMap test1/cfg"],
    [{ env: [{ name: 'A', valueFrom: { secretKeyRef: { name: 'x', key: 'k' } } }] }, 'secret "x" not found'],
    [{ env: [{ name: 'A', valueFrom: { secretKeyRef: { name: 's', key: 'nokey' } } }] }, "couldn't find key nokey in Secret test1/s"],
  ];
  for (const [container, message] of cases) {
    const err = await envOf(container, objects).then(() => undefined, (e: unknown) => e);
    t.ok(err instanceof ContainerConfigError, message);
    t.match(err, { reason: 'CreateContainerConfigError', message });
  }
});

t.test('an ObjectSource that cannot reach the API makes a CreateContainerConfigError too', async (t) => {
  const source = { configMap: async () => Promise.reject(new Error('connect ECONNREFUSED')), secret: async () => undefined, services: async () => [] };
  await t.rejects(makeEnvironment(pod('test1', {}), { name: 'main', image: 'busybox', envFrom: [{ configMapRef: { name: 'a' } }] }, { ...context(), source }), {
    reason: 'CreateContainerConfigError',
    message: 'connect ECONNREFUSED',
  });
});

t.test('expandCommand: $(VAR) from the environment in command and args, later entries winning', async (t) => {
  const env = [
    { name: 'GREETING', value: 'hello' },
    { name: 'NAME', value: 'first' },
    { name: 'NAME', value: 'world' },
  ];
  t.same(expandCommand(['sh', '-c', 'echo $(GREETING) $(NAME) $$(NAME) $(MISSING)'], env), ['sh', '-c', 'echo hello world $(NAME) $(MISSING)']);
  t.same(expandCommand(undefined, env), []);
});
