// How one etcd member is launched: kubets-etcd (under node) or real etcd (its binary), with the
// same etcd flags, so every local cluster, test and benchmark can run on either.
import { componentMain } from './binaries.js';
import type { ProcessSpec } from './managed-process.js';
import { etcdReady } from './readiness.js';

export type EtcdKind = 'kubets' | 'real';

/**
 * Node flags every kubets-etcd member runs with. A member's heap grows steadily with its data
 * (every revision stays until compaction), and V8 sizes the old generation tightly around what
 * is live: under a few hundred writes/s it ran a full mark-compact every one to three seconds
 * on a 30 MB heap, each costing 20 to 40 ms of the event loop in steps and a final pause of 5
 * to 20 ms, every one of them in some request's latency. A 256 MB floor under the old
 * generation's limit (still GC'd as live data grows past it) leaves one in minutes, much as
 * Go's GOGC lets etcd's heap double before collecting.
 */
export const MEMBER_NODE_FLAGS: readonly string[] = ['--initial-old-space-size=256'];

export interface EtcdMember {
  name: string;
  clientUrl: string;
  peerUrl: string;
  dataDir: string;
}

export interface EtcdMemberOptions {
  kind: EtcdKind;
  member: EtcdMember;
  /** Every member, for --initial-cluster. */
  members: EtcdMember[];
  token: string;
  /** Flags after the cluster's own (timeouts, log level ...); a repeated flag's last value wins. */
  flags?: string[];
  /** More node flags for kubets members (e.g. --cpu-prof), after MEMBER_NODE_FLAGS. */
  nodeArgs?: string[];
  /** Real etcd's binary. Default: $ETCD_BIN, else /usr/bin/etcd. */
  etcdBin?: string;
  logFile?: string;
  ownProcessGroup?: boolean;
  /** Default new. A member started on an empty data dir to join a running cluster needs existing. */
  state?: 'new' | 'existing';
}

/**
 * A member whose data dir already holds its identity (a restart, a second `kubets up`) ignores
 * the initial-cluster flags, in kubets-etcd as in etcd, so `new` serves every start but a join.
 */
export function etcdMemberSpec(o: EtcdMemberOptions): ProcessSpec {
  const m = o.member;
  const flags = [
    `--name=${m.name}`, `--data-dir=${m.dataDir}`,
    `--listen-client-urls=${m.clientUrl}`, `--advertise-client-urls=${m.clientUrl}`,
    `--listen-peer-urls=${m.peerUrl}`, `--initial-advertise-peer-urls=${m.peerUrl}`,
    `--initial-cluster=${o.members.map((x) => `${x.name}=${x.peerUrl}`).join(',')}`,
    `--initial-cluster-state=${o.state ?? 'new'}`, `--initial-cluster-token=${o.token}`,
    '--logger=zap',
    ...(o.flags ?? []),
  ];
  const real = o.kind === 'real';
  return {
    name: m.name,
    command: real ? (o.etcdBin ?? process.env.ETCD_BIN ?? '/usr/bin/etcd') : process.execPath,
    args: real ? flags : [...MEMBER_NODE_FLAGS, ...(o.nodeArgs ?? []), componentMain('etcd'), ...flags],
    ...(o.logFile !== undefined ? { logFile: o.logFile } : {}),
    ownProcessGroup: o.ownProcessGroup === true,
    ready: () => etcdReady(m.clientUrl),
  };
}
