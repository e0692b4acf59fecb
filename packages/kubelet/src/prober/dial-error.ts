// Connection errors worded as Go's net package words them ("dial tcp 127.0.0.5:8080: connect:
// connection refused"), since probe output and hook errors quote them to users as upstream does.
import { joinHostPort } from './go-format.js';

const connectErrors: Record<string, string> = {
  ECONNREFUSED: 'connect: connection refused',
  EHOSTUNREACH: 'connect: no route to host',
  ENETUNREACH: 'connect: network is unreachable',
  EADDRNOTAVAIL: 'connect: cannot assign requested address',
  ECONNRESET: 'read: connection reset by peer',
  ETIMEDOUT: 'i/o timeout',
};

/** The message of a failed TCP connection to host:port, as Go's net.OpError prints it. */
export function dialErrorMessage(host: string, port: number, err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `dial tcp: lookup ${host}: no such host`;
  const known = code === undefined ? undefined : connectErrors[code];
  return `dial tcp ${joinHostPort(host, port)}: ${known ?? (err instanceof Error ? err.message : String(err))}`;
}

/** True when the error is a failure to connect (as opposed to one after the connection opened). */
export function isDialError(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code !== undefined && (code in connectErrors || code === 'ENOTFOUND' || code === 'EAI_AGAIN') && code !== 'ECONNRESET';
}
