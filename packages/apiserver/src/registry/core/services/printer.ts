// `kubectl get services` columns, as kubectl's service printer derives them.

import { ageCol, col, nameCol, none } from '../../printing/columns.js';

function servicePorts(svc: any): string {
  const ports: any[] = svc.spec?.ports ?? [];
  if (ports.length === 0) return '<none>';
  return ports.map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`).join(',');
}

function externalIP(svc: any): string {
  const type = svc.spec?.type ?? 'ClusterIP';
  if (type === 'ExternalName') return svc.spec?.externalName ?? '<none>';
  const ips: string[] = [...(svc.spec?.externalIPs ?? [])];
  if (type === 'LoadBalancer') {
    for (const i of svc.status?.loadBalancer?.ingress ?? []) ips.push(i.ip ?? i.hostname);
    if (ips.length === 0) return '<pending>';
  }
  return ips.length === 0 ? '<none>' : ips.join(',');
}

export const serviceColumns = [
  nameCol,
  col('Type', 'The type of the service.', (o) => o.spec?.type ?? 'ClusterIP'),
  col('Cluster-IP', 'The cluster IP of the service.', (o) => none(o.spec?.clusterIP)),
  col('External-IP', 'The external IPs of the service.', (o) => externalIP(o)),
  col('Port(s)', 'The ports of the service.', (o) => servicePorts(o)),
  ageCol,
  col('Selector', 'The label selector of the service.', (o) => none(Object.entries(o.spec?.selector ?? {}).map(([k, v]) => `${k}=${v}`).sort().join(',')), 'string', 1),
];
