// Running the real kubectl in tests: where its builds are (@kubets/testing knows), a kubeconfig
// for one API server, and a runner that never throws.

import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export { kubectlDirectory } from '@kubets/testing';

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export type Kubectl = (bin: string, args: string[], input?: string) => Promise<KubectlResult>;

/** Writes `dir`/kubeconfig for `serverUrl` (plain HTTP, namespace default) and returns a runner using it. */
export async function kubectlFor(dir: string, serverUrl: string): Promise<Kubectl> {
  const kubeconfig = join(dir, 'kubeconfig');
  await writeFile(kubeconfig, `apiVersion: v1
kind: Config
clusters:
- name: kubets
  cluster:
    server: ${serverUrl}
users:
- name: admin
  user: {}
contexts:
- name: kubets
  context: {cluster: kubets, user: admin, namespace: default}
current-context: kubets
`);
  return (bin, args, input) =>
    new Promise((resolve) => {
      // One discovery cache per build: builds differ in what they cache.
      const cacheDir = join(dir, `cache-${bin.replace(/\W/g, '')}`);
      const child = execFile(bin, [`--kubeconfig=${kubeconfig}`, `--cache-dir=${cacheDir}`, ...args], { timeout: 60_000 }, (err, stdout, stderr) => {
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
      });
      if (input !== undefined) child.stdin!.end(input);
    });
}
