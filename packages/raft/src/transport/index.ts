// The transport adapter: Raft messages between replicas over persistent WebSocket connections.
export { WsTransport, peerWsUrl, type TransportOptions, type TransportStats } from './ws-transport.js';
export type { TransportHandler } from './context.js';
export type { PeerStats } from './peer.js';
export { Backoff, type BackoffOptions } from './backoff.js';
export { decodeFrame, encodeFrame } from './frame.js';
export { Header as HandshakeHeader, PROTOCOL_VERSION } from './handshake.js';
export type { Logger } from '../storage/logger.js';
