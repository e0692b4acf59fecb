// Each prober against a real local server (or a fake exec): upstream's outcomes and messages.
import http2 from 'node:http2';
import type { Container } from '@kubets/api';
import t from 'tap';
import { ProbeError } from '../src/prober/errors.js';
import { probeExec } from '../src/prober/exec-probe.js';
import { decodeHealthCheckResponse, encodeHealthCheckRequest, grpcFrame } from '../src/prober/grpc-health-codec.js';
import { probeGrpc } from '../src/prober/grpc-probe.js';
import { httpGetRequestFor } from '../src/prober/http-get.js';
import { probeHttpGet } from '../src/prober/http-probe.js';
import { runProbe } from '../src/prober/run-probe.js';
import { probeTcp } from '../src/prober/tcp-probe.js';
import { closedPort, execResult, fakeExec, httpServer, httpsServer, listen, loopback } from './prober-util.js';

const container: Container = { name: 'app', ports: [{ name: 'web', containerPort: 0 }] };
const probeGet = (port: number | string, extra: { path?: string; httpHeaders?: Array<{ name: string; value: string }>; scheme?: string; host?: string } = {}, c = container, timeoutMs = 1000) =>
  probeHttpGet(httpGetRequestFor({ port, ...extra }, c, loopback, 'probe', timeoutMs));

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

t.test('httpGet: 200 succeeds with the body, 500 fails with the status code only', async (t) => {
  const server = await httpServer((req, res) => {
    if (req.url === '/bad') res.writeHead(500).end('secret body');
    else res.writeHead(200).end('ok body');
  });
  t.teardown(() => server.close());
  t.same(await probeGet(server.port, { path: '/healthz' }), { outcome: 'success', output: 'ok body' });
  t.same(await probeGet(server.port, { path: '/bad' }), { outcome: 'failure', output: 'HTTP probe failed with statuscode: 500' });
});

t.test('httpGet: sends kube-probe/<major.minor>, Accept */*, the headers given, to the named port and path', async (t) => {
  let seen: { url?: string; headers?: Record<string, unknown> } = {};
  const server = await httpServer((req, res) => {
    seen = { url: req.url, headers: req.headers };
    res.end();
  });
  t.teardown(() => server.close());
  const named: Container = { name: 'app', ports: [{ name: 'web', containerPort: server.port }] };
  const run = await probeGet('web', { path: '/ready?full=1', httpHeaders: [{ name: 'X-Probe', value: 'a' }, { name: 'X-Probe', value: 'b' }] }, named);
  t.equal(run.outcome, 'success');
  t.equal(seen.url, '/ready?full=1');
  t.equal(seen.headers?.['user-agent'], 'kube-probe/1.32');
  t.equal(seen.headers?.['accept'], '*/*');
  t.equal(seen.headers?.['x-probe'], 'a, b');
  await probeGet(server.port, { httpHeaders: [{ name: 'user-agent', value: 'mine' }, { name: 'Accept', value: '' }] });
  t.equal(seen.headers?.['user-agent'], 'mine', 'a User-Agent given wins');
  t.notOk('accept' in (seen.headers ?? {}), 'an empty Accept removes the header');
});

t.test('httpGet: a port name the container does not have is an error, a number in a string is a port', async (t) => {
  t.throws(() => httpGetRequestFor({ port: 'nope' }, container, loopback, 'probe', 1000), new ProbeError('InvalidPort', 'strconv.Atoi: parsing "nope": invalid syntax'));
  t.throws(() => httpGetRequestFor({ port: 70000 }, container, loopback, 'probe', 1000), { reason: 'InvalidPort', message: 'invalid port number: 70000' });
  t.equal(httpGetRequestFor({ port: '8080' }, container, loopback, 'probe', 1000).url.port, '8080');
});

t.test('httpGet: same-host redirects are followed, another host is a warning, and ten are too many', async (t) => {
  const server = await httpServer((req, res) => {
    if (req.url === '/moved') res.writeHead(302, { location: '/target' }).end();
    else if (req.url === '/away') res.writeHead(301, { location: 'http://localhost:1/elsewhere' }).end('gone away');
    else if (req.url?.startsWith('/loop')) res.writeHead(307, { location: `/loop${Number(req.url.slice(5) || 0) + 1}` }).end();
    else if (req.url === '/target') res.end('arrived');
    else res.writeHead(404).end();
  });
  t.teardown(() => server.close());
  t.same(await probeGet(server.port, { path: '/moved' }), { outcome: 'success', output: 'arrived' });
  t.same(await probeGet(server.port, { path: '/away' }), { outcome: 'warning', output: 'Probe terminated redirects, Response body: gone away' });
  const loop = await probeGet(server.port, { path: '/loop' });
  t.equal(loop.outcome, 'failure');
  t.match(loop.output, /stopped after 10 redirects$/);
});

t.test('httpGet: reads at most 10 KiB of the body', async (t) => {
  const server = await httpServer((_req, res) => res.end('x'.repeat(50_000)));
  t.teardown(() => server.close());
  const run = await probeGet(server.port);
  t.equal(run.output.length, 10 * 1024);
});

t.test('httpGet: a closed port and a server too slow fail with Go client messages', async (t) => {
  const port = await closedPort();
  t.same(await probeGet(port), { outcome: 'failure', output: `Get "http://127.0.0.1:${port}/": dial tcp 127.0.0.1:${port}: connect: connection refused` });
  const held: Array<() => void> = [];
  const slow = await httpServer((_req, res) => held.push(() => res.end()));
  t.teardown(async () => {
    for (const release of held) release();
    await slow.close();
  });
  const run = await probeGet(slow.port, {}, container, 200);
  t.same(run, { outcome: 'failure', output: `Get "http://127.0.0.1:${slow.port}/": context deadline exceeded (Client.Timeout exceeded while awaiting headers)` });
});

t.test('httpGet: HTTPS without checking the certificate', async (t) => {
  const server = await httpsServer((_req, res) => res.end('tls ok'));
  t.teardown(() => server.close());
  t.same(await probeGet(server.port, { scheme: 'HTTPS' }), { outcome: 'success', output: 'tls ok' });
});

t.test('tcpSocket: an open port succeeds, a closed one fails as Go dials', async (t) => {
  const server = await httpServer((_req, res) => res.end());
  t.teardown(() => server.close());
  t.same(await probeTcp(loopback, server.port, 1000), { outcome: 'success', output: '' });
  const port = await closedPort();
  t.same(await probeTcp(loopback, port, 1000), { outcome: 'failure', output: `dial tcp 127.0.0.1:${port}: connect: connection refused` });
});

t.test('exec: exit 0 succeeds, others fail with the output, a timeout fails, a runtime error is an error', async (t) => {
  const { exec, calls } = fakeExec((cmd) => {
    if (cmd[0] === 'ok') return execResult(0, 'out\n', 'err\n');
    if (cmd[0] === 'slow') return execResult(-1, '', '', true);
    if (cmd[0] === 'gone') throw new Error('container not running');
    return execResult(3, '', 'broken\n');
  });
  t.same(await probeExec(exec, 'c1', ['ok'], 1000), { outcome: 'success', output: 'out\nerr\n' });
  t.same(await probeExec(exec, 'c1', ['bad'], 1000), { outcome: 'failure', output: 'broken\n' });
  t.same(await probeExec(exec, 'c1', ['slow', '-c', 'sleep 5'], 1000), { outcome: 'failure', output: 'command "slow -c sleep 5" timed out' });
  t.match(await rejection(probeExec(exec, 'c1', ['gone'], 1000)), { reason: 'ExecFailed', message: 'container not running' });
  t.same(calls[0], { containerId: 'c1', cmd: ['ok'], timeoutMs: 1000 });
});

t.test('runProbe: the timeout is timeoutSeconds, errors are tried three times, a probe with no handler errors', async (t) => {
  const { exec, calls } = fakeExec(() => {
    throw new Error('no such container');
  });
  const target = { exec, containerId: 'c1', podIP: loopback, container };
  t.match(await rejection(runProbe({ exec: { command: ['true'] }, timeoutSeconds: 4 }, target)), { reason: 'ExecFailed' });
  t.equal(calls.length, 3);
  t.equal(calls[0]!.timeoutMs, 4000);
  t.match(await rejection(runProbe({}, target)), { reason: 'MissingHandler' });
});

t.test('grpc: the health protocol codec', async (t) => {
  t.same(encodeHealthCheckRequest(''), Buffer.from([0, 0, 0, 0, 0]));
  t.same(encodeHealthCheckRequest('db'), Buffer.from([0, 0, 0, 0, 4, 0x0a, 2, 0x64, 0x62]));
  t.equal(decodeHealthCheckResponse(grpcFrame(Buffer.from([0x08, 0x01]))), 1);
  t.equal(decodeHealthCheckResponse(grpcFrame(Buffer.alloc(0))), 0, 'an absent status is UNKNOWN');
  t.equal(decodeHealthCheckResponse(grpcFrame(Buffer.from([0x12, 0x01, 0x41, 0x08, 0x02]))), 2, 'unknown fields are skipped');
});

/** A tiny grpc.health.v1 server: status by service name; `unimplemented` answers as a server without the service. */
async function healthServer(statuses: Record<string, number>) {
  const requests: Array<{ service: string; userAgent: string | undefined }> = [];
  const server = http2.createServer();
  server.on('stream', (stream, headers) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      const body = Buffer.concat(chunks);
      const service = body.length > 7 ? body.subarray(7).toString('utf8') : '';
      requests.push({ service, userAgent: headers['user-agent'] });
      if (headers[':path'] !== '/grpc.health.v1.Health/Check' || service === 'unimplemented') {
        stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-status': '12', 'grpc-message': 'unknown service grpc.health.v1.Health' }, { endStream: true });
        return;
      }
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
      stream.end(grpcFrame(Buffer.from([0x08, statuses[service] ?? 3])));
    });
  });
  const s = await listen(server);
  return { ...s, requests };
}

t.test('grpc: SERVING succeeds, other statuses fail, a server without the protocol and a closed port fail', async (t) => {
  const server = await healthServer({ '': 1, sick: 2 });
  t.teardown(() => server.close());
  t.same(await probeGrpc(loopback, server.port, '', 1000), { outcome: 'success', output: 'service is healthy' });
  t.same(server.requests[0], { service: '', userAgent: 'kube-probe/1.32' });
  t.same(await probeGrpc(loopback, server.port, 'sick', 1000), { outcome: 'failure', output: 'service unhealthy (responded with "NOT_SERVING")' });
  t.same(await probeGrpc(loopback, server.port, 'other', 1000), { outcome: 'failure', output: 'service unhealthy (responded with "SERVICE_UNKNOWN")' });
  t.same(await probeGrpc(loopback, server.port, 'unimplemented', 1000), {
    outcome: 'failure',
    output: 'error: this server does not implement the grpc health protocol (grpc.health.v1.Health): unknown service grpc.health.v1.Health',
  });
  const port = await closedPort();
  const closed = await probeGrpc(loopback, port, '', 1000);
  t.equal(closed.outcome, 'failure');
  t.equal(closed.output, `error: failed to connect service at "127.0.0.1:${port}": connection error: desc = "transport: Error while dialing: dial tcp 127.0.0.1:${port}: connect: connection refused"`);
});

t.test('grpc: a server that does not answer in time fails with the timeout', async (t) => {
  const server = http2.createServer();
  const streams: http2.ServerHttp2Stream[] = [];
  server.on('stream', (stream) => streams.push(stream)); // never answers
  const s = await listen(server);
  t.teardown(async () => {
    for (const stream of streams) stream.close();
    await s.close();
  });
  t.same(await probeGrpc(loopback, s.port, '', 200), { outcome: 'failure', output: 'timeout: health rpc did not complete within 200ms' });
});
