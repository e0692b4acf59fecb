// The real kubectl, unchanged and with its default flags (validation on), against kubets:
// kubectl 1.27, 1.28 and 1.32 (KUBECTL_DIR overrides where they are found: kubectl.1.27,
// kubectl.1.28 and kubectl), on real etcd (test/kubectl.test.ts) and on kubets-etcd
// (test/kubectl-on-kubets-etcd.test.ts). All three read /openapi/v3 for `explain`; 1.27 and
// 1.28 also read /openapi/v2 as protobuf (whether PATCH validates server-side, and the merge
// keys of client-side apply's patches), and fail without it. A build not found is skipped.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { startEtcdCluster, type EtcdImpl } from './etcd-cluster.js';
import { startApiServerProcess } from './apiserver-process.js';
import { call, eventually } from './http.js';
import { kubectlDirectory, kubectlFor } from './kubectl.js';

export async function runKubectlSuite(impl: EtcdImpl): Promise<void> {
  const kubectlDir = kubectlDirectory();
  const builds = [
    ['1.27', join(kubectlDir, 'kubectl.1.27')],
    ['1.28', join(kubectlDir, 'kubectl.1.28')],
    ['1.32', join(kubectlDir, 'kubectl')],
  ].filter(([, p]) => existsSync(p!));
  if (builds.length === 0) {
    t.fail('no kubectl found; set KUBECTL_DIR');
    process.exit(1);
  }

  const etcd = await startEtcdCluster({ impl });
  const api = await startApiServerProcess(etcd.endpoints);
  const dir = await mkdtemp(join(tmpdir(), 'kubets-kubectl-'));
  t.teardown(async () => {
    await api.stop();
    await etcd.stop();
    await rm(dir, { recursive: true, force: true });
  });
  const kubectl = await kubectlFor(dir, api.url);

  const manifest = (ns: string) => `apiVersion: v1
kind: Namespace
metadata:
  name: ${ns}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
  namespace: ${ns}
data:
  greeting: hello
---
apiVersion: v1
kind: Secret
metadata:
  name: web-secret
  namespace: ${ns}
stringData:
  password: hunter2
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: ${ns}
  labels: {app: web}
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: node:20
        command: ["node", "-e", "require('http').createServer((q,s)=>s.end('hi')).listen(process.env.PORT)"]
        ports:
        - containerPort: 8080
          name: http
        env:
        - name: GREETING
          valueFrom:
            configMapKeyRef: {name: web-config, key: greeting}
        readinessProbe:
          httpGet: {path: /, port: http}
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: ${ns}
spec:
  selector: {app: web}
  ports:
  - name: http
    port: 80
    targetPort: http
`;

  for (const [version, bin] of builds) {
    t.test(`kubectl ${version!}`, async (t) => {
      const ns = `kubectl-${version!.replace('.', '-')}`;
      const file = join(dir, `${ns}.yaml`);
      await writeFile(file, manifest(ns));

      const resources = await kubectl(bin!, ['api-resources']);
      t.equal(resources.code, 0, resources.stderr);
      t.match(resources.stdout, /^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
      t.match(resources.stdout, /^pods\s+po\s+v1\s+true\s+Pod$/m);

      const applied = await kubectl(bin!, ['apply', '-f', file]);
      t.equal(applied.code, 0, applied.stderr);
      t.match(applied.stdout, new RegExp(`namespace/${ns} created`));
      t.match(applied.stdout, /deployment.apps\/web created/);
      t.match(applied.stdout, /service\/web created/);
      const again = await kubectl(bin!, ['apply', '-f', file]);
      t.equal(again.code, 0, again.stderr);
      t.match(again.stdout, /deployment.apps\/web unchanged/);

      const deploys = await kubectl(bin!, ['get', 'deploy', '-n', ns]);
      t.equal(deploys.code, 0, deploys.stderr);
      t.match(deploys.stdout, /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\nweb\s+0\/2\s+0\s+0\s+\d+s\n$/);
      const svcs = await kubectl(bin!, ['get', 'svc', '-n', ns, '-o', 'wide']);
      t.match(svcs.stdout, /^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE\s+SELECTOR\nweb\s+ClusterIP\s+10\.\d+\.\d+\.\d+\s+<none>\s+80\/TCP\s+\d+s\s+app=web\n$/);
      const json = await kubectl(bin!, ['get', 'deploy', 'web', '-n', ns, '-o', 'json']);
      t.equal(JSON.parse(json.stdout).spec.strategy.rollingUpdate.maxSurge, '25%');
      const yaml = await kubectl(bin!, ['get', 'cm', 'web-config', '-n', ns, '-o', 'yaml']);
      t.match(yaml.stdout, /greeting: hello/);
      const secret = await kubectl(bin!, ['get', 'secret', 'web-secret', '-n', ns, '-o', 'jsonpath={.data.password}']);
      t.equal(Buffer.from(secret.stdout, 'base64').toString(), 'hunter2', 'stringData merged into data');

      const described = await kubectl(bin!, ['describe', 'deploy', 'web', '-n', ns]);
      t.equal(described.code, 0, described.stderr);
      t.match(described.stdout, /Replicas:\s+2 desired/);
      t.match(described.stdout, /StrategyType:\s+RollingUpdate/);

      const patched = await kubectl(bin!, ['patch', 'deploy', 'web', '-n', ns, '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"node:22"}]}}}}']);
      t.equal(patched.code, 0, patched.stderr);
      const merge = await kubectl(bin!, ['patch', 'cm', 'web-config', '-n', ns, '--type=merge', '-p', '{"data":{"extra":"1"}}']);
      t.equal(merge.code, 0, merge.stderr);
      const jsonPatch = await kubectl(bin!, ['patch', 'cm', 'web-config', '-n', ns, '--type=json', '-p', '[{"op":"remove","path":"/data/extra"}]']);
      t.equal(jsonPatch.code, 0, jsonPatch.stderr);
      const scaled = await kubectl(bin!, ['scale', 'deploy', 'web', '-n', ns, '--replicas=3']);
      t.equal(scaled.code, 0, scaled.stderr);
      t.match(scaled.stdout, /deployment.apps\/web scaled/);
      t.equal((await kubectl(bin!, ['label', 'deploy', 'web', '-n', ns, 'team=blue'])).code, 0);
      t.equal((await kubectl(bin!, ['annotate', 'deploy', 'web', '-n', ns, 'note=hi'])).code, 0);
      const after = JSON.parse((await kubectl(bin!, ['get', 'deploy', 'web', '-n', ns, '-o', 'json'])).stdout);
      t.equal(after.spec.replicas, 3);
      t.equal(after.spec.template.spec.containers[0].image, 'node:22');
      t.equal(after.metadata.labels.team, 'blue');
      t.equal(after.metadata.annotations.note, 'hi');
      t.equal(after.metadata.generation, 3, 'image change and scale bumped generation; label/annotate did not');

      const explained = await kubectl(bin!, ['explain', 'deployment.spec.replicas']);
      t.equal(explained.code, 0, explained.stderr);
      t.match(explained.stdout, /replicas/);
      const recursive = await kubectl(bin!, ['explain', 'pod', '--recursive']);
      t.equal(recursive.code, 0, recursive.stderr);
      t.match(recursive.stdout, /containers\s+<\[\]Object>/);

      // get -w: a change made while watching shows up as a new line.
      const watcher = spawn(bin!, [`--kubeconfig=${join(dir, 'kubeconfig')}`, 'get', 'cm', '-n', ns, '-w', '--output-watch-events'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let watched = '';
      watcher.stdout.on('data', (d: Buffer) => (watched += d.toString()));
      try {
        await eventually('the initial listing', async () => (watched.includes('web-config') ? true : undefined), 30_000);
        await call(api.url, 'POST', `/api/v1/namespaces/${ns}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'watched' } });
        await eventually('the watched ADDED line', async () => (/ADDED\s+watched/.test(watched) ? true : undefined), 30_000);
        t.pass('kubectl get -w saw the new object');
      } finally {
        watcher.kill('SIGTERM');
      }

      const deleted = await kubectl(bin!, ['delete', 'cm', 'watched', '-n', ns]);
      t.equal(deleted.code, 0, deleted.stderr);
      t.match(deleted.stdout, /configmap "watched" deleted/);
      const gone = await kubectl(bin!, ['get', 'cm', 'watched', '-n', ns]);
      t.not(gone.code, 0);
      t.match(gone.stderr, /NotFound|not found/);
      // Server-side validation through `create -f` (JSON); typed commands are in kubectl-typed.test.ts.
      const badConfigMap = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Bad_Name' } });
      const invalid = await kubectl(bin!, ['create', '-n', ns, '-f', '-'], badConfigMap);
      t.not(invalid.code, 0);
      t.match(invalid.stderr, /is invalid/);

      // A manifest using pod spec fields kubets stores but does not run yet applies under
      // kubectl's strict validation, as on upstream.
      const richPods = `apiVersion: apps/v1
kind: Deployment
metadata: {name: rich, namespace: ${ns}}
spec:
  selector: {matchLabels: {app: rich}}
  template:
    metadata: {labels: {app: rich}}
    spec:
      automountServiceAccountToken: false
      imagePullSecrets: [{name: regcred}]
      hostAliases: [{ip: 127.0.0.1, hostnames: [foo.local]}]
      dnsConfig: {options: [{name: ndots, value: "2"}]}
      topologySpreadConstraints: [{maxSkew: 1, topologyKey: zone, whenUnsatisfiable: ScheduleAnyway, labelSelector: {matchLabels: {app: rich}}}]
      initContainers: [{name: sidecar, image: busybox, restartPolicy: Always}]
      containers:
      - name: app
        image: node:20
        resizePolicy: [{resourceName: cpu, restartPolicy: NotRequired}]
        volumeMounts: [{name: proj, mountPath: /p}, {name: data, mountPath: /data}]
      volumes:
      - {name: data, persistentVolumeClaim: {claimName: pvc}}
      - {name: proj, projected: {sources: [{configMap: {name: c}}, {serviceAccountToken: {path: token}}]}}
`;
      const rich = await kubectl(bin!, ['apply', '-f', '-'], richPods);
      t.equal(rich.code, 0, rich.stderr);
      t.match(rich.stdout, /deployment.apps\/rich created/);
      const richSpec = JSON.parse((await kubectl(bin!, ['get', 'deploy', 'rich', '-n', ns, '-o', 'json'])).stdout).spec.template.spec;
      t.equal(richSpec.initContainers[0].restartPolicy, 'Always');
      t.equal(richSpec.volumes[1].projected.sources[1].serviceAccountToken.expirationSeconds, 3600, 'defaulted as upstream');

      // diff: a server-side dry run of the patch, shown against the live object. Exit 1 means "differs".
      t.equal((await kubectl(bin!, ['create', 'configmap', 'diffme', '-n', ns, '--from-literal=a=b'])).code, 0);
      const diffed = await kubectl(bin!, ['diff', '-f', '-'], `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: diffme\n  namespace: ${ns}\ndata:\n  a: c\n`);
      t.equal(diffed.code, 1, diffed.stderr);
      t.match(diffed.stdout, /^-  a: b$/m);
      t.match(diffed.stdout, /^\+  a: c$/m);
      t.notMatch(diffed.stdout, /annotations: \{\}/, 'no empty map appears in the merged object');
      t.equal((await kubectl(bin!, ['get', 'cm', 'diffme', '-n', ns, '-o', 'jsonpath={.data.a}'])).stdout, 'b', 'a dry run writes nothing');

      // Server-side apply: kubectl's apply creates; another manager's different value is a conflict until forced.
      const ssa = (owner: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\n  namespace: ${ns}\ndata:\n  owner: ${owner}\n`;
      const ssaCreated = await kubectl(bin!, ['apply', '--server-side', '-f', '-'], ssa('alice'));
      t.equal(ssaCreated.code, 0, ssaCreated.stderr);
      t.match(ssaCreated.stdout, /configmap\/ssa serverside-applied/);
      const ssaConflict = await kubectl(bin!, ['apply', '--server-side', '--field-manager=bob', '-f', '-'], ssa('bob'));
      t.not(ssaConflict.code, 0, 'a conflicting apply fails');
      t.match(ssaConflict.stderr, /conflict with "kubectl"[\s\S]*\.data\.owner/);
      const ssaForced = await kubectl(bin!, ['apply', '--server-side', '--field-manager=bob', '--force-conflicts', '-f', '-'], ssa('bob'));
      t.equal(ssaForced.code, 0, ssaForced.stderr);
      t.equal((await kubectl(bin!, ['get', 'cm', 'ssa', '-n', ns, '-o', 'jsonpath={.data.owner}'])).stdout, 'bob');
    });
  }
}
