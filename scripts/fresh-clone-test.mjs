#!/usr/bin/env node
// What a new user does, checked on a fresh clone of this checkout in a temporary directory:
// `npm install` links every kubets command (before anything is built) and builds; `npm start`
// brings the cluster up (here with --detach, on free ports, in a temporary data dir); kubectl
// lists the namespaces through the kubeconfig it printed; `kubets down` stops every process.
// CI runs it after `npm test`. It stops exactly what it started and removes its directories.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const source = fileURLToPath(new URL('..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'kubets-fresh-clone-'));
const clone = join(work, 'kubets');
const home = join(work, 'home');
const env = { ...process.env, HOME: home, KUBECONFIG: '' };
let failed = false;

/** A git clone of this checkout; where it is no git repository, its files without node_modules and dist. */
function freshCopy() {
  if (existsSync(join(source, '.git'))) {
    execFileSync('git', ['clone', '--quiet', source, clone], { stdio: 'inherit' });
    return;
  }
  cpSync(source, clone, { recursive: true, filter: (f) => !/[/](node_modules|dist)$/.test(f) });
}

function step(what, cmd, args, opts = {}) {
  console.log(`\n== ${what}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: clone, env, encoding: 'utf8', stdio: opts.capture ? 'pipe' : 'inherit', timeout: 900_000 });
  if (r.status !== (opts.status ?? 0)) throw new Error(`${what} failed (exit ${r.status}):\n${r.stdout ?? ''}${r.stderr ?? ''}`);
  return `${r.stdout ?? ''}${r.stderr ?? ''}`;
}

try {
  freshCopy();
  step('install', 'npm', ['install', '--no-audit', '--no-fund']);
  for (const bin of ['kubets', 'kubets-etcd', 'kubets-apiserver', 'kubets-scheduler', 'kubets-controller-manager', 'kubets-kubelet', 'kubets-kube-proxy']) {
    if (!existsSync(join(clone, 'node_modules', '.bin', bin))) throw new Error(`npm install did not link ${bin}`);
  }
  step('npx kubets', 'npx', ['kubets', '--help'], { capture: true });
  step('npx kubets-etcd', 'npx', ['kubets-etcd', '--help'], { capture: true });
  const dataDir = join(work, 'cluster');
  const up = step('npm start', 'npm', ['start', '--', '--detach', '--data-dir', dataDir, '--port', '0'], { capture: true });
  console.log(up);
  const exportLine = /export KUBECONFIG=(\S+)/.exec(up);
  if (exportLine === null) throw new Error('npm start printed no export KUBECONFIG= line');
  const ns = step('kubectl get ns', 'kubectl', [`--kubeconfig=${exportLine[1]}`, 'get', 'ns'], { capture: true });
  console.log(ns);
  if (!/kube-system/.test(ns)) throw new Error('kubectl get ns did not list kube-system');
  console.log(step('kubets status', 'npx', ['kubets', 'status', '--data-dir', dataDir], { capture: true }));
  step('kubets down', 'npx', ['kubets', 'down', '--data-dir', dataDir]);
} catch (e) {
  failed = true;
  console.error(`\nfresh clone test: ${e.message}`);
  // Leave no cluster behind: down stops exactly the processes recorded for this data dir.
  spawnSync('node', [join(clone, 'packages/cli/dist/src/main.js'), 'down', '--data-dir', join(work, 'cluster')], { env, stdio: 'inherit' });
} finally {
  rmSync(work, { recursive: true, force: true });
}
console.log(failed ? '\nfresh clone test: FAILED' : '\nfresh clone test: passed');
process.exit(failed ? 1 : 0);
