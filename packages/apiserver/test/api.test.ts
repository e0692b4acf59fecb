// The API suite (test/support/api-suite.ts) on a real etcd 3.4 cluster.
import { runApiSuite } from './support/api-suite.js';

await runApiSuite('etcd');
