// The container lifecycle hooks, postStart and preStop (upstream's pkg/kubelet/lifecycle
// handlers.go): exec in the container, an HTTP GET, or a sleep. The result is undefined when the
// hook succeeded, else the message upstream gives (the pod worker puts it in a
// FailedPostStartHook / FailedPreStopHook Event and, for postStart, kills the container).
//
// As upstream: an exec hook fails on a non-zero exit; an HTTP hook fails only when no response
// comes (any status code is fine), and an HTTPS hook answered in plain HTTP is retried over HTTP;
// a sleep that outlasts the time the hook has (timeoutMs, or the signal) fails.
import type { Container, Pod } from '@kubets/api';
import { realClock, sleep, type Clock } from '@kubets/client/clock';
import { goQuote } from '../prober/go-format.js';
import { HttpGetError, httpGet, httpGetRequestFor, type HTTPGetAction, type HttpGetRequest } from '../prober/http-get.js';
import type { ExecFn } from '../prober/probe-outcome.js';

export type LifecycleHandler = NonNullable<NonNullable<Container['lifecycle']>['postStart']>;

export interface LifecycleContext {
  exec: ExecFn;
  containerId: string;
  podIP: string;
  container: Container;
  /** How long the hook may take (for preStop: what is left of the grace period). */
  timeoutMs: number;
  /** Names the pod in the messages, as upstream does (name_namespace(uid)). */
  pod?: Pod;
  clock?: Clock;
  /** Cuts a hook short (the container is being killed). */
  signal?: AbortSignal;
  /** An HTTPS hook got a plain HTTP answer and succeeded over HTTP (upstream: a LifecycleHTTPFallback Warning). */
  onHttpFallback?: (message: string) => void;
}

export async function runLifecycleHandler(handler: LifecycleHandler, ctx: LifecycleContext): Promise<string | undefined> {
  const where = `for Container ${goQuote(ctx.container.name)} in Pod ${goQuote(podFullName(ctx.pod))}`;
  if (handler.exec !== undefined) {
    const command = handler.exec.command ?? [];
    const failure = await runExecHook(command, ctx);
    return failure && `Exec lifecycle hook ([${command.join(' ')}]) ${where} failed - error: ${failure.error}, message: ${goQuote(failure.output)}`;
  }
  if (handler.httpGet !== undefined) {
    const error = await runHttpHook(handler.httpGet, ctx);
    return error && `HTTP lifecycle hook (${handler.httpGet.path ?? ''}) ${where} failed - error: ${error}`;
  }
  if (handler.sleep !== undefined) {
    const error = await runSleepHook(handler.sleep.seconds, ctx);
    return error && `Sleep lifecycle hook (${handler.sleep.seconds}) ${where} failed - error: ${error}`;
  }
  return `Cannot run handler: invalid handler: ${JSON.stringify(handler)}`;
}

/** Upstream's format.Pod: name_namespace(uid). */
function podFullName(pod: Pod | undefined): string {
  const m = pod?.metadata;
  return `${m?.name ?? ''}_${m?.namespace ?? ''}(${m?.uid ?? ''})`;
}

async function runExecHook(command: string[], ctx: LifecycleContext): Promise<{ error: string; output: string } | undefined> {
  let result;
  try {
    result = await ctx.exec(ctx.containerId, command, ctx.timeoutMs);
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err), output: '' };
  }
  const output = Buffer.concat([result.stdout, result.stderr]).toString('utf8');
  if (result.timedOut) return { error: `command ${goQuote(command.join(' '))} timed out`, output };
  if (result.exitCode !== 0) return { error: `command '${command.join(' ')}' exited with ${result.exitCode}: ${result.stderr.toString('utf8')}`, output };
  return undefined;
}

/** undefined when a response came back, whatever its status; else the error. */
async function runHttpHook(action: HTTPGetAction, ctx: LifecycleContext): Promise<string | undefined> {
  if ((action.host ?? '') === '' && ctx.podIP === '') return 'failed to find networking container';
  let request: HttpGetRequest;
  try {
    request = httpGetRequestFor(action, ctx.container, ctx.podIP, 'lifecycle', ctx.timeoutMs);
  } catch (err) {
    return err instanceof Error ? err.message : String(err); // a port that does not resolve
  }
  try {
    await httpGet(request);
    return undefined;
  } catch (err) {
    if (!(err instanceof HttpGetError)) throw err;
    return err.reason === 'HttpResponseToHttpsClient' ? retryOverHttp(request, err, ctx) : err.message;
  }
}

async function retryOverHttp(request: HttpGetRequest, original: HttpGetError, ctx: LifecycleContext): Promise<string | undefined> {
  const url = new URL(request.url);
  url.protocol = 'http:';
  const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => name.toLowerCase() !== 'authorization'));
  try {
    await httpGet({ url, headers, timeoutMs: request.timeoutMs });
  } catch (err) {
    if (err instanceof HttpGetError) return original.message;
    throw err;
  }
  ctx.onHttpFallback?.(`request to HTTPS lifecycle hook ${url.host} got HTTP response, retry with HTTP succeeded`);
  return undefined;
}

async function runSleepHook(seconds: number, ctx: LifecycleContext): Promise<string | undefined> {
  const ms = seconds * 1000;
  const clock = ctx.clock ?? realClock;
  const slept = await sleep(clock, Math.min(ms, ctx.timeoutMs), ctx.signal);
  if (!slept || ms > ctx.timeoutMs) return 'container terminated before sleep hook finished';
  return undefined;
}
