import { type Static, Type } from '@sinclair/typebox';
import { Time, objectSchema } from './meta.js';

export const Lease = objectSchema(
  'Lease',
  {
    spec: Type.Optional(
      Type.Object({
        holderIdentity: Type.Optional(Type.String()),
        leaseDurationSeconds: Type.Optional(Type.Integer()),
        acquireTime: Type.Optional(Time),
        renewTime: Type.Optional(Time),
        leaseTransitions: Type.Optional(Type.Integer()),
        strategy: Type.Optional(Type.String()),
        preferredHolder: Type.Optional(Type.String()),
      }),
    ),
  },
  'coordination.k8s.io/v1 Lease: leader election and node heartbeats.',
);
export type Lease = Static<typeof Lease>;
