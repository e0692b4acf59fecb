// What the files of a configMap, secret, downwardAPI or projected volume are, as upstream's
// plugins compute them (MakePayload in pkg/volume/configmap, secret, downwardapi, projected):
// every key as a file named after it, or only the listed items at their paths; modes from the
// item, else the volume's defaultMode (0644). A missing object that is not optional is an error
// with upstream's not-found words; a missing object that is optional gives no files.
import type { ConfigMap, Pod, Secret, Volume } from '@kubets/api';
import { objectFieldValue } from '../container/field-ref.js';
import { resourceFieldValue } from '../container/resource-field-ref.js';
import type { ObjectSource } from '../sources/types.js';
import type { Payload } from './atomic-writer.js';

const defaultFileMode = 0o644;

interface KeyToPath {
  key: string;
  path: string;
  mode?: number;
}

type ProjectedSource = NonNullable<NonNullable<Volume['projected']>['sources']>[number];
type DownwardFiles = NonNullable<NonNullable<Volume['downwardAPI']>['items']>;

export interface PayloadContext {
  source: ObjectSource;
  /** The node's allocatable, for resourceFieldRef limits a container does not set. */
  allocatable?: Record<string, string | number>;
}

/** A source that went missing or a key that is not there; the message is upstream's. */
export class PayloadError extends Error {
  override name = 'PayloadError';
}

/** The payload of a volume of one of the four projected kinds; undefined for other kinds. */
export async function volumePayload(pod: Pod, volume: Volume, ctx: PayloadContext): Promise<Payload | undefined> {
  const namespace = pod.metadata?.namespace ?? 'default';
  if (volume.configMap) {
    const { name = '', items, optional = false, defaultMode = defaultFileMode } = volume.configMap;
    return configMapPayload(await ctx.source.configMap(namespace, name), name, items, defaultMode, optional);
  }
  if (volume.secret) {
    const { secretName = '', items, optional = false, defaultMode = defaultFileMode } = volume.secret;
    return secretPayload(await ctx.source.secret(namespace, secretName), secretName, items, defaultMode, optional);
  }
  if (volume.downwardAPI) return downwardPayload(pod, volume.downwardAPI.items ?? [], volume.downwardAPI.defaultMode ?? defaultFileMode, ctx);
  if (volume.projected) return projectedPayload(pod, volume.projected.sources ?? [], volume.projected.defaultMode ?? defaultFileMode, ctx);
  return undefined;
}

export function configMapPayload(cm: ConfigMap | undefined, name: string, items: KeyToPath[] | undefined, defaultMode: number, optional: boolean): Payload {
  if (cm === undefined) return missingObject(`configmap "${name}" not found`, optional);
  const values = new Map<string, Buffer>();
  for (const [k, v] of Object.entries(cm.data ?? {})) values.set(k, Buffer.from(v, 'utf8'));
  for (const [k, v] of Object.entries(cm.binaryData ?? {})) values.set(k, Buffer.from(v, 'base64'));
  return keysPayload(values, items, defaultMode, optional, (key) => `configmap references non-existent config key: ${key}`);
}

export function secretPayload(secret: Secret | undefined, name: string, items: KeyToPath[] | undefined, defaultMode: number, optional: boolean): Payload {
  if (secret === undefined) return missingObject(`secret "${name}" not found`, optional);
  const values = new Map<string, Buffer>();
  for (const [k, v] of Object.entries(secret.data ?? {})) values.set(k, Buffer.from(v, 'base64'));
  return keysPayload(values, items, defaultMode, optional, (key) => `references non-existent secret key: ${key}`);
}

function missingObject(message: string, optional: boolean): Payload {
  if (optional) return new Map();
  throw new PayloadError(message);
}

/** Every key at its own name, or only the items, each at its path with its mode. */
function keysPayload(values: Map<string, Buffer>, items: KeyToPath[] | undefined, defaultMode: number, optional: boolean, missingKey: (key: string) => string): Payload {
  const payload: Payload = new Map();
  if (items === undefined || items.length === 0) {
    for (const [key, data] of values) payload.set(key, { data, mode: defaultMode });
    return payload;
  }
  for (const item of items) {
    const data = values.get(item.key);
    if (data === undefined) {
      if (optional) continue;
      throw new PayloadError(missingKey(item.key));
    }
    payload.set(item.path, { data, mode: item.mode ?? defaultMode });
  }
  return payload;
}

function downwardPayload(pod: Pod, items: DownwardFiles, defaultMode: number, ctx: PayloadContext): Payload {
  const payload: Payload = new Map();
  for (const item of items) {
    const value = item.fieldRef
      ? objectFieldValue(pod, item.fieldRef.fieldPath)
      : item.resourceFieldRef
        ? resourceFieldValue(item.resourceFieldRef, pod, undefined, ctx.allocatable)
        : '';
    payload.set(item.path, { data: Buffer.from(value, 'utf8'), mode: item.mode ?? defaultMode });
  }
  return payload;
}

/** The sources together; errors of all sources are reported together, as upstream aggregates them. */
async function projectedPayload(pod: Pod, sources: ProjectedSource[], defaultMode: number, ctx: PayloadContext): Promise<Payload> {
  const namespace = pod.metadata?.namespace ?? 'default';
  const payload: Payload = new Map();
  const errors: string[] = [];
  for (const source of sources) {
    try {
      for (const [path, file] of await projectionPayload(pod, namespace, source, defaultMode, ctx)) payload.set(path, file);
    } catch (e) {
      if (!(e instanceof PayloadError)) throw e;
      errors.push(e.message);
    }
  }
  if (errors.length === 1) throw new PayloadError(errors[0]!);
  if (errors.length > 1) throw new PayloadError(`[${errors.join(', ')}]`);
  return payload;
}

async function projectionPayload(pod: Pod, namespace: string, source: ProjectedSource, defaultMode: number, ctx: PayloadContext): Promise<Payload> {
  if (source.configMap) {
    const { name = '', items, optional = false } = source.configMap;
    return configMapPayload(await ctx.source.configMap(namespace, name), name, items, defaultMode, optional);
  }
  if (source.secret) {
    const { name = '', items, optional = false } = source.secret;
    return secretPayload(await ctx.source.secret(namespace, name), name, items, defaultMode, optional);
  }
  if (source.downwardAPI) return downwardPayload(pod, source.downwardAPI.items ?? [], defaultMode, ctx);
  // serviceAccountToken needs the TokenRequest API, which kubets does not serve yet: no file.
  return new Map();
}
