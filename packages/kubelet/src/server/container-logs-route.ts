// GET /containerLogs/<namespace>/<pod>/<container>: a container's log as text/plain, streamed
// with the response's backpressure. As upstream's getContainerLogs: the query first (400/422),
// then the pod and the container among the pods the kubelet runs (404), then the run's files
// (the caller's 400/404). A client that goes away aborts the reading.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Pod } from '@kubets/api';
import type { EventLog } from '@kubets/component-base';
import { readContainerLogs } from '../logs/reader.js';
import { parseLogQuery } from './log-query.js';
import { plainText, sendText } from './respond.js';

export type LogFilesLookup = { files: string[]; isRunning: () => boolean } | { error: string; code: 400 | 404 };

export type FindLogFiles = (namespace: string, podName: string, container: string, previous: boolean) => LogFilesLookup | Promise<LogFilesLookup>;

export interface ContainerLogsDeps {
  logger: EventLog;
  pods: () => Pod[];
  findLogFiles: FindLogFiles;
}

export interface ContainerRef {
  namespace: string;
  pod: string;
  container: string;
}

/** Upstream's 404s for a pod the kubelet does not run and a container the pod does not have. */
function missing(pods: Pod[], ref: ContainerRef): string | undefined {
  const pod = pods.find((p) => p.metadata?.namespace === ref.namespace && p.metadata?.name === ref.pod);
  if (pod === undefined) return `pod "${ref.pod}" does not exist`;
  const names = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].map((c) => c.name);
  return names.includes(ref.container) ? undefined : `container "${ref.container}" not found in pod "${ref.pod}"`;
}

export async function serveContainerLogs(req: IncomingMessage, res: ServerResponse, url: URL, ref: ContainerRef, deps: ContainerLogsDeps): Promise<void> {
  const parsed = parseLogQuery(url.searchParams, new Date());
  if (!parsed.ok) return sendText(res, parsed.status, parsed.message);
  const notThere = missing(deps.pods(), ref);
  if (notThere !== undefined) return sendText(res, 404, notThere);
  const q = parsed.query;
  const found = await deps.findLogFiles(ref.namespace, ref.pod, ref.container, q.previous);
  if ('error' in found) return sendText(res, found.code, found.error);

  // Headers go now, so that a follower waiting for the first line knows it is connected.
  res.writeHead(200, { 'content-type': plainText, 'x-content-type-options': 'nosniff' });
  res.flushHeaders();
  if (req.method === 'HEAD') return void res.end();
  const abort = new AbortController();
  res.on('close', () => abort.abort());
  // The client may have gone while the files were looked up: then 'close' has been and gone.
  if (res.closed) abort.abort();
  try {
    await readContainerLogs({ files: found.files, isRunning: found.isRunning, signal: abort.signal, ...q }, res);
    res.end();
  } catch (e) {
    // The status is sent: all that is left is to cut the stream, so the client sees it incomplete.
    deps.logger.error({ err: e, ...ref }, 'reading container logs failed');
    res.destroy(e as Error);
  }
}
