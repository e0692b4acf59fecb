// Sets of completion indexes as ordered, non-overlapping intervals, and their text form in
// status.completedIndexes: "1,3-5,7" (two neighbours are written "3,4", a longer run "3-5"),
// as upstream's orderedIntervals in indexed_job_utils.go.

export interface Interval {
  first: number;
  last: number;
}

export type Intervals = readonly Interval[];

export function totalOf(intervals: Intervals): number {
  return intervals.reduce((n, iv) => n + iv.last - iv.first + 1, 0);
}

export function hasIndex(intervals: Intervals, ix: number): boolean {
  let lo = 0;
  let hi = intervals.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (intervals[mid]!.last >= ix) hi = mid;
    else lo = mid + 1;
  }
  return hi < intervals.length && intervals[hi]!.first <= ix;
}

/** The union of the intervals and the new indexes (given in increasing order), merged. */
export function withIndexes(intervals: Intervals, sortedIndexes: readonly number[]): Interval[] {
  const out: Interval[] = [];
  const push = (iv: Interval) => {
    const last = out[out.length - 1];
    if (last === undefined || iv.first > last.last + 1) out.push({ ...iv });
    else if (last.last < iv.last) last.last = iv.last;
  };
  let i = 0;
  let j = 0;
  while (i < intervals.length && j < sortedIndexes.length) {
    if (intervals[i]!.first < sortedIndexes[j]!) push(intervals[i++]!);
    else push({ first: sortedIndexes[j]!, last: sortedIndexes[j++]! });
  }
  while (i < intervals.length) push(intervals[i++]!);
  while (j < sortedIndexes.length) push({ first: sortedIndexes[j]!, last: sortedIndexes[j++]! });
  return out;
}

export function formatIntervals(intervals: Intervals): string {
  return intervals
    .map(({ first, last }) => (last === first ? `${first}` : last === first + 1 ? `${first},${last}` : `${first}-${last}`))
    .join(',');
}

/**
 * Upstream succeededIndexesFromString: parses "1,3-5", keeps only indexes below completions
 * (an interval reaching past it is cut), skips malformed parts, merges neighbours.
 */
export function parseIntervals(text: string | undefined, completions: number): Interval[] {
  if (text === undefined || text === '') return [];
  const out: Interval[] = [];
  for (const part of text.split(',')) {
    const [a, b] = part.split('-');
    const first = atoi(a);
    if (first === undefined) continue;
    if (first >= completions) break;
    let last = first;
    if (b !== undefined) {
      const l = atoi(b);
      if (l === undefined) continue;
      last = Math.min(l, completions - 1);
    }
    const prev = out[out.length - 1];
    if (prev !== undefined && prev.last === first - 1) prev.last = last;
    else out.push({ first, last });
  }
  return out;
}

function atoi(s: string | undefined): number | undefined {
  if (s === undefined || !/^[+-]?\d+$/.test(s)) return undefined;
  return Number.parseInt(s, 10);
}

/**
 * Upstream firstPendingIndexes: the first `count` indexes below `completions` that are
 * neither succeeded nor held by an active pod.
 */
export function firstPendingIndexes(succeeded: Intervals, activeIndexes: Iterable<number>, count: number, completions: number): number[] {
  if (count <= 0) return [];
  const active = [...new Set([...activeIndexes].filter((ix) => ix >= 0))].sort((x, y) => x - y);
  const taken = withIndexes(succeeded, active);
  const out: number[] = [];
  let candidate = 0;
  for (const iv of taken) {
    for (; candidate < completions && out.length < count && candidate < iv.first; candidate++) out.push(candidate);
    if (candidate < iv.last + 1) candidate = iv.last + 1;
  }
  for (; candidate < completions && out.length < count; candidate++) out.push(candidate);
  return out;
}
