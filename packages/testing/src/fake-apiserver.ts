// A small in-memory API server that speaks kube-apiserver's wire format, for testing the
// client without a real one: REST paths for every resource in the @kubets/api registry,
// resourceVersions from a global revision (as etcd's), 404/409 AlreadyExists/409 Conflict as
// Status objects, label and field selectors, paging with limit/continue at one revision,
// watches as chunked streams of JSON lines (synthetic ADDED when no resourceVersion, replay
// from a revision, BOOKMARKs on demand, 410 Expired ERROR events after compaction), merge
// and JSON patches, status/scale/binding subresources. Faults are injected per request with
// `intercept`; every request is logged in `requests`.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import {
  alreadyExists,
  ApiError,
  badRequest,
  conflict,
  expired,
  findResource,
  internalError,
  isApiError,
  notFound,
  objectMatchesFields,
  parseFieldSelectorFor,
  parseLabelSelector,
  type ResourceInfo,
  successStatus,
} from '@kubets/api';

type Obj = {
  apiVersion?: string;
  kind?: string;
  metadata: { name: string; namespace?: string; resourceVersion?: string; uid?: string; labels?: Record<string, string>; [k: string]: unknown };
  [k: string]: unknown;
};

interface LogEntry {
  rev: number;
  gr: string;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: Obj;
}

export interface RecordedRequest {
  method: string;
  url: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
}

/** Return true when the hook answered the request itself. */
export type Intercept = (req: RecordedRequest, res: ServerResponse) => boolean | Promise<boolean>;

interface WatchStream {
  gr: string;
  namespace: string | undefined;
  matches: (o: Obj) => boolean;
  bookmarks: boolean;
  res: ServerResponse;
  info: ResourceInfo;
  closed: boolean;
}

export interface FakeOptions {
  /** Write each watch line in several pieces, with pauses, and sometimes several lines at once. */
  splitWatchLines?: boolean;
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

function apiVersionOf(info: ResourceInfo): string {
  return info.group === '' ? info.version : `${info.group}/${info.version}`;
}

export function sendStatus(res: ServerResponse, err: ApiError, headers: Record<string, string> = {}): void {
  res.writeHead(err.code, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(err.status));
}

function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> = typeof target === 'object' && target !== null && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

function jsonPatch(doc: unknown, ops: { op: string; path: string; value?: unknown }[]): unknown {
  const root = clone(doc) as Record<string, unknown>;
  for (const op of ops) {
    const parts = op.path.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = parts.pop();
    if (last === undefined) throw badRequest('json patch: empty path');
    let cur: any = root;
    for (const p of parts) {
      if (cur[p] === undefined) throw new ApiError(422, 'Invalid', `json patch: path ${op.path} does not exist`);
      cur = cur[p];
    }
    if (op.op === 'remove') {
      if (Array.isArray(cur)) cur.splice(Number(last), 1);
      else delete cur[last];
    } else if (op.op === 'add' && Array.isArray(cur)) {
      if (last === '-') cur.push(op.value);
      else cur.splice(Number(last), 0, op.value);
    } else if (op.op === 'add' || op.op === 'replace') {
      cur[last] = op.value;
    } else if (op.op === 'test') {
      if (JSON.stringify(cur[last]) !== JSON.stringify(op.value)) throw new ApiError(422, 'Invalid', `json patch: test of ${op.path} failed`);
    } else {
      throw badRequest(`json patch: op ${op.op} not supported by the fake`);
    }
  }
  return root;
}

export class FakeApiServer {
  readonly server: Server;
  readonly requests: RecordedRequest[] = [];
  intercept: Intercept | undefined;
  /** The etcd-like revision: bumped by every write. */
  rev = 1;
  private compactedRev = 0;
  private readonly objects = new Map<string, Obj>();
  private readonly log: LogEntry[] = [];
  private readonly watches = new Set<WatchStream>();
  private readonly sockets = new Set<Socket>();
  url = '';

  constructor(private readonly opts: FakeOptions = {}) {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  static async start(opts: FakeOptions = {}): Promise<FakeApiServer> {
    const f = new FakeApiServer(opts);
    await new Promise<void>((resolve) => f.server.listen(0, '127.0.0.1', resolve));
    f.url = `http://127.0.0.1:${(f.server.address() as AddressInfo).port}`;
    return f;
  }

  async close(): Promise<void> {
    for (const w of this.watches) this.endWatch(w);
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Open watch streams right now. */
  get watchCount(): number {
    return [...this.watches].filter((w) => !w.closed).length;
  }

  // ---- state, as tests set it up and inspect it

  private key(gr: string, ns: string | undefined, name: string): string {
    return `${gr}|${ns ?? ''}|${name}`;
  }

  private grOf(info: ResourceInfo): string {
    return `${info.group}/${info.resource}`;
  }

  private info(resource: string, group = ''): ResourceInfo {
    const info = findResource(group, 'v1', resource);
    if (info === undefined) throw new Error(`fake: unknown resource ${group}/${resource}`);
    return info;
  }

  /** Stores an object directly (as another client would), emitting its watch event. */
  put(resource: string, obj: Obj, group = ''): Obj {
    const info = this.info(resource, group);
    const ns = info.namespaced ? obj.metadata.namespace : undefined;
    const k = this.key(this.grOf(info), ns, obj.metadata.name);
    const existed = this.objects.has(k);
    const stored = this.write(info, k, { apiVersion: apiVersionOf(info), kind: info.kind, ...clone(obj), metadata: { uid: randomUUID(), creationTimestamp: new Date().toISOString(), ...clone(obj.metadata) } }, existed ? 'MODIFIED' : 'ADDED');
    return stored;
  }

  /** Deletes directly, emitting the DELETED event. */
  remove(resource: string, namespace: string | undefined, name: string, group = ''): void {
    const info = this.info(resource, group);
    const k = this.key(this.grOf(info), info.namespaced ? namespace : undefined, name);
    const old = this.objects.get(k);
    if (old === undefined) throw new Error(`fake: ${k} does not exist`);
    this.objects.delete(k);
    this.rev++;
    const gone = { ...clone(old), metadata: { ...clone(old.metadata), resourceVersion: String(this.rev) } };
    this.record(info, 'DELETED', gone);
  }

  /** Deletes without any event reaching the log's readers: as if the deletion happened while we were not watching and was compacted away. */
  removeSilently(resource: string, namespace: string | undefined, name: string, group = ''): void {
    const info = this.info(resource, group);
    this.objects.delete(this.key(this.grOf(info), info.namespaced ? namespace : undefined, name));
    this.rev++;
  }

  stored(resource: string, namespace: string | undefined, name: string, group = ''): Obj | undefined {
    const info = this.info(resource, group);
    const o = this.objects.get(this.key(this.grOf(info), info.namespaced ? namespace : undefined, name));
    return o === undefined ? undefined : clone(o);
  }

  /** Forgets history up to the current revision: older resourceVersions and continue tokens get 410. */
  compact(): void {
    // The log stays (the fake reconstructs old states from it); only reads below this revision are refused.
    this.compactedRev = this.rev;
  }

  /** Sends a BOOKMARK at the current revision to every watch that allows bookmarks. */
  bookmark(): void {
    for (const w of this.watches) {
      if (w.closed || !w.bookmarks) continue;
      void this.send(w, { type: 'BOOKMARK', object: { kind: w.info.kind, apiVersion: apiVersionOf(w.info), metadata: { resourceVersion: String(this.rev) } } });
    }
  }

  /** Ends every watch cleanly, as a server does at timeoutSeconds or on restart. */
  endWatches(): void {
    for (const w of this.watches) this.endWatch(w);
  }

  /** Ends every watch with a 410 Expired ERROR event, as kube-apiserver does when a watcher falls too far behind. */
  expireWatches(): void {
    for (const w of this.watches) {
      if (w.closed) continue;
      void this.send(w, { type: 'ERROR', object: expired(`too old resource version: 1 (${this.rev})`).status }).then(() => this.endWatch(w));
    }
  }

  private endWatch(w: WatchStream): void {
    if (w.closed) return;
    w.closed = true;
    this.watches.delete(w);
    w.res.end();
  }

  private write(info: ResourceInfo, k: string, obj: Obj, type: 'ADDED' | 'MODIFIED'): Obj {
    this.rev++;
    const stored = { ...obj, metadata: { ...obj.metadata, resourceVersion: String(this.rev) } };
    this.objects.set(k, stored);
    this.record(info, type, stored);
    return clone(stored);
  }

  private record(info: ResourceInfo, type: LogEntry['type'], object: Obj): void {
    const entry: LogEntry = { rev: this.rev, gr: this.grOf(info), type, object: clone(object) };
    this.log.push(entry);
    for (const w of this.watches) this.deliver(w, entry);
  }

  private deliver(w: WatchStream, e: LogEntry): void {
    if (w.closed || e.gr !== w.gr) return;
    if (w.namespace !== undefined && e.object.metadata.namespace !== w.namespace) return;
    if (!w.matches(e.object)) return;
    void this.send(w, { type: e.type, object: e.object });
  }

  private sendChain = Promise.resolve();

  /** Writes one event line; split into pieces when asked, in order across all watches. */
  private send(w: WatchStream, ev: unknown): Promise<void> {
    const line = `${JSON.stringify(ev)}\n`;
    if (!this.opts.splitWatchLines) {
      if (!w.closed) w.res.write(line);
      return Promise.resolve();
    }
    const pause = () => new Promise((r) => setTimeout(r, 2));
    this.sendChain = this.sendChain.then(async () => {
      const buf = Buffer.from(line);
      // Cut inside the line, including inside multi-byte characters.
      const cuts = [Math.floor(buf.length / 3), Math.floor((2 * buf.length) / 3) + 1];
      let at = 0;
      for (const c of [...cuts, buf.length]) {
        if (w.closed) return;
        w.res.write(buf.subarray(at, c));
        at = c;
        await pause();
      }
    });
    return this.sendChain;
  }

  // ---- HTTP

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const u = new URL(req.url ?? '/', 'http://fake');
    const rec: RecordedRequest = { method: req.method ?? 'GET', url: req.url ?? '/', path: u.pathname, query: u.searchParams, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
    this.requests.push(rec);
    try {
      if (this.intercept !== undefined && (await this.intercept(rec, res))) return;
      await this.route(rec, res);
    } catch (e) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      sendStatus(res, isApiError(e) ? e : internalError(e));
    }
  }

  private parse(path: string): { info: ResourceInfo; namespace: string | undefined; name: string | undefined; sub: string | undefined } {
    const segs = path.split('/').filter((s) => s !== '').map(decodeURIComponent);
    let group: string;
    let version: string;
    let rest: string[];
    if (segs[0] === 'api') [group, version, rest] = ['', segs[1] ?? '', segs.slice(2)];
    else if (segs[0] === 'apis') [group, version, rest] = [segs[1] ?? '', segs[2] ?? '', segs.slice(3)];
    else throw notFound({ group: '', resource: '' }, path);
    let namespace: string | undefined;
    if (rest[0] === 'namespaces' && rest.length >= 3) {
      namespace = rest[1];
      rest = rest.slice(2);
    }
    const info = findResource(group, version, rest[0] ?? '');
    if (info === undefined) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
    return { info, namespace, name: rest[1], sub: rest[2] };
  }

  private json(res: ServerResponse, code: number, body: unknown): void {
    res.writeHead(code, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  private selector(info: ResourceInfo, q: URLSearchParams): (o: Obj) => boolean {
    const ls = q.get('labelSelector');
    const fs = q.get('fieldSelector');
    const labels = ls ? parseLabelSelector(ls) : undefined;
    const fields = fs ? parseFieldSelectorFor(info.resource, fs) : undefined;
    return (o) => (labels === undefined || labels.matches(o.metadata.labels)) && (fields === undefined || objectMatchesFields(info.resource, o, fields));
  }

  /** The objects of a resource as they were at revision `at`. */
  private stateAt(gr: string, at: number): Map<string, Obj> {
    if (at >= this.rev) {
      return new Map([...this.objects].filter(([k]) => k.startsWith(`${gr}|`)));
    }
    if (at < this.compactedRev) throw expired('The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.');
    // Undo the log's changes after `at`, newest first.
    const state = new Map([...this.objects].filter(([k]) => k.startsWith(`${gr}|`)));
    for (let i = this.log.length - 1; i >= 0; i--) {
      const e = this.log[i]!;
      if (e.rev <= at) break;
      if (e.gr !== gr) continue;
      const k = this.key(gr, e.object.metadata.namespace, e.object.metadata.name);
      const prev = this.log.slice(0, i).reverse().find((p) => p.gr === gr && this.key(gr, p.object.metadata.namespace, p.object.metadata.name) === k);
      if (prev === undefined || prev.type === 'DELETED') state.delete(k);
      else state.set(k, prev.object);
    }
    return state;
  }

  private async route(r: RecordedRequest, res: ServerResponse): Promise<void> {
    const { info, namespace, name, sub } = this.parse(r.path);
    const gr = this.grOf(info);
    const grObj = { group: info.group, resource: info.resource };
    const q = r.query;
    const ns = info.namespaced ? namespace : undefined;

    if (r.method === 'GET' && name === undefined) {
      if (q.get('watch') === 'true') return this.watch(info, ns, q, res);
      const cont = q.get('continue');
      let at = this.rev;
      let after = '';
      if (cont) {
        const token = JSON.parse(Buffer.from(cont, 'base64').toString('utf8')) as { rv: number; start: string };
        at = token.rv;
        after = token.start;
      }
      const matches = this.selector(info, q);
      const all = [...this.stateAt(gr, at).entries()]
        .filter(([, o]) => (ns === undefined || o.metadata.namespace === ns) && matches(o))
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .filter(([k]) => k > after);
      const limit = Number(q.get('limit') ?? '0');
      const page = limit > 0 ? all.slice(0, limit) : all;
      const metadata: Record<string, unknown> = { resourceVersion: String(at) };
      if (limit > 0 && all.length > limit) {
        metadata.continue = Buffer.from(JSON.stringify({ rv: at, start: page[page.length - 1]![0] })).toString('base64');
        metadata.remainingItemCount = all.length - limit;
      }
      // As kube-apiserver: items carry no apiVersion/kind in a list.
      const items = page.map(([, o]) => {
        const { apiVersion: _a, kind: _k, ...rest } = clone(o);
        return rest;
      });
      return this.json(res, 200, { apiVersion: apiVersionOf(info), kind: info.listKind, metadata, items });
    }

    if (r.method === 'DELETE' && name === undefined) {
      const matches = this.selector(info, q);
      const victims = [...this.objects.entries()].filter(([k, o]) => k.startsWith(`${gr}|`) && (ns === undefined || o.metadata.namespace === ns) && matches(o));
      for (const [, o] of victims) this.remove(info.resource, o.metadata.namespace, o.metadata.name, info.group);
      return this.json(res, 200, { apiVersion: apiVersionOf(info), kind: info.listKind, metadata: { resourceVersion: String(this.rev) }, items: victims.map(([, o]) => o) });
    }

    if (r.method === 'POST') {
      const body = JSON.parse(r.body) as Obj;
      if (sub === 'binding') {
        const k = this.key(gr, ns, name!);
        const pod = this.objects.get(k);
        if (pod === undefined) throw notFound(grObj, name!);
        const spec = (pod.spec ?? {}) as Record<string, unknown>;
        if (spec.nodeName) throw conflict(grObj, name!, `pod ${name} is already assigned to node "${String(spec.nodeName)}"`);
        this.write(info, k, { ...clone(pod), spec: { ...spec, nodeName: (body.target as { name: string }).name } }, 'MODIFIED');
        return this.json(res, 201, successStatus());
      }
      if (name !== undefined) throw new ApiError(405, 'MethodNotAllowed', 'create is not supported here');
      const meta = { ...(body.metadata ?? {}) } as Obj['metadata'] & { generateName?: string };
      if (!meta.name && meta.generateName) meta.name = `${meta.generateName}${randomUUID().slice(0, 5)}`;
      if (!meta.name) throw new ApiError(422, 'Invalid', `${info.kind} "" is invalid: metadata.name: Required value: name or generateName is required`);
      if (info.namespaced) {
        if (meta.namespace !== undefined && meta.namespace !== ns) throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
        meta.namespace = ns;
      }
      const k = this.key(gr, ns, meta.name);
      if (this.objects.has(k)) throw alreadyExists(grObj, meta.name);
      if (q.get('dryRun') === 'All') return this.json(res, 201, body);
      const stored = this.write(info, k, { ...body, apiVersion: apiVersionOf(info), kind: info.kind, metadata: { ...meta, uid: randomUUID(), creationTimestamp: new Date().toISOString(), generation: 1 } }, 'ADDED');
      return this.json(res, 201, stored);
    }

    if (name === undefined) throw new ApiError(405, 'MethodNotAllowed', `${r.method} is not supported on a collection`);
    const k = this.key(gr, ns, name);
    const current = this.objects.get(k);

    if (r.method === 'GET') {
      if (current === undefined) throw notFound(grObj, name);
      if (sub === 'scale') return this.json(res, 200, this.scaleOf(current));
      return this.json(res, 200, current);
    }

    if (r.method === 'DELETE') {
      if (current === undefined) throw notFound(grObj, name);
      const opts = r.body === '' ? {} : (JSON.parse(r.body) as { preconditions?: { resourceVersion?: string } });
      if (opts.preconditions?.resourceVersion !== undefined && opts.preconditions.resourceVersion !== current.metadata.resourceVersion) {
        throw conflict(grObj, name, 'the ResourceVersion in the precondition does not match the ResourceVersion in record. The object might have been modified');
      }
      this.remove(info.resource, ns, name, info.group);
      return this.json(res, 200, current);
    }

    if (current === undefined) throw notFound(grObj, name);
    let next: Obj;
    if (r.method === 'PUT') {
      const body = JSON.parse(r.body) as Obj;
      if (body.metadata?.name !== name) throw badRequest('the name of the object does not match the name on the URL');
      const rv = body.metadata.resourceVersion;
      if (rv !== undefined && rv !== current.metadata.resourceVersion) {
        throw conflict(grObj, name, 'the object has been modified; please apply your changes to the latest version and try again');
      }
      next = sub === 'status' ? { ...clone(current), status: body.status } : { ...body, status: current.status, metadata: { ...body.metadata, uid: current.metadata.uid } };
    } else if (r.method === 'PATCH') {
      const type = r.headers['content-type'];
      const patch = JSON.parse(r.body) as unknown;
      const base = sub === 'scale' ? this.scaleOf(current) : current;
      let patched: Obj;
      if (type === 'application/json-patch+json') patched = jsonPatch(base, patch as never) as Obj;
      else if (type === 'application/merge-patch+json' || type === 'application/strategic-merge-patch+json') patched = mergePatch(base, patch) as Obj;
      else throw new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - got ${JSON.stringify(type)}`);
      if (sub === 'scale') {
        const replicas = (patched.spec as { replicas?: number }).replicas;
        next = { ...clone(current), spec: { ...(current.spec as object), replicas } };
        const stored = this.write(info, k, next, 'MODIFIED');
        return this.json(res, 200, this.scaleOf(stored));
      }
      next = sub === 'status' ? { ...clone(current), status: patched.status } : { ...patched, status: current.status };
      next.metadata = { ...next.metadata, name, ...(ns !== undefined ? { namespace: ns } : {}) };
    } else {
      throw new ApiError(405, 'MethodNotAllowed', `${r.method} is not supported`);
    }
    if (q.get('dryRun') === 'All') return this.json(res, 200, next);
    return this.json(res, 200, this.write(info, k, next, 'MODIFIED'));
  }

  private scaleOf(o: Obj): unknown {
    const replicas = (o.spec as { replicas?: number } | undefined)?.replicas ?? 1;
    return {
      apiVersion: 'autoscaling/v1',
      kind: 'Scale',
      metadata: { name: o.metadata.name, namespace: o.metadata.namespace, resourceVersion: o.metadata.resourceVersion, uid: o.metadata.uid },
      spec: { replicas },
      status: { replicas: (o.status as { replicas?: number } | undefined)?.replicas ?? 0 },
    };
  }

  private watch(info: ResourceInfo, ns: string | undefined, q: URLSearchParams, res: ServerResponse): void {
    const matches = this.selector(info, q);
    const rvText = q.get('resourceVersion');
    const w: WatchStream = { gr: this.grOf(info), namespace: ns, matches, bookmarks: q.get('allowWatchBookmarks') === 'true', res, info, closed: false };
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked', 'cache-control': 'no-cache, private' });
    res.flushHeaders();
    res.on('close', () => {
      w.closed = true;
      this.watches.delete(w);
    });
    const timeout = Number(q.get('timeoutSeconds') ?? '0');
    if (timeout > 0) {
      const t = setTimeout(() => this.endWatch(w), timeout * 1000);
      res.on('close', () => clearTimeout(t));
    }
    if (rvText === null || rvText === '' || rvText === '0') {
      for (const o of this.stateAt(w.gr, this.rev).values()) {
        if ((ns === undefined || o.metadata.namespace === ns) && matches(o)) void this.send(w, { type: 'ADDED', object: o });
      }
    } else {
      const from = Number(rvText);
      if (from < this.compactedRev) {
        // kube-apiserver accepts the watch, then sends one ERROR event and ends it.
        void this.send(w, { type: 'ERROR', object: expired(`too old resource version: ${from} (${this.compactedRev})`).status }).then(() => this.endWatch(w));
        return;
      }
      for (const e of this.log) if (e.rev > from) this.deliver(w, e);
    }
    this.watches.add(w);
  }
}
