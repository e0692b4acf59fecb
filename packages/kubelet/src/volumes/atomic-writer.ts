// Writes a set of files into a directory so that a reader sees either the whole old set or the
// whole new one, never a mix, as upstream's AtomicWriter (pkg/volume/util/atomic_writer.go):
//
//   <target>/..2026_12_06_22_44_34.123456  the files of one version (a fresh directory each time)
//   <target>/..data -> ..2026_12_06_...    swapped by renaming a new symlink over it (atomic)
//   <target>/<top-level name> -> ..data/<top-level name>  what users open
//
// A reader that resolves ..data once sees one version; the old version's directory is removed
// only after the swap. Nothing is written when the files and modes are already as asked.
import { randomBytes } from 'node:crypto';
import { chmod, lstat, mkdir, readFile, readdir, readlink, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export interface FileProjection {
  data: Buffer;
  /** Permission bits, e.g. 0o644. */
  mode: number;
}

/** Relative path (as the volume's items name it) -> content and mode. */
export type Payload = Map<string, FileProjection>;

const dataDirName = '..data';
const newDataDirName = '..data_tmp';
const versionDirPattern = /^\.\.\d{4}_\d\d_\d\d_\d\d_\d\d_\d\d\./;
const maxPathLength = 4096;
const maxSegmentLength = 255;

/** Why a payload path is refused, in upstream's words; undefined when it is fine. */
export function invalidPayloadPath(path: string): string | undefined {
  if (path.length > maxPathLength) return `invalid path: must be less than or equal to ${maxPathLength} characters`;
  if (path.startsWith('/')) return 'invalid path: must be relative path';
  const segments = path.split('/');
  if (segments.some((s) => s.length > maxSegmentLength)) return `invalid path: must not contain elements longer than ${maxSegmentLength} characters`;
  if (segments.includes('..')) return "invalid path: must not contain '..'";
  if (path.startsWith('..')) return "invalid path: must not start with '..'";
  if (path === '' || segments.some((s) => s === '')) return 'invalid path: must not be empty or contain empty elements';
  return undefined;
}

/** Makes targetDir hold exactly payload; answers whether anything was written. */
export async function writeAtomically(targetDir: string, payload: Payload): Promise<boolean> {
  for (const path of payload.keys()) {
    const why = invalidPayloadPath(path);
    if (why !== undefined) throw new Error(`${why}: ${path}`);
  }
  await mkdir(targetDir, { recursive: true });
  const oldVersion = await currentVersionDir(targetDir);
  const oldPaths = oldVersion === undefined ? new Set<string>() : await filesUnder(join(targetDir, oldVersion));
  const stale = topLevelNames(oldPaths).filter((name) => !topLevelNames(payload.keys()).includes(name));
  if (oldVersion !== undefined && stale.length === 0 && (await sameAsOnDisk(join(targetDir, oldVersion), oldPaths, payload))) return false;

  const version = versionDirName();
  await writePayload(join(targetDir, version), payload);
  await linkUserVisibleNames(targetDir, payload);
  await swapDataLink(targetDir, version);
  for (const name of stale) await rm(join(targetDir, name), { force: true });
  await removeVersionsExcept(targetDir, version);
  return true;
}

/** Removes the old version, and any a crash left behind between writing a version and the swap. */
async function removeVersionsExcept(targetDir: string, current: string): Promise<void> {
  for (const name of await readdir(targetDir)) {
    if (versionDirPattern.test(name) && name !== current) await rm(join(targetDir, name), { recursive: true, force: true });
  }
}

/** The name ..data points to, if it exists. */
async function currentVersionDir(targetDir: string): Promise<string | undefined> {
  try {
    return await readlink(join(targetDir, dataDirName));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** `..2006_01_02_15_04_05.<random>` in UTC, as upstream names them. */
function versionDirName(now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getUTCFullYear()}_${p(now.getUTCMonth() + 1)}_${p(now.getUTCDate())}_${p(now.getUTCHours())}_${p(now.getUTCMinutes())}_${p(now.getUTCSeconds())}`;
  return `..${stamp}.${randomBytes(5).toString('hex')}`;
}

async function writePayload(dir: string, payload: Payload): Promise<void> {
  await mkdir(dir, { mode: 0o755 });
  for (const [path, file] of payload) {
    const full = join(dir, path);
    await mkdir(dirname(full), { recursive: true, mode: 0o755 });
    await writeFile(full, file.data, { mode: file.mode });
    // writeFile's mode goes through the umask; the volume's mode is exact.
    await chmod(full, file.mode);
  }
}

/** Every new top-level name becomes a symlink through ..data (existing ones already are). */
async function linkUserVisibleNames(targetDir: string, payload: Payload): Promise<void> {
  for (const name of topLevelNames(payload.keys())) {
    const link = join(targetDir, name);
    if (await exists(link)) continue;
    await symlink(join(dataDirName, name), link);
  }
}

/** Points ..data at version: a new symlink renamed over the old one, which rename(2) does atomically. */
async function swapDataLink(targetDir: string, version: string): Promise<void> {
  const tmp = join(targetDir, newDataDirName);
  await rm(tmp, { force: true });
  await symlink(version, tmp);
  await rename(tmp, join(targetDir, dataDirName));
}

async function sameAsOnDisk(versionDir: string, onDisk: Set<string>, payload: Payload): Promise<boolean> {
  if (onDisk.size !== payload.size) return false;
  for (const [path, file] of payload) {
    if (!onDisk.has(path)) return false;
    const full = join(versionDir, path);
    const [content, info] = await Promise.all([readFile(full), stat(full)]);
    if ((info.mode & 0o7777) !== file.mode || !content.equals(file.data)) return false;
  }
  return true;
}

/** The files (not directories) under dir, as paths relative to it. */
async function filesUnder(dir: string): Promise<Set<string>> {
  const out = new Set<string>();
  let entries;
  try {
    entries = await readdir(dir, { recursive: true, withFileTypes: true });
  } catch (e) {
    // ..data pointing nowhere (its version removed by hand): the payload is written again.
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return out;
    throw e;
  }
  for (const entry of entries) {
    if (!entry.isDirectory()) out.add(join(entry.parentPath, entry.name).slice(dir.length + 1));
  }
  return out;
}

function topLevelNames(paths: Iterable<string>): string[] {
  return [...new Set([...paths].map((p) => p.split('/')[0]!))];
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}
