// Pod defaults, as k8s.io/kubernetes/pkg/apis/core/v1 SetDefaults_*: applied to Pods and to the
// pod templates of ReplicaSets and Deployments, so a stored object always carries them.

import type { Container, PodSpec, Probe } from '../schemas/pod.js';

/** `Always` when the image has no tag or the tag is `latest`; otherwise `IfNotPresent`. */
export function defaultImagePullPolicy(image: string | undefined): string {
  if (image === undefined || image === '') return 'IfNotPresent';
  if (image.includes('@')) return 'IfNotPresent'; // pinned by digest
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastSegment.lastIndexOf(':');
  if (colon < 0) return 'Always';
  return lastSegment.slice(colon + 1) === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultProbe(p: Probe | undefined): void {
  if (p === undefined) return;
  p.timeoutSeconds ??= 1;
  p.periodSeconds ??= 10;
  p.successThreshold ??= 1;
  p.failureThreshold ??= 3;
  if (p.httpGet !== undefined) {
    p.httpGet.path ??= '/';
    p.httpGet.scheme ??= 'HTTP';
  }
}

function defaultContainer(c: Container): void {
  c.imagePullPolicy ??= defaultImagePullPolicy(c.image);
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  for (const port of c.ports ?? []) port.protocol ??= 'TCP';
  for (const env of c.env ?? []) {
    if (env.valueFrom?.fieldRef !== undefined) env.valueFrom.fieldRef.apiVersion ??= 'v1';
  }
  // A struct upstream, so written even when empty: `resources: {}`, in pods and pod templates.
  const res = (c.resources ??= {});
  // Limits without requests: the request is the limit (SetDefaults_Container via resources).
  if (res.limits !== undefined) {
    res.requests ??= {};
    for (const [name, q] of Object.entries(res.limits)) {
      if (res.requests[name] === undefined) res.requests[name] = q;
    }
  }
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
}

export function defaultPodSpec(spec: PodSpec | undefined): void {
  if (spec === undefined) return;
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.schedulerName ??= 'default-scheduler';
  spec.securityContext ??= {};
  spec.enableServiceLinks ??= true;
  for (const c of spec.initContainers ?? []) defaultContainer(c);
  for (const c of spec.containers ?? []) defaultContainer(c);
  for (const t of spec.tolerations ?? []) {
    if (t.operator === undefined && t.key !== undefined) t.operator = 'Equal';
  }
  const fieldRefVersion = (items: { fieldRef?: { apiVersion?: string } }[] | undefined) => {
    for (const item of items ?? []) if (item.fieldRef !== undefined) item.fieldRef.apiVersion ??= 'v1';
  };
  for (const v of spec.volumes ?? []) {
    if (v.configMap !== undefined) v.configMap.defaultMode ??= 0o644;
    if (v.secret !== undefined) v.secret.defaultMode ??= 0o644;
    if (v.hostPath !== undefined) v.hostPath.type ??= '';
    if (v.downwardAPI !== undefined) {
      v.downwardAPI.defaultMode ??= 0o644;
      fieldRefVersion(v.downwardAPI.items);
    }
    if (v.projected !== undefined) {
      v.projected.defaultMode ??= 0o644;
      for (const source of v.projected.sources ?? []) {
        fieldRefVersion(source.downwardAPI?.items);
        if (source.serviceAccountToken !== undefined) source.serviceAccountToken.expirationSeconds ??= 3600;
      }
    }
  }
}
