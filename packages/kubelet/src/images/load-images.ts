// The image table a runtime starts with: the built-ins (with the host's python3, if any, behind
// a `python` alias under the root dir) and then the entries of --image-config.
import { join } from 'node:path';
import { builtinImages } from './builtin-images.js';
import { loadImageConfig } from './image-config.js';
import { ImageTable } from './image-table.js';
import { findPython3, preparePythonAlias } from './python-alias.js';

export async function loadImageTable(rootDir: string, imageConfigPath?: string): Promise<ImageTable> {
  const pythonPath = await findPython3();
  const pythonAliasDir = pythonPath === undefined ? undefined : await preparePythonAlias(join(rootDir, 'images', 'python', 'bin'), pythonPath);
  const table = new ImageTable(builtinImages({
    nodePath: process.execPath,
    ...(pythonPath !== undefined && pythonAliasDir !== undefined && { pythonPath, pythonAliasDir }),
  }));
  return imageConfigPath === undefined ? table : table.withEntries(await loadImageConfig(imageConfigPath));
}
