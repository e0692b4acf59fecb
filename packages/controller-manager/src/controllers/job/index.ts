// The Job controller and the TTL-after-finished controller, and the pure decisions they are
// built from (exported for tests and for the lead's registry).
export { jobControllerDescriptor, JobController, type JobControllerOptions } from './job-controller.js';
export { ttlAfterFinishedControllerDescriptor, TtlAfterFinishedController, type TtlAfterFinishedOptions } from './ttl-after-finished-controller.js';
export * from './types.js';
