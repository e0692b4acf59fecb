// Defaults for every kind, applied by the API server before validation on create and update.
// Each function mutates the decoded object in place; they are idempotent.

import type { Deployment, ReplicaSet } from '../schemas/workloads.js';
import type { EndpointSlice } from '../schemas/discovery.js';
import type { Endpoints } from '../schemas/endpoints.js';
import type { Namespace } from '../schemas/namespace.js';
import type { Node } from '../schemas/node.js';
import type { Pod } from '../schemas/pod.js';
import type { Secret } from '../schemas/secret.js';
import type { Service } from '../schemas/service.js';
import { defaultPodSpec } from './pod.js';

export function defaultPod(pod: Pod): void {
  defaultPodSpec(pod.spec);
}

export function defaultService(svc: Service): void {
  const spec = svc.spec;
  if (spec === undefined) return;
  spec.type ??= 'ClusterIP';
  spec.sessionAffinity ??= 'None';
  // Three hours, upstream's DefaultClientIPServiceAffinitySeconds.
  if (spec.sessionAffinity === 'ClientIP') {
    spec.sessionAffinityConfig ??= {};
    spec.sessionAffinityConfig.clientIP ??= {};
    spec.sessionAffinityConfig.clientIP.timeoutSeconds ??= 10_800;
  }
  if (spec.type !== 'ExternalName') spec.internalTrafficPolicy ??= 'Cluster';
  if ((spec.type === 'NodePort' || spec.type === 'LoadBalancer') && spec.externalTrafficPolicy === undefined) {
    spec.externalTrafficPolicy = 'Cluster';
  }
  for (const p of spec.ports ?? []) {
    p.protocol ??= 'TCP';
    // targetPort defaults to the port itself (SetDefaults_Service).
    if (p.targetPort === undefined || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port;
  }
}

export function defaultEndpoints(ep: Endpoints): void {
  for (const s of ep.subsets ?? []) for (const p of s.ports ?? []) p.protocol ??= 'TCP';
}

/**
 * No default for spec.finalizers, as upstream: the server adds `kubernetes` on create only (the
 * namespace strategy), since finalize removes it later and a finalize body without finalizers
 * (Go clients omit an empty list) means none.
 */
export function defaultNamespace(ns: Namespace): void {
  ns.spec ??= {};
  ns.status ??= {};
  ns.status.phase ??= 'Active';
}

export function defaultSecret(secret: Secret): void {
  secret.type ??= 'Opaque';
}

/**
 * Upstream's Node status holds daemonEndpoints and nodeInfo as structs, which Go writes even
 * empty: a Node registered without status reads back with `Port: 0` and empty nodeInfo strings
 * (their zero values come from the schema, writeZeroValues).
 */
export function defaultNode(node: Node): void {
  node.status ??= {};
  node.status.daemonEndpoints ??= {};
  node.status.daemonEndpoints.kubeletEndpoint ??= { Port: 0 };
  node.status.nodeInfo ??= {} as NonNullable<NonNullable<Node['status']>['nodeInfo']>;
}

/** minReadySeconds is an int32 with omitempty upstream: zero is never stored. */
function omitZeroMinReadySeconds(spec: { minReadySeconds?: number }): void {
  if (spec.minReadySeconds === 0) delete spec.minReadySeconds;
}

export function defaultReplicaSet(rs: ReplicaSet): void {
  rs.spec ??= {};
  rs.spec.replicas ??= 1;
  omitZeroMinReadySeconds(rs.spec);
  defaultPodSpec(rs.spec.template?.spec);
}

export function defaultDeployment(d: Deployment): void {
  d.spec ??= {};
  const spec = d.spec;
  spec.replicas ??= 1;
  omitZeroMinReadySeconds(spec);
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  spec.strategy ??= {};
  spec.strategy.type ??= 'RollingUpdate';
  if (spec.strategy.type === 'RollingUpdate') {
    spec.strategy.rollingUpdate ??= {};
    spec.strategy.rollingUpdate.maxUnavailable ??= '25%';
    spec.strategy.rollingUpdate.maxSurge ??= '25%';
  }
  defaultPodSpec(spec.template?.spec);
}

/** Upstream's SetDefaults_EndpointPort: an unnamed port is named "", a port without protocol is TCP. */
export function defaultEndpointSlice(slice: EndpointSlice): void {
  for (const p of slice.ports ?? []) {
    p.name ??= '';
    p.protocol ??= 'TCP';
  }
}
