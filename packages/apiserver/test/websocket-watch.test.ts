// The WebSocket watch suite (test/support/websocket-watch-suite.ts) on a real etcd 3.4 cluster.
import { runWebSocketWatchSuite } from './support/websocket-watch-suite.js';

await runWebSocketWatchSuite('etcd');
