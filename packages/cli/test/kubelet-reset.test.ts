// Stopping a node's pods: `kubets-kubelet --reset --root-dir D` run to its end, with its failures
// named (KubeletResetError) and never waited on forever. Stand-in programs play the kubelet here;
// the real one's reset is exercised by the test kit's and kubets up's tests.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { KubeletResetError, resetKubeletRootDir, resetKubeletRootDirs } from '../src/launch/kubelet-reset.js';

async function scratch(t: Test): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'kubets-reset-test-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A stand-in kubelet: records its arguments in <dir>/args.json, then runs `then`. */
async function standIn(dir: string, then: string): Promise<string> {
  const program = join(dir, 'kubelet.mjs');
  await writeFile(program, `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(join(dir, 'args.json'))}, JSON.stringify(process.argv.slice(2)));\n${then}\n`);
  return program;
}

t.test('a root dir that does not exist has no pods: nothing is run', async (t) => {
  const dir = await scratch(t);
  await resetKubeletRootDir({ rootDir: join(dir, 'never-made'), program: join(dir, 'no-such-program.mjs') });
  t.pass('resolved without running the program');
});

t.test('the reset is `--reset --root-dir D`, and exit 0 is success', async (t) => {
  const dir = await scratch(t);
  const program = await standIn(dir, 'process.exit(0);');
  await resetKubeletRootDir({ rootDir: dir, program });
  t.same(JSON.parse(await readFile(join(dir, 'args.json'), 'utf8')), ['--reset', `--root-dir=${dir}`]);
});

t.test('a reset that fails is a KubeletResetError with its exit code and last output', async (t) => {
  const dir = await scratch(t);
  const program = await standIn(dir, "process.stderr.write('cannot stop container c1\\n'); process.exit(3);");
  const e = await resetKubeletRootDir({ rootDir: dir, program }).then(() => undefined, (err: unknown) => err);
  t.type(e, KubeletResetError);
  t.equal((e as KubeletResetError).rootDir, dir);
  t.match((e as Error).message, /failed \(exit code 3\)/);
  t.match((e as Error).message, /cannot stop container c1/);
});

t.test('a reset that hangs is killed at its deadline and named as such', async (t) => {
  const dir = await scratch(t);
  const program = await standIn(dir, 'setInterval(() => {}, 1000);');
  const e = await resetKubeletRootDir({ rootDir: dir, program, timeoutMs: 300 }).then(() => undefined, (err: unknown) => err);
  t.type(e, KubeletResetError);
  t.match((e as Error).message, /did not finish within 300 ms/);
});

t.test('several root dirs: all are reset even when one fails, and the failure is thrown after', async (t) => {
  const dir = await scratch(t);
  const ok = await standIn(dir, 'process.exit(0);');
  const failing = join(dir, 'failing.mjs');
  await writeFile(failing, 'process.exit(4);');
  const done = join(dir, 'args.json');
  const e = await resetKubeletRootDirs([{ rootDir: dir, program: failing }, { rootDir: dir, program: ok }]).then(() => undefined, (err: unknown) => err);
  t.type(e, KubeletResetError, 'the one failure, as it is');
  t.ok(existsSync(done), 'the other reset ran to its end');
});
