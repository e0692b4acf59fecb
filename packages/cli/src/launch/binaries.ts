// Where each kubets component's program is. The launcher spawns components, it never imports
// them: it finds each workspace package at run time (npm links every workspace into
// node_modules/@kubets), so the CLI needs no compile-time reference to any component. Every
// component runs as plain node on its built dist/src/main.js.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type ComponentPackage = 'etcd' | 'apiserver' | 'scheduler' | 'controller-manager' | 'kubelet' | 'kube-proxy';

/** The absolute path of the component's built program, e.g. kubets-etcd's dist/src/main.js. */
export function componentMain(pkg: ComponentPackage): string {
  const main = join(packageRoot(`@kubets/${pkg}`), 'dist', 'src', 'main.js');
  if (!existsSync(main)) throw new Error(`@kubets/${pkg} is not built (${main} is missing): run npm run build`);
  return main;
}

/** Up from the package's resolved entry point to its package.json (its exports do not list package.json). */
function packageRoot(name: string): string {
  let dir = dirname(fileURLToPath(import.meta.resolve(name)));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === name) return dir;
    if (dirname(dir) === dir) throw new Error(`cannot find the package.json of ${name}`);
    dir = dirname(dir);
  }
}
