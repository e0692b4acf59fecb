// --controllers, as kube-controller-manager reads it: `*` turns on every controller that is on
// by default, `foo` turns foo on, `-foo` turns it off; a named controller wins over `*`.

import type { ControllerDescriptor } from './controller.js';

export class UnknownControllerError extends Error {
  override name = 'UnknownControllerError';
}

export function selectControllers(all: readonly ControllerDescriptor[], spec: readonly string[]): ControllerDescriptor[] {
  const known = new Set(all.map((c) => c.name));
  for (const item of spec) {
    const name = item.startsWith('-') ? item.slice(1) : item;
    if (name !== '*' && !known.has(name)) {
      throw new UnknownControllerError(`"${name}" is not in the list of known controllers: ${[...known].sort().join(', ')}`);
    }
  }
  const star = spec.includes('*');
  return all.filter((c) => {
    if (spec.includes(`-${c.name}`)) return false;
    if (spec.includes(c.name)) return true;
    return star && c.enabledByDefault;
  });
}
