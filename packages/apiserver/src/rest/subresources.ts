// The subresources with their own shapes: scale (autoscaling/v1 Scale over spec.replicas),
// binding (the scheduler's decision, written into spec.nodeName) and log (streamed from the
// kubelet of the pod's node).

import { badRequest, conflict, decodeObject, groupResourceOf, labelSelectorToString, resolveResource, type ResourceInfo, validateBinding, invalid, groupKindOf } from '@kubets/api';
import type { KubeObject } from '../storage/interface.js';
import { nowTimestamp } from '../registry/strategy.js';
import type { RestContext } from './context.js';
import { updateWith } from './update.js';
import { recordWrite } from './managed-fields.js';
import { checkName } from './write-pipeline.js';


/** The autoscaling/v1 Scale view of a Deployment or ReplicaSet. */
export function toScale(obj: KubeObject): KubeObject {
  const m = obj.metadata ?? {};
  const spec = obj.spec as { replicas?: number; selector?: Parameters<typeof labelSelectorToString>[0] } | undefined;
  const status = obj.status as { replicas?: number } | undefined;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: m.name,
      namespace: m.namespace,
      uid: m.uid,
      resourceVersion: m.resourceVersion,
      creationTimestamp: m.creationTimestamp,
    },
    spec: { replicas: spec?.replicas ?? 0 },
    status: { replicas: status?.replicas ?? 0, selector: spec?.selector ? labelSelectorToString(spec.selector) : '' },
  };
}

const isStringMap = (v: unknown) => v === undefined || (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string'));

/** What decoding a body as an autoscaling/v1 Scale of this namespace requires. */
function checkScaleBody(scale: KubeObject, namespace: string | undefined): void {
  if (scale === null || typeof scale !== 'object' || Array.isArray(scale)) throw badRequest('the body of a Scale must be an object');
  if (scale.kind !== undefined && scale.kind !== 'Scale') throw badRequest(`a ${String(scale.kind)} cannot be handled as a Scale`);
  if (scale.apiVersion !== undefined && scale.apiVersion !== 'autoscaling/v1') throw badRequest(`a Scale must be autoscaling/v1, not ${String(scale.apiVersion)}`);
  const m = scale.metadata as { namespace?: unknown; labels?: unknown; annotations?: unknown } | undefined;
  if (m !== undefined && (m === null || typeof m !== 'object' || Array.isArray(m))) throw badRequest('Scale metadata must be an object');
  if (m?.namespace !== undefined && m.namespace !== '' && m.namespace !== namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  if (!isStringMap(m?.labels) || !isStringMap(m?.annotations)) throw badRequest('Scale metadata.labels and metadata.annotations must be maps of strings');
}

/** Writes a Scale (from PUT, or from PATCH applied to the current Scale) into spec.replicas. */
export async function writeScale(
  ctx: RestContext,
  info: ResourceInfo,
  namespace: string | undefined,
  name: string,
  makeScale: (current: KubeObject) => KubeObject,
  /** Who the write is recorded for in managedFields (an Update entry with subresource scale). */
  manager?: string,
): Promise<KubeObject> {
  const updated = await updateWith(ctx, info, namespace, name, (current) => {
    const scale = makeScale(toScale(current));
    checkScaleBody(scale, namespace);
    checkName(scale, name);
    const replicas = (scale.spec as { replicas?: unknown } | undefined)?.replicas;
    if (replicas !== undefined && (typeof replicas !== 'number' || !Number.isInteger(replicas))) {
      throw badRequest(`Scale in version "v1" cannot be handled as a Scale: spec.replicas: expected integer, got ${typeof replicas}`);
    }
    if (typeof replicas === 'number' && replicas < 0) {
      throw invalid({ group: 'autoscaling', kind: 'Scale' }, name, [
        { type: 'FieldValueInvalid', field: 'spec.replicas', value: replicas, detail: 'must be greater than or equal to 0' },
      ]);
    }
    const rv = scale.metadata?.resourceVersion;
    if (rv !== undefined && rv !== '' && rv !== current.metadata?.resourceVersion) {
      throw conflict(groupResourceOf(info), name, 'the object has been modified; please apply your changes to the latest version and try again');
    }
    const next = structuredClone(current);
    (next.spec as { replicas?: number }).replicas = replicas ?? 0;
    return next;
  }, undefined, 'main', manager === undefined ? undefined : (stored, next) => recordWrite(info, 'main', stored, next, undefined, manager, 'scale'));
  return toScale(updated);
}

/** POST pods/<name>/binding (or bindings): assigns the pod to a node, once. */
export async function bindPod(ctx: RestContext, namespace: string, podName: string | undefined, body: unknown): Promise<void> {
  const bindingInfo = resolveResource('bindings')!;
  const binding = decodeObject<KubeObject>(bindingInfo, body);
  const name = podName ?? binding.metadata?.name;
  if (name === undefined || name === '') throw badRequest('a Binding must name its pod in metadata.name');
  // As upstream's binding REST: the name must be given and match the pod's, and a namespace, if
  // given, must be the request's.
  if (podName !== undefined && binding.metadata?.name !== podName) throw badRequest('name in URL does not match name in Binding object');
  const ns = binding.metadata?.namespace;
  if (ns !== undefined && ns !== '' && ns !== namespace) throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  const errs = validateBinding(binding as never);
  if (errs.length > 0) throw invalid(groupKindOf(bindingInfo), name, errs);
  const node = (binding.target as { name: string }).name;
  const pods = resolveResource('pods')!;
  // Straight to storage: binding is the one write allowed to set spec.nodeName and PodScheduled.
  await ctx.store(pods).update(namespace, name, (current) => {
    const pod = structuredClone(current);
    delete pod.metadata!.resourceVersion;
    const spec = (pod.spec ??= {}) as { nodeName?: string };
    if (pod.metadata?.deletionTimestamp !== undefined) {
      throw conflict(groupResourceOf(pods), name, `pod ${name} is being deleted, cannot be assigned to a host`);
    }
    if (spec.nodeName !== undefined && spec.nodeName !== '') {
      throw conflict(groupResourceOf(pods), name, `pod ${name} is already assigned to node ${JSON.stringify(spec.nodeName)}`);
    }
    const uid = binding.metadata?.uid;
    if (uid !== undefined && uid !== pod.metadata?.uid) {
      throw conflict(groupResourceOf(pods), name, `Precondition failed: UID in precondition: ${String(uid)}, UID in object meta: ${String(pod.metadata?.uid)}`);
    }
    spec.nodeName = node;
    const status = (pod.status ??= {}) as { conditions?: { type: string; status: string; lastProbeTime?: null; lastTransitionTime?: string }[] };
    const conditions = (status.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
    conditions.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: nowTimestamp() });
    status.conditions = conditions;
    return pod;
  });
}
