// ConfigMap and Secret validation: keys as upstream's IsConfigMapKey, no key in both data
// maps, secret data valid base64, and the 1 MiB total size limit etcd values are kept under.

import { type FieldError, FieldPath, fieldErrors } from '../errors/field.js';
import type { ConfigMap } from '../schemas/configmap.js';
import type { Secret } from '../schemas/secret.js';
import { isConfigMapKey } from './names.js';

export const maxConfigSize = 1024 * 1024;

const base64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function validateKeys(map: Record<string, string>, at: FieldPath, seen: Set<string>, errs: FieldError[]): void {
  for (const key of Object.keys(map)) {
    for (const m of isConfigMapKey(key)) errs.push(fieldErrors.invalid(at.key(key), key, m));
    if (seen.has(key)) errs.push(fieldErrors.invalid(at.key(key), key, 'duplicate of key present in another data map'));
    seen.add(key);
  }
}

function byteSize(map: Record<string, string> | undefined, decode: boolean): number {
  let n = 0;
  for (const v of Object.values(map ?? {})) n += decode ? Buffer.from(v, 'base64').length : Buffer.byteLength(v);
  return n;
}

export function validateConfigMap(cm: ConfigMap): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  validateKeys(cm.data ?? {}, FieldPath.root('data'), seen, errs);
  validateKeys(cm.binaryData ?? {}, FieldPath.root('binaryData'), seen, errs);
  for (const [k, v] of Object.entries(cm.binaryData ?? {})) {
    if (!base64.test(v)) errs.push(fieldErrors.invalid(FieldPath.root('binaryData').key(k), '<binary>', 'must be valid base64'));
  }
  const size = byteSize(cm.data, false) + byteSize(cm.binaryData, true);
  if (size > maxConfigSize) errs.push(fieldErrors.tooLong(FieldPath.root(''), '', maxConfigSize));
  return errs;
}

export const secretTypes = {
  'kubernetes.io/service-account-token': ['kubernetes.io/service-account.name'],
  'kubernetes.io/dockercfg': [],
  'kubernetes.io/dockerconfigjson': [],
  'kubernetes.io/basic-auth': [],
  'kubernetes.io/ssh-auth': [],
  'kubernetes.io/tls': [],
  'bootstrap.kubernetes.io/token': [],
  Opaque: [],
} as const;

/** Keys a typed Secret must carry (upstream ValidateSecret). */
const requiredSecretKeys: Record<string, string[]> = {
  'kubernetes.io/dockercfg': ['.dockercfg'],
  'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
  'kubernetes.io/ssh-auth': ['ssh-privatekey'],
  'kubernetes.io/tls': ['tls.crt', 'tls.key'],
};

export function validateSecret(secret: Secret): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  const dataAt = FieldPath.root('data');
  validateKeys(secret.data ?? {}, dataAt, seen, errs);
  for (const [k, v] of Object.entries(secret.data ?? {})) {
    if (!base64.test(v)) errs.push(fieldErrors.invalid(dataAt.key(k), '<secret contents redacted>', 'must be valid base64'));
  }
  const stringSeen = new Set<string>();
  validateKeys(secret.stringData ?? {}, FieldPath.root('stringData'), stringSeen, errs);
  if (byteSize(secret.data, true) + byteSize(secret.stringData, false) > maxConfigSize) {
    errs.push(fieldErrors.tooLong(dataAt, '', maxConfigSize));
  }
  const type = secret.type ?? 'Opaque';
  if (type === '') errs.push(fieldErrors.required(FieldPath.root('type')));
  const keys = new Set([...Object.keys(secret.data ?? {}), ...Object.keys(secret.stringData ?? {})]);
  for (const k of requiredSecretKeys[type] ?? []) {
    if (!keys.has(k)) errs.push(fieldErrors.required(dataAt.key(k)));
  }
  if (type === 'kubernetes.io/basic-auth' && !keys.has('username') && !keys.has('password')) {
    errs.push(fieldErrors.required(dataAt.key('username')));
  }
  return errs;
}
