// The image table: names with registry prefixes and tags, the built-ins, the config file, and
// how command and args combine with the image's defaults.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { builtinImages } from '../src/images/builtin-images.js';
import { ImageConfigError, loadImageConfig } from '../src/images/image-config.js';
import { parseImageName } from '../src/images/image-name.js';
import { ImageTable, unknownImageMessage } from '../src/images/image-table.js';
import { containerArgv, containerEnvironment, findExecutable } from '../src/runtime/container-command.js';

const table = new ImageTable(builtinImages({ nodePath: '/opt/node/bin/node', pythonAliasDir: '/r/python' }));

t.test('image names drop the default registry and keep tag and digest', async (t) => {
  t.same(parseImageName('node'), { repository: 'node' });
  t.same(parseImageName('docker.io/library/node:20-alpine'), { repository: 'node', tag: '20-alpine' });
  t.same(parseImageName('localhost:5000/tools/jq:1'), { repository: 'localhost:5000/tools/jq', tag: '1' });
  t.equal(parseImageName('Node')?.repository, undefined, 'upper case is not a repository');
  t.equal(parseImageName(''), undefined);
  t.equal(parseImageName('busybox@sha256:abc')?.repository, undefined, 'a digest too short');
});

t.test('the built-in images, with any tag and the docker.io/library prefix', async (t) => {
  for (const image of ['node', 'node:20', 'docker.io/library/node:18', 'busybox', 'alpine:3.20', 'debian', 'ubuntu:24.04', 'python:3.12']) {
    t.equal(table.lookup(image).kind, 'found', image);
  }
  const node = table.lookup('node:20');
  t.equal(node.kind === 'found' && node.entry.path[0], '/opt/node/bin');
  t.equal(table.lookup('nginx').kind, 'unknown');
  t.equal(table.lookup('Bad Name').kind, 'invalid');
  t.equal(unknownImageMessage('nginx', table),
    'image "nginx" is not in the process runtime\'s image table (it runs: node, busybox, alpine, debian, ubuntu, python; see --image-config)');
});

t.test('command and args combine with the image defaults as Docker does', async (t) => {
  const node = { name: 'node', path: [], entrypoint: ['node'], ref: '' };
  const sh = { name: 'busybox', path: [], cmd: ['sh'], ref: '' };
  t.same(containerArgv({ command: [], args: [] }, node), ['node']);
  t.same(containerArgv({ command: [], args: ['-e', '1'] }, node), ['node', '-e', '1']);
  t.same(containerArgv({ command: ['sleep'], args: ['1'] }, node), ['sleep', '1']);
  t.same(containerArgv({ command: [], args: [] }, sh), ['sh']);
  t.same(containerArgv({ command: [], args: ['-c', 'true'] }, sh), ['-c', 'true'], 'args replace cmd');
  t.same(containerArgv({ command: [], args: [] }, { name: 'x', path: [], ref: '' }), []);
});

t.test('the environment: image PATH, HOSTNAME and HOME unless env sets them; KUBETS_POD_IP always', async (t) => {
  const image = { name: 'busybox', path: ['/a', '/b'], ref: '' };
  t.same(containerEnvironment({ env: [], image, hostname: 'web', home: '/root', podIP: '127.1.0.5' }),
    { PATH: '/a:/b', HOSTNAME: 'web', HOME: '/root', KUBETS_POD_IP: '127.1.0.5' });
  const env = containerEnvironment({ env: [{ name: 'PATH', value: '/x' }, { name: 'A', value: '1' }, { name: 'A', value: '2' }], image, hostname: 'h', home: '/root', podIP: '127.0.0.9' });
  t.equal(env['PATH'], '/x');
  t.equal(env['A'], '2', 'later entries win');
});

t.test('an executable is found on PATH, or by its path when it has a slash', async (t) => {
  const exists = (p: string) => ['/bin/sh', '/work/run.sh'].includes(p);
  t.equal(findExecutable('sh', '/usr/bin:/bin', '/work', exists), '/bin/sh');
  t.equal(findExecutable('./run.sh', '/bin', '/work', exists), '/work/run.sh');
  t.equal(findExecutable('nope', '/usr/bin:/bin', '/work', exists), undefined);
  t.equal(findExecutable('', '/bin', '/work', exists), undefined);
});

t.test('--image-config adds and overrides entries, from JSON or YAML', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'kubets-images-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'a.yaml'), 'images:\n- name: ruby\n  path: [/opt/ruby/bin]\n  cmd: [irb]\n- name: node:16\n  path: /opt/node16/bin:/usr/bin\n  entrypoint: [node]\n');
  await writeFile(join(dir, 'b.json'), JSON.stringify([{ name: 'busybox', path: ['/opt/busybox'], cmd: ['ash'] }]));
  await writeFile(join(dir, 'bad.json'), JSON.stringify([{ path: ['/x'] }]));
  const extended = table.withEntries([...(await loadImageConfig(join(dir, 'a.yaml'))), ...(await loadImageConfig(join(dir, 'b.json')))]);
  const ruby = extended.lookup('ruby:3');
  t.same(ruby.kind === 'found' && ruby.entry.cmd, ['irb']);
  const node16 = extended.lookup('docker.io/library/node:16');
  t.same(node16.kind === 'found' && node16.entry.path, ['/opt/node16/bin', '/usr/bin'], 'a tagged entry wins for its tag');
  const node20 = extended.lookup('node:20');
  t.equal(node20.kind === 'found' && node20.entry.path[0], '/opt/node/bin');
  const busybox = extended.lookup('busybox');
  t.same(busybox.kind === 'found' && busybox.entry.cmd, ['ash'], 'the file overrides a built-in');
  await t.rejects(loadImageConfig(join(dir, 'bad.json')), ImageConfigError);
});
