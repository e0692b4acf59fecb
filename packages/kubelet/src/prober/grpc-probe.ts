// The grpc probe (upstream's pkg/probe/grpc): one call of grpc.health.v1.Health/Check over
// cleartext HTTP/2 (no TLS, as upstream), success only when the service answers SERVING. Messages
// are upstream's, so that Events read the same.
import http2 from 'node:http2';
import { dialErrorMessage } from './dial-error.js';
import { goDuration, goQuote, joinHostPort } from './go-format.js';
import {
  decodeHealthCheckResponse,
  encodeHealthCheckRequest,
  grpcCodeDeadlineExceeded,
  grpcCodeNames,
  grpcCodeUnimplemented,
  servingStatusNames,
  servingStatusServing,
} from './grpc-health-codec.js';
import { kubeletMajorMinor, type ProbeRun } from './probe-outcome.js';

interface RpcStatus {
  code: number;
  message: string;
}

interface RpcReply {
  status: RpcStatus;
  body: Buffer;
}

export async function probeGrpc(host: string, port: number, service: string, timeoutMs: number): Promise<ProbeRun> {
  const addr = joinHostPort(host, port);
  const session = http2.connect(`http://${addr}`);
  let sessionError: Error | undefined;
  // Errors after the connection opened also end the call's stream, which reports them.
  session.on('error', (err) => {
    sessionError = err;
  });
  try {
    const connected = await connect(session, host, port, timeoutMs);
    if (connected !== undefined) return connected;
    const reply = await check(session, service, timeoutMs);
    if (reply === 'timeout') return failure(`timeout: health rpc did not complete within ${goDuration(timeoutMs)}`);
    if (reply.status.code === 14 && sessionError !== undefined) reply.status.message = sessionError.message;
    return judge(reply, timeoutMs);
  } finally {
    session.destroy();
  }
}

/** Resolves undefined once connected, or the failure when the connection could not be made in time. */
function connect(session: http2.ClientHttp2Session, host: string, port: number, timeoutMs: number): Promise<ProbeRun | undefined> {
  const addr = joinHostPort(host, port);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(failure(`timeout: failed to connect service ${goQuote(addr)} within ${goDuration(timeoutMs)}: context deadline exceeded`)), timeoutMs);
    session.once('connect', () => {
      clearTimeout(timer);
      resolve(undefined);
    });
    session.once('error', (err) => {
      clearTimeout(timer);
      const why = `transport: Error while dialing: ${dialErrorMessage(host, port, err)}`;
      resolve(failure(`error: failed to connect service at ${goQuote(addr)}: connection error: desc = ${goQuote(why)}`));
    });
  });
}

function check(session: http2.ClientHttp2Session, service: string, timeoutMs: number): Promise<RpcReply | 'timeout'> {
  return new Promise((resolve) => {
    const stream = session.request({
      ':method': 'POST',
      ':path': '/grpc.health.v1.Health/Check',
      'content-type': 'application/grpc',
      te: 'trailers',
      'user-agent': `kube-probe/${kubeletMajorMinor}`,
      'grpc-timeout': `${timeoutMs}m`,
    });
    const chunks: Buffer[] = [];
    let status: RpcStatus | undefined;
    const timer = setTimeout(() => {
      stream.close(http2.constants.NGHTTP2_CANCEL);
      resolve('timeout');
    }, timeoutMs);
    stream.on('response', (headers) => {
      // A trailers-only reply carries grpc-status in its headers; a non-200 status is no gRPC reply at all.
      if (headers[':status'] !== 200) status = { code: 2, message: `unexpected HTTP status code received from server: ${headers[':status']}` };
      else status = statusFrom(headers);
    });
    stream.on('trailers', (trailers) => {
      status = statusFrom(trailers) ?? status;
    });
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('close', () => {
      clearTimeout(timer);
      resolve({ status: status ?? { code: 13, message: 'server closed the stream without sending trailers' }, body: Buffer.concat(chunks) });
    });
    stream.on('error', (err) => {
      status ??= { code: 14, message: err.message };
    });
    stream.end(encodeHealthCheckRequest(service));
  });
}

function statusFrom(headers: http2.IncomingHttpHeaders): RpcStatus | undefined {
  const code = headers['grpc-status'];
  if (code === undefined) return undefined;
  const message = String(headers['grpc-message'] ?? '');
  let decoded = message;
  try {
    decoded = decodeURIComponent(message);
  } catch {
    // grpc-message is percent-encoded; a malformed one is shown as sent.
  }
  return { code: Number(code), message: decoded };
}

function judge(reply: RpcReply, timeoutMs: number): ProbeRun {
  const { code, message } = reply.status;
  if (code === grpcCodeUnimplemented) return failure(`error: this server does not implement the grpc health protocol (grpc.health.v1.Health): ${message}`);
  if (code === grpcCodeDeadlineExceeded) return failure(`timeout: health rpc did not complete within ${goDuration(timeoutMs)}`);
  if (code !== 0) return failure(`error: health rpc probe failed: rpc error: code = ${grpcCodeNames[code] ?? `Code(${code})`} desc = ${message}`);
  let serving: number;
  try {
    serving = decodeHealthCheckResponse(reply.body);
  } catch (err) {
    return failure(`error: health rpc probe failed: rpc error: code = Internal desc = ${(err as Error).message}`);
  }
  if (serving !== servingStatusServing) return failure(`service unhealthy (responded with ${goQuote(servingStatusNames[serving] ?? String(serving))})`);
  return { outcome: 'success', output: 'service is healthy' };
}

function failure(output: string): ProbeRun {
  return { outcome: 'failure', output };
}
