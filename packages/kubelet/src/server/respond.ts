// How the kubelet's server answers, as upstream's does: errors and health as plain text
// (go-restful writes an error's text as it is), lists as JSON.
import type { ServerResponse } from 'node:http';

export const plainText = 'text/plain; charset=utf-8';

export function sendText(res: ServerResponse, status: number, body: string, contentType = plainText): void {
  res.writeHead(status, { 'content-type': contentType, 'x-content-type-options': 'nosniff', 'content-length': Buffer.byteLength(body) });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

export const notFoundText = '404 page not found\n';
