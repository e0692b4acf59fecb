// The ObjectSource the kubelet runs with: objects a pod refers to, read from the API server.
//
// - Services: one informer over the Services of all namespaces (a pod's environment needs its own
//   namespace's and the `kubernetes` Service of `default`), as upstream's serviceLister. Reads
//   wait for its first list, as upstream's kubelet waits for serviceHasSynced.
// - ConfigMaps and Secrets: a GET per object, cached for ttlMs (found and not found alike), with
//   one request in flight per object. This is upstream's TTL cache manager (the "Cache" strategy)
//   rather than its default watch per referenced object: simpler, and a change reaches pods within
//   ttlMs plus the kubelet's refresh period.
import { Informer, isNotFound, type KubeClient, type SharedInformerFactory } from '@kubets/client';
import type { ConfigMap, Secret, Service } from '@kubets/api';
import type { EventLog } from '@kubets/component-base';
import type { ObjectSource } from './types.js';

export interface ApiObjectSourceOptions {
  /** How long a ConfigMap or Secret read is reused. Default 2000 ms. */
  ttlMs?: number;
  /** How long a Services read waits for the informer's first list. Default 10000 ms. */
  servicesSyncTimeoutMs?: number;
  /** Share the kubelet's informer over Services instead of starting one (close() then leaves it running). */
  informers?: SharedInformerFactory;
  /** Where failed lists and watches of the Services informer are told. */
  logger: EventLog;
  /** For tests: the time in ms. */
  now?: () => number;
}

export interface ApiObjectSource extends ObjectSource {
  /** Stops the Services informer this source started. */
  close(): Promise<void>;
}

/** Why Services could not be read: the informer has not listed them yet. */
export class ServicesNotSyncedError extends Error {
  override name = 'ServicesNotSyncedError';
  constructor() {
    super('services have not yet been read at least once, cannot construct envvars');
  }
}

export function createApiObjectSource(client: KubeClient, opts: ApiObjectSourceOptions): ApiObjectSource {
  const ttlMs = opts.ttlMs ?? 2000;
  const now = opts.now ?? Date.now;
  const owned = opts.informers === undefined;
  const services: Informer<Service> = opts.informers?.informerFor<Service>('services') ?? new Informer<Service>(client, 'services', { onError: (err, context) => opts.logger.warn({ err, context }, 'watching Services failed; retrying') });
  if (owned) services.start();
  const configMaps = new TtlCache<ConfigMap>(ttlMs, now, (ns, name) => getOrUndefined<ConfigMap>(client, 'configmaps', ns, name));
  const secrets = new TtlCache<Secret>(ttlMs, now, (ns, name) => getOrUndefined<Secret>(client, 'secrets', ns, name));
  return {
    configMap: (namespace, name) => configMaps.get(namespace, name),
    secret: (namespace, name) => secrets.get(namespace, name),
    async services(namespace) {
      const synced = await services.waitForSync(AbortSignal.timeout(opts.servicesSyncTimeoutMs ?? 10_000));
      if (!synced) throw new ServicesNotSyncedError();
      return services.list(namespace);
    },
    async close() {
      if (owned) await services.stop();
    },
  };
}

async function getOrUndefined<T>(client: KubeClient, resource: string, namespace: string, name: string): Promise<T | undefined> {
  try {
    return await client.get<T>(resource, namespace, name);
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

interface Entry<T> {
  value: T | undefined;
  expiresAt: number;
}

/** Reads by namespace/name, each kept ttlMs; concurrent reads of one object share one fetch. */
class TtlCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly inFlight = new Map<string, Promise<T | undefined>>();
  private nextSweepAt = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number,
    private readonly fetch: (namespace: string, name: string) => Promise<T | undefined>,
  ) {}

  async get(namespace: string, name: string): Promise<T | undefined> {
    const key = `${namespace}/${name}`;
    this.sweep();
    const entry = this.entries.get(key);
    if (entry !== undefined && entry.expiresAt > this.now()) return structuredClone(entry.value);
    let pending = this.inFlight.get(key);
    if (pending === undefined) {
      pending = this.fetchAndKeep(key, namespace, name);
      this.inFlight.set(key, pending);
    }
    return structuredClone(await pending);
  }

  private async fetchAndKeep(key: string, namespace: string, name: string): Promise<T | undefined> {
    try {
      const value = await this.fetch(namespace, name);
      this.entries.set(key, { value, expiresAt: this.now() + this.ttlMs });
      return value;
    } finally {
      this.inFlight.delete(key);
    }
  }

  /** Drops expired entries now and then, so objects no pod reads any more do not stay. */
  private sweep(): void {
    const now = this.now();
    if (now < this.nextSweepAt) return;
    this.nextSweepAt = now + this.ttlMs;
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
  }
}
