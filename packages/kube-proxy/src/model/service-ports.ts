// A Service as the proxy sees it: one ServicePortInfo per port, or none for what is not proxied
// (as upstream's newBaseServiceInfo and ServiceChangeTracker: headless Services, ExternalName
// Services, and those another proxy claims with service.kubernetes.io/service-proxy-name).
import type { Service, ServicePort } from '@kubets/api';
import { servicePortKey, type Protocol, type ServicePortInfo } from './types.js';

/** The label by which a Service asks for a proxy other than the default one. */
export const serviceProxyNameLabel = 'service.kubernetes.io/service-proxy-name';
/** The label the EndpointSlice controller puts on the slices of headless Services. */
export const headlessLabel = 'service.kubernetes.io/headless';
/** The default of sessionAffinityConfig.clientIP.timeoutSeconds: three hours. */
export const defaultAffinityTimeoutSeconds = 10_800;

const isIPv4 = (ip: string) => /^\d{1,3}(\.\d{1,3}){3}$/.test(ip);
const protocolOf = (p: string | undefined): Protocol => (p === 'UDP' || p === 'SCTP' ? p : 'TCP');

/** The ports of a Service that the proxy serves; [] for one it does not proxy. */
export function servicePorts(svc: Service): ServicePortInfo[] {
  const spec = svc.spec ?? {};
  const type = spec.type ?? 'ClusterIP';
  if (type === 'ExternalName' || svc.metadata?.labels?.[serviceProxyNameLabel] !== undefined) return [];
  const clusterIPs = (spec.clusterIPs ?? (spec.clusterIP !== undefined ? [spec.clusterIP] : [])).filter(isIPv4);
  if (clusterIPs.length === 0) return []; // headless (None) or not yet allocated
  const namespace = svc.metadata?.namespace ?? 'default';
  const name = svc.metadata?.name ?? '';
  const common = {
    type: type as ServicePortInfo['type'],
    clusterIPs,
    externalIPs: (spec.externalIPs ?? []).filter(isIPv4),
    loadBalancerIPs: type === 'LoadBalancer' ? (svc.status?.loadBalancer?.ingress ?? []).map((i) => i.ip ?? '').filter(isIPv4) : [],
    sessionAffinity: {
      clientIP: spec.sessionAffinity === 'ClientIP',
      timeoutSeconds: spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? defaultAffinityTimeoutSeconds,
    },
    internalPolicyLocal: spec.internalTrafficPolicy === 'Local',
    // Only Services reachable from outside have an external policy (upstream ExternalPolicyLocal).
    externalPolicyLocal: spec.externalTrafficPolicy === 'Local' && (type !== 'ClusterIP' || (spec.externalIPs ?? []).length > 0),
  };
  return (spec.ports ?? []).map((p: ServicePort) => {
    const portName = { namespace, name, port: p.name ?? '', protocol: protocolOf(p.protocol) };
    return {
      ...common,
      name: portName,
      key: servicePortKey(portName),
      port: p.port,
      protocol: portName.protocol,
      nodePort: type === 'ClusterIP' ? 0 : (p.nodePort ?? 0),
    };
  });
}
