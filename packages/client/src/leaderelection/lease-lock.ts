// The lock leader election is built on (client-go's resourcelock.Interface) and its Lease
// implementation. Updates are optimistic: they carry the resourceVersion of the Lease last
// read, so when two candidates race, the API server lets one write and answers the other
// 409 Conflict.

import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Lease } from '@kubets/api';
import type { KubeClient } from '../rest/client.js';
import type { CallOptions } from '../rest/options.js';
import { type LeaderElectionRecord, leaseSpecFromRecord, recordFromLease } from './record.js';

export interface ResourceLock {
  /** The record as stored; throws the 404 ApiError when there is none. Remembers the version read. */
  get(opts?: CallOptions): Promise<LeaderElectionRecord>;
  /** Creates the record; 409 AlreadyExists when someone else did first. */
  create(record: LeaderElectionRecord, opts?: CallOptions): Promise<void>;
  /** Replaces the record, conditional on the version last read or written; 409 Conflict otherwise. */
  update(record: LeaderElectionRecord, opts?: CallOptions): Promise<void>;
  /** This candidate's identity, unique among candidates. */
  readonly identity: string;
  /** For messages: `namespace/name`. */
  describe(): string;
}

/**
 * `<hostname>_<uuid>`: unique even for two processes on one host, as upstream components make it.
 * A process that a local cluster launched has its name (scheduler-1) where a pod would have its
 * hostname, so the Lease's holder says which process leads.
 */
export function defaultIdentity(): string {
  return `${process.env.KUBETS_PROCESS_NAME || hostname()}_${randomUUID()}`;
}

export class LeaseLock implements ResourceLock {
  private lease: Lease | undefined;

  constructor(
    private readonly client: KubeClient,
    readonly namespace: string,
    readonly name: string,
    readonly identity: string,
    private readonly labels?: Record<string, string>,
  ) {}

  describe(): string {
    return `${this.namespace}/${this.name}`;
  }

  async get(opts: CallOptions = {}): Promise<LeaderElectionRecord> {
    this.lease = await this.client.get<Lease>('leases.coordination.k8s.io', this.namespace, this.name, opts);
    return recordFromLease(this.lease);
  }

  async create(record: LeaderElectionRecord, opts: CallOptions = {}): Promise<void> {
    const lease: Lease = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: this.name, namespace: this.namespace, ...(this.labels !== undefined ? { labels: this.labels } : {}) },
      spec: leaseSpecFromRecord(record),
    };
    this.lease = await this.client.create<Lease>('leases.coordination.k8s.io', this.namespace, lease, opts);
  }

  async update(record: LeaderElectionRecord, opts: CallOptions = {}): Promise<void> {
    if (this.lease === undefined) throw new Error(`lease ${this.describe()}: update before get or create`);
    const next: Lease = { ...this.lease, spec: leaseSpecFromRecord(record) };
    this.lease = await this.client.update<Lease>('leases.coordination.k8s.io', this.namespace, next, opts);
  }
}
