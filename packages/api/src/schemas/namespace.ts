import { type Static, Type } from '@sinclair/typebox';
import { conditionSchema, objectSchema } from './meta.js';

export const Namespace = objectSchema(
  'Namespace',
  {
    spec: Type.Optional(Type.Object({ finalizers: Type.Optional(Type.Array(Type.String(), { description: 'Tasks that must finish before the namespace is removed; the server adds kubernetes (the namespace controller, which empties it) on create.' })) }, { description: 'The desired state of the namespace.' })),
    status: Type.Optional(
      Type.Object({
        phase: Type.Optional(Type.String({ description: 'Active, or Terminating once it is being deleted.' })),
        conditions: Type.Optional(Type.Array(conditionSchema(), { description: 'The latest observations of the namespace, such as why its deletion is stuck.' })),
      }, { description: 'The observed state of the namespace.' }),
    ),
  },
  'A scope for names; deleting it deletes everything in it.',
);
export type Namespace = Static<typeof Namespace>;
