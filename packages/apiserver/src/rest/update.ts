// PUT and PATCH of an object or its status: a read-modify-write in one etcd transaction,
// compared on the object's mod_revision, retried when another writer wins the race (unless
// the client pinned a resourceVersion: then 409 Conflict).

import { assertValidObject, badRequest, conflict, groupKindOf, groupResourceOf, invalid, isApiError, type ResourceInfo } from '@kubets/api';
import type { KubeObject, Preconditions } from '../storage/interface.js';
import { prepareForFinalizeUpdate, prepareForStatusUpdate, prepareForUpdate } from '../registry/strategy.js';
import { applyJsonPatch } from '../patch/json-patch.js';
import { applyMergePatch } from '../patch/merge-patch.js';
import { applyStrategicMergePatch } from '../patch/strategic-merge-patch.js';
import type { PatchType } from '../http/body.js';
import type { RestContext } from './context.js';
import type { WriteOptions } from './create.js';
import { applyDefaults, checkName, checkNamespace, decodeFor } from './write-pipeline.js';
import { finishDeletionIfReady } from './delete.js';
import { recordWrite } from './managed-fields.js';

export type Target = 'main' | 'status';

/** What an update writes: a Target, or a namespace's `finalize` subresource (its spec.finalizers). */
export type WriteTarget = Target | 'finalize';

/** Turns (a copy of) the stored object into the requested new state; may throw an ApiError. */
export type Mutation = (current: KubeObject, stored: KubeObject) => KubeObject;

/** Sets managedFields on the object to store, in place of recording an Update (server-side apply). */
export type ManageFields = (stored: KubeObject, next: KubeObject) => void;

function validateTransition(info: ResourceInfo, next: KubeObject, old: KubeObject): void {
  const errs = info.validateUpdate(next, old);
  if (errs.length > 0) throw invalid(groupKindOf(info), old.metadata?.name ?? '', errs);
  assertValidObject(info, next as never);
}

export async function guardedUpdate(
  ctx: RestContext,
  info: ResourceInfo,
  namespace: string | undefined,
  name: string,
  target: WriteTarget,
  mutate: Mutation,
  preconditions: Preconditions | undefined,
  opts: WriteOptions,
  manage?: ManageFields,
): Promise<KubeObject> {
  const store = ctx.store(info);
  // Versions whose claims (Service IPs, node ports) may need releasing once the update settles:
  // every attempt's new version, and every stored version an attempt started from. Not only the
  // last one: when a write whose answer was lost (etcd timed out, or changed leader, after
  // committing it) is sent again, the next attempt starts from this request's own write, and
  // the version that write replaced is only known to the attempt before.
  const attempts: KubeObject[] = [];
  const readVersions: KubeObject[] = [];
  const fn = async (current: KubeObject): Promise<KubeObject> => {
    readVersions.push(current);
    const wanted = mutate(structuredClone(current), current);
    const sent = wanted.metadata?.managedFields;
    let next: KubeObject;
    if (target === 'status') {
      next = prepareForStatusUpdate(info, wanted, current);
      applyDefaults(info, next);
    } else {
      next = wanted;
      // Defaults first, as decoding applies them upstream: a body that leaves defaulted fields
      // out has the same spec as the stored one, and keeps its generation.
      applyDefaults(info, next);
      if (target === 'finalize') prepareForFinalizeUpdate(info, next, current);
      else prepareForUpdate(info, next, current);
    }
    next.metadata ??= {};
    next.metadata.resourceVersion = current.metadata?.resourceVersion;
    validateTransition(info, next, current);
    attempts.push(next);
    await ctx.admission.admitUpdate(info, next, current, opts.dryRun);
    delete next.metadata.resourceVersion;
    if (manage !== undefined) manage(current, next);
    else if (target === 'finalize') recordWrite(info, 'main', current, next, sent, opts.manager, 'finalize');
    else recordWrite(info, target, current, next, sent, opts.manager);
    return next;
  };
  const latest = () => store.get(namespace, name).catch((e) => {
    if (isApiError(e) && e.code === 404) return undefined;
    throw e;
  });
  if (opts.dryRun) {
    const current = await store.get(namespace, name);
    if (preconditions?.resourceVersion !== undefined && preconditions.resourceVersion !== current.metadata?.resourceVersion) {
      // Same answer the real write would give.
      return store.update(namespace, name, fn, preconditions);
    }
    try {
      const next = await fn(current);
      next.metadata!.resourceVersion = current.metadata?.resourceVersion;
      return next;
    } finally {
      await ctx.admission.settleUpdate(info, attempts, async () => current);
    }
  }
  let updated: KubeObject;
  try {
    updated = await store.update(namespace, name, fn, preconditions);
  } catch (e) {
    // Nothing was written, as far as we know: undo this request's claims, unless the stored
    // version uses them (it may be this request's own, when an attempt's answer was lost).
    // settleUpdate logs a release that fails; the allocation repair loop frees it later.
    await ctx.admission.settleUpdate(info, [...attempts, ...readVersions], latest);
    throw e;
  }
  await ctx.admission.settleUpdate(info, [...attempts, ...readVersions], async () => updated);
  return finishDeletionIfReady(ctx, info, namespace, name, updated);
}

/** PUT: the body replaces the object; its resourceVersion, when set, is a precondition. */
export async function replaceObject(
  ctx: RestContext,
  info: ResourceInfo,
  namespace: string | undefined,
  name: string,
  target: WriteTarget,
  body: unknown,
  opts: WriteOptions,
): Promise<KubeObject> {
  const obj = decodeFor(info, body, opts.fieldValidation, opts.warnings);
  checkName(obj, name);
  checkNamespace(info, obj, namespace);
  const rv = obj.metadata?.resourceVersion;
  const preconditions = rv !== undefined && rv !== '' ? { resourceVersion: rv } : undefined;
  return guardedUpdate(ctx, info, namespace, name, target, () => structuredClone(obj), preconditions, opts);
}

export function applyPatch(info: ResourceInfo, type: PatchType, current: KubeObject, patch: unknown): unknown {
  switch (type) {
    case 'merge':
      return applyMergePatch(current, patch);
    case 'json':
      return applyJsonPatch(current, patch);
    case 'strategic':
      return applyStrategicMergePatch(info.kind, current, patch);
    case 'apply':
      throw badRequest('server-side apply (application/apply-patch+yaml) is not supported on this subresource');
  }
}

/** PATCH: applied to the current object on every attempt, so concurrent writers never lose changes. */
export async function patchObject(
  ctx: RestContext,
  info: ResourceInfo,
  namespace: string | undefined,
  name: string,
  target: Target,
  type: PatchType,
  patch: unknown,
  opts: WriteOptions,
): Promise<KubeObject> {
  if (type === 'apply') applyPatch(info, type, {}, patch);
  const mutate: Mutation = (current) => {
    const patched = applyPatch(info, type, current, patch);
    const obj = decodeFor(info, patched, opts.fieldValidation, opts.warnings, patch);
    checkName(obj, name);
    checkNamespace(info, obj, namespace);
    // A resourceVersion in the patch is a precondition, as upstream treats it.
    const rv = obj.metadata?.resourceVersion;
    if (rv !== undefined && rv !== current.metadata?.resourceVersion) {
      throw conflictFor(info, name);
    }
    return obj;
  };
  return guardedUpdate(ctx, info, namespace, name, target, mutate, undefined, opts);
}

/** 409 for a write based on an older version than the stored one. */
export function conflictFor(info: ResourceInfo, name: string) {
  return conflict(groupResourceOf(info), name, 'the object has been modified; please apply your changes to the latest version and try again');
}

/** Changes made by the server itself (binding, scale), through the same guarded path. */
export function updateWith(
  ctx: RestContext,
  info: ResourceInfo,
  namespace: string | undefined,
  name: string,
  mutate: Mutation,
  preconditions: Preconditions | undefined,
  target: Target = 'main',
  manage?: ManageFields,
): Promise<KubeObject> {
  return guardedUpdate(ctx, info, namespace, name, target, mutate, preconditions, {
    dryRun: false,
    fieldValidation: 'Ignore',
    warnings: { add: () => {} },
  }, manage);
}
