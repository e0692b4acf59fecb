// Watch over WebSocket, as browsers and some clients use it: `GET <collection>?watch=true` with
// `Upgrade: websocket`, the same path and parameters as the chunked watch, one event per message.
// Subprotocols are handled as kube-apiserver's watch handler (golang.org/x/net/websocket) does:
// one offered subprotocol is echoed and changes nothing about the frames, which are the event's
// JSON as text (base64.binary.k8s.io only means base64 for exec/attach/log streams); offering
// more than one is a 400. Writes go through one API server, watches through the other. The same
// suite runs on real etcd (test/websocket-watch.test.ts) and on kubets-etcd
// (test/websocket-watch-on-kubets-etcd.test.ts).

import { connect } from 'node:net';
import t, { type Test } from 'tap';
import { WebSocket } from 'ws';
import { startEtcdCluster, type EtcdImpl } from './etcd-cluster.js';
import { startApiServerProcess, type ApiServerProcess } from './apiserver-process.js';
import { call } from './http.js';

/** Resolves once `check` holds, polling; fails with `what` (and `detail()`) at the deadline. */
async function until(what: string, check: () => boolean, timeoutMs = 15_000, detail: () => string = () => ''): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} ${detail()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A watch over a WebSocket, recording every message as it came (text or binary) and how it ended. */
class WsWatch {
  readonly frames: { text: string; binary: boolean }[] = [];
  readonly events: any[] = [];
  closeCode: number | undefined;
  readonly openedAt = Date.now();
  closedAt = 0;
  error: Error | undefined;
  private constructor(readonly ws: WebSocket) {
    ws.on('error', (e) => (this.error = e));
    ws.on('message', (data: Buffer, binary: boolean) => {
      const text = data.toString('utf8');
      this.frames.push({ text, binary });
      this.events.push(JSON.parse(text));
    });
    ws.on('close', (code) => {
      this.closeCode = code;
      this.closedAt = Date.now();
    });
  }

  /** Opens the watch; rejects with the refusal (status and Status body) if the upgrade is refused. */
  static open(url: string, protocols: string[] = []): Promise<WsWatch> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, protocols);
      const w = new WsWatch(ws);
      const timer = setTimeout(() => (ws.terminate(), reject(new Error(`no WebSocket upgrade for ${url} within 15 s`))), 15_000);
      ws.once('open', () => (clearTimeout(timer), resolve(w)));
      ws.once('unexpected-response', (_req, res) => {
        clearTimeout(timer);
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => reject(new Refused(res.statusCode ?? 0, body)));
        res.on('error', reject);
      });
      ws.once('error', (e) => (clearTimeout(timer), reject(e)));
    });
  }

  get protocol(): string {
    return this.ws.protocol;
  }

  async waitEvents(n: number, timeoutMs = 15_000): Promise<void> {
    await until(`${n} events`, () => this.events.length >= n || this.closeCode !== undefined, timeoutMs, () => `(got ${JSON.stringify(this.events).slice(0, 1500)})`);
    if (this.events.length < n) throw new Error(`the watch closed (${this.closeCode}) after ${this.events.length} of ${n} events: ${JSON.stringify(this.events).slice(0, 1500)}`);
  }

  async waitClosed(timeoutMs = 15_000): Promise<number> {
    await until('the server to close the watch', () => this.closeCode !== undefined, timeoutMs);
    return this.closeCode!;
  }

  close(): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.terminate();
  }
}

class Refused extends Error {
  readonly status: any;
  constructor(readonly code: number, readonly body: string) {
    super(`upgrade refused with ${code}: ${body}`);
    try {
      this.status = JSON.parse(body);
    } catch {
      this.status = undefined;
    }
  }
}

async function refusal(url: string, protocols: string[] = []): Promise<Refused> {
  try {
    const w = await WsWatch.open(url, protocols);
    w.close();
  } catch (e) {
    if (e instanceof Refused) return e;
    throw e;
  }
  throw new Error(`${url} was upgraded; a refusal was expected`);
}

export async function runWebSocketWatchSuite(impl: EtcdImpl): Promise<void> {
  const etcd = await startEtcdCluster({ impl });
  const servers: ApiServerProcess[] = [];
  const open: WsWatch[] = [];
  t.teardown(async () => {
    for (const w of open) w.close();
    for (const s of servers) await s.stop();
    await etcd.stop();
  });
  servers.push(await startApiServerProcess(etcd.endpoints), await startApiServerProcess(etcd.endpoints));
  const [A, B] = servers.map((s) => s.url) as [string, string];
  const wsA = A.replace(/^http/, 'ws');
  const wsB = B.replace(/^http/, 'ws');
  const watch = async (url: string, protocols: string[] = []) => {
    const w = await WsWatch.open(url, protocols);
    open.push(w);
    return w;
  };

  const pod = (name: string, labels: Record<string, string> = { app: 'ws' }) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels },
    spec: { containers: [{ name: 'app', image: 'node:20' }] },
  });
  const namespace = async (t: Test, name: string) => {
    const r = await call(A, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    t.equal(r.status, 201, `namespace ${name}: ${r.text.slice(0, 200)}`);
  };
  const create = async (t: Test, base: string, ns: string, body: unknown) => {
    const r = await call(base, 'POST', `/api/v1/namespaces/${ns}/pods`, body);
    t.equal(r.status, 201, r.text.slice(0, 200));
    return r.body;
  };
  const listRv = async (base: string, ns: string) => (await call(base, 'GET', `/api/v1/namespaces/${ns}/pods`)).body.metadata.resourceVersion as string;

  t.test('events written through one server arrive through the other in order, one JSON text message each', async (t) => {
    await namespace(t, 'ws-order');
    const rv = await listRv(B, 'ws-order');
    const w = await watch(`${wsB}/api/v1/namespaces/ws-order/pods?watch=true&resourceVersion=${rv}`);
    t.equal(w.protocol, '', 'no subprotocol offered, none chosen');
    await create(t, A, 'ws-order', pod('w'));
    for (let i = 1; i < 20; i++) {
      const p = await call(A, 'PATCH', '/api/v1/namespaces/ws-order/pods/w', { metadata: { annotations: { n: String(i) } } }, { 'content-type': 'application/merge-patch+json' });
      t.equal(p.status, 200, p.text.slice(0, 200));
    }
    const del = await call(A, 'DELETE', '/api/v1/namespaces/ws-order/pods/w');
    t.equal(del.status, 200);
    await w.waitEvents(21);
    t.ok(w.frames.every((f) => !f.binary), 'text frames');
    t.ok(w.frames.every((f) => f.text.endsWith('}\n') && !f.text.slice(0, -1).includes('\n')), 'one JSON document each, newline-terminated as kube-apiserver encodes it');
    t.ok(w.events.every((e) => Object.keys(e).sort().join() === 'object,type'), 'each message is exactly one {"type","object"} event');
    t.same(w.events.map((e) => e.type), ['ADDED', ...Array(19).fill('MODIFIED'), 'DELETED']);
    t.same(w.events.slice(1, 20).map((e) => e.object.metadata.annotations.n), Array.from({ length: 19 }, (_, i) => String(i + 1)), 'no gaps, no reordering');
    const rvs = w.events.map((e) => Number(e.object.metadata.resourceVersion));
    t.ok(rvs.every((r, i) => (i === 0 ? r > Number(rv) : r > rvs[i - 1]!)), 'resourceVersions increase from the list\'s');
    t.same([w.events[0].object.kind, w.events[0].object.apiVersion], ['Pod', 'v1']);
    t.equal(w.events.length, 21, 'nothing else');
    t.equal(w.closeCode, undefined, 'still open');
  });

  t.test('without a resourceVersion: synthetic ADDED events for what exists, then the changes', async (t) => {
    await namespace(t, 'ws-initial');
    for (const name of ['a', 'b', 'c']) await create(t, A, 'ws-initial', pod(name));
    const w = await watch(`${wsB}/api/v1/namespaces/ws-initial/pods?watch=true`);
    await w.waitEvents(3);
    t.same(w.events.map((e) => e.type), ['ADDED', 'ADDED', 'ADDED']);
    t.same(w.events.map((e) => e.object.metadata.name).sort(), ['a', 'b', 'c']);
    await create(t, A, 'ws-initial', pod('d'));
    const p = await call(A, 'PATCH', '/api/v1/namespaces/ws-initial/pods/a', { metadata: { labels: { app: 'moved' } } }, { 'content-type': 'application/merge-patch+json' });
    t.equal(p.status, 200);
    await w.waitEvents(5);
    t.same(w.events.slice(3).map((e) => `${e.type} ${e.object.metadata.name}`), ['ADDED d', 'MODIFIED a']);
    const selected = await watch(`${wsA}/api/v1/namespaces/ws-initial/pods?watch=true&labelSelector=app%3Dws&resourceVersion=0`);
    await selected.waitEvents(3);
    t.same(selected.events.map((e) => `${e.type} ${e.object.metadata.name}`).sort(), ['ADDED b', 'ADDED c', 'ADDED d'], 'resourceVersion=0 and a labelSelector');
  });

  t.test('allowWatchBookmarks: a BOOKMARK of the watched kind before the timeout', async (t) => {
    await namespace(t, 'ws-bookmark');
    const rv = await listRv(A, 'ws-bookmark');
    const w = await watch(`${wsB}/api/v1/namespaces/ws-bookmark/pods?watch=true&resourceVersion=${rv}&allowWatchBookmarks=true&timeoutSeconds=3`);
    const plain = await watch(`${wsB}/api/v1/namespaces/ws-bookmark/pods?watch=true&resourceVersion=${rv}&timeoutSeconds=3`);
    t.equal(await w.waitClosed(), 1000, 'closed normally at the timeout');
    // One 2 s before the timeout; the once-a-minute one may happen to fall in these 3 s too.
    t.ok(w.events.length >= 1 && w.events.every((e) => e.type === 'BOOKMARK'), JSON.stringify(w.events));
    for (const b of w.events) {
      t.same(Object.keys(b.object).sort(), ['apiVersion', 'kind', 'metadata'], 'a Pod with only its resourceVersion, as kube-apiserver sends it');
      t.same([b.object.kind, b.object.apiVersion], ['Pod', 'v1']);
      t.ok(Number(b.object.metadata.resourceVersion) >= Number(rv), 'the resourceVersion the watch has reached');
    }
    t.equal(await plain.waitClosed(), 1000);
    t.same(plain.events, [], 'no bookmarks unless asked for');
  });

  t.test('from a list resourceVersion that a write to another resource made: starts at once, not a 504', async (t) => {
    await namespace(t, 'ws-rv');
    // B's pod watch cache is running and has seen every pod write...
    const warm = await watch(`${wsB}/api/v1/namespaces/ws-rv/pods?watch=true`);
    t.equal(warm.protocol, '');
    // ...but the newest write is a ConfigMap, so no pod event will ever carry the list's revision.
    const cm = await call(A, 'POST', '/api/v1/namespaces/ws-rv/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'newest' } });
    t.equal(cm.status, 201);
    const rv = await listRv(A, 'ws-rv');
    t.ok(Number(rv) >= Number(cm.body.metadata.resourceVersion), 'the list is at etcd\'s revision');
    const w = await watch(`${wsB}/api/v1/namespaces/ws-rv/pods?watch=true&resourceVersion=${rv}`);
    await create(t, A, 'ws-rv', pod('after'));
    await w.waitEvents(1);
    t.same(w.events.map((e) => `${e.type} ${e.object.metadata.name}`), ['ADDED after']);
  });

  t.test('timeoutSeconds: the server closes the socket (1000) when it passes', async (t) => {
    const w = await watch(`${wsA}/api/v1/namespaces/default/pods?watch=true&resourceVersion=${await listRv(A, 'default')}&timeoutSeconds=1`);
    t.equal(await w.waitClosed(10_000), 1000);
    const lasted = w.closedAt - w.openedAt;
    t.ok(lasted >= 900 && lasted < 10_000, `lasted ${lasted} ms`);
  });

  t.test('a resourceVersion older than the watch cache: one ERROR event with a 410 Expired Status, then the close', async (t) => {
    const w = await watch(`${wsB}/api/v1/namespaces/default/pods?watch=true&resourceVersion=1`);
    t.equal(await w.waitClosed(), 1000);
    t.equal(w.events.length, 1);
    t.equal(w.events[0]?.type, 'ERROR');
    t.match(w.events[0]?.object, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Expired', code: 410 });
    t.match(w.events[0]?.object.message, /too old resource version: 1 \(\d+\)/);
  });

  t.test('subprotocols: one is echoed and frames stay JSON text; several are a 400', async (t) => {
    await namespace(t, 'ws-proto');
    const rv = await listRv(A, 'ws-proto');
    const url = `${wsB}/api/v1/namespaces/ws-proto/pods?watch=true&resourceVersion=${rv}`;
    const b64 = await watch(url, ['base64.binary.k8s.io']);
    t.equal(b64.protocol, 'base64.binary.k8s.io', 'the one offered subprotocol is accepted');
    const bin = await watch(url, ['binary.k8s.io']);
    t.equal(bin.protocol, 'binary.k8s.io');
    const plain = await watch(url);
    t.equal(plain.protocol, '');
    await create(t, A, 'ws-proto', pod('p'));
    for (const w of [b64, bin, plain]) {
      await w.waitEvents(1);
      t.same(w.frames.map((f) => f.binary), [false], 'a text frame');
      t.match(JSON.parse(w.frames[0]!.text), { type: 'ADDED', object: { metadata: { name: 'p' } } }, 'the event as JSON, not base64');
    }
    const several = await refusal(url, ['base64.binary.k8s.io', 'binary.k8s.io']);
    t.equal(several.code, 400, 'x/net/websocket refuses a choice of subprotocols');
    t.equal(several.status?.kind, 'Status');
  });

  t.test('bad requests are refused before the upgrade, with a Status', async (t) => {
    const cases: [string, number, string, RegExp][] = [
      ['/api/v1/namespaces/default/pods?watch=true&labelSelector=a%20in%20(b', 400, 'BadRequest', /unable to parse requirement|label selector|in \(b/i],
      ['/api/v1/pods?watch=true&fieldSelector=spec.bogus%3Dx', 400, 'BadRequest', /field label not supported: spec.bogus/],
      ['/api/v1/namespaces/default/pods?watch=true&timeoutSeconds=soon', 400, 'BadRequest', /timeoutSeconds/],
      ['/api/v1/namespaces/default/pods?watch=true&resourceVersion=abc', 400, 'BadRequest', /resource ?version/i],
      ['/api/v1/namespaces/default/widgets?watch=true', 404, 'NotFound', /^the server could not find the requested resource$/],
      ['/api/v1/namespaces/default/bindings?watch=true', 405, 'MethodNotAllowed', /watch/],
      ['/api/v1/namespaces/default/pods', 400, 'BadRequest', /watch/],
    ];
    for (const [path, code, reason, re] of cases) {
      const r = await refusal(`${wsA}${path}`);
      t.equal(r.code, code, `${path}: ${r.body.slice(0, 200)}`);
      t.equal(r.status?.kind, 'Status', `${path}: a Status body`);
      t.equal(r.status?.reason, reason, path);
      t.equal(r.status?.code, code, path);
      t.match(r.status?.message, re, path);
    }
    const still = await watch(`${wsA}/api/v1/namespaces/default/pods?watch=true&timeoutSeconds=1`);
    t.equal(await still.waitClosed(), 1000, 'the server still serves watches');
  });

  t.test('a client that leaves while its watch waits does not take the server down', async (t) => {
    // A resourceVersion from the future makes the watch wait (then 504); the first client
    // resets its connection meanwhile, the second waits for the answer.
    const future = Number(await listRv(A, 'default')) + 1_000_000;
    const path = `/api/v1/namespaces/default/pods?watch=true&resourceVersion=${future}`;
    const port = servers[0]!.port;
    await new Promise<void>((resolve, reject) => {
      const s = connect(port, '127.0.0.1', () => {
        s.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`, () => {
          s.resetAndDestroy();
          resolve();
        });
      });
      s.on('error', reject);
    });
    const r = await refusal(`${wsA}${path}`);
    t.equal(r.code, 504);
    t.equal(r.status?.reason, 'Timeout');
    t.equal(servers[0]!.child.exitCode, null, 'still running');
    const ok = await call(A, 'GET', '/readyz');
    t.equal(ok.status, 200);
  });
}
