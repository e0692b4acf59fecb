// Finding the kubeconfig as kubectl does: an explicit path (--kubeconfig) if given, else the
// KUBECONFIG list (colon-separated; missing files skipped; merged, first wins), else
// ~/.kube/config.

import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { mergeKubeconfigs } from './merge.js';
import { readKubeconfigFile } from './parse.js';
import type { Kubeconfig } from './types.js';

export interface LoadKubeconfigOptions {
  /** An explicit file (the --kubeconfig flag); it must exist. */
  path?: string;
  /** Where KUBECONFIG and HOME come from; process.env by default. */
  env?: Record<string, string | undefined>;
  /** The home directory for the ~/.kube/config default; os.homedir() by default. */
  homeDir?: string;
}

/** The files that would be read, in precedence order (the first wins on every name). */
export function kubeconfigPaths(opts: LoadKubeconfigOptions = {}): string[] {
  if (opts.path !== undefined && opts.path !== '') return [opts.path];
  const env = opts.env ?? process.env;
  const list = env.KUBECONFIG;
  if (list !== undefined && list !== '') {
    const seen = new Set<string>();
    return list.split(delimiter).filter((p) => p !== '' && !seen.has(p) && seen.add(p) !== undefined);
  }
  return [join(opts.homeDir ?? env.HOME ?? homedir(), '.kube', 'config')];
}

/** Loads and merges the kubeconfig; throws when no file is there to read. */
export function loadKubeconfig(opts: LoadKubeconfigOptions = {}): Kubeconfig {
  const paths = kubeconfigPaths(opts);
  const explicit = opts.path !== undefined && opts.path !== '';
  const existing = explicit ? paths : paths.filter((p) => existsSync(p));
  if (existing.length === 0) throw new Error(`no kubeconfig found (looked for ${paths.join(', ')})`);
  return mergeKubeconfigs(existing.map((p) => readKubeconfigFile(p)));
}
