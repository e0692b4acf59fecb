// What the proxy knows of the cluster, reduced to what a data path needs: one ServicePortInfo per
// port of each Service, and the endpoints behind it (upstream's ServicePort and Endpoint, in
// pkg/proxy). Both are plain data, built from Services and EndpointSlices by pure functions, so
// the decisions above the sockets are tested without a server.

export type Protocol = 'TCP' | 'UDP' | 'SCTP';

/** A Service port's identity: upstream's ServicePortName, written "ns/name:port" (port = its name, may be ""). */
export interface ServicePortName {
  namespace: string;
  name: string;
  /** The port's name ("" for a Service with a single unnamed port). */
  port: string;
  protocol: Protocol;
}

/** "ns/name:port" as upstream's ServicePortName.String() (the protocol is not part of it). */
export function servicePortKey(n: Pick<ServicePortName, 'namespace' | 'name' | 'port'>): string {
  return `${n.namespace}/${n.name}:${n.port}`;
}

export interface SessionAffinity {
  /** sessionAffinity: ClientIP. */
  clientIP: boolean;
  /** sessionAffinityConfig.clientIP.timeoutSeconds (10800 by default). */
  timeoutSeconds: number;
}

/** One port of one Service, as a data path needs it. */
export interface ServicePortInfo {
  name: ServicePortName;
  /** servicePortKey(name). */
  key: string;
  type: 'ClusterIP' | 'NodePort' | 'LoadBalancer';
  /** spec.clusterIPs (IPv4 only here); empty for a headless Service, which is not proxied. */
  clusterIPs: string[];
  port: number;
  protocol: Protocol;
  /** 0 when the Service has none. */
  nodePort: number;
  externalIPs: string[];
  /** status.loadBalancer.ingress[].ip. */
  loadBalancerIPs: string[];
  sessionAffinity: SessionAffinity;
  /** internalTrafficPolicy: Local (cluster IP traffic only to endpoints on this node). */
  internalPolicyLocal: boolean;
  /** externalTrafficPolicy: Local (node port, external and load-balancer traffic only to this node's endpoints). */
  externalPolicyLocal: boolean;
}

/** An endpoint of a Service port, from one EndpointSlice endpoint address and the slice's matching port. */
export interface EndpointInfo {
  ip: string;
  port: number;
  /** conditions.ready (unset counts as ready, as the API says). */
  ready: boolean;
  /** conditions.serving (unset: as ready). */
  serving: boolean;
  /** conditions.terminating (unset: false). */
  terminating: boolean;
  nodeName?: string;
  zone?: string;
  /** On this proxy's node (nodeName matches). */
  isLocal: boolean;
}

/** "ip:port": how an endpoint is named in logs, metrics and the load balancer. */
export function endpointKey(e: Pick<EndpointInfo, 'ip' | 'port'>): string {
  return `${e.ip}:${e.port}`;
}
