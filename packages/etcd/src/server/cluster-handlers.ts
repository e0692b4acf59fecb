// /v3/cluster/member/list and /v3/maintenance/status.
import type { Out } from '../json/responses.js';
import type { EtcdServer } from './etcd-server.js';
import type { Handler } from './kv-handlers.js';

export const ETCD_VERSION = '3.4.0';

export function clusterHandlers(s: EtcdServer): Record<string, Handler> {
  return {
    '/v3/cluster/member/list': async () => {
      const members = s.sm.members.list().map((m) => {
        const o: Out = { ID: String(m.id) };
        if (m.name) o.name = m.name;
        if (m.peerUrls.length > 0) o.peerURLs = m.peerUrls;
        if (m.clientUrls.length > 0) o.clientURLs = m.clientUrls;
        if (m.isLearner) o.isLearner = true;
        return o;
      });
      return { header: s.header(), members };
    },
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
