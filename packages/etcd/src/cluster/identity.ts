// Who this member is: its member id, the cluster's id, and the member list it started from. A
// member of a new cluster derives them from the flags; a member joining an existing cluster
// (after `member add`) asks the running members over their peer URLs, as etcd does; either way
// the answer is kept in the data dir, so that a restart is the same member of the same cluster.
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import type { InitialMember } from './initial-cluster.js';
import { clusterIdOf, memberIdOf } from './member-id.js';
import type { Member } from './members.js';

export interface Identity {
  memberId: number;
  clusterId: number;
  /** The member list this member's state machine starts from (before its log and snapshots). */
  members: Member[];
  /** Joined a running cluster: Raft starts empty and learns the configuration from the leader. */
  joined: boolean;
}

export interface IdentityFlags {
  dataDir: string;
  initialCluster: InitialMember[];
  initialAdvertisePeerUrls: string[];
  initialClusterState: 'new' | 'existing';
  initialClusterToken: string;
}

/** What a member's peer port answers at GET /members. */
export interface PeerMembersReply {
  clusterId: string;
  members: Member[];
}

const FILE = 'identity.json';

function save(dataDir: string, id: Identity): void {
  const path = join(dataDir, FILE);
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w');
  writeSync(fd, JSON.stringify(id));
  fsyncSync(fd);
  closeSync(fd);
  renameSync(tmp, path);
  const dir = openSync(dataDir, 'r');
  fsyncSync(dir);
  closeSync(dir);
}

const samePeerUrls = (a: string[], b: string[]) => a.length === b.length && [...a].sort().join(',') === [...b].sort().join(',');

async function askPeers(flags: IdentityFlags): Promise<Identity> {
  const urls = flags.initialCluster.flatMap((m) => m.peerUrls).filter((u) => !flags.initialAdvertisePeerUrls.includes(u));
  const problems: string[] = [];
  for (const url of urls) {
    try {
      const res = await request(`${url}/members`, { headersTimeout: 3000, bodyTimeout: 3000 });
      if (res.statusCode !== 200) {
        problems.push(`${url}: HTTP ${res.statusCode}`);
        await res.body.dump();
        continue;
      }
      const reply = (await res.body.json()) as PeerMembersReply;
      const me = reply.members.find((m) => samePeerUrls(m.peerUrls, flags.initialAdvertisePeerUrls));
      if (!me) {
        throw new Error(`the cluster has no member with peer URLs ${flags.initialAdvertisePeerUrls.join(',')}: add it first (POST /v3/cluster/member/add), then start it with --initial-cluster-state=existing`);
      }
      return { memberId: me.id, clusterId: Number(reply.clusterId), members: reply.members, joined: true };
    } catch (e) {
      if ((e as Error).message.startsWith('the cluster has no member')) throw e;
      problems.push(`${url}: ${(e as Error).message}`);
    }
  }
  throw new Error(`could not reach any member of the existing cluster to join it (${problems.join('; ') || 'no other peer URLs in --initial-cluster'})`);
}

export async function resolveIdentity(flags: IdentityFlags): Promise<Identity> {
  const path = join(flags.dataDir, FILE);
  if (existsSync(path)) return JSON.parse(readFileSync(path, 'utf8')) as Identity;
  let id: Identity;
  if (flags.initialClusterState === 'existing') {
    id = await askPeers(flags);
  } else {
    const members = flags.initialCluster.map((m) => ({
      id: memberIdOf(m.peerUrls, flags.initialClusterToken),
      name: m.name,
      peerUrls: m.peerUrls,
      clientUrls: [] as string[],
      isLearner: false,
    }));
    const memberId = memberIdOf(flags.initialAdvertisePeerUrls, flags.initialClusterToken);
    if (!members.some((m) => m.id === memberId)) {
      throw new Error(`--initial-cluster has no member with the peer URLs ${flags.initialAdvertisePeerUrls.join(',')} of --initial-advertise-peer-urls`);
    }
    id = { memberId, clusterId: clusterIdOf(members.map((m) => m.id), flags.initialClusterToken), members, joined: false };
  }
  save(flags.dataDir, id);
  return id;
}
