import t from 'tap';
import { defaultImagePullPolicy, resolveResource } from '../src/index.js';

function defaulted(resource: string, obj: any): any {
  resolveResource(resource)!.applyDefaults(obj);
  return obj;
}

const container = (extra: object = {}) => ({ name: 'app', image: 'node:20', ...extra });

t.test('pod defaults', async (t) => {
  const pod = defaulted('pods', {
    metadata: { name: 'p', namespace: 'default' },
    spec: {
      containers: [
        container({
          ports: [{ containerPort: 80 }],
          readinessProbe: { httpGet: { port: 80 } },
          resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '100m' } },
        }),
      ],
    },
  });
  t.equal(pod.spec.restartPolicy, 'Always');
  t.equal(pod.spec.terminationGracePeriodSeconds, 30);
  t.equal(pod.spec.dnsPolicy, 'ClusterFirst');
  t.equal(pod.spec.schedulerName, 'default-scheduler');
  const c = pod.spec.containers[0];
  t.equal(c.imagePullPolicy, 'IfNotPresent');
  t.equal(c.ports[0].protocol, 'TCP');
  t.same(c.readinessProbe, { httpGet: { port: 80, path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
  t.same(c.resources.requests, { cpu: '100m', memory: '128Mi' }, 'requests default to limits, explicit ones kept');
  t.equal(c.terminationMessagePath, '/dev/termination-log');
});

t.test('defaults never override what the user set, and are idempotent', async (t) => {
  const pod = defaulted('pods', { spec: { restartPolicy: 'Never', terminationGracePeriodSeconds: 0, containers: [container({ imagePullPolicy: 'Never' })] } });
  t.equal(pod.spec.restartPolicy, 'Never');
  t.equal(pod.spec.terminationGracePeriodSeconds, 0);
  t.equal(pod.spec.containers[0].imagePullPolicy, 'Never');
  const again = defaulted('pods', structuredClone(pod));
  t.same(again, pod);
});

t.test('imagePullPolicy follows the tag', async (t) => {
  t.equal(defaultImagePullPolicy('nginx'), 'Always');
  t.equal(defaultImagePullPolicy('nginx:latest'), 'Always');
  t.equal(defaultImagePullPolicy('nginx:1.25'), 'IfNotPresent');
  t.equal(defaultImagePullPolicy('registry:5000/team/app'), 'Always', 'a registry port is not a tag');
  t.equal(defaultImagePullPolicy('registry:5000/team/app:v2'), 'IfNotPresent');
  t.equal(defaultImagePullPolicy('app@sha256:abcd'), 'IfNotPresent');
});

t.test('deployment defaults: RollingUpdate 25%/25%, history 10, deadline 600, replicas 1', async (t) => {
  const d = defaulted('deploy', { spec: { selector: { matchLabels: { a: 'b' } }, template: { spec: { containers: [container()] } } } });
  t.equal(d.spec.replicas, 1);
  t.same(d.spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
  t.equal(d.spec.revisionHistoryLimit, 10);
  t.equal(d.spec.progressDeadlineSeconds, 600);
  t.equal(d.spec.template.spec.restartPolicy, 'Always', 'the template gets pod defaults');
  const recreate = defaulted('deploy', { spec: { strategy: { type: 'Recreate' } } });
  t.same(recreate.spec.strategy, { type: 'Recreate' }, 'no rollingUpdate for Recreate');
});

t.test('service, secret, namespace, replicaset defaults', async (t) => {
  const svc = defaulted('svc', { spec: { ports: [{ port: 80 }, { port: 443, targetPort: 'https', protocol: 'UDP' }] } });
  t.equal(svc.spec.type, 'ClusterIP');
  t.equal(svc.spec.sessionAffinity, 'None');
  t.same(svc.spec.ports[0], { port: 80, protocol: 'TCP', targetPort: 80 });
  t.same(svc.spec.ports[1], { port: 443, targetPort: 'https', protocol: 'UDP' });
  const np = defaulted('svc', { spec: { type: 'NodePort', ports: [{ port: 80 }] } });
  t.equal(np.spec.externalTrafficPolicy, 'Cluster');
  t.equal(defaulted('secrets', {}).type, 'Opaque');
  t.same(defaulted('ns', {}), { spec: {}, status: { phase: 'Active' } }, 'spec.finalizers: the server adds kubernetes on create only');
  t.equal(defaulted('rs', {}).spec.replicas, 1);
});
