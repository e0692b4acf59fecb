// Status errors, as k8s.io/apimachinery/pkg/api/errors: every error a client sees is a
// metav1.Status with the upstream reason and HTTP code, so kubectl and client libraries
// recognise it (NotFound, AlreadyExists, Conflict, Invalid, Expired ...).

import { type FieldError, formatFieldError } from './field.js';

export type StatusReason =
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Gone'
  | 'Expired'
  | 'Invalid'
  | 'MethodNotAllowed'
  | 'NotAcceptable'
  | 'RequestEntityTooLarge'
  | 'UnsupportedMediaType'
  | 'TooManyRequests'
  | 'InternalError'
  | 'ServiceUnavailable'
  | 'Timeout';

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never> | { resourceVersion?: string };
  status: 'Success' | 'Failure';
  message?: string;
  reason?: StatusReason;
  details?: StatusDetails;
  code: number;
}

/** A group plus a plural resource name, as upstream's schema.GroupResource ("deployments.apps"). */
export interface GroupResource {
  group: string;
  resource: string;
}

/** A group plus a kind, as upstream's schema.GroupKind ("Deployment.apps"). */
export interface GroupKind {
  group: string;
  kind: string;
}

function groupResourceString(gr: GroupResource): string {
  return gr.group === '' ? gr.resource : `${gr.resource}.${gr.group}`;
}

function groupKindString(gk: GroupKind): string {
  return gk.group === '' ? gk.kind : `${gk.kind}.${gk.group}`;
}

/** An error that carries the Status to send. Thrown by parsers, validation and storage alike. */
export class ApiError extends Error {
  readonly status: Status;

  constructor(code: number, reason: StatusReason, message: string, details?: StatusDetails) {
    super(message);
    this.name = 'ApiError';
    this.status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
    if (details !== undefined) this.status.details = details;
  }

  get code(): number {
    return this.status.code;
  }

  get reason(): StatusReason {
    return this.status.reason as StatusReason;
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

function resourceDetails(gr: GroupResource, name: string): StatusDetails {
  const d: StatusDetails = { name, kind: gr.resource };
  if (gr.group !== '') d.group = gr.group;
  return d;
}

export function notFound(gr: GroupResource, name: string): ApiError {
  return new ApiError(404, 'NotFound', `${groupResourceString(gr)} ${JSON.stringify(name)} not found`, resourceDetails(gr, name));
}

/** A path that names no resource this server has (an unknown group, version, resource or subresource). */
export function pathNotFound(): ApiError {
  return new ApiError(404, 'NotFound', 'the server could not find the requested resource', {});
}

export function alreadyExists(gr: GroupResource, name: string): ApiError {
  return new ApiError(409, 'AlreadyExists', `${groupResourceString(gr)} ${JSON.stringify(name)} already exists`, resourceDetails(gr, name));
}

export function conflict(gr: GroupResource, name: string, why: string): ApiError {
  return new ApiError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${groupResourceString(gr)} ${JSON.stringify(name)}: ${why}`,
    resourceDetails(gr, name),
  );
}

/** 422 Invalid with one cause per field error, worded as kube-apiserver words them. */
export function invalid(gk: GroupKind, name: string, errors: readonly FieldError[]): ApiError {
  const lines = errors.map(formatFieldError);
  const summary = lines.length === 1 ? lines[0] : `[${lines.join(', ')}]`;
  const details: StatusDetails = {
    name,
    kind: gk.kind,
    causes: errors.map((e, i) => ({ reason: e.type, message: lines[i]!.slice(e.field.length + 2), field: e.field })),
  };
  if (gk.group !== '') details.group = gk.group;
  return new ApiError(422, 'Invalid', `${groupKindString(gk)} ${JSON.stringify(name)} is invalid: ${summary}`, details);
}

export function badRequest(message: string): ApiError {
  return new ApiError(400, 'BadRequest', message);
}

export function unauthorized(message = 'Unauthorized'): ApiError {
  return new ApiError(401, 'Unauthorized', message);
}

export function forbidden(gr: GroupResource, name: string, why: string): ApiError {
  const what = name === '' ? groupResourceString(gr) : `${groupResourceString(gr)} ${JSON.stringify(name)}`;
  return new ApiError(403, 'Forbidden', `${what} is forbidden: ${why}`, resourceDetails(gr, name));
}

export function methodNotSupported(gr: GroupResource, verb: string): ApiError {
  return new ApiError(405, 'MethodNotAllowed', `${verb} is not supported on resources of kind ${JSON.stringify(groupResourceString(gr))}`, {
    kind: gr.resource,
    ...(gr.group !== '' ? { group: gr.group } : {}),
  });
}

export function notAcceptable(message: string): ApiError {
  return new ApiError(406, 'NotAcceptable', message);
}

/** 410 Gone, reason Expired: a resourceVersion or continue token that etcd has compacted away. */
export function expired(message: string): ApiError {
  return new ApiError(410, 'Expired', message);
}

export function gone(message: string): ApiError {
  return new ApiError(410, 'Gone', message);
}

export function requestEntityTooLarge(message: string): ApiError {
  return new ApiError(413, 'RequestEntityTooLarge', `Request entity too large: ${message}`);
}

export function unsupportedMediaType(contentType: string): ApiError {
  return new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf, application/merge-patch+json, application/json-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml; got ${JSON.stringify(contentType)}`);
}

export function tooManyRequests(message: string, retryAfterSeconds: number): ApiError {
  return new ApiError(429, 'TooManyRequests', message, { retryAfterSeconds });
}

export function internalError(cause: unknown): ApiError {
  const text = cause instanceof Error ? cause.message : String(cause);
  return new ApiError(500, 'InternalError', `Internal error occurred: ${text}`, { causes: [{ message: text }] });
}

export function serviceUnavailable(message: string): ApiError {
  return new ApiError(503, 'ServiceUnavailable', message);
}

export function timeout(message: string, retryAfterSeconds = 0): ApiError {
  return new ApiError(504, 'Timeout', `Timeout: ${message}`, retryAfterSeconds > 0 ? { retryAfterSeconds } : undefined);
}

/** Any thrown value as a Status: ApiErrors as they are, anything else as a 500. */
export function toStatus(e: unknown): Status {
  return isApiError(e) ? e.status : internalError(e).status;
}

/** The Status a successful DELETE may return instead of the object. */
export function successStatus(details?: StatusDetails): Status {
  const s: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 200 };
  if (details !== undefined) s.details = details;
  return s;
}
