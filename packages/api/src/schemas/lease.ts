import { type Static, Type } from '@sinclair/typebox';
import { MicroTime, objectSchema } from './meta.js';
import { described } from './describe.js';

export const Lease = objectSchema(
  'Lease',
  {
    spec: Type.Optional(
      Type.Object({
        holderIdentity: Type.Optional(Type.String({ description: 'Who holds the lease now, such as a leader candidate or a node name; empty when nobody does.' })),
        leaseDurationSeconds: Type.Optional(Type.Integer({ description: 'Seconds the lease stays held after renewTime; other candidates wait that long before taking it over.' })),
        acquireTime: Type.Optional(described(MicroTime, 'When the current holder acquired the lease (RFC 3339 with microseconds, stored in UTC).')),
        renewTime: Type.Optional(described(MicroTime, 'When the holder last renewed the lease (RFC 3339 with microseconds, stored in UTC).')),
        leaseTransitions: Type.Optional(Type.Integer({ description: 'How many times the lease has changed holders.' })),
        strategy: Type.Optional(Type.String({ description: 'How the holder is chosen in coordinated leader election, such as OldestEmulationVersion.' })),
        preferredHolder: Type.Optional(Type.String({ description: 'A candidate that should hold the lease next; the current holder should step down for it.' })),
      }, { description: 'The holder of the lease and its times.' }),
    ),
  },
  'coordination.k8s.io/v1 Lease: leader election and node heartbeats.',
);
export type Lease = Static<typeof Lease>;
