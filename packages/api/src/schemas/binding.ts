import { type Static } from '@sinclair/typebox';
import { ObjectReference, objectSchema } from './meta.js';

export const Binding = objectSchema(
  'Binding',
  { target: ObjectReference },
  "Binds a pod to a node: the scheduler's decision, POSTed to pods/<name>/binding.",
);
export type Binding = Static<typeof Binding>;
