// Whether reads may be served from the watch cache after a progress notification. That is only
// sound where etcd sends a progress notification after every event up to its revision on the
// same stream; etcd before 3.4.31 and 3.5.13 could send it early (etcd-io/etcd#15220), so
// kube-apiserver checks every member's version before it trusts RequestWatchProgress, and
// so do we.

/** etcd versions from which progress notifications are ordered after the events they cover. */
const FIXED_IN: Record<string, number> = { '3.4': 31, '3.5': 13 };

/** True if an etcd server reporting `version` (as `/version`'s etcdserver) orders progress notifications. */
export function supportsRequestWatchProgress(version: string): boolean {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!m) return false;
  const [major, minor, patch] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (major !== 3) return major > 3;
  if (minor >= 6) return true;
  const fixed = FIXED_IN[`${major}.${minor}`];
  return fixed !== undefined && patch >= fixed;
}

/**
 * Asks every member for its version, as upstream's feature-support checker does: support holds
 * only once all members answered with a version that has it. A member that cannot be asked
 * makes the answer "not yet", asked again after `retryMs`; a definite answer is kept.
 */
export function watchProgressChecker(versions: () => Promise<(string | undefined)[]>, retryMs = 30_000): () => Promise<boolean> {
  let known: boolean | undefined;
  let askedAt = -Infinity;
  let asking: Promise<boolean> | undefined;
  return async () => {
    if (known !== undefined) return known;
    if (asking) return asking;
    if (performance.now() - askedAt < retryMs) return false;
    askedAt = performance.now();
    asking = versions()
      .then((vs) => {
        if (vs.some((v) => v === undefined)) return false;
        known = vs.every((v) => supportsRequestWatchProgress(v!));
        return known;
      })
      .catch(() => false)
      .finally(() => {
        asking = undefined;
      });
    return asking;
  };
}
