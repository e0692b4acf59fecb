import { type Static, Type } from '@sinclair/typebox';
import { IntOrString, StringMap, conditionSchema, objectSchema } from './meta.js';

export const ServicePort = Type.Object({
  name: Type.Optional(Type.String()),
  protocol: Type.Optional(Type.String()),
  appProtocol: Type.Optional(Type.String()),
  port: Type.Integer(),
  targetPort: Type.Optional(IntOrString),
  nodePort: Type.Optional(Type.Integer()),
});
export type ServicePort = Static<typeof ServicePort>;

export const ServiceSpec = Type.Object({
  ports: Type.Optional(Type.Array(ServicePort)),
  selector: Type.Optional(StringMap),
  clusterIP: Type.Optional(Type.String()),
  clusterIPs: Type.Optional(Type.Array(Type.String())),
  type: Type.Optional(Type.String()),
  externalIPs: Type.Optional(Type.Array(Type.String())),
  sessionAffinity: Type.Optional(Type.String()),
  sessionAffinityConfig: Type.Optional(Type.Object({ clientIP: Type.Optional(Type.Object({ timeoutSeconds: Type.Optional(Type.Integer()) })) })),
  loadBalancerIP: Type.Optional(Type.String()),
  externalName: Type.Optional(Type.String()),
  externalTrafficPolicy: Type.Optional(Type.String()),
  internalTrafficPolicy: Type.Optional(Type.String()),
  ipFamilies: Type.Optional(Type.Array(Type.String())),
  ipFamilyPolicy: Type.Optional(Type.String()),
  publishNotReadyAddresses: Type.Optional(Type.Boolean()),
});
export type ServiceSpec = Static<typeof ServiceSpec>;

export const Service = objectSchema(
  'Service',
  {
    spec: Type.Optional(ServiceSpec),
    status: Type.Optional(
      Type.Object({
        loadBalancer: Type.Optional(
          Type.Object({
            ingress: Type.Optional(
              Type.Array(Type.Object({ ip: Type.Optional(Type.String()), hostname: Type.Optional(Type.String()) })),
            ),
          }),
        ),
        conditions: Type.Optional(Type.Array(conditionSchema())),
      }),
    ),
  },
  'A stable address that kube-proxy balances over the ready pods its selector picks.',
);
export type Service = Static<typeof Service>;
