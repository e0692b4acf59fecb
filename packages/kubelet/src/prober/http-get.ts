// The HTTP GET that httpGet probes and httpGet lifecycle hooks both send (upstream's
// pkg/probe/http request and client): HTTP or HTTPS without checking the certificate, no
// keep-alive, the action's headers with a kube-probe/kube-lifecycle User-Agent and Accept */*,
// one deadline for the whole exchange, redirects followed only while they stay on the same host
// (at most 10), and at most 10 KiB of the body read. Errors are worded as Go's client words them
// (`Get "http://...": dial tcp ...: connect: connection refused`), because users see them.
import http from 'node:http';
import https from 'node:https';
import type { Container, Probe } from '@kubets/api';
import { resolveContainerPort } from './container-port.js';
import { dialErrorMessage, isDialError } from './dial-error.js';
import { joinHostPort } from './go-format.js';
import { kubeletMajorMinor, maxProbeOutputBytes } from './probe-outcome.js';

export type HTTPGetAction = NonNullable<Probe['httpGet']>;

export interface HttpGetRequest {
  url: URL;
  /** Sent as given, with User-Agent and Accept added where the action did not set them. */
  headers: Record<string, string | string[]>;
  timeoutMs: number;
}

export interface HttpGetResponse {
  statusCode: number;
  /** At most 10 KiB of the body, as UTF-8. */
  body: string;
  /** A redirect to another host, returned instead of followed (upstream: a probe warning). */
  redirectNotFollowed: boolean;
}

export type HttpGetErrorReason =
  /** The deadline passed before the response (or its body) arrived. */
  | 'Timeout'
  /** The connection could not be made. */
  | 'Dial'
  /** An HTTPS request reached a server that speaks plain HTTP (hooks then retry over HTTP). */
  | 'HttpResponseToHttpsClient'
  | 'TooManyRedirects'
  /** Anything else on the way: a reset connection, a malformed response. */
  | 'Transport';

export class HttpGetError extends Error {
  constructor(
    readonly reason: HttpGetErrorReason,
    message: string,
  ) {
    super(message);
    this.name = 'HttpGetError';
  }
}

/** Who sends the request, in the User-Agent: kube-probe/1.32 or kube-lifecycle/1.32. */
export type HttpGetPurpose = 'probe' | 'lifecycle';

const maxRedirects = 10;
const redirectStatuses = new Set([301, 302, 303, 307, 308]);

/** The request an httpGet action makes (upstream's NewRequestForHTTPGetAction); throws ProbeError for a bad port. */
export function httpGetRequestFor(action: HTTPGetAction, container: Container, podIP: string, purpose: HttpGetPurpose, timeoutMs: number): HttpGetRequest {
  const scheme = (action.scheme ?? 'HTTP').toLowerCase() === 'https' ? 'https' : 'http';
  const host = action.host !== undefined && action.host !== '' ? action.host : podIP;
  const port = resolveContainerPort(action.port, container);
  const path = action.path === undefined || action.path === '' ? '/' : action.path.startsWith('/') ? action.path : `/${action.path}`;
  const url = new URL(`${scheme}://${joinHostPort(host, port)}${path}`);
  return { url, headers: requestHeaders(action.httpHeaders ?? [], purpose), timeoutMs };
}

function requestHeaders(list: Array<{ name: string; value: string }>, purpose: HttpGetPurpose): Record<string, string | string[]> {
  const headers: Record<string, string[]> = {};
  const names = new Map<string, string>(); // lower-case name -> the spelling first given
  for (const { name, value } of list) {
    const key = names.get(name.toLowerCase()) ?? name;
    names.set(name.toLowerCase(), key);
    (headers[key] ??= []).push(value);
  }
  if (!names.has('user-agent')) headers['User-Agent'] = [`kube-${purpose}/${kubeletMajorMinor}`];
  const accept = names.get('accept');
  if (accept === undefined) headers['Accept'] = ['*/*'];
  else if (headers[accept]![0] === '') delete headers[accept]; // set empty on purpose: send none
  return headers;
}

/** Sends the GET, following same-host redirects; throws HttpGetError. */
export async function httpGet(request: HttpGetRequest): Promise<HttpGetResponse> {
  const deadline = Date.now() + request.timeoutMs;
  let url = request.url;
  for (let redirects = 0; ; redirects++) {
    const reply = await getOnce(url, request.headers, deadline);
    const location = redirectStatuses.has(reply.statusCode) ? reply.location : undefined;
    if (location === undefined) return { statusCode: reply.statusCode, body: reply.body, redirectNotFollowed: false };
    const next = URL.canParse(location, url.href) ? new URL(location, url) : undefined;
    if (next === undefined) throw new HttpGetError('Transport', `Get ${JSON.stringify(goUrl(url))}: failed to parse Location header ${JSON.stringify(location)}`);
    if (next.hostname !== request.url.hostname) return { statusCode: reply.statusCode, body: reply.body, redirectNotFollowed: true };
    if (redirects + 1 >= maxRedirects) throw new HttpGetError('TooManyRedirects', `Get ${JSON.stringify(goUrl(next))}: stopped after ${maxRedirects} redirects`);
    url = next;
  }
}

interface Reply {
  statusCode: number;
  location?: string;
  body: string;
}

function getOnce(url: URL, headers: HttpGetRequest['headers'], deadline: number): Promise<Reply> {
  const quotedUrl = JSON.stringify(goUrl(url));
  return new Promise<Reply>((resolve, reject) => {
    let phase: 'headers' | 'body' = 'headers';
    const fail = (err: HttpGetError) => {
      clearTimeout(timer);
      req.destroy();
      reject(err);
    };
    const timer = setTimeout(() => {
      const why = phase === 'headers' ? 'Client.Timeout exceeded while awaiting headers' : 'Client.Timeout or context cancellation while reading body';
      fail(new HttpGetError('Timeout', `Get ${quotedUrl}: context deadline exceeded (${why})`));
    }, Math.max(0, deadline - Date.now()));
    const options = { method: 'GET', headers, agent: false as const };
    const req = url.protocol === 'https:' ? https.request(url, { ...options, rejectUnauthorized: false }) : http.request(url, options);
    req.on('error', (err) => fail(transportError(url, quotedUrl, err)));
    req.on('response', (res) => {
      phase = 'body';
      const chunks: Buffer[] = [];
      let size = 0;
      const finish = () => {
        clearTimeout(timer);
        res.destroy();
        const body = Buffer.concat(chunks).subarray(0, maxProbeOutputBytes).toString('utf8');
        resolve({ statusCode: res.statusCode ?? 0, location: res.headers.location, body });
      };
      res.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        size += chunk.length;
        if (size >= maxProbeOutputBytes) finish();
      });
      res.on('end', finish);
      res.on('error', (err) => fail(new HttpGetError('Transport', `Get ${quotedUrl}: ${err.message}`)));
    });
    req.end();
  });
}

function hostAndPort(url: URL): { host: string; port: number } {
  return { host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)) };
}

/** The URL as Go prints it: the port always written, even the scheme's default. */
function goUrl(url: URL): string {
  const { host, port } = hostAndPort(url);
  return `${url.protocol}//${joinHostPort(host, port)}${url.pathname}${url.search}`;
}

function transportError(url: URL, quotedUrl: string, err: NodeJS.ErrnoException): HttpGetError {
  const { host, port } = hostAndPort(url);
  if (isDialError(err)) return new HttpGetError('Dial', `Get ${quotedUrl}: ${dialErrorMessage(host, port, err)}`);
  if (url.protocol === 'https:' && isPlainHttpAnswer(err)) {
    return new HttpGetError('HttpResponseToHttpsClient', `Get ${quotedUrl}: http: server gave HTTP response to HTTPS client`);
  }
  return new HttpGetError('Transport', `Get ${quotedUrl}: ${err.message}`);
}

// OpenSSL's answer when the server's first bytes are not a TLS record (an HTTP response instead).
function isPlainHttpAnswer(err: NodeJS.ErrnoException): boolean {
  return err.code === 'EPROTO' || err.code === 'ERR_SSL_WRONG_VERSION_NUMBER' || err.code === 'ERR_SSL_PACKET_LENGTH_TOO_LONG';
}
