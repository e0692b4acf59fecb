// The two streaming calls: /v3/watch and /v3/lease/keepalive. The request body is a stream of
// JSON messages that stays open; each response message is a `{"result": ...}` line, flushed.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { int64, type Json } from '../json/read-fields.js';
import { errorBody } from '../json/responses.js';
import { EtcdError } from '../mvcc/types.js';
import { JsonSplitter } from '../watch/json-splitter.js';
import { WatchSession } from '../watch/session.js';
import type { EtcdServer } from './etcd-server.js';
import { renewLease } from './lease-handlers.js';

function openStream(req: IncomingMessage, res: ServerResponse, onMessage: (m: Json) => void, onClose: () => void): (line: string) => void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.flushHeaders();
  const splitter = new JsonSplitter();
  req.setEncoding('utf8');
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    onClose();
  };
  req.on('data', (chunk: string) => {
    let messages: unknown[];
    try {
      messages = splitter.push(chunk);
    } catch (err) {
      res.end(`${JSON.stringify({ error: errorBody(3, (err as Error).message) })}\n`);
      close();
      return;
    }
    for (const m of messages) {
      if (m !== null && typeof m === 'object' && !Array.isArray(m)) onMessage(m as Json);
    }
  });
  // Ending the request body does not end the stream; the client closing the connection does.
  res.on('close', close);
  return (line) => {
    if (!closed) res.write(line);
  };
}

export function serveWatch(s: EtcdServer, req: IncomingMessage, res: ServerResponse): void {
  let session: WatchSession | undefined;
  const write = openStream(req, res, (m) => {
    try {
      session!.handle(m);
    } catch (err) {
      const e = err instanceof EtcdError ? err : new EtcdError(3, (err as Error).message);
      write(`${JSON.stringify({ error: errorBody(e.code, e.message) })}\n`);
    }
  }, () => session?.close());
  session = new WatchSession({ hub: s.hub, header: (rev) => s.header(rev), progressNotifyMs: s.options.progressNotifyMs }, write);
}

export function serveKeepAlive(s: EtcdServer, req: IncomingMessage, res: ServerResponse): void {
  // Renewals answer in request order, as the gRPC stream does.
  let chain: Promise<void> = Promise.resolve();
  const write = openStream(req, res, (m) => {
    const id = int64(m, 'ID') ?? 0n;
    chain = chain.then(async () => {
      try {
        const ttl = await renewLease(s, id);
        const out: Record<string, unknown> = { header: s.header(), ID: String(id) };
        if (ttl > 0) out.TTL = String(ttl);
        write(`${JSON.stringify({ result: out })}\n`);
      } catch (err) {
        const e = err instanceof EtcdError ? err : new EtcdError(14, (err as Error).message);
        write(`${JSON.stringify({ error: errorBody(e.code, e.message) })}\n`);
      }
    });
  }, () => {});
}
