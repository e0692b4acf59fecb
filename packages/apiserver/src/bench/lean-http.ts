// The benchmark's create path: HTTP/1.1 requests written by hand on plain keep-alive sockets, and
// replies read only for their status and skipped by length. The driver shares the machine with
// the servers it measures, so the CPU it spends per request is taken from them; undici's request
// and stream machinery cost it about 0.25 ms a create, this a fraction of that.
import { connect, type Socket } from 'node:net';

interface Waiter {
  resolve(status: number): void;
  reject(err: Error): void;
}

/** One keep-alive connection, one request at a time. */
class Connection {
  readonly socket: Socket;
  private waiter: Waiter | undefined;
  private buf = '';
  private status = 0;
  /** Where the reply's body ends in buf, once its head is read: -1 for a chunked body. */
  private bodyEnd = 0;
  private headRead = false;
  private closed = false;

  constructor(host: string, port: number, private readonly onIdle: (c: Connection) => void, private readonly onClose: (c: Connection) => void) {
    this.socket = connect({ host, port });
    this.socket.setNoDelay(true);
    // latin1: one character per byte, so Content-Length counts characters.
    this.socket.setEncoding('latin1');
    this.socket.on('data', (chunk: string) => this.onData(chunk));
    const fail = (err?: Error) => {
      if (this.closed) return;
      this.closed = true;
      this.waiter?.reject(err ?? new Error('the connection closed before the reply'));
      this.waiter = undefined;
      this.onClose(this);
    };
    this.socket.on('error', fail);
    this.socket.on('close', () => fail());
  }

  send(request: string, waiter: Waiter): void {
    this.waiter = waiter;
    this.socket.write(request);
  }

  private onData(chunk: string): void {
    this.buf += chunk;
    if (!this.headRead) {
      const end = this.buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = this.buf.slice(0, end);
      this.status = Number(head.slice(9, 12));
      const length = /\r\ncontent-length: *(\d+)/i.exec(head);
      if (length) this.bodyEnd = end + 4 + Number(length[1]);
      else if (/\r\ntransfer-encoding: *chunked/i.test(head)) this.bodyEnd = -1;
      else this.bodyEnd = end + 4;
      this.headRead = true;
    }
    let rest: number;
    if (this.bodyEnd >= 0) {
      if (this.buf.length < this.bodyEnd) return;
      rest = this.bodyEnd;
    } else {
      // A chunked body ends with a zero-size chunk; JSON carries no raw line breaks to confuse this.
      const last = this.buf.indexOf('\r\n0\r\n\r\n');
      if (last < 0) return;
      rest = last + 7;
    }
    this.buf = this.buf.slice(rest);
    this.headRead = false;
    const waiter = this.waiter!;
    this.waiter = undefined;
    this.onIdle(this);
    waiter.resolve(this.status);
  }
}

/** Keep-alive connections to one server, opened as concurrency needs them, up to `max`. */
export class LeanPool {
  private readonly idle: Connection[] = [];
  private readonly queued: { request: string; waiter: Waiter }[] = [];
  private readonly open = new Set<Connection>();
  private readonly host: string;
  private readonly port: number;

  constructor(url: string, private readonly max: number) {
    const u = new URL(url);
    this.host = u.hostname;
    this.port = Number(u.port);
  }

  /** Sends `method path` with a JSON body; resolves with the reply's status code. */
  request(method: string, path: string, body: string): Promise<number> {
    const request = `${method} ${path} HTTP/1.1\r\nHost: ${this.host}:${this.port}\r\nContent-Type: application/json\r\nAccept: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    return new Promise((resolve, reject) => {
      const waiter = { resolve, reject };
      const c = this.idle.pop() ?? (this.open.size < this.max ? this.dial() : undefined);
      if (c) c.send(request, waiter);
      else this.queued.push({ request, waiter });
    });
  }

  close(): void {
    for (const c of this.open) c.socket.destroy();
    for (const q of this.queued.splice(0)) q.waiter.reject(new Error('the pool closed'));
  }

  private dial(): Connection {
    const c = new Connection(this.host, this.port, (idle) => {
      const next = this.queued.shift();
      if (next) idle.send(next.request, next.waiter);
      else this.idle.push(idle);
    }, (gone) => {
      this.open.delete(gone);
      const i = this.idle.indexOf(gone);
      if (i >= 0) this.idle.splice(i, 1);
      // A request still waiting gets a fresh connection.
      const next = this.queued.shift();
      if (next) this.dial().send(next.request, next.waiter);
    });
    this.open.add(c);
    return c;
  }
}
