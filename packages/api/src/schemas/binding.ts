import { type Static } from '@sinclair/typebox';
import { ObjectReference, objectSchema } from './meta.js';
import { described } from './describe.js';

export const Binding = objectSchema(
  'Binding',
  { target: described(ObjectReference, 'The node to bind the pod to (kind Node and its name).') },
  "Binds a pod to a node: the scheduler's decision, POSTed to pods/<name>/binding.",
);
export type Binding = Static<typeof Binding>;
