// A plain HTTP request for the etcd tests: any method, any body, status, headers and the body as
// text and (when it is JSON) parsed; never throws on non-2xx. etcd-client's `call` is a JSON POST
// through it.

import { request } from 'undici';

export interface RawReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  body: any;
}

export async function raw(
  url: string,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  body?: string | Buffer,
  headers: Record<string, string> = {},
): Promise<RawReply> {
  const res = await request(url + path, {
    method,
    headers,
    body,
    headersTimeout: 10_000,
    bodyTimeout: 10_000,
  });
  const text = await res.body.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.statusCode, headers: res.headers, text, body: parsed };
}

/** The media type of a reply, without parameters: 'application/json', 'text/plain'. */
export function mediaType(r: RawReply): string | undefined {
  const ct = r.headers['content-type'];
  const v = Array.isArray(ct) ? ct[0] : ct;
  return v?.split(';')[0]?.trim().toLowerCase();
}
