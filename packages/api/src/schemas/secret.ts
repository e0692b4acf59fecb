import { type Static, Type } from '@sinclair/typebox';
import { StringMap, objectSchema } from './meta.js';

export const Secret = objectSchema(
  'Secret',
  {
    data: Type.Optional(StringMap),
    stringData: Type.Optional(StringMap),
    type: Type.Optional(Type.String()),
    immutable: Type.Optional(Type.Boolean()),
  },
  'Sensitive keys and values; data is base64, stringData is merged into data on write.',
);
export type Secret = Static<typeof Secret>;
