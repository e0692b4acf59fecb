// @kubets/raft: the pure Raft core, its storage adapter (WAL + snapshots) and its transport
// adapter (WebSocket), plus the shared message and Ready types. See README.md.
export * from './types.js';
export * from './core/index.js';
export * from './storage/index.js';
export {
  WsTransport,
  peerWsUrl,
  type TransportOptions,
  type TransportStats,
  type TransportHandler,
  type PeerStats,
  Backoff,
  type BackoffOptions,
  decodeFrame,
  encodeFrame,
  HandshakeHeader,
  PROTOCOL_VERSION,
} from './transport/index.js';
export * from './replica/index.js';
