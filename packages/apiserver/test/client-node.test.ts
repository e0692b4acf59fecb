// The client-node suite (test/support/client-node-suite.ts) on a real etcd 3.4 cluster.
import { runClientNodeSuite } from './support/client-node-suite.js';

await runClientNodeSuite('etcd');
