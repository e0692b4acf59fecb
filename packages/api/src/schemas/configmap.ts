import { type Static, Type } from '@sinclair/typebox';
import { StringMap, objectSchema } from './meta.js';
import { described } from './describe.js';

export const ConfigMap = objectSchema(
  'ConfigMap',
  {
    data: Type.Optional(described(StringMap, 'The configuration as UTF-8 text, by key; keys are file-name-like (letters, digits, -, _ and .).')),
    binaryData: Type.Optional(described(StringMap, 'Binary values, base64-encoded, by key; a key may not also be in data.')),
    immutable: Type.Optional(Type.Boolean({ description: 'If true, data and binaryData can no longer be changed (only deleting the ConfigMap is). Default false.' })),
  },
  'Configuration as keys and values, for pods to read as environment or files.',
);
export type ConfigMap = Static<typeof ConfigMap>;
