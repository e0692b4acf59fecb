// The typed REST client every component talks to the API through: one method per verb,
// addressed by resource + namespace + name, with upstream's query options. Answers are plain
// JSON objects; failures are ApiErrors carrying the server's Status, or TransportErrors.

import type { Binding, List, Scale, Status } from '@kubets/api';
import type { Clock } from '../clock/clock.js';
import { clientVersion } from '../version.js';
import { openWatch, type Watch, type WatchOptions } from '../watch/watch.js';
import type { ClientConfig } from './config.js';
import {
  type CallOptions,
  type DeleteRequestOptions,
  deleteBody,
  encodeQuery,
  type GetOptions,
  listQuery,
  type ListOptions,
  patchContentTypes,
  type PatchOptions,
  type QueryValues,
  type WriteOptions,
  writeQuery,
} from './options.js';
import { resolveRef, resourcePath, type ResourceRef, type ResourceTarget } from './resource.js';
import { type HttpRequest, type HttpResponse, type StreamResponse, Transport } from './transport.js';

/** The shape every object has: what the client itself reads of it. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    generateName?: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [k: string]: unknown;
  };
  [k: string]: unknown;
}

export interface ClientOptions {
  /** Names the caller in the user agent: `kubets-<component>/<version>`. Default `client`. */
  component?: string;
  /** The version in the user agent; the library's by default. */
  version?: string;
  /** A whole User-Agent, instead of the two above. */
  userAgent?: string;
  /** Per attempt (ms); default 60 000; 0 disables. Watches apply it to the wait for headers only. */
  timeoutMs?: number;
  /** Attempts per call across the servers; default three rounds. */
  maxAttempts?: number;
  /** Cap on honoured Retry-After (ms); default 30 000. */
  maxRetryAfterMs?: number;
  /** Clock for waits between retry rounds. */
  clock?: Clock;
}

export interface RawRequest extends CallOptions {
  method: HttpRequest['method'];
  /** An absolute API path, e.g. `/version` or `/api/v1/namespaces/default/pods/web/log`. */
  path: string;
  query?: QueryValues;
  /** An object (sent as JSON) or text. */
  body?: unknown;
  contentType?: string;
  accept?: string;
  idempotent?: boolean;
}

function parseJson<T>(res: HttpResponse): T {
  if (res.body === '') return undefined as T;
  try {
    return JSON.parse(res.body) as T;
  } catch (e) {
    throw new Error(`${res.server}: the answer is not JSON: ${(e as Error).message}`);
  }
}

function call(o: CallOptions | undefined): Pick<HttpRequest, 'timeoutMs' | 'signal'> {
  const out: Pick<HttpRequest, 'timeoutMs' | 'signal'> = {};
  if (o?.timeoutMs !== undefined) out.timeoutMs = o.timeoutMs;
  if (o?.signal !== undefined) out.signal = o.signal;
  return out;
}

function nameOf(obj: KubeObject, what: string): string {
  const name = obj.metadata?.name;
  if (name === undefined || name === '') throw new Error(`${what}: the object has no metadata.name`);
  return name;
}

export class KubeClient {
  readonly transport: Transport;
  /** The namespace of the kubeconfig context, for callers that need a default. */
  readonly namespace: string;
  readonly userAgent: string;

  constructor(config: ClientConfig, opts: ClientOptions = {}) {
    this.userAgent = opts.userAgent ?? `kubets-${opts.component ?? 'client'}/${opts.version ?? clientVersion}`;
    this.namespace = config.namespace ?? 'default';
    this.transport = new Transport(config, {
      userAgent: this.userAgent,
      ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
      ...(opts.maxAttempts !== undefined ? { maxAttempts: opts.maxAttempts } : {}),
      ...(opts.maxRetryAfterMs !== undefined ? { maxRetryAfterMs: opts.maxRetryAfterMs } : {}),
      ...(opts.clock !== undefined ? { clock: opts.clock } : {}),
    });
  }

  /** Any API call whose answer is JSON (or empty): `/version`, discovery, a resource path. */
  async request<T = unknown>(r: RawRequest): Promise<T> {
    return parseJson<T>(await this.transport.request(this.httpRequest(r)));
  }

  /** Any API call, answered as text (pod logs). */
  async requestText(r: RawRequest): Promise<string> {
    return (await this.transport.request(this.httpRequest({ accept: '*/*', ...r }))).body;
  }

  /** Any API call whose answer is streamed (followed logs); the caller reads and ends the body. */
  async requestStream(r: RawRequest): Promise<StreamResponse> {
    return this.transport.stream(this.httpRequest(r));
  }

  private httpRequest(r: RawRequest): HttpRequest {
    const req: HttpRequest = { method: r.method, path: r.path + encodeQuery(r.query ?? {}), ...call(r) };
    if (r.body !== undefined) req.body = typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
    if (r.contentType !== undefined) req.contentType = r.contentType;
    if (r.accept !== undefined) req.accept = r.accept;
    if (r.idempotent !== undefined) req.idempotent = r.idempotent;
    return req;
  }

  async get<T = KubeObject>(resource: ResourceRef, namespace: string | undefined, name: string, opts: GetOptions = {}): Promise<T> {
    const t = resolveRef(resource);
    return this.request<T>({ method: 'GET', path: resourcePath(t, namespace, name), query: { resourceVersion: opts.resourceVersion }, ...call(opts) });
  }

  /** One page (or all, without limit). Namespace undefined lists across all namespaces. */
  async list<T = KubeObject>(resource: ResourceRef, namespace: string | undefined, opts: ListOptions = {}): Promise<List<T>> {
    const t = resolveRef(resource);
    return this.request<List<T>>({ method: 'GET', path: resourcePath(t, namespace), query: listQuery(opts), ...call(opts) });
  }

  /**
   * Every item, fetched in pages of pageSize (default 500) by following `continue`; all pages
   * come from one resourceVersion, which the returned list carries.
   */
  async listAll<T = KubeObject>(resource: ResourceRef, namespace: string | undefined, opts: Omit<ListOptions, 'limit' | 'continue'> & { pageSize?: number } = {}): Promise<List<T>> {
    const { pageSize = 500, ...rest } = opts;
    const items: T[] = [];
    let first: List<T> | undefined;
    let cont: string | undefined;
    do {
      // With a continue token the server forbids resourceVersion: the token carries it.
      const page: ListOptions = cont === undefined ? { ...rest, limit: pageSize } : { ...rest, limit: pageSize, continue: cont, resourceVersion: undefined, resourceVersionMatch: undefined };
      const list = await this.list<T>(resource, namespace, page);
      first ??= list;
      items.push(...list.items);
      cont = list.metadata?.continue === '' ? undefined : list.metadata?.continue;
    } while (cont !== undefined);
    const metadata = { ...first.metadata };
    delete metadata.continue;
    delete metadata.remainingItemCount;
    return { ...first, metadata, items };
  }

  /** Creates the object in `namespace`, or in its metadata.namespace when namespace is undefined. */
  async create<T = KubeObject>(resource: ResourceRef, namespace: string | undefined, obj: T, opts: WriteOptions = {}): Promise<T> {
    const t = resolveRef(resource);
    const ns = namespace ?? (obj as KubeObject).metadata?.namespace;
    if (t.namespaced && (ns === undefined || ns === '')) throw new Error(`create ${t.resource}: a namespace is required`);
    return this.request<T>({ method: 'POST', path: resourcePath(t, ns), query: writeQuery(opts), body: obj, ...call(opts) });
  }

  /** PUT: replaces the object named by its metadata.name; its resourceVersion makes it conditional (409 when stale). */
  async update<T = KubeObject>(resource: ResourceRef, namespace: string | undefined, obj: T, opts: WriteOptions = {}): Promise<T> {
    return this.updateSubresource<T>(resource, namespace, nameOf(obj as KubeObject, 'update'), undefined, obj, opts);
  }

  /** PATCH with a merge patch (default), JSON patch, strategic merge patch or server-side apply. */
  async patch<T = KubeObject>(resource: ResourceRef, namespace: string | undefined, name: string, patch: unknown, opts: PatchOptions = {}): Promise<T> {
    return this.patchSubresource<T>(resource, namespace, name, undefined, patch, opts);
  }

  /** Returns the object as the server last had it (or a Success Status, as some kinds answer). */
  async delete<T = KubeObject>(resource: ResourceRef, namespace: string | undefined, name: string, opts: DeleteRequestOptions = {}): Promise<T | Status> {
    const t = resolveRef(resource);
    const body = deleteBody(opts);
    return this.request<T | Status>({
      method: 'DELETE',
      path: resourcePath(t, namespace, name),
      query: { dryRun: opts.dryRun === true ? 'All' : undefined },
      ...(body !== undefined ? { body } : {}),
      ...call(opts),
    });
  }

  /** Deletes every object the selectors match; answers the deleted items as a list. */
  async deleteCollection<T = KubeObject>(resource: ResourceRef, namespace: string | undefined, opts: ListOptions & DeleteRequestOptions = {}): Promise<List<T> | Status> {
    const t = resolveRef(resource);
    const body = deleteBody(opts);
    return this.request<List<T> | Status>({
      method: 'DELETE',
      path: resourcePath(t, namespace),
      query: { ...listQuery(opts), dryRun: opts.dryRun === true ? 'All' : undefined },
      ...(body !== undefined ? { body } : {}),
      ...call(opts),
    });
  }

  async getSubresource<T = KubeObject>(resource: ResourceRef, namespace: string | undefined, name: string, subresource: string, opts: GetOptions = {}): Promise<T> {
    const t = resolveRef(resource);
    return this.request<T>({ method: 'GET', path: resourcePath(t, namespace, name, subresource), query: { resourceVersion: opts.resourceVersion }, ...call(opts) });
  }

  /** PUT to the object (subresource undefined) or to one of its subresources. */
  async updateSubresource<T = KubeObject>(resource: ResourceRef, namespace: string | undefined, name: string, subresource: string | undefined, obj: unknown, opts: WriteOptions = {}): Promise<T> {
    const t = resolveRef(resource);
    return this.request<T>({ method: 'PUT', path: resourcePath(t, namespace, name, subresource), query: writeQuery(opts), body: obj, ...call(opts) });
  }

  async patchSubresource<T = KubeObject>(resource: ResourceRef, namespace: string | undefined, name: string, subresource: string | undefined, patch: unknown, opts: PatchOptions = {}): Promise<T> {
    const t = resolveRef(resource);
    const type = opts.type ?? 'merge';
    if (type === 'apply' && (opts.fieldManager === undefined || opts.fieldManager === '')) throw new Error('server-side apply needs a fieldManager');
    return this.request<T>({
      method: 'PATCH',
      path: resourcePath(t, namespace, name, subresource),
      query: writeQuery(opts),
      body: patch,
      contentType: patchContentTypes[type],
      // Applying a merge, strategic or apply patch twice gives the same object; a JSON patch
      // ("add" to a list, "test") may not.
      idempotent: type !== 'json',
      ...call(opts),
    });
  }

  /** PUT .../status: the server keeps the spec and takes the status. */
  async updateStatus<T = KubeObject>(resource: ResourceRef, namespace: string | undefined, obj: T, opts: WriteOptions = {}): Promise<T> {
    return this.updateSubresource<T>(resource, namespace, nameOf(obj as KubeObject, 'updateStatus'), 'status', obj, opts);
  }

  async patchStatus<T = KubeObject>(resource: ResourceRef, namespace: string | undefined, name: string, patch: unknown, opts: PatchOptions = {}): Promise<T> {
    return this.patchSubresource<T>(resource, namespace, name, 'status', patch, opts);
  }

  /** The scheduler's decision: POST pods/<name>/binding with a Binding to the node. */
  async bind(namespace: string, podName: string, target: string | Binding, opts: WriteOptions = {}): Promise<Status> {
    const binding: Binding = typeof target === 'string'
      ? { apiVersion: 'v1', kind: 'Binding', metadata: { name: podName, namespace }, target: { apiVersion: 'v1', kind: 'Node', name: target } }
      : target;
    return this.request<Status>({ method: 'POST', path: resourcePath(resolveRef('pods'), namespace, podName, 'binding'), query: writeQuery(opts), body: binding, ...call(opts) });
  }

  /** The autoscaling/v1 Scale of a Deployment or ReplicaSet. */
  async getScale(resource: ResourceRef, namespace: string, name: string, opts: CallOptions = {}): Promise<Scale> {
    return this.getSubresource<Scale>(resource, namespace, name, 'scale', opts);
  }

  /** Sets the replica count as `kubectl scale` does: a merge patch of the scale subresource. */
  async scale(resource: ResourceRef, namespace: string, name: string, replicas: number, opts: WriteOptions = {}): Promise<Scale> {
    return this.patchSubresource<Scale>(resource, namespace, name, 'scale', { spec: { replicas } }, { ...opts, type: 'merge' });
  }

  /** Opens a watch; resolves once the server has accepted it. See Watch. */
  async watch<T = KubeObject>(resource: ResourceRef, namespace: string | undefined, opts: WatchOptions = {}): Promise<Watch<T>> {
    const t: ResourceTarget = resolveRef(resource);
    return openWatch<T>(this.transport, resourcePath(t, namespace), opts);
  }

  /** Ends open watches and closes all connections. */
  close(): Promise<void> {
    return this.transport.close();
  }
}
