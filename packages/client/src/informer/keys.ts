// Cache keys, as client-go's MetaNamespaceKeyFunc: `namespace/name`, or `name` for
// cluster-scoped objects. Workqueues carry these keys, never the objects.

export interface HasMeta {
  metadata?: { name?: string; namespace?: string; [k: string]: unknown };
}

export function objectKey(obj: HasMeta): string {
  const name = obj.metadata?.name;
  if (name === undefined || name === '') throw new Error('an object without metadata.name has no cache key');
  const ns = obj.metadata?.namespace;
  return ns === undefined || ns === '' ? name : `${ns}/${name}`;
}

export function keyFor(namespace: string | undefined, name: string): string {
  return namespace === undefined || namespace === '' ? name : `${namespace}/${name}`;
}

export function splitKey(key: string): { namespace: string | undefined; name: string } {
  const slash = key.indexOf('/');
  return slash < 0 ? { namespace: undefined, name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}
