// etcd's key range rules, for matching watch events: no range_end = the single key; range_end
// "\0" = every key >= key; otherwise [key, range_end).
export interface KeyRange {
  key: Buffer;
  rangeEnd?: Buffer;
}

export function inRange(r: KeyRange, k: Buffer): boolean {
  const end = r.rangeEnd;
  if (end === undefined || end.length === 0) return k.equals(r.key);
  if (Buffer.compare(k, r.key) < 0) return false;
  if (end.length === 1 && end[0] === 0) return true;
  return Buffer.compare(k, end) < 0;
}
