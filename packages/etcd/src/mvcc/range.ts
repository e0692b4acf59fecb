// etcd's Range, on the MVCC store: the key range as of a revision, the revision filters, sorting,
// limit with `more`, and `count` (every live key in the range, before filters and limit).
import type { MvccStore } from './store.js';
import type { KeyValue, RangeRequest, RangeResponse, SortTarget } from './types.js';
import { errors } from './types.js';

const EMPTY = Buffer.alloc(0);

function sortValue(kv: KeyValue, target: SortTarget): number | Buffer {
  switch (target) {
    case 'KEY': return kv.key;
    case 'VERSION': return kv.version;
    case 'CREATE': return kv.createRevision;
    case 'MOD': return kv.modRevision;
    case 'VALUE': return kv.value;
  }
}

function compareBy(target: SortTarget): (a: KeyValue, b: KeyValue) => number {
  return (a, b) => {
    const x = sortValue(a, target);
    const y = sortValue(b, target);
    return typeof x === 'number' ? x - (y as number) : Buffer.compare(x, y as Buffer);
  };
}

/**
 * Serves a Range as of `visible` (the store's current revision, or inside a write transaction
 * the revision it is writing, so that a txn reads its own writes).
 */
export function rangeOf(store: MvccStore, req: RangeRequest, visible: number): RangeResponse {
  const rev = req.revision && req.revision > 0 ? req.revision : visible;
  if (rev > visible) throw errors.futureRevision();
  if (rev < store.compactRevision) throw errors.compacted();

  const filtered = Boolean(req.minModRevision || req.maxModRevision || req.minCreateRevision || req.maxCreateRevision);
  // As etcd: the store applies the limit (plus one, to know `more`) before sorting unless a sort
  // order was asked for or filters apply; a sort target without an order then sorts that page.
  const limit = req.limit && req.limit > 0 ? req.limit : 0;
  const storeLimit = limit > 0 && (req.sortOrder ?? 'NONE') === 'NONE' && !filtered ? limit + 1 : 0;

  let count = 0;
  let kvs: KeyValue[] = [];
  store.scan(req.key, req.rangeEnd, (_, h) => {
    const kv = h.at(rev);
    if (kv === undefined) return;
    count++;
    if (req.countOnly || (storeLimit > 0 && kvs.length >= storeLimit)) return;
    kvs.push(kv);
  });

  if (req.maxModRevision) kvs = kvs.filter((kv) => kv.modRevision <= req.maxModRevision!);
  if (req.minModRevision) kvs = kvs.filter((kv) => kv.modRevision >= req.minModRevision!);
  if (req.maxCreateRevision) kvs = kvs.filter((kv) => kv.createRevision <= req.maxCreateRevision!);
  if (req.minCreateRevision) kvs = kvs.filter((kv) => kv.createRevision >= req.minCreateRevision!);

  const target = req.sortTarget ?? 'KEY';
  let order = req.sortOrder ?? 'NONE';
  if (target !== 'KEY' && order === 'NONE') order = 'ASCEND';
  if (order !== 'NONE' && !(target === 'KEY' && order === 'ASCEND')) {
    const cmp = compareBy(target);
    kvs.sort(order === 'ASCEND' ? cmp : (a, b) => cmp(b, a));
  }

  let more = false;
  if (limit > 0 && kvs.length > limit) {
    kvs = kvs.slice(0, limit);
    more = true;
  }
  if (req.keysOnly) kvs = kvs.map((kv) => ({ ...kv, value: EMPTY }));
  return { kvs, more, count };
}
