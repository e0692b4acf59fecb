// POST of a collection: decode, server-set fields, defaults, admission, validation, then one
// etcd transaction that fails if the name is taken. Nothing is written on any failure.

import type { ResourceInfo } from '@kubets/api';
import type { KubeObject } from '../storage/interface.js';
import { prepareForCreate } from '../registry/strategy.js';
import type { FieldValidation } from '../http/query.js';
import type { RestContext } from './context.js';
import { applyDefaults, checkNamespace, decodeFor, defaultAndValidate, type Warnings } from './write-pipeline.js';
import { recordWrite } from './managed-fields.js';

export interface WriteOptions {
  dryRun: boolean;
  fieldValidation: FieldValidation;
  warnings: Warnings;
  /** Who the write is recorded for in managedFields; unset for the server's own writes. */
  manager?: string;
}

export async function createObject(
  ctx: RestContext,
  info: ResourceInfo,
  namespace: string | undefined,
  body: unknown,
  opts: WriteOptions,
  /** Sets managedFields on the object to store; by default an Update entry for opts.manager. */
  manage?: (obj: KubeObject) => void,
): Promise<KubeObject> {
  const obj = decodeFor(info, body, opts.fieldValidation, opts.warnings);
  checkNamespace(info, obj, namespace);
  const sent = obj.metadata?.managedFields;
  prepareForCreate(info, obj, namespace);
  applyDefaults(info, obj);
  try {
    // Inside: what admission claimed before refusing (a cluster IP, then no free node port) goes too.
    await ctx.admission.admitCreate(info, obj, opts.dryRun);
    applyDefaults(info, obj);
    if (manage !== undefined) manage(obj);
    else recordWrite(info, 'main', undefined, obj, sent, opts.manager);
    ctx.admission.mutateCreate(info, obj);
    defaultAndValidate(info, obj);
    if (opts.dryRun) return obj;
    return await ctx.store(info).create(namespace, obj.metadata!.name!, obj);
  } catch (e) {
    await ctx.admission.abortCreate(info, obj);
    throw e;
  } finally {
    if (opts.dryRun) await ctx.admission.abortCreate(info, obj);
  }
}
