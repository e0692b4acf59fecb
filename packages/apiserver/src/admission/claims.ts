// Exclusive claims on names kept in etcd (a cluster IP, a node port): the allocation state lives
// in etcd, so any number of API servers hand out each value at most once.

export interface Claims {
  /** Creates `key` holding `owner` in one transaction. True if created now or already held by `owner`. */
  claim(key: string, owner: string): Promise<boolean>;
  /** Deletes `key` if `owner` holds it. */
  release(key: string, owner: string): Promise<void>;
}
