// The query of GET /containerLogs, read as upstream's kubelet reads it: decoded into a v1
// PodLogOptions (a failure is 400 `{"message": "Unable to decode query."}`), then validated
// (a failure is 422 `{"message": "Invalid request."}`), with the old `tail` parameter accepted
// (`tail=all` is no tail). Pure: a function of the query and the time.
import type { StreamSelection } from '../logs/tail.js';

export interface ContainerLogQuery {
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  tailLines?: number;
  limitBytes?: number;
  /** The later of sinceTime and now minus sinceSeconds. */
  sinceTime?: Date;
  stream: StreamSelection;
}

export type LogQueryResult = { ok: true; query: ContainerLogQuery } | { ok: false; status: 400 | 422; message: string };

const undecodable = { ok: false, status: 400, message: '{"message": "Unable to decode query."}' } as const;
const invalid = { ok: false, status: 422, message: '{"message": "Invalid request."}' } as const;

/** Go's parameter codec: present and neither "0" nor "false" (any case) is true, even empty. */
function boolParam(q: URLSearchParams, name: string): boolean {
  const v = q.get(name);
  return v !== null && v !== '0' && v.toLowerCase() !== 'false';
}

/** An int64 parameter: undefined when absent or empty, NaN when it is not a base-10 integer. */
function int64(v: string | null): number | undefined {
  if (v === null || v === '') return undefined;
  return /^[+-]?\d{1,18}$/.test(v) ? Number(v) : Number.NaN;
}

/** tailLines, or the older `tail`, which wins when given (`all` is no tail). */
function tailParam(q: URLSearchParams): number | undefined {
  const tail = q.get('tail');
  if (tail === null || tail === '') return int64(q.get('tailLines'));
  return tail === 'all' ? undefined : int64(tail);
}

/** metav1.Time: RFC3339, with or without a fraction. */
function timeParam(q: URLSearchParams, name: string): Date | undefined | 'invalid' {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(v)) return 'invalid';
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? 'invalid' : new Date(ms);
}

const streams: Record<string, StreamSelection> = { Stdout: 'stdout', Stderr: 'stderr', All: 'all' };

export function parseLogQuery(q: URLSearchParams, now: Date): LogQueryResult {
  const tailLines = tailParam(q);
  const limitBytes = int64(q.get('limitBytes'));
  const sinceSeconds = int64(q.get('sinceSeconds'));
  const sinceTime = timeParam(q, 'sinceTime');
  if ([tailLines, limitBytes, sinceSeconds].some((n) => Number.isNaN(n)) || sinceTime === 'invalid') return undecodable;
  const streamName = q.get('stream');
  const stream = streamName === null ? 'all' : streams[streamName];
  if (stream === undefined) return invalid;
  if (tailLines !== undefined && tailLines < 0) return invalid;
  if (limitBytes !== undefined && limitBytes < 1) return invalid;
  if (sinceSeconds !== undefined && (sinceSeconds < 1 || sinceTime !== undefined)) return invalid;
  // Upstream: a tail of one stream would need the other's lines counted apart; not yet allowed.
  if (tailLines !== undefined && stream !== 'all') return invalid;
  const since = sinceSeconds !== undefined ? new Date(now.getTime() - sinceSeconds * 1000) : sinceTime;
  return {
    ok: true,
    query: {
      follow: boolParam(q, 'follow'),
      previous: boolParam(q, 'previous'),
      timestamps: boolParam(q, 'timestamps'),
      stream,
      ...(tailLines !== undefined ? { tailLines } : {}),
      ...(limitBytes !== undefined ? { limitBytes } : {}),
      ...(since !== undefined ? { sinceTime: since } : {}),
    },
  };
}
