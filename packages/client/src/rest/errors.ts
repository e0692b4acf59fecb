// Failures a caller can tell apart. An answer from an API server that is not 2xx becomes the
// ApiError of @kubets/api, carrying the server's own Status (so `e.code === 409`,
// `e.reason === 'Conflict'` work as with client-go's apierrors). Not reaching any server is
// a TransportError.

import { ApiError, type Status, type StatusDetails, type StatusReason } from '@kubets/api';

/** The reason kube-apiserver would have given for a bare HTTP code (client-go's newUnstructuredResponseError). */
const reasonByCode: Record<number, StatusReason> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  409: 'Conflict',
  410: 'Gone',
  413: 'RequestEntityTooLarge',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

const messageByCode: Record<number, string> = {
  400: 'the server rejected our request for an unknown reason',
  401: 'the server has asked for the client to provide credentials',
  403: 'the server does not allow access to the requested resource',
  404: 'the server could not find the requested resource',
  405: 'the server does not allow this method on the requested resource',
  409: 'the server reported a conflict',
  410: 'the server has asked for the client to retry: the requested resource is gone',
  422: 'the server rejected our request due to an error in our request',
  429: 'the server has received too many requests and has asked us to try again later',
  500: 'an error on the server has prevented the request from succeeding',
  503: 'the server is currently unable to handle the request',
  504: 'the server was unable to return a response in the time allotted, but may still be processing the request',
};

function isStatus(v: unknown): v is Partial<Status> & { kind: 'Status' } {
  return typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'Status';
}

/** An ApiError that keeps every field of the Status it was built from. */
export function apiErrorFromStatus(status: Partial<Status>, httpCode?: number): ApiError {
  const code = typeof status.code === 'number' && status.code !== 0 ? status.code : httpCode ?? 500;
  const reason = (status.reason ?? reasonByCode[code] ?? 'InternalError') as StatusReason;
  const message = status.message ?? messageByCode[code] ?? `unknown error (HTTP ${code})`;
  const err = new ApiError(code, reason, message, status.details);
  if (status.metadata !== undefined) err.status.metadata = status.metadata;
  return err;
}

/** The seconds a Retry-After header asks for (seconds or an HTTP date), if it is there and sane. */
export function retryAfterSeconds(header: string | string[] | undefined, now = Date.now()): number | undefined {
  const v = Array.isArray(header) ? header[0] : header;
  if (v === undefined || v.trim() === '') return undefined;
  if (/^\d+$/.test(v.trim())) return Number(v.trim());
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

/** The ApiError for a non-2xx answer: the body's Status if it holds one, else one made from the code. */
export function apiErrorFromResponse(statusCode: number, headers: Record<string, string | string[] | undefined>, body: string): ApiError {
  let parsed: unknown;
  try {
    parsed = body === '' ? undefined : JSON.parse(body);
  } catch {
    parsed = undefined;
  }
  let err: ApiError;
  if (isStatus(parsed)) {
    err = apiErrorFromStatus(parsed, statusCode);
  } else {
    const base = messageByCode[statusCode] ?? `unknown error (HTTP ${statusCode})`;
    const text = body.trim();
    const details: StatusDetails = {};
    if (text !== '') details.causes = [{ reason: 'UnexpectedServerResponse', message: text.slice(0, 1024) }];
    err = new ApiError(statusCode, reasonByCode[statusCode] ?? 'InternalError', text === '' ? base : `${base} (${text.slice(0, 256)})`, text === '' ? undefined : details);
  }
  const after = retryAfterSeconds(headers['retry-after']);
  if (after !== undefined && err.status.details?.retryAfterSeconds === undefined) {
    err.status.details = { ...err.status.details, retryAfterSeconds: after };
  }
  return err;
}

/** Codes of errors raised before a request could have reached the server. */
const notSentCodes = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** True when the error proves the request never left: any verb may then go to another server. */
export function failedBeforeSending(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && notSentCodes.has(code);
}

/** No API server could be talked to (connection refused, reset, timed out ...). */
export class TransportError extends Error {
  /** The network error code of the last failure (ECONNREFUSED, UND_ERR_SOCKET, ETIMEDOUT ...). */
  readonly code: string | undefined;
  /** Every failure, one per attempt, with the server it was against. */
  readonly attempts: { server: string; error: Error }[];

  constructor(message: string, attempts: { server: string; error: Error }[]) {
    super(message);
    this.name = 'TransportError';
    const last = attempts[attempts.length - 1]?.error as { code?: unknown } | undefined;
    this.code = typeof last?.code === 'string' ? last.code : undefined;
    this.attempts = attempts;
  }
}

/** A request that got no complete answer within its timeout. */
export class RequestTimeoutError extends Error {
  readonly code = 'ETIMEDOUT';
  constructor(message: string) {
    super(message);
    this.name = 'RequestTimeoutError';
  }
}

export function isTransportError(e: unknown): e is TransportError {
  return e instanceof TransportError;
}

/** A 410 (Expired or Gone): the resourceVersion or continue token is too old; list afresh. */
export function isResourceExpired(e: unknown): e is ApiError {
  return e instanceof ApiError && e.code === 410;
}

export const isNotFound = (e: unknown): e is ApiError => e instanceof ApiError && e.code === 404;
export const isConflict = (e: unknown): e is ApiError => e instanceof ApiError && e.code === 409 && e.reason === 'Conflict';
export const isAlreadyExists = (e: unknown): e is ApiError => e instanceof ApiError && e.code === 409 && e.reason === 'AlreadyExists';
export const isInvalid = (e: unknown): e is ApiError => e instanceof ApiError && e.code === 422;
export const isTooManyRequests = (e: unknown): e is ApiError => e instanceof ApiError && e.code === 429;
