// The API suite (test/support/api-suite.ts) on a kubets-etcd cluster.
import { runApiSuite } from './support/api-suite.js';

await runApiSuite('kubets');
