// The kubectl suite (test/support/kubectl-suite.ts) on a real etcd 3.4 cluster.
import { runKubectlSuite } from './support/kubectl-suite.js';

await runKubectlSuite('etcd');
