// POST of a collection: decode, server-set fields, defaults, admission, validation, then one
// etcd transaction that fails if the name is taken. Nothing is written on any failure.

import type { ResourceInfo } from '@kubets/api';
import type { KubeObject } from '../storage/interface.js';
import { prepareForCreate } from '../registry/strategy.js';
import type { FieldValidation } from '../http/query.js';
import type { RestContext } from './context.js';
import { checkNamespace, decodeFor, defaultAndValidate, type Warnings } from './write-pipeline.js';

export interface WriteOptions {
  dryRun: boolean;
  fieldValidation: FieldValidation;
  warnings: Warnings;
}

export async function createObject(
  ctx: RestContext,
  info: ResourceInfo,
  namespace: string | undefined,
  body: unknown,
  opts: WriteOptions,
): Promise<KubeObject> {
  const obj = decodeFor(info, body, opts.fieldValidation, opts.warnings);
  checkNamespace(info, obj, namespace);
  prepareForCreate(info, obj, namespace);
  info.applyDefaults(obj);
  await ctx.admission.admitCreate(info, obj, opts.dryRun);
  try {
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
