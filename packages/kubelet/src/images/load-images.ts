// The image table a runtime starts with: the built-ins and then the entries of --image-config.
// The python image runs the host's python3 through a `python`/`python3` alias directory under
// the root dir; finding the interpreter can take seconds (a version manager's shim), so the
// alias is made in the background and a container start waits for it (`ready`).
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { builtinImages } from './builtin-images.js';
import { loadImageConfig } from './image-config.js';
import { ImageTable } from './image-table.js';
import { findPython3, preparePythonAlias } from './python-alias.js';

export interface LoadedImages {
  table: ImageTable;
  /** Settles once the python alias is made (or known impossible: no python3 on this host). */
  ready: Promise<void>;
}

export async function loadImageTable(rootDir: string, imageConfigPath?: string): Promise<LoadedImages> {
  const pythonAliasDir = join(rootDir, 'images', 'python', 'bin');
  await mkdir(pythonAliasDir, { recursive: true });
  const table = new ImageTable(builtinImages({ nodePath: process.execPath, pythonAliasDir }));
  const ready = findPython3().then(async (python3) => {
    if (python3 !== undefined) await preparePythonAlias(pythonAliasDir, python3);
  });
  return { table: imageConfigPath === undefined ? table : table.withEntries(await loadImageConfig(imageConfigPath)), ready };
}
