// GET pods/<name>/log: found on the kubelet of the pod's node and streamed through as plain
// text, with kubectl's options (container, follow, previous, timestamps, tailLines,
// limitBytes, sinceSeconds, sinceTime) passed on.

import type { FastifyReply, FastifyRequest } from 'fastify';
import { request } from 'undici';
import { badRequest, resolveResource, serviceUnavailable } from '@kubets/api';
import type { RestContext } from '../rest/context.js';
import { boolParam, intParam, one, type Query } from './query.js';

export type ProxyLogs = (req: FastifyRequest, reply: FastifyReply, namespace: string, name: string, q: Query) => Promise<unknown>;

interface PodLike {
  spec?: { nodeName?: string; containers?: { name: string }[]; initContainers?: { name: string }[] };
}

interface NodeLike {
  status?: { addresses?: { type: string; address: string }[]; daemonEndpoints?: { kubeletEndpoint?: { Port?: number } } };
}

export function createLogProxy(ctx: RestContext): ProxyLogs {
  return async (_req, reply, namespace, name, q) => {
    const pods = resolveResource('pods')!;
    const pod = (await ctx.store(pods).get(namespace, name)) as PodLike;
    const containers = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].map((c) => c.name);
    let container = one(q, 'container');
    if (container === undefined || container === '') {
      if ((pod.spec?.containers ?? []).length !== 1) {
        throw badRequest(`a container name must be specified for pod ${name}, choose one of: [${containers.join(' ')}]`);
      }
      container = pod.spec!.containers![0]!.name;
    } else if (!containers.includes(container)) {
      throw badRequest(`container ${container} is not valid for pod ${name}`);
    }
    const nodeName = pod.spec?.nodeName;
    if (!nodeName) throw badRequest(`pod ${name} does not have a host assigned`);
    const node = (await ctx.store(resolveResource('nodes')!).get(undefined, nodeName)) as NodeLike;
    const address = node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address ?? node.status?.addresses?.[0]?.address;
    const port = node.status?.daemonEndpoints?.kubeletEndpoint?.Port ?? 10250;
    if (!address) throw serviceUnavailable(`node ${nodeName} has no address to reach its kubelet at`);

    const params = new URLSearchParams();
    if (boolParam(q, 'follow')) params.set('follow', 'true');
    if (boolParam(q, 'previous')) params.set('previous', 'true');
    if (boolParam(q, 'timestamps')) params.set('timestamps', 'true');
    for (const n of ['tailLines', 'limitBytes', 'sinceSeconds']) {
      const v = intParam(q, n, n === 'tailLines' ? 0 : 1);
      if (v !== undefined) params.set(n, String(v));
    }
    const sinceTime = one(q, 'sinceTime');
    if (sinceTime !== undefined && sinceTime !== '') {
      if (Number.isNaN(Date.parse(sinceTime))) throw badRequest(`sinceTime ${JSON.stringify(sinceTime)} is not an RFC 3339 time`);
      params.set('sinceTime', sinceTime);
    }
    const host = address.includes(':') ? `[${address}]` : address;
    const url = `http://${host}:${port}/containerLogs/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}/${encodeURIComponent(container)}?${params}`;
    let upstream;
    try {
      upstream = await request(url, { method: 'GET', headersTimeout: 10_000, bodyTimeout: 0 });
    } catch (e) {
      throw serviceUnavailable(`unable to reach the kubelet of node ${nodeName} at ${host}:${port}: ${(e as Error).message}`);
    }
    if (upstream.statusCode !== 200) {
      const text = await upstream.body.text();
      if (upstream.statusCode === 404) throw badRequest(text.trim() || `container ${container} in pod ${name} has no logs`);
      throw serviceUnavailable(`the kubelet of node ${nodeName} answered ${upstream.statusCode}: ${text.trim()}`);
    }
    reply.raw.on('close', () => upstream.body.destroy());
    return reply.code(200).type('text/plain').send(upstream.body);
  };
}
