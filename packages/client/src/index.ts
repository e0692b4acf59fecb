// @kubets/client: how every kubets component reaches the API server (the role of client-go).
// REST and watch over undici with failover between API servers, kubeconfig loading and
// writing, informers with a local indexed cache, a rate-limited workqueue, leader election.

export * from './clock/index.js';
export * from './backoff/backoff.js';

export * from './kubeconfig/index.js';

export * from './rest/config.js';
export * from './rest/errors.js';
export * from './rest/options.js';
export * from './rest/resource.js';
export { Transport, type HttpRequest, type HttpResponse, type StreamResponse, type TransportOptions } from './rest/transport.js';
export * from './rest/client.js';
export * from './rest/from-kubeconfig.js';

export * from './watch/line-decoder.js';
export * from './watch/errors.js';
export * from './watch/watch.js';

export * from './informer/keys.js';
export * from './informer/store.js';
export * from './informer/handlers.js';
export * from './informer/reflector.js';
export * from './informer/informer.js';
export * from './informer/factory.js';

export * from './workqueue/queue.js';
export * from './workqueue/delaying-queue.js';
export * from './workqueue/rate-limiters.js';
export * from './workqueue/rate-limiting-queue.js';
export * from './workqueue/worker.js';
export * from './workqueue/metrics.js';

export * from './leaderelection/record.js';
export * from './leaderelection/lease-lock.js';
export * from './leaderelection/leader-elector.js';
export * from './events/index.js';

export { clientVersion } from './version.js';
