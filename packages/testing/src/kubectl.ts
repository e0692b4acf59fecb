// The real kubectl for tests: its builds sit in one folder (KUBECTL_DIR, else beside the file
// /usr/bin/kubectl links to): kubectl (1.32) and its siblings kubectl.1.27 ... kubectl.1.33.
import { existsSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';

export function kubectlDirectory(): string {
  return process.env.KUBECTL_DIR ?? (existsSync('/usr/bin/kubectl') ? dirname(realpathSync('/usr/bin/kubectl')) : '');
}

/** The path of one build (`1.27`), or of the default one; throws, saying what is missing, when it is not there. */
export function kubectlBinary(version?: string): string {
  const bin = join(kubectlDirectory(), version === undefined ? 'kubectl' : `kubectl.${version}`);
  if (!existsSync(bin)) throw new Error(`kubectl ${version ?? ''} is not at ${bin}: set KUBECTL_DIR to the folder of the kubectl builds`);
  return bin;
}
