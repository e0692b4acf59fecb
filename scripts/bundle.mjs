#!/usr/bin/env node
// After `tsc -b`: one file per component (kubets-etcd, kubets-apiserver, and each later component
// with a src/main.ts), so that a process starts by reading one file instead of resolving and
// loading some 400 modules: kubets-etcd starts in about half the time, kubets-apiserver in
// under half, which is most of `kubets up`'s cold start. esbuild bundles the compiled
// dist/src/main.js into dist/bundle/main.mjs, with a source map and the list of its inputs
// (dist/bundle/inputs.json), by which the launcher tells a current bundle from a stale one and
// this script skips one that is current.
//
//   node scripts/bundle.mjs           bundle what changed
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const components = ['etcd', 'apiserver', 'scheduler', 'controller-manager', 'kubelet', 'kube-proxy'];

/** Current when every input is older than the bundle: the same rule the launcher applies. */
function current(dir) {
  const bundle = join(dir, 'dist/bundle/main.mjs');
  const inputs = join(dir, 'dist/bundle/inputs.json');
  if (!existsSync(bundle) || !existsSync(inputs)) return false;
  const built = statSync(bundle).mtimeMs;
  return JSON.parse(readFileSync(inputs, 'utf8')).every((f) => existsSync(f) && statSync(f).mtimeMs <= built);
}

for (const name of components) {
  const dir = join(root, 'packages', name);
  const entry = join(dir, 'dist/src/main.js');
  if (!existsSync(entry) || current(dir)) continue;
  const started = Date.now();
  const result = await build({
    entryPoints: [entry],
    outfile: join(dir, 'dist/bundle/main.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'warning',
    absWorkingDir: root,
    // ws loads these native helpers if they are installed, and works without them.
    external: ['bufferutil', 'utf-8-validate'],
    // CommonJS dependencies bundled into an ES module still call require() for Node's built-ins.
    banner: { js: "import { createRequire as __kubetsCreateRequire } from 'node:module'; const require = __kubetsCreateRequire(import.meta.url);" },
  });
  const inputs = Object.keys(result.metafile.inputs).map((f) => join(root, f));
  writeFileSync(join(dir, 'dist/bundle/inputs.json'), JSON.stringify(inputs));
  console.log(`bundled ${relative(root, entry)} (${inputs.length} modules) in ${Date.now() - started} ms`);
}
