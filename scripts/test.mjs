#!/usr/bin/env node
// `npm test`: build and type-check everything with one `tsc -b` (then bundle the components),
// run every package's tap tests on the compiled output, then print one summary of tests passed
// and failed.
// A package's full TAP log is printed only when something in it failed, so CI logs stay readable.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const only = process.argv.slice(2); // optional package names, e.g. `npm test -- api raft`

function run(cmd, args, opts = {}) {
  return spawnSync(cmd, args, { cwd: root, encoding: 'utf8', maxBuffer: 1 << 30, ...opts });
}

const build = run('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
if (build.status !== 0) {
  console.error('\nnpm test: the build (tsc -b, then the bundles) failed; no tests were run.');
  process.exit(1);
}

function hasTests(dir) {
  if (!existsSync(dir)) return false;
  return readdirSync(dir, { recursive: true }).some((f) => String(f).endsWith('.test.js'));
}

const workspaces = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).workspaces;
const results = [];
for (const ws of workspaces) {
  const name = ws.split('/').pop();
  if (only.length > 0 && !only.includes(name)) continue;
  const dir = join(root, ws);
  if (!hasTests(join(dir, 'dist', 'test'))) {
    results.push({ name, files: 0, filesFailed: 0, pass: 0, fail: 0, skipped: true });
    continue;
  }
  const started = Date.now();
  const r = run('npx', ['tap', '--reporter=tap', '--no-color'], { cwd: dir, env: { ...process.env, FORCE_COLOR: '0' } });
  const out = `${r.stdout}${r.stderr}`;
  // Top-level lines are one per test file; the final comment carries the assertion totals.
  const fileLines = out.split('\n').filter((l) => /^(not )?ok \d+ - /.test(l));
  const filesFailed = fileLines.filter((l) => l.startsWith('not ok')).length;
  const totals = out.match(/^# \{ total: (\d+)(?:, pass: (\d+))?(?:, fail: (\d+))?/m);
  const pass = totals ? Number(totals[2] ?? 0) : 0;
  const fail = totals ? Number(totals[3] ?? 0) : 0;
  const failed = r.status !== 0 || filesFailed > 0 || fail > 0 || !totals;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`\n== ${name}: ${fileLines.length} files, ${pass} passed, ${fail} failed (${seconds}s)`);
  for (const l of fileLines) console.log(`   ${l}`);
  if (failed) {
    console.log(`\n---- full TAP output of ${name} ----\n${out}\n---- end of ${name} ----`);
  }
  results.push({ name, files: fileLines.length, filesFailed, pass, fail: failed && fail === 0 ? 1 : fail, skipped: false });
}

const pass = results.reduce((n, r) => n + r.pass, 0);
const fail = results.reduce((n, r) => n + r.fail, 0);
console.log('\nnpm test summary');
for (const r of results) {
  console.log(`  ${r.name.padEnd(20)} ${r.skipped ? 'no tests yet' : `${r.files} files, ${r.pass} passed, ${r.fail} failed`}`);
}
console.log(`  ${'total'.padEnd(20)} ${pass} passed, ${fail} failed`);
process.exit(fail > 0 ? 1 : 0);
