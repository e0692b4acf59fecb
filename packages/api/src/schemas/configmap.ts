import { type Static, Type } from '@sinclair/typebox';
import { StringMap, objectSchema } from './meta.js';

export const ConfigMap = objectSchema(
  'ConfigMap',
  {
    data: Type.Optional(StringMap),
    binaryData: Type.Optional(StringMap),
    immutable: Type.Optional(Type.Boolean()),
  },
  'Configuration as keys and values, for pods to read as environment or files.',
);
export type ConfigMap = Static<typeof ConfigMap>;
