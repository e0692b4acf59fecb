// The query options of the verbs, with upstream's names, and their encoding.

export type PropagationPolicy = 'Foreground' | 'Background' | 'Orphan';
export type FieldValidation = 'Ignore' | 'Warn' | 'Strict';
export type ResourceVersionMatch = 'Exact' | 'NotOlderThan';

/** Per call: a timeout (overrides the client's) and a signal to abandon the call. */
export interface CallOptions {
  /** Milliseconds for each attempt; 0 disables the timeout. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** A selector as text (`app=web,tier!=db`) or as a set of labels that must all match. */
export type SelectorInput = string | Record<string, string>;

export interface GetOptions extends CallOptions {
  resourceVersion?: string;
}

export interface ListOptions extends CallOptions {
  labelSelector?: SelectorInput;
  fieldSelector?: SelectorInput;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: ResourceVersionMatch;
  timeoutSeconds?: number;
}

export interface WriteOptions extends CallOptions {
  dryRun?: boolean;
  fieldValidation?: FieldValidation;
  fieldManager?: string;
}

export type PatchType = 'merge' | 'json' | 'strategic' | 'apply';

export interface PatchOptions extends WriteOptions {
  /** merge (application/merge-patch+json, the default), json (RFC 6902), strategic, or apply (server-side apply). */
  type?: PatchType;
  /** Server-side apply: take over fields other managers own. */
  force?: boolean;
}

/** What a DELETE asks for; sent as a meta/v1 DeleteOptions body. */
export interface DeleteRequestOptions extends CallOptions {
  propagationPolicy?: PropagationPolicy;
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

export const patchContentTypes: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
};

export function selectorString(s: SelectorInput | undefined): string | undefined {
  if (s === undefined) return undefined;
  if (typeof s === 'string') return s;
  return Object.entries(s)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

export type QueryValues = Record<string, string | number | boolean | undefined>;

/** `?a=1&b=x` from the defined values, or '' when there are none. */
export function encodeQuery(q: QueryValues): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '') params.append(k, String(v));
  const s = params.toString();
  return s === '' ? '' : `?${s}`;
}

export function listQuery(o: ListOptions): QueryValues {
  return {
    labelSelector: selectorString(o.labelSelector),
    fieldSelector: selectorString(o.fieldSelector),
    limit: o.limit !== undefined && o.limit > 0 ? o.limit : undefined,
    continue: o.continue,
    resourceVersion: o.resourceVersion,
    resourceVersionMatch: o.resourceVersionMatch,
    timeoutSeconds: o.timeoutSeconds,
  };
}

export function writeQuery(o: WriteOptions & { force?: boolean }): QueryValues {
  return {
    dryRun: o.dryRun === true ? 'All' : undefined,
    fieldValidation: o.fieldValidation,
    fieldManager: o.fieldManager,
    force: o.force === true ? true : undefined,
  };
}

/** The DeleteOptions body kube-apiserver reads (client-go sends the options as a body too). */
export function deleteBody(o: DeleteRequestOptions): string | undefined {
  const body: Record<string, unknown> = {};
  if (o.propagationPolicy !== undefined) body.propagationPolicy = o.propagationPolicy;
  if (o.gracePeriodSeconds !== undefined) body.gracePeriodSeconds = o.gracePeriodSeconds;
  if (o.preconditions !== undefined) body.preconditions = o.preconditions;
  if (o.dryRun === true) body.dryRun = ['All'];
  if (Object.keys(body).length === 0) return undefined;
  return JSON.stringify({ kind: 'DeleteOptions', apiVersion: 'v1', ...body });
}
