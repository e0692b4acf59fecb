// Where each kubets component's program is. The launcher spawns components, it never imports
// them: it finds each workspace package at run time (npm links every workspace into
// node_modules/@kubets), so the CLI needs no compile-time reference to any component. A
// component runs from its bundle (dist/bundle/main.mjs, made by scripts/bundle.mjs after
// tsc -b; it starts in half the time) when the bundle is current, else from dist/src/main.js,
// so a `tsc -b` without the bundle step never runs yesterday's code.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type ComponentPackage = 'etcd' | 'apiserver' | 'scheduler' | 'controller-manager' | 'kubelet' | 'kube-proxy';

/** The absolute path of the component's program: its current bundle, else its dist/src/main.js. */
export function componentMain(pkg: ComponentPackage): string {
  const dir = packageRoot(`@kubets/${pkg}`);
  const bundle = join(dir, 'dist', 'bundle', 'main.mjs');
  if (bundleIsCurrent(bundle, join(dir, 'dist', 'bundle', 'inputs.json'))) return bundle;
  const main = join(dir, 'dist', 'src', 'main.js');
  if (!existsSync(main)) throw new Error(`@kubets/${pkg} is not built (${main} is missing): run npm run build`);
  return main;
}

/** Current: it exists and none of the files it was made from (inputs.json) changed since. */
function bundleIsCurrent(bundle: string, inputsFile: string): boolean {
  try {
    const built = statSync(bundle).mtimeMs;
    const inputs = JSON.parse(readFileSync(inputsFile, 'utf8')) as string[];
    return inputs.every((f) => statSync(f).mtimeMs <= built);
  } catch {
    // No bundle, no list, or an input gone: not current.
    return false;
  }
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
