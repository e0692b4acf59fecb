// What the sync loop drives: a data path applies a whole ProxySnapshot. Today the userspace one
// (listeners and a TCP forwarder in this process); the kernel one (iptables DNAT in the pod
// network) plugs in behind the same interface, as upstream's proxiers sit behind one Provider.
import type { ProxySnapshot } from '../model/snapshot.js';

export interface SyncResult {
  /** Ask for another sync this soon: something could not be applied yet (say, an address another proxy holds). */
  retryAfterMs?: number;
}

export interface DataPath {
  /** The --proxy-mode name, for logs and metrics. */
  readonly mode: string;
  /** Makes the data path forward exactly what the snapshot says. Never throws for one bad Service: it logs and counts it. */
  sync(snapshot: ProxySnapshot): Promise<SyncResult>;
  /**
   * Stops forwarding: closes the listeners; the userspace path lets the connections it carries
   * finish for up to drainMs (default 0), then resets the rest.
   */
  close(drainMs?: number): Promise<void>;
}
