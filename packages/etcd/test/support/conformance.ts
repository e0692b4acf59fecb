// Shared helpers of the conformance tests: KV calls against one member of a cluster, the
// reply checks that every test makes (status, the response header, etcd's error shape) and
// KeyValue objects printed the way etcd's gateway prints them.

import type { Test } from 'tap';
import type { Cluster } from './cluster.js';
import { b64, call, type Reply } from './etcd-client.js';

/** A reply and the member (index into the cluster) that gave it. */
export type MemberReply = Reply & { member: number };

/** [HTTP status, gRPC code, message] of an error as etcd 3.4 answers it. */
export type ExpectedError = readonly [number, number, string];

/** The errors the suite expects, as real etcd 3.4.23 answers them. */
export const ERR = {
  compacted: [400, 11, 'etcdserver: mvcc: required revision has been compacted'],
  future: [400, 11, 'etcdserver: mvcc: required revision is a future revision'],
  noKey: [400, 3, 'etcdserver: key is not provided'],
  keyNotFound: [400, 3, 'etcdserver: key not found'],
  valueProvided: [400, 3, 'etcdserver: value is provided'],
  leaseProvided: [400, 3, 'etcdserver: lease is provided'],
  leaseNotFound: [404, 5, 'etcdserver: requested lease not found'],
  duplicateKey: [400, 3, 'etcdserver: duplicate key given in txn request'],
  tooManyOps: [400, 3, 'etcdserver: too many operations in txn request'],
  tooLarge: [400, 3, 'etcdserver: request is too large'],
} as const satisfies Record<string, ExpectedError>;

const HEADER_KEYS = ['cluster_id', 'member_id', 'raft_term', 'revision'];

/** A KeyValue as the gateway prints it: int64 as strings, an empty value and lease 0 left out. */
export function kv(key: string | Buffer, create: number, mod: number, version: number, value: string | Buffer = '', lease?: string): Record<string, string> {
  const o: Record<string, string> = {
    key: b64(key),
    create_revision: String(create),
    mod_revision: String(mod),
    version: String(version),
  };
  if (value.length > 0) o.value = b64(value);
  if (lease !== undefined && lease !== '0') o.lease = lease;
  return o;
}

/** Asserts etcd's error shape: the HTTP status, and a body of exactly {error, message, code}. */
export function expectError(t: Test, r: Reply, [status, code, message]: ExpectedError, what = message): void {
  t.equal(r.status, status, `${what}: HTTP ${status}`);
  t.strictSame(r.body, { error: message, message, code }, `${what}: {error, message, code}`);
}

/**
 * Asserts etcd's error shape where the text is not etcd's own but its JSON decoder's (Go's
 * encoding/json and jsonpb): HTTP 400, code 3 (InvalidArgument), error and message equal.
 */
export function expectDecodeError(t: Test, r: Reply, what: string): void {
  t.equal(r.status, 400, `${what}: HTTP 400`);
  t.strictSame(Object.keys(r.body ?? {}).sort(), ['code', 'error', 'message'], `${what}: {error, message, code}`);
  t.equal(r.body?.code, 3, `${what}: code 3 (InvalidArgument)`);
  t.ok(typeof r.body?.error === 'string' && r.body.error !== '' && r.body.error === r.body.message, `${what}: error = message, not empty`);
}

/**
 * Asserts that every member reports the same revision and the same number of keys (linearizable
 * reads, so each has applied everything acknowledged so far): the members have not diverged.
 */
export async function membersAgree(t: Test, e: Etcd): Promise<void> {
  const seen: { revision: unknown; count: unknown }[] = [];
  for (let m = 0; m < e.cluster.clientUrls.length; m++) {
    const r = await e.range('\0', { range_end: b64('\0'), count_only: true }, m);
    seen.push({ revision: r.body?.header?.revision, count: r.body?.count ?? '0' });
  }
  t.strictSame(seen.slice(1), seen.slice(1).map(() => seen[0]), `members agree on revision and key count: ${JSON.stringify(seen)}`);
}

/** KV calls against the members of one cluster, and the identities its members report. */
export class Etcd {
  clusterId = '';
  /** member_id of each member, by index. */
  ids: string[] = [];

  private constructor(readonly cluster: Cluster) {}

  /** Learns the cluster id and each member's id from the members' status headers. */
  static async connect(cluster: Cluster): Promise<Etcd> {
    const e = new Etcd(cluster);
    for (let i = 0; i < cluster.clientUrls.length; i++) {
      const r = await call(cluster.clientUrls[i]!, '/v3/maintenance/status', {});
      if (r.status !== 200) throw new Error(`status of member ${i}: HTTP ${r.status} ${r.text}`);
      e.ids.push(String(r.body.header.member_id));
      e.clusterId = String(r.body.header.cluster_id);
    }
    return e;
  }

  url(member = 0): string {
    return this.cluster.clientUrls[member]!;
  }

  async post(path: string, body: unknown, member = 0): Promise<MemberReply> {
    return { ...(await call(this.url(member), path, body)), member };
  }

  put(key: string | Buffer, value: string | Buffer, extra: Record<string, unknown> = {}, member = 0): Promise<MemberReply> {
    return this.post('/v3/kv/put', { key: b64(key), value: b64(value), ...extra }, member);
  }

  range(key: string | Buffer, extra: Record<string, unknown> = {}, member = 0): Promise<MemberReply> {
    return this.post('/v3/kv/range', { key: b64(key), ...extra }, member);
  }

  del(key: string | Buffer, extra: Record<string, unknown> = {}, member = 0): Promise<MemberReply> {
    return this.post('/v3/kv/deleterange', { key: b64(key), ...extra }, member);
  }

  txn(body: unknown, member = 0): Promise<MemberReply> {
    return this.post('/v3/kv/txn', body, member);
  }

  /** The current revision as a (linearizable) range on `member` reports it. */
  async revision(member = 0): Promise<number> {
    const r = await this.range('\0', {}, member);
    if (r.status !== 200) throw new Error(`range for the revision: HTTP ${r.status} ${r.text}`);
    return Number(r.body.header.revision);
  }

  /** Deletes every key, for the tests that look at the whole key space. */
  async wipe(): Promise<void> {
    const r = await this.del('\0', { range_end: b64('\0') });
    if (r.status !== 200) throw new Error(`wipe: HTTP ${r.status} ${r.text}`);
  }

  /** Grants a lease that outlives the test run; returns its ID as the gateway prints it. */
  async grant(ttl = 600): Promise<string> {
    const r = await this.post('/v3/lease/grant', { TTL: String(ttl) });
    if (r.status !== 200) throw new Error(`lease grant: HTTP ${r.status} ${r.text}`);
    return String(r.body.ID);
  }

  /**
   * Asserts a 200 reply whose header is exactly {cluster_id, member_id, revision, raft_term}
   * of the member that answered (at `revision` when given), and returns the body without it.
   */
  ok(t: Test, r: MemberReply, revision?: number, what = 'reply'): any {
    t.equal(r.status, 200, `${what}: HTTP 200 ${r.status === 200 ? '' : r.text}`);
    const { header, ...rest } = (r.body ?? {}) as { header?: Record<string, unknown> };
    this.checkHeader(t, header, r.member, revision, what);
    return rest;
  }

  checkHeader(t: Test, header: Record<string, unknown> | undefined, member: number, revision: number | undefined, what = 'reply'): void {
    t.strictSame(Object.keys(header ?? {}).sort(), HEADER_KEYS, `${what}: header has cluster_id, member_id, revision, raft_term`);
    t.match(header?.raft_term, /^[1-9]\d*$/, `${what}: raft_term is an int64 string`);
    t.strictSame(
      { cluster_id: header?.cluster_id, member_id: header?.member_id, revision: revision === undefined ? typeof header?.revision : header?.revision },
      { cluster_id: this.clusterId, member_id: this.ids[member], revision: revision === undefined ? 'string' : String(revision) },
      `${what}: header of member ${member}${revision === undefined ? '' : ` at revision ${revision}`}`,
    );
  }
}
