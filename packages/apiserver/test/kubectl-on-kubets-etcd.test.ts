// The kubectl suite (test/support/kubectl-suite.ts) on a kubets-etcd cluster.
import { runKubectlSuite } from './support/kubectl-suite.js';

await runKubectlSuite('kubets');
