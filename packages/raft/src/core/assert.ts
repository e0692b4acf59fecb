// Invariant checks in the TigerBeetle style: a failed invariant is a bug in Raft (or in the
// caller breaking the documented contract), never a bad input, so it throws at once instead of
// letting a corrupt state spread to disk or to peers.

export class InvariantError extends Error {
  override name = 'InvariantError';
}

export function invariant(cond: boolean, msg: string | (() => string)): asserts cond {
  if (!cond) throw new InvariantError(typeof msg === 'string' ? msg : msg());
}

/** Indexes, terms and ids are plain numbers; keep them exact (safe integers, not negative). */
export function assertIndex(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new InvariantError(`${what} is not a valid index/term: ${n}`);
}
