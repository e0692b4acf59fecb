// The WebSocket watch suite (test/support/websocket-watch-suite.ts) on a kubets-etcd cluster.
import { runWebSocketWatchSuite } from './support/websocket-watch-suite.js';

await runWebSocketWatchSuite('kubets');
