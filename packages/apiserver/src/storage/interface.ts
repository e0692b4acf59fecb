// The contract between the API server's REST handlers and its storage (the role of
// k8s.io/apiserver's storage.Interface). Objects are plain JSON objects with ObjectMeta;
// resourceVersion is always the etcd mod_revision of the object's key, as a decimal string.
// Every failure is an ApiError from @kubets/api with upstream's reason and code.

import type { GroupResource, WatchEventType } from '@kubets/api';

export type KubeObject = {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    labels?: Record<string, string>;
    [k: string]: unknown;
  };
  [k: string]: unknown;
};

export interface Preconditions {
  uid?: string;
  resourceVersion?: string;
}

/** Which objects a list or watch returns, evaluated against the stored object. */
export type Predicate = (obj: KubeObject) => boolean;

export type ResourceVersionMatch = 'NotOlderThan' | 'Exact';

export interface GetOptions {
  /** Unset or '' : a linearizable (quorum) read of the latest state. '0': any state (served from the watch cache). Otherwise: NotOlderThan. */
  resourceVersion?: string;
}

export interface ListOptions {
  resourceVersion?: string;
  resourceVersionMatch?: ResourceVersionMatch;
  /** 0 or unset: no paging. */
  limit?: number;
  /** An opaque token from a previous page; implies that page's resourceVersion. */
  continue?: string;
  predicate?: Predicate;
}

export interface ListResult {
  /** Read-only: items served from the watch cache are the cache's own objects, not copies. */
  items: KubeObject[];
  /** The etcd revision the list was read at. */
  resourceVersion: string;
  /** Set when more items remain; a token for the next page (410 Expired once compacted). */
  continue?: string;
  remainingItemCount?: number;
  /**
   * Each item as JSON, where the store keeps it (the watch cache encodes each object once, as
   * it is immutable there): a list of 500 pods then costs copies of bytes, not 500 encodings.
   */
  encodedItems?(): Buffer[];
}

export interface WatchOptions {
  /** Unset, '' or '0': synthetic ADDED events for the current state, then changes. Otherwise: every change after this version, or 410 Expired. */
  resourceVersion?: string;
  predicate?: Predicate;
  /** Emit BOOKMARK events (an object with only apiVersion, kind and metadata.resourceVersion) about once a minute, and 2 s before timeoutMs. */
  allowBookmarks?: boolean;
  /** When the client's watch will be ended (its timeoutSeconds). */
  timeoutMs?: number;
  /** Send only the initial state's synthetic events when 'true' and resourceVersion unset ('sendInitialEvents' in upstream); reserved. */
}

export interface WatchEvent {
  type: WatchEventType;
  object: KubeObject;
}

/** A running watch. Events arrive in revision order, without gaps or repeats. */
export interface Watcher extends AsyncIterable<WatchEvent> {
  /** Ends the iteration and releases the watch's resources; idempotent. */
  stop(): void;
}

/**
 * Called with the current object (after a fresh read) to produce the new one; may throw an
 * ApiError to abort. Called again with the newer object when a concurrent write wins the race,
 * unless the caller pinned a resourceVersion precondition (then 409 Conflict).
 */
export type UpdateFn = (current: KubeObject) => KubeObject | Promise<KubeObject>;

/** Storage of one resource kind under one etcd prefix (`/registry/<resource>/`). */
export interface ResourceStore {
  readonly groupResource: GroupResource;
  /** Fails with 409 AlreadyExists if the key exists. Returns `obj` itself (handed over), with its resourceVersion set. */
  create(namespace: string | undefined, name: string, obj: KubeObject): Promise<KubeObject>;
  /** 404 NotFound when absent. */
  get(namespace: string | undefined, name: string, opts?: GetOptions): Promise<KubeObject>;
  /** Namespace undefined lists across all namespaces. */
  list(namespace: string | undefined, opts?: ListOptions): Promise<ListResult>;
  /** Read-modify-write in one etcd txn compared on mod_revision; 404 if absent, 409 Conflict on a failed precondition. */
  update(namespace: string | undefined, name: string, fn: UpdateFn, preconditions?: Preconditions): Promise<KubeObject>;
  /** Deletes in one txn compared on mod_revision; returns the last state. 404 if absent, 409 on a failed precondition. */
  delete(namespace: string | undefined, name: string, preconditions?: Preconditions): Promise<KubeObject>;
  watch(namespace: string | undefined, opts?: WatchOptions): Promise<Watcher>;
}
