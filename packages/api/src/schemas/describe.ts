// Field descriptions on shared schemas. A shared type (ObjectMeta, Probe, Time ...) carries its
// own description; where a field uses it, the field says what it means in that place
// (`livenessProbe` is not `readinessProbe`), which is what `kubectl explain` shows.

import type { TSchema } from '@sinclair/typebox';

/** `schema` with `description` in place of its own: a shallow copy, so TypeBox's symbols stay. */
export function described<T extends TSchema>(schema: T, description: string): T {
  return { ...schema, description };
}
