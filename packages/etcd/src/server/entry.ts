// What a Raft entry of kubets-etcd carries: a one-byte kind, then its body. Kind 0 is a request
// for the applier (kv writes, compaction, lease grant and revoke); the others are the server's
// own bookkeeping, replicated so that every member agrees on it.
export const enum EntryKind {
  Request = 0,
  /** A keepalive: every member restarts the lease's countdown. Body: the lease id as decimal. */
  LeaseRenew = 1,
  /** A member's name and client URLs (etcd's publish). Body: JSON. */
  PublishMember = 2,
}

export function frameEntry(kind: EntryKind, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(body.length + 1);
  out[0] = kind;
  out.set(body, 1);
  return out;
}
