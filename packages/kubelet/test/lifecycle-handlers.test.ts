// postStart/preStop hooks: exec through a fake exec, httpGet against local servers, sleep on a
// fake clock; the messages are upstream's.
import type { Container, Pod } from '@kubets/api';
import { FakeClock } from '@kubets/client/clock';
import t from 'tap';
import { runLifecycleHandler, type LifecycleContext } from '../src/lifecycle/handlers.js';
import { closedPort, execResult, fakeExec, httpServer, loopback } from './prober-util.js';

const pod: Pod = { metadata: { name: 'web-1', namespace: 'shop', uid: 'uid-1' } };
const where = 'for Container "app" in Pod "web-1_shop(uid-1)"';

function ctx(extra: Partial<LifecycleContext> = {}, container: Container = { name: 'app' }): LifecycleContext {
  const { exec } = fakeExec(() => execResult(0));
  return { exec, containerId: 'c1', podIP: loopback, container, timeoutMs: 2000, pod, ...extra };
}

t.test('exec: exit 0 is fine; a non-zero exit, a timeout and a runtime error fail with upstream messages', async (t) => {
  const { exec, calls } = fakeExec((cmd) => {
    if (cmd[0] === 'ok') return execResult(0, 'fine');
    if (cmd[0] === 'slow') return execResult(-1, '', '', true);
    if (cmd[0] === 'gone') throw new Error('container c1 is not running');
    return execResult(3, 'partial\n', 'oops\n');
  });
  t.equal(await runLifecycleHandler({ exec: { command: ['ok'] } }, ctx({ exec })), undefined);
  t.same(calls[0], { containerId: 'c1', cmd: ['ok'], timeoutMs: 2000 });
  t.equal(
    await runLifecycleHandler({ exec: { command: ['sh', '-c', 'exit 3'] } }, ctx({ exec })),
    `Exec lifecycle hook ([sh -c exit 3]) ${where} failed - error: command 'sh -c exit 3' exited with 3: oops\n, message: "partial\\noops\\n"`,
  );
  t.equal(await runLifecycleHandler({ exec: { command: ['slow'] } }, ctx({ exec })), `Exec lifecycle hook ([slow]) ${where} failed - error: command "slow" timed out, message: ""`);
  t.equal(await runLifecycleHandler({ exec: { command: ['gone'] } }, ctx({ exec })), `Exec lifecycle hook ([gone]) ${where} failed - error: container c1 is not running, message: ""`);
});

t.test('httpGet: any answer is fine, whatever its status, sent as kube-lifecycle to the named port', async (t) => {
  const seen: Array<{ url?: string; userAgent?: string }> = [];
  const server = await httpServer((req, res) => {
    seen.push({ url: req.url, userAgent: req.headers['user-agent'] });
    res.writeHead(req.url === '/fail' ? 500 : 200).end();
  });
  t.teardown(() => server.close());
  const container: Container = { name: 'app', ports: [{ name: 'hooks', containerPort: server.port }] };
  t.equal(await runLifecycleHandler({ httpGet: { port: 'hooks', path: '/started' } }, ctx({}, container)), undefined);
  t.equal(await runLifecycleHandler({ httpGet: { port: server.port, path: '/fail' } }, ctx()), undefined);
  t.same(seen, [
    { url: '/started', userAgent: 'kube-lifecycle/1.32' },
    { url: '/fail', userAgent: 'kube-lifecycle/1.32' },
  ]);
});

t.test('httpGet: no answer fails with the error; no pod IP and a bad port fail too', async (t) => {
  const port = await closedPort();
  t.equal(
    await runLifecycleHandler({ httpGet: { port, path: '/hook' } }, ctx()),
    `HTTP lifecycle hook (/hook) ${where} failed - error: Get "http://127.0.0.1:${port}/hook": dial tcp 127.0.0.1:${port}: connect: connection refused`,
  );
  t.equal(await runLifecycleHandler({ httpGet: { port: 80, path: '/x' } }, ctx({ podIP: '' })), `HTTP lifecycle hook (/x) ${where} failed - error: failed to find networking container`);
  t.equal(await runLifecycleHandler({ httpGet: { port: 'nope', path: '/x' } }, ctx()), `HTTP lifecycle hook (/x) ${where} failed - error: strconv.Atoi: parsing "nope": invalid syntax`);
});

t.test('httpGet: an HTTPS hook answered in plain HTTP is retried over HTTP, without Authorization', async (t) => {
  const seen: Array<string | undefined> = [];
  const server = await httpServer((req, res) => {
    seen.push(req.headers.authorization);
    res.end();
  });
  t.teardown(() => server.close());
  const fallbacks: string[] = [];
  const handler = { httpGet: { port: server.port, scheme: 'HTTPS', httpHeaders: [{ name: 'Authorization', value: 'Bearer x' }] } };
  t.equal(await runLifecycleHandler(handler, ctx({ onHttpFallback: (m) => fallbacks.push(m) })), undefined);
  t.same(seen, [undefined]);
  t.same(fallbacks, [`request to HTTPS lifecycle hook 127.0.0.1:${server.port} got HTTP response, retry with HTTP succeeded`]);
});

t.test('sleep: waits its seconds; fails when the time left is shorter, or when cut short', async (t) => {
  const clock = new FakeClock();
  let done: string | undefined | 'pending' = 'pending';
  void runLifecycleHandler({ sleep: { seconds: 5 } }, ctx({ clock, timeoutMs: 30_000 })).then((r) => (done = r));
  await clock.advanceAsync(4_999);
  t.equal(done, 'pending');
  await clock.advanceAsync(1);
  t.equal(done, undefined);

  const short = runLifecycleHandler({ sleep: { seconds: 60 } }, ctx({ clock, timeoutMs: 10_000 }));
  await clock.advanceAsync(10_000);
  t.equal(await short, `Sleep lifecycle hook (60) ${where} failed - error: container terminated before sleep hook finished`);

  const abort = new AbortController();
  const cut = runLifecycleHandler({ sleep: { seconds: 60 } }, ctx({ clock, timeoutMs: 120_000, signal: abort.signal }));
  abort.abort();
  t.equal(await cut, `Sleep lifecycle hook (60) ${where} failed - error: container terminated before sleep hook finished`);
  t.equal(clock.pending(), 0);
});

t.test('a handler with no action (or the unsupported tcpSocket) cannot run', async (t) => {
  t.match(await runLifecycleHandler({ tcpSocket: { port: 80 } }, ctx()), /^Cannot run handler: invalid handler: /);
});
