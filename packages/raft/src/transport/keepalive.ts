// WebSocket ping/pong keepalive. A peer that vanished without closing its TCP connection (power
// loss, a partition) would otherwise look connected forever while our writes pile up unread.

import type { WebSocket } from 'ws';

/** Pings every `intervalMs`; terminates the socket if the previous ping got no pong. Returns a stop function. */
export function keepAlive(ws: WebSocket, intervalMs: number, onDead: () => void): () => void {
  if (intervalMs <= 0) return () => {};
  let alive = true;
  const onPong = (): void => {
    alive = true;
  };
  ws.on('pong', onPong);
  const timer = setInterval(() => {
    if (!alive) {
      onDead();
      ws.terminate();
      return;
    }
    alive = false;
    ws.ping();
  }, intervalMs);
  return () => {
    clearInterval(timer);
    ws.off('pong', onPong);
  };
}
