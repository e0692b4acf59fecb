#!/usr/bin/env node
// `npm start`: build what changed (tsc -b and the bundles are incremental: about two seconds
// when nothing did),
// then run `kubets up` with the arguments given after `--`, e.g. `npm start -- --apiservers 3`.
// The CLI runs in this process, so Ctrl-C reaches it directly and it stops the cluster in order.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) {
  console.error('npm start: the build (tsc -b, then the bundles) failed; see above.');
  process.exit(1);
}
process.argv.splice(2, 0, 'up');
await import('../packages/cli/dist/src/main.js');
