// Where each kubets component's program is. The launcher spawns components, it never imports
// them: it finds each workspace package's `bin` entry at run time (npm links every workspace
// into node_modules/@kubets), so the CLI needs no compile-time reference to any component.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type ComponentPackage = 'etcd' | 'apiserver' | 'scheduler' | 'controller-manager' | 'kubelet' | 'kube-proxy';

/** The absolute path of the package's command (its package.json `bin`), e.g. kubets-etcd's dist/src/main.js. */
export function componentMain(pkg: ComponentPackage): string {
  const manifest = manifestOf(`@kubets/${pkg}`);
  const { bin } = JSON.parse(readFileSync(manifest, 'utf8')) as { bin?: Record<string, string> };
  const entry = bin === undefined ? undefined : Object.values(bin)[0];
  if (entry === undefined) throw new Error(`@kubets/${pkg} has no bin entry in its package.json`);
  return join(dirname(manifest), entry);
}

/** The package's package.json: up from its resolved entry point (its exports do not list package.json). */
function manifestOf(name: string): string {
  let dir = dirname(fileURLToPath(import.meta.resolve(name)));
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate) && (JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string }).name === name) return candidate;
    if (dirname(dir) === dir) throw new Error(`cannot find the package.json of ${name}`);
    dir = dirname(dir);
  }
}
