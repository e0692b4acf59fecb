// The client-node suite (test/support/client-node-suite.ts) on a kubets-etcd cluster.
import { runClientNodeSuite } from './support/client-node-suite.js';

await runClientNodeSuite('kubets');
