// DELETE, as kube-apiserver does it: graceful where the kind's strategy gives a grace period
// (scheduled Pods: deletionTimestamp plus a grace period; the kubelet finishes), pending while
// finalizers remain (including the foregroundDeletion and orphan finalizers that
// propagationPolicy asks the garbage collector for), or while the kind holds it (a namespace's
// spec.finalizers: it moves to Terminating, and goes once its controllers finalize it),
// immediate otherwise.

import { badRequest, conflict, DeleteOptions, forbidden, groupResourceOf, isApiError, type ResourceInfo, type Status } from '@kubets/api';
import { Value } from '@sinclair/typebox/value';
import type { KubeObject, Preconditions } from '../storage/interface.js';
import { nowTimestamp } from '../registry/strategy.js';
import { strategyFor } from '../registry/strategies.js';
import type { RestContext } from './context.js';

export interface DeleteRequest {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  preconditions?: Preconditions;
  dryRun: boolean;
  /** The deprecated orphanDependents, as sent: `false` turns a pending deletion's answer into a 202. */
  orphanDependents?: boolean;
}

/** Merges DeleteOptions from the body with the query's gracePeriodSeconds/propagationPolicy. */
export function deleteRequestFrom(body: unknown, query: { gracePeriodSeconds?: number; propagationPolicy?: string; orphanDependents?: boolean }, dryRun: boolean): DeleteRequest {
  const out: DeleteRequest = { dryRun };
  if (body !== undefined) {
    if (!Value.Check(DeleteOptions, body)) throw badRequest('the body of a DELETE must be a DeleteOptions object');
    if (body.kind !== undefined && body.kind !== 'DeleteOptions') throw badRequest(`the body of a DELETE must be a DeleteOptions, not a ${body.kind}`);
    if (body.gracePeriodSeconds !== undefined) out.gracePeriodSeconds = body.gracePeriodSeconds;
    if (body.propagationPolicy !== undefined) out.propagationPolicy = body.propagationPolicy as DeleteRequest['propagationPolicy'];
    if (body.orphanDependents !== undefined) out.orphanDependents = body.orphanDependents;
    if (body.orphanDependents !== undefined && out.propagationPolicy === undefined) out.propagationPolicy = body.orphanDependents ? 'Orphan' : 'Background';
    if (body.preconditions !== undefined) out.preconditions = body.preconditions;
    if (body.dryRun?.includes('All')) out.dryRun = true;
  }
  if (query.gracePeriodSeconds !== undefined) out.gracePeriodSeconds = query.gracePeriodSeconds;
  if (query.propagationPolicy !== undefined) out.propagationPolicy = query.propagationPolicy as DeleteRequest['propagationPolicy'];
  if (query.orphanDependents !== undefined) out.orphanDependents = query.orphanDependents;
  if (query.orphanDependents !== undefined && out.propagationPolicy === undefined) out.propagationPolicy = query.orphanDependents ? 'Orphan' : 'Background';
  const p = out.propagationPolicy;
  if (p !== undefined && p !== 'Foreground' && p !== 'Background' && p !== 'Orphan') {
    throw badRequest(`propagationPolicy: Unsupported value: ${JSON.stringify(p)}: supported values: "Foreground", "Background", "Orphan"`);
  }
  if (out.gracePeriodSeconds !== undefined && out.gracePeriodSeconds < 0) out.gracePeriodSeconds = 0;
  return out;
}

function gracePeriodFor(info: ResourceInfo, obj: KubeObject, req: DeleteRequest): number {
  return strategyFor(info).gracePeriodSeconds?.(obj, req.gracePeriodSeconds) ?? 0;
}

function finalizersFor(obj: KubeObject, req: DeleteRequest): string[] {
  const finalizers = [...((obj.metadata?.finalizers as string[] | undefined) ?? [])];
  const add = req.propagationPolicy === 'Foreground' ? 'foregroundDeletion' : req.propagationPolicy === 'Orphan' ? 'orphan' : undefined;
  const other = add === 'foregroundDeletion' ? 'orphan' : add === 'orphan' ? 'foregroundDeletion' : undefined;
  if (add !== undefined && !finalizers.includes(add)) finalizers.push(add);
  return other === undefined ? finalizers : finalizers.filter((f) => f !== other);
}

function checkPreconditions(info: ResourceInfo, obj: KubeObject, p: Preconditions | undefined): void {
  const name = obj.metadata?.name ?? '';
  if (p?.uid !== undefined && p.uid !== obj.metadata?.uid) {
    throw conflict(groupResourceOf(info), name, `Precondition failed: UID in precondition: ${p.uid}, UID in object meta: ${obj.metadata?.uid}`);
  }
  if (p?.resourceVersion !== undefined && p.resourceVersion !== obj.metadata?.resourceVersion) {
    throw conflict(groupResourceOf(info), name, `Precondition failed: ResourceVersion in precondition: ${p.resourceVersion}, ResourceVersion in object meta: ${obj.metadata?.resourceVersion}`);
  }
}

/** Whether a pending deletion may complete: no finalizers left and no grace period running. */
function readyToGo(obj: KubeObject): boolean {
  const m = obj.metadata ?? {};
  if (m.deletionTimestamp === undefined) return false;
  if (((m.finalizers as string[] | undefined) ?? []).length > 0) return false;
  return (m.deletionGracePeriodSeconds as number | undefined ?? 0) === 0;
}

async function deleteNow(ctx: RestContext, info: ResourceInfo, namespace: string | undefined, name: string, current: KubeObject): Promise<KubeObject> {
  const gone = await ctx.store(info).delete(namespace, name, {
    uid: current.metadata?.uid as string | undefined,
    resourceVersion: current.metadata?.resourceVersion,
  });
  await ctx.admission.afterDelete(info, gone);
  return gone;
}

/** After an update: an object whose deletion was waiting only on what the update removed goes now. */
export async function finishDeletionIfReady(ctx: RestContext, info: ResourceInfo, namespace: string | undefined, name: string, obj: KubeObject): Promise<KubeObject> {
  if (!readyToGo(obj) || strategyFor(info).deletionHeldBy?.(obj) !== undefined) return obj;
  try {
    return await deleteNow(ctx, info, namespace, name, obj);
  } catch (e) {
    // Someone else finished it, or changed it again: their write decides.
    if (isApiError(e) && (e.code === 404 || e.code === 409)) return obj;
    throw e;
  }
}

/**
 * Whether the kind itself holds this deletion (a namespace): its first DELETE only marks it, and
 * a repeated one is refused while the kind's hold remains, as upstream's namespace storage.
 */
function heldByKind(info: ResourceInfo, obj: KubeObject): boolean {
  const heldBy = strategyFor(info).deletionHeldBy;
  if (heldBy === undefined) return false;
  if (obj.metadata?.deletionTimestamp === undefined) return true;
  const why = heldBy(obj);
  if (why !== undefined) throw conflict(groupResourceOf(info), obj.metadata?.name ?? '', why);
  return false;
}

export async function deleteObject(
  ctx: RestContext,
  info: ResourceInfo,
  namespace: string | undefined,
  name: string,
  req: DeleteRequest,
): Promise<{ obj: KubeObject; deleted: boolean }> {
  const strategy = strategyFor(info);
  const refusal = strategy.refuseDelete?.(name);
  if (refusal !== undefined) throw forbidden(groupResourceOf(info), name, refusal);
  const store = ctx.store(info);
  for (let attempt = 0; ; attempt++) {
    const current = await store.get(namespace, name);
    checkPreconditions(info, current, req.preconditions);
    const grace = gracePeriodFor(info, current, req);
    const finalizers = finalizersFor(current, req);
    const pending = heldByKind(info, current) || grace > 0 || finalizers.length > 0;
    if (req.dryRun) return { obj: current, deleted: !pending };
    try {
      if (!pending) return { obj: await deleteNow(ctx, info, namespace, name, current), deleted: true };
      const obj = await store.update(namespace, name, (cur) => markDeleting(info, cur, grace, finalizers), {
        resourceVersion: current.metadata?.resourceVersion,
      });
      return { obj, deleted: false };
    } catch (e) {
      // Lost a race with another writer: decide again from the new state, unless pinned.
      if (isApiError(e) && e.code === 409 && req.preconditions === undefined && attempt < 5) continue;
      throw e;
    }
  }
}

/** What a deletion that completed answers for other kinds: upstream's Status carries no code. */
export type DeletedStatus = Omit<Status, 'code'>;

/**
 * A DELETE's answer, as kube-apiserver's registry gives it: the object while its deletion is
 * pending (grace period, finalizers) or where the kind returns it; otherwise a Success Status
 * naming what went, with the resource in details.kind ("configmaps"), as upstream sets it.
 */
export function deleteAnswer(info: ResourceInfo, result: { obj: KubeObject; deleted: boolean }): KubeObject | DeletedStatus {
  if (!result.deleted || strategyFor(info).returnsDeletedObject) return result.obj;
  const m = result.obj.metadata ?? {};
  const details = { name: m.name ?? '', ...(info.group === '' ? {} : { group: info.group }), kind: info.resource, uid: m.uid as string };
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details };
}

/** 202 Accepted for a pending deletion asked for with orphanDependents=false; 200 otherwise, as upstream. */
export function deleteAnswerCode(req: DeleteRequest, deleted: boolean): number {
  return !deleted && req.orphanDependents === false ? 202 : 200;
}

function markDeleting(info: ResourceInfo, cur: KubeObject, grace: number, finalizers: string[]): KubeObject {
  const next = structuredClone(cur);
  const m = (next.metadata ??= {});
  delete m.resourceVersion;
  const now = Date.now();
  const existing = typeof m.deletionTimestamp === 'string' ? Date.parse(m.deletionTimestamp) : undefined;
  const wanted = now + grace * 1000;
  // A second delete may shorten the grace period, never lengthen it.
  if (existing === undefined || wanted < existing) {
    m.deletionTimestamp = nowTimestamp(new Date(wanted));
    m.deletionGracePeriodSeconds = grace;
  }
  if (finalizers.length > 0) m.finalizers = finalizers;
  strategyFor(info).markDeleting?.(next);
  return next;
}
