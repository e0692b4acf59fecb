// The downward API's fieldRef: the value of one field of the pod, as upstream reads it
// (pkg/fieldpath and the kubelet's podFieldSelectorRuntimeValue). Errors are plain Errors with
// upstream's messages; callers turn them into the error of their own catalog.
import type { Pod } from '@kubets/api';

/** What the pod object does not say itself: where it runs and the addresses it was given. */
export interface PodRuntimeFields {
  nodeName: string;
  hostIP: string;
  hostIPs?: string[];
  podIP: string;
  podIPs: string[];
}

/** A field of the pod's metadata (what downwardAPI volumes may read); throws on an unsupported path. */
export function objectFieldValue(pod: Pod, fieldPath: string): string {
  const meta = pod.metadata ?? {};
  const subscripted = splitSubscript(fieldPath);
  if (subscripted !== undefined) {
    if (subscripted.path === 'metadata.labels') return meta.labels?.[subscripted.key] ?? '';
    if (subscripted.path === 'metadata.annotations') return meta.annotations?.[subscripted.key] ?? '';
    throw new Error(`fieldPath "${fieldPath}" does not support subscript`);
  }
  switch (fieldPath) {
    case 'metadata.annotations':
      return formatMap(meta.annotations ?? {});
    case 'metadata.labels':
      return formatMap(meta.labels ?? {});
    case 'metadata.name':
      return meta.name ?? '';
    case 'metadata.namespace':
      return meta.namespace ?? '';
    case 'metadata.uid':
      return meta.uid ?? '';
  }
  throw new Error(`unsupported fieldPath: ${fieldPath}`);
}

/** A field of the pod as an env var reads it: the metadata fields plus spec and status ones. */
export function podFieldValue(pod: Pod, selector: { apiVersion?: string; fieldPath: string }, runtime: PodRuntimeFields): string {
  const version = selector.apiVersion ?? 'v1';
  if (version !== 'v1') throw new Error(`unsupported pod version: ${version}`);
  const hostIPs = runtime.hostIPs ?? (runtime.hostIP ? [runtime.hostIP] : []);
  switch (selector.fieldPath) {
    case 'spec.nodeName':
      return pod.spec?.nodeName ?? runtime.nodeName;
    case 'spec.serviceAccountName':
      return pod.spec?.serviceAccountName ?? '';
    case 'status.hostIP':
      return hostIPs[0] ?? '';
    case 'status.hostIPs':
      return hostIPs.join(',');
    case 'status.podIP':
      return runtime.podIPs[0] ?? runtime.podIP;
    case 'status.podIPs':
      return runtime.podIPs.join(',');
  }
  return objectFieldValue(pod, selector.fieldPath);
}

/** metadata.labels['app'] -> { path: metadata.labels, key: app }; undefined when not subscripted. */
function splitSubscript(fieldPath: string): { path: string; key: string } | undefined {
  if (!fieldPath.endsWith("']")) return undefined;
  const inner = fieldPath.slice(0, -2);
  const open = inner.indexOf("['");
  if (open <= 0) return undefined;
  return { path: inner.slice(0, open), key: inner.slice(open + 2) };
}

/** key="value" lines in key order, as upstream's FormatMap (Go's %q quoting). */
export function formatMap(m: Record<string, string>): string {
  return Object.keys(m)
    .sort()
    .map((key) => `${key}=${JSON.stringify(m[key])}`)
    .join('\n');
}
