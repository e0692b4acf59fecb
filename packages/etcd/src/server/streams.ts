// The two streaming calls: /v3/watch and /v3/lease/keepalive. The request body is a stream of
// JSON messages; each response message is a `{"result": ...}` line, flushed. As etcd's gateway
// does, the response starts only with the first valid message: a first message that is not a
// JSON object gets HTTP 500 with an error body instead.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { int64, type Json } from '../json/read-fields.js';
import { errorBody } from '../json/responses.js';
import { EtcdError } from '../mvcc/types.js';
import { JsonSplitter } from '../watch/json-splitter.js';
import { WatchSession } from '../watch/session.js';
import type { EtcdServer } from './etcd-server.js';
import { renewLease } from './lease-handlers.js';

interface StreamHandlers {
  onMessage(m: Json): void;
  /** The client stopped sending (the request body ended). */
  onRequestEnd(): void;
  /** The connection closed. */
  onClose(): void;
}

interface Stream {
  write(line: string): void;
  end(): void;
}

function openStream(req: IncomingMessage, res: ServerResponse, h: StreamHandlers): Stream {
  const splitter = new JsonSplitter();
  let started = false;
  let closed = false;
  const start = () => {
    if (started) return;
    started = true;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.flushHeaders();
  };
  const close = () => {
    if (closed) return;
    closed = true;
    h.onClose();
  };
  const fail = (message: string) => {
    if (!started) {
      started = true;
      const text = JSON.stringify(errorBody(2, message));
      res.writeHead(500, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
    } else {
      res.end(`${JSON.stringify({ error: errorBody(2, message) })}\n`);
    }
    close();
  };
  req.setEncoding('utf8');
  req.on('data', (chunk: string) => {
    if (closed) return;
    let messages: unknown[];
    try {
      messages = splitter.push(chunk);
    } catch (err) {
      return fail((err as Error).message);
    }
    for (const m of messages) {
      if (m === null || typeof m !== 'object' || Array.isArray(m)) return fail('a request must be a JSON object');
      start();
      h.onMessage(m as Json);
    }
  });
  req.on('end', () => {
    if (!closed) h.onRequestEnd();
  });
  res.on('close', close);
  // Lines written in one turn of the event loop (the events of every entry one Raft Ready
  // applied) leave in one socket write, so the watcher wakes once for them rather than per line.
  let corked = false;
  const uncork = () => {
    corked = false;
    res.uncork();
  };
  return {
    write: (line) => {
      if (closed) return;
      start();
      if (!corked) {
        corked = true;
        res.cork();
        process.nextTick(uncork);
      }
      res.write(line);
    },
    end: () => {
      if (closed) return;
      start();
      res.end();
      close();
    },
  };
}

export function serveWatch(s: EtcdServer, req: IncomingMessage, res: ServerResponse): void {
  let session: WatchSession | undefined;
  const stream = openStream(req, res, {
    onMessage: (m) => {
      try {
        session!.handle(m);
      } catch (err) {
        const e = err instanceof EtcdError ? err : new EtcdError(3, (err as Error).message);
        stream.write(`${JSON.stringify({ error: errorBody(e.code, e.message) })}\n`);
      }
    },
    // A watch stream stays open after the client stops sending: its watches go on.
    onRequestEnd: () => {},
    onClose: () => session?.close(),
  });
  session = new WatchSession({ hub: s.hub, header: (rev) => s.header(rev), progressNotifyMs: s.options.progressNotifyMs }, stream.write);
}

export function serveKeepAlive(s: EtcdServer, req: IncomingMessage, res: ServerResponse): void {
  // Renewals answer in request order, as the gRPC stream does; the response ends after the last
  // answer once the client stops sending.
  let chain: Promise<void> = Promise.resolve();
  const stream = openStream(req, res, {
    onMessage: (m) => {
      const id = int64(m, 'ID') ?? 0n;
      chain = chain.then(async () => {
        try {
          const ttl = await renewLease(s, id);
          const out: Record<string, unknown> = { header: s.header() };
          if (id !== 0n) out.ID = String(id);
          if (ttl > 0) out.TTL = String(ttl);
          stream.write(`${JSON.stringify({ result: out })}\n`);
        } catch (err) {
          const e = err instanceof EtcdError ? err : new EtcdError(14, (err as Error).message);
          stream.write(`${JSON.stringify({ error: errorBody(e.code, e.message) })}\n`);
        }
      });
    },
    onRequestEnd: () => {
      chain = chain.then(() => stream.end());
    },
    onClose: () => {},
  });
}
