// The API servers that are alive, as upstream's lease endpoint reconciler keeps them: each server
// writes a key with a TTL (a "master lease") and refreshes it; a server that stops refreshing
// (killed, cut off) drops out once its TTL runs out.

/** Where one API server is reached: its advertised address and the port it serves on. */
export interface ApiServerEndpoint {
  ip: string;
  port: number;
}

export interface MasterLeases {
  /** Writes this server's lease, or refreshes it: it lasts the TTL from now. */
  update(self: ApiServerEndpoint): Promise<void>;
  /** The servers whose lease has not run out. */
  list(): Promise<ApiServerEndpoint[]>;
  /** Deletes this server's lease (a clean shutdown). */
  remove(self: ApiServerEndpoint): Promise<void>;
}

/** upstream's DefaultEndpointReconcilerTTL: a lease outlives one missed refresh. */
export const masterLeaseTtlSeconds = 15;
