import t from 'tap';
import { componentCommand, createLogger, levelForVerbosity, resolveLevel } from '../src/index.js';

t.test('klog verbosity maps to pino levels as Kubernetes\' conventions read: 0-3 info, 4 debug, 5+ trace', async (t) => {
  t.same([0, 1, 2, 3, 4, 5, 9].map((v) => levelForVerbosity(v)), ['info', 'info', 'info', 'info', 'debug', 'trace', 'trace']);
});

t.test('--log-level wins over -v; neither means info', async (t) => {
  t.equal(resolveLevel({}), 'info');
  t.equal(resolveLevel({ v: 4 }), 'debug');
  t.equal(resolveLevel({ v: 5, logLevel: 'warn' }), 'warn');
});

const parse = (...argv: string[]) => componentCommand('kubets-x', 'test').exitOverride().configureOutput({ writeErr: () => {} }).parse(argv, { from: 'user' }).opts();

t.test('every component command takes -v, --v and --log-level', async (t) => {
  t.same(parse('-v', '4'), { v: 4 });
  t.same(parse('--v=2'), { v: 2 });
  t.same(parse('--log-level', 'error'), { logLevel: 'error' });
});

t.test('--v also takes a level name, as kubets-apiserver\'s --v did', async (t) => {
  t.same(parse('--v=debug'), { v: 'debug' });
  t.equal(resolveLevel(parse('--v=debug')), 'debug');
});

t.test('a verbosity or level that is neither is refused', async (t) => {
  t.throws(() => parse('-v', 'loud'), { code: 'commander.invalidArgument' });
  t.throws(() => parse('--log-level', 'panic'), { code: 'commander.invalidArgument' });
});

t.test('the logger writes one JSON line per event with the component name and pid, at the level asked for', async (t) => {
  const lines: string[] = [];
  const stream = { write: (s: string) => void lines.push(s) };
  const logger = createLogger('scheduler', { v: 4 }, { stream, base: { node: 'n1' } });
  t.equal(logger.level, 'debug');
  logger.debug({ pod: 'default/web' }, 'scheduled');
  logger.trace('not at v=4');
  t.equal(lines.length, 1);
  t.match(JSON.parse(lines[0]!), { component: 'scheduler', pid: process.pid, node: 'n1', pod: 'default/web', msg: 'scheduled', level: 20 });
});
