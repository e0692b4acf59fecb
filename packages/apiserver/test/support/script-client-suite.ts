// Client libraries in other languages, used exactly as a user would: a script in the client's own
// language (test/fixtures/) reads a kubeconfig written by @kubets/client and does list, create,
// watch, patch and delete of ConfigMaps in a namespace of its own, against two kubets-apiserver
// processes on kubets-etcd: writes through one, watches through the other. The script prints one
// JSON object per line ({"step": ...}); this suite checks the steps every script prints, and the
// caller checks the steps only its client prints. A client that is not installed fails the test
// and names the Debian package to install (CI installs them); it is never skipped.

import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { writeKubeconfig } from '@kubets/client';
import { startEtcdCluster } from './etcd-cluster.js';
import { startApiServerProcess, type ApiServerProcess } from './apiserver-process.js';

export interface ScriptClient {
  /** The client, as the test names it ("the official Python client"). */
  name: string;
  /** The interpreter, by absolute path: CI's PATH may put another one (pyenv, rbenv) first. */
  interpreter: string;
  /** Interpreter arguments that succeed only when the client library loads. */
  probe: string[];
  /** The Debian package that provides the client for `interpreter`. */
  debianPackage: string;
  /** The script's path (test/fixtures/, resolved from the compiled test file). */
  script: string;
  /** The collections the script watches, e.g. /api/v1/configmaps. */
  watched: string[];
}

/** The printed steps by name. */
export type Steps = Map<string, Record<string, any>>;

export interface WatchedEvent {
  type: string;
  name: string;
  data: Record<string, string>;
}

const NAME = 'cm-1';
const OTHER = 'cm-2';
const PATCHED = { a: '1', b: '2' };

/** The events of the namespace's ConfigMaps that a watch of the collection sees. */
export const collectionEvents: WatchedEvent[] = [
  { type: 'ADDED', name: NAME, data: { a: '1' } },
  { type: 'ADDED', name: OTHER, data: { o: '1' } },
  { type: 'MODIFIED', name: NAME, data: PATCHED },
  { type: 'DELETED', name: OTHER, data: { o: '1' } },
  { type: 'DELETED', name: NAME, data: PATCHED },
];

/** Fails the test, naming the package to install, unless the client loads. */
function clientInstalled(c: ScriptClient): boolean {
  const r = spawnSync(c.interpreter, c.probe, { encoding: 'utf8', timeout: 60_000 });
  if (r.status === 0) return true;
  const why = r.error !== undefined ? r.error.message : (r.stderr.trim().split('\n').pop() ?? `exit code ${r.status}`);
  t.fail(`${c.name} is not installed: \`${c.interpreter} ${c.probe.join(' ')}\` failed (${why}). Install the Debian package: apt-get install ${c.debianPackage}`);
  return false;
}

/** The environment without proxy settings: the script talks to 127.0.0.1 directly. */
function directEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (/^(https?|all|no)_proxy$/i.test(k)) delete env[k];
  return env;
}

function runScript(c: ScriptClient, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(c.interpreter, [c.script, ...args], { timeout: 120_000, env: directEnv() }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

/**
 * Starts the watch caches of these collections on a server: a watch request, ended once its
 * response has begun. kubets-apiserver starts a resource's watch cache at the first request for it,
 * not at boot as kube-apiserver does, so a watch from a resourceVersion listed through another
 * server, with any write to etcd in between, would get 410 Expired from a cold cache.
 */
async function warmWatchCaches(server: string, collections: string[]): Promise<void> {
  for (const path of collections) {
    const ac = new AbortController();
    const res = await fetch(`${server}${path}?watch=1&timeoutSeconds=5`, { signal: ac.signal });
    if (res.status !== 200) throw new Error(`warming ${path}: HTTP ${res.status}`);
    ac.abort();
    await res.body?.cancel().catch(() => undefined);
  }
}

function parseSteps(t: Test, stdout: string): Steps {
  const steps: Steps = new Map();
  for (const line of stdout.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const o = JSON.parse(line) as Record<string, any>;
      steps.set(String(o.step), o);
    } catch {
      t.fail(`the script printed a line that is not JSON: ${line}`);
    }
  }
  return steps;
}

/** Runs the client's script against a fresh cluster and checks what every script prints; `more` checks the rest. */
export async function runScriptClientSuite(c: ScriptClient, more: (t: Test, steps: Steps) => void): Promise<void> {
  if (!clientInstalled(c)) return;
  const etcd = await startEtcdCluster({ impl: 'kubets' });
  const servers: ApiServerProcess[] = [];
  const dir = await mkdtemp(join(tmpdir(), 'kubets-script-client-'));
  t.teardown(async () => {
    for (const s of servers) await s.stop();
    await etcd.stop();
    await rm(dir, { recursive: true, force: true });
  });
  servers.push(await startApiServerProcess(etcd.endpoints), await startApiServerProcess(etcd.endpoints));
  await warmWatchCaches(servers[1]!.url, c.watched);
  // The first kubeconfig is for writes, the second for watches.
  const kubeconfigs = servers.map((s, i) => {
    const path = join(dir, `kubeconfig-${i}`);
    writeKubeconfig(path, { clusterName: `kubets-${i}`, servers: [s.url], namespace: 'default' });
    return path;
  });

  const ns = 'script-client';
  const run = await runScript(c, [...kubeconfigs, ns]);
  const steps = parseSteps(t, run.stdout);
  t.equal(run.code, 0, `${c.name}'s script exits 0${run.code === 0 ? '' : `; stderr:\n${run.stderr}`}`);
  const step = (name: string): Record<string, any> => steps.get(name) ?? {};

  t.test('list: the new namespace has no ConfigMaps', async (t) => {
    t.strictSame(step('list').names, []);
    t.match(step('list').resourceVersion, /^\d+$/, 'the list has a resourceVersion');
  });

  t.test('create, then read back; a second create is AlreadyExists', async (t) => {
    const created = step('create');
    t.strictSame([created.name, created.namespace, created.data], [NAME, ns, { a: '1' }]);
    t.match(created.uid, /^[0-9a-f-]{36}$/);
    t.ok(Number(created.resourceVersion) > Number(step('list').resourceVersion), 'a newer resourceVersion than the list');
    t.strictSame(step('create-again').error, { code: 409, reason: 'AlreadyExists' });
    const read = step('read');
    t.strictSame([read.name, read.uid, read.resourceVersion, read.data], [NAME, created.uid, created.resourceVersion, { a: '1' }]);
    t.strictSame(step('list-selected').names, [NAME, OTHER], 'a list by label selector');
  });

  t.test('patch (strategic merge): the data merges', async (t) => {
    const patched = step('patch');
    t.strictSame(patched.data, PATCHED);
    t.ok(Number(patched.resourceVersion) > Number(step('create').resourceVersion), 'a newer resourceVersion');
    t.strictSame(step('read-missing').error, { code: 404, reason: 'NotFound' });
  });

  t.test('delete: gone from reads and lists', async (t) => {
    t.equal(step('delete').name, NAME);
    t.strictSame(step('read-deleted').error, { code: 404, reason: 'NotFound' });
    t.strictSame(step('list-after-delete').names, []);
  });

  t.test('watch through the other server: every change, in order', async (t) => {
    t.equal(step('watch').finished, true, 'the watch saw the last DELETED and stopped');
    t.strictSame(step('watch').events, collectionEvents, 'the collection: ADDED, MODIFIED, DELETED');
    t.equal(step('watch-one').finished, true);
    t.strictSame(step('watch-one').events, collectionEvents.filter((e) => e.name === NAME), `one object (${NAME}): its own events only`);
  });

  t.test(`what only ${c.name} does`, async (t) => more(t, steps));
}
