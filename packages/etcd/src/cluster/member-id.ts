// Member and cluster ids, computed the same way on every member from the initial cluster
// configuration (as etcd derives them from peer URLs and the cluster token), so that all members
// agree without talking. They double as Raft node ids, which must stay below 2^53: 52 bits of a
// SHA-256 digest, never 0.
import { createHash } from 'node:crypto';

function id52(text: string): number {
  const d = createHash('sha256').update(text).digest();
  const n = d.readUIntBE(0, 6) * 16 + (d[6]! >> 4);
  return n === 0 ? 1 : n;
}

export function memberIdOf(peerUrls: readonly string[], token: string, salt = ''): number {
  return id52(`member\n${[...peerUrls].sort().join(',')}\n${token}\n${salt}`);
}

export function clusterIdOf(memberIds: readonly number[], token: string): number {
  return id52(`cluster\n${[...memberIds].sort((a, b) => a - b).join(',')}\n${token}`);
}
