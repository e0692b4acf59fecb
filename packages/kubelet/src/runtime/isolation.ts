// How a container is isolated: its own mount, UTS and PID namespaces, made by unshare(1) as
// root or inside an unprivileged user namespace, or none where neither works. Inside, a shell
// runs as PID 1: it bind-mounts the volumes, sets the hostname, enters the working directory,
// runs the container's argv, and writes its exit code to a file, so the code is recorded even
// while no kubelet is running. TERM is trapped so the shell outlives its child to write the
// code (128+n for signal n). Every path and argument reaches the shell as a positional
// parameter, never as script text.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startFailedMarker } from './exit-status.js';

export type IsolationMode = 'namespaces' | 'user-namespaces' | 'none';

export interface WrapperMount {
  hostPath: string;
  containerPath: string;
  readOnly: boolean;
}

export interface WrapperInputs {
  hostname: string;
  exitFile: string;
  /** Made by the container's process just before it execs the argv. */
  readyFile: string;
  /** The working directory as the container sees it (after the mounts). */
  workingDir: string;
  mounts: WrapperMount[];
  argv: string[];
}

const namespaceFlags = ['--mount', '--uts', '--pid', '--fork', '--mount-proc', '--kill-child'];

export function unshareArgs(mode: IsolationMode): string[] {
  if (mode === 'namespaces') return namespaceFlags;
  if (mode === 'user-namespaces') return ['--user', '--map-root-user', ...namespaceFlags];
  return [];
}

// Setup commands run with the system PATH, so the container's own PATH cannot hide them.
const systemPath = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

// $1 hostname (empty: keep), $2 exit file, $3 ready file, $4 working dir, $5 mount count, then
// (source target ro|rw) per mount, then the container's argv. A TERM during setup is remembered
// and ends it before the command runs. The command's own process writes the ready file just
// before it execs, so once the file exists a TERM reaches the command (traps are not inherited).
const wrapperScript = [
  "trap 'term=1' TERM",
  'h=$1 x=$2 r=$3 wd=$4 n=$5',
  'shift 5',
  `fail() { echo "kubets: $*" >&2; echo "${startFailedMarker}: $*" > "$x"; exit 128; }`,
  'while [ "$n" -gt 0 ]; do',
  `  ${systemPath} mount --bind "$1" "$2" || fail "cannot bind-mount $1 at $2"`,
  `  if [ "$3" = ro ]; then ${systemPath} mount -o remount,bind,ro "$2" || fail "cannot make $2 read-only"; fi`,
  '  shift 3; n=$((n - 1))',
  'done',
  `if [ -n "$h" ]; then ${systemPath} hostname "$h" || fail "cannot set the hostname $h"; fi`,
  'cd "$wd" || fail "cannot enter the working directory $wd"',
  'if [ -n "$term" ]; then echo 143 > "$x"; exit 143; fi',
  'trap : TERM',
  `/bin/sh -c ': > "$0"; exec "$@"' "$r" "$@"`,
  'echo $? > "$x"',
].join('\n');

/** The program and arguments that start a container in the given mode. */
export function wrapperCommand(mode: IsolationMode, inputs: WrapperInputs): { file: string; args: string[] } {
  const isolated = mode !== 'none';
  const mounts = isolated ? inputs.mounts : [];
  const params = [
    isolated ? inputs.hostname : '',
    inputs.exitFile,
    inputs.readyFile,
    inputs.workingDir,
    String(mounts.length),
    ...mounts.flatMap((m) => [m.hostPath, m.containerPath, m.readOnly ? 'ro' : 'rw']),
    ...inputs.argv,
  ];
  const shell = ['/bin/sh', '-c', wrapperScript, 'sh', ...params];
  return isolated ? { file: 'unshare', args: [...unshareArgs(mode), ...shell] } : { file: shell[0]!, args: shell.slice(1) };
}

const run = promisify(execFile);

async function works(args: string[]): Promise<boolean> {
  try {
    await run('unshare', [...args, 'true'], { timeout: 10_000 });
    return true;
  } catch {
    return false; // this mode is not available here; the probe tries the next one
  }
}

/** Which isolation this host gives: namespaces as root, else a user namespace, else none. */
export async function probeIsolation(): Promise<IsolationMode> {
  if (process.getuid?.() === 0 && (await works(unshareArgs('namespaces')))) return 'namespaces';
  if (await works(unshareArgs('user-namespaces'))) return 'user-namespaces';
  return 'none';
}

/** nsenter's arguments to run a command in the namespaces of a container's PID 1. */
export function nsenterArgs(mode: IsolationMode, targetPid: number): string[] {
  const user = mode === 'user-namespaces' ? ['--user', '--preserve-credentials'] : [];
  return ['--target', String(targetPid), ...user, '--mount', '--uts', '--pid', '--'];
}
