// Server-side printing: `Accept: application/json;as=Table;v=v1;g=meta.k8s.io` turns objects into
// a meta.k8s.io/v1 Table with the columns kubectl users know, as kube-apiserver's printers do.
// Each kind's columns are its strategy's; only subresources with a shape of their own (scale)
// have theirs here.

import type { ResourceInfo } from '@kubets/api';
import type { KubeObject } from '../storage/interface.js';
import { strategyFor } from '../registry/strategies.js';
import type { Column } from '../registry/strategy-types.js';
import { ageCol, col } from '../registry/printing/columns.js';

/**
 * Subresources printed with columns of their own (`kubectl get deploy web --subresource=scale`);
 * any other subresource (status) prints as its resource does. Scale's Name column has no
 * `name` format upstream.
 */
const subresourceColumns: Record<string, Column[]> = {
  scale: [
    col('Name', 'Name must be unique within a namespace.', (o) => o.metadata?.name ?? ''),
    col('Desired', 'replicas is the desired number of instances for the scaled object.', (o) => o.spec?.replicas ?? 0, 'integer'),
    col('Available', 'replicas is the actual number of observed instances of the scaled object.', (o) => o.status?.replicas ?? 0, 'integer'),
    ageCol,
  ],
};

export type IncludeObject = 'None' | 'Metadata' | 'Object';

/** True when the Accept header asks for a meta.k8s.io Table (any of its alternatives). */
export function wantsTable(accept: string | undefined): boolean {
  if (accept === undefined) return false;
  return accept.split(',').some((alt) => {
    const params = alt.split(';').map((p) => p.trim());
    return params.includes('as=Table') && params.includes('g=meta.k8s.io') && params.some((p) => p === 'v=v1' || p === 'v=v1beta1');
  });
}

function tableApiVersion(accept: string | undefined): string {
  return accept?.includes('v=v1beta1') && !accept.includes('v=v1;') && !accept.endsWith('v=v1') ? 'meta.k8s.io/v1beta1' : 'meta.k8s.io/v1';
}

function rowObject(obj: KubeObject, include: IncludeObject): unknown {
  if (include === 'None') return undefined;
  if (include === 'Object') return obj;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata };
}

function columnsOf(info: ResourceInfo, subresource?: string): readonly Column[] {
  return (subresource !== undefined ? subresourceColumns[subresource] : undefined) ?? strategyFor(info).columns;
}

export function tableRows(info: ResourceInfo, objs: KubeObject[], include: IncludeObject, now = Date.now(), subresource?: string) {
  const cols = columnsOf(info, subresource);
  return objs.map((o) => {
    const row: { cells: (string | number)[]; object?: unknown } = { cells: cols.map((c) => c.cell(o, now)) };
    const object = rowObject(o, include);
    if (object !== undefined) row.object = object;
    return row;
  });
}

export function toTable(
  info: ResourceInfo,
  objs: KubeObject[],
  listMeta: { resourceVersion?: string; continue?: string; remainingItemCount?: number },
  accept: string | undefined,
  include: IncludeObject,
  /** The subresource the objects are of (`scale`), when not the resource itself. */
  subresource?: string,
) {
  const cols = columnsOf(info, subresource);
  return {
    kind: 'Table',
    apiVersion: tableApiVersion(accept),
    metadata: listMeta,
    columnDefinitions: cols.map(({ name, type, format, description, priority }) => ({ name, type, format: format ?? '', description, priority })),
    rows: tableRows(info, objs, include, Date.now(), subresource),
  };
}
