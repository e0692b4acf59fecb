import t from 'tap';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import {
  buildKubeconfig,
  clusterServers,
  kubeconfigPaths,
  loadKubeconfig,
  parseKubeconfig,
  resolveKubeconfig,
  serversExtensionName,
  writeKubeconfig,
} from '../src/index.js';

function tempDir(t: { teardown(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'kubets-client-kc-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

// A kubeconfig as kubectl and kind write them.
const kindStyle = `
apiVersion: v1
kind: Config
current-context: kind-a
clusters:
- name: a
  cluster:
    server: https://127.0.0.1:6443
    certificate-authority: certs/ca.crt
- name: shared
  cluster:
    server: https://first.example:6443
contexts:
- name: kind-a
  context:
    cluster: a
    user: alice
    namespace: team-a
- name: shared-ctx
  context:
    cluster: shared
    user: bob
users:
- name: alice
  user:
    token: alice-token
- name: bob
  user:
    username: bob
    password: secret
preferences: {}
`;

const second = `
apiVersion: v1
kind: Config
current-context: other
clusters:
- name: shared
  cluster:
    server: https://second.example:6443
- name: b
  cluster:
    server: http://10.0.0.2:8080
    insecure-skip-tls-verify: true
contexts:
- name: other
  context:
    cluster: b
    user: carol
users:
- name: carol
  user:
    tokenFile: token
- name: bob
  user:
    token: not-bobs
`;

t.test('parse: the fields kubets uses, relative paths against the file', async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'config'), kindStyle);
  const kc = loadKubeconfig({ path: join(dir, 'config') });
  t.equal(kc['current-context'], 'kind-a');
  t.equal(kc.clusters[0]!.cluster['certificate-authority'], join(dir, 'certs/ca.crt'), 'made absolute against the file');
  t.same(kc.contexts.map((c) => c.name), ['kind-a', 'shared-ctx']);
});

t.test('parse errors name the file and the entry', async (t) => {
  t.throws(() => parseKubeconfig('clusters: {a: 1}', 'x.yaml'), /x.yaml: clusters must be a list/);
  t.throws(() => parseKubeconfig('users:\n- user: {}\n', 'x.yaml'), /users\[0\] needs a name/);
  t.throws(() => parseKubeconfig('a: [', 'x.yaml'), /not valid YAML/);
  t.same(parseKubeconfig('', 'empty').clusters, [], 'an empty file is an empty config');
});

t.test('KUBECONFIG: colon-separated, missing files skipped, first file wins per name', async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'one'), kindStyle);
  writeFileSync(join(dir, 'two'), second);
  writeFileSync(join(dir, 'token'), 'file-token\n');
  mkdirSync(join(dir, 'certs'));
  writeFileSync(join(dir, 'certs', 'ca.crt'), 'CA PEM');
  const env = { KUBECONFIG: [join(dir, 'one'), join(dir, 'missing'), join(dir, 'two')].join(':') };
  t.same(kubeconfigPaths({ env }), [join(dir, 'one'), join(dir, 'missing'), join(dir, 'two')]);
  const kc = loadKubeconfig({ env });
  t.equal(kc['current-context'], 'kind-a', 'current-context of the first file that sets it');
  t.equal(kc.clusters.find((c) => c.name === 'shared')!.cluster.server, 'https://first.example:6443', 'first file wins on a cluster name');
  t.same(kc.clusters.map((c) => c.name), ['a', 'shared', 'b']);
  t.equal(kc.users.find((u) => u.name === 'bob')!.user.password, 'secret', 'first file wins on a user name');
  t.equal(kc.users.find((u) => u.name === 'carol')!.user.tokenFile, join(dir, 'token'), "tokenFile resolved against its own file's directory");

  const a = resolveKubeconfig(kc);
  t.same(a.servers, ['https://127.0.0.1:6443']);
  t.equal(a.namespace, 'team-a');
  t.same(a.auth, { token: 'alice-token' });
  t.equal(a.tls?.ca, 'CA PEM', 'the CA file read from the relative path');
  const shared = resolveKubeconfig(kc, { context: 'shared-ctx' });
  t.equal(shared.namespace, 'default', 'no namespace in the context: default');
  t.same(shared.auth, { username: 'bob', password: 'secret' });
  const other = resolveKubeconfig(kc, { context: 'other', namespace: 'ns1' });
  t.same(other.auth, { tokenFile: join(dir, 'token') });
  t.equal(other.tls?.insecureSkipTlsVerify, true);
  t.equal(other.namespace, 'ns1', 'an explicit namespace wins');
  t.throws(() => resolveKubeconfig(kc, { context: 'nope' }), /context "nope" does not exist/);
});

t.test('default location ~/.kube/config; an explicit path must exist', async (t) => {
  const dir = tempDir(t);
  t.throws(() => loadKubeconfig({ env: {}, homeDir: dir }), /no kubeconfig found/);
  t.throws(() => loadKubeconfig({ path: join(dir, 'nope') }), /ENOENT/);
  const kubeDir = join(dir, '.kube');
  writeKubeconfig(join(kubeDir, 'config'), { clusterName: 'home', servers: ['http://127.0.0.1:1'] });
  t.equal(loadKubeconfig({ env: {}, homeDir: dir })['current-context'], 'home');
  t.same(kubeconfigPaths({ env: { HOME: dir } }), [join(dir, '.kube', 'config')]);
});

t.test('certificates: inline data wins over files', async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'ca.pem'), 'CA FROM FILE');
  writeFileSync(join(dir, 'key.pem'), 'KEY FROM FILE');
  const kc = parseKubeconfig(`
current-context: c
clusters: [{name: c, cluster: {server: 'https://h:6443', certificate-authority: ${join(dir, 'ca.pem')}, tls-server-name: api.local}}]
contexts: [{name: c, context: {cluster: c, user: u}}]
users: [{name: u, user: {client-certificate-data: ${Buffer.from('CERT INLINE').toString('base64')}, client-key: ${join(dir, 'key.pem')}}}]
`);
  const r = resolveKubeconfig(kc);
  t.same(r.tls, { ca: 'CA FROM FILE', serverName: 'api.local', cert: 'CERT INLINE', key: 'KEY FROM FILE' });
  t.equal(r.auth, undefined, 'client certificates need no header');
});

t.test('exec plugins are refused with a clear message', async (t) => {
  const kc = parseKubeconfig(`
current-context: c
clusters: [{name: c, cluster: {server: 'https://h'}}]
contexts: [{name: c, context: {cluster: c, user: u}}]
users: [{name: u, user: {exec: {command: aws}}}]
`);
  t.throws(() => resolveKubeconfig(kc), /exec and auth-provider credential plugins are not supported/);
});

t.test('several servers: `server` first, then the kubets.io/servers extension, no repeats', async (t) => {
  t.same(
    clusterServers({
      server: 'http://a:1/',
      extensions: [
        { name: 'other', extension: { servers: ['http://x'] } },
        { name: serversExtensionName, extension: { servers: ['http://a:1', 'http://b:2', 'http://c:3'] } },
      ],
    }),
    ['http://a:1', 'http://b:2', 'http://c:3'],
  );
  t.same(clusterServers({ server: 'http://only' }), ['http://only']);
});

t.test('write then read back: a round trip, and a 0600 file', async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'sub', 'kubeconfig');
  const servers = ['http://127.0.0.1:6443', 'http://127.0.0.2:6443', 'http://127.0.0.3:6443'];
  writeKubeconfig(path, {
    clusterName: 'kubets',
    servers,
    namespace: 'kube-system',
    user: { name: 'admin', token: 'secret-token' },
    certificateAuthorityData: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n',
  });
  t.equal(statSync(path).mode & 0o777, 0o600);
  t.notOk(existsSync(`${path}.${process.pid}.tmp`), 'no temp file left behind');
  const r = resolveKubeconfig(loadKubeconfig({ path }));
  t.same(r.servers, servers);
  t.equal(r.namespace, 'kube-system');
  t.equal(r.contextName, 'kubets');
  t.equal(r.userName, 'admin');
  t.same(r.auth, { token: 'secret-token' });
  t.equal(r.tls?.ca, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
  const doc = YAML.parse(readFileSync(path, 'utf8'));
  t.equal(doc.clusters[0].cluster.server, servers[0], 'kubectl uses the first server');
});

t.test('the written file is one kubectl 1.32 accepts', { skip: existsSync('/usr/bin/kubectl') ? false : 'kubectl is not installed' }, async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'kubeconfig');
  writeKubeconfig(path, {
    clusterName: 'kubets',
    servers: ['http://127.0.0.1:6443', 'http://127.0.0.2:6443'],
    namespace: 'apps',
    user: { token: 't0k3n' },
  });
  const run = (...args: string[]) => execFileSync('/usr/bin/kubectl', [...args, '--kubeconfig', path], { encoding: 'utf8', env: { ...process.env, KUBECONFIG: '' } });
  const view = JSON.parse(run('config', 'view', '-o', 'json', '--raw'));
  t.equal(view['current-context'], 'kubets');
  t.equal(view.clusters[0].cluster.server, 'http://127.0.0.1:6443');
  t.same(view.clusters[0].cluster.extensions, [{ name: serversExtensionName, extension: { servers: ['http://127.0.0.1:6443', 'http://127.0.0.2:6443'] } }], 'kubectl keeps the extension');
  t.equal(view.users[0].user.token, 't0k3n');
  t.equal(run('config', 'view', '--minify', '-o', 'jsonpath={.contexts[0].context.namespace}'), 'apps');

  // kubectl rewrites the file (set-context); kubets still reads every server from it.
  run('config', 'set-context', '--current', '--namespace=other');
  const r = resolveKubeconfig(loadKubeconfig({ path }));
  t.same(r.servers, ['http://127.0.0.1:6443', 'http://127.0.0.2:6443']);
  t.equal(r.namespace, 'other');
});

t.test('buildKubeconfig needs a server', async (t) => {
  t.throws(() => buildKubeconfig({ clusterName: 'x', servers: [] }), /at least one server/);
});
