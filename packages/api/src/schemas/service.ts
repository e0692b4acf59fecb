import { type Static, Type } from '@sinclair/typebox';
import { IntOrString, StringMap, conditionSchema, objectSchema } from './meta.js';
import { described } from './describe.js';

export const ServicePort = Type.Object({
  name: Type.Optional(Type.String({ description: 'A DNS label naming the port; required when the Service has more than one, and matching the port names of its Endpoints.' })),
  protocol: Type.Optional(Type.String({ description: 'TCP, UDP or SCTP. Default TCP.' })),
  appProtocol: Type.Optional(Type.String({ description: 'The application protocol, such as http or kubernetes.io/h2c; a hint for proxies.' })),
  port: Type.Integer({ description: 'The port the Service listens on, 1-65535.' }),
  targetPort: Type.Optional(described(IntOrString, 'The port of the pods to send traffic to: a number or the name of a container port. Defaults to port.')),
  nodePort: Type.Optional(Type.Integer({ description: 'NodePort and LoadBalancer only: the port on every node, from the node port range (30000-32767); allocated when not given.' })),
}, { description: 'One port of a Service and where its traffic goes.' });
export type ServicePort = Static<typeof ServicePort>;

export const ServiceSpec = Type.Object({
  ports: Type.Optional(Type.Array(ServicePort, { description: 'The ports the Service exposes.' })),
  selector: Type.Optional(described(StringMap, 'The labels of the pods traffic goes to; without a selector, Endpoints are kept by hand.')),
  clusterIP: Type.Optional(Type.String({ description: 'The virtual address of the Service; allocated from the service range when empty, None for a headless Service. Cannot be changed.' })),
  clusterIPs: Type.Optional(Type.Array(Type.String(), { description: 'The addresses of the Service, at most one per IP family; the first is clusterIP.' })),
  type: Type.Optional(Type.String({ description: 'ClusterIP (the default: inside the cluster), NodePort (also on a port of every node), LoadBalancer or ExternalName (a DNS alias).' })),
  externalIPs: Type.Optional(Type.Array(Type.String(), { description: 'Addresses outside the cluster\'s control at which nodes also accept the Service\'s traffic.' })),
  sessionAffinity: Type.Optional(Type.String({ description: 'None (the default) or ClientIP (each client keeps going to the same pod).' })),
  sessionAffinityConfig: Type.Optional(Type.Object({
    clientIP: Type.Optional(Type.Object({
      timeoutSeconds: Type.Optional(Type.Integer({ description: 'Seconds a client sticks to its pod after its last connection, 1 to 86400. Default 10800 (three hours).' })),
    }, { description: 'Settings of ClientIP affinity.' })),
  }, { description: 'Settings of the session affinity.' })),
  loadBalancerIP: Type.Optional(Type.String({ description: 'Deprecated: the address asked of the load balancer, where the provider supports it.' })),
  externalName: Type.Optional(Type.String({ description: 'ExternalName only: the DNS name the Service is an alias (CNAME) for.' })),
  externalTrafficPolicy: Type.Optional(Type.String({ description: 'Cluster (the default: any node forwards to any pod) or Local (only to pods on the receiving node, keeping the client address).' })),
  internalTrafficPolicy: Type.Optional(Type.String({ description: 'Cluster (the default: every ready pod) or Local (only pods on the same node as the client).' })),
  ipFamilies: Type.Optional(Type.Array(Type.String(), { description: 'IPv4 and/or IPv6: the families of clusterIPs, in order.' })),
  ipFamilyPolicy: Type.Optional(Type.String({ description: 'SingleStack (the default), PreferDualStack or RequireDualStack.' })),
  publishNotReadyAddresses: Type.Optional(Type.Boolean({ description: 'If true, pods are listed in the Endpoints even before they are ready. Default false.' })),
}, { description: 'The desired state of a Service: its ports, the pods it selects and how it is exposed.' });
export type ServiceSpec = Static<typeof ServiceSpec>;

export const Service = objectSchema(
  'Service',
  {
    spec: Type.Optional(described(ServiceSpec, 'How the Service is exposed and which pods it sends traffic to.')),
    status: Type.Optional(
      Type.Object({
        loadBalancer: Type.Optional(
          Type.Object({
            ingress: Type.Optional(
              Type.Array(Type.Object({
                ip: Type.Optional(Type.String({ description: 'An IP address of the load balancer.' })),
                hostname: Type.Optional(Type.String({ description: 'A DNS name of the load balancer.' })),
              }, { description: 'One entry point of the load balancer.' }), { description: 'Where the load balancer receives traffic.' }),
            ),
          }, { description: 'The load balancer of a LoadBalancer Service, once provisioned.' }),
        ),
        conditions: Type.Optional(Type.Array(conditionSchema(), { description: 'The latest observations of the Service.' })),
      }, { description: 'The observed state of the Service; read-only.' }),
    ),
  },
  'A stable address that kube-proxy balances over the ready pods its selector picks.',
);
export type Service = Static<typeof Service>;
