// Helpers the workload controllers share (upstream pkg/controller/controller_utils.go and
// controller_ref_manager.go).
export * from './expectations.js';
export * from './slow-start.js';
export * from './pod-status.js';
export * from './active-pods.js';
export * from './controller-ref.js';
export * from './claim.js';
export * from './claim-client.js';
export * from './pod-template.js';
export * from './selector.js';
