// @kubets/controller-manager: the control loops of kube-controller-manager, each an informer,
// a workqueue and a level-triggered reconcile; see README.md.
export * from './controller/options.js';
export * from './controller/context.js';
export * from './controller/controller.js';
export * from './controller/queue-metrics.js';
