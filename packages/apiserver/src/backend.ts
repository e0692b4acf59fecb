// What the server needs from its storage: a store per resource, claims for allocators,
// a health check and a clean shutdown. The etcd v3 implementation lives in storage/.

import type { ResourceInfo } from '@kubets/api';
import type { Claims } from './admission/claims.js';
import type { ResourceStore } from './storage/interface.js';

export interface StorageBackend {
  store(info: ResourceInfo): ResourceStore;
  claims: Claims;
  /** Resolves when etcd answers; rejects with the reason otherwise. */
  checkHealth(): Promise<void>;
  /** Ends every client watch (the first step of a shutdown: open watches would hold it up). */
  endWatches(): void;
  close(): Promise<void>;
}
