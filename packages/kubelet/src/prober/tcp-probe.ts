// The tcpSocket probe (upstream's pkg/probe/tcp): success is a connection opened within the
// timeout, closed again at once; otherwise the failure says why, in Go's words.
import net from 'node:net';
import { dialErrorMessage } from './dial-error.js';
import { joinHostPort } from './go-format.js';
import type { ProbeRun } from './probe-outcome.js';

export function probeTcp(host: string, port: number, timeoutMs: number): Promise<ProbeRun> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (run: ProbeRun) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(run);
    };
    const timer = setTimeout(() => done({ outcome: 'failure', output: `dial tcp ${joinHostPort(host, port)}: i/o timeout` }), timeoutMs);
    socket.once('connect', () => done({ outcome: 'success', output: '' }));
    socket.once('error', (err) => done({ outcome: 'failure', output: dialErrorMessage(host, port, err) }));
  });
}
