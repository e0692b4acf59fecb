// PATCH with application/apply-patch+yaml (`kubectl apply --server-side`): the body is the
// manager's full intent for the object. Applied to the stored object through the guarded update
// path; when there is no object yet, it is created through the create path (defaults,
// admission, validation), as upstream does, and the answer is 201.

import { apiVersionOf, badRequest, decodeObject, isApiError, type ResourceInfo } from '@kubets/api';
import type { KubeObject } from '../storage/interface.js';
import { isObject } from '../patch/merge-patch.js';
import { applyConfiguration, dropNulls, type Applied, type ApplyRequest } from '../fieldmanager/apply.js';
import type { RestContext } from './context.js';
import { createObject, type WriteOptions } from './create.js';
import { conflictFor, guardedUpdate, type Mutation, type Target } from './update.js';
import { scopeFor, setManagedFields } from './managed-fields.js';
import { checkName, checkNamespace, checkUnknownFields, decodeFor } from './write-pipeline.js';

export interface ApplyOptions extends WriteOptions {
  manager: string;
  force: boolean;
}

/** The apply configuration, checked as upstream checks it, ready to merge (nulls dropped). */
function configFrom(info: ResourceInfo, body: unknown, name: string, namespace: string | undefined, opts: ApplyOptions): Record<string, unknown> {
  if (!isObject(body)) throw badRequest(`the body of an apply patch must be an object of kind ${JSON.stringify(info.kind)}`);
  if (typeof body.apiVersion !== 'string' || body.apiVersion === '') throw badRequest('apiVersion must be set in an apply patch');
  if (typeof body.kind !== 'string' || body.kind === '') throw badRequest('kind must be set in an apply patch');
  const config = decodeObject<KubeObject>(info, structuredClone(body));
  const managed = config.metadata?.managedFields;
  if (managed !== undefined && managed !== null) throw badRequest('metadata.managedFields must be nil');
  checkName(config, name);
  checkNamespace(info, config, namespace);
  checkUnknownFields(info, config, opts.fieldValidation, opts.warnings);
  dropNulls(config);
  return config;
}

function applyOnce(stored: KubeObject | undefined, working: KubeObject, config: Record<string, unknown>, req: ApplyRequest): Applied {
  try {
    // The configuration is copied for each attempt: the result shares it, and later steps (defaulting) change the result.
    return applyConfiguration(stored, working, structuredClone(config), req);
  } catch (e) {
    if (e instanceof RangeError) throw badRequest('the apply patch is nested too deeply');
    throw e;
  }
}

export async function applyObject(
  ctx: RestContext,
  info: ResourceInfo,
  namespace: string | undefined,
  name: string,
  target: Target,
  body: unknown,
  opts: ApplyOptions,
): Promise<{ obj: KubeObject; created: boolean }> {
  const config = configFrom(info, body, name, namespace, opts);
  const req: ApplyRequest = { manager: opts.manager, apiVersion: apiVersionOf(info), force: opts.force, scope: scopeFor(info, target) };
  for (let attempt = 0; ; attempt++) {
    try {
      let managedFields: unknown;
      const mutate: Mutation = (working, stored) => {
        // A resourceVersion in the configuration is a precondition, as on any other patch.
        const rv = (config.metadata as { resourceVersion?: unknown } | undefined)?.resourceVersion;
        if (typeof rv === 'string' && rv !== '' && rv !== stored.metadata?.resourceVersion) {
          throw conflictFor(info, name);
        }
        const applied = applyOnce(stored, working, config, req);
        managedFields = applied.managedFields;
        const obj = decodeFor(info, applied.object, 'Ignore', opts.warnings);
        checkName(obj, name);
        checkNamespace(info, obj, namespace);
        // guardedUpdate defaults it before comparing specs: pruning a defaulted field is then
        // no change (and no new generation), as upstream.
        return obj;
      };
      const obj = await guardedUpdate(ctx, info, namespace, name, target, mutate, undefined, opts, (_stored, next) => setManagedFields(next, managedFields));
      return { obj, created: false };
    } catch (e) {
      if (!(isApiError(e) && e.code === 404 && target === 'main')) throw e;
    }
    try {
      const applied = applyOnce(undefined, {}, config, req);
      const obj = applied.object;
      (obj.metadata ??= {}).name = name;
      const created = await createObject(ctx, info, namespace, obj, { ...opts, fieldValidation: 'Ignore' }, (o) => setManagedFields(o, applied.managedFields));
      return { obj: created, created: true };
    } catch (e) {
      // Created by someone else meanwhile: apply to theirs.
      if (isApiError(e) && e.reason === 'AlreadyExists' && attempt < 3) continue;
      throw e;
    }
  }
}
