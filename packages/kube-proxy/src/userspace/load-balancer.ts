// The userspace data path's choice of endpoint for one Service port: round robin, with
// sessionAffinity: ClientIP (upstream's pkg/proxy/userspace/roundrobin.go, one balancer per port).
// Pure: no sockets, no timers; the clock is injected so affinity expiry is tested without waiting.
//
// Guarantees
// - Round robin over the endpoints in the order given; the position restarts at the first
//   endpoint whenever the list changes (as upstream), and stays put when the same list comes again.
// - A client's affinity record lives while it is used at least once per timeoutSeconds; an
//   endpoint that leaves the list takes its records with it, so no client is sent to a gone pod.
// - Records of clients that went quiet are swept on update and, lazily, whenever the table has
//   doubled since the last sweep: the table stays within twice the live clients (plus a floor).

import { endpointKey, type SessionAffinity } from '../model/types.js';

export interface Backend {
  ip: string;
  port: number;
}

interface AffinityRecord {
  backend: Backend;
  /** ms on the injected clock; each use refreshes it. */
  lastUsed: number;
}

/** Upstream's DefaultClientIPServiceAffinitySeconds, used when a timeout of 0 comes through. */
const defaultAffinitySeconds = 10800;
/** Below this many records a lazy sweep is not worth its cost. */
const sweepFloor = 1024;

export class RoundRobinBalancer {
  private endpoints: readonly Backend[] = [];
  private index = 0;
  private affinity: SessionAffinity = { clientIP: false, timeoutSeconds: defaultAffinitySeconds };
  /** clientIP -> its endpoint; empty unless affinity is ClientIP. */
  private readonly records = new Map<string, AffinityRecord>();
  /** records.size after the last sweep, so the next lazy one waits until the table doubled. */
  private sweptSize = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** Number of endpoints. */
  get size(): number {
    return this.endpoints.length;
  }

  /** ClientIP affinity is on: next() looks at the client's address (which costs a getpeername per connection). */
  get sticky(): boolean {
    return this.affinity.clientIP;
  }

  /**
   * Replaces the endpoints (the caller passes them sorted; the same list again changes nothing).
   * Affinity records of endpoints that remain are kept, those of removed ones dropped; the
   * round-robin position is reset when the list changed.
   */
  update(endpoints: readonly Backend[], affinity: SessionAffinity): void {
    this.setAffinity(affinity);
    if (!sameBackends(this.endpoints, endpoints)) {
      this.endpoints = endpoints.map((e) => ({ ip: e.ip, port: e.port }));
      this.index = 0;
      this.dropRecordsNotIn(this.endpoints);
    }
    this.sweepExpired();
  }

  /**
   * The endpoint for a new connection from clientIP, undefined when there is none. With ClientIP
   * affinity, a client gets its recorded endpoint while the record is younger than timeoutSeconds
   * since last use (each use refreshes it); resetAffinity (after a failed connect to it) forces a
   * fresh round-robin pick that replaces the record. `avoid`: the endpoints this connection
   * already failed to reach, skipped while another remains (with many connections at once, plain
   * round robin could hand one connection the same dead endpoint on every attempt).
   */
  next(clientIP: string, resetAffinity: boolean, avoid: readonly Backend[] = []): Backend | undefined {
    if (this.endpoints.length === 0) return undefined;
    if (!this.affinity.clientIP) return this.advance(avoid);
    const now = this.now();
    const record = this.records.get(clientIP);
    if (record && !resetAffinity && this.isLive(record, now)) {
      record.lastUsed = now;
      return record.backend;
    }
    const backend = this.advance(resetAffinity && record !== undefined ? [record.backend, ...avoid] : avoid);
    this.records.set(clientIP, { backend, lastUsed: now });
    this.maybeSweep();
    return backend;
  }

  /** The endpoint at the round-robin position, then moves on; skips those in `avoid` while another remains. */
  private advance(avoid: readonly Backend[]): Backend {
    const first = this.take();
    let backend = first;
    for (let i = 1; i < this.endpoints.length && avoid.some((a) => sameBackend(a, backend)); i++) backend = this.take();
    return avoid.some((a) => sameBackend(a, backend)) ? first : backend;
  }

  private take(): Backend {
    const backend = this.endpoints[this.index]!;
    this.index = (this.index + 1) % this.endpoints.length;
    return backend;
  }

  private setAffinity(affinity: SessionAffinity): void {
    const timeoutSeconds = affinity.timeoutSeconds > 0 ? affinity.timeoutSeconds : defaultAffinitySeconds;
    this.affinity = { clientIP: affinity.clientIP, timeoutSeconds };
    if (!affinity.clientIP) this.records.clear();
  }

  /** Upstream's rule: live while whole seconds since last use < timeoutSeconds, i.e. elapsed ms < timeout. */
  private isLive(record: AffinityRecord, now: number): boolean {
    return now - record.lastUsed < this.affinity.timeoutSeconds * 1000;
  }

  private dropRecordsNotIn(endpoints: readonly Backend[]): void {
    if (this.records.size === 0) return;
    const byKey = new Map(endpoints.map((e) => [endpointKey(e), e]));
    for (const [clientIP, record] of this.records) {
      const kept = byKey.get(endpointKey(record.backend));
      if (kept) record.backend = kept;
      else this.records.delete(clientIP);
    }
  }

  /** Amortised: a sweep costs records.size and runs only after that many insertions. */
  private maybeSweep(): void {
    if (this.records.size >= Math.max(sweepFloor, 2 * this.sweptSize)) this.sweepExpired();
  }

  private sweepExpired(): void {
    const now = this.now();
    for (const [clientIP, record] of this.records) if (!this.isLive(record, now)) this.records.delete(clientIP);
    this.sweptSize = this.records.size;
  }
}

function sameBackend(a: Backend, b: Backend): boolean {
  return a.ip === b.ip && a.port === b.port;
}

function sameBackends(a: readonly Backend[], b: readonly Backend[]): boolean {
  return a.length === b.length && a.every((e, i) => sameBackend(e, b[i]!));
}
