import { type Static, Type } from '@sinclair/typebox';
import { conditionSchema, objectSchema } from './meta.js';

export const Namespace = objectSchema(
  'Namespace',
  {
    spec: Type.Optional(Type.Object({ finalizers: Type.Optional(Type.Array(Type.String())) })),
    status: Type.Optional(
      Type.Object({ phase: Type.Optional(Type.String()), conditions: Type.Optional(Type.Array(conditionSchema())) }),
    ),
  },
  'A scope for names; deleting it deletes everything in it.',
);
export type Namespace = Static<typeof Namespace>;
