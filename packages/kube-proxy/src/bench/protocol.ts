// The benchmark's wire protocol between its traffic clients and endpoint servers, and the one
// sending loop both use. Every connection starts with a 5-byte header, [mode][size, uint32 BE],
// so one endpoint server serves every measurement and a proxy in between sees plain TCP:
//   exchange (X): the server sends `size` bytes back while it reads what the client sends;
//   sink (S):     the server counts what arrives until the client half-closes, then answers
//                 the count (8 bytes, uint64 BE) and closes: a stream that proves it arrived whole;
//   echo (E):     the server writes back every byte it reads (request/response exchanges);
//   port (P):     the server answers its own port (uint32 BE) and closes: through a proxy, which
//                 endpoint a connection reached, so a probe can tell that every one is in rotation.
// The bytes themselves are never looked at: one zeroed buffer is sent again and again, so
// neither side allocates per chunk and the direct leg stays a fair ceiling.
import type { Socket } from 'node:net';

export const Mode = { exchange: 0x58, sink: 0x53, echo: 0x45, port: 0x50 } as const;
export type ModeByte = (typeof Mode)[keyof typeof Mode];

export const HEADER_BYTES = 5;
/** The sink's answer: the byte count it read. */
export const SINK_ACK_BYTES = 8;
export const PORT_ANSWER_BYTES = 4;

export function header(mode: ModeByte, size = 0): Buffer {
  const b = Buffer.allocUnsafe(HEADER_BYTES);
  b[0] = mode;
  b.writeUInt32BE(size, 1);
  return b;
}

export function readHeader(b: Buffer): { mode: number; size: number } {
  return { mode: b[0]!, size: b.readUInt32BE(1) };
}

/** Shared by every send in a process: 64 KiB, the size of a loopback read. */
const PAYLOAD = Buffer.alloc(64 * 1024);

/** Writes `total` bytes from the shared payload, pausing while the socket's buffer is full; then calls done. */
export function sendBytes(socket: Socket, total: number, done: () => void): void {
  let left = total;
  const pump = (): void => {
    while (left > 0) {
      const n = Math.min(left, PAYLOAD.length);
      left -= n;
      if (!socket.write(n === PAYLOAD.length ? PAYLOAD : PAYLOAD.subarray(0, n))) {
        socket.once('drain', pump);
        return;
      }
    }
    done();
  };
  pump();
}
