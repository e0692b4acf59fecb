// One listening socket of the userspace data path. Several kube-proxies of a local cluster share
// a host, and a cluster IP is the same for all of them: the first to bind it serves it, the
// others find it taken (EADDRINUSE) and stand by, trying again at each sync, so one of them
// takes over within a retry interval when the holder goes away. Node ports are bound on the
// node's own address, so each proxy holds its own.
import { createServer, type Server, type Socket } from 'node:net';
import { listen } from '@kubets/component-base';
import { proxyServerOptions } from './forward.js';

export type ListenerState = 'bound' | 'standby' | 'failed';

export class ServiceListener {
  private server: Server | undefined;
  private current: ListenerState = 'failed';
  private error = 'not bound yet';

  constructor(
    readonly address: string,
    readonly port: number,
    private readonly onConnection: (client: Socket) => void,
    /** An error of the bound socket (EMFILE on accept, say): the listener goes on. */
    private readonly onError: (err: Error) => void,
  ) {}

  get state(): ListenerState {
    return this.current;
  }

  /** Why it is not bound (standby or failed). */
  get reason(): string {
    return this.error;
  }

  /** Binds if not bound yet; resolves the state it ends in. */
  async bind(): Promise<ListenerState> {
    if (this.current === 'bound') return 'bound';
    const server = createServer(proxyServerOptions, this.onConnection);
    try {
      await listen(server, this.port, this.address);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      server.close();
      this.current = err.code === 'EADDRINUSE' ? 'standby' : 'failed';
      this.error = err.code === 'EADDRINUSE' ? 'held by another listener on this host' : `${err.code ?? 'error'}: ${err.message}`;
      return this.current;
    }
    // An accept error (EMFILE) must not take the process down; the listener goes on.
    server.on('error', this.onError);
    this.server = server;
    this.current = 'bound';
    return 'bound';
  }

  /** Stops accepting. Connections already forwarded run on until they close. */
  close(): void {
    this.server?.close();
    this.server = undefined;
    this.current = 'failed';
    this.error = 'closed';
  }
}
