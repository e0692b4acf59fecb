// The images every process runtime has: the Node.js that runs the kubelet, the host's shell and
// core utilities under the names of the common base images, and the host's python3 (through an
// alias directory, see load-images.ts).
import { dirname } from 'node:path';
import { standardPath, type ImageEntry } from './image-table.js';

const shellImages = ['busybox', 'alpine', 'debian', 'ubuntu'];

export interface BuiltinImageHost {
  /** The node binary (process.execPath). */
  nodePath: string;
  /** The directory that holds (or will hold) `python` and `python3` for the host's python3. */
  pythonAliasDir: string;
}

export function builtinImages(host: BuiltinImageHost): ImageEntry[] {
  const entries: ImageEntry[] = [
    // As the node image: `node` unless the pod gives a command; args alone go to node.
    { name: 'node', path: [dirname(host.nodePath), ...standardPath], entrypoint: ['node'], ref: `kubets-process://node@${host.nodePath}` },
    ...shellImages.map((name) => ({ name, path: standardPath, cmd: ['sh'], ref: `kubets-process://${name}@/bin/sh` })),
  ];
  entries.push({ name: 'python', path: [host.pythonAliasDir, ...standardPath], cmd: ['python3'], ref: `kubets-process://python@${host.pythonAliasDir}/python3` });
  return entries;
}
