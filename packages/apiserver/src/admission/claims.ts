// Exclusive claims on names kept in etcd (a cluster IP, a node port): the allocation state lives
// in etcd, so any number of API servers hand out each value at most once.

export interface Claim {
  key: string;
  owner: string;
  /** The etcd revision the claim was last written at; a release can be made conditional on it. */
  revision: number;
}

export interface Claims {
  /** Creates `key` holding `owner` in one transaction. True if created now or already held by `owner`. */
  claim(key: string, owner: string): Promise<boolean>;
  /** Deletes `key` if `owner` holds it (and, with `revision`, if it was not written since). */
  release(key: string, owner: string, revision?: number): Promise<void>;
  /** Every claim whose key starts with `prefix`. */
  list(prefix: string): Promise<Claim[]>;
}
