// hostPath's type check, as upstream's checkType (pkg/volume/hostpath/host_path.go): the
// ...OrCreate types make what is missing, the others only check; "" checks nothing.
import { mkdir, open, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';

type FileType = 'Directory' | 'File' | 'Socket' | 'CharDevice' | 'BlockDevice';

const checked: Record<string, { expected: FileType; description: string; create?: (path: string) => Promise<void> }> = {
  DirectoryOrCreate: { expected: 'Directory', description: 'directory', create: (p) => mkdir(p, { recursive: true, mode: 0o755 }).then(() => undefined) },
  Directory: { expected: 'Directory', description: 'directory' },
  FileOrCreate: { expected: 'File', description: 'file', create: makeFile },
  File: { expected: 'File', description: 'file' },
  Socket: { expected: 'Socket', description: 'socket file' },
  CharDevice: { expected: 'CharDevice', description: 'character device' },
  BlockDevice: { expected: 'BlockDevice', description: 'block device' },
};

/** Throws, in upstream's words, when path is not what type asks for. */
export async function checkHostPathType(path: string, type: string | undefined): Promise<void> {
  if (type === undefined || type === '') return;
  const check = checked[type];
  if (check === undefined) throw new Error(`${type} is an invalid volume type`);
  let info = await statOrUndefined(path);
  if (info === undefined && check.create !== undefined) {
    await check.create(path);
    info = await statOrUndefined(path);
  }
  if (info === undefined) throw new Error(`hostPath ${path} doesn't exist`);
  const actual = fileType(info);
  if (actual === undefined) {
    throw new Error(`hostPath type check failed, ${path} is not a ${check.description}, unable to determine its type: only recognise file, directory, socket, block device and character device`);
  }
  if (actual !== check.expected) throw new Error(`hostPath type check failed: ${path} is not a ${check.description}, it's a ${actual}`);
}

function fileType(info: Stats): FileType | undefined {
  if (info.isDirectory()) return 'Directory';
  if (info.isFile()) return 'File';
  if (info.isSocket()) return 'Socket';
  if (info.isCharacterDevice()) return 'CharDevice';
  if (info.isBlockDevice()) return 'BlockDevice';
  return undefined;
}

async function statOrUndefined(path: string): Promise<Stats | undefined> {
  try {
    return await stat(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** An empty file, mode 0644; its directory must exist, as with upstream's O_CREATE. */
async function makeFile(path: string): Promise<void> {
  const handle = await open(path, 'a', 0o644);
  await handle.close();
}
