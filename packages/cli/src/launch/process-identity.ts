// Telling a recorded pid from a stranger that got the same pid: component-base's, shared with the
// kubelet's process runtime.
export { identityOf, processStartTime, stillRunning, type ProcessIdentity } from '@kubets/component-base/process-identity';
