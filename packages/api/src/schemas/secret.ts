import { type Static, Type } from '@sinclair/typebox';
import { StringMap, objectSchema } from './meta.js';
import { described } from './describe.js';

export const Secret = objectSchema(
  'Secret',
  {
    data: Type.Optional(described(StringMap, 'The secret values, base64-encoded, by key; keys are file-name-like (letters, digits, -, _ and .).')),
    stringData: Type.Optional(described(StringMap, 'Values in plain text, for convenience on write: merged into data (winning over it) and never returned.')),
    type: Type.Optional(Type.String({ description: 'What the secret holds, which can require keys: Opaque (the default), kubernetes.io/tls, kubernetes.io/dockerconfigjson ...' })),
    immutable: Type.Optional(Type.Boolean({ description: 'If true, data can no longer be changed (only deleting the Secret is). Default false.' })),
  },
  'Sensitive keys and values; data is base64, stringData is merged into data on write.',
);
export type Secret = Static<typeof Secret>;
