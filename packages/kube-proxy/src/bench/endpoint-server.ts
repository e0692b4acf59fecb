// One endpoint server of the benchmark, run as its own process (so its work does not share an
// event loop with the driver or the clients): listens on 127.0.0.1 (port 0 unless given), prints
// {"port":N} on stdout once it listens, and serves the protocol of protocol.ts until SIGTERM.
//   node endpoint-server.js [port]
import { createServer, type Socket } from 'node:net';
import { HEADER_BYTES, Mode, PORT_ANSWER_BYTES, readHeader, sendBytes, SINK_ACK_BYTES } from './protocol.js';

let socketErrors = 0;

function onSocketError(e: Error): void {
  // A reset from a client or proxy that gave up is part of a benchmark; count it, report a few.
  if (++socketErrors <= 5) process.stderr.write(`endpoint-server: socket error: ${e.message}\n`);
}

/** Reads the header (it may come split), then hands the socket and any bytes after it to its mode. */
function serve(socket: Socket): void {
  socket.on('error', onSocketError);
  let head: Buffer | undefined;
  const onData = (chunk: Buffer): void => {
    head = head === undefined ? chunk : Buffer.concat([head, chunk]);
    if (head.length < HEADER_BYTES) return;
    socket.off('data', onData);
    const { mode, size } = readHeader(head);
    const rest = head.subarray(HEADER_BYTES);
    if (mode === Mode.exchange) exchange(socket, size);
    else if (mode === Mode.sink) sink(socket, rest.length);
    else if (mode === Mode.echo) echo(socket, rest);
    else if (mode === Mode.port) answerPort(socket);
    else socket.destroy();
  };
  socket.on('data', onData);
}

/** Sends `size` bytes while discarding what arrives; the client's half-close ends nothing early. */
function exchange(socket: Socket, size: number): void {
  socket.resume();
  sendBytes(socket, size, () => socket.end());
}

function sink(socket: Socket, already: number): void {
  let count = already;
  socket.on('data', (chunk: Buffer) => (count += chunk.length));
  socket.once('end', () => {
    const ack = Buffer.allocUnsafe(SINK_ACK_BYTES);
    ack.writeBigUInt64BE(BigInt(count));
    socket.end(ack);
  });
}

function echo(socket: Socket, first: Buffer): void {
  const write = (chunk: Buffer): void => {
    // Backpressure: a client that stops reading stops being read.
    if (!socket.write(chunk)) {
      socket.pause();
      socket.once('drain', () => socket.resume());
    }
  };
  if (first.length > 0) write(first);
  socket.on('data', write);
  socket.once('end', () => socket.end());
}

function answerPort(socket: Socket): void {
  const answer = Buffer.allocUnsafe(PORT_ANSWER_BYTES);
  answer.writeUInt32BE(socket.localPort ?? 0);
  socket.resume();
  socket.end(answer);
}

const server = createServer({ allowHalfOpen: true, noDelay: true, keepAlive: true }, serve);
server.on('error', (e) => {
  process.stderr.write(`endpoint-server: ${e.message}\n`);
  process.exit(1);
});
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as { port: number }).port })}\n`);
});
process.once('SIGTERM', () => {
  if (socketErrors > 5) process.stderr.write(`endpoint-server: ${socketErrors} socket errors in all\n`);
  process.exit(0);
});
