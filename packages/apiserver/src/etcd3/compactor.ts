// Periodic compaction of etcd's history, as kube-apiserver does it (--etcd-compaction-interval):
// every interval, the revision seen one interval ago is compacted. Several API servers agree
// through a version check on the key `compact_rev_key`, so one compaction happens per interval.

import type { EtcdClient } from './client.js';

const compactKey = 'compact_rev_key';

export function startCompactor(etcd: EtcdClient, intervalMs: number, logger?: { warn(o: object, m: string): void; info(o: object, m: string): void }): () => void {
  if (intervalMs <= 0) return () => {};
  let lastVersion = 0;
  let lastRevision = 0;
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      // Whoever moves compact_rev_key from the version we saw gets to compact this round.
      const r = await etcd.txn(
        [{ target: 'VERSION', key: compactKey, version: lastVersion }],
        [{ put: { key: compactKey, value: String(lastRevision) } }],
        [{ range: { key: compactKey } }],
      );
      const revisionNow = r.header.revision;
      if (r.succeeded) {
        if (lastRevision > 0) {
          await etcd.compact(lastRevision).catch((e: Error) => {
            if (!e.message.includes('compacted')) throw e;
          });
          logger?.info({ revision: lastRevision }, 'compacted etcd history');
        }
        lastVersion += 1;
      } else {
        lastVersion = r.results[0]?.[0]?.version ?? 0;
      }
      lastRevision = revisionNow;
    } catch (e) {
      logger?.warn({ err: (e as Error).message }, 'etcd compaction failed; retrying next interval');
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
