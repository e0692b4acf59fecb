// v1 ServiceAccount: an identity for the processes of pods.

import { type Static, Type } from '@sinclair/typebox';
import { ObjectReference, objectSchema } from './meta.js';
import { LocalObjectReference } from './pod.js';

export const ServiceAccount = objectSchema(
  'ServiceAccount',
  {
    secrets: Type.Optional(Type.Array(ObjectReference, { description: 'Secrets in the same namespace that pods running as this service account may use (legacy token Secrets).' })),
    imagePullSecrets: Type.Optional(Type.Array(LocalObjectReference, { description: 'Secrets with registry credentials, added to every pod running as this service account.' })),
    automountServiceAccountToken: Type.Optional(Type.Boolean({ description: 'Whether pods running as this service account get an API token mounted; a pod\'s own setting wins.' })),
  },
  'An identity for the processes that run in pods, with the secrets they may use.',
);
export type ServiceAccount = Static<typeof ServiceAccount>;
