// What the server needs from its storage: a store per resource, claims for allocators,
// a health check and a clean shutdown. The etcd v3 implementation lives in storage/.

import { setTimeout as sleep } from 'node:timers/promises';
import type { ResourceInfo } from '@kubets/api';
import { Backoff } from '@kubets/client';
import type { Registry } from 'prom-client';
import type { Claims } from './admission/claims.js';
import type { MasterLeases } from './controlplane/master-leases.js';
import type { ResourceStore } from './storage/interface.js';

/** upstream's apiserver_watch_cache_consistent_read_total: served by the cache (success) or by etcd after waiting for the cache failed (fallback). */
export interface ConsistentReadCount {
  resource: string;
  success: boolean;
  fallback: boolean;
  count: number;
}

export interface StorageBackend {
  store(info: ResourceInfo): ResourceStore;
  claims: Claims;
  /** The API servers' master leases, each lasting `ttlSeconds` unless refreshed (the endpoint reconciler's). */
  masterLeases?(ttlSeconds: number): MasterLeases;
  /** Resolves when etcd answers; rejects with the reason otherwise. */
  checkHealth(): Promise<void>;
  /** The storage's own metrics (etcd request latency, stored object counts), served on /metrics. */
  metrics?: Registry;
  /** Consistent lists so far, by resource and by whether the watch cache served them (for /metrics). */
  consistentReads?(): ConsistentReadCount[];
  /**
   * Starts the watch cache of each resource now, as kube-apiserver starts its cachers with the
   * server, rather than on first use; each keeps retrying until etcd answers.
   */
  startCaching?(resources: readonly ResourceInfo[]): void;
  /** Caches whose first list failed try again now rather than after their back-off (etcd answers again). */
  retryCachesNow?(): void;
  /** The resources (`pods`, `deployments.apps`) whose watch cache is not loaded yet, for /readyz. */
  cachesNotReady?(): string[];
  /** Ends every client watch (the first step of a shutdown: open watches would hold it up). */
  endWatches(): void;
  close(): Promise<void>;
}

type RetryLogger = { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };

/**
 * What needs the storage at start (a watch cache's first list, the bootstrap), retried while it
 * does not answer: etcd may come up after the API server, as kube-apiserver allows. Attempts back
 * off from 100 ms, doubling, to 2 s (with a fifth of jitter, so API servers that start together
 * do not ask in step), and a failure is logged at most once per 5 s, with the attempts since the
 * last line, rather than once per attempt.
 */
export class StorageRetry {
  private readonly backoff = new Backoff({ initialMs: 100, maxMs: 2000, jitter: 0.2 });
  private failures = 0;
  private unlogged = 0;
  private loggedAt = -Infinity;

  constructor(
    private readonly what: string,
    private readonly logger: RetryLogger | undefined,
    private readonly logEveryMs = 5000,
  ) {}

  /** Records a failed attempt (logging it if nothing was logged lately); returns the delay before the next. */
  failed(err: unknown): number {
    this.failures++;
    this.unlogged++;
    const now = performance.now();
    if (now - this.loggedAt >= this.logEveryMs) {
      this.logger?.warn({ err: (err as Error)?.message ?? String(err), attempts: this.unlogged, failuresSoFar: this.failures }, `${this.what} failed; retrying`);
      this.loggedAt = now;
      this.unlogged = 0;
    }
    return this.backoff.next();
  }

  /** Records a success: says so if failures were logged, and starts the back-off over. */
  succeeded(): void {
    if (this.failures > 0) this.logger?.info({ failedAttempts: this.failures }, `${this.what} succeeded`);
    this.failures = 0;
    this.unlogged = 0;
    this.loggedAt = -Infinity;
    this.backoff.reset();
  }
}

/**
 * Cuts a retry loop's back-off short: for whoever learns that the storage answers again (a health
 * probe that passed), so that the next attempt does not wait out up to 2 s for nothing.
 */
export class RetryNow {
  private controller = new AbortController();

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  now(): void {
    this.controller.abort();
    this.controller = new AbortController();
  }
}

/**
 * Runs `attempt` until it succeeds, with StorageRetry's back-off and logging. Resolves false if
 * `signal` aborted first (the server is shutting down), without waiting out the back-off.
 */
export async function retryUntilStored(what: string, attempt: () => Promise<void>, signal: AbortSignal, logger?: RetryLogger, retryNow?: RetryNow): Promise<boolean> {
  const retry = new StorageRetry(what, logger);
  while (!signal.aborted) {
    try {
      await attempt();
      retry.succeeded();
      return true;
    } catch (e) {
      if (signal.aborted) break;
      const woken = retryNow?.signal;
      try {
        await sleep(retry.failed(e), undefined, { signal: woken ? AbortSignal.any([signal, woken]) : signal });
      } catch (err) {
        if (!signal.aborted && !woken?.aborted) throw err;
      }
    }
  }
  return false;
}
