// Runs the endpoint reconciler as kube-apiserver's kubernetes-service controller does: at once,
// then every interval (never two rounds at a time), and on shutdown stops the rounds and takes
// this server out of the Endpoints, bounded in time: a shutdown never waits on etcd for long.

import type { LeaseEndpointReconciler } from './endpoint-reconciler.js';

type Logger = { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };

export interface EndpointReconcileLoop {
  /** Stops the rounds, then removes this server's endpoint; resolves within `boundMs`. */
  stopAndRemove(boundMs?: number): Promise<void>;
}

export function startEndpointReconcileLoop(reconciler: LeaseEndpointReconciler, intervalMs: number, logger?: Logger): EndpointReconcileLoop {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let round: Promise<void> = Promise.resolve();
  const run = () => {
    round = reconciler.reconcileEndpoints()
      .catch((e: Error) => logger?.warn({ err: e.message, endpoint: reconciler.self }, 'Unable to reconcile the kubernetes Service\'s endpoints; retrying next interval'))
      .finally(() => {
        if (!stopped) timer = setTimeout(run, intervalMs).unref();
      });
  };
  run();
  return {
    async stopAndRemove(boundMs = 5_000) {
      stopped = true;
      clearTimeout(timer);
      let bound: NodeJS.Timeout | undefined;
      const removal = round.then(() => reconciler.removeEndpoints()).then(
        () => logger?.info({ endpoint: reconciler.self }, 'removed this API server from the kubernetes Service\'s endpoints'),
        (e: Error) => logger?.warn({ err: e.message, endpoint: reconciler.self }, 'Unable to remove this API server from the kubernetes Service\'s endpoints'),
      );
      const timeout = new Promise<void>((resolve) => (bound = setTimeout(() => {
        logger?.warn({ endpoint: reconciler.self, boundMs }, 'gave up removing this API server from the kubernetes Service\'s endpoints');
        resolve();
      }, boundMs)));
      await Promise.race([removal, timeout]);
      clearTimeout(bound);
    },
  };
}
