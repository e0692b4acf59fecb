// The real kubectl (oldest and default build) on a ReplicaSet and a Deployment applied without
// status: kube-apiserver stores their zero status (ReplicaSet `replicas: 0`), so everything a
// user does next works: label, annotate, set image, edit, replace of what get returned, and a
// second apply, client-side and server-side.

import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { startOneApiServer } from './support/one-api-server.js';
import { call } from './support/http.js';
import { kubectlDirectory, kubectlFor } from './support/kubectl.js';

const builds = ['kubectl.1.27', 'kubectl'].map((b) => join(kubectlDirectory(), b)).filter((p) => existsSync(p));
if (builds.length === 0) {
  t.fail('no kubectl found; set KUBECTL_DIR');
  process.exit(1);
}

const api = await startOneApiServer({ impl: 'etcd', members: 1 });
const dir = await mkdtemp(join(tmpdir(), 'kubets-status-less-'));
t.teardown(async () => {
  await rm(dir, { recursive: true, force: true });
});
const kubectl = await kubectlFor(dir, api.url);

const manifest = (kind: string, name: string) => `apiVersion: apps/v1
kind: ${kind}
metadata:
  name: ${name}
spec:
  replicas: 0
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
      - name: web
        image: nginx:1
`;

for (const bin of builds) {
  const build = bin.endsWith('kubectl') ? 'default' : bin.slice(bin.lastIndexOf('.', bin.length - 4) + 1);
  for (const [kind, resource, group] of [['ReplicaSet', 'rs', 'replicasets'], ['Deployment', 'deployment', 'deployments']] as const) {
    t.test(`${build} kubectl: ${kind} applied without status, then label, annotate, set image, edit, replace, apply again`, async (t) => {
      const name = `${resource}-${build.replace(/\W/g, '')}`;
      const ref = `${resource}/${name}`;
      const run = async (what: string, args: string[], input?: string) => {
        const r = await kubectl(bin, args, input);
        t.equal(r.code, 0, `${what}: ${r.stderr}`);
        return r;
      };
      await run('apply', ['apply', '-f', '-'], manifest(kind, name));
      await run('label', ['label', ref, 'tier=front']);
      await run('annotate', ['annotate', ref, 'note=hi']);
      await run('set image', ['set', 'image', ref, 'web=nginx:2']);
      // kubectl edit runs $KUBE_EDITOR on a temporary file (through sh, as it has spaces).
      process.env.KUBE_EDITOR = 'sed -i s/note:\\ hi/note:\\ edited/';
      await run('edit', ['edit', ref]);
      const read = async () => (await call(api.url, 'GET', `/apis/apps/v1/namespaces/default/${group}/${name}`)).body;
      const edited = await read();
      t.equal(edited.metadata.labels.tier, 'front');
      t.equal(edited.metadata.annotations.note, 'edited');
      t.equal(edited.spec.template.spec.containers[0].image, 'nginx:2');
      const got = await run('get -o yaml', ['get', ref, '-o', 'yaml']);
      await run('replace', ['replace', '-f', '-'], got.stdout);
      await run('second apply', ['apply', '-f', '-'], manifest(kind, name));
      await run('server-side apply', ['apply', '--server-side', '--force-conflicts', '-f', '-'], manifest(kind, name));
      await run('second server-side apply', ['apply', '--server-side', '-f', '-'], manifest(kind, name));

      const stored = await read();
      t.equal(stored.spec.template.spec.containers[0].image, 'nginx:1', 'the last apply set the image back');
      t.same(stored.status, kind === 'ReplicaSet' ? { replicas: 0 } : {}, "upstream's zero status throughout");
    });
  }
}
