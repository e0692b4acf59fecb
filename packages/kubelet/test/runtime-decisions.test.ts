// The process runtime's decisions without processes: exit codes to statuses, adopt or finish
// after a restart, the wrapper's command line, and paths through mounts.
import t from 'tap';
import { adoptOrFinish } from '../src/runtime/adoption.js';
import { hostPathOf, mountOrder } from '../src/runtime/container-paths.js';
import { exitStatusOf, parseExitFile, startFailedMarker } from '../src/runtime/exit-status.js';
import { nsenterArgs, wrapperCommand } from '../src/runtime/isolation.js';
import { pathsUsedBy } from '../src/runtime/mount-points.js';

t.test('an exit code becomes Completed or Error, with the signal for 128+n', async (t) => {
  t.same(exitStatusOf(0), { exitCode: 0, reason: 'Completed' });
  t.same(exitStatusOf(1), { exitCode: 1, reason: 'Error' });
  t.same(exitStatusOf(143), { exitCode: 143, reason: 'Error', signal: 'SIGTERM' });
  t.same(exitStatusOf(137), { exitCode: 137, reason: 'Error', signal: 'SIGKILL' });
  t.same(exitStatusOf(255), { exitCode: 255, reason: 'Error' }, 'no signal 127');
  t.same(parseExitFile('3\n'), { exitCode: 3, reason: 'Error' });
  t.match(parseExitFile(`${startFailedMarker}\n`), { exitCode: 128, reason: 'StartError', message: /see its log/ });
  t.match(parseExitFile(`${startFailedMarker}: cannot set the hostname x\n`), { message: /set up: cannot set the hostname x$/ });
  t.equal(parseExitFile(''), undefined);
  t.equal(parseExitFile(undefined), undefined);
  t.equal(parseExitFile('garbage'), undefined);
});

t.test('after a restart: adopt only the same living process, else finish with the recorded code', async (t) => {
  const leader = { pid: 42, startTime: '1000' };
  t.same(adoptOrFinish({ leader }, undefined, () => true), { kind: 'adopt', leader });
  t.match(adoptOrFinish({ leader }, '0\n', () => false), { kind: 'finish', status: { exitCode: 0, reason: 'Completed', message: /kubelet was down/ } });
  t.match(adoptOrFinish({ leader }, undefined, () => false), { kind: 'finish', status: { exitCode: 137, reason: 'ContainerStatusUnknown' } });
  t.match(adoptOrFinish({}, '5', () => true), { kind: 'finish', status: { exitCode: 5 } }, 'no leader recorded: nothing to adopt');
});

t.test('the wrapper gets every path and argument as a positional parameter', async (t) => {
  const hostile = ['$(touch /tmp/pwned)', '"; exit 9; "', "it's", 'a b'];
  const inputs = {
    hostname: 'web', exitFile: '/r/exit code', readyFile: '/r/ready', workingDir: '/w d',
    mounts: [{ hostPath: '/h $x', containerPath: '/c`y`', readOnly: true }], argv: ['echo', ...hostile],
  };
  const isolated = wrapperCommand('namespaces', inputs);
  t.equal(isolated.file, 'unshare');
  t.same(isolated.args.slice(0, 6), ['--mount', '--uts', '--pid', '--fork', '--mount-proc', '--kill-child']);
  const script = isolated.args[8]!;
  t.same(isolated.args.slice(9), ['sh', 'web', '/r/exit code', '/r/ready', '/w d', '1', '/h $x', '/c`y`', 'ro', 'echo', ...hostile]);
  for (const value of [...hostile, '/h $x', '/r/exit code']) t.notOk(script.includes(value), `${value} is not in the script`);
  const plain = wrapperCommand('none', inputs);
  t.equal(plain.file, '/bin/sh');
  t.same(plain.args.slice(3), ['', '/r/exit code', '/r/ready', '/w d', '0', 'echo', ...hostile], 'no hostname and no mounts without namespaces');
  t.same(wrapperCommand('user-namespaces', inputs).args.slice(0, 2), ['--user', '--map-root-user']);
  t.same(nsenterArgs('namespaces', 7), ['--target', '7', '--mount', '--uts', '--pid', '--']);
});

t.test('container paths map through the mounts that cover them', async (t) => {
  const mounts = [
    { hostPath: '/var/pods/a/vol', containerPath: '/data/sub', readOnly: false },
    { hostPath: '/srv/data', containerPath: '/data', readOnly: false },
  ];
  t.same(mountOrder(mounts).map((m) => m.containerPath), ['/data', '/data/sub'], 'a mount inside another comes after it');
  t.equal(hostPathOf(mounts, '/data/x/y'), '/srv/data/x/y');
  t.equal(hostPathOf(mounts, '/data/sub/z'), '/var/pods/a/vol/z');
  t.equal(hostPathOf(mounts, '/etc/hosts'), '/etc/hosts');
  t.equal(hostPathOf(mounts, '/database'), '/database', 'a prefix of a name is not a parent');
  t.same([...pathsUsedBy(mounts)].sort(), ['/data', '/srv', '/srv/data', '/srv/data/sub'], 'the nested target is made inside the outer volume');
});
