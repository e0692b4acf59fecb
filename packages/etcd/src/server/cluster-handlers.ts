// /v3/cluster/member/{list,add,remove} and /v3/maintenance/status. Membership changes are Raft
// conf changes, which only the leader can propose: a follower forwards them to the leader's
// client URL, as etcd forwards them internally.
import { randomBytes } from 'node:crypto';
import { request } from 'undici';
import { memberIdOf } from '../cluster/member-id.js';
import type { Member } from '../cluster/members.js';
import { int, type Json } from '../json/read-fields.js';
import type { Out } from '../json/responses.js';
import { EtcdError, errors } from '../mvcc/types.js';
import type { EtcdServer } from './etcd-server.js';
import type { Handler } from './kv-handlers.js';

/**
 * The etcd API version served (etcd's own version string format). The patch level says which
 * fixes clients may count on: from 3.4.31, progress notifications come after every event they
 * cover (etcd-io/etcd#15220), which kube-apiserver checks before it serves consistent reads
 * from its watch cache. Ours always did: the watch hub writes events as they are applied.
 */
export const ETCD_VERSION = '3.4.31';
export const ETCD_CLUSTER_VERSION = '3.4.0';

function memberOut(m: Member): Out {
  const o: Out = { ID: String(m.id) };
  if (m.name) o.name = m.name;
  if (m.peerUrls.length > 0) o.peerURLs = m.peerUrls;
  if (m.clientUrls.length > 0) o.clientURLs = m.clientUrls;
  if (m.isLearner) o.isLearner = true;
  return o;
}

function peerUrlsOf(body: Json): string[] {
  const v = body.peerURLs ?? body.peer_urls ?? body.peerUrls;
  if (!Array.isArray(v) || v.length === 0 || !v.every((u) => typeof u === 'string')) throw new EtcdError(3, 'etcdserver: member peerURLs must be a non-empty list of URLs');
  return v.map((u: string) => {
    try {
      return new URL(u).origin;
    } catch {
      throw new EtcdError(3, `etcdserver: ${u} is not a URL`);
    }
  });
}

/** Runs `local` on the leader; elsewhere, sends the same call to the leader's client URL. */
async function onLeader(s: EtcdServer, path: string, body: Json, local: () => Promise<Out>): Promise<Out> {
  const { role, leader } = s.leadership;
  if (role === 'leader') return local();
  const url = leader === 0 ? undefined : s.sm.members.get(leader)?.clientUrls[0];
  if (!url) throw errors.noLeader();
  const res = await request(url + path, {
    method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' },
    headersTimeout: s.requestTimeoutMs, bodyTimeout: s.requestTimeoutMs,
  });
  const reply = (await res.body.json()) as Out & { code?: number; message?: string };
  if (res.statusCode !== 200) throw new EtcdError(reply.code ?? 14, reply.message ?? `leader answered HTTP ${res.statusCode}`);
  return reply;
}

export function clusterHandlers(s: EtcdServer): Record<string, Handler> {
  const list = () => s.sm.members.list().map(memberOut);
  return {
    // Cluster calls answer with a header without a revision, as etcd's cluster server does.
    '/v3/cluster/member/list': async () => ({ header: s.header(0), members: list() }),
    '/v3/cluster/member/add': async (body) => onLeader(s, '/v3/cluster/member/add', body, async () => {
      const peerUrls = peerUrlsOf(body);
      const taken = new Set(s.sm.members.list().flatMap((m) => m.peerUrls));
      if (peerUrls.some((u) => taken.has(u))) throw new EtcdError(9, 'etcdserver: Peer URLs already exists');
      // As etcd, the id mixes in the time (here random bytes): an id, once removed, never returns.
      let id: number;
      do id = memberIdOf(peerUrls, s.options.initialClusterToken, randomBytes(8).toString('hex'));
      while (s.sm.members.get(id) || s.sm.members.isRemoved(id));
      const isLearner = body.isLearner === true || body.is_learner === true;
      const context = Buffer.from(JSON.stringify({ peerUrls }));
      await s.changeMembership({ type: isLearner ? 'addLearner' : 'addNode', nodeId: id, context });
      const member: Out = { ID: String(id), peerURLs: peerUrls };
      if (isLearner) member.isLearner = true;
      return { header: s.header(0), member, members: list() };
    }),
    '/v3/cluster/member/remove': async (body) => onLeader(s, '/v3/cluster/member/remove', body, async () => {
      const id = int(body, 'ID') ?? 0;
      if (!s.sm.members.get(id)) {
        if (s.sm.members.isRemoved(id)) throw new EtcdError(9, 'etcdserver: ID removed');
        throw new EtcdError(5, 'etcdserver: member not found');
      }
      await s.changeMembership({ type: 'removeNode', nodeId: id, context: new Uint8Array(0) });
      return { header: s.header(0), members: list() };
    }),
    '/v3/maintenance/status': async () => {
      const st = s.status();
      const dbSize = String(s.sm.applier.sizeBytes());
      const out: Out = { header: s.header(), version: ETCD_VERSION, dbSize };
      if (st.leader !== 0) out.leader = String(st.leader);
      out.raftIndex = String(st.commit);
      out.raftTerm = String(st.term);
      out.raftAppliedIndex = String(st.applied);
      out.dbSizeInUse = dbSize;
      return out;
    },
  };
}
